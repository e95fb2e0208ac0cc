import type { Awaitable, HistoryPage } from '../reads';
import type { Bucket, LedgerEntryRecord, Scope } from '../records';

export interface LedgerRepository {
  /** Appends entries; entries are never changed or removed. */
  append(rows: LedgerEntryRecord[]): Awaitable<void>;
  /** An account's entries within the page's dates, in the order appended or newest first. */
  listByAccount(scope: Scope, accountId: string, page: HistoryPage): Awaitable<LedgerEntryRecord[]>;
  /** The sum of an account's entries at or after `since`, per bucket (buckets without entries left out). */
  sumSince(scope: Scope, accountId: string, since: Date): Awaitable<Partial<Record<Bucket, number>>>;
}
