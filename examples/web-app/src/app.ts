/**
 * The reference app's HTTP routes, on Hono (Fetch standard: the same app runs
 * on Node, Bun, Deno or a worker). `main.ts` starts it on Node.
 */
import { Hono } from 'hono';
import type { Onehop } from '@onehop/core';
import Stripe from 'stripe';
import { applyStripeEvent, type StripeEventLike } from './stripe-webhooks';

export interface AppOptions {
  onehop: Onehop;
  /** The webhook endpoint's signing secret (`whsec_…`). */
  stripeWebhookSecret: string;
}

// Only the webhook helpers are used: no API key is needed to verify signatures.
const stripe = new Stripe('sk_test_onehop_example_not_a_real_key');

export function createApp({ onehop, stripeWebhookSecret }: AppOptions): Hono {
  const app = new Hono();

  // Stripe → onehop. The raw body is verified before anything is read from it;
  // a bad signature is refused and writes nothing.
  app.post('/webhooks/stripe', async (c) => {
    const raw = await c.req.text();
    let event: StripeEventLike;
    try {
      event = stripe.webhooks.constructEvent(raw, c.req.header('stripe-signature') ?? '', stripeWebhookSecret) as unknown as StripeEventLike;
    } catch {
      return c.json({ error: 'invalid signature' }, 400);
    }
    const outcome = await applyStripeEvent(onehop, event);
    return c.json(outcome);
  });

  return app;
}
