import { type EngineContext, parse, SYSTEM } from '../engine/context';
import { bucketOf } from '../ledger/buckets';
import { post } from '../ledger/post';
import type { CommissionStatus } from '../store/records';
import { UNIQUE_CONSTRAINTS } from '../store/store';
import { type ReinstateChargebackInput, reinstateChargebackInputSchema } from './inputs';
import { payloadHash } from './payload-hash';
import { lockPurchase } from './record-purchase';
import { insertSourceEvent } from './source-event';

export type ReinstatementResult = {
  status: 'recorded';
  /** True when this dispute's win was recorded before: nothing changed. */
  replayed: boolean;
  chargebackEventId: string;
  /** What was given back to each commission line (empty when the chargeback had reversed nothing, or is not recorded yet). */
  reinstatements: { commissionId: string; amount: number }[];
  /** The chargeback is not recorded yet: when it is, it reverses nothing. */
  beforeChargeback: boolean;
};

/**
 * A dispute the merchant won: gives back what its chargeback reversed. Each
 * line gets back the amount the chargeback took, into the bucket of its
 * status (a line the chargeback reversed in full returns to the status it
 * had), and the purchase may be refunded by that amount again. Once per
 * chargeback; a win recorded before its chargeback makes the chargeback
 * reverse nothing. A lost dispute needs no call: the chargeback stands.
 */
export async function reinstateChargeback(ctx: EngineContext, input: ReinstateChargebackInput): Promise<ReinstatementResult> {
  const data = parse(reinstateChargebackInputSchema, input);
  const { scope } = ctx;
  const hash = payloadHash({ chargebackEventId: data.chargebackEventId });
  const occurredAt = data.occurredAt ?? ctx.clock.now();
  return ctx.run(
    async (work): Promise<ReinstatementResult> => {
      const answer = (replayed: boolean, reinstatements: { commissionId: string; amount: number }[], beforeChargeback: boolean): ReinstatementResult => ({
        status: 'recorded',
        replayed,
        chargebackEventId: data.chargebackEventId,
        reinstatements,
        beforeChargeback,
      });
      const chargeback = await work.tx.events.get(scope, 'chargeback', data.chargebackEventId);
      const purchase = chargeback?.relatedEventId && !chargeback.result.pending ? await lockPurchase(work, scope, chargeback.relatedEventId) : null;
      const existing = await work.tx.events.get(scope, 'reinstatement', data.chargebackEventId);
      if (existing) {
        return answer(true, (existing.result.reinstatements as { commissionId: string; amount: number }[]) ?? [], Boolean(existing.result.beforeChargeback));
      }
      const reinstatements: { commissionId: string; amount: number }[] = [];
      const taken = chargeback && purchase && !chargeback.result.disputeWon ? ((chargeback.result.reversals as { commissionId: string; amount: number }[]) ?? []) : [];
      const before = (chargeback?.result.before as Record<string, CommissionStatus> | undefined) ?? {};
      const now = ctx.clock.now();
      for (const { commissionId, amount } of taken) {
        const c = await work.tx.commissions.get(scope, commissionId, { forUpdate: true });
        if (!c || amount <= 0) continue;
        // A line reversed in full goes back to the status it had; otherwise it kept its status.
        const status: CommissionStatus = c.status === 'reversed' ? (before[c.id] ?? 'approved') : c.status;
        const bucket = bucketOf(status);
        if (bucket === null) continue;
        const back = Math.min(amount, c.reversedAmount);
        if (back <= 0) continue;
        await post(work, [
          {
            accountId: c.beneficiaryId,
            moves: { [bucket]: back },
            kind: 'reinstatement',
            commissionId: c.id,
            sourceType: 'reinstatement',
            sourceId: data.chargebackEventId,
            actor: SYSTEM,
          },
        ]);
        await work.tx.commissions.update(scope, c.id, {
          reversedAmount: c.reversedAmount - back,
          status,
          updatedAt: now,
          ...(status !== c.status ? { statusReason: 'dispute_won' } : {}),
        });
        await work.audit('commission', c.id, 'commission.reinstated', SYSTEM, {
          before: c.status,
          after: status,
          reason: 'dispute_won',
          sourceEvent: data.chargebackEventId,
          data: { amount: back },
        });
        reinstatements.push({ commissionId: c.id, amount: back });
      }
      if (chargeback && purchase && !chargeback.result.disputeWon) {
        const given = Math.min(Number(chargeback.result.applied ?? chargeback.amount), purchase.reversedAmount);
        if (given > 0) await work.tx.events.update(scope, 'purchase', purchase.eventId, { reversedAmount: purchase.reversedAmount - given });
      }
      const beforeChargeback = !chargeback || Boolean(chargeback.result.pending);
      await insertSourceEvent(work, {
        kind: 'reinstatement',
        eventId: data.chargebackEventId,
        payloadHash: hash,
        referralId: chargeback?.referralId ?? null,
        referrerId: chargeback?.referrerId ?? null,
        refereeId: chargeback?.refereeId ?? null,
        amount: reinstatements.reduce((sum, r) => sum + r.amount, 0),
        relatedEventId: data.chargebackEventId,
        result: { reinstatements, beforeChargeback },
        occurredAt,
      });
      return answer(false, reinstatements, beforeChargeback);
    },
    (error) => (error.constraint === UNIQUE_CONSTRAINTS.sourceEvent ? 'retry' : error),
  );
}
