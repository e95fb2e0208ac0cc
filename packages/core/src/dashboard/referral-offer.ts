import { normalizeCode } from '../codes/normalize';
import type { RefereeDiscount } from '../config/referee-discount';
import { type EngineContext, parse } from '../engine/context';
import { groupOf } from '../groups/group-of';
import { type ReferralOfferInput, referralOfferInputSchema } from './inputs';
import { type ShownReferrer, shownReferrer } from './referee-status';

/**
 * What a visitor who arrived with a referral code may be shown before they
 * sign up: whether the code can refer them, who invited them (as the
 * program's `refereeView.showReferrer` allows), and what they are offered
 * and must do. It reads; it records nothing (the click is `recordClick`).
 */
export interface ReferralOffer {
  /** The code looked up, normalised. */
  code: string;
  /**
   * Whether the code belongs to an active participant, so a sign-up with it
   * can be attributed. The fraud rules run at sign-up only: a valid code
   * may still be refused then (a self-referral, an expired click).
   */
  valid: boolean;
  /** Who invited the visitor, while the code is valid and the program allows it; otherwise null. */
  referrer: ShownReferrer | null;
  /** What qualifies the referral once they are signed up. */
  criteria: { qualifyOn: 'first_payment' | 'signup'; minimumPurchase: number };
  /** The welcome reward a referred customer is credited when the referral qualifies, or null; while the code is valid. */
  welcomeReward: { amount: number } | null;
  /** The referrer's group's `refereeDiscount` for a billing integration to apply, or null; while the code is valid. */
  discount: RefereeDiscount | null;
  currency: string;
}

/** What a visitor arriving with this code is offered: validity, the referrer as the program allows, the referee's benefits and criteria. */
export async function referralOffer(ctx: EngineContext, input: ReferralOfferInput): Promise<ReferralOffer> {
  const code = normalizeCode(parse(referralOfferInputSchema, input).code);
  const referrer =
    code === ''
      ? null
      : await ctx.read(async (work) => {
          const row = await work.tx.codes.get(ctx.scope, code);
          return row ? work.tx.participants.get(ctx.scope, row.userId) : null;
        });
  const valid = referrer?.status === 'active';
  // The referrer's group decides the welcome reward and the discount, as for a referee (refereeStatus).
  const group = groupOf(ctx.program, referrer);
  const welcome = group.commission?.welcomeReward;
  return {
    code,
    valid,
    referrer: valid ? shownReferrer(ctx, referrer) : null,
    criteria: { qualifyOn: ctx.program.qualifyOn, minimumPurchase: ctx.program.fraud.minimumPurchase },
    welcomeReward: valid && welcome ? { amount: welcome.amount } : null,
    discount: valid ? (group.refereeDiscount ?? null) : null,
    currency: ctx.program.currency,
  };
}
