import { addCalendarMonths, periodKey } from '../clock/periods';
import type { CommissionConfig, PercentageScope } from '../config/commission';
import { convertAmount } from '../money/exchange-rate';
import { applyRate, BPS_PER_UNIT, type RoundingMode } from '../money/rounding';
import type { CommissionCalculation, Conversion } from '../store/records';

/**
 * How one commission line is computed. This file is the single place where
 * the rules meet; the precedence is:
 *
 * 1. **When** a line is due: a per-referral rule (`fixed`, or `tiered` with
 *    amounts) pays once, when the referral qualifies; a per-purchase rule
 *    (`percentage`, or `tiered` with rates) pays on each purchase its scope
 *    covers (first purchase, within N months of the referral, the first N
 *    purchases, or lifetime).
 * 2. **What** it pays, first match wins: the referrer's own rate or amount
 *    (`setParticipantTerms`); else a product override for the
 *    purchased product; else a promotion active at the event time (and for
 *    the product, if the promotion names products); else the referrer's
 *    current tier; else the base rule. A rate is applied to the purchase
 *    amount; an amount is paid as is. (The rewards of a group are lines of
 *    their own: `groups/rewards.ts`.)
 * 3. **Rounding**: once per line, half-even unless the program says half-up.
 * 4. **Caps**, last: the per-commission cap, then what is left of the
 *    referrer's cap for the period. A line capped to zero is not created.
 *
 * Tiers: the tier is the one the referrer is in *before* the event, so the
 * accrual that reaches a new tier is paid at the old rate and the tier
 * applies to the accruals after it.
 */

export type Terms = { rateBps: number; amount?: undefined } | { amount: number; rateBps?: undefined };

/** What the engine knows when it computes a line. */
export interface LineContext {
  /** `signup` when the referral qualifies at sign-up, else `purchase`. */
  trigger: 'signup' | 'purchase';
  /** When the event happened (the purchase time, or the attribution time). */
  at: Date;
  purchase?: { amount: number; productId: string | null; number: number };
  referralAttributedAt: Date;
  /** This event qualifies the referral. */
  qualifiesNow: boolean;
  /** The tier counter (in the tier period) before this event. */
  tierCountBefore: number;
  /** What the referrer may still earn this cap period; null without such a cap. */
  capRemaining: number | null;
  timeZone: string;
  /** A purchase in another currency: `purchase.amount` is converted; a rate applies to the exact converted value. */
  conversion?: { original: Conversion; to: string };
  /** The referrer's own rate or amount, over everything else; when they have one. */
  custom?: Terms | undefined;
  /** The referrer's group, named on the line when it is not the default group. */
  group?: string | undefined;
}

/** What deciding whether a purchase is in a scope needs. */
export type InScopeContext = Pick<LineContext, 'purchase' | 'at' | 'referralAttributedAt' | 'timeZone'>;

export type LineOutcome = { due: false } | { due: true; amount: number; calculation: CommissionCalculation; capped: boolean };

/** Whether the rule pays once per referral (at qualification) rather than per purchase. */
export function paysPerReferral(config: CommissionConfig): boolean {
  const rule = config.rule;
  return rule.type === 'fixed' || (rule.type === 'tiered' && rule.tiers[0]?.amount !== undefined);
}

/** Whether the purchase (its number, its time) is in a scope: first purchase, first N, within N months of the referral, lifetime. */
export function inScope(scope: PercentageScope, ctx: InScopeContext): boolean {
  const purchase = ctx.purchase;
  if (!purchase) return false;
  switch (scope.type) {
    case 'first_purchase':
      return purchase.number === 1;
    case 'max_purchases':
      return purchase.number <= scope.count;
    case 'within_months':
      return ctx.at.getTime() < addCalendarMonths(ctx.referralAttributedAt, scope.months, ctx.timeZone).getTime();
    case 'lifetime':
      return true;
  }
}

/** Index of the tier a counter value is in: the last tier whose `from` it reached, else the first. */
export function tierIndex(tiers: readonly { from: number }[], count: number): number {
  let index = 0;
  tiers.forEach((tier, i) => {
    if (count >= tier.from) index = i;
  });
  return index;
}

