import type { Awaitable, LockOptions } from '../reads';
import type { BalanceRecord, Bucket, Scope } from '../records';

export interface BalanceRepository {
  get(scope: Scope, accountId: string, options?: LockOptions): Awaitable<BalanceRecord | null>;
  /** Adds signed deltas to an account's buckets, creating the row at zero if needed. */
  /**
   * Accounts whose withdrawable balance is at least `minimum` (and above 0),
   * by account id (string order), those after `after` when given, at most `limit`.
   */
  listWithdrawable(scope: Scope, page: { minimum: number; after?: string | undefined; limit: number }): Awaitable<BalanceRecord[]>;
  add(scope: Scope, accountId: string, deltas: Partial<Record<Bucket, number>>, at: Date): Awaitable<void>;
}
