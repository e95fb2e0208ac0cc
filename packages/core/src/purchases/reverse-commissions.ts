import { SYSTEM } from '../engine/context';
import type { Work } from '../engine/work';
import { bucketOf } from '../ledger/buckets';
import { post } from '../ledger/post';
import { proportion, ROUNDING_MODES, type RoundingMode } from '../money/rounding';
import type { CommissionStatus, SourceEventRecord } from '../store/records';

/** What one reversal took from each commission line of a purchase, and each line's status before it. */
export interface ReversalOutcome {
  reversals: { commissionId: string; amount: number }[];
  /** Each reversed line's status before this reversal: a won dispute restores it. */
  before: Record<string, CommissionStatus>;
}

/**
 * How much of a line of `amount` stands reversed once `reversedSoFar` of its
 * purchase's `purchaseAmount` is (both in the purchase's currency): the
 * cumulative share, rounded once, so a full reversal nets to exactly zero.
 * Milestone bonuses are never reversed.
 */
export const reversedShare = (amount: number, reversedSoFar: number, purchaseAmount: number, rounding: RoundingMode): number =>
  proportion(amount, reversedSoFar, purchaseAmount, rounding);

/**
 * Reverses `amount` more of a purchase (a refund, a chargeback, or the rest
 * of it at a subscription's cancellation). Each commission line of the
 * purchase is reversed by the cumulative share reversed:
 * `round(C × reversedSoFar / P) − alreadyReversed`, so a full reversal nets to
 * exactly zero and the total reversed never exceeds the commission.
 * Milestone bonuses are not reversed; the referral stays qualified. The
 * referrer must be locked by the caller; `amount` must not exceed what is
 * left of the purchase.
 */
export async function reverseCommissions(
  work: Work,
  purchase: SourceEventRecord,
  kind: 'refund' | 'chargeback' | 'cancellation',
  eventId: string,
  amount: number,
): Promise<ReversalOutcome> {
  const { scope } = work;
  const rounding = work.program.commission?.rounding ?? 'half_even';
  const reversedSoFar = purchase.reversedAmount + amount;
  const now = work.now();
  const outcome: ReversalOutcome = { reversals: [], before: {} };
  for (const listed of await work.tx.commissions.listBySource(scope, purchase.eventId)) {
    if (listed.kind === 'milestone_bonus') continue;
    const c = (await work.tx.commissions.get(scope, listed.id, { forUpdate: true })) ?? listed;
    const bucket = bucketOf(c.status);
    if (bucket === null) continue;
    // A line is reversed by the rounding it was made with (its group's, which a move does not change for it).
    const own = c.calculation.rounding as RoundingMode;
    const target = reversedShare(c.amount, reversedSoFar, purchase.amount, ROUNDING_MODES.includes(own) ? own : rounding);
    const delta = target - c.reversedAmount;
    if (delta <= 0) continue;
    await post(work, [
      { accountId: c.beneficiaryId, moves: { [bucket]: -delta }, kind: 'reversal', commissionId: c.id, sourceType: kind, sourceId: eventId, actor: SYSTEM },
    ]);
    const status: CommissionStatus = target === c.amount ? 'reversed' : c.status;
    await work.tx.commissions.update(scope, c.id, { reversedAmount: target, status, updatedAt: now, ...(status !== c.status ? { statusReason: kind } : {}) });
    if (status !== c.status) {
      await work.audit('commission', c.id, 'commission.reversed', SYSTEM, { before: c.status, after: status, reason: kind, sourceEvent: eventId });
    }
    // Every reversal is an event, partial ones included (the audit trail records only the change of status).
    work.emit('commission.reversed', c.beneficiaryId, 'commission', c.id, {
      amount: delta,
      reversedAmount: target,
      partial: status !== 'reversed',
      reason: kind,
      sourceEvent: eventId,
    });
    outcome.reversals.push({ commissionId: c.id, amount: delta });
    outcome.before[c.id] = c.status;
  }
  if (amount > 0) await work.tx.events.update(scope, 'purchase', purchase.eventId, { reversedAmount: reversedSoFar });
  return outcome;
}
