import type {
  AuditEntityType,
  AuditRecord,
  ClickRecord,
  BalanceRecord,
  Bucket,
  CodeRecord,
  CommissionRecord,
  CommissionStatus,
  CounterRecord,
  FingerprintQuery,
  FingerprintRecord,
  InvitationRecord,
  InvitationStatus,
  LedgerEntryRecord,
  OutboxRecord,
  OutboxStatus,
  ParticipantRecord,
  PayoutMethodRecord,
  PayoutRecord,
  ReferralRecord,
  ReviewRecord,
  ReviewStatus,
  Scope,
  SourceEventKind,
  SourceEventRecord,
} from './records';

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
  /** At most one open (requested or approved) payout per user. */
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
} as const;

export type UniqueConstraint = (typeof UNIQUE_CONSTRAINTS)[keyof typeof UNIQUE_CONSTRAINTS];

/** Options of reads that may lock. */
/** A value or a promise of it: a store may answer synchronously (the memory store does) or not. */
export type Awaitable<T> = T | Promise<T>;

export interface LockOptions {
  /**
   * Lock the row until the transaction ends, so every other transaction that
   * asks for the same lock waits (SELECT … FOR UPDATE). The engine serialises
   * all work on one referrer this way.
   */
  forUpdate?: boolean;
}

export interface Page {
  limit: number;
}

/** A page of a listing that continues after (or before) the row with id `cursor`. */
export interface CursorPage extends Page {
  cursor?: string | undefined;
}

/**
 * A page of an account's history, in insertion order (or newest first):
 * rows after the row with id `cursor` in that order, within [from, to) of
 * their time. New rows never shift a page: the cursor is the row itself.
 */
export interface HistoryPage extends CursorPage {
  from?: Date | undefined;
  to?: Date | undefined;
  newestFirst?: boolean | undefined;
}

export interface ParticipantRepository {
  /** Throws `UniqueViolationError('participant_user')` if the user is enrolled. */
  insert(row: ParticipantRecord): Awaitable<void>;
  get(scope: Scope, userId: string, options?: LockOptions): Awaitable<ParticipantRecord | null>;
  /** Updates the named fields of an existing participant. */
  update(
    scope: Scope,
    userId: string,
    patch: Partial<Pick<ParticipantRecord, 'code' | 'status' | 'termsVersion' | 'email' | 'emailNormalized' | 'updatedAt'>>,
  ): Awaitable<void>;
}

export interface CodeRepository {
  /** Throws `UniqueViolationError('code_value')` if the code exists (active or retired). */
  insert(row: CodeRecord): Awaitable<void>;
  /** Looks up a normalised code. */
  get(scope: Scope, code: string): Awaitable<CodeRecord | null>;
  /** Every code a user has had, in the order they were inserted. */
  listByUser(scope: Scope, userId: string): Awaitable<CodeRecord[]>;
  update(scope: Scope, code: string, patch: Partial<Pick<CodeRecord, 'status' | 'retiredAt'>>): Awaitable<void>;
}

export interface ReferralRepository {
  /** Throws `UniqueViolationError('referral_referee')` if the referee already has a referral. */
  insert(row: ReferralRecord): Awaitable<void>;
  get(scope: Scope, id: string): Awaitable<ReferralRecord | null>;
  getByReferee(scope: Scope, refereeId: string): Awaitable<ReferralRecord | null>;
  /** A referrer's referrals, in the order they were inserted. */
  listByReferrer(scope: Scope, referrerId: string, page: Page): Awaitable<ReferralRecord[]>;
  /** Referrals with this status, in the order they were inserted; with a cursor, those inserted after that referral. */
  listByStatus(scope: Scope, status: ReferralRecord['status'], page: CursorPage): Awaitable<ReferralRecord[]>;
  /** How many referrals of a referrer were attributed at or after `since`. */
  countByReferrerSince(scope: Scope, referrerId: string, since: Date): Awaitable<number>;
  update(
    scope: Scope,
    id: string,
    patch: Partial<Pick<ReferralRecord, 'status' | 'statusReason' | 'qualifiedAt' | 'purchaseCount' | 'revenue' | 'refereeEmailNormalized' | 'updatedAt'>>,
  ): Awaitable<void>;
}

