/**
 * `POST /webhooks/stripe`: Stripe → onehop. The raw body is verified with
 * `stripe.webhooks.constructEvent` before anything is read from it; a bad
 * signature is refused with 400 and writes nothing.
 */

import type { Onehop } from '@onehop/core';
import { Hono } from 'hono';
import Stripe from 'stripe';
import { applyStripeEvent, type StripeEventLike } from './stripe-webhooks';

// Only the webhook helpers are used: no API key is needed to verify signatures.
const stripe = new Stripe('sk_test_onehop_example_not_a_real_key');

export interface WebhookOptions {
  onehop: Onehop;
  /** The webhook endpoint's signing secret (`whsec_…`). */
  stripeWebhookSecret: string;
}

export function webhookRoutes({ onehop, stripeWebhookSecret }: WebhookOptions): Hono {
  const app = new Hono();
  app.post('/webhooks/stripe', async (c) => {
    const raw = await c.req.text();
    let event: StripeEventLike;
    try {
      event = stripe.webhooks.constructEvent(raw, c.req.header('stripe-signature') ?? '', stripeWebhookSecret) as unknown as StripeEventLike;
    } catch {
      return c.json({ error: 'invalid signature' }, 400);
    }
    return c.json(await applyStripeEvent(onehop, event));
  });
  return app;
}
