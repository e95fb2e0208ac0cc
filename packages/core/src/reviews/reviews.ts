import { authorizeAction } from '../authorization/authorization';
import { releaseCommission, voidCommission } from '../commissions/void';
import { type EngineContext, parse } from '../engine/context';
import { cursorPageInputSchema } from '../engine/fields';
import type { Work } from '../engine/work';
import { InvalidTransitionError, ParticipantNotFoundError, ReferralNotFoundError, ReviewNotFoundError } from '../errors/errors';
import { hashSignals, storeFingerprints } from '../fraud/signals';
import { eraseInvitation } from '../invitations/steps';
import type { Actor, AuditRecord, ReferralRecord, ReviewRecord } from '../store/records';
import {
  type DecideReviewInput,
  decideReviewInputSchema,
  type EraseUserInput,
  eraseUserInputSchema,
  type ListReviewsInput,
  listReviewsInputSchema,
  type RecordSignInInput,
  type RejectReferralInput,
  recordSignInInputSchema,
  rejectReferralInputSchema,
} from './inputs';
import { closeReview } from './queue';
import { rejectReferralTx } from './reject-referral';

/** Locks the referrer of a referral first, as every call that touches a referrer's money does, then reads the referral fresh. */
async function lockReferral(work: Work, referralId: string): Promise<ReferralRecord> {
  const found = await work.tx.referrals.get(work.scope, referralId);
  if (!found) throw new ReferralNotFoundError(referralId);
  await work.tx.participants.get(work.scope, found.referrerId, { forUpdate: true });
  return (await work.tx.referrals.get(work.scope, referralId)) ?? found;
}

/**
 * Admin: decides a review. Approving a held referral releases what it
 * earned (on hold → pending, then approved after the holding period);
 * approving a held commission releases it. Rejecting a referral rejects its
 * unpaid commissions and claws back paid ones; rejecting a commission rejects it.
 */
export async function decideReview(ctx: EngineContext, input: DecideReviewInput): Promise<ReviewRecord> {
  await authorizeAction(ctx, 'review.decide', decideReviewInputSchema, input, (d) => ({ type: 'review', id: d.reviewId }));
  const data = parse(decideReviewInputSchema, input);
  const admin: Actor = { type: 'admin', id: data.adminId };
  return ctx.run(async (work) => {
    const found = await work.tx.reviews.get(ctx.scope, data.reviewId);
    if (!found) throw new ReviewNotFoundError(data.reviewId);
    const referral = await lockReferral(work, found.referralId);
    const review = (await work.tx.reviews.get(ctx.scope, data.reviewId, { forUpdate: true })) ?? found;
    const to = data.decision === 'approve' ? 'approved' : 'rejected';
    if (review.status !== 'open') throw new InvalidTransitionError('review', review.id, review.status, to);

    if (review.entityType === 'referral') {
      if (to === 'rejected') {
        await rejectReferralTx(work, referral, admin, data.reason, review.id);
        return (await work.tx.reviews.get(ctx.scope, review.id))!;
      }
      const decided = await closeReview(work, review, 'approved', admin, data.reason);
      for (const c of await work.tx.commissions.listByReferral(ctx.scope, referral.id)) {
        // A line with a review of its own waits for that decision.
        if (c.status === 'on_hold' && !(await work.tx.reviews.getOpen(ctx.scope, 'commission', c.id))) await releaseCommission(work, c, admin, data.reason);
      }
      return decided;
    }
    const c = await work.tx.commissions.get(ctx.scope, review.entityId, { forUpdate: true });
    const decided = await closeReview(work, review, to, admin, data.reason);
    if (c && c.status === 'on_hold') {
      const referralHeld = (await work.tx.reviews.getOpen(ctx.scope, 'referral', referral.id)) !== null;
      if (to === 'rejected') await voidCommission(work, c, admin, data.reason, review.id);
      else if (!referralHeld) await releaseCommission(work, c, admin, data.reason);
    }
    return decided;
  });
}

