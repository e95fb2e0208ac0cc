import type { Awaitable } from '../reads';
import type { PayoutMethodRecord, Scope } from '../records';

export interface PayoutMethodRepository {
  /** Inserts or replaces a user's payout method. */
  put(row: PayoutMethodRecord): Awaitable<void>;
  get(scope: Scope, userId: string): Awaitable<PayoutMethodRecord | null>;
  /** Deletes a user's payout method (erasure); false when there was none. */
  delete(scope: Scope, userId: string): Awaitable<boolean>;
}
