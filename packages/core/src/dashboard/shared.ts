import { ALL, coveringRanges, type DailyMetric, dayKey, PROGRAM_OWNERS, statName } from '../counters/stats';
import type { EngineContext } from '../engine/context';
import type { Work } from '../engine/work';
import { ParticipantNotFoundError } from '../errors/errors';
import { BPS_PER_UNIT, divideRounded } from '../money/rounding';
import type { ReferralStatus } from '../store/records';

/*
 * Dashboard data, one call per panel. Every figure comes from the counters
 * the engine keeps (see counters/stats.ts), from balance rows, or from an index on one
 * referrer's rows: no call reads the program's history.
 */

/** A share in basis points (10000 = 100 %), rounded half-even; 0 when there is nothing to divide by. */
export function share(part: number, whole: number): number {
  return whole <= 0 ? 0 : Number(divideRounded(BigInt(part) * BigInt(BPS_PER_UNIT), BigInt(whole), 'half_even'));
}

/** The day keys of [from, to) in the program's time zone, first and last. */
export function dayRange(ctx: EngineContext, from: Date, to: Date): { first: string; last: string } {
  return { first: dayKey(from, ctx.program.timeZone), last: dayKey(new Date(to.getTime() - 1), ctx.program.timeZone) };
}

/** Several metrics at once (one read): all-time totals, or sums over the days of [from, to). */
export async function metrics<M extends DailyMetric>(
  work: Work,
  owners: string[],
  ms: readonly M[],
  range: { first: string; last: string } = { first: ALL, last: ALL },
): Promise<Record<M, number>> {
  // The program's shards also keep month rows: a period reads those for the months it covers.
  const ranges: [string, string][] =
    owners === PROGRAM_OWNERS && range.first !== ALL ? coveringRanges(range.first, range.last, work.ctx.today()) : [[range.first, range.last]];
  const out = Object.fromEntries(ms.map((m) => [m, 0])) as Record<M, number>;
  for (const [from, to] of ranges) {
    const sums = await work.tx.counters.sum(work.scope, owners, ms.map(statName), from, to);
    for (const m of ms) out[m] += sums[statName(m)] ?? 0;
  }
  return out;
}

/** Above every key: the largest code point, after any character a source or country holds (in UTF-8 and UTF-16 order alike). */
const LAST_KEY = '\u{10FFFF}';

/** Every key of an all-time counter family (statuses, breakdowns), summed over owners. */
export async function keyed(work: Work, owners: string[], name: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const c of await work.tx.counters.listRange(work.scope, owners, name, '', LAST_KEY)) out.set(c.period, (out.get(c.period) ?? 0) + c.value);
  return out;
}

export function statusCounts(counts: Map<string, number>): { total: number } & Record<ReferralStatus, number> {
  const pending = counts.get('pending') ?? 0;
  const qualified = counts.get('qualified') ?? 0;
  const rejected = counts.get('rejected') ?? 0;
  return { total: pending + qualified + rejected, pending, qualified, rejected };
}

export async function requireParticipant(work: Work, userId: string): Promise<void> {
  if (!(await work.tx.participants.get(work.scope, userId))) throw new ParticipantNotFoundError(userId);
}
