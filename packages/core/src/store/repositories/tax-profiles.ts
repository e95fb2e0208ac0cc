import type { Awaitable } from '../reads';
import type { Scope, TaxProfileRecord } from '../records';

export interface TaxProfileRepository {
  /** Inserts or replaces a user's tax profile. */
  put(row: TaxProfileRecord): Awaitable<void>;
  get(scope: Scope, userId: string): Awaitable<TaxProfileRecord | null>;
}
