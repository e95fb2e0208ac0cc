import type { Awaitable, CursorPage, Page } from '../reads';
import type { ReferralRecord, Scope } from '../records';

export interface ReferralRepository {
  /** Throws `UniqueViolationError('referral_referee')` if the referee already has a referral. */
  insert(row: ReferralRecord): Awaitable<void>;
  get(scope: Scope, id: string): Awaitable<ReferralRecord | null>;
  getByReferee(scope: Scope, refereeId: string): Awaitable<ReferralRecord | null>;
  /** A referrer's referrals, in the order they were inserted. */
  listByReferrer(scope: Scope, referrerId: string, page: Page): Awaitable<ReferralRecord[]>;
  /** Referrals with this status, in the order they were inserted; with a cursor, those inserted after that referral. */
  listByStatus(scope: Scope, status: ReferralRecord['status'], page: CursorPage): Awaitable<ReferralRecord[]>;
  /** How many referrals of a referrer were attributed at or after `since`. */
  countByReferrerSince(scope: Scope, referrerId: string, since: Date): Awaitable<number>;
  update(
    scope: Scope,
    id: string,
    patch: Partial<Pick<ReferralRecord, 'status' | 'statusReason' | 'qualifiedAt' | 'purchaseCount' | 'revenue' | 'refereeEmailNormalized' | 'updatedAt'>>,
  ): Awaitable<void>;
}
