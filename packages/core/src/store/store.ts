import type { Awaitable } from './reads';
import type { AccrualRepository } from './repositories/accruals';
import type { AuditRepository } from './repositories/audit';
import type { BalanceRepository } from './repositories/balances';
import type { ClickRepository } from './repositories/clicks';
import type { CodeRepository } from './repositories/codes';
import type { CommissionRepository } from './repositories/commissions';
import type { CounterRepository } from './repositories/counters';
import type { FingerprintRepository } from './repositories/fingerprints';
import type { InvitationRepository } from './repositories/invitations';
import type { LedgerRepository } from './repositories/ledger';
import type { OutboxRepository } from './repositories/outbox';
import type { ParticipantRepository } from './repositories/participants';
import type { PayoutMethodRepository } from './repositories/payout-methods';
import type { PayoutRunRepository } from './repositories/payout-runs';
import type { PayoutRepository } from './repositories/payouts';
import type { ReferralRepository } from './repositories/referrals';
import type { ReviewRepository } from './repositories/reviews';
import type { SourceEventRepository } from './repositories/source-events';
import type { TaxProfileRepository } from './repositories/tax-profiles';

export type { Awaitable, CursorPage, HistoryPage, LockOptions, Page } from './reads';
export type { AccrualFacts, AccrualQuery, AccrualRepository } from './repositories/accruals';
export type { AuditRepository } from './repositories/audit';
export type { BalanceRepository } from './repositories/balances';
export type { ClickRepository } from './repositories/clicks';
export type { CodeRepository } from './repositories/codes';
export type { CommissionRepository } from './repositories/commissions';
export type { CounterRepository } from './repositories/counters';
export type { FingerprintRepository } from './repositories/fingerprints';
export type { InvitationRepository } from './repositories/invitations';
export type { LedgerRepository } from './repositories/ledger';
export type { OutboxClaim, OutboxRepository } from './repositories/outbox';
export type { ParticipantRepository } from './repositories/participants';
export type { PayoutMethodRepository } from './repositories/payout-methods';
export type { PayoutRunRepository } from './repositories/payout-runs';
export type { PayoutRepository } from './repositories/payouts';
export type { ReferralRepository } from './repositories/referrals';
export type { ReviewRepository } from './repositories/reviews';
export type { SourceEventRepository } from './repositories/source-events';
export type { TaxProfileRepository } from './repositories/tax-profiles';
// The contract, one file per repository; re-exported here so `store/store` names all of it.
export { UNIQUE_CONSTRAINTS, type UniqueConstraint } from './unique-constraints';
export type { BalanceDelta, WriteGuard, WriteSet } from './write-set';

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
  payoutRuns: PayoutRunRepository;
  taxProfiles: TaxProfileRepository;
  /** An accrual's facts in one read, and its write set applied in one step (see `AccrualRepository`). */
  accruals: AccrualRepository;
}

/** What the engine tells a store about one transaction. */
export interface TransactionOptions {
  /**
   * The call only reads (a dashboard, a history, a listing, an export) and
   * may see data as it was a moment ago. A store with a read replica may run
   * it there (the replica's lag is then how stale it can be); a store without
   * one ignores this. The engine never sets it on a call that writes or that
   * reads to decide something.
   */
  staleReadOk?: boolean;
  /**
   * Given only when the engine has a tracer (`telemetry`): a store that sends
   * statements to a database sends each one through it, as
   * `traceStatement(text, send)`, and returns what it returns; it records the
   * statement as a span. Without it the store sends its statements as they
   * are. A store with no statements (in memory) ignores it.
   */
  traceStatement?: StatementTracer;
}

/** Runs `send` (the sending of the statement `text`, parameterised: no values in it) in a span of its own. */
export type StatementTracer = <T>(text: string, send: () => Promise<T>) => Promise<T>;

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
  transaction<T>(fn: (tx: StoreTransaction) => Awaitable<T>, options?: TransactionOptions): Promise<T>;
  /** Releases what the store holds (connections, timers). */
  close?(): Promise<void>;
}
