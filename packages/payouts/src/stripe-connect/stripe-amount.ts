import { currencyExponent } from '@onehop/core';

/**
 * Currencies whose amounts Stripe takes with more decimals than ISO 4217
 * gives them: Stripe's currency guide lists ISK as a special case, still sent
 * as a two-decimal amount (a whole number of krónur times 100).
 */
const STRIPE_EXPONENTS: Readonly<Record<string, number>> = { ISK: 2 };

/**
 * Stripe's three-decimal currencies take amounts whose last digit is 0
 * (Stripe's currency guide: they are rounded to the nearest ten).
 */
const LAST_DIGIT_ZERO = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

/**
 * An amount in onehop's minor units (the ISO 4217 exponent) as the integer
 * Stripe takes, or why Stripe cannot take it. Integer arithmetic only.
 */
export function stripeAmount(amount: number, currency: string): { amount: number } | { refused: string } {
  const shift = (STRIPE_EXPONENTS[currency] ?? currencyExponent(currency)) - currencyExponent(currency);
  const value = amount * 10 ** shift;
  if (!Number.isSafeInteger(value)) return { refused: `${amount} minor units of ${currency} are more than Stripe can take.` };
  if (LAST_DIGIT_ZERO.has(currency) && value % 10 !== 0) return { refused: `Stripe takes ${currency} amounts in multiples of 10 minor units; ${amount} is not one.` };
  return { amount: value };
}
