import type { Awaitable, CursorPage, LockOptions, Page } from '../reads';
import type { PayoutRecord, Scope } from '../records';

export interface PayoutRepository {
  /** Throws `UniqueViolationError('payout_open')` if the user has an open payout. */
  insert(row: PayoutRecord): Awaitable<void>;
  get(scope: Scope, id: string, options?: LockOptions): Awaitable<PayoutRecord | null>;
  /** The user's requested or approved payout, if any. */
  getOpen(scope: Scope, userId: string): Awaitable<PayoutRecord | null>;
  listByUser(scope: Scope, userId: string, page: Page): Awaitable<PayoutRecord[]>;
  /** The program's payouts with one status, oldest request first; with a cursor, those requested after that one. */
  listByStatus(scope: Scope, status: PayoutRecord['status'], page: CursorPage): Awaitable<PayoutRecord[]>;
  update(
    scope: Scope,
    id: string,
    patch: Partial<Pick<PayoutRecord, 'status' | 'statusReason' | 'externalReference' | 'decidedAt' | 'decidedBy' | 'paidAt' | 'updatedAt' | 'method'>>,
  ): Awaitable<void>;
}
