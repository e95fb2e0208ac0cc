import { applyBillingEvent, type BillingEngine, type BillingEvent, type BillingOutcome, OnehopError } from '@onehop/core';
import type Stripe from 'stripe';
import { mapStripeEvent } from './map-stripe-event';
import type { StripeMappingOptions } from './options';

/**
 * What `handleStripeEvent` did with one event. Every status is an answer to
 * acknowledge (HTTP 200): `handled` (the engine's answer is in `outcome`,
 * which may itself say that nothing was earned and why), `ignored` (an event
 * onehop does not use, with the reason) and `unmapped` (a payment whose
 * customer is not known to you: nothing was written; log it).
 */
export type StripeEventResult =
  | { status: 'handled'; stripeEventId: string; stripeEventType: string; billingEvent: BillingEvent; outcome: BillingOutcome }
  | { status: 'ignored'; stripeEventId: string; stripeEventType: string; reason: string }
  | { status: 'unmapped'; stripeEventId: string; stripeEventType: string; reason: 'UNKNOWN_CUSTOMER'; message: string };

/**
 * Applies one verified Stripe event to onehop: maps it (`mapStripeEvent`)
 * and makes the engine calls (`applyBillingEvent`). Use it when you verify
 * webhooks yourself; `createStripeWebhookHandler` verifies and calls it.
 * Idempotent by Stripe's ids: a redelivered event changes nothing.
 */
export async function handleStripeEvent(onehop: BillingEngine, event: Stripe.Event, options: StripeMappingOptions = {}): Promise<StripeEventResult> {
  const base = { stripeEventId: event.id, stripeEventType: event.type };
  const mapping = await mapStripeEvent(event, options);
  if (mapping.action === 'ignore') return { status: 'ignored', ...base, reason: mapping.reason };
  if (mapping.action === 'unmapped') return { status: 'unmapped', ...base, reason: mapping.reason, message: mapping.message };
  try {
    return { status: 'handled', ...base, billingEvent: mapping.event, outcome: await applyBillingEvent(onehop, mapping.event) };
  } catch (error) {
    // A subscription's first invoice arrives twice, from its Checkout Session and from invoice.paid,
    // with the same id and other details: the second is the same payment, already recorded.
    if (
      error instanceof OnehopError &&
      error.code === 'IDEMPOTENCY_CONFLICT' &&
      mapping.event.type === 'payment_succeeded' &&
      mapping.event.billing === 'subscription_first'
    ) {
      return { status: 'ignored', ...base, reason: `the first payment of subscription ${mapping.event.subscriptionId} was already recorded from its other event` };
    }
    throw error;
  }
}
