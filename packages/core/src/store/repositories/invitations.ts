import type { Awaitable, CursorPage, LockOptions, Page } from '../reads';
import type { InvitationRecord, InvitationStatus, Scope } from '../records';

export interface InvitationRepository {
  /** Throws `UniqueViolationError('invitation_pending')` if the inviter has a pending invitation to this address. */
  insert(row: InvitationRecord): Awaitable<void>;
  get(scope: Scope, id: string, options?: LockOptions): Awaitable<InvitationRecord | null>;
  getByToken(scope: Scope, token: string, options?: LockOptions): Awaitable<InvitationRecord | null>;
  /** The inviter's pending invitation to this normalised address, if any. */
  getPending(scope: Scope, inviterId: string, emailNormalized: string): Awaitable<InvitationRecord | null>;
  /** An inviter's invitations (with this status, when given), in insertion order or newest first; with a cursor, those after it. */
  listByInviter(
    scope: Scope,
    inviterId: string,
    page: CursorPage & { status?: InvitationStatus | undefined; newestFirst?: boolean | undefined },
  ): Awaitable<InvitationRecord[]>;
  /** Pending invitations whose `expiresAt` is at or before `now`, oldest expiry first. */
  listExpired(scope: Scope, now: Date, page: Page): Awaitable<InvitationRecord[]>;
  /**
   * Every invitation that concerns a person (erasure): sent by `userId`,
   * accepted by `userId`, or sent to one of `emailsNormalized`; in the order inserted.
   */
  listConcerning(scope: Scope, userId: string, emailsNormalized: string[]): Awaitable<InvitationRecord[]>;
  update(
    scope: Scope,
    id: string,
    patch: Partial<
      Pick<InvitationRecord, 'status' | 'token' | 'sendCount' | 'lastSentAt' | 'expiresAt' | 'acceptedBy' | 'decidedAt' | 'email' | 'emailNormalized' | 'message'>
    >,
  ): Awaitable<void>;
}
