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
 * the version the decision read, and so does the referral when one is named.
 * With `exclusive` (a decision that read facts of the referrer's other
 * referrals: counters, what fraud rules asked) applying bumps the
 * participant's version, so of two write sets that read the same version
 * only the first applies; without it the participant's version is only
 * checked, and the referral's, which applying bumps, serialises the write
 * sets of one referral while those of the referrer's other referrals apply
 * side by side.
 */
export interface WriteGuard {
  scope: Scope;
  participantId: string;
  version: number;
  exclusive: boolean;
  referral: { id: string; version: number } | null;
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
