import type { Awaitable } from '../reads';
import type { CodeRecord, Scope } from '../records';

export interface CodeRepository {
  /** Throws `UniqueViolationError('code_value')` if the code exists (active or retired). */
  insert(row: CodeRecord): Awaitable<void>;
  /** Looks up a normalised code. */
  get(scope: Scope, code: string): Awaitable<CodeRecord | null>;
  /** Every code a user has had, in the order they were inserted. */
  listByUser(scope: Scope, userId: string): Awaitable<CodeRecord[]>;
  update(scope: Scope, code: string, patch: Partial<Pick<CodeRecord, 'status' | 'retiredAt'>>): Awaitable<void>;
}
