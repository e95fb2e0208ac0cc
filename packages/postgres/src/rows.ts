import type {
  Actor,
  ClickRecord,
  InvitationRecord,
  OutboxRecord,
  FingerprintRecord,
  ReviewRecord,
  Mode,
  AuditRecord,
  BalanceRecord,
  CodeRecord,
  CommissionRecord,
  CounterRecord,
  LedgerEntryRecord,
  ParticipantRecord,
  PayoutMethodRecord,
  PayoutRecord,
  ReferralRecord,
  SourceEventRecord,
} from '@onehop/core';
import { date, dateOrNull, int, json, textOrNull } from './values';

/**
 * Columns of each table as the store reads them, and the conversion of a row
 * into the record the engine works with. Reads name their columns, so the
 * internal `seq` ordering column never leaks out.
 */
type Row = Record<string, unknown>;

// Each mapper writes programId and mode out rather than spreading a scope
// object: see `Scope` in @onehop/core for why.

const actor = (r: Row): Actor => ({ type: r.actor_type as Actor['type'], id: textOrNull(r.actor_id) });

export const COLUMNS = {
  participants: 'program_id, mode, user_id, email, email_normalized, code, status, terms_version, enrolled_at, updated_at',
  codes: 'program_id, mode, code, user_id, status, vanity, created_at, retired_at',
  referrals:
    'program_id, mode, id, referrer_id, referee_id, code, status, status_reason, source, country, referee_email_normalized, clicked_at, attributed_at, qualified_at, purchase_count, revenue, updated_at',
  audit_trail: 'program_id, mode, id, entity_type, entity_id, action, actor_type, actor_id, before, after, reason, source_event, data, at',
  source_events:
    'program_id, mode, kind, event_id, payload_hash, referral_id, referrer_id, referee_id, amount, reversed_amount, related_event_id, result, occurred_at, recorded_at',
  commissions:
    'program_id, mode, id, kind, beneficiary_id, referrer_id, referee_id, referral_id, source_kind, source_event_id, amount, reversed_amount, status, status_reason, calculation, available_at, payout_id, created_at, approved_at, paid_at, updated_at',
  ledger_entries:
    'program_id, mode, id, account_id, bucket, amount, kind, commission_id, payout_id, source_type, source_id, actor_type, actor_id, reason, at',
  fingerprints: 'program_id, mode, id, user_id, kind, hash, role, referrer_id, at',
  clicks: 'program_id, mode, id, code, referrer_id, landing_url, source, ip_hash, at',
  reviews: 'program_id, mode, id, entity_type, entity_id, referral_id, referrer_id, status, findings, created_at, decided_at, decided_by, decision_reason',
  balances: 'program_id, mode, account_id, pending, on_hold, withdrawable, requested, paid, updated_at',
  payouts:
    'program_id, mode, id, user_id, amount, status, method, status_reason, external_reference, requested_at, decided_at, decided_by, paid_at, updated_at',
  payout_methods: 'program_id, mode, user_id, method, updated_at',
  outbox:
    'program_id, mode, id, type, subject_id, entity_type, entity_id, data, occurred_at, status, attempts, next_attempt_at, lease_token, lease_until, last_error, delivered_at',
  invitations:
    'program_id, mode, id, inviter_id, email, email_normalized, message, token, status, send_count, last_sent_at, expires_at, accepted_by, decided_at, created_at',
} as const;

export const toParticipant = (r: Row): ParticipantRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  userId: String(r.user_id),
  email: textOrNull(r.email),
  emailNormalized: textOrNull(r.email_normalized),
  code: String(r.code),
  status: r.status as ParticipantRecord['status'],
  termsVersion: textOrNull(r.terms_version),
  enrolledAt: date(r.enrolled_at),
  updatedAt: date(r.updated_at),
});

export const toCode = (r: Row): CodeRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  code: String(r.code),
  userId: String(r.user_id),
  status: r.status as CodeRecord['status'],
  vanity: r.vanity === true,
  createdAt: date(r.created_at),
  retiredAt: dateOrNull(r.retired_at),
});

export const toReferral = (r: Row): ReferralRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  id: String(r.id),
  referrerId: String(r.referrer_id),
  refereeId: String(r.referee_id),
  code: String(r.code),
  status: r.status as ReferralRecord['status'],
  statusReason: textOrNull(r.status_reason),
  source: textOrNull(r.source),
  country: textOrNull(r.country),
  refereeEmailNormalized: textOrNull(r.referee_email_normalized),
  clickedAt: dateOrNull(r.clicked_at),
  attributedAt: date(r.attributed_at),
  qualifiedAt: dateOrNull(r.qualified_at),
  purchaseCount: int(r.purchase_count, 'purchase_count'),
  revenue: int(r.revenue, 'revenue'),
  updatedAt: date(r.updated_at),
});

export const toAudit = (r: Row): AuditRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  id: String(r.id),
  entityType: r.entity_type as AuditRecord['entityType'],
  entityId: String(r.entity_id),
  action: String(r.action),
  actor: actor(r),
  before: textOrNull(r.before),
  after: textOrNull(r.after),
  reason: textOrNull(r.reason),
  sourceEvent: textOrNull(r.source_event),
  data: r.data === null || r.data === undefined ? null : json(r.data),
  at: date(r.at),
});

export const toSourceEvent = (r: Row): SourceEventRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  kind: r.kind as SourceEventRecord['kind'],
  eventId: String(r.event_id),
  payloadHash: String(r.payload_hash),
  referralId: textOrNull(r.referral_id),
  referrerId: textOrNull(r.referrer_id),
  refereeId: textOrNull(r.referee_id),
  amount: int(r.amount, 'amount'),
  reversedAmount: int(r.reversed_amount, 'reversed_amount'),
  relatedEventId: textOrNull(r.related_event_id),
  result: json(r.result),
  occurredAt: date(r.occurred_at),
  recordedAt: date(r.recorded_at),
});

