import { TZDate } from '@date-fns/tz';
import { addDays, startOfISOWeek, startOfMonth } from '../clock/calendar';
import { dateKey } from '../clock/date-keys';
import { breakdownName, CONVERSION_COUNTER, PROGRAM_OWNERS, statName } from '../counters/stats';
import { type EngineContext, parse } from '../engine/context';
import type { Work } from '../engine/work';
import { type PerformanceInput, performanceInputSchema } from './inputs';
import { dayRange, keyed, requireParticipant } from './shared';

export interface PerformancePoint {
  /** Start of the day, ISO week (Monday) or month, in the program's time zone. */
  start: Date;
  clicks: number;
  signups: number;
  qualified: number;
  /** Net earnings (accrued less reversed). */
  earnings: number;
}

export interface Performance {
  granularity: 'day' | 'week' | 'month';
  series: PerformancePoint[];
  /**
   * From sign-up to qualification, over every referral that ever qualified,
   * all time (not the range), in milliseconds; null when none qualified yet.
   * Nearest-rank median and 90th percentile: a duration some referral took.
   * A referrer's figure is exact; the program's comes from a histogram of
   * minutes under an hour, hours under two days and days beyond, and gives
   * the start of the bucket (the duration cut to that resolution).
   */
  timeToConversion: { count: number; medianMs: number; p90Ms: number } | null;
  /** All-time sign-ups and qualifications by channel (the source given at click or attribution; '' when none). */
  channels: { source: string; signups: number; qualified: number }[];
  /** The same by country, where the application gave one ('' when not). */
  countries: { country: string; signups: number; qualified: number }[];
}

const SERIES_METRICS = [
  ['clicks', 'clicks'],
  ['signups', 'signups'],
  ['qualified', 'qualified'],
  ['earnings', 'earned'],
] as const;

/** Time series of clicks, sign-ups, qualified referrals and earnings, for a referrer or the whole program. */
export async function performance(ctx: EngineContext, input: PerformanceInput): Promise<Performance> {
  const data = parse(performanceInputSchema, input);
  const tz = ctx.program.timeZone;
  return ctx.read(async (work) => {
    if (data.userId !== undefined) await requireParticipant(work, data.userId);
    const owners = data.userId === undefined ? PROGRAM_OWNERS : [data.userId];
    const { first, last } = dayRange(ctx, data.from, data.to);
    // Bucket every day of the range by the start of its day, week or month.
    const points = new Map<string, PerformancePoint>();
    const bucketOfDay = new Map<string, PerformancePoint>();
    for (let day = new TZDate(data.from.getTime(), tz); day.getTime() < data.to.getTime(); day = addDays(day, 1)) {
      const start = data.granularity === 'day' ? day : data.granularity === 'week' ? startOfISOWeek(day) : startOfMonth(day);
      const bucketKey = dateKey(start);
      let point = points.get(bucketKey);
      if (!point) points.set(bucketKey, (point = { start: new Date(start.getTime()), clicks: 0, signups: 0, qualified: 0, earnings: 0 }));
      bucketOfDay.set(`d:${dateKey(day)}`, point);
    }
    for (const [field, m] of SERIES_METRICS) {
      for (const c of await work.tx.counters.listRange(ctx.scope, owners, statName(m), first, last)) {
        const point = bucketOfDay.get(c.period);
        if (point) point[field] += c.value;
      }
    }
    const signups = await keyed(work, owners, breakdownName('signups'));
    const qualified = await keyed(work, owners, breakdownName('qualified'));
    const breakdown = (prefix: string) =>
      [...signups.keys()]
        .filter((k) => k.startsWith(prefix))
        .map((k) => ({ key: k.slice(prefix.length), signups: signups.get(k) ?? 0, qualified: qualified.get(k) ?? 0 }))
        .sort((a, b) => b.signups - a.signups || (a.key < b.key ? -1 : 1));
    return {
      granularity: data.granularity,
      series: [...points.values()],
      timeToConversion: data.userId === undefined ? await programTimeToConversion(work) : await timeToConversion(work, data.userId),
      channels: breakdown('s:').map(({ key, ...rest }) => ({ source: key, ...rest })),
      countries: breakdown('c:').map(({ key, ...rest }) => ({ country: key, ...rest })),
    };
  });
}

/** Most referrals read for the time to conversion: a referrer's whole history up to this size. */
const CONVERSION_SAMPLE = 100_000;

async function timeToConversion(work: Work, userId: string): Promise<Performance['timeToConversion']> {
  const durations = (await work.tx.referrals.listByReferrer(work.scope, userId, { limit: CONVERSION_SAMPLE }))
    .filter((r) => r.qualifiedAt !== null)
    .map((r) => r.qualifiedAt!.getTime() - r.attributedAt.getTime())
    .sort((a, b) => a - b);
  return percentiles(durations.map((d) => [d, 1]));
}

/** The program's figure, from the histogram counters (a few hundred rows at most, however many referrals). */
async function programTimeToConversion(work: Work): Promise<Performance['timeToConversion']> {
  const histogram = await keyed(work, PROGRAM_OWNERS, CONVERSION_COUNTER);
  return percentiles([...histogram].map(([bucket, count]) => [Number(bucket), count] as [number, number]).sort((a, b) => a[0] - b[0]));
}

/** Nearest-rank median and 90th percentile of durations given as [duration, how many] in ascending order: a duration some referral took. */
function percentiles(counted: [number, number][]): Performance['timeToConversion'] {
  const count = counted.reduce((sum, [, n]) => sum + n, 0);
  if (count === 0) return null;
  const rank = (p: number) => {
    const wanted = Math.max(1, Math.ceil((p / 100) * count));
    let seen = 0;
    for (const [duration, n] of counted) if ((seen += n) >= wanted) return duration;
    return counted[counted.length - 1]![0];
  };
  return { count, medianMs: rank(50), p90Ms: rank(90) };
}
