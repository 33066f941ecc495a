/**
 * Dates as Vietnamese offices write them. Calendar days travel as yyyy-MM-dd and
 * are shown dd/MM/yyyy; instants (ISO UTC) are shown HH:mm dd/MM/yyyy in Viet Nam's
 * time zone, whatever the PC's own zone is.
 */
const agencyTimeZone = 'Asia/Ho_Chi_Minh';

const instantFormatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: agencyTimeZone,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function instantParts(at: Date): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of instantFormatter.formatToParts(at)) out[p.type] = p.value;
  return out;
}

/** "2025-03-05" → "05/03/2025"; empty for null; unchanged if not a calendar day. */
export function formatDay(day: string | null | undefined): string {
  if (!day) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : day;
}

/** "2025-03-05T07:30:00Z" → "14:30 05/03/2025" (Asia/Ho_Chi_Minh). */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const p = instantParts(at);
  return `${p['hour']}:${p['minute']} ${p['day']}/${p['month']}/${p['year']}`;
}

/** "2025-03-05T07:30:00Z" → "05/03/2025 14:30" (Asia/Ho_Chi_Minh), day first. */
export function formatDayTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const p = instantParts(at);
  return `${p['day']}/${p['month']}/${p['year']} ${p['hour']}:${p['minute']}`;
}

/** Today in Viet Nam as yyyy-MM-dd. */
export function todayInVietnam(now: Date = new Date()): string {
  const p = instantParts(now);
  return `${p['year']}-${p['month']}-${p['day']}`;
}

/** True when yyyy-MM-dd names a real calendar day. */
export function isCalendarDay(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

const numberFormatters: Record<string, Intl.NumberFormat> = {};

/** 100000 → "100.000" (vi) or "100,000" (en). */
export function formatCount(n: number, lang: string): string {
  const f = (numberFormatters[lang] ??= new Intl.NumberFormat(lang === 'en' ? 'en-US' : 'vi-VN'));
  return f.format(n);
}

/** Bytes as KB/MB with one decimal. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
