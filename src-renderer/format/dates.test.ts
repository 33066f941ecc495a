import { describe, expect, it } from 'vitest';
import { formatCount, formatDay, formatInstant, formatSize, isCalendarDay, todayInVietnam } from './dates.js';

describe('dates', () => {
  it('shows calendar days as dd/MM/yyyy', () => {
    expect(formatDay('2025-03-05')).toBe('05/03/2025');
    expect(formatDay(null)).toBe('');
  });

  it('shows instants in Asia/Ho_Chi_Minh as HH:mm dd/MM/yyyy', () => {
    expect(formatInstant('2025-03-05T07:30:00Z')).toBe('14:30 05/03/2025');
    expect(formatInstant('2024-12-31T17:05:00Z')).toBe('00:05 01/01/2025');
  });

  it('computes today in Viet Nam, not in the PC zone', () => {
    expect(todayInVietnam(new Date('2024-12-31T18:00:00Z'))).toBe('2025-01-01');
  });

  it('checks calendar days', () => {
    expect(isCalendarDay('2024-02-29')).toBe(true);
    expect(isCalendarDay('2025-02-29')).toBe(false);
    expect(isCalendarDay('05/03/2025')).toBe(false);
  });

  it('formats counts and sizes', () => {
    expect(formatCount(100000, 'vi')).toBe('100.000');
    expect(formatCount(100000, 'en')).toBe('100,000');
    expect(formatSize(1536)).toBe('1.5 KB');
  });
});

describe('formatDayTime', () => {
  it('shows dd/MM/yyyy HH:mm in Viet Nam whatever the offset given', async () => {
    const { formatDayTime } = await import('./dates.js');
    expect(formatDayTime('2026-03-05T07:30:00Z')).toBe('05/03/2026 14:30');
    expect(formatDayTime('2026-03-05T23:10:12+07:00')).toBe('05/03/2026 23:10');
    expect(formatDayTime(null)).toBe('');
  });
});
