import { currencyCodeSchema, PayoutOutcomeUnknownError } from '@onehop/core';
import * as z from 'zod';
import type { PayoutProvider, PayoutSendOutcome, PayoutSendRequest } from '../contract';
import { methodOf, parseOptions } from '../send-request';
import { paypalValue } from './paypal-amount';
import { PayPalApi, type PayPalCall } from './paypal-api';
import { outcomeOfBatch, type PayPalBatch } from './paypal-status';

/** PayPal's live REST API; the sandbox is `https://api-m.sandbox.paypal.com`. */
export const PAYPAL_LIVE_URL = 'https://api-m.paypal.com';

export interface PayPalProviderOptions {
  /** The REST app's client id and secret (client-credentials OAuth 2.0). */
  clientId: string;
  clientSecret: string;
  /** The program's currency (ISO 4217): payout amounts are in its minor units. */
  currency: string;
  /** The API's base URL; defaults to {@link PAYPAL_LIVE_URL}. */
  baseUrl?: string;
  /** Time limit of each request in milliseconds (default 30,000). A payout request that runs out of time is an unknown outcome. */
  timeoutMs?: number;
  /** Subject and note of the e-mail PayPal sends the payee; no personal data. */
  emailSubject?: string;
  note?: string;
}

/** A PayPal Payouts provider, with a poll of a processing payout for applications that take no webhooks. */
export interface PayPalPayoutProvider extends PayoutProvider {
  /**
   * Reads a payout's batch (`GET /v1/payments/payouts/{id}`) and says what it
   * became: `paid`, still `processing`, or `failed`. Pass the outcome to the
   * engine's settle call once it is no longer processing. Throws
   * `PayoutOutcomeUnknownError` when PayPal does not answer.
   */
  checkStatus(payout: { payoutId: string; externalReference: string }): Promise<PayoutSendOutcome>;
}

const optionsSchema = z
  .object({
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    currency: currencyCodeSchema,
    baseUrl: z.url({ protocol: /^https?$/ }).default(PAYPAL_LIVE_URL),
    timeoutMs: z.number().int().positive().max(600_000).default(30_000),
    emailSubject: z.string().min(1).max(255).optional(),
    note: z.string().min(1).max(1000).optional(),
  })
  .strict();

const checkStatusSchema = z.object({
  payoutId: z.string().min(1).max(64),
  externalReference: z.string().regex(/^[A-Za-z0-9]+$/, 'must be a PayPal payout batch id'),
});

const BATCH_PATH = /^\/v1\/payments\/payouts\/[A-Za-z0-9]+$/;

/**
 * Pays `paypal` payouts through PayPal Payouts (`POST /v1/payments/payouts`),
 * one batch of one item per payout. The payout's idempotency key is the
 * batch's `sender_batch_id` and the `PayPal-Request-Id` header: PayPal
 * completes a payment only once per `sender_batch_id` within 30 days, answers
 * a repeated request id with the first answer, and answers a repeated
 * `sender_batch_id` with a link to the first batch, which is followed.
 *
 * PayPal pays asynchronously: a new batch is `processing` with the
 * `payout_batch_id` as its reference, until PayPal's webhook or
 * {@link PayPalPayoutProvider.checkStatus} says what became of it.
 */
