/**
 * Calendar facts in the agency's time zone. Registers restart on 1 January in
 * Asia/Ho_Chi_Minh, whatever the PC's own zone is, so years and dates are always
 * computed through this module and never with Date's local getters.
 */
export const agencyTimeZone = 'Asia/Ho_Chi_Minh';

const partsFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: agencyTimeZone,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/**
 * Viet Nam has kept UTC+07:00 without daylight saving since June 1975 (tz database), so
 * later instants are computed by arithmetic — formatToParts costs microseconds, and the
 * receive path asks for several dates per document; earlier instants go through Intl.
 */
const fixedOffsetFrom = Date.UTC(1976, 0, 1);
const offsetMs = 7 * 3600 * 1000;
const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

function parts(at: Date): Record<string, string> {
  const t = at.getTime();
  if (t >= fixedOffsetFrom && t < 253402300800000 /* 10000-01-01 */) {
    const d = new Date(t + offsetMs);
    return {
      year: String(d.getUTCFullYear()),
      month: two(d.getUTCMonth() + 1),
      day: two(d.getUTCDate()),
      hour: two(d.getUTCHours()),
      minute: two(d.getUTCMinutes()),
      second: two(d.getUTCSeconds()),
    };
  }
  return intlParts(at);
}

function intlParts(at: Date): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of partsFormatter.formatToParts(at)) out[p.type] = p.value;
  return out;
}

export interface AgencyTimeParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Calendar fields of an instant in Viet Nam, as numbers. */
export function agencyTimeParts(at: Date): AgencyTimeParts {
  const p = parts(at);
  return {
    year: Number(p['year']),
    month: Number(p['month']),
    day: Number(p['day']),
    hour: Number(p['hour']),
    minute: Number(p['minute']),
    second: Number(p['second']),
  };
}

/** Calendar year of an instant in Viet Nam. */
export function agencyYear(at: Date): number {
  return Number(parts(at)['year']);
}

/** yyyy-MM-dd of an instant in Viet Nam. */
export function agencyDate(at: Date): string {
  const p = parts(at);
  return `${p['year']}-${p['month']}-${p['day']}`;
}

/** ISO 8601 with the Vietnamese offset, e.g. 2025-03-05T14:30:12+07:00 (NĐ 30 signature time). */
export function agencyIsoTime(at: Date): string {
  const p = parts(at);
  return `${p['year']}-${p['month']}-${p['day']}T${p['hour']}:${p['minute']}:${p['second']}+07:00`;
}

/** Checks a yyyy-MM-dd string names a real calendar day. */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}