export interface SourceEventRepository {
  /** Throws `UniqueViolationError('source_event')` if (kind, eventId) exists. */
  insert(row: SourceEventRecord): Awaitable<void>;
  get(scope: Scope, kind: SourceEventKind, eventId: string): Awaitable<SourceEventRecord | null>;
  /**
   * A recorded event together with the commission lines its `result.commissionIds`
   * names (a string array; absent means none), in their current state and in
   * that order. One read: answering a redelivery should cost one round trip.
   */
  getWithCommissions(scope: Scope, kind: SourceEventKind, eventId: string): Awaitable<{ event: SourceEventRecord; commissions: CommissionRecord[] } | null>;
  update(scope: Scope, kind: SourceEventKind, eventId: string, patch: Partial<Pick<SourceEventRecord, 'reversedAmount'>>): Awaitable<void>;
}

export interface CommissionRepository {
  insert(row: CommissionRecord): Awaitable<void>;
  get(scope: Scope, id: string, options?: LockOptions): Awaitable<CommissionRecord | null>;
  /** Commissions created from one source event, in the order inserted. */
  listBySource(scope: Scope, sourceEventId: string): Awaitable<CommissionRecord[]>;
  /** A beneficiary's commissions (with this status, when given), created within the page's dates, in the order inserted or newest first. */
  listByBeneficiary(scope: Scope, beneficiaryId: string, page: HistoryPage & { status?: CommissionStatus | undefined }): Awaitable<CommissionRecord[]>;
  /** Approved commissions of a beneficiary not yet covered by a payout, oldest first. */
  listUnallocated(scope: Scope, beneficiaryId: string): Awaitable<CommissionRecord[]>;
  /** Commissions of one referral (its lines, bonuses and welcome rewards), in the order inserted. */
  listByReferral(scope: Scope, referralId: string): Awaitable<CommissionRecord[]>;
  /** Commissions covered by a payout. */
  listByPayout(scope: Scope, payoutId: string): Awaitable<CommissionRecord[]>;
  /**
   * Claims up to `page.limit` pending commissions whose holding period ended
   * at or before `now`, by `availableAt` (then insertion order), and locks
   * them until the transaction ends, like `get` with `forUpdate`. Commissions
   * another open transaction has locked are skipped, not waited for, so
   * concurrent claims share the due commissions instead of queueing on the
   * same ones (on PostgreSQL: `FOR UPDATE SKIP LOCKED`).
   */
  claimDue(scope: Scope, now: Date, page: Page): Awaitable<CommissionRecord[]>;
  update(
    scope: Scope,
    id: string,
    patch: Partial<Pick<CommissionRecord, 'status' | 'statusReason' | 'reversedAmount' | 'payoutId' | 'approvedAt' | 'paidAt' | 'updatedAt'>>,
  ): Awaitable<void>;
}

export interface LedgerRepository {
  /** Appends entries; entries are never changed or removed. */
  append(rows: LedgerEntryRecord[]): Awaitable<void>;
  /** An account's entries within the page's dates, in the order appended or newest first. */
  listByAccount(scope: Scope, accountId: string, page: HistoryPage): Awaitable<LedgerEntryRecord[]>;
  /** The sum of an account's entries at or after `since`, per bucket (buckets without entries left out). */
  sumSince(scope: Scope, accountId: string, since: Date): Awaitable<Partial<Record<Bucket, number>>>;
}

export interface BalanceRepository {
  get(scope: Scope, accountId: string, options?: LockOptions): Awaitable<BalanceRecord | null>;
  /** Adds signed deltas to an account's buckets, creating the row at zero if needed. */
  add(scope: Scope, accountId: string, deltas: Partial<Record<Bucket, number>>, at: Date): Awaitable<void>;
}

