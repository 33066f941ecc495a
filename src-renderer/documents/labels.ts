import type { Confidentiality, DocumentRecord, DocumentStatus, Urgency } from '../../src-main/api/types.js';
import type { Messages } from '../i18n/vi.js';

export const urgencies: Urgency[] = [0, 1, 2, 3, 4];
export const confidentialities: Confidentiality[] = [0, 1, 2, 3];

export function urgencyName(t: Messages, u: Urgency): string {
  return t.urgencyNames[u] ?? String(u);
}

export function confidentialityName(t: Messages, c: Confidentiality): string {
  return t.confidentialityNames[c] ?? String(c);
}

export function statusName(t: Messages, s: DocumentStatus): string {
  return t.statusNames[s];
}

/** "05/QĐ-UBND", or số and ký hiệu joined when main did not compose the code. */
export function codeOf(doc: Pick<DocumentRecord, 'code' | 'codeNumber' | 'codeNotation'>): string {
  if (doc.code) return doc.code;
  return [doc.codeNumber, doc.codeNotation].filter(Boolean).join('/');
}
