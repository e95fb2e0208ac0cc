import type { BillingEvent } from '@onehop/core';
import type { AdjustmentNotification, EventEntity, TransactionNotification } from '@paddle/paddle-node-sdk';

/** What `lookupReferee` is asked: the Paddle customer, and the transaction and event being mapped. */
export interface PaddleRefereeLookup {
  customerId: string | null;
  transaction: TransactionNotification;
  event: EventEntity;
}

/**
 * How Paddle transactions are tied to onehop. The referee of a payment is
 * the transaction's `custom_data[metadataKey]` (pass it at checkout; Paddle
 * keeps a subscription's custom data on its renewals), else your
 * `lookupReferee`. A payment neither resolves is answered `unmapped`, and
 * nothing is written.
 */
export interface PaddleMappingOptions {
  /** The custom data key that holds your user id. Default `onehopUserId`. */
  metadataKey?: string;
  lookupReferee?: (lookup: PaddleRefereeLookup) => Promise<string | null> | string | null;
}

export type PaddleMapping =
  | { action: 'apply'; event: BillingEvent }
  | { action: 'ignore'; reason: string }
  | { action: 'unmapped'; reason: 'UNKNOWN_CUSTOMER'; message: string };

const ignore = (reason: string): PaddleMapping => ({ action: 'ignore', reason });

/** Paddle's amounts are strings of the lowest denomination: an integer, or nothing. */
function minorUnits(value: string | undefined | null): number | null {
  if (!value || !/^\d+$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * Maps one verified Paddle Billing event:
 *
 * | Paddle event | billing event |
 * | --- | --- |
 * | `transaction.completed` | `payment_succeeded`, keyed by the transaction id: one-off, a subscription's first payment, or a renewal (`origin: subscription_recurring`) |
 * | `adjustment.created` / `adjustment.updated`, `refund`, approved | `refund`, keyed by the adjustment id (a pending refund is not yet one) |
 * | `adjustment.created`, `chargeback` / `chargeback_reverse` | `dispute_opened` / `dispute_closed` won, one dispute per transaction |
 * | `subscription.canceled`, `subscription.updated` with a scheduled cancel | `subscription_cancelled` (at `canceled_at`, or the scheduled change's `effective_at`) |
 */
export async function mapPaddleEvent(event: EventEntity, options: PaddleMappingOptions = {}): Promise<PaddleMapping> {
  switch (event.eventType) {
    case 'transaction.completed': {
      const tx = event.data;
      const amount = minorUnits(tx.details?.totals?.total);
      if (amount === null || amount <= 0) return ignore('nothing was paid');
      const custom = tx.customData as Record<string, unknown> | null;
      const fromData = custom?.[options.metadataKey ?? 'onehopUserId'];
      const refereeId =
        (typeof fromData === 'string' && fromData !== '' ? fromData : null) ??
        (options.lookupReferee ? await options.lookupReferee({ customerId: tx.customerId, transaction: tx, event }) : null);
      if (!refereeId) {
        return {
          action: 'unmapped',
          reason: 'UNKNOWN_CUSTOMER',
          message: `No user id for transaction ${tx.id} (customer ${tx.customerId ?? 'unknown'}): no custom data user id, and lookupReferee found none. Nothing is recorded.`,
        };
      }
      const billing = !tx.subscriptionId ? 'one_off' : tx.origin === 'subscription_recurring' ? 'subscription_renewal' : 'subscription_first';
      return {
        action: 'apply',
        event: {
          type: 'payment_succeeded',
          paymentId: tx.id,
          refereeId,
          amount,
          currency: tx.currencyCode,
          occurredAt: tx.billedAt ?? event.occurredAt,
          billing,
          ...(tx.subscriptionId ? { subscriptionId: tx.subscriptionId } : {}),
          metadata: { paddleEvent: event.eventId },
        },
      };
    }
    case 'adjustment.created':
    case 'adjustment.updated':
      return adjustment(event.data, event.occurredAt);
    case 'subscription.canceled': {
      const sub = event.data;
      return { action: 'apply', event: { type: 'subscription_cancelled', subscriptionId: sub.id, endsAt: sub.canceledAt ?? event.occurredAt } };
    }
    case 'subscription.updated': {
      const change = event.data.scheduledChange;
      if (change?.action !== 'cancel') return ignore('the subscription is not set to cancel');
      return { action: 'apply', event: { type: 'subscription_cancelled', subscriptionId: event.data.id, endsAt: change.effectiveAt } };
    }
    default:
      return ignore(`onehop does not use ${event.eventType}`);
  }
}

function adjustment(adj: AdjustmentNotification, occurredAt: string): PaddleMapping {
  const amount = minorUnits(adj.totals?.total);
  if (amount === null || amount <= 0) return ignore('the adjustment has no amount');
  // A transaction has one chargeback at a time: its reversal names no adjustment, only the transaction.
  const disputeId = `chargeback:${adj.transactionId}`;
  switch (adj.action) {
    case 'refund':
      if (adj.status !== 'approved') return ignore(`refund status is ${adj.status}`);
      return { action: 'apply', event: { type: 'refund', refundId: adj.id, paymentId: adj.transactionId, amount, occurredAt } };
    case 'chargeback':
      return { action: 'apply', event: { type: 'dispute_opened', disputeId, paymentId: adj.transactionId, amount } };
    case 'chargeback_reverse':
      return { action: 'apply', event: { type: 'dispute_closed', disputeId, paymentId: adj.transactionId, amount, outcome: 'won', occurredAt } };
    default:
      return ignore(`adjustment action ${adj.action} moves no money from the payment`);
  }
}
