import { periodBounds, periodKey } from '../clock/periods';
import { tierIndex } from '../commissions/calculate';
import { COUNTERS } from '../counters/names';
import { type EngineContext, parse } from '../engine/context';
import { groupOf, groupsOf } from '../groups/group-of';
import { BPS_PER_UNIT } from '../money/rounding';
import { type UserInput, userInputSchema } from './inputs';
import { requireParticipant, share } from './shared';

export type TierProgress =
  | { tiered: false }
  | {
      tiered: true;
      /** What the tiers count. */
      basis: 'qualified_referrals' | 'referred_revenue';
      /** The count so far in the current period. */
      count: number;
      /** Index of the current tier in the program's tiers, and its terms. */
      tier: number;
      rateBps: number | null;
      amount: number | null;
      /** The count at which the next tier starts, or null at the top tier. */
      nextFrom: number | null;
      /** How far from the current tier's start to the next one, in basis points (10000 at the top). */
      progressBps: number;
      /** When the count starts again (the next period), or null for all-time tiers. */
      resetsAt: Date | null;
    };

/**
 * Where a referrer stands in the program's tiers. A tier applies to the
 * accruals after the one that reaches it (see docs/commissions.md), so the
 * current tier here is the one the next accrual earns at.
 */
export async function tierProgress(ctx: EngineContext, input: UserInput): Promise<TierProgress> {
  const { userId } = parse(userInputSchema, input);
  if (!groupsOf(ctx.program).some(([, g]) => g.commission?.rule.type === 'tiered')) return { tiered: false };
  return ctx.read(async (work) => {
    // The tiers of the participant's group.
    await requireParticipant(work, userId);
    const rule = groupOf(ctx.program, await work.tx.participants.get(ctx.scope, userId)).commission?.rule;
    if (rule?.type !== 'tiered') return { tiered: false };
    const now = ctx.clock.now();
    const name = rule.basis === 'qualified_referrals' ? COUNTERS.qualified : COUNTERS.revenue;
    const count = await work.tx.counters.get(ctx.scope, userId, name, periodKey(now, rule.period, ctx.program.timeZone));
    const tier = tierIndex(rule.tiers, count);
    const current = rule.tiers[tier]!;
    const next = rule.tiers[tier + 1];
    return {
      tiered: true,
      basis: rule.basis,
      count,
      tier,
      rateBps: current.rateBps ?? null,
      amount: current.amount ?? null,
      nextFrom: next?.from ?? null,
      progressBps: next ? share(count - current.from, next.from - current.from) : BPS_PER_UNIT,
      resetsAt: periodBounds(now, rule.period, ctx.program.timeZone).end,
    };
  });
}
