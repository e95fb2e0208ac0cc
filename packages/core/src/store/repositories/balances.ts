import type { Awaitable, LockOptions } from '../reads';
import type { BalanceRecord, Bucket, Scope } from '../records';

export interface BalanceRepository {
  get(scope: Scope, accountId: string, options?: LockOptions): Awaitable<BalanceRecord | null>;
  /** Adds signed deltas to an account's buckets, creating the row at zero if needed. */
  add(scope: Scope, accountId: string, deltas: Partial<Record<Bucket, number>>, at: Date): Awaitable<void>;
}
