import type { Awaitable, CursorPage, LockOptions } from '../reads';
import type { ReviewRecord, ReviewStatus, Scope } from '../records';

export interface ReviewRepository {
  /** Throws `UniqueViolationError('review_open')` if the entity already has an open review. */
  insert(row: ReviewRecord): Awaitable<void>;
  get(scope: Scope, id: string, options?: LockOptions): Awaitable<ReviewRecord | null>;
  /** The open review of an entity, if any. */
  getOpen(scope: Scope, entityType: ReviewRecord['entityType'], entityId: string): Awaitable<ReviewRecord | null>;
  /** Whether a referrer has an open review (a held referral or commission of theirs). */
  hasOpenForReferrer(scope: Scope, referrerId: string): Awaitable<boolean>;
  /** Reviews with this status, oldest first; with a cursor, those inserted after that review. */
  list(scope: Scope, status: ReviewStatus, page: CursorPage): Awaitable<ReviewRecord[]>;
  update(scope: Scope, id: string, patch: Partial<Pick<ReviewRecord, 'status' | 'decidedAt' | 'decidedBy' | 'decisionReason'>>): Awaitable<void>;
}
