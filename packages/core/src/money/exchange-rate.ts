import * as z from 'zod';
import { currencyExponent } from './currency';
import { divideRounded, type RoundingMode } from './rounding';

/*
 * Exchange rates, held exactly. A rate is how many major units of the
 * program's currency one major unit of the foreign currency buys (EUR → USD
 * 1.0845). Providers give it as a decimal string, the form rate APIs publish
 * (a JavaScript number cannot hold 1.0845 exactly); onehop keeps it as two
 * integers, `rate` scaled by 10^`rateScale` (1.0845 is `rate: 10845,
 * rateScale: 4`), and converts minor units with integer arithmetic:
 *
 *   programMinor = amountMinor × rate × 10^programExponent / (10^rateScale × 10^foreignExponent)
 *
 * rounded once, in the program's rounding mode. No float is ever stored.
 */

/** What a rate provider answers: the rate and the time it was quoted. */
export interface ExchangeRateQuote {
  /**
   * Major units of `to` per one major unit of `from`, as a decimal string
   * (e.g. `'1.0845'`): up to 15 significant digits, at most 12 after the
   * point, greater than zero.
   */
  rate: string;
  /** When the rate was published or fetched, stored with every amount converted with it. */
  at: Date;
}

/** What the engine asks a rate provider: the rate from the event's currency to the program's at the event's time. */
export interface ExchangeRateRequest {
  /** The event's ISO 4217 currency. */
  from: string;
  /** The program's ISO 4217 currency. */
  to: string;
  /** When the purchase happened. */
  at: Date;
}

/**
 * Where the engine gets exchange rates (`createOnehop({ exchangeRates })`),
 * e.g. a call to your rates API or a table your application refreshes. The
 * engine calls it before it reads or writes anything, outside any
 * transaction; whatever it throws becomes `ExchangeRateUnavailableError` and
 * nothing is recorded.
 */
export interface ExchangeRateProvider {
  rate(request: ExchangeRateRequest): ExchangeRateQuote | Promise<ExchangeRateQuote>;
}

/** What `createOnehop` checks of `exchangeRates`: an object with a `rate` function. */
export const exchangeRateProviderSchema = z
  .looseObject({ rate: z.custom<ExchangeRateProvider['rate']>((v) => typeof v === 'function', 'must be a function ({ from, to, at }) => { rate, at }') })
  .optional();

/** A rate as onehop stores it: `rate × 10^-rateScale` major units of the program's currency per major unit of the foreign one. */
export interface ExactRate {
  rate: number;
  rateScale: number;
}

const RATE_PATTERN = /^(\d{1,15})(?:\.(\d{1,12}))?$/;

/** A decimal rate string as an exact rate (trailing zeros dropped), or null when it is not a positive decimal onehop can hold exactly. */
export function parseRate(text: string): ExactRate | null {
  const match = RATE_PATTERN.exec(text);
  if (!match) return null;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  const digits = (match[1]! + fraction).replace(/^0+(?=\d)/, '');
  if (digits.length > 15 || /^0+$/.test(digits)) return null;
  return { rate: Number(digits), rateScale: fraction.length };
}

/** An exact rate as the decimal string it stands for (`{ rate: 10845, rateScale: 4 }` → `'1.0845'`). */
export function rateText({ rate, rateScale }: ExactRate): string {
  const digits = String(rate).padStart(rateScale + 1, '0');
  return rateScale === 0 ? digits : `${digits.slice(0, -rateScale)}.${digits.slice(-rateScale)}`;
}

/** The exact factor from minor units of `from` to minor units of `to` at `rate`, as a fraction of integers. */
function conversionFactor(rate: ExactRate, from: string, to: string): { numerator: bigint; denominator: bigint } {
  return {
    numerator: BigInt(rate.rate) * 10n ** BigInt(currencyExponent(to)),
    denominator: 10n ** BigInt(rate.rateScale + currencyExponent(from)),
  };
}

/**
 * `amount` minor units of `from` in minor units of `to`, times an optional
 * further fraction (a commission rate), rounded once.
 * `convertAmount(10000, 'EUR', 'USD', { rate: 10845, rateScale: 4 })` → 10845;
 * `convertAmount(1000, 'JPY', 'KWD', { rate: 2, rateScale: 3 })` → 2000 (1000 JPY at 0.002 is 2.000 KWD).
 */
export function convertAmount(
  amount: number,
  from: string,
  to: string,
  rate: ExactRate,
  mode: RoundingMode = 'half_even',
  times: { numerator: bigint; denominator: bigint } = { numerator: 1n, denominator: 1n },
): number {
  const f = conversionFactor(rate, from, to);
  const value = divideRounded(BigInt(amount) * f.numerator * times.numerator, f.denominator * times.denominator, mode);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`amount ${value} is outside the safe integer range`);
  return Number(value);
}

/** The shape a provider's answer must have; anything else is refused as no rate. */
export const exchangeRateQuoteSchema = z.object({
  rate: z.string().refine((r) => parseRate(r) !== null, 'must be a positive decimal string such as "1.0845" (at most 15 digits, 12 after the point)'),
  at: z.date({ error: 'must be a Date' }),
});

/**
 * A rate provider from a fixed table, for tests and for programs that set
 * their own rates: keys `'EUR/USD'` (from/to), values decimal strings, every
 * rate quoted at `at`. A pair not in the table throws, which the engine
 * reports as `ExchangeRateUnavailableError`.
 */
export function fixedExchangeRates(rates: Readonly<Record<string, string>>, at: Date = new Date(0)): ExchangeRateProvider {
  for (const [pair, rate] of Object.entries(rates)) {
    if (!/^[A-Z]{3}\/[A-Z]{3}$/.test(pair)) throw new RangeError(`fixedExchangeRates: "${pair}" is not a pair such as "EUR/USD".`);
    if (parseRate(rate) === null) throw new RangeError(`fixedExchangeRates: the rate of ${pair}, "${rate}", is not a positive decimal string such as "1.0845".`);
  }
  const quotedAt = new Date(at.getTime());
  return {
    rate: ({ from, to }) => {
      const rate = rates[`${from}/${to}`];
      if (rate === undefined) throw new RangeError(`No fixed rate for ${from}/${to}.`);
      return { rate, at: new Date(quotedAt.getTime()) };
    },
  };
}
