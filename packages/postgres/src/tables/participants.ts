import type { Mode, ParticipantRecord, ParticipantRepository } from '@onehop/core';
import type { Row } from '../executor';
import type { TableStatements } from '../table-statements';
import { date, textOrNull } from '../values';

/** The columns of `participants` as the store reads them. */
export const PARTICIPANT_COLUMNS = 'program_id, mode, user_id, email, email_normalized, code, status, terms_version, enrolled_at, updated_at';

const toParticipant = (r: Row): ParticipantRecord => ({
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
});

/** The `participants` repository of one transaction, on `participants`. */
export function participantRepository(sql: TableStatements): ParticipantRepository {
  const { one, insert, update, select, lock } = sql;
  return {
    insert: (row) => insert('participants', row),
    get: (s, userId, options) => one(select('participants', 'user_id = $3', lock(options)), [s.programId, s.mode, userId], toParticipant, options?.forUpdate === true),
    update: (s, userId, patch) => update('participants', s, { user_id: userId }, patch),
  };
}
