import { HashKeyMissingError } from '../errors/errors';
import { keyedHash } from '../fraud/hash';
import type { FraudSignals, SignalHashes } from '../fraud/rules';
import type { Actor, CommissionRecord, FingerprintRole, FraudFinding, ReferralRecord, ReviewRecord } from '../store/records';
import type { StoreTransaction } from '../store/store';
import { SYSTEM, type EngineContext } from './context';
import { newId } from './ids';
import { bucketOf } from './purchases';

/** The raw signals a call may carry; only their keyed hashes are ever stored. */
export interface RawSignals {
  ip?: string | undefined;
  deviceId?: string | undefined;
  paymentFingerprint?: string | undefined;
}

/** Hashes the signals with the program's key; passing one without a key is an error, before anything is written. */
export function hashSignals(ctx: EngineContext, raw: RawSignals): SignalHashes {
  const key = ctx.program.privacy.hashKey;
  const hash = (field: keyof RawSignals, kind: 'ip' | 'device' | 'payment'): string | null => {
    const value = raw[field];
    if (value === undefined) return null;
    if (key === undefined) throw new HashKeyMissingError(field);
    return keyedHash(key, kind, value, { ipv6PrefixLength: ctx.program.fraud.ipv6PrefixLength });
  };
  return { ip: hash('ip', 'ip'), device: hash('deviceId', 'device'), payment: hash('paymentFingerprint', 'payment') };
}

export function signalsOf(ctx: EngineContext, tx: StoreTransaction): FraudSignals {
  return {
    countFingerprints: async (query) => tx.fingerprints.count(ctx.scope, query),
    countReferralsSince: async (referrerId, since) => tx.referrals.countByReferrerSince(ctx.scope, referrerId, since),
  };
}

/** Stores the hashes that were passed, as fingerprints of `userId`. */
export async function storeFingerprints(
  ctx: EngineContext,
  tx: StoreTransaction,
  userId: string,
  hashes: SignalHashes,
  role: FingerprintRole,
  referrerId: string | null,
): Promise<void> {
  const at = ctx.clock.now();
  for (const [kind, hash] of [
    ['ip', hashes.ip],
    ['device', hashes.device],
    ['payment', hashes.payment],
  ] as const) {
    if (hash === null) continue;
    await tx.fingerprints.insert({ programId: ctx.scope.programId, mode: ctx.scope.mode, id: newId('fpr'), userId, kind, hash, role, referrerId, at });
  }
}

/** Puts a referral or a commission in the review queue, with what the rules found. */
export async function openReview(
  ctx: EngineContext,
  tx: StoreTransaction,
  entityType: ReviewRecord['entityType'],
  entityId: string,
  referral: ReferralRecord,
  findings: FraudFinding[],
  sourceEvent: string | null,
): Promise<ReviewRecord> {
  const review: ReviewRecord = {
    programId: ctx.scope.programId,
    mode: ctx.scope.mode,
    id: newId('rev'),
    entityType,
    entityId,
    referralId: referral.id,
    referrerId: referral.referrerId,
    status: 'open',
    findings: findings.map(({ rule, action, reason, details }) => ({ rule, action, reason, details })),
    createdAt: ctx.clock.now(),
    decidedAt: null,
    decidedBy: null,
    decisionReason: null,
  };
  await tx.reviews.insert(review);
  ctx.emit(tx, 'fraud.flagged', referral.referrerId, entityType, entityId, { action: 'review', reviewId: review.id, findings: review.findings });
  await ctx.audit(tx, entityType, entityId, `${entityType}.held`, SYSTEM, {
    notify: referral.referrerId,
    after: 'in_review',
    reason: findings.map((f) => f.reason).join(', '),
    sourceEvent,
    data: { reviewId: review.id, findings: review.findings as unknown as Record<string, unknown>[] },
  });
  return review;
}