export function createPayPalProvider(options: PayPalProviderOptions): PayPalPayoutProvider {
  const config = parseOptions(optionsSchema, options, 'options');
  const api = new PayPalApi(config);
  const name = 'paypal';

  /** A failure that says only that this request did nothing: on a retry of an unknown attempt, the earlier one is still unknown. */
  function transient(request: PayoutSendRequest, reason: string, cause?: unknown): PayoutSendOutcome {
    if (request.attempt > 1) throw new PayoutOutcomeUnknownError(name, request.payout.id, `${reason}, so the earlier attempt is still unknown`, { cause });
    return { status: 'failed', reason: `${reason}; nothing was sent.`, retryable: true };
  }

  /** The outcome of a batch PayPal answered with, or an unknown outcome when its answer is not one. */
  function outcomeOf(payoutId: string, body: unknown): PayoutSendOutcome {
    const outcome = outcomeOfBatch((body ?? {}) as PayPalBatch);
    if (!outcome) throw new PayoutOutcomeUnknownError(name, payoutId, 'PayPal answered without a payout batch id and status');
    return outcome;
  }

  /** The path of the first batch with this `sender_batch_id`, from the HATEOAS links of PayPal's refusal of a duplicate. */
  function duplicateOf(body: unknown): string | undefined {
    const links = (body as { links?: readonly { href?: unknown; method?: unknown }[] } | undefined)?.links ?? [];
    for (const link of links) {
      if (typeof link.href !== 'string' || (link.method !== undefined && link.method !== 'GET')) continue;
      const path = new URL(link.href, config.baseUrl).pathname;
      if (BATCH_PATH.test(path)) return path;
    }
    return undefined;
  }

  async function answerOf(request: PayoutSendRequest, call: PayPalCall): Promise<PayoutSendOutcome> {
    const payoutId = request.payout.id;
    if (call.kind === 'not-sent') return transient(request, call.reason, call.cause);
    if (call.kind === 'no-answer') throw new PayoutOutcomeUnknownError(name, payoutId, 'no answer from PayPal', { cause: call.cause });
    const { status, body } = call;
    if (status === 200 || status === 201) return outcomeOf(payoutId, body);
    // PayPal: "If you receive an HTTP 5nn status code, you can safely retry the request with the same sender_batch_id."
    if (status >= 500) throw new PayoutOutcomeUnknownError(name, payoutId, `PayPal answered HTTP ${status}`);
    const duplicate = duplicateOf(body);
    if (duplicate) {
      const first = await api.call('GET', duplicate);
      if (first.kind === 'answer' && first.status === 200) return outcomeOf(payoutId, first.body);
      throw new PayoutOutcomeUnknownError(name, payoutId, 'PayPal refused the payout as a duplicate and its first batch could not be read');
    }
    const error = (body ?? {}) as { name?: unknown; message?: unknown };
    const detail = `${typeof error.name === 'string' ? error.name : `HTTP ${status}`}${typeof error.message === 'string' ? `: ${error.message}` : ''}`;
    if (status === 401 || status === 403 || status === 429) return transient(request, `PayPal did not take the request (${detail})`);
    return { status: 'failed', reason: `PayPal refused the payout (${detail}).`, retryable: error.name === 'INSUFFICIENT_FUNDS' };
  }

  return {
    name,
    methodType: 'paypal',
    async send(request: PayoutSendRequest): Promise<PayoutSendOutcome> {
      const found = methodOf(name, 'paypal', request);
      if ('refused' in found) return found.refused;
      const amount = paypalValue(request.payout.amount, config.currency);
      if ('refused' in amount) return { status: 'failed', reason: amount.refused, retryable: false };
      // The same body on every attempt, so a repeated request id is the same request.
      const body = {
        sender_batch_header: {
          sender_batch_id: request.idempotencyKey,
          recipient_type: 'EMAIL',
          ...(config.emailSubject === undefined ? {} : { email_subject: config.emailSubject }),
        },
        items: [
          {
            recipient_type: 'EMAIL',
            amount: { value: amount.value, currency: config.currency },
            receiver: found.method.email,
            sender_item_id: request.payout.id,
            ...(config.note === undefined ? {} : { note: config.note }),
          },
        ],
      };
      const call = await api.call('POST', '/v1/payments/payouts', body, { 'paypal-request-id': request.idempotencyKey });
      return answerOf(request, call);
    },
    async checkStatus(payout): Promise<PayoutSendOutcome> {
      const { payoutId, externalReference } = parseOptions(checkStatusSchema, payout, 'payout');
      const call = await api.call('GET', `/v1/payments/payouts/${externalReference}`);
      if (call.kind === 'answer' && call.status === 200) return outcomeOf(payoutId, call.body);
      const what = call.kind === 'answer' ? `PayPal answered HTTP ${call.status}` : call.kind === 'no-answer' ? 'no answer from PayPal' : call.reason;
      throw new PayoutOutcomeUnknownError(name, payoutId, what, { cause: call.kind === 'answer' ? undefined : call.cause });
    },
  };
}
