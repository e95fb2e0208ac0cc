import { decimalAmount } from '@onehop/core';

/** Currencies PayPal pays in whole units only, although ISO 4217 gives them two decimals (PayPal's currency codes list: "does not support decimals"). */
const WHOLE_UNITS_ONLY = new Set(['HUF', 'TWD']);

/** An amount in minor units as the decimal string PayPal's `amount.value` takes, or why PayPal cannot take it. */
export function paypalValue(amount: number, currency: string): { value: string } | { refused: string } {
  if (WHOLE_UNITS_ONLY.has(currency)) {
    if (amount % 100 !== 0) return { refused: `PayPal pays ${currency} in whole units; ${decimalAmount(amount, currency)} is not one.` };
    return { value: String(amount / 100) };
  }
  return { value: decimalAmount(amount, currency) };
}
