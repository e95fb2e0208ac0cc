/**
 * `POST /webhooks/stripe`: Stripe → onehop, through `@onehop/stripe`. The
 * raw body is verified before anything is read from it; a bad signature is
 * refused with 400 and writes nothing. The pretend checkout stands in for
 * Stripe's API here: with no API key, which invoice a PaymentIntent paid is
 * its answer (`findInvoice`).
 */

import type { Onehop } from '@onehop/core';
import { createStripeWebhookHandler } from '@onehop/stripe';
import { Hono } from 'hono';
import Stripe from 'stripe';
import { pretendInvoiceOf } from './pretend-stripe';

export interface WebhookOptions {
  onehop: Onehop;
  /** The webhook endpoint's signing secret (`whsec_…`). */
  stripeWebhookSecret: string;
}

export function webhookRoutes({ onehop, stripeWebhookSecret }: WebhookOptions): Hono {
  const handler = createStripeWebhookHandler({
    onehop,
    // Only the webhook helpers are used: no API key is needed to verify signatures.
    stripe: new Stripe('sk_test_onehop_example_not_a_real_key'),
    webhookSecret: stripeWebhookSecret,
    callStripeApi: false,
    findInvoice: pretendInvoiceOf,
  });
  return new Hono().post('/webhooks/stripe', (c) => handler(c.req.raw));
}