export interface CounterRepository {
  /** The counter's value, 0 when it was never added to. */
  get(scope: Scope, ownerId: string, name: string, period: string): Awaitable<number>;
  /** Adds `delta` and returns the new value. */
  add(scope: Scope, ownerId: string, name: string, period: string, delta: number): Awaitable<number>;
  /**
   * Adds each row's `value` to its counter (a missing counter starts at 0), in
   * one write. The rows name distinct counters and come sorted by key, so
   * concurrent calls lock shared counters in the same order.
   */
  addMany(rows: CounterRecord[]): Awaitable<void>;
  /** The counters of these owners named `name` whose period is within [from, to] (string order), by owner, then period. */
  listRange(scope: Scope, ownerIds: string[], name: string, from: string, to: string): Awaitable<CounterRecord[]>;
  /** The sums of the counters named `names` of these owners over the periods within [from, to], by name (0 for a name without rows). */
  sum(scope: Scope, ownerIds: string[], names: string[], from: string, to: string): Awaitable<Record<string, number>>;
  /**
   * The owners with the largest sums of counter `name` over the periods within
   * [from, to], largest first (ties by owner id), at most `limit`. Owners whose
   * id starts with `~` (program totals) are left out.
   */
  top(scope: Scope, name: string, from: string, to: string, limit: number): Awaitable<{ ownerId: string; value: number }[]>;
}

export interface PayoutRepository {
  /** Throws `UniqueViolationError('payout_open')` if the user has an open payout. */
  insert(row: PayoutRecord): Awaitable<void>;
  get(scope: Scope, id: string, options?: LockOptions): Awaitable<PayoutRecord | null>;
  /** The user's requested or approved payout, if any. */
  getOpen(scope: Scope, userId: string): Awaitable<PayoutRecord | null>;
  listByUser(scope: Scope, userId: string, page: Page): Awaitable<PayoutRecord[]>;
  /** The program's payouts with one status, oldest request first; with a cursor, those requested after that one. */
  listByStatus(scope: Scope, status: PayoutRecord['status'], page: CursorPage): Awaitable<PayoutRecord[]>;
  update(
    scope: Scope,
    id: string,
    patch: Partial<Pick<PayoutRecord, 'status' | 'statusReason' | 'externalReference' | 'decidedAt' | 'decidedBy' | 'paidAt' | 'updatedAt' | 'method'>>,
  ): Awaitable<void>;
}

export interface PayoutMethodRepository {
  /** Inserts or replaces a user's payout method. */
  put(row: PayoutMethodRecord): Awaitable<void>;
  get(scope: Scope, userId: string): Awaitable<PayoutMethodRecord | null>;
  /** Deletes a user's payout method (erasure); false when there was none. */
  delete(scope: Scope, userId: string): Awaitable<boolean>;
}

export interface AuditRepository {
  append(row: AuditRecord): Awaitable<void>;
  /** One entity's trail, in the order it was appended. */
  listByEntity(scope: Scope, entityType: AuditEntityType, entityId: string): Awaitable<AuditRecord[]>;
  /** The program's trail, newest first; with a cursor, the lines appended before that line. */
  listRecent(scope: Scope, page: CursorPage): Awaitable<AuditRecord[]>;
}

export interface FingerprintRepository {
  insert(row: FingerprintRecord): Awaitable<void>;
  /** How many fingerprints match the query. */
  count(scope: Scope, query: FingerprintQuery): Awaitable<number>;
  /** Every fingerprint of a user, in the order inserted. */
  listByUser(scope: Scope, userId: string): Awaitable<FingerprintRecord[]>;
  /** Deletes every fingerprint of a user (erasure); returns how many there were. */
  eraseUser(scope: Scope, userId: string): Awaitable<number>;
}

export interface ClickRepository {
  insert(row: ClickRecord): Awaitable<void>;
  /** How many clicks came from this IP hash at or after `since`. */
  countByIpSince(scope: Scope, ipHash: string, since: Date): Awaitable<number>;
  /** A referrer's clicks, in the order they were inserted; with a cursor, those inserted after that click. */
  listByReferrer(scope: Scope, referrerId: string, page: CursorPage): Awaitable<ClickRecord[]>;
  /**
   * Erasure: sets `ipHash` and `landingUrl` to null on every click from one
   * of these IP hashes that still has either; returns how many it changed.
   */
  eraseByIpHashes(scope: Scope, ipHashes: string[]): Awaitable<number>;
}

