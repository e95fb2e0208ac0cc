/**
 * Stripe events for the tests, shaped as Stripe's API reference documents
 * them (the Event object, and the Checkout Session, Invoice, Charge, Dispute
 * and Subscription objects it carries). Each object is built from the fields
 * the reference documents for it, checked against the `stripe` package's
 * types (`satisfies Partial<…>`); fields the mapping does not read are left
 * out. Signed with the `stripe` package's test-header helper, exactly as
 * Stripe signs a delivery.
 */
import Stripe from 'stripe';

const API_VERSION = '2026-10-28.endive';
export const WEBHOOK_SECRET = 'whsec_onehop_stripe_package_tests';
const verifier = new Stripe('sk_test_onehop_tests_not_a_real_key');

let n = 0;
const next = (prefix: string) => `${prefix}_${(++n).toString().padStart(14, '0')}`;
const seconds = (at: Date) => Math.floor(at.getTime() / 1000);

/** An Event object around `object`; `previous` is `data.previous_attributes` (update events). */
export function stripeEvent<T extends Stripe.Event['type']>(type: T, object: object, at: Date, previous?: object): Stripe.Event {
  return {
    id: next('evt'),
    object: 'event',
    api_version: API_VERSION,
    created: seconds(at),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object, ...(previous ? { previous_attributes: previous } : {}) },
  } as unknown as Stripe.Event;
}

/** What a delivery carries: the raw JSON body and its `Stripe-Signature` header. */
function signed(event: Stripe.Event, secret = WEBHOOK_SECRET): { payload: string; signature: string } {
  const payload = JSON.stringify(event);
  return { payload, signature: verifier.webhooks.generateTestHeaderString({ payload, secret }) };
}

/** A POST of a delivery to a webhook endpoint, as a Fetch `Request`. */
export function delivery(event: Stripe.Event, options: { secret?: string; signature?: string | null } = {}): Request {
  const { payload, signature } = signed(event, options.secret);
  const sig = options.signature === undefined ? signature : options.signature;
  return new Request('http://localhost/webhooks/stripe', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(sig === null ? {} : { 'stripe-signature': sig }) },
    body: payload,
  });
}

/** A completed Checkout Session (`mode: payment`, paid). */
export function checkoutSession(fields: Partial<Stripe.Checkout.Session>): Stripe.Checkout.Session {
  const session = {
    id: next('cs_test'),
    object: 'checkout.session',
    mode: 'payment',
    status: 'complete',
    payment_status: 'paid',
    amount_subtotal: fields.amount_total ?? 0,
    amount_total: 0,
    currency: 'usd',
    client_reference_id: null,
    customer: next('cus'),
    customer_details: null,
    discounts: [],
    invoice: null,
    livemode: false,
    metadata: {},
    payment_intent: next('pi'),
    subscription: null,
    created: seconds(new Date('2026-03-01T12:00:00Z')),
    ...fields,
  } satisfies Partial<Stripe.Checkout.Session>;
  return session as Stripe.Checkout.Session;
}

/** A paid Invoice; a subscription's invoice names it under `parent.subscription_details`. */
export function paidInvoice(fields: Partial<Stripe.Invoice> & { subscription?: string; subscriptionMetadata?: Record<string, string> }): Stripe.Invoice {
  const { subscription, subscriptionMetadata, ...rest } = fields;
  const invoice = {
    id: next('in'),
    object: 'invoice',
    amount_due: fields.amount_paid ?? 0,
    amount_paid: 0,
    amount_remaining: 0,
    billing_reason: 'subscription_cycle',
    currency: 'usd',
    customer: next('cus'),
    customer_email: null,
    discounts: [],
    livemode: false,
    metadata: {},
    parent: subscription
      ? {
          type: 'subscription_details',
          quote_details: null,
          subscription_details: { subscription, metadata: subscriptionMetadata ?? {} },
        }
      : null,
    status: 'paid',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    ...rest,
  } satisfies Partial<Stripe.Invoice>;
  return invoice as Stripe.Invoice;
}

/** A Charge after a refund: `amount_refunded` is its refunded total so far (the refunds list is not included in webhooks). */
export function refundedCharge(fields: Partial<Stripe.Charge> & { payment_intent: string; amount: number; amount_refunded: number }): Stripe.Charge {
  const charge = {
    id: `ch_${fields.payment_intent.slice(3)}`,
    object: 'charge',
    amount_captured: fields.amount,
    captured: true,
    currency: 'usd',
    disputed: false,
    livemode: false,
    metadata: {},
    paid: true,
    refunded: fields.amount_refunded === fields.amount,
    status: 'succeeded',
    ...fields,
  } satisfies Partial<Stripe.Charge>;
  return charge as Stripe.Charge;
}

/** A Dispute on a payment's charge. */
export function dispute(fields: Partial<Stripe.Dispute> & { payment_intent: string; amount: number; status: Stripe.Dispute.Status }): Stripe.Dispute {
  const object = {
    id: next('dp'),
    object: 'dispute',
    charge: `ch_${fields.payment_intent.slice(3)}`,
    currency: 'usd',
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    reason: 'fraudulent',
    ...fields,
  } satisfies Partial<Stripe.Dispute>;
  return object as Stripe.Dispute;
}

/** A Subscription; its period end sits on its items (as of API version 2025-03-31). */
export function subscription(fields: Partial<Stripe.Subscription> & { id: string; periodEnd?: Date }): Stripe.Subscription {
  const { periodEnd, ...rest } = fields;
  const object = {
    object: 'subscription',
    status: 'active',
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    ended_at: null,
    customer: next('cus'),
    latest_invoice: null,
    livemode: false,
    metadata: {},
    items: {
      object: 'list',
      data: [{ current_period_end: periodEnd ? seconds(periodEnd) : 0 } as Stripe.SubscriptionItem],
      has_more: false,
      url: `/v1/subscription_items?subscription=${fields.id}`,
    },
    ...rest,
  } satisfies Partial<Stripe.Subscription>;
  return object as Stripe.Subscription;
}

export { next as stripeId, seconds };
