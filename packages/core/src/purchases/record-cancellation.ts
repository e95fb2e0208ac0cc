import { type EngineContext, parse } from '../engine/context';
import { UNIQUE_CONSTRAINTS } from '../store/store';
import { type RecordCancellationInput, recordCancellationInputSchema } from './inputs';
import { payloadHash } from './payload-hash';
import { lockPurchase } from './record-purchase';
import { reverseCommissions } from './reverse-commissions';
import { insertSourceEvent } from './source-event';

export type CancellationResult = {
  status: 'recorded';
  /** True when this subscription's cancellation was recorded before: nothing changed. */
  replayed: boolean;
  subscriptionId: string;
  /** What `subscriptions.onCancel` did to the current period's payment. */
  currentPeriod: 'kept' | 'reversed' | 'no_payment';
  /** What was reversed of each commission line of the current period's payment (`reverse_current_period`). */
  reversals: { commissionId: string; amount: number }[];
};

/**
 * A subscription was cancelled (at once, or at the end of its period): its
 * payments after `occurredAt` earn nothing (`recordPurchase` answers
 * `SUBSCRIPTION_CANCELLED`), and the period it ends is kept or reversed as
 * `subscriptions.onCancel` says. Once per subscription.
 */
export async function recordCancellation(ctx: EngineContext, input: RecordCancellationInput): Promise<CancellationResult> {
  const data = parse(recordCancellationInputSchema, input);
  const { scope } = ctx;
  const occurredAt = data.occurredAt ?? ctx.clock.now();
  const hash = payloadHash({ subscriptionId: data.subscriptionId });
  const reverse = ctx.program.subscriptions.onCancel === 'reverse_current_period';
  return ctx.run(
    async (work): Promise<CancellationResult> => {
      const purchase = data.currentPaymentEventId ? await lockPurchase(work, scope, data.currentPaymentEventId) : null;
      const existing = await work.tx.events.get(scope, 'cancellation', data.subscriptionId);
      if (existing) {
        return {
          status: 'recorded',
          replayed: true,
          subscriptionId: data.subscriptionId,
          currentPeriod: existing.result.currentPeriod as CancellationResult['currentPeriod'],
          reversals: (existing.result.reversals as { commissionId: string; amount: number }[]) ?? [],
        };
      }
      const remaining = purchase ? purchase.amount - purchase.reversedAmount : 0;
      const outcome =
        purchase && reverse && remaining > 0 ? await reverseCommissions(work, purchase, 'cancellation', data.subscriptionId, remaining) : { reversals: [], before: {} };
      const currentPeriod: CancellationResult['currentPeriod'] = !purchase ? 'no_payment' : reverse ? 'reversed' : 'kept';
      await insertSourceEvent(work, {
        kind: 'cancellation',
        eventId: data.subscriptionId,
        payloadHash: hash,
        referralId: purchase?.referralId ?? null,
        referrerId: purchase?.referrerId ?? null,
        refereeId: purchase?.refereeId ?? null,
        amount: outcome.reversals.length > 0 ? remaining : 0,
        relatedEventId: data.currentPaymentEventId ?? null,
        result: { currentPeriod, reversals: outcome.reversals },
        occurredAt,
      });
      return { status: 'recorded', replayed: false, subscriptionId: data.subscriptionId, currentPeriod, reversals: outcome.reversals };
    },
    (error) => (error.constraint === UNIQUE_CONSTRAINTS.sourceEvent ? 'retry' : error),
  );
}
