import type { Awaitable, CursorPage } from '../reads';
import type { ClickRecord, Scope } from '../records';

export interface ClickRepository {
  insert(row: ClickRecord): Awaitable<void>;
  /** How many clicks came from this IP hash at or after `since`. */
  countByIpSince(scope: Scope, ipHash: string, since: Date): Awaitable<number>;
  /** A referrer's clicks, in the order they were inserted; with a cursor, those inserted after that click. */
  listByReferrer(scope: Scope, referrerId: string, page: CursorPage): Awaitable<ClickRecord[]>;
  /**
   * Erasure: sets `ipHash` and `landingUrl` to null on every click from one
   * of these IP hashes that still has either; returns how many it changed.
   */
  eraseByIpHashes(scope: Scope, ipHashes: string[]): Awaitable<number>;
}