export interface ReviewRepository {
  /** Throws `UniqueViolationError('review_open')` if the entity already has an open review. */
  insert(row: ReviewRecord): Awaitable<void>;
  get(scope: Scope, id: string, options?: LockOptions): Awaitable<ReviewRecord | null>;
  /** The open review of an entity, if any. */
  getOpen(scope: Scope, entityType: ReviewRecord['entityType'], entityId: string): Awaitable<ReviewRecord | null>;
  /** Reviews with this status, oldest first; with a cursor, those inserted after that review. */
  list(scope: Scope, status: ReviewStatus, page: CursorPage): Awaitable<ReviewRecord[]>;
  update(scope: Scope, id: string, patch: Partial<Pick<ReviewRecord, 'status' | 'decidedAt' | 'decidedBy' | 'decisionReason'>>): Awaitable<void>;
}

/** What `OutboxRepository.claim` takes. */
export interface OutboxClaim {
  now: Date;
  /** How many subjects to take: each subject's oldest pending event, if it is due and not leased. */
  subjects: number;
  /** How many events per subject, the head included, in order (only the head when it failed before). */
  perSubject: number;
  leaseToken: string;
  leaseUntil: Date;
}

export interface OutboxRepository {
  insertMany(rows: OutboxRecord[]): Awaitable<void>;
  get(scope: Scope, id: string): Awaitable<OutboxRecord | null>;
  /**
   * Leases events for delivery, in one write. A subject is taken when its
   * oldest pending event (in insertion order) is due (`nextAttemptAt <= now`)
   * and not leased (no lease, or one that ended at or before `now`); with it
   * come the subject's next pending events, in order, up to `perSubject` in
   * all, stopping before the first one that is not due or is leased. A head
   * that failed before (`attempts > 0`) comes alone: the events after it
   * cannot be delivered until it is, so leasing them would only mean
   * releasing them again. Subjects are taken oldest head first, at most
   * `subjects`. Returns the leased events by subject, each subject's in
   * order. Concurrent claims never lease one event twice, and never take a
   * subject whose head another claim holds (on PostgreSQL: `FOR UPDATE SKIP
   * LOCKED` on the heads).
   */
  claim(scope: Scope, claim: OutboxClaim): Awaitable<OutboxRecord[]>;
  /** Extends the leases of these events that `leaseToken` still holds; returns the ids it extended. */
  renew(scope: Scope, ids: string[], leaseToken: string, leaseUntil: Date): Awaitable<string[]>;
  /** Ends the leases of these events that `leaseToken` still holds (they may be claimed again at once), in one write. */
  release(scope: Scope, ids: string[], leaseToken: string): Awaitable<void>;
  /** Updates an event only if `leaseToken` still holds its lease; false when it does not. */
  updateLeased(
    scope: Scope,
    id: string,
    leaseToken: string,
    patch: Partial<Pick<OutboxRecord, 'status' | 'attempts' | 'nextAttemptAt' | 'leaseToken' | 'leaseUntil' | 'lastError' | 'deliveredAt'>>,
  ): Awaitable<boolean>;
  update(scope: Scope, id: string, patch: Partial<Pick<OutboxRecord, 'status' | 'attempts' | 'nextAttemptAt' | 'leaseToken' | 'leaseUntil' | 'lastError'>>): Awaitable<void>;
  /** Events with this status, in insertion order; with a cursor, those inserted after that event. */
  list(scope: Scope, status: OutboxStatus, page: CursorPage): Awaitable<OutboxRecord[]>;
  /** Deletes up to `limit` delivered events delivered before `before`; returns how many. */
  purgeDelivered(scope: Scope, before: Date, limit: number): Awaitable<number>;
  /**
   * Erasure: sets `lastError` (a handler's message, which may quote a
   * person's data) to null on the events of this subject or about one of
   * these entities that have one; returns how many it changed.
   */
  clearErrors(scope: Scope, subjectId: string, entityIds: string[]): Awaitable<number>;
}

