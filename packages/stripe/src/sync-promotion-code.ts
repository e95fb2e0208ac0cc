import { type ProgramConfig, ValidationError } from '@onehop/core';
import type Stripe from 'stripe';
import { callStripe, isMissing } from './call-stripe';
import { idOf } from './stripe-fields';

export interface SyncPromotionCodeInput {
  /** The program (`onehop.program`): its `refereeDiscount` is the coupon, its currency the currency of an amount off. */
  program: Pick<ProgramConfig, 'id' | 'currency' | 'refereeDiscount'>;
  /** The referrer whose code it is. */
  referrerId: string;
  /** The referrer's referral code: the promotion code customers type. */
  code: string;
  /** `false` deactivates the referrer's promotion code (suspended referrer, retired code). Default true. */
  active?: boolean;
}

export interface SyncPromotionCodeResult {
  /** The coupon of the program's discount (one per discount, shared by every referrer). */
  couponId: string;
  couponCreated: boolean;
  /** The referrer's active promotion code, null when deactivated. */
  promotionCodeId: string | null;
  promotionCodeCreated: boolean;
  /** Promotion codes with this code that were deactivated: an earlier discount's, another referrer's, or this one when `active` is false. */
  deactivated: string[];
}

/** Stripe's id for the coupon of a discount: the same discount, the same coupon. */
function couponIdOf(program: SyncPromotionCodeInput['program'], discount: NonNullable<ProgramConfig['refereeDiscount']>): string {
  const off = discount.type === 'percentage' ? `pct${discount.rateBps}` : `amt${discount.amount}${program.currency.toLowerCase()}`;
  const duration = discount.duration.type === 'once' ? 'once' : `m${discount.duration.months}`;
  return `onehop_${program.id.replace(/[^A-Za-z0-9_-]/g, '_')}_${off}_${duration}`;
}

/**
 * Creates, and keeps in sync, the Stripe coupon of the program's
 * `refereeDiscount` and a promotion code per referrer whose code is the
 * referral code, so a customer can type a friend's code at checkout. Run it
 * when a referrer enrolls, replaces their code, is suspended or reinstated,
 * or when the discount changes; it is idempotent. Coupons cannot change their
 * amount, so a changed discount gets a new coupon (its id names the
 * discount) and the promotion code moves to it: the old one is deactivated
 * and a new one with the same code is created. A customer who uses it is
 * attributed by `handleStripeEvent` (the session's promotion code becomes
 * `promoCode` of the purchase).
 */
export async function syncPromotionCode(stripe: Stripe, input: SyncPromotionCodeInput): Promise<SyncPromotionCodeResult> {
  const discount = input.program.refereeDiscount;
  if (!discount) {
    throw new ValidationError([{ field: 'program.refereeDiscount', message: 'the program defines no referee discount' }], {
      hint: 'Set refereeDiscount in the program configuration: the Stripe coupon is made from it.',
    });
  }
  const couponId = couponIdOf(input.program, discount);
  let couponCreated = false;
  try {
    await callStripe(`retrieve coupon ${couponId}`, () => stripe.coupons.retrieve(couponId));
  } catch (error) {
    if (!isMissing(error)) throw error;
    await callStripe(`create coupon ${couponId}`, () =>
      stripe.coupons.create({
        id: couponId,
        name: 'Referral discount',
        ...(discount.type === 'percentage' ? { percent_off: discount.rateBps / 100 } : { amount_off: discount.amount, currency: input.program.currency.toLowerCase() }),
        ...(discount.duration.type === 'once' ? { duration: 'once' as const } : { duration: 'repeating' as const, duration_in_months: discount.duration.months }),
        metadata: { onehopProgram: input.program.id },
      }),
    );
    couponCreated = true;
  }

  const listed = await callStripe(`list promotion codes ${input.code}`, () => stripe.promotionCodes.list({ code: input.code, active: true, limit: 100 }));
  const wanted = input.active !== false;
  const isOurs = (p: Stripe.PromotionCode) => idOf(p.promotion.coupon) === couponId && p.metadata?.onehopReferrerId === input.referrerId;
  const keep = wanted ? listed.data.find(isOurs) : undefined;
  const deactivated: string[] = [];
  for (const p of listed.data) {
    if (p === keep) continue;
    await callStripe(`deactivate promotion code ${p.id}`, () => stripe.promotionCodes.update(p.id, { active: false }));
    deactivated.push(p.id);
  }
  if (!wanted) return { couponId, couponCreated, promotionCodeId: null, promotionCodeCreated: false, deactivated };
  if (keep) return { couponId, couponCreated, promotionCodeId: keep.id, promotionCodeCreated: false, deactivated };
  const created = await callStripe(`create promotion code ${input.code}`, () =>
    stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: couponId },
      code: input.code,
      metadata: { onehopReferrerId: input.referrerId, onehopProgram: input.program.id },
    }),
  );
  return { couponId, couponCreated, promotionCodeId: created.id, promotionCodeCreated: true, deactivated };
}
