import { type InScopeContext, inScope, type LineContext, rateOf } from '../commissions/calculate';
import type { Reward, RewardCondition } from '../config/group';
import type { RoundingMode } from '../money/rounding';
import type { CommissionCalculation } from '../store/records';
import type { GroupTerms } from './group-of';

/*
 * The rewards of a group, decided without I/O. The order and precedence:
 *
 * 1. The group's base line (its `commission` rule, with its precedence:
 *    the participant's own rate or amount, a product override, a promotion,
 *    the tier, the base rule) is decided first.
 * 2. Then each `lead` or `sale` reward of the group, in the order written,
 *    whose event this is and whose conditions hold, makes a line of its own
 *    at its own rate or amount. Promotions, product overrides and the
 *    participant's own rate or amount never change a reward's line: a reward
 *    is already the targeted term.
 * 3. A reward's conditions are checked in their order: with `match: 'all'`
 *    (default) each must hold, and the line names them all; with `any` the
 *    first that holds is the one the line names. No conditions: it applies.
 * 4. Caps, last, line by line in that order: the group's per-commission cap
 *    on each line, then what is left of the referrer's cap for the period
 *    (the base line takes from it first). A line capped to zero is not made.
 *
 * `bounty` rewards are decided with the counters (`decideAccrual`).
 */

/** What a reward's conditions are checked against. */
export interface RewardFacts {
  /** The purchase, or null for a sign-up. `number` is 1 for the referee's first purchase. */
  purchase: { amount: number; productId: string | null; planId: string | null; metadata: Record<string, unknown> | null; number: number } | null;
  /** The referee's country, if known. */
  refereeCountry: string | null;
}

function holds(condition: RewardCondition, facts: RewardFacts): boolean {
  const p = facts.purchase;
  switch (condition.type) {
    case 'product':
      return p !== null && p.productId !== null && condition.productIds.includes(p.productId);
    case 'plan':
      return p !== null && p.planId !== null && condition.planIds.includes(p.planId);
    case 'amount':
      return p !== null && (condition.min === undefined || p.amount >= condition.min) && (condition.max === undefined || p.amount <= condition.max);
    case 'country':
      return facts.refereeCountry !== null && condition.countries.includes(facts.refereeCountry.toUpperCase());
    case 'first_purchase':
      return p !== null && (p.number === 1) === condition.is;
    case 'metadata': {
      const value = p?.metadata?.[condition.key];
      return value !== undefined && condition.values.some((v) => v === value);
    }
  }
}

/** The indexes of the conditions that make the reward apply (all of them, or the first that holds with `any`), or null when it does not. */
export function conditionsMet(reward: { conditions: RewardCondition[]; match: 'all' | 'any' }, facts: RewardFacts): number[] | null {
  if (reward.conditions.length === 0) return [];
  if (reward.match === 'any') {
    const first = reward.conditions.findIndex((c) => holds(c, facts));
    return first < 0 ? null : [first];
  }
  return reward.conditions.every((c) => holds(c, facts)) ? reward.conditions.map((_, i) => i) : null;
}

/** One reward line due for an event. */
export interface RewardLine {
  reward: Reward;
  amount: number;
  calculation: CommissionCalculation;
  capped: boolean;
}

/**
 * The `lead` (on a sign-up) or `sale` (on a purchase in the reward's scope)
 * lines of a group for one event, in the group's order, capped with what is
 * left of the referrer's period cap (`capRemaining`, null without one).
 */
export function rewardLines(
  group: GroupTerms,
  event: InScopeContext & { trigger: 'signup' | 'purchase'; conversion?: LineContext['conversion'] },
  facts: RewardFacts,
  capRemaining: number | null,
): RewardLine[] {
  const rounding: RoundingMode = group.commission?.rounding ?? 'half_even';
  const perCommission = group.commission?.caps.perCommission;
  let remaining = capRemaining;
  const lines: RewardLine[] = [];
  for (const reward of group.rewards) {
    if (reward.event === 'bounty') continue;
    if (reward.event === 'lead' ? event.trigger !== 'signup' : event.trigger !== 'purchase' || !inScope(reward.scope, event)) continue;
    const matched = conditionsMet(reward, facts);
    if (matched === null) continue;
    const rateBps = reward.event === 'sale' ? reward.rateBps : undefined;
    const baseAmount = rateBps !== undefined ? (facts.purchase?.amount ?? 0) : 0;
    // A rate on a purchase in another currency is rounded once, from the exact converted value, as the base line is.
    const uncapped = rateBps !== undefined ? rateOf(baseAmount, rateBps, rounding, event.conversion) : (reward.amount ?? 0);
    let amount = uncapped;
    let cappedBy: CommissionCalculation['cappedBy'];
    if (perCommission !== undefined && amount > perCommission) {
      amount = perCommission;
      cappedBy = 'per_commission';
    }
    if (remaining !== null && amount > remaining) {
      amount = Math.max(0, remaining);
      cappedBy = 'per_referrer_period';
    }
    if (remaining !== null) remaining -= amount;
    const productId = facts.purchase?.productId ?? null;
    const calculation: CommissionCalculation = {
      rule: 'reward',
      source: 'reward',
      ...(group.id !== 'default' ? { group: group.id } : {}),
      rewardId: reward.id,
      event: reward.event,
      conditions: matched,
      ...(productId !== null ? { productId } : {}),
      ...(rateBps !== undefined ? { rateBps } : { fixedAmount: reward.amount ?? 0 }),
      baseAmount,
      rounding,
      uncapped,
      ...(rateBps !== undefined && event.conversion ? { conversion: event.conversion.original } : {}),
      ...(cappedBy ? { cappedBy } : {}),
    };
    lines.push({ reward, amount, calculation, capped: cappedBy !== undefined });
  }
  return lines;
}
