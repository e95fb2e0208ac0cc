import type { BillingEngine } from '@onehop/core';
import { OnehopError } from '@onehop/core';
import type Stripe from 'stripe';
import { handleStripeEvent, type StripeEventResult } from './handle-stripe-event';
import type { StripeMappingOptions } from './options';

export interface StripeWebhookOptions extends Omit<StripeMappingOptions, 'stripe'> {
  /** Your onehop engine. */
  onehop: BillingEngine;
  /**
   * A Stripe client: its `webhooks` verify signatures, and (with its API key)
   * it resolves what events leave out (see `StripeMappingOptions.stripe`).
   */
  stripe: Stripe;
  /** `false` when the client has no usable API key: signatures are verified, and nothing is asked of Stripe's API. Default true. */
  callStripeApi?: boolean;
  /** The endpoint's signing secret (`whsec_…`). */
  webhookSecret: string;
  /** Seconds a signature stays valid (Stripe's default: 300). */
  tolerance?: number;
  /** Called with every result, e.g. to log `unmapped` payments. */
  onResult?: (result: StripeEventResult) => void | Promise<void>;
}

const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/**
 * A Fetch-standard webhook endpoint (`Request` → `Response`) for Node,
 * Bun, Deno, Cloudflare Workers and any framework that speaks Fetch:
 *
 * - the raw body is verified with `stripe.webhooks.constructEventAsync`
 *   (Web Crypto where that is all there is); a missing or bad signature is
 *   answered 400 and nothing is read or written;
 * - a verified event goes to `handleStripeEvent`; its result is the 200
 *   answer's JSON body (`handled`, `ignored` or `unmapped`);
 * - an error (the database is down) is answered 500 with its onehop code, so
 *   Stripe delivers the event again later.
 */
export function createStripeWebhookHandler(options: StripeWebhookOptions): (request: Request) => Promise<Response> {
  const { onehop, stripe, webhookSecret, tolerance, onResult, callStripeApi, ...mapping } = options;
  const lookups: StripeMappingOptions = callStripeApi === false ? mapping : { ...mapping, stripe };
  return async (request) => {
    if (request.method !== 'POST') return json(405, { error: 'method not allowed: Stripe posts webhooks' });
    const signature = request.headers.get('stripe-signature');
    if (!signature) return json(400, { error: 'missing Stripe-Signature header' });
    const payload = await request.text();
    let event: Stripe.Event;
    try {
      event = await stripe.webhooks.constructEventAsync(payload, signature, webhookSecret, tolerance);
    } catch {
      return json(400, { error: 'invalid Stripe signature' });
    }
    try {
      const result = await handleStripeEvent(onehop, event, lookups);
      await onResult?.(result);
      return json(200, result);
    } catch (error) {
      const code = error instanceof OnehopError ? error.code : 'INTERNAL_ERROR';
      return json(500, { error: code, stripeEventId: event.id });
    }
  };
}
