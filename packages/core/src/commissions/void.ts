import type { Work } from '../engine/work';
import { bucketOf } from '../ledger/buckets';
import { post } from '../ledger/post';
import { closeReview } from '../reviews/queue';
import type { Actor, CommissionRecord } from '../store/records';

/** Moves a held commission back into the normal flow: pending, approved by `approveDue` after its holding period. */
export async function releaseCommission(work: Work, c: CommissionRecord, actor: Actor, reason: string): Promise<void> {
  const net = c.amount - c.reversedAmount;
  if (net > 0) {
    await post(work, [
      { accountId: c.beneficiaryId, moves: { on_hold: -net, pending: net }, kind: 'release', commissionId: c.id, sourceType: 'review', sourceId: c.id, actor, reason },
    ]);
  }
  await work.tx.commissions.update(work.scope, c.id, { status: 'pending', statusReason: null, updatedAt: work.now() });
  await work.audit('commission', c.id, 'commission.released', actor, { before: 'on_hold', after: 'pending', reason, notify: c.beneficiaryId, data: { amount: net } });
}

/**
 * Rejects a commission: the one rule for `rejectCommission`, `decideReview`
 * and `rejectReferral`. Its remaining amount leaves the bucket it sits in
 * through a `rejection` entry: pending, on hold, or, once approved, the
 * withdrawable balance, also when the commission is in an open payout or
 * already paid (the balance may then go negative: a clawback carried into
 * the next payout). Its status becomes `rejected` (`reversed` belongs to
 * refunds and chargebacks) and an open review of it is closed. Returns the
 * commission as it is now, or null when it was rejected or reversed already.
 */
export async function voidCommission(work: Work, c: CommissionRecord, actor: Actor, reason: string, sourceEvent: string | null): Promise<CommissionRecord | null> {
  const bucket = bucketOf(c.status);
  if (bucket === null) return null;
  const open = await work.tx.reviews.getOpen(work.scope, 'commission', c.id);
  if (open) await closeReview(work, open, 'rejected', actor, reason);
  const net = c.amount - c.reversedAmount;
  const now = work.now();
  if (net > 0) {
    await post(work, [
      { accountId: c.beneficiaryId, moves: { [bucket]: -net }, kind: 'rejection', commissionId: c.id, sourceType: 'review', sourceId: c.id, actor, reason },
    ]);
  }
  await work.tx.commissions.update(work.scope, c.id, { status: 'rejected', statusReason: reason, updatedAt: now });
  await work.audit('commission', c.id, 'commission.rejected', actor, {
    before: c.status,
    after: 'rejected',
    reason,
    sourceEvent,
    notify: c.beneficiaryId,
    data: { amount: net },
  });
  return { ...c, status: 'rejected', statusReason: reason, updatedAt: now };
}
