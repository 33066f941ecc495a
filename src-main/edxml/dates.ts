/**
 * edXML dates (`yyyy/MM/dd`) and timestamps (`yyyy/MM/dd HH:mm:ss`, Viet Nam local
 * time, no zone). Conversions always go through Asia/Ho_Chi_Minh, never through the
 * machine's own zone, so a PC set to another zone still writes and reads the same
 * instants.
 */
import { agencyTimeParts as localParts, isCalendarDate, type AgencyTimeParts as LocalParts } from '../documents/time.js';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function isRealDay(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

const wireDatePattern = /^(\d{4})\/(\d{2})\/(\d{2})$/;
const wireTimestampPattern = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** True when `value` is an ISO `yyyy-MM-dd` naming a real calendar day. */
export function isIsoDate(value: string): boolean {
  return isCalendarDate(value);
}

/** ISO `yyyy-MM-dd` → wire `yyyy/MM/dd`; null when not a real day. */
export function formatEdxmlDate(isoDate: string): string | null {
  return isIsoDate(isoDate) ? isoDate.replaceAll('-', '/') : null;
}

/** Wire `yyyy/MM/dd` → ISO `yyyy-MM-dd`; null when malformed or not a real day. */
export function parseEdxmlDate(wire: string): string | null {
  const m = wireDatePattern.exec(wire);
  if (!m || !isRealDay(Number(m[1]), Number(m[2]), Number(m[3]))) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** The calendar day (ISO) of an instant in Viet Nam. */
export function vietnamDateOf(at: Date): string {
  const p = localParts(at);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** Instant → wire timestamp in Viet Nam local time (milliseconds are dropped). */
export function formatEdxmlTimestamp(at: Date): string {
  if (Number.isNaN(at.getTime())) throw new RangeError('Invalid Date');
  const p = localParts(at);
  return `${pad(p.year, 4)}/${pad(p.month)}/${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/**
 * Wire timestamp (Viet Nam local time) → instant; null when malformed or naming a
 * time that does not exist. The zone offset is looked up for that instant (Viet Nam
 * has been UTC+7 since 1975, but older dates had other offsets).
 */
export function parseEdxmlTimestamp(wire: string): Date | null {
  const m = wireTimestampPattern.exec(wire);
  if (!m) return null;
  const wanted: LocalParts = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6]),
  };
  if (!isRealDay(wanted.year, wanted.month, wanted.day)) return null;
  if (wanted.hour > 23 || wanted.minute > 59 || wanted.second > 59) return null;
  const asUtc = Date.UTC(wanted.year, wanted.month - 1, wanted.day, wanted.hour, wanted.minute, wanted.second);
  // First guess with +07:00, then correct by the offset actually in force.
  let guess = asUtc - 7 * 3600_000;
  for (let i = 0; i < 2; i++) {
    const p = localParts(new Date(guess));
    const shownAsUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    guess += asUtc - shownAsUtc;
  }
  const result = new Date(guess);
  return formatEdxmlTimestamp(result) === wire ? result : null;
}
