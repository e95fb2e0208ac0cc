/**
 * Names of the unique constraints a store must enforce. A store reports a
 * violation by throwing `UniqueViolationError` with one of these names.
 */
export const UNIQUE_CONSTRAINTS = {
  /** One participant per (program, mode, userId). */
  participantUser: 'participant_user',
  /** One code row per (program, mode, normalised code), retired ones included. */
  codeValue: 'code_value',
  /** One referral per (program, mode, refereeId). */
  referralReferee: 'referral_referee',
  /** One source event per (program, mode, kind, eventId): idempotency. */
  sourceEvent: 'source_event',
  /** At most one open (requested, approved or processing) payout per user. */
  payoutOpen: 'payout_open',
  /** Primary keys of rows with generated ids. */
  referralId: 'referral_id',
  auditId: 'audit_id',
  commissionId: 'commission_id',
  ledgerEntryId: 'ledger_entry_id',
  payoutId: 'payout_id',
  fingerprintId: 'fingerprint_id',
  reviewId: 'review_id',
  /** At most one open review per entity. */
  reviewOpen: 'review_open',
  clickId: 'click_id',
  outboxId: 'outbox_id',
  invitationId: 'invitation_id',
  invitationToken: 'invitation_token',
  /** At most one pending invitation per (inviter, normalised e-mail). */
  invitationPending: 'invitation_pending',
  /** One payout run per (program, mode, run id): runs are idempotent by id. */
  payoutRunId: 'payout_run_id',
  /** At most one payout per payee in one run. */
  payoutRunPayee: 'payout_run_payee',
} as const;

export type UniqueConstraint = (typeof UNIQUE_CONSTRAINTS)[keyof typeof UNIQUE_CONSTRAINTS];
