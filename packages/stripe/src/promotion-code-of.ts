import type Stripe from 'stripe';
import { callStripe } from './call-stripe';
import type { StripeMappingOptions } from './options';
import { obj, str } from './stripe-fields';

/**
 * The code the customer typed: the first promotion code among a session's
 * or invoice's discounts. Stripe sends it as an id unless expanded; the id
 * is resolved with the Stripe client when one is given.
 */
export async function promoCodeOf(promotionCodes: (string | Stripe.PromotionCode | null | undefined)[], options: StripeMappingOptions): Promise<string | undefined> {
  for (const promotion of promotionCodes) {
    if (!promotion) continue;
    if (typeof promotion !== 'string') return str(obj(promotion).code);
    const { stripe } = options;
    if (stripe) return str((await callStripe(`retrieve promotion code ${promotion}`, () => stripe.promotionCodes.retrieve(promotion))).code);
  }
  return undefined;
}
