import type { AuditEntityType, InvitationRecord, OutboxRecord } from '../store/records';

/**
 * Every domain event onehop writes to its outbox. Each is written in the
 * transaction of the change it reports, so none is lost and none reports a
 * change that rolled back.
 */
export const DOMAIN_EVENT_TYPES = [
  'referral.created',
  'referral.qualified',
  'referral.rejected',
  'referral.held',
  'commission.accrued',
  'commission.held',
  'commission.released',
  'commission.approved',
  'commission.rejected',
  'commission.reversed',
  'commission.paid',
  'payout.requested',
  'payout.approved',
  'payout.rejected',
  'payout.paid',
  'tier.changed',
  'milestone.reached',
  'invitation.sent',
  'invitation.accepted',
  'invitation.expired',
  'invitation.cancelled',
  'fraud.flagged',
  'payout.processing',
  'payout.failed',
] as const;

export type DomainEventType = (typeof DOMAIN_EVENT_TYPES)[number];

/** What a handler receives: the event without the outbox's delivery bookkeeping. */
export interface OnehopEvent {
  /** Stable id: the same event delivered twice has the same id. Deduplicate on it. */
  id: string;
  type: DomainEventType;
  programId: string;
  mode: OutboxRecord['mode'];
  /** The participant it concerns: the referrer, the inviter, or the account that earned. */
  subjectId: string;
  entityType: AuditEntityType;
  entityId: string;
  /**
   * Details: `before` / `after` states, `reason`, `actor`, amounts, ids. The
   * outbox stores ids, amounts and references only; personal data a handler
   * needs is added when the event is delivered, from rows that erasure
   * rewrites: an `invitation.*` event gets `email` (the invitee's address,
   * null once erased) and `invitation.sent` also `message`.
   */
  data: Record<string, unknown>;
  occurredAt: Date;
}

/**
 * The event a handler receives for an outbox row. `invitation` is the
 * current row of the invitation an `invitation.*` event names (null when
 * it is gone), whose address and message are added to the event's data.
 */
export function toEvent(row: OutboxRecord, invitation: InvitationRecord | null = null): OnehopEvent {
  let data = row.data;
  if (row.entityType === 'invitation') {
    data = { ...row.data, email: invitation === null || invitation.email === '' ? null : invitation.email };
    if (row.type === 'invitation.sent') data.message = invitation?.message ?? null;
  }
  return {
    id: row.id,
    type: row.type as DomainEventType,
    programId: row.programId,
    mode: row.mode,
    subjectId: row.subjectId,
    entityType: row.entityType,
    entityId: row.entityId,
    data,
    occurredAt: row.occurredAt,
  };
}