export interface InvitationRepository {
  /** Throws `UniqueViolationError('invitation_pending')` if the inviter has a pending invitation to this address. */
  insert(row: InvitationRecord): Awaitable<void>;
  get(scope: Scope, id: string, options?: LockOptions): Awaitable<InvitationRecord | null>;
  getByToken(scope: Scope, token: string, options?: LockOptions): Awaitable<InvitationRecord | null>;
  /** The inviter's pending invitation to this normalised address, if any. */
  getPending(scope: Scope, inviterId: string, emailNormalized: string): Awaitable<InvitationRecord | null>;
  /** An inviter's invitations (with this status, when given), in insertion order or newest first; with a cursor, those after it. */
  listByInviter(scope: Scope, inviterId: string, page: CursorPage & { status?: InvitationStatus | undefined; newestFirst?: boolean | undefined }): Awaitable<InvitationRecord[]>;
  /** Pending invitations whose `expiresAt` is at or before `now`, oldest expiry first. */
  listExpired(scope: Scope, now: Date, page: Page): Awaitable<InvitationRecord[]>;
  /**
   * Every invitation that concerns a person (erasure): sent by `userId`,
   * accepted by `userId`, or sent to one of `emailsNormalized`; in the order inserted.
   */
  listConcerning(scope: Scope, userId: string, emailsNormalized: string[]): Awaitable<InvitationRecord[]>;
  update(
    scope: Scope,
    id: string,
    patch: Partial<Pick<InvitationRecord, 'status' | 'token' | 'sendCount' | 'lastSentAt' | 'expiresAt' | 'acceptedBy' | 'decidedAt' | 'email' | 'emailNormalized' | 'message'>>,
  ): Awaitable<void>;
}

/** The repositories available inside one transaction. */
export interface StoreTransaction {
  participants: ParticipantRepository;
  codes: CodeRepository;
  referrals: ReferralRepository;
  audit: AuditRepository;
  events: SourceEventRepository;
  commissions: CommissionRepository;
  ledger: LedgerRepository;
  balances: BalanceRepository;
  counters: CounterRepository;
  payouts: PayoutRepository;
  payoutMethods: PayoutMethodRepository;
  fingerprints: FingerprintRepository;
  reviews: ReviewRepository;
  clicks: ClickRepository;
  outbox: OutboxRepository;
  invitations: InvitationRepository;
}

/** What a store is, for the engine to decide what it may do with it. */
export interface StoreCapabilities {
  /** Short name used in messages, e.g. `memory`, `postgres`. */
  name: string;
  /** Whether data survives a restart of the process. */
  durable: boolean;
  /** Whether the store accepts live mode. A store that is not durable accepts it only when its user opted in. */
  liveAllowed: boolean;
}

/**
 * A place onehop keeps its rows. A store only stores and loads: every
 * business rule lives in the engine. A store must guarantee:
 *
 * - **Atomicity.** If `fn` throws, nothing it wrote remains, and the error is
 *   rethrown unchanged (store errors may be translated into onehop errors).
 * - **Serialisation per referrer.** A read with `{ forUpdate: true }` holds a
 *   lock on that row until the transaction ends; a second transaction asking
 *   for the same lock waits for the first to commit or roll back.
 * - **Unique constraints** named in `UNIQUE_CONSTRAINTS`, reported as
 *   `UniqueViolationError`; after one, the transaction rolls back.
 * - **Conflicts** (serialisation failures, deadlocks) are reported as
 *   `TransactionConflictError`, which the engine retries a bounded number of
 *   times.
 * - **A lost connection** is reported as `ConnectionLostError`: retryable by
 *   the caller, never retried by the engine, because a `COMMIT` in flight may
 *   have succeeded (idempotent calls make the caller's retry safe).
 * - Database-level invariants a write breaks as `IntegrityViolationError`, a
 *   schema that was not migrated as `SchemaMismatchError`, and a database the
 *   store cannot work with as `StoreConfigurationError`.
 * - **Copies.** Records passed in and returned are copies; mutating them
 *   changes nothing stored.
 * - Every query is confined to the `Scope` it is given.
 */
export interface Store {
  readonly capabilities: StoreCapabilities;
  transaction<T>(fn: (tx: StoreTransaction) => Awaitable<T>): Promise<T>;
  /** Releases what the store holds (connections, timers). */
  close?(): Promise<void>;
}