export const toCommission = (r: Row): CommissionRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  id: String(r.id),
  kind: r.kind as CommissionRecord['kind'],
  beneficiaryId: String(r.beneficiary_id),
  referrerId: String(r.referrer_id),
  refereeId: textOrNull(r.referee_id),
  referralId: textOrNull(r.referral_id),
  sourceKind: r.source_kind as CommissionRecord['sourceKind'],
  sourceEventId: String(r.source_event_id),
  amount: int(r.amount, 'amount'),
  reversedAmount: int(r.reversed_amount, 'reversed_amount'),
  status: r.status as CommissionRecord['status'],
  statusReason: textOrNull(r.status_reason),
  calculation: json(r.calculation),
  availableAt: date(r.available_at),
  payoutId: textOrNull(r.payout_id),
  createdAt: date(r.created_at),
  approvedAt: dateOrNull(r.approved_at),
  paidAt: dateOrNull(r.paid_at),
  updatedAt: date(r.updated_at),
});

export const toLedgerEntry = (r: Row): LedgerEntryRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  id: String(r.id),
  accountId: String(r.account_id),
  bucket: r.bucket as LedgerEntryRecord['bucket'],
  amount: int(r.amount, 'amount'),
  kind: r.kind as LedgerEntryRecord['kind'],
  commissionId: textOrNull(r.commission_id),
  payoutId: textOrNull(r.payout_id),
  sourceType: r.source_type as LedgerEntryRecord['sourceType'],
  sourceId: String(r.source_id),
  actor: actor(r),
  reason: textOrNull(r.reason),
  at: date(r.at),
});

export const toCounter = (r: Row): CounterRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  ownerId: String(r.owner_id),
  name: String(r.name),
  period: String(r.period),
  value: int(r.value, 'counter'),
});

export const toBalance = (r: Row): BalanceRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  accountId: String(r.account_id),
  pending: int(r.pending, 'pending'),
  on_hold: int(r.on_hold, 'on_hold'),
  withdrawable: int(r.withdrawable, 'withdrawable'),
  requested: int(r.requested, 'requested'),
  paid: int(r.paid, 'paid'),
  updatedAt: date(r.updated_at),
});

export const toPayout = (r: Row): PayoutRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  id: String(r.id),
  userId: String(r.user_id),
  amount: int(r.amount, 'amount'),
  status: r.status as PayoutRecord['status'],
  method: json(r.method),
  statusReason: textOrNull(r.status_reason),
  externalReference: textOrNull(r.external_reference),
  requestedAt: date(r.requested_at),
  decidedAt: dateOrNull(r.decided_at),
  decidedBy: textOrNull(r.decided_by),
  paidAt: dateOrNull(r.paid_at),
  updatedAt: date(r.updated_at),
});

export const toPayoutMethod = (r: Row): PayoutMethodRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  userId: String(r.user_id),
  method: json(r.method),
  updatedAt: date(r.updated_at),
});

export const toFingerprint = (r: Row): FingerprintRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  id: String(r.id),
  userId: String(r.user_id),
  kind: r.kind as FingerprintRecord['kind'],
  hash: String(r.hash),
  role: r.role as FingerprintRecord['role'],
  referrerId: textOrNull(r.referrer_id),
  at: date(r.at),
});

export const toClick = (r: Row): ClickRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  id: String(r.id),
  code: String(r.code),
  referrerId: String(r.referrer_id),
  landingUrl: textOrNull(r.landing_url),
  source: textOrNull(r.source),
  ipHash: textOrNull(r.ip_hash),
  at: date(r.at),
});

export const toReview = (r: Row): ReviewRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  id: String(r.id),
  entityType: r.entity_type as ReviewRecord['entityType'],
  entityId: String(r.entity_id),
  referralId: String(r.referral_id),
  referrerId: String(r.referrer_id),
  status: r.status as ReviewRecord['status'],
  findings: json(r.findings) as unknown as ReviewRecord['findings'],
  createdAt: date(r.created_at),
  decidedAt: dateOrNull(r.decided_at),
  decidedBy: textOrNull(r.decided_by),
  decisionReason: textOrNull(r.decision_reason),
});

export const toOutbox = (r: Row): OutboxRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  id: String(r.id),
  type: String(r.type),
  subjectId: String(r.subject_id),
  entityType: r.entity_type as OutboxRecord['entityType'],
  entityId: String(r.entity_id),
  data: json(r.data) as Record<string, unknown>,
  occurredAt: date(r.occurred_at),
  status: r.status as OutboxRecord['status'],
  attempts: int(r.attempts, 'attempts'),
  nextAttemptAt: date(r.next_attempt_at),
  leaseToken: textOrNull(r.lease_token),
  leaseUntil: dateOrNull(r.lease_until),
  lastError: textOrNull(r.last_error),
  deliveredAt: dateOrNull(r.delivered_at),
});

export const toInvitation = (r: Row): InvitationRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  id: String(r.id),
  inviterId: String(r.inviter_id),
  email: String(r.email),
  emailNormalized: String(r.email_normalized),
  message: textOrNull(r.message),
  token: String(r.token),
  status: r.status as InvitationRecord['status'],
  sendCount: int(r.send_count, 'send_count'),
  lastSentAt: date(r.last_sent_at),
  expiresAt: date(r.expires_at),
  acceptedBy: textOrNull(r.accepted_by),
  decidedAt: dateOrNull(r.decided_at),
  createdAt: date(r.created_at),
});
