import { TZDate } from '@date-fns/tz';
import { addMonths, startOfMonth, startOfQuarter, startOfYear } from './calendar';
import { monthKey, quarterKey, yearKey } from './date-keys';

/** Periods over which tiers and caps count. Calendar periods are in the program's time zone. */
export const PERIODS = ['all_time', 'month', 'quarter', 'year'] as const;
export type Period = (typeof PERIODS)[number];

/** Whether the runtime knows this IANA time zone. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A stable key of the period containing `at` in `timeZone`:
 * `all`, `2026-03`, `2026-Q1` or `2026`. Counters are stored under it.
 */
export function periodKey(at: Date, period: Period, timeZone: string): string {
  if (period === 'all_time') return 'all';
  const local = new TZDate(at.getTime(), timeZone);
  if (period === 'month') return monthKey(local);
  if (period === 'quarter') return quarterKey(local);
  return yearKey(local);
}

/** Start of the period containing `at`, and the start of the next one (null for all-time). */
export function periodBounds(at: Date, period: Period, timeZone: string): { start: Date | null; end: Date | null } {
  if (period === 'all_time') return { start: null, end: null };
  const local = new TZDate(at.getTime(), timeZone);
  const [start, next] =
    period === 'month'
      ? [startOfMonth(local), addMonths(startOfMonth(local), 1)]
      : period === 'quarter'
        ? [startOfQuarter(local), addMonths(startOfQuarter(local), 3)]
        : [startOfYear(local), addMonths(startOfYear(local), 12)];
  return { start: new Date(start.getTime()), end: new Date(next.getTime()) };
}

/** `at` plus whole calendar months in `timeZone` (for "within N months of the referral"). */
export function addCalendarMonths(at: Date, months: number, timeZone: string): Date {
  return new Date(addMonths(new TZDate(at.getTime(), timeZone), months).getTime());
}
