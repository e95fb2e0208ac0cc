import type { Awaitable, LockOptions } from '../reads';
import type { ParticipantRecord, Scope } from '../records';

export interface ParticipantRepository {
  /** Throws `UniqueViolationError('participant_user')` if the user is enrolled. */
  insert(row: ParticipantRecord): Awaitable<void>;
  get(scope: Scope, userId: string, options?: LockOptions): Awaitable<ParticipantRecord | null>;
  /** Updates the named fields of an existing participant. */
  update(
    scope: Scope,
    userId: string,
    patch: Partial<Pick<ParticipantRecord, 'code' | 'status' | 'termsVersion' | 'email' | 'emailNormalized' | 'updatedAt' | 'groupId' | 'customTerms'>>,
  ): Awaitable<void>;
}
