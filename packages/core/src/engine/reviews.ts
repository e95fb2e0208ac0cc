import { InvalidTransitionError, ParticipantNotFoundError, ReferralNotFoundError, ReviewNotFoundError } from '../errors/errors';
import type { Actor, AuditRecord, ReferralRecord, ReviewRecord } from '../store/records';
import type { StoreTransaction } from '../store/store';
import { parse, type EngineContext } from './context';
import { closeReview, hashSignals, rejectReferralTx, releaseCommission, storeFingerprints, voidCommission } from './fraud';
import {
  cursorPageInputSchema,
  decideReviewInputSchema,
  eraseUserInputSchema,
  listReviewsInputSchema,
  recordSignInInputSchema,
  rejectReferralInputSchema,
  type DecideReviewInput,
  type EraseUserInput,
  type ListReviewsInput,
  type RecordSignInInput,
  type RejectReferralInput,
} from './inputs';

/** Locks the referrer of a referral first, as every call that touches a referrer's money does, then reads the referral fresh. */
async function lockReferral(ctx: EngineContext, tx: StoreTransaction, referralId: string): Promise<ReferralRecord> {
  const found = await tx.referrals.get(ctx.scope, referralId);
  if (!found) throw new ReferralNotFoundError(referralId);
  await tx.participants.get(ctx.scope, found.referrerId, { forUpdate: true });
  return (await tx.referrals.get(ctx.scope, referralId)) ?? found;
}

/**
 * Admin: decides a review. Approving a held referral releases what it
 * earned (on hold → pending, then approved after the holding period);
 * approving a held commission releases it. Rejecting a referral rejects its
 * unpaid commissions and claws back paid ones; rejecting a commission rejects it.
 */
export async function decideReview(ctx: EngineContext, input: DecideReviewInput): Promise<ReviewRecord> {
  const data = parse(decideReviewInputSchema, input);
  const admin: Actor = { type: 'admin', id: data.adminId };
  return ctx.run(async (tx) => {
    const found = await tx.reviews.get(ctx.scope, data.reviewId);
    if (!found) throw new ReviewNotFoundError(data.reviewId);
    const referral = await lockReferral(ctx, tx, found.referralId);
    const review = (await tx.reviews.get(ctx.scope, data.reviewId, { forUpdate: true })) ?? found;
    const to = data.decision === 'approve' ? 'approved' : 'rejected';
    if (review.status !== 'open') throw new InvalidTransitionError('review', review.id, review.status, to);

    if (review.entityType === 'referral') {
      if (to === 'rejected') {
        await rejectReferralTx(ctx, tx, referral, admin, data.reason, review.id);
        return (await tx.reviews.get(ctx.scope, review.id))!;
      }
      const decided = await closeReview(ctx, tx, review, 'approved', admin, data.reason);
      for (const c of await tx.commissions.listByReferral(ctx.scope, referral.id)) {
        // A line with a review of its own waits for that decision.
        if (c.status === 'on_hold' && !(await tx.reviews.getOpen(ctx.scope, 'commission', c.id))) await releaseCommission(ctx, tx, c, admin, data.reason);
      }
      return decided;
    }
    const c = await tx.commissions.get(ctx.scope, review.entityId, { forUpdate: true });
    const decided = await closeReview(ctx, tx, review, to, admin, data.reason);
    if (c && c.status === 'on_hold') {
      const referralHeld = (await tx.reviews.getOpen(ctx.scope, 'referral', referral.id)) !== null;
      if (to === 'rejected') await voidCommission(ctx, tx, c, admin, data.reason, review.id);
      else if (!referralHeld) await releaseCommission(ctx, tx, c, admin, data.reason);
    }
    return decided;
  });
}

/** Admin: rejects a referral at any time (fraud found later): unpaid commissions are rejected, paid ones clawed back. */
export async function rejectReferral(ctx: EngineContext, input: RejectReferralInput): Promise<ReferralRecord> {
  const data = parse(rejectReferralInputSchema, input);
  return ctx.run(async (tx) => {
    const referral = await lockReferral(ctx, tx, data.referralId);
    if (referral.status === 'rejected') throw new InvalidTransitionError('referral', referral.id, 'rejected', 'rejected');
    return rejectReferralTx(ctx, tx, referral, { type: 'admin', id: data.adminId }, data.reason, null);
  });
}

/** The review queue (open items by default), oldest first, one page at a time. */
export async function listReviews(ctx: EngineContext, input: ListReviewsInput = {}): Promise<ReviewRecord[]> {
  const data = parse(listReviewsInputSchema, input);
  return ctx.run((tx) => tx.reviews.list(ctx.scope, data.status, { limit: data.limit, cursor: data.cursor }));
}

/** The program's recent activity from the audit trail, newest first, one page at a time. */
export async function recentActivity(ctx: EngineContext, input: { limit?: number; cursor?: string } = {}): Promise<AuditRecord[]> {
  const data = parse(cursorPageInputSchema, input);
  return ctx.run((tx) => tx.audit.listRecent(ctx.scope, { limit: data.limit, cursor: data.cursor }));
}

/** Records where a user signed in from (IP, device) or a payment method they hold, as keyed hashes, for the fraud rules. */
export async function recordSignIn(ctx: EngineContext, input: RecordSignInInput): Promise<void> {
  const data = parse(recordSignInInputSchema, input);
  const hashes = hashSignals(ctx, data);
  await ctx.run((tx) => storeFingerprints(ctx, tx, data.userId, hashes, 'signin', null));
}

/**
 * Erases a user's personal data on request: their email (as participant and
 * as referee) and every hashed IP, device and payment fingerprint. Ledger
 * entries, amounts, statuses and the audit trail's structure stay, keyed by
 * the application's opaque user id, so balances still add up.
 */
export async function eraseUser(ctx: EngineContext, input: EraseUserInput): Promise<{ fingerprints: number }> {
  const data = parse(eraseUserInputSchema, input);
  return ctx.run(async (tx) => {
    const participant = await tx.participants.get(ctx.scope, data.userId, { forUpdate: true });
    const now = ctx.clock.now();
    if (participant && (participant.email !== null || participant.emailNormalized !== null)) {
      await tx.participants.update(ctx.scope, data.userId, { email: null, emailNormalized: null, updatedAt: now });
    }
    const referral = await tx.referrals.getByReferee(ctx.scope, data.userId);
    if (referral && referral.refereeEmailNormalized !== null) {
      await tx.referrals.update(ctx.scope, referral.id, { refereeEmailNormalized: null, updatedAt: now });
    }
    const fingerprints = await tx.fingerprints.eraseUser(ctx.scope, data.userId);
    if (!participant && !referral && fingerprints === 0) throw new ParticipantNotFoundError(data.userId);
    await ctx.audit(tx, 'participant', data.userId, 'participant.erased', { type: 'admin', id: data.adminId }, { reason: data.reason, data: { fingerprints } });
    return { fingerprints };
  });
}