function termsOf(t: { rateBps?: number | undefined; amount?: number | undefined }): Terms {
  return t.rateBps !== undefined ? { rateBps: t.rateBps } : { amount: t.amount ?? 0 };
}

/** Computes the referrer's commission line for an event, or says none is due. */
export function calculateLine(config: CommissionConfig, ctx: LineContext): LineOutcome {
  const rule = config.rule;
  const perReferral = paysPerReferral(config);
  if (perReferral ? !ctx.qualifiesNow : ctx.trigger !== 'purchase' || !inScope(rule.type === 'fixed' ? { type: 'lifetime' } : rule.scope, ctx)) {
    return { due: false };
  }

  const productId = ctx.purchase?.productId ?? null;
  let terms: Terms;
  let source: string;
  let promotionId: string | undefined;
  let tier: CommissionCalculation['tier'];

  const override = productId === null ? undefined : config.productOverrides.find((o) => o.productIds.includes(productId));
  const promotion = config.promotions.find(
    (p) =>
      p.start.getTime() <= ctx.at.getTime() &&
      ctx.at.getTime() < p.end.getTime() &&
      (p.productIds === undefined || (productId !== null && p.productIds.includes(productId))),
  );
  if (ctx.custom) {
    terms = ctx.custom;
    source = 'participant_terms';
  } else if (override) {
    terms = termsOf(override);
    source = 'product_override';
  } else if (promotion) {
    terms = termsOf(promotion);
    source = 'promotion';
    promotionId = promotion.id;
  } else if (rule.type === 'tiered') {
    const index = tierIndex(rule.tiers, ctx.tierCountBefore);
    const chosen = rule.tiers[index]!;
    terms = termsOf(chosen);
    source = 'tier';
    tier = {
      index,
      from: chosen.from,
      basis: rule.basis,
      period: rule.period,
      periodKey: periodKey(ctx.at, rule.period, ctx.timeZone),
      countBefore: ctx.tierCountBefore,
    };
  } else {
    terms = rule.type === 'fixed' ? { amount: rule.amount } : { rateBps: rule.rateBps };
    source = 'base';
  }

  const baseAmount = terms.rateBps !== undefined ? (ctx.purchase?.amount ?? 0) : 0;
  const uncapped = terms.rateBps !== undefined ? rateOf(baseAmount, terms.rateBps, config.rounding, ctx.conversion) : terms.amount;
  let amount = uncapped;
  let cappedBy: CommissionCalculation['cappedBy'];
  if (config.caps.perCommission !== undefined && amount > config.caps.perCommission) {
    amount = config.caps.perCommission;
    cappedBy = 'per_commission';
  }
  if (ctx.capRemaining !== null && amount > ctx.capRemaining) {
    amount = Math.max(0, ctx.capRemaining);
    cappedBy = 'per_referrer_period';
  }

  const calculation: CommissionCalculation = {
    rule: rule.type,
    source,
    ...(ctx.group !== undefined && ctx.group !== 'default' ? { group: ctx.group } : {}),
    ...(tier ? { tier } : {}),
    ...(promotionId ? { promotionId } : {}),
    ...(productId !== null ? { productId } : {}),
    ...(terms.rateBps !== undefined ? { rateBps: terms.rateBps } : { fixedAmount: terms.amount }),
    baseAmount,
    rounding: config.rounding as RoundingMode,
    uncapped,
    ...(cappedBy ? { cappedBy } : {}),
    ...(ctx.conversion ? { conversion: ctx.conversion.original } : {}),
  };
  return { due: true, amount, calculation, capped: cappedBy !== undefined };
}

/**
 * A rate applied to a purchase amount, rounded once: to the amount itself, or
 * for a purchase in another currency to its exact converted value (original
 * amount × exchange rate × rate), never to the converted amount already rounded.
 */
export function rateOf(amount: number, rateBps: number, mode: RoundingMode, conversion: LineContext['conversion']): number {
  if (!conversion) return applyRate(amount, rateBps, mode);
  const { original, to } = conversion;
  return convertAmount(original.amount, original.currency, to, original, mode, { numerator: BigInt(rateBps), denominator: BigInt(BPS_PER_UNIT) });
}
