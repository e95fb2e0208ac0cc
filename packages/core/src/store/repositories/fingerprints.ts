import type { Awaitable } from '../reads';
import type { FingerprintQuery, FingerprintRecord, Scope } from '../records';

export interface FingerprintRepository {
  insert(row: FingerprintRecord): Awaitable<void>;
  /** How many fingerprints match the query. */
  count(scope: Scope, query: FingerprintQuery): Awaitable<number>;
  /** Every fingerprint of a user, in the order inserted. */
  listByUser(scope: Scope, userId: string): Awaitable<FingerprintRecord[]>;
  /** Deletes every fingerprint of a user (erasure); returns how many there were. */
  eraseUser(scope: Scope, userId: string): Awaitable<number>;
}
