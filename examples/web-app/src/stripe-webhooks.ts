/**
 * Stripe webhooks → onehop. Copy this file into your app: it is the whole
 * mapping, and it holds no state of its own.
 *
 * | Stripe event | onehop call |
 * | --- | --- |
 * | `checkout.session.completed` (one-off payment, paid) | `recordPurchase` |
 * | `invoice.paid` (subscriptions) | `recordPurchase` |
 * | `charge.refunded` | `recordRefund`, once per refund on the charge |
 * | `charge.dispute.created` | `recordChargeback` |
 *
 * Conventions this mapping relies on:
 * - Your user id travels as Checkout's `client_reference_id`, or as
 *   `metadata.onehopUserId` on the session, the invoice or its subscription.
 * - A purchase is keyed by its PaymentIntent id, which refunds and disputes
 *   name too; onehop's idempotency makes every redelivery harmless.
 * - Subscription checkouts are counted by their `invoice.paid`, not by
 *   `checkout.session.completed`, so the first payment is not counted twice.
 * - Stripe's amounts are already integers in the currency's minor units;
 *   the currency is upper-cased to its ISO code.
 */
import type { Onehop, PurchaseResult, RecordPurchaseInput, RecordReversalInput, ReversalResult } from '@onehop/core';

/** The fields of a Stripe event this mapping reads (a `Stripe.Event` fits). */
export interface StripeEventLike {
  id: string;
  type: string;
  created: number;
  data: { object: Record<string, unknown> };
}

export type StripeMapping =
  | { action: 'purchase'; input: RecordPurchaseInput }
  | { action: 'refund'; inputs: RecordReversalInput[] }
  | { action: 'chargeback'; input: RecordReversalInput }
  | { action: 'ignore'; reason: string };

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
/** An expandable Stripe field: an id, or the expanded object with its id. */
const idOf = (v: unknown): string | undefined => str(v) ?? str(obj(v).id);
const at = (seconds: unknown): Date => new Date(Number(seconds) * 1000);

/** Your user id on a session or an invoice. */
function userIdOf(o: Obj): string | undefined {
  return (
    str(o.client_reference_id) ??
    str(obj(o.metadata).onehopUserId) ??
    str(obj(obj(o.subscription_details).metadata).onehopUserId) ??
    str(obj(obj(obj(o.parent).subscription_details).metadata).onehopUserId)
  );
}

/** An invoice's PaymentIntent: `payment_intent` on older API versions, `payments` on newer ones. */
function invoicePaymentIntent(invoice: Obj): string | undefined {
  const first = obj((obj(invoice.payments).data as unknown[] | undefined)?.[0]);
  return idOf(invoice.payment_intent) ?? idOf(obj(first.payment).payment_intent);
}

/** What a Stripe event means for onehop. */
export function mapStripeEvent(event: StripeEventLike): StripeMapping {
  const o = event.data.object;
  switch (event.type) {
    case 'checkout.session.completed': {
      if (o.mode !== 'payment') return { action: 'ignore', reason: 'subscription checkouts are counted by invoice.paid' };
      if (o.payment_status !== 'paid') return { action: 'ignore', reason: `payment_status is ${String(o.payment_status)}` };
      const refereeId = userIdOf(o);
      const eventId = idOf(o.payment_intent);
      if (!refereeId || !eventId) return { action: 'ignore', reason: 'no user id or payment intent on the session' };
      return {
        action: 'purchase',
        input: {
          eventId,
          refereeId,
          amount: Number(o.amount_total),
          currency: String(o.currency).toUpperCase(),
          occurredAt: at(o.created ?? event.created),
          metadata: { stripeEvent: event.id, checkoutSession: String(o.id) },
        },
      };
    }
    case 'invoice.paid': {
      const refereeId = userIdOf(o);
      const eventId = invoicePaymentIntent(o);
      if (!refereeId || !eventId) return { action: 'ignore', reason: 'no user id or payment intent on the invoice' };
      if (Number(o.amount_paid) <= 0) return { action: 'ignore', reason: 'nothing was paid (trial or credit)' };
      const paidAt = obj(o.status_transitions).paid_at ?? event.created;
      return {
        action: 'purchase',
        input: {
          eventId,
          refereeId,
          amount: Number(o.amount_paid),
          currency: String(o.currency).toUpperCase(),
          occurredAt: at(paidAt),
          metadata: { stripeEvent: event.id, invoice: String(o.id) },
        },
      };
    }
    case 'charge.refunded': {
      const purchaseEventId = idOf(o.payment_intent);
      const refunds = ((obj(o.refunds).data as unknown[] | undefined) ?? []).map(obj);
      if (!purchaseEventId || refunds.length === 0) return { action: 'ignore', reason: 'no payment intent or refund list on the charge' };
      // Every refund of the charge, oldest first: each is idempotent by its id, so a missed webhook is caught up by the next.
      const inputs = refunds
        .filter((r) => r.status !== 'failed' && r.status !== 'canceled')
        .sort((a, b) => Number(a.created) - Number(b.created))
        .map((r) => ({ eventId: String(r.id), purchaseEventId, amount: Number(r.amount) }));
      return { action: 'refund', inputs };
    }
    case 'charge.dispute.created': {
      const purchaseEventId = idOf(o.payment_intent);
      if (!purchaseEventId) return { action: 'ignore', reason: 'no payment intent on the dispute' };
      return { action: 'chargeback', input: { eventId: String(o.id), purchaseEventId, amount: Number(o.amount) } };
    }
    default:
      return { action: 'ignore', reason: `onehop does not use ${event.type}` };
  }
}

export type StripeOutcome =
  | { action: 'purchase'; result: PurchaseResult }
  | { action: 'refund'; results: ReversalResult[] }
  | { action: 'chargeback'; result: ReversalResult }
  | { action: 'ignore'; reason: string };

/** Maps a verified Stripe event and makes the onehop call. Safe to run again for a redelivered event. */
export async function applyStripeEvent(onehop: Onehop, event: StripeEventLike): Promise<StripeOutcome> {
  const mapping = mapStripeEvent(event);
  switch (mapping.action) {
    case 'purchase':
      return { action: 'purchase', result: await onehop.recordPurchase(mapping.input) };
    case 'refund': {
      const results: ReversalResult[] = [];
      for (const input of mapping.inputs) results.push(await onehop.recordRefund(input));
      return { action: 'refund', results };
    }
    case 'chargeback':
      return { action: 'chargeback', result: await onehop.recordChargeback(mapping.input) };
    default:
      return mapping;
  }
}