/** Closes a review with a decision; `actor` is the admin, or the system when a rejection closes it. */
export async function closeReview(ctx: EngineContext, tx: StoreTransaction, review: ReviewRecord, status: 'approved' | 'rejected', actor: Actor, reason: string): Promise<ReviewRecord> {
  const patch = { status, decidedAt: ctx.clock.now(), decidedBy: actor.id ?? 'system', decisionReason: reason };
  await tx.reviews.update(ctx.scope, review.id, patch);
  await ctx.audit(tx, 'review', review.id, `review.${status}`, actor, { before: 'open', after: status, reason, data: { entityType: review.entityType, entityId: review.entityId } });
  return { ...review, ...patch };
}

/** Moves a held commission back into the normal flow: pending, approved by `approveDue` after its holding period. */
export async function releaseCommission(ctx: EngineContext, tx: StoreTransaction, c: CommissionRecord, actor: Actor, reason: string): Promise<void> {
  const net = c.amount - c.reversedAmount;
  if (net > 0) {
    await ctx.post(tx, [{ accountId: c.beneficiaryId, moves: { on_hold: -net, pending: net }, kind: 'release', commissionId: c.id, sourceType: 'review', sourceId: c.id, actor, reason }]);
  }
  await tx.commissions.update(ctx.scope, c.id, { status: 'pending', statusReason: null, updatedAt: ctx.clock.now() });
  await ctx.audit(tx, 'commission', c.id, 'commission.released', actor, { before: 'on_hold', after: 'pending', reason, notify: c.beneficiaryId, data: { amount: net } });
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
export async function voidCommission(ctx: EngineContext, tx: StoreTransaction, c: CommissionRecord, actor: Actor, reason: string, sourceEvent: string | null): Promise<CommissionRecord | null> {
  const bucket = bucketOf(c.status);
  if (bucket === null) return null;
  const open = await tx.reviews.getOpen(ctx.scope, 'commission', c.id);
  if (open) await closeReview(ctx, tx, open, 'rejected', actor, reason);
  const net = c.amount - c.reversedAmount;
  const now = ctx.clock.now();
  if (net > 0) {
    await ctx.post(tx, [
      { accountId: c.beneficiaryId, moves: { [bucket]: -net }, kind: 'rejection', commissionId: c.id, sourceType: 'review', sourceId: c.id, actor, reason },
    ]);
  }
  await tx.commissions.update(ctx.scope, c.id, { status: 'rejected', statusReason: reason, updatedAt: now });
  await ctx.audit(tx, 'commission', c.id, 'commission.rejected', actor, { before: c.status, after: 'rejected', reason, sourceEvent, notify: c.beneficiaryId, data: { amount: net } });
  return { ...c, status: 'rejected', statusReason: reason, updatedAt: now };
}

/**
 * Rejects a referral: each of its commissions is rejected (see
 * `voidCommission`: paid ones are clawed back), and its open reviews are
 * closed. The referee's later purchases earn nothing.
 */
export async function rejectReferralTx(
  ctx: EngineContext,
  tx: StoreTransaction,
  referral: ReferralRecord,
  actor: Actor,
  reason: string,
  sourceEvent: string | null,
): Promise<ReferralRecord> {
  if (referral.status === 'rejected') return referral;
  const now = ctx.clock.now();
  await tx.referrals.update(ctx.scope, referral.id, { status: 'rejected', statusReason: reason, updatedAt: now });
  ctx.tallyReferral(tx, referral, referral.status, 'rejected');
  await ctx.audit(tx, 'referral', referral.id, 'referral.rejected', actor, { before: referral.status, after: 'rejected', reason, sourceEvent, notify: referral.referrerId, data: { refereeId: referral.refereeId } });
  for (const listed of await tx.commissions.listByReferral(ctx.scope, referral.id)) {
    const c = (await tx.commissions.get(ctx.scope, listed.id, { forUpdate: true })) ?? listed;
    await voidCommission(ctx, tx, c, actor, reason, sourceEvent);
  }
  const open = await tx.reviews.getOpen(ctx.scope, 'referral', referral.id);
  if (open) await closeReview(ctx, tx, open, 'rejected', actor, reason);
  return { ...referral, status: 'rejected', statusReason: reason, updatedAt: now };
}
