import { voidCommission } from '../commissions/void';
import type { Work } from '../engine/work';
import type { Actor, ReferralRecord } from '../store/records';
import { closeReview } from './queue';

/**
 * Rejects a referral: each of its commissions is rejected (see
 * `voidCommission`: paid ones are clawed back), and its open reviews are
 * closed. The referee's later purchases earn nothing.
 */
export async function rejectReferralTx(work: Work, referral: ReferralRecord, actor: Actor, reason: string, sourceEvent: string | null): Promise<ReferralRecord> {
  if (referral.status === 'rejected') return referral;
  const now = work.now();
  await work.tx.referrals.update(work.scope, referral.id, { status: 'rejected', statusReason: reason, updatedAt: now });
  work.tallyReferral(referral, referral.status, 'rejected');
  await work.audit('referral', referral.id, 'referral.rejected', actor, {
    before: referral.status,
    after: 'rejected',
    reason,
    sourceEvent,
    notify: referral.referrerId,
    data: { refereeId: referral.refereeId },
  });
  for (const listed of await work.tx.commissions.listByReferral(work.scope, referral.id)) {
    const c = (await work.tx.commissions.get(work.scope, listed.id, { forUpdate: true })) ?? listed;
    await voidCommission(work, c, actor, reason, sourceEvent);
  }
  const open = await work.tx.reviews.getOpen(work.scope, 'referral', referral.id);
  if (open) await closeReview(work, open, 'rejected', actor, reason);
  return { ...referral, status: 'rejected', statusReason: reason, updatedAt: now };
}
