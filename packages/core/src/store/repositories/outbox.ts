import type { Awaitable, CursorPage } from '../reads';
import type { OutboxRecord, OutboxStatus, Scope } from '../records';

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
  update(
    scope: Scope,
    id: string,
    patch: Partial<Pick<OutboxRecord, 'status' | 'attempts' | 'nextAttemptAt' | 'leaseToken' | 'leaseUntil' | 'lastError'>>,
  ): Awaitable<void>;
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
