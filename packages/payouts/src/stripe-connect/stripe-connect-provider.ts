import { currencyCodeSchema, PayoutOutcomeUnknownError } from '@onehop/core';
import type Stripe from 'stripe';
import * as z from 'zod';
import type { PayoutProvider, PayoutSendOutcome, PayoutSendRequest } from '../contract';
import { methodOf, parseOptions } from '../send-request';
import { stripeAmount } from './stripe-amount';

export interface StripeConnectProviderOptions {
  /**
   * A Stripe client made with the platform's secret key (`new Stripe(key, …)`).
   * Its own retries (`maxNetworkRetries`) are safe: every retry carries the
   * payout's idempotency key.
   */
  stripe: Stripe;
  /** The program's currency (ISO 4217): payout amounts are in its minor units. */
  currency: string;
  /** Shown on each transfer in the Stripe Dashboard; no personal data. */
  description?: string;
}

const optionsSchema = z
  .object({
    stripe: z.custom<Stripe>((value) => typeof value === 'object' && value !== null && 'transfers' in value, 'must be a Stripe client (new Stripe(secretKey))'),
    currency: currencyCodeSchema,
    description: z.string().min(1).max(1000).optional(),
  })
  .strict();

const ACCOUNT_ID = /^acct_[A-Za-z0-9]+$/;

/** Transfers of one payout carry this group, so a later attempt finds a transfer an earlier one made. */
function transferGroupOf(payoutId: string): string {
  return `onehop_${payoutId}`;
}

/**
 * Pays `stripe_connect` payouts as Stripe Connect transfers from the
 * platform's balance to the payee's connected account (`POST /v1/transfers`),
 * with the payout's idempotency key as the `Idempotency-Key` header. A
 * transfer is in the connected account's balance when Stripe answers, so the
 * payout is `paid`, with the transfer id as its reference.
 *
 * Stripe keeps an idempotency key for 24 hours. So that a payout retried
 * later is still never paid twice, every transfer carries the payout in its
 * `transfer_group`, and from the second attempt on the provider first looks
 * for a transfer in that group.
 */
export function createStripeConnectProvider(options: StripeConnectProviderOptions): PayoutProvider {
  const { stripe, currency, description } = parseOptions(optionsSchema, options, 'options');
  const name = 'stripe-connect';

  async function existingTransfer(request: PayoutSendRequest): Promise<Stripe.Transfer | undefined> {
    const page = await stripe.transfers.list({ transfer_group: transferGroupOf(request.payout.id), limit: 1 });
    return page.data[0];
  }

  return {
    name,
    methodType: 'stripe_connect',
    async send(request: PayoutSendRequest): Promise<PayoutSendOutcome> {
      const found = methodOf(name, 'stripe_connect', request);
      if ('refused' in found) return found.refused;
      const destination = found.method.accountId;
      if (!ACCOUNT_ID.test(destination)) return { status: 'failed', reason: 'The payout method does not hold a Stripe account id (acct_…).', retryable: false };
      const amount = stripeAmount(request.payout.amount, currency);
      if ('refused' in amount) return { status: 'failed', reason: amount.refused, retryable: false };
      if (request.attempt > 1) {
        let earlier: Stripe.Transfer | undefined;
        try {
          earlier = await existingTransfer(request);
        } catch (cause) {
          // Whatever Stripe answered, the earlier attempt's transfer could not be looked for.
          throw new PayoutOutcomeUnknownError(name, request.payout.id, 'the transfers of the payout could not be listed', { cause });
        }
        if (earlier) return { status: 'paid', externalReference: earlier.id };
      }
      try {
        // The same parameters on every attempt: Stripe refuses a key sent again with other ones.
        const transfer = await stripe.transfers.create(
          {
            amount: amount.amount,
            currency: currency.toLowerCase(),
            destination,
            transfer_group: transferGroupOf(request.payout.id),
            metadata: { onehop_payout_id: request.payout.id, onehop_program_id: request.payout.programId },
            ...(description === undefined ? {} : { description }),
          },
          { idempotencyKey: request.idempotencyKey },
        );
        return { status: 'paid', externalReference: transfer.id };
      } catch (error) {
        return refusalOrThrow(stripe, name, request, error);
      }
    },
  };
}

/**
 * Stripe's answer as a failed outcome when Stripe says the transfer was not
 * made; otherwise (no answer, a server error, a key in use) it throws
 * `PayoutOutcomeUnknownError`, following Stripe's guide to errors: network
 * errors and 500s are indeterminate and are retried with the same key; a 429
 * is answered before the request runs; a 4xx is the request's own fault and
 * the same request fails the same way.
 */
function refusalOrThrow(stripe: Stripe, name: string, request: PayoutSendRequest, error: unknown): PayoutSendOutcome {
  const errors = stripe.errors;
  const unknown = (what: string, retryable = true) => new PayoutOutcomeUnknownError(name, request.payout.id, what, { retryable, cause: error });
  if (!(error instanceof errors.StripeError)) throw unknown('the Stripe client failed');
  const detail = `${error.code ?? error.rawType ?? error.type}: ${error.message}`;
  if (error instanceof errors.StripeConnectionError) throw unknown(`no answer from Stripe (${error.message})`);
  if (error instanceof errors.StripeIdempotencyError) throw unknown(`Stripe refused the idempotency key (${detail})`, false);
  const status = error.statusCode ?? 0;
  if (status >= 500 || error instanceof errors.StripeAPIError) throw unknown(`Stripe answered ${status || 'with an API error'} (${detail})`);
  // 409: another request with this key is still running; its outcome is the payout's.
  if (status === 409) throw unknown(`another request with the same key is in flight (${detail})`);
  if (error instanceof errors.StripeRateLimitError || status === 429) return { status: 'failed', reason: `Stripe rate limit: ${detail}`, retryable: true };
  if (error instanceof errors.StripeAuthenticationError || error instanceof errors.StripePermissionError) {
    return { status: 'failed', reason: `Stripe refused the platform's API key (${detail}); fix the key, then retry.`, retryable: true };
  }
  // The platform's balance can be topped up; any other refusal needs a change to the payout or the account.
  return { status: 'failed', reason: `Stripe refused the transfer (${detail}).`, retryable: error.code === 'balance_insufficient' };
}
