import { parse } from '../engine/context';
import type { RecordCancellationInput, RecordPurchaseInput, RecordReversalInput, ReinstateChargebackInput } from '../purchases/inputs';
import type { CancellationResult } from '../purchases/record-cancellation';
import type { PurchaseResult, ReversalResult } from '../purchases/record-purchase';
import type { ReinstatementResult } from '../purchases/reinstate-chargeback';
import { type BillingEvent, billingEventSchema } from './billing-event';

/** The engine calls a billing event needs (an `Onehop` has them all). */
export interface BillingEngine {
  recordPurchase(input: RecordPurchaseInput): Promise<PurchaseResult>;
  recordRefund(input: RecordReversalInput): Promise<ReversalResult>;
  recordChargeback(input: RecordReversalInput): Promise<ReversalResult>;
  reinstateChargeback(input: ReinstateChargebackInput): Promise<ReinstatementResult>;
  recordCancellation(input: RecordCancellationInput): Promise<CancellationResult>;
}

/** What `applyBillingEvent` did: the event's type and the engine's answer. */
export type BillingOutcome =
  | { type: 'payment_succeeded'; result: PurchaseResult }
  | { type: 'refund'; result: ReversalResult }
  | { type: 'dispute_opened'; result: ReversalResult }
  | { type: 'dispute_closed'; outcome: 'lost'; result: ReversalResult }
  | { type: 'dispute_closed'; outcome: 'won'; result: ReinstatementResult }
  | { type: 'subscription_cancelled'; result: CancellationResult };

/**
 * Applies one provider-neutral billing event to the engine. Every call is
 * idempotent by the provider's ids, so a redelivered webhook changes
 * nothing, and events may arrive in any order:
 *
 * | event | engine call |
 * | --- | --- |
 * | `payment_succeeded` | `recordPurchase` (event id: `paymentId`) |
 * | `refund` | `recordRefund` (event id: `refundId`), kept until its payment arrives |
 * | `dispute_opened` | `recordChargeback` (event id: `disputeId`), kept until its payment arrives |
 * | `dispute_closed`, `lost` | `recordChargeback` (a repeat of the opening, or the chargeback if the opening never came) |
 * | `dispute_closed`, `won` | `reinstateChargeback`: what the dispute reversed is given back |
 * | `subscription_cancelled` | `recordCancellation`: later payments earn nothing; `subscriptions.onCancel` decides the current period |
 *
 * A chargeback carries no time of its own (it is recorded at the time it is
 * first seen), so its opening and its loss are one and the same call.
 */
export async function applyBillingEvent(engine: BillingEngine, input: BillingEvent): Promise<BillingOutcome> {
  const event = parse(billingEventSchema, input);
  switch (event.type) {
    case 'payment_succeeded': {
      const purchase: RecordPurchaseInput = {
        eventId: event.paymentId,
        refereeId: event.refereeId,
        amount: event.amount,
        currency: event.currency,
        occurredAt: event.occurredAt,
        ...(event.subscriptionId !== undefined ? { subscriptionId: event.subscriptionId } : {}),
        ...(event.productId !== undefined ? { productId: event.productId } : {}),
        ...(event.promoCode !== undefined ? { promoCode: event.promoCode } : {}),
        ...(event.email !== undefined ? { email: event.email } : {}),
        ...(event.paymentFingerprint !== undefined ? { paymentFingerprint: event.paymentFingerprint } : {}),
        ...(event.metadata !== undefined ? { metadata: event.metadata } : {}),
      };
      return { type: event.type, result: await engine.recordPurchase(purchase) };
    }
    case 'refund':
      return {
        type: event.type,
        result: await engine.recordRefund({
          eventId: event.refundId,
          purchaseEventId: event.paymentId,
          ...(event.amount !== undefined ? { amount: event.amount } : { refundedTotal: event.refundedTotal }),
          ...(event.occurredAt !== undefined ? { occurredAt: event.occurredAt } : {}),
          waitForPurchase: true,
        }),
      };
    case 'dispute_opened':
      return { type: event.type, result: await engine.recordChargeback(chargeback(event)) };
    case 'dispute_closed':
      if (event.outcome === 'lost') return { type: event.type, outcome: 'lost', result: await engine.recordChargeback(chargeback(event)) };
      return {
        type: event.type,
        outcome: 'won',
        result: await engine.reinstateChargeback({
          chargebackEventId: event.disputeId,
          ...(event.occurredAt !== undefined ? { occurredAt: event.occurredAt } : {}),
        }),
      };
    case 'subscription_cancelled':
      return {
        type: event.type,
        result: await engine.recordCancellation({
          subscriptionId: event.subscriptionId,
          occurredAt: event.endsAt,
          ...(event.currentPaymentId !== undefined ? { currentPaymentEventId: event.currentPaymentId } : {}),
        }),
      };
  }
}

function chargeback(event: { disputeId: string; paymentId: string; amount: number }): RecordReversalInput {
  return { eventId: event.disputeId, purchaseEventId: event.paymentId, amount: event.amount, waitForPurchase: true };
}
