import type { Awaitable, CursorPage, LockOptions, Page } from '../reads';
import type { PayoutRecord, Scope } from '../records';

export interface PayoutRepository {
  /** Throws `UniqueViolationError('payout_open')` if the user has an open payout, `('payout_run_payee')` if the run has one for the user. */
  insert(row: PayoutRecord): Awaitable<void>;
  get(scope: Scope, id: string, options?: LockOptions): Awaitable<PayoutRecord | null>;
  /** The user's open (requested, approved or processing) payout, if any. */
  getOpen(scope: Scope, userId: string): Awaitable<PayoutRecord | null>;
  listByUser(scope: Scope, userId: string, page: Page): Awaitable<PayoutRecord[]>;
  /** The program's payouts with one status, oldest request first; with a cursor, those requested after that one. */
  listByStatus(scope: Scope, status: PayoutRecord['status'], page: CursorPage): Awaitable<PayoutRecord[]>;
  /** The payout a run made for one payee, if any. */
  getByRun(scope: Scope, runId: string, userId: string): Awaitable<PayoutRecord | null>;
  /** The payouts a run made, in the order inserted. */
  listByRun(scope: Scope, runId: string): Awaitable<PayoutRecord[]>;
  /**
   * Claims up to `limit` payouts to send, in insertion order, and locks them
   * until the transaction ends: approved payouts, and processing ones whose
   * outcome is unknown (no external reference) and whose lease ended before
   * `now` (or was released), in both cases only those whose method's `type`
   * is one of `methodTypes`. Payouts another open transaction has locked are
   * skipped, not waited for (on PostgreSQL: `FOR UPDATE SKIP LOCKED`).
   */
  claimSendable(scope: Scope, claim: { now: Date; methodTypes: readonly string[]; limit: number }): Awaitable<PayoutRecord[]>;
  update(
    scope: Scope,
    id: string,
    patch: Partial<
      Pick<
        PayoutRecord,
        | 'status'
        | 'statusReason'
        | 'externalReference'
        | 'decidedAt'
        | 'decidedBy'
        | 'paidAt'
        | 'updatedAt'
        | 'method'
        | 'attempts'
        | 'idempotencyKey'
        | 'batchId'
        | 'leaseUntil'
      >
    >,
  ): Awaitable<void>;
}
