import type {
  AuditRecord,
  BalanceRecord,
  ClickRecord,
  CodeRecord,
  CommissionRecord,
  FingerprintRecord,
  InvitationRecord,
  LedgerEntryRecord,
  OutboxRecord,
  ParticipantRecord,
  PayoutMethodRecord,
  PayoutRecord,
  PayoutRunRecord,
  ReferralRecord,
  ReviewRecord,
  SourceEventRecord,
  TaxProfileRecord,
} from '@onehop/core';
import { copy } from './copy';

/**
 * One copier per record type, each its own function: a row is cloned with a
 * spread (one step, keeping its hidden class) and only its Dates and JSON
 * fields are replaced, by name. A single generic copier walks every field of
 * every table's rows with `for … in`, and its property accesses see every
 * row shape the store holds, which V8 handles several times slower.
 * `Table.verifyCopies` (on in the store's own test run) checks each copy
 * against the generic deep copy, so a Date or object field missing here
 * fails a test.
 */
const date = (d: Date) => new Date(d.getTime());
const maybeDate = (d: Date | null) => (d === null ? null : new Date(d.getTime()));

export const COPIES = {
  participant: (r: ParticipantRecord): ParticipantRecord => ({
    ...r,
    enrolledAt: date(r.enrolledAt),
    updatedAt: date(r.updatedAt),
    customTerms: r.customTerms === null ? null : { ...r.customTerms },
  }),
  code: (r: CodeRecord): CodeRecord => ({ ...r, createdAt: date(r.createdAt), retiredAt: maybeDate(r.retiredAt) }),
  referral: (r: ReferralRecord): ReferralRecord => ({
    ...r,
    clickedAt: maybeDate(r.clickedAt),
    attributedAt: date(r.attributedAt),
    qualifiedAt: maybeDate(r.qualifiedAt),
    updatedAt: date(r.updatedAt),
  }),
  audit: (r: AuditRecord): AuditRecord => ({ ...r, actor: { ...r.actor }, data: copy(r.data), at: date(r.at) }),
  fingerprint: (r: FingerprintRecord): FingerprintRecord => ({ ...r, at: date(r.at) }),
  review: (r: ReviewRecord): ReviewRecord => ({ ...r, findings: copy(r.findings), createdAt: date(r.createdAt), decidedAt: maybeDate(r.decidedAt) }),
  click: (r: ClickRecord): ClickRecord => ({ ...r, at: date(r.at) }),
  event: (r: SourceEventRecord): SourceEventRecord => ({ ...r, result: copy(r.result), occurredAt: date(r.occurredAt), recordedAt: date(r.recordedAt) }),
  commission: (r: CommissionRecord): CommissionRecord => ({
    ...r,
    calculation: copy(r.calculation),
    availableAt: date(r.availableAt),
    createdAt: date(r.createdAt),
    approvedAt: maybeDate(r.approvedAt),
    paidAt: maybeDate(r.paidAt),
    updatedAt: date(r.updatedAt),
  }),
  ledger: (r: LedgerEntryRecord): LedgerEntryRecord => ({ ...r, actor: { ...r.actor }, at: date(r.at) }),
  balance: (r: BalanceRecord): BalanceRecord => ({ ...r, updatedAt: date(r.updatedAt) }),
  payout: (r: PayoutRecord): PayoutRecord => ({
    ...r,
    method: copy(r.method),
    requestedAt: date(r.requestedAt),
    decidedAt: maybeDate(r.decidedAt),
    paidAt: maybeDate(r.paidAt),
    updatedAt: date(r.updatedAt),
    leaseUntil: maybeDate(r.leaseUntil),
  }),
  payoutRun: (r: PayoutRunRecord): PayoutRunRecord => ({
    ...r,
    before: date(r.before),
    createdAt: date(r.createdAt),
    completedAt: maybeDate(r.completedAt),
    result: copy(r.result),
  }),
  taxProfile: (r: TaxProfileRecord): TaxProfileRecord => ({ ...r, statusDate: maybeDate(r.statusDate), updatedAt: date(r.updatedAt) }),
  payoutMethod: (r: PayoutMethodRecord): PayoutMethodRecord => ({ ...r, method: copy(r.method), updatedAt: date(r.updatedAt) }),
  outbox: (r: OutboxRecord): OutboxRecord => ({
    ...r,
    data: copy(r.data),
    occurredAt: date(r.occurredAt),
    nextAttemptAt: date(r.nextAttemptAt),
    leaseUntil: maybeDate(r.leaseUntil),
    deliveredAt: maybeDate(r.deliveredAt),
  }),
  invitation: (r: InvitationRecord): InvitationRecord => ({
    ...r,
    lastSentAt: date(r.lastSentAt),
    expiresAt: date(r.expiresAt),
    decidedAt: maybeDate(r.decidedAt),
    createdAt: date(r.createdAt),
  }),
};
