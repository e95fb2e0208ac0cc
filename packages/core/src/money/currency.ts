import * as z from 'zod';

/**
 * ISO 4217 currencies and their minor-unit exponents (JPY 0, USD 2, KWD 3).
 *
 * Which codes exist comes from the runtime's ICU data (`Intl`):
 * `Intl.supportedValuesOf` is in Node 18 and later, Chrome and Edge 99,
 * Firefox 93 and Safari 15.4. The exponents do not: ICU's are CLDR's
 * display digits, which differ from ISO 4217's minor units for about twenty
 * currencies (CLDR shows HUF, IDR, COP and PKR without decimals, ISO 4217
 * and the payment providers count them in hundredths) and change between
 * ICU versions. A stored amount must mean the same on every runtime, so the
 * exponents are ISO 4217's (its list one), from the table below: two
 * unless listed.
 */
const ISO_4217_EXPONENTS: Readonly<Record<string, number>> = {
  // No minor unit.
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  // Thousandths.
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  // Ten-thousandths (units of account).
  CLF: 4,
  UYW: 4,
};

/** Codes ISO 4217 gives no minor unit at all (metals, funds, testing): no amount can be counted in them. */
const NO_MINOR_UNIT = new Set(['XAG', 'XAU', 'XBA', 'XBB', 'XBC', 'XBD', 'XDR', 'XPD', 'XPT', 'XSU', 'XTS', 'XUA', 'XXX']);

let supported: ReadonlySet<string> | undefined;

function supportedCurrencies(): ReadonlySet<string> {
  supported ??= new Set(Intl.supportedValuesOf('currency'));
  return supported;
}

/** Whether `code` is an ISO 4217 currency code the runtime knows (upper case, 3 letters). */
export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && !NO_MINOR_UNIT.has(code) && supportedCurrencies().has(code);
}

/** A currency code, checked against the ISO 4217 list: `QQQ` is refused as no currency, not as another one. */
export const currencyCodeSchema = z.string().refine(isCurrencyCode, 'must be an ISO 4217 currency code in upper case, e.g. "USD"');

/**
 * Number of minor-unit digits of an ISO 4217 currency: 2 for USD (cents),
 * 0 for JPY, 3 for KWD, 2 for HUF. Amounts in onehop are integers in these
 * minor units, ISO 4217's on every runtime (see the table above).
 */
export function currencyExponent(code: string): number {
  if (!isCurrencyCode(code)) throw new RangeError(`Unknown ISO 4217 currency code "${code}".`);
  return ISO_4217_EXPONENTS[code] ?? 2;
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
  // The decimal string is built from integers so no float rounding ever shows, and shown with the
  // currency's ISO 4217 digits: ICU's (CLDR's) would round HUF 19.99 to HUF 20.
  const digits = currencyExponent(currency);
  return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
    decimalAmount(minorUnits, currency) as unknown as number,
  );
}
