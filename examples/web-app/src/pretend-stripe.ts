/**
 * The pretend checkout's payment provider: it produces the events Stripe
 * would send, with the fields the mapping reads, and signs them with the
 * `stripe` package's test-header helper, exactly as Stripe signs them.
 */

import { nanoid } from 'nanoid';
import Stripe from 'stripe';

const stripe = new Stripe('sk_test_onehop_example_not_a_real_key');

/** Which invoice each PaymentIntent of a pretend subscription paid: what Stripe's API would answer (`invoicePayments.list`). */
const invoices = new Map<string, string>();

/** The invoice a pretend PaymentIntent paid, or null for a one-off payment. */
export function pretendInvoiceOf(paymentIntent: string): string | null {
  return invoices.get(paymentIntent) ?? null;
}

export interface SignedWebhook {
  payload: string;
  signature: string;
}

function event(type: string, object: Record<string, unknown>, at: Date) {
  const created = Math.floor(at.getTime() / 1000);
  return {
    id: `evt_${nanoid(14)}`,
    object: 'event',
    api_version: '2025-10-29',
    created,
    livemode: false,
    pending_webhooks: 1,
    type,
    data: { object: { created, ...object } },
  };
}

/** Signs an event's JSON with the endpoint secret; the header is what Stripe sends as `Stripe-Signature`. */
export function sign(payload: object, secret: string): SignedWebhook {
  const text = JSON.stringify(payload);
  return { payload: text, signature: stripe.webhooks.generateTestHeaderString({ payload: text, secret }) };
}

/** A paid one-off Checkout session for `userId`. */
export function checkoutCompleted(userId: string, amount: number, currency: string, at: Date) {
  const paymentIntent = `pi_${nanoid(14)}`;
  return {
    paymentIntent,
    event: event(
      'checkout.session.completed',
      {
        id: `cs_${nanoid(14)}`,
        object: 'checkout.session',
        mode: 'payment',
        payment_status: 'paid',
        payment_intent: paymentIntent,
        amount_total: amount,
        currency: currency.toLowerCase(),
        client_reference_id: userId,
      },
      at,
    ),
  };
}

/** A paid subscription invoice for `userId`. */
export function invoicePaid(userId: string, amount: number, currency: string, at: Date) {
  const paymentIntent = `pi_${nanoid(14)}`;
  const invoiceId = `in_${nanoid(14)}`;
  invoices.set(paymentIntent, invoiceId);
  const paidAt = Math.floor(at.getTime() / 1000);
  return {
    paymentIntent,
    event: event(
      'invoice.paid',
      {
        id: invoiceId,
        object: 'invoice',
        amount_paid: amount,
        currency: currency.toLowerCase(),
        payment_intent: paymentIntent,
        metadata: { onehopUserId: userId },
        status_transitions: { paid_at: paidAt },
      },
      at,
    ),
  };
}

/** A charge with its refunds so far (Stripe lists them newest first). */
export function chargeRefunded(paymentIntent: string, amount: number, refunds: { id: string; amount: number; created: number }[], at: Date) {
  const refunded = refunds.reduce((s, r) => s + r.amount, 0);
  return event(
    'charge.refunded',
    {
      id: `ch_${paymentIntent.slice(3)}`,
      object: 'charge',
      amount,
      amount_refunded: refunded,
      payment_intent: paymentIntent,
      refunds: { object: 'list', data: [...refunds].reverse().map((r) => ({ object: 'refund', status: 'succeeded', ...r })) },
    },
    at,
  );
}

/** A dispute opened on a payment. */
export function disputeCreated(paymentIntent: string, amount: number, at: Date) {
  return event(
    'charge.dispute.created',
    { id: `dp_${nanoid(14)}`, object: 'dispute', amount, payment_intent: paymentIntent, charge: `ch_${paymentIntent.slice(3)}`, status: 'needs_response' },
    at,
  );
}
