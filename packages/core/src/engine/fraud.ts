import { HashKeyMissingError } from '../errors/errors';
import { keyedHash } from '../fraud/hash';
import type { FraudSignals, SignalHashes } from '../fraud/rules';
import type { Actor, CommissionRecord, FingerprintRole, FraudFinding, ReferralRecord, ReviewRecord } from '../store/records';
import { SYSTEM, type EngineContext } from './context';
import type { Work } from './work';
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

export function signalsOf(work: Work): FraudSignals {
  return {
    countFingerprints: async (query) => work.tx.fingerprints.count(work.scope, query),
    countReferralsSince: async (referrerId, since) => work.tx.referrals.countByReferrerSince(work.scope, referrerId, since),
  };
}

/** Stores the hashes that were passed, as fingerprints of `userId`. */
export async function storeFingerprints(
  work: Work,
  userId: string,
  hashes: SignalHashes,
  role: FingerprintRole,
  referrerId: string | null,
): Promise<void> {
  const at = work.now();
  for (const [kind, hash] of [
    ['ip', hashes.ip],
    ['device', hashes.device],
    ['payment', hashes.payment],
  ] as const) {
    if (hash === null) continue;
    await work.tx.fingerprints.insert({ programId: work.scope.programId, mode: work.scope.mode, id: newId('fpr'), userId, kind, hash, role, referrerId, at });
  }
}

/** Puts a referral or a commission in the review queue, with what the rules found. */
export async function openReview(
  work: Work,
  entityType: ReviewRecord['entityType'],
  entityId: string,
  referral: ReferralRecord,
  findings: FraudFinding[],
  sourceEvent: string | null,
): Promise<ReviewRecord> {
  const review: ReviewRecord = {
    programId: work.scope.programId,
    mode: work.scope.mode,
    id: newId('rev'),
    entityType,
    entityId,
    referralId: referral.id,
    referrerId: referral.referrerId,
    status: 'open',
    findings: findings.map(({ rule, action, reason, details }) => ({ rule, action, reason, details })),
    createdAt: work.now(),
    decidedAt: null,
    decidedBy: null,
    decisionReason: null,
  };
  await work.tx.reviews.insert(review);
  work.emit('fraud.flagged', referral.referrerId, entityType, entityId, { action: 'review', reviewId: review.id, findings: review.findings });
  await work.audit(entityType, entityId, `${entityType}.held`, SYSTEM, {
    notify: referral.referrerId,
    after: 'in_review',
    reason: findings.map((f) => f.reason).join(', '),
    sourceEvent,
    data: { reviewId: review.id, findings: review.findings as unknown as Record<string, unknown>[] },
  });
  return review;
}

/** Closes a review with a decision; `actor` is the admin, or the system when a rejection closes it. */
export async function closeReview(work: Work, review: ReviewRecord, status: 'approved' | 'rejected', actor: Actor, reason: string): Promise<ReviewRecord> {
  const patch = { status, decidedAt: work.now(), decidedBy: actor.id ?? 'system', decisionReason: reason };
  await work.tx.reviews.update(work.scope, review.id, patch);
  await work.audit('review', review.id, `review.${status}`, actor, { before: 'open', after: status, reason, data: { entityType: review.entityType, entityId: review.entityId } });
  return { ...review, ...patch };
}

/** Moves a held commission back into the normal flow: pending, approved by `approveDue` after its holding period. */
export async function releaseCommission(work: Work, c: CommissionRecord, actor: Actor, reason: string): Promise<void> {
  const net = c.amount - c.reversedAmount;
  if (net > 0) {
    await work.post([{ accountId: c.beneficiaryId, moves: { on_hold: -net, pending: net }, kind: 'release', commissionId: c.id, sourceType: 'review', sourceId: c.id, actor, reason }]);
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
    await work.post([
      { accountId: c.beneficiaryId, moves: { [bucket]: -net }, kind: 'rejection', commissionId: c.id, sourceType: 'review', sourceId: c.id, actor, reason },
    ]);
  }
  await work.tx.commissions.update(work.scope, c.id, { status: 'rejected', statusReason: reason, updatedAt: now });
  await work.audit('commission', c.id, 'commission.rejected', actor, { before: c.status, after: 'rejected', reason, sourceEvent, notify: c.beneficiaryId, data: { amount: net } });
  return { ...c, status: 'rejected', statusReason: reason, updatedAt: now };
}

/**
 * Rejects a referral: each of its commissions is rejected (see
 * `voidCommission`: paid ones are clawed back), and its open reviews are
 * closed. The referee's later purchases earn nothing.
 */
export async function rejectReferralTx(
  work: Work,
  referral: ReferralRecord,
  actor: Actor,
  reason: string,
  sourceEvent: string | null,
): Promise<ReferralRecord> {
  if (referral.status === 'rejected') return referral;
  const now = work.now();
  await work.tx.referrals.update(work.scope, referral.id, { status: 'rejected', statusReason: reason, updatedAt: now });
  work.tallyReferral(referral, referral.status, 'rejected');
  await work.audit('referral', referral.id, 'referral.rejected', actor, { before: referral.status, after: 'rejected', reason, sourceEvent, notify: referral.referrerId, data: { refereeId: referral.refereeId } });
  for (const listed of await work.tx.commissions.listByReferral(work.scope, referral.id)) {
    const c = (await work.tx.commissions.get(work.scope, listed.id, { forUpdate: true })) ?? listed;
    await voidCommission(work, c, actor, reason, sourceEvent);
  }
  const open = await work.tx.reviews.getOpen(work.scope, 'referral', referral.id);
  if (open) await closeReview(work, open, 'rejected', actor, reason);
  return { ...referral, status: 'rejected', statusReason: reason, updatedAt: now };
}
