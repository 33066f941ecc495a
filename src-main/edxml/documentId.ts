/**
 * Mã định danh cơ quan (OrganId, `NNN.NN.NN.Xnn`) and edXML DocumentId
 * (`<issuer OrganId>,<yyyy/MM/dd>,<CodeNumber>/<CodeNotation>`), standards doc §1.3, §3.6.
 */
import { formatEdxmlDate, parseEdxmlDate } from './dates.js';

const organIdPattern = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/;

/** True for `000.00.00.G22`-style agency identifiers. */
export function isOrganId(value: string): boolean {
  return organIdPattern.test(value);
}

export interface DocumentIdParts {
  organId: string;
  /** ISO yyyy-MM-dd. */
  promulgationDate: string;
  codeNumber: string;
  codeNotation: string;
}

/**
 * Builds the VNPT-style DocumentId, e.g. `000.00.00.G22,2015/09/30,7816/VPCP-TTĐT`.
 * Returns null when a part cannot be written unambiguously.
 */
export function formatDocumentId(parts: DocumentIdParts): string | null {
  const date = formatEdxmlDate(parts.promulgationDate);
  if (!date || !isOrganId(parts.organId)) return null;
  if (!/^[^,/\s]+$/.test(parts.codeNumber)) return null;
  if (parts.codeNotation.trim() === '' || parts.codeNotation.includes(',')) return null;
  return `${parts.organId},${date},${parts.codeNumber}/${parts.codeNotation.normalize('NFC')}`;
}

/**
 * Splits a VNPT-style DocumentId. Returns null for other shapes (BKAV's writer, for
 * one, uses UUIDs), which are still valid DocumentIds on the wire.
 */
export function parseDocumentId(value: string): DocumentIdParts | null {
  const m = /^([^,]+),([^,]+),([^,/\s]+)\/([^,]+)$/.exec(value);
  if (!m) return null;
  const [, organId = '', wireDate = '', codeNumber = '', codeNotation = ''] = m;
  const promulgationDate = parseEdxmlDate(wireDate);
  if (!promulgationDate || !isOrganId(organId)) return null;
  return { organId, promulgationDate, codeNumber, codeNotation };
}
