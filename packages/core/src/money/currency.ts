import { z } from 'zod';

/**
 * ISO 4217 currencies and their minor-unit exponents (JPY 0, USD 2, KWD 3).
 *
 * The list and the exponents come from the runtime's ICU data (`Intl`), which
 * tracks ISO 4217, so onehop carries no table of its own that could go stale.
 * `Intl.supportedValuesOf` is in Node 18 and later, Chrome and Edge 99,
 * Firefox 93 and Safari 15.4.
 */

let supported: ReadonlySet<string> | undefined;

function supportedCurrencies(): ReadonlySet<string> {
  supported ??= new Set(Intl.supportedValuesOf('currency'));
  return supported;
}

/** Whether `code` is an ISO 4217 currency code the runtime knows (upper case, 3 letters). */
export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && supportedCurrencies().has(code);
}

/** A currency code, checked against the ISO 4217 list: `QQQ` is refused as no currency, not as another one. */
export const currencyCodeSchema = z.string().refine(isCurrencyCode, 'must be an ISO 4217 currency code in upper case, e.g. "USD"');

const exponents = new Map<string, number>();

/**
 * Number of minor-unit digits of an ISO 4217 currency: 2 for USD (cents),
 * 0 for JPY, 3 for KWD. Amounts in onehop are integers in these minor units.
 */
export function currencyExponent(code: string): number {
  let exponent = exponents.get(code);
  if (exponent === undefined) {
    if (!isCurrencyCode(code)) throw new RangeError(`Unknown ISO 4217 currency code "${code}".`);
    exponent = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits as number;
    exponents.set(code, exponent);
  }
  return exponent;
}

/**
 * Formats an integer amount of minor units for people, e.g. `formatMoney(1999, 'USD')`
 * gives `$19.99`. Display only: never parse the result back into an amount.
 */
export function formatMoney(minorUnits: number, currency: string, locale = 'en-US'): string {
  const exponent = currencyExponent(currency);
  const sign = minorUnits < 0 ? '-' : '';
  const abs = Math.abs(minorUnits);
  const major = Math.trunc(abs / 10 ** exponent);
  const minor = abs % 10 ** exponent;
  // Build the decimal string from integers so no float rounding ever shows.
  const decimal = exponent === 0 ? `${major}` : `${major}.${String(minor).padStart(exponent, '0')}`;
  return sign + new Intl.NumberFormat(locale, { style: 'currency', currency }).format(decimal as unknown as number);
}
