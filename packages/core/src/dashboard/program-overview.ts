import { ALL, PROGRAM_OWNERS, statName } from '../counters/stats';
import { type EngineContext, parse } from '../engine/context';
import type { Bucket, ReferralRecord } from '../store/records';
import { BUCKETS } from '../store/records';
import {
  type PeriodInput,
  periodInputSchema,
  type ReferralsByStatusInput,
  referralsByStatusInputSchema,
  type TopReferrersInput,
  topReferrersInputSchema,
} from './inputs';
import { dayRange, metrics } from './shared';

export interface ProgramOverview {
  currency: string;
  from: Date;
  to: Date;
  /** Flows within the period. */
  period: {
    accrued: number;
    reversed: number;
    approved: number;
    payoutsRequested: number;
    paid: number;
    /** Purchases of referred customers. */
    revenue: number;
    clicks: number;
    signups: number;
    qualified: number;
  };
  /** What the program's accounts hold now, by bucket. */
  now: Record<Bucket, number>;
}

export async function programOverview(ctx: EngineContext, input: PeriodInput): Promise<ProgramOverview> {
  const data = parse(periodInputSchema, input);
  return ctx.read(async (work) => {
    const range = dayRange(ctx, data.from, data.to);
    const flows = await metrics(
      work,
      PROGRAM_OWNERS,
      ['earned', 'reversed', 'approved', 'requested', 'paid', 'revenue', 'clicks', 'signups', 'qualified'] as const,
      range,
    );
    const totals = await work.tx.counters.sum(
      ctx.scope,
      PROGRAM_OWNERS,
      BUCKETS.map((b) => `bucket.${b}`),
      ALL,
      ALL,
    );
    const now = Object.fromEntries(BUCKETS.map((b) => [b, totals[`bucket.${b}`] ?? 0])) as Record<Bucket, number>;
    return {
      currency: ctx.program.currency,
      from: data.from,
      to: data.to,
      period: {
        // Accrued in the period is what was earned plus what was taken back.
        accrued: flows.earned + flows.reversed,
        reversed: flows.reversed,
        approved: flows.approved,
        payoutsRequested: flows.requested,
        paid: flows.paid,
        revenue: flows.revenue,
        clicks: flows.clicks,
        signups: flows.signups,
        qualified: flows.qualified,
      },
      now,
    };
  });
}

/** The program's referrals with one status, oldest first; pass the last id as `cursor`. */
export async function referralsByStatus(ctx: EngineContext, input: ReferralsByStatusInput): Promise<ReferralRecord[]> {
  const data = parse(referralsByStatusInputSchema, input);
  return ctx.read((work) => work.tx.referrals.listByStatus(ctx.scope, data.status, { limit: data.limit, cursor: data.cursor }));
}

/** The referrers with the most net earnings or qualified referrals, in a period or all time. */
export async function topReferrers(ctx: EngineContext, input: TopReferrersInput = {}): Promise<{ userId: string; value: number }[]> {
  const data = parse(topReferrersInputSchema, input);
  const name = statName(data.by === 'earnings' ? 'earned' : 'qualified');
  return ctx.read(async (work) => {
    const range = data.from && data.to ? dayRange(ctx, data.from, data.to) : { first: ALL, last: ALL };
    return (await work.tx.counters.top(ctx.scope, name, range.first, range.last, data.limit, PROGRAM_OWNERS)).map((r) => ({ userId: r.ownerId, value: r.value }));
  });
}
