import { TZDate } from '@date-fns/tz';
import { addDays, startOfDay } from '../clock/calendar';
import { dateKey } from '../clock/date-keys';
import type { CounterRecord, Scope } from '../store/records';
import type { StoreTransaction } from '../store/store';

/**
 * Dashboard statistics are counters the engine keeps as it works, never
 * queries over history: a dashboard reads a handful of counter rows however
 * long the ledger grows.
 *
 * - A **daily metric** is kept per owner (a referrer, or any account) for each
 *   day in the program's time zone (`d:2026-03-01`) and for all time (`all`).
 *   A period's figure is the sum of its days: at most 366 rows a year.
 * - The same metrics are kept per day and per month (`m:2026-03`) for the
 *   whole program under owners `~program:0` … `~program:7`. A transaction adds
 *   to one of those shards, chosen at random, so concurrent transactions wait
 *   on one row less often; a program figure is the sum over the shards, from
 *   month rows for the months a period covers and day rows for the rest, so
 *   a program figure reads the same few rows however busy the period was.
 * - A **status count** (`status.pending`, …) and a **bucket total**
 *   (`bucket.pending`, …) are kept for all time only: what is true now.
 *
 * Every change a transaction makes is buffered and written in one
 * `counters.addMany` call just before the transaction's work ends, sorted by
 * key, so two transactions lock shared counters in the same order.
 */
export const DAILY_METRICS = [
  /** Visits through the owner's links. */
  'clicks',
  /** Referrals attributed. */
  'signups',
  /** Referrals qualified. */
  'qualified',
  /** Referrals rejected (by a rule or an admin). */
  'rejected',
  /** Commission amounts taken back: reversals (refunds, chargebacks) and rejections. */
  'reversed',
  /** Net earnings: commission amounts accrued to the owner's account, less those reversed. Accrued = earned + reversed. */
  'earned',
  /** Commission amounts approved (made withdrawable). */
  'approved',
  /** Payout amounts requested. */
  'requested',
  /** Payout amounts paid. */
  'paid',
  /** Purchases of referred customers (minor units). */
  'revenue',
] as const;
export type DailyMetric = (typeof DAILY_METRICS)[number];

export const PROGRAM_SHARDS = 8;
export const PROGRAM_OWNERS = Array.from({ length: PROGRAM_SHARDS }, (_, i) => `~program:${i}`);
export const ALL = 'all';

/** The counter name of a metric; channel and country breakdowns add a suffix. */
export const statName = (metric: string) => `stat.${metric}`;

/** Counter names of the daily metrics, built once (the engine counts on every write). */
export const STAT_NAMES = Object.fromEntries(DAILY_METRICS.map((m) => [m, statName(m)])) as Record<DailyMetric, string>;

/** All-time count of referrals per status; the status is the counter's key. */
export const STATUS_COUNTER = 'stat.status';
/** Invitations by status now, per inviter and for the program (all-time counters keyed by status). */
export const INVITATION_COUNTER = 'stat.invitations';

/**
 * The program's time to conversion (attribution to qualification) as a
 * histogram: all-time counters keyed by the start of each duration's bucket
 * in milliseconds, a minute wide under an hour, an hour wide under two days,
 * a day wide beyond. Counted once, when a referral qualifies.
 */
export const CONVERSION_COUNTER = 'stat.conversion';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** The start of the histogram bucket of a duration (see `CONVERSION_COUNTER`): the duration cut to its resolution. */
export function conversionBucket(durationMs: number): number {
  const d = Math.max(0, durationMs);
  const width = d < HOUR_MS ? MINUTE_MS : d < 2 * DAY_MS ? HOUR_MS : DAY_MS;
  return d - (d % width);
}

/**
 * New invitations per inviter per clock hour (UTC), keyed `h:yyyy-MM-ddTHH`:
 * the invite limit sums the hours of its window (see `invitations.inviteLimit`).
 */
export const NEW_INVITATIONS_COUNTER = 'invitations.new';

/** `h:yyyy-MM-ddTHH` of the clock hour (UTC) containing `at`. */
export const hourKey = (at: Date) => `h:${at.toISOString().slice(0, 13)}`;

/** All-time breakdown of sign-ups or qualifications by channel (`s:<source>`) and country (`c:<country>`). */
export const breakdownName = (metric: 'signups' | 'qualified') => `stat.${metric}.by`;

/** `d:yyyy-MM-dd` of `at` in `timeZone`. */
export function dayKey(at: Date, timeZone: string): string {
  return `d:${dateKey(new TZDate(at.getTime(), timeZone))}`;
}

/** `m:yyyy-MM` of the month of a day key. */
export const monthOfDay = (day: string) => `m:${day.slice(2, 9)}`;

/**
 * The key ranges whose sum is the figure of the days [first, last] (day keys,
 * inclusive), for owners with month rows: month keys for every month the
 * range covers, day keys for the partial months at its ends. A month counts
 * as covered up to `today` when the range reaches it: later days have no rows yet.
 */
export function coveringRanges(first: string, last: string, today: string): [string, string][] {
  const ranges: [string, string][] = [];
  const months: string[] = [];
  for (let month = first.slice(2, 9); month <= last.slice(2, 9); month = nextMonth(month)) {
    const [y, m] = month.split('-').map(Number) as [number, number];
    const start = `d:${month}-01`;
    const end = `d:${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
    if (first <= start && (last >= end || last >= today)) months.push(`m:${month}`);
    else ranges.push([first > start ? first : start, last < end ? last : end]);
  }
  if (months.length > 0) ranges.push([months[0]!, months[months.length - 1]!]);
  return ranges;
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The start of the day containing `at` in `timeZone`, and of the next day. */
export function dayBounds(at: Date, timeZone: string): { start: Date; end: Date } {
  const start = startOfDay(new TZDate(at.getTime(), timeZone));
  return { start: new Date(start.getTime()), end: new Date(addDays(start, 1).getTime()) };
}

/** Orders counter rows by owner, name, period: the order every transaction locks shared counters in. */
function byCounterKey(a: CounterRecord, b: CounterRecord): number {
  if (a.ownerId !== b.ownerId) return a.ownerId < b.ownerId ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.period < b.period ? -1 : a.period > b.period ? 1 : 0;
}

/**
 * The counter changes of one transaction. A transaction touches a dozen
 * counters or so, so they sit in a short list found by comparing the three
 * parts (strings the engine holds, compared by identity first), not in a map
 * under a key string built for every change.
 */
export class StatBuffer {
  private rows: CounterRecord[] = [];
  readonly shard = PROGRAM_OWNERS[Math.floor(Math.random() * PROGRAM_SHARDS)]!;

  add(scope: Scope, ownerId: string, name: string, period: string, delta: number): void {
    if (delta === 0) return;
    for (const row of this.rows) {
      if (row.ownerId === ownerId && row.name === name && row.period === period) {
        row.value += delta;
        return;
      }
    }
    this.rows.push({ programId: scope.programId, mode: scope.mode, ownerId, name, period, value: delta });
  }

  /** The changes, without the ones that came to zero, in key order; the buffer is left empty. */
  take(): CounterRecord[] {
    const rows = this.rows.filter((r) => r.value !== 0).sort(byCounterKey);
    this.rows = [];
    return rows;
  }

  async flush(tx: StoreTransaction): Promise<void> {
    const rows = this.take();
    if (rows.length > 0) await tx.counters.addMany(rows);
  }
}
