import { describe, expect, it } from 'vitest';
import { addCalendarMonths, periodBounds, periodKey } from './periods';

describe('periods in the program time zone', () => {
  const at = new Date('2026-03-31T23:30:00Z');

  it('names the period by local calendar', () => {
    expect(periodKey(at, 'month', 'UTC')).toBe('2026-03');
    expect(periodKey(at, 'month', 'Europe/Berlin')).toBe('2026-04');
    expect(periodKey(at, 'quarter', 'UTC')).toBe('2026-Q1');
    expect(periodKey(at, 'quarter', 'Asia/Tokyo')).toBe('2026-Q2');
    expect(periodKey(at, 'year', 'America/New_York')).toBe('2026');
    expect(periodKey(at, 'all_time', 'UTC')).toBe('all');
  });

  it('gives the local start of the period and of the next one', () => {
    expect(periodBounds(at, 'month', 'Europe/Berlin')).toEqual({
      start: new Date('2026-03-31T22:00:00Z'),
      end: new Date('2026-04-30T22:00:00Z'),
    });
    expect(periodBounds(at, 'year', 'UTC')).toEqual({ start: new Date('2026-01-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z') });
    expect(periodBounds(at, 'all_time', 'UTC')).toEqual({ start: null, end: null });
  });

  it('adds calendar months', () => {
    expect(addCalendarMonths(new Date('2026-01-31T12:00:00Z'), 1, 'UTC')).toEqual(new Date('2026-02-28T12:00:00Z'));
  });
});
