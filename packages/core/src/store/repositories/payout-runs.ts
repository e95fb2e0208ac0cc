import type { Awaitable, LockOptions } from '../reads';
import type { PayoutRunRecord, Scope } from '../records';

export interface PayoutRunRepository {
  /** Throws `UniqueViolationError('payout_run_id')` if the run id is taken. */
  insert(row: PayoutRunRecord): Awaitable<void>;
  get(scope: Scope, id: string, options?: LockOptions): Awaitable<PayoutRunRecord | null>;
  update(scope: Scope, id: string, patch: Partial<Pick<PayoutRunRecord, 'status' | 'completedAt' | 'result'>>): Awaitable<void>;
}
