/**
 * Field rules shared by the builder (checking the model before writing) and the
 * parser (checking what arrived). Each check names the element path in its error.
 */
import { isIsoDate, parseEdxmlDate, vietnamDateOf } from './dates.js';
import { isOrganId } from './documentId.js';
import { invalid } from './fail.js';

/** Characters XML 1.0 forbids, even as character references. */
const forbiddenChars = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

export function codePointLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/** NFC, trimmed; rejects characters XML cannot carry and unpaired surrogates. */
export function cleanText(path: string, value: string): string {
  if (typeof value !== 'string') throw invalid(path, 'must be text');
  if (forbiddenChars.test(value) || !value.isWellFormed()) {
    throw invalid(path, 'contains a character that XML does not allow');
  }
  return value.normalize('NFC').trim();
}

export function optionalText(path: string, value: string | undefined, max: number): string | undefined {
  if (value === undefined) return undefined;
  const text = cleanText(path, value);
  if (text === '') return undefined;
  if (codePointLength(text) > max) throw invalid(path, `is longer than ${max} characters`, { max });
  return text;
}

export function requiredText(path: string, value: string | undefined, max: number): string {
  if (value === undefined) throw invalid(path, 'is missing');
  const text = optionalText(path, value, max);
  if (text === undefined) throw invalid(path, 'is empty');
  return text;
}

export function organIdValue(path: string, value: string | undefined): string {
  const text = requiredText(path, value, 13);
  if (!isOrganId(text)) throw invalid(path, `"${text}" is not an agency code of the form NNN.NN.NN.Xnn`);
  return text;
}

export function emailValue(path: string, value: string | undefined, max: number): string | undefined {
  const text = optionalText(path, value, max);
  if (text !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) {
    throw invalid(path, 'is not a valid e-mail address');
  }
  return text;
}

/** Non-negative integer within [min, max]. */
export function integerValue(path: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid(path, `must be an integer from ${min} to ${max}`, { min, max });
  }
  return value;
}

/** Wire text → integer, digits only (no sign, no exponent, no blanks inside). */
export function wireInteger(path: string, text: string, min: number, max: number): number {
  if (!/^\d{1,9}$/.test(text)) throw invalid(path, `must be an integer from ${min} to ${max}`, { min, max });
  return integerValue(path, Number(text), min, max);
}

/** Wire `yyyy/MM/dd` → ISO date. */
export function wireDate(path: string, text: string): string {
  const iso = parseEdxmlDate(text);
  if (iso === null) throw invalid(path, `"${text}" is not a valid date in the form yyyy/MM/dd`);
  return iso;
}

/** Model ISO date check. */
export function isoDateValue(path: string, value: string | undefined): string {
  if (value === undefined) throw invalid(path, 'is missing');
  if (typeof value !== 'string' || !isIsoDate(value)) throw invalid(path, `"${String(value)}" is not a valid yyyy-MM-dd date`);
  return value;
}

/** A promulgation date may not lie after today (Viet Nam calendar). */
export function notInFuture(path: string, isoDate: string, now: Date): string {
  if (isoDate > vietnamDateOf(now)) throw invalid(path, `${isoDate} is in the future`);
  return isoDate;
}

/** "1"/"0" (also "true"/"false") → boolean. */
export function wireFlag(path: string, text: string): boolean {
  if (text === '1' || text === 'true') return true;
  if (text === '0' || text === 'false') return false;
  throw invalid(path, 'must be 0 or 1');
}

/** Rejects a second occurrence of the same OrganId in a list. */
export function noDuplicateOrganIds(path: string, organIds: readonly string[]): void {
  const seen = new Set<string>();
  organIds.forEach((id, i) => {
    if (seen.has(id)) throw invalid(`${path}[${i + 1}]/OrganId`, `duplicates recipient ${id}`);
    seen.add(id);
  });
}
