import { SYSTEM } from '../engine/context';
import { newId } from '../engine/ids';
import type { Recorder } from '../engine/recorder';
import type { Work } from '../engine/work';
import type { Actor, AuditRecord, FraudFinding, ReferralRecord, ReviewRecord } from '../store/records';

/**
 * A review of a referral or a commission, with what the rules found, and its
 * audit line; the `fraud.flagged` event goes to `recorder`. No I/O.
 */
export function reviewOpening(
  recorder: Recorder,
  entityType: ReviewRecord['entityType'],
  entityId: string,
  referral: ReferralRecord,
  findings: FraudFinding[],
  sourceEvent: string | null,
): { review: ReviewRecord; audit: AuditRecord } {
  const review: ReviewRecord = {
    programId: recorder.scope.programId,
    mode: recorder.scope.mode,
    id: newId('rev'),
    entityType,
    entityId,
    referralId: referral.id,
    referrerId: referral.referrerId,
    status: 'open',
    findings: findings.map(({ rule, action, reason, details }) => ({ rule, action, reason, details })),
    createdAt: recorder.now(),
    decidedAt: null,
    decidedBy: null,
    decisionReason: null,
  };
  recorder.emit('fraud.flagged', referral.referrerId, entityType, entityId, { action: 'review', reviewId: review.id, findings: review.findings });
  const audit = recorder.auditLine(entityType, entityId, `${entityType}.held`, SYSTEM, {
    notify: referral.referrerId,
    after: 'in_review',
    reason: findings.map((f) => f.reason).join(', '),
    sourceEvent,
    data: { reviewId: review.id, findings: review.findings as unknown as Record<string, unknown>[] },
  });
  return { review, audit };
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
  const { review, audit } = reviewOpening(work.recorder, entityType, entityId, referral, findings, sourceEvent);
  await work.tx.reviews.insert(review);
  await work.tx.audit.append(audit);
  return review;
}

/** Closes a review with a decision; `actor` is the admin, or the system when a rejection closes it. */
export async function closeReview(work: Work, review: ReviewRecord, status: 'approved' | 'rejected', actor: Actor, reason: string): Promise<ReviewRecord> {
  const patch = { status, decidedAt: work.now(), decidedBy: actor.id ?? 'system', decisionReason: reason };
  await work.tx.reviews.update(work.scope, review.id, patch);
  await work.audit('review', review.id, `review.${status}`, actor, {
    before: 'open',
    after: status,
    reason,
    data: { entityType: review.entityType, entityId: review.entityId },
  });
  return { ...review, ...patch };
}
