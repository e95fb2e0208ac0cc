import * as z from 'zod';

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
 * An integer amount of minor units as an exact decimal string in major units,
 * e.g. `decimalAmount(1999, 'USD')` gives `19.99`, `decimalAmount(5, 'KWD')`
 * gives `0.005`, `decimalAmount(500, 'JPY')` gives `500`: the form payment
 * APIs and bank files take. Built from the integer's digits, never through a
 * float, so it is exact for every safe integer.
 */
export function decimalAmount(minorUnits: number, currency: string): string {
  if (!Number.isSafeInteger(minorUnits)) throw new RangeError(`An amount must be a safe integer of minor units, got ${minorUnits}.`);
  const exponent = currencyExponent(currency);
  const digits = String(Math.abs(minorUnits)).padStart(exponent + 1, '0');
  const sign = minorUnits < 0 ? '-' : '';
  return exponent === 0 ? sign + digits : `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/**
 * Formats an integer amount of minor units for people, e.g. `formatMoney(1999, 'USD')`
 * gives `$19.99`. Display only: never parse the result back into an amount.
 */
export function formatMoney(minorUnits: number, currency: string, locale = 'en-US'): string {
  // The decimal string is built from integers so no float rounding ever shows.
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(decimalAmount(minorUnits, currency) as unknown as number);
}
