import type {
  AuditEntityType,
  AuditRecord,
  CodeRecord,
  ParticipantRecord,
  ReferralRecord,
  Scope,
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
  /** Primary keys of rows with generated ids. */
  referralId: 'referral_id',
  auditId: 'audit_id',
} as const;

export type UniqueConstraint = (typeof UNIQUE_CONSTRAINTS)[keyof typeof UNIQUE_CONSTRAINTS];

/** Options of reads that may lock. */
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

export interface ParticipantRepository {
  /** Throws `UniqueViolationError('participant_user')` if the user is enrolled. */
  insert(row: ParticipantRecord): Promise<void>;
  get(scope: Scope, userId: string, options?: LockOptions): Promise<ParticipantRecord | null>;
  /** Updates the named fields of an existing participant. */
  update(
    scope: Scope,
    userId: string,
    patch: Partial<Pick<ParticipantRecord, 'code' | 'status' | 'termsVersion' | 'email' | 'emailNormalized' | 'updatedAt'>>,
  ): Promise<void>;
}

export interface CodeRepository {
  /** Throws `UniqueViolationError('code_value')` if the code exists (active or retired). */
  insert(row: CodeRecord): Promise<void>;
  /** Looks up a normalised code. */
  get(scope: Scope, code: string): Promise<CodeRecord | null>;
  /** Every code a user has had, in the order they were inserted. */
  listByUser(scope: Scope, userId: string): Promise<CodeRecord[]>;
  update(scope: Scope, code: string, patch: Partial<Pick<CodeRecord, 'status' | 'retiredAt'>>): Promise<void>;
}

export interface ReferralRepository {
  /** Throws `UniqueViolationError('referral_referee')` if the referee already has a referral. */
  insert(row: ReferralRecord): Promise<void>;
  get(scope: Scope, id: string): Promise<ReferralRecord | null>;
  getByReferee(scope: Scope, refereeId: string): Promise<ReferralRecord | null>;
  /** A referrer's referrals, in the order they were inserted. */
  listByReferrer(scope: Scope, referrerId: string, page: Page): Promise<ReferralRecord[]>;
  update(
    scope: Scope,
    id: string,
    patch: Partial<Pick<ReferralRecord, 'status' | 'statusReason' | 'qualifiedAt' | 'updatedAt'>>,
  ): Promise<void>;
}

export interface AuditRepository {
  append(row: AuditRecord): Promise<void>;
  /** One entity's trail, in the order it was appended. */
  listByEntity(scope: Scope, entityType: AuditEntityType, entityId: string): Promise<AuditRecord[]>;
}

/** The repositories available inside one transaction. */
export interface StoreTransaction {
  participants: ParticipantRepository;
  codes: CodeRepository;
  referrals: ReferralRepository;
  audit: AuditRepository;
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
 * - **Conflicts** (serialisation failures, deadlocks, a lost connection) are
 *   reported as `TransactionConflictError`, which the engine retries.
 * - **Copies.** Records passed in and returned are copies; mutating them
 *   changes nothing stored.
 * - Every query is confined to the `Scope` it is given.
 */
export interface Store {
  readonly capabilities: StoreCapabilities;
  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T>;
  /** Releases what the store holds (connections, timers). */
  close?(): Promise<void>;
}
