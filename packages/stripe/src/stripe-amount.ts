import { currencyExponent } from '@onehop/core';

/**
 * Currencies whose amounts Stripe counts with other decimals than ISO 4217:
 * Stripe's currency guide lists ISK as a special case, sent as a two-decimal
 * amount (whole krónur times 100), where ISO 4217 and onehop count krónur.
 */
const STRIPE_EXPONENTS: Readonly<Record<string, number>> = { ISK: 2 };

/**
 * An amount as Stripe sends it (`amount_total`, `amount_paid`,
 * `amount_refunded`, a dispute's `amount`) in onehop's minor units, the ISO
 * 4217 exponent's. Integer arithmetic; Stripe's ISK amounts are whole krónur,
 * so the division is exact (a remainder, which Stripe does not send, is
 * dropped rather than invented).
 */
export function fromStripeAmount(amount: number, currency: string | null | undefined): number {
  // Stripe always names the currency; a payload without one is read as ISO minor units, as before.
  const code = (currency ?? '').toUpperCase();
  const stripe = STRIPE_EXPONENTS[code];
  if (stripe === undefined) return amount;
  const shift = stripe - currencyExponent(code);
  return Math.trunc(amount / 10 ** shift);
}
