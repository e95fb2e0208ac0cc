import type {
  AuditRecord,
  Bucket,
  CommissionRecord,
  CounterRecord,
  FingerprintRecord,
  LedgerEntryRecord,
  OutboxRecord,
  ReferralRecord,
  ReviewRecord,
  Scope,
  SourceEventRecord,
} from './records';

/**
 * The precondition of a write set: the participant (the referrer) still has
 * the version the decision read. Applying bumps it, so of two write sets that
 * read the same version only the first applies.
 */
export interface WriteGuard {
  scope: Scope;
  participantId: string;
  version: number;
}

/** Amounts to add to one account's balance row (created with zeros when missing). */
export interface BalanceDelta {
  accountId: string;
  deltas: Partial<Record<Bucket, number>>;
  at: Date;
}

/**
 * Everything one decision writes, computed before anything is written (see
 * `AccrualRepository.apply`). Rows are inserted as they are; counters and
 * balances are added to (one entry per counter key and per account); the
 * referrals are patched. The store applies all of it, or none of it when the
 * guard no longer holds.
 */
export interface WriteSet {
  guard: WriteGuard;
  commissions: CommissionRecord[];
  ledger: LedgerEntryRecord[];
  /** At most one per account. */
  balances: BalanceDelta[];
  /** Deltas; at most one per (owner, name, period), in that key order. */
  counters: CounterRecord[];
  referrals: { id: string; patch: Partial<Pick<ReferralRecord, 'status' | 'statusReason' | 'qualifiedAt' | 'purchaseCount' | 'revenue' | 'updatedAt'>> }[];
  /** New source events; a second with the same (kind, eventId) is `UniqueViolationError('source_event')`. */
  events: SourceEventRecord[];
  audit: AuditRecord[];
  reviews: ReviewRecord[];
  fingerprints: FingerprintRecord[];
  outbox: OutboxRecord[];
}
