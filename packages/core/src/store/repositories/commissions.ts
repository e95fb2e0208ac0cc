import type { Awaitable, HistoryPage, LockOptions, Page } from '../reads';
import type { CommissionRecord, CommissionStatus, Scope } from '../records';

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