/** Admin: rejects a referral at any time (fraud found later): unpaid commissions are rejected, paid ones clawed back. */
export async function rejectReferral(ctx: EngineContext, input: RejectReferralInput): Promise<ReferralRecord> {
  await authorizeAction(ctx, 'referral.reject', rejectReferralInputSchema, input, (d) => ({ type: 'referral', id: d.referralId }));
  const data = parse(rejectReferralInputSchema, input);
  return ctx.run(async (work) => {
    const referral = await lockReferral(work, data.referralId);
    if (referral.status === 'rejected') throw new InvalidTransitionError('referral', referral.id, 'rejected', 'rejected');
    return rejectReferralTx(work, referral, { type: 'admin', id: data.adminId }, data.reason, null);
  });
}

/** The review queue (open items by default), oldest first, one page at a time. */
export async function listReviews(ctx: EngineContext, input: ListReviewsInput = {}): Promise<ReviewRecord[]> {
  const data = parse(listReviewsInputSchema, input);
  return ctx.read((work) => work.tx.reviews.list(ctx.scope, data.status, { limit: data.limit, cursor: data.cursor }));
}

/** The program's recent activity from the audit trail, newest first, one page at a time. */
export async function recentActivity(ctx: EngineContext, input: { limit?: number; cursor?: string } = {}): Promise<AuditRecord[]> {
  const data = parse(cursorPageInputSchema, input);
  return ctx.read((work) => work.tx.audit.listRecent(ctx.scope, { limit: data.limit, cursor: data.cursor }));
}

/** Records where a user signed in from (IP, device) or a payment method they hold, as keyed hashes, for the fraud rules. */
export async function recordSignIn(ctx: EngineContext, input: RecordSignInInput): Promise<void> {
  const data = parse(recordSignInInputSchema, input);
  const hashes = hashSignals(ctx, data);
  await ctx.run((work) => storeFingerprints(work, data.userId, hashes, 'signin', null));
}

/** What `eraseUser` changed. */
export interface ErasureResult {
  /** Keyed hashes of the user's IPs, devices and payment methods, deleted. */
  fingerprints: number;
  /** Invitations whose address and message were erased: sent by the user, to the user's address, or accepted by them. */
  invitations: number;
  /** Payouts whose payout details were replaced by `{ type: 'erased' }`. */
  payouts: number;
  /** Whether the user's payout method was deleted. */
  payoutMethod: boolean;
  /** Clicks from the user's IP addresses whose IP hash and landing URL were erased. */
  clicks: number;
  /** Outbox events whose handler error message was cleared (events of the user, or about their referral, its commissions, their invitations or payouts). */
  eventErrors: number;
}

const ALL_PAYOUTS = { limit: Number.MAX_SAFE_INTEGER };

/**
 * Erases a user's personal data on request, everywhere onehop keeps it and
 * in one transaction: their e-mail (as participant and as referee); the
 * address and message of every invitation they sent, received or accepted
 * (a pending one is cancelled); their payout method, and the payout details
 * on every payout of theirs; the IP hash and landing URL of clicks from
 * their IP addresses; every hashed IP, device and payment fingerprint; the
 * handler error messages kept on outbox events about them. Ledger entries,
 * balances, amounts, statuses and the audit trail stay, keyed by the
 * application's opaque user id, so every total is unchanged: the ledger,
 * audit trail and outbox never held personal data. Idempotent: a second
 * call finds nothing left and changes nothing but its audit line. A user
 * onehop never knew (no participant, referral, invitation, fingerprint or
 * earlier erasure) is `PARTICIPANT_NOT_FOUND`.
 */
