import type { Mode, ParticipantRecord, ParticipantRepository, ParticipantTerms } from '@onehop/core';
import type { Row } from '../executor';
import type { TableStatements } from '../table-statements';
import { date, json, textOrNull } from '../values';

/** The columns of `participants` as the store reads them. */
export const PARTICIPANT_COLUMNS = 'program_id, mode, user_id, email, email_normalized, code, status, terms_version, enrolled_at, updated_at, group_id, custom_terms';

export const toParticipant = (r: Row): ParticipantRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  userId: String(r.user_id),
  email: textOrNull(r.email),
  emailNormalized: textOrNull(r.email_normalized),
  code: String(r.code),
  status: r.status as ParticipantRecord['status'],
  termsVersion: textOrNull(r.terms_version),
  enrolledAt: date(r.enrolled_at),
  updatedAt: date(r.updated_at),
  groupId: textOrNull(r.group_id),
  customTerms: r.custom_terms === null || r.custom_terms === undefined ? null : json<ParticipantTerms>(r.custom_terms),
});

/** The `participants` repository of one transaction, on `participants`. */
export function participantRepository(sql: TableStatements): ParticipantRepository {
  const { t, one, insert, update, select } = sql;
  // A locking read writes the row (a no-op UPDATE takes the row lock like FOR UPDATE does), so its
  // xmin, the version an accrual's write set is guarded by, changes: see tables/accruals.ts.
  const lockRow = `UPDATE ${t('participants')} SET updated_at = updated_at WHERE program_id = $1 AND mode = $2 AND user_id = $3 RETURNING ${PARTICIPANT_COLUMNS}`;
  return {
    insert: (row) => insert('participants', row),
    get: (s, userId, options) =>
      options?.forUpdate === true
        ? one(lockRow, [s.programId, s.mode, userId], toParticipant, true)
        : one(select('participants', 'user_id = $3'), [s.programId, s.mode, userId], toParticipant),
    update: (s, userId, patch) => update('participants', s, { user_id: userId }, patch),
  };
}
