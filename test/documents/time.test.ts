import { describe, expect, it } from 'vitest';
import { agencyDate, agencyIsoTime, agencyTimeParts, agencyYear } from '../../src-main/documents/time.js';

/** The time-zone database as the judge: the same fields through Intl, computed here. */
const judge = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function viaIntl(at: Date): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of judge.formatToParts(at)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

describe('Viet Nam calendar fields', () => {
  it('agree with the time-zone database for instants from 1960 to 2200', () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const from = Date.UTC(1960, 0, 1);
    const to = Date.UTC(2200, 0, 1);
    const instants = Array.from({ length: 5000 }, () => new Date(from + Math.floor(random() * (to - from))));
    // Around midnight and New Year in Viet Nam, where a wrong offset shows first.
    for (let y = 1974; y <= 2101; y += 1) {
      instants.push(new Date(Date.UTC(y, 0, 1) - 7 * 3600_000 - 1), new Date(Date.UTC(y, 0, 1) - 7 * 3600_000));
    }
    for (const at of instants) expect({ at: at.toISOString(), ...agencyTimeParts(at) }).toEqual({ at: at.toISOString(), ...viaIntl(at) });
  });

  it('turns the year at midnight in Ha Noi, not in UTC', () => {
    expect(agencyYear(new Date('2026-12-31T16:59:59Z'))).toBe(2026);
    expect(agencyYear(new Date('2026-12-31T17:00:00Z'))).toBe(2027);
    expect(agencyDate(new Date('2026-12-31T17:00:00Z'))).toBe('2027-01-01');
    expect(agencyIsoTime(new Date('2026-03-05T07:30:12Z'))).toBe('2026-03-05T14:30:12+07:00');
  });
});