export async function eraseUser(ctx: EngineContext, input: EraseUserInput): Promise<ErasureResult> {
  await authorizeAction(ctx, 'user.erase', eraseUserInputSchema, input, (d) => ({ type: 'participant', id: d.userId }));
  const data = parse(eraseUserInputSchema, input);
  const { scope } = ctx;
  const admin: Actor = { type: 'admin', id: data.adminId };
  return ctx.run(async (work) => {
    // Lock every participant whose rows change (the user, their referrer, the
    // inviters of invitations to them) in one order, as all work on a referrer is serialised.
    const seen = await concerning(work, data.userId);
    const owners = [...new Set([data.userId, ...(seen.referral ? [seen.referral.referrerId] : []), ...seen.invitations.map((i) => i.inviterId)])].sort();
    for (const id of owners) await work.tx.participants.get(scope, id, { forUpdate: true });
    const { participant, referral, invitations } = await concerning(work, data.userId);
    const now = ctx.clock.now();

    if (participant && (participant.email !== null || participant.emailNormalized !== null)) {
      await work.tx.participants.update(scope, data.userId, { email: null, emailNormalized: null, updatedAt: now });
    }
    if (referral && referral.refereeEmailNormalized !== null) {
      await work.tx.referrals.update(scope, referral.id, { refereeEmailNormalized: null, updatedAt: now });
    }
    let erasedInvitations = 0;
    for (const invitation of invitations) if (await eraseInvitation(work, invitation, admin)) erasedInvitations += 1;
    let payouts = 0;
    const theirPayouts = await work.tx.payouts.listByUser(scope, data.userId, ALL_PAYOUTS);
    for (const payout of theirPayouts) {
      if (payout.method.type === 'erased') continue;
      await work.tx.payouts.update(scope, payout.id, { method: { type: 'erased', was: payout.method.type }, updatedAt: now });
      payouts += 1;
    }
    const payoutMethod = await work.tx.payoutMethods.delete(scope, data.userId);
    const ipHashes = (await work.tx.fingerprints.listByUser(scope, data.userId)).filter((f) => f.kind === 'ip').map((f) => f.hash);
    const clicks = ipHashes.length === 0 ? 0 : await work.tx.clicks.eraseByIpHashes(scope, [...new Set(ipHashes)]);
    const fingerprints = await work.tx.fingerprints.eraseUser(scope, data.userId);
    // A handler's error message may quote the person's data (a mail server refusing their address).
    const about = [...invitations.map((i) => i.id), ...theirPayouts.map((p) => p.id)];
    if (referral) about.push(referral.id, ...(await work.tx.commissions.listByReferral(scope, referral.id)).map((c) => c.id));
    const eventErrors = await work.tx.outbox.clearErrors(scope, data.userId, about);

    const result: ErasureResult = { fingerprints, invitations: erasedInvitations, payouts, payoutMethod, clicks, eventErrors };
    if (!participant && !referral && fingerprints === 0 && invitations.length === 0 && eventErrors === 0) {
      const erasedBefore = (await work.tx.audit.listByEntity(scope, 'participant', data.userId)).some((a) => a.action === 'participant.erased');
      if (!erasedBefore) throw new ParticipantNotFoundError(data.userId);
    }
    await work.audit('participant', data.userId, 'participant.erased', admin, { reason: data.reason, data: { ...result } });
    return result;
  });
}

/**
 * The rows of one person that erasure rewrites, found by user id and by the
 * addresses onehop knows for them: as participant, as referee, and the
 * address of the invitation they accepted (other invitations to it are theirs too).
 */
async function concerning(work: Work, userId: string) {
  const participant = await work.tx.participants.get(work.scope, userId);
  const referral = await work.tx.referrals.getByReferee(work.scope, userId);
  const emails = new Set([participant?.emailNormalized, referral?.refereeEmailNormalized].filter((e): e is string => e !== null && e !== undefined && e !== ''));
  let invitations = await work.tx.invitations.listConcerning(work.scope, userId, [...emails]);
  const accepted = invitations.filter((i) => i.acceptedBy === userId && i.emailNormalized !== '' && !emails.has(i.emailNormalized));
  if (accepted.length > 0) {
    for (const i of accepted) emails.add(i.emailNormalized);
    invitations = await work.tx.invitations.listConcerning(work.scope, userId, [...emails]);
  }
  return { participant, referral, invitations };
}
