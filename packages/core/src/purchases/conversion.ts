import type { ProgramConfig } from '../config/program';
import type { EngineContext } from '../engine/context';
import { CurrencyMismatchError, ExchangeRateUnavailableError } from '../errors/errors';
import { convertAmount, exchangeRateQuoteSchema, parseRate } from '../money/exchange-rate';
import type { Conversion, SourceEventDetails } from '../store/records';

/** An amount in the event's currency and in the program's, with the conversion between them (null in the program's currency). */
export interface ConvertedAmount {
  programAmount: number;
  conversion: Conversion | null;
}

/**
 * Asks the program's rate provider for the rate of a purchase in a foreign
 * currency: before anything is read or written (the provider may call an
 * API), so its failure records nothing. In the program's currency it asks
 * nothing; without a provider a foreign currency is refused, with a hint
 * saying how to add one.
 */
export async function convertPurchase(ctx: EngineContext, amount: number, currency: string, at: Date): Promise<ConvertedAmount> {
  const to = ctx.program.currency;
  if (currency === to) return { programAmount: amount, conversion: null };
  const provider = ctx.exchangeRates;
  if (!provider) {
    throw new CurrencyMismatchError(
      to,
      currency,
      `To accept it, pass an exchange rate provider to createOnehop({ exchangeRates }) (fixedExchangeRates({ '${currency}/${to}': '1.0845' }) for a fixed table), or send amounts in ${to} minor units.`,
    );
  }
  let quote: unknown;
  try {
    quote = await provider.rate({ from: currency, to, at: new Date(at.getTime()) });
  } catch (error) {
    throw new ExchangeRateUnavailableError(currency, to, error instanceof Error ? error.message : String(error), { cause: error });
  }
  const checked = exchangeRateQuoteSchema.safeParse(quote);
  if (!checked.success)
    throw new ExchangeRateUnavailableError(
      currency,
      to,
      `the provider answered no rate (${checked.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}).`,
    );
  const rate = parseRate(checked.data.rate)!;
  const conversion: Conversion = { amount, currency, rate: rate.rate, rateScale: rate.rateScale, rateAt: checked.data.at.toISOString() };
  return { programAmount: convertAmount(amount, currency, to, rate, roundingOf(ctx.program)), conversion };
}

/**
 * A refund's or chargeback's `amount` (in its purchase's currency) in the
 * program's currency, at the purchase's rate: so refunds of a whole purchase
 * add up to it, and its lines are reversed by the share refunded of the
 * original amount, which nets a full refund to exactly zero.
 */
export function convertAtPurchaseRate(program: ProgramConfig, purchase: SourceEventDetails | null, amount: number): ConvertedAmount {
  const c = purchase?.conversion ?? null;
  if (c === null) return { programAmount: amount, conversion: null };
  return { programAmount: convertAmount(amount, c.currency, program.currency, c, roundingOf(program)), conversion: { ...c, amount } };
}

/** The program's rounding mode, which conversions use too. */
const roundingOf = (program: ProgramConfig) => program.commission?.rounding ?? 'half_even';
