import type { ErrorCode } from '../../src-main/api/errors.js';
import type { DocumentRecord } from '../../src-main/api/types.js';
import type { Messages } from '../i18n/vi.js';
import { ApiCallError } from './call.js';

export interface FieldIssue {
  path: string;
  message: string;
}

/** INVALID_INPUT details: [{path, message}] with path joined by dots ("agency.code"). */
export function fieldIssues(details: unknown): FieldIssue[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const { path, message } = item as { path?: unknown; message?: unknown };
    const joined = Array.isArray(path) ? path.join('.') : typeof path === 'string' ? path : '';
    return [{ path: joined, message: typeof message === 'string' ? message : '' }];
  });
}

/** DUPLICATE_SUSPECTED details: the likely duplicates, as an array or under `duplicates`. */
export function duplicatesOf(details: unknown): DocumentRecord[] {
  const list = Array.isArray(details)
    ? details
    : typeof details === 'object' && details !== null && Array.isArray((details as { duplicates?: unknown }).duplicates)
      ? (details as { duplicates: unknown[] }).duplicates
      : [];
  return list.filter(
    (d): d is DocumentRecord => typeof d === 'object' && d !== null && typeof (d as { id?: unknown }).id === 'number',
  );
}

/** Server issues ("senderName", "patch.dueDate", "file.dataBase64") mapped onto form fields. */
export function issuesToErrors(issues: FieldIssue[], fields: readonly string[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const segments = issue.path.split('.').filter((s) => s !== 'patch');
    const field = segments[0] === 'file' ? 'file' : segments.find((s) => fields.includes(s));
    if (field && !errors[field]) errors[field] = issue.message;
  }
  return errors;
}

const codeKeys: Record<ErrorCode, keyof Messages> = {
  INVALID_INPUT: 'errInvalidInput',
  NOT_FOUND: 'errNotFound',
  DUPLICATE_SUSPECTED: 'errDuplicateSuspected',
  CONFLICT: 'errConflict',
  SETUP_REQUIRED: 'errSetupRequired',
  FILE_TOO_LARGE: 'errFileTooLarge',
  FILE_NOT_PDF: 'errFileNotPdf',
  STORE_CORRUPT: 'errStoreCorrupt',
  STORE_TOO_NEW: 'errStoreTooNew',
  FORBIDDEN: 'errForbidden',
  INTERNAL: 'errInternal',
  PIN_INCORRECT: 'errPinIncorrect',
  PIN_LOCKED: 'errPinLocked',
  TOKEN_REMOVED: 'errTokenRemoved',
  TOKEN_TIMEOUT: 'errTokenTimeout',
  CERT_EXPIRED: 'errCertExpired',
  MODIFIED_AFTER_SIGNATURE: 'errModifiedAfterSignature',
};

/** Reasons (details.reason) that say more than their code. */
function reasonMessage(details: unknown, t: Messages): string | null {
  const reason = typeof details === 'object' && details !== null ? (details as { reason?: unknown }).reason : undefined;
  switch (reason) {
    case 'NOT_ISSUED':
      return t.signAgencyNeedsIssue;
    case 'CLASSIFIED':
      return t.exClassified(t.confidentialityNames[Number((details as { confidentiality?: unknown }).confidentiality) || 1] ?? '');
    case 'UNSIGNED':
      return t.exUnsigned;
    case 'LOGIN_REJECTED':
      return t.syncLoginRejected;
    case 'AXIS_REJECTED':
      return t.syncAxisRejected;
    case 'NO_MODULE':
      return t.signNoModule;
    default:
      return null;
  }
}

/** PIN_INCORRECT details.pin: the token's own flags (PKCS#11 gives no count, only "low" and "final try"). */
export function pinTriesMessage(details: unknown, t: Messages): string {
  const pin = typeof details === 'object' && details !== null ? (details as { pin?: { countLow?: unknown; finalTry?: unknown } }).pin : undefined;
  if (pin?.finalTry === true) return t.pinTriesFinal;
  if (pin?.countLow === true) return t.pinTriesLow;
  return '';
}

/** The user-facing message for an error code, in the current language. */
export function messageForCode(code: ErrorCode, t: Messages): string {
  return t[codeKeys[code]] as string;
}

/** A full user-facing message for any thrown value; INVALID_INPUT lists the field issues. */
export function errorMessage(error: unknown, t: Messages): string {
  if (!(error instanceof ApiCallError)) return t.errInternal;
  const special = reasonMessage(error.details, t);
  if (special) return special;
  if (error.code === 'PIN_INCORRECT') return [t.errPinIncorrect, pinTriesMessage(error.details, t)].filter(Boolean).join(' ');
  const base = messageForCode(error.code, t);
  if (error.code !== 'INVALID_INPUT') return base;
  const issues = fieldIssues(error.details);
  if (issues.length === 0) return base;
  return `${base} ${issues.map((i) => `${i.path || '—'}: ${i.message}`).join('; ')}`;
}
