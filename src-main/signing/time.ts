/** Times as Vietnam shows them (UTC+07:00, no daylight saving). */
const OFFSET_MS = 7 * 3600 * 1000;

function parts(date: Date): string[] {
  const t = new Date(date.getTime() + OFFSET_MS);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return [p(t.getUTCFullYear(), 4), p(t.getUTCMonth() + 1), p(t.getUTCDate()), p(t.getUTCHours()), p(t.getUTCMinutes()), p(t.getUTCSeconds())];
}

/** ISO 8601 with the Vietnam offset: 2025-03-05T14:30:12+07:00 (NĐ 30 Phụ lục I). */
export function vnIso(date: Date): string {
  const [y, mo, d, h, mi, s] = parts(date);
  return `${y}-${mo}-${d}T${h}:${mi}:${s}+07:00`;
}

/** PDF date string: D:20250305143012+07'00' */
export function pdfDate(date: Date): string {
  return `D:${parts(date).join('')}+07'00'`;
}

/** Parses a PDF date (D:YYYYMMDDHHmmSSOHH'mm') to a Date; undefined when unreadable. */
export function parsePdfDate(text: string): Date | undefined {
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz]|[+-]\d{2}'?\d{2}'?)?/.exec(text.trim());
  if (!m) return undefined;
  const [y, mo = '01', d = '01', h = '00', mi = '00', s = '00'] = m.slice(1, 7).map((v, i) => v ?? (i < 3 ? '01' : '00'));
  let offset = 0;
  const tz = m[7];
  if (tz && tz !== 'Z' && tz !== 'z') {
    const sign = tz.startsWith('-') ? -1 : 1;
    const digits = tz.replace(/[^0-9]/g, '');
    offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  }
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offset * 60000);
}
