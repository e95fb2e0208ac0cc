import type { InvitationRecord, InvitationRepository, Mode } from '@onehop/core';
import type { Row } from '../executor';
import type { TableStatements } from '../table-statements';
import { date, dateOrNull, int, textOrNull } from '../values';

/** The columns of `invitations` as the store reads them. */
export const INVITATION_COLUMNS =
  'program_id, mode, id, inviter_id, email, email_normalized, message, token, status, send_count, last_sent_at, expires_at, accepted_by, decided_at, created_at';

const toInvitation = (r: Row): InvitationRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  id: String(r.id),
  inviterId: String(r.inviter_id),
  email: String(r.email),
  emailNormalized: String(r.email_normalized),
  message: textOrNull(r.message),
  token: String(r.token),
  status: r.status as InvitationRecord['status'],
  sendCount: int(r.send_count, 'send_count'),
  lastSentAt: date(r.last_sent_at),
  expiresAt: date(r.expires_at),
  acceptedBy: textOrNull(r.accepted_by),
  decidedAt: dateOrNull(r.decided_at),
  createdAt: date(r.created_at),
});

/** The `invitations` repository of one transaction, on `invitations`. */
export function invitationRepository(sql: TableStatements): InvitationRepository {
  const { read, one, insert, update, history, select, lock } = sql;
  return {
    insert: (row) => insert('invitations', row),
    get: (s, id, options) => one(select('invitations', 'id = $3', lock(options)), [s.programId, s.mode, id], toInvitation, options?.forUpdate === true),
    getByToken: (s, token, options) => one(select('invitations', 'token = $3', lock(options)), [s.programId, s.mode, token], toInvitation, options?.forUpdate === true),
    getPending: (s, inviterId, emailNormalized) =>
      one(select('invitations', "inviter_id = $3 AND email_normalized = $4 AND status = 'pending'"), [s.programId, s.mode, inviterId, emailNormalized], toInvitation),
    listByInviter: async (s, inviterId, page) =>
      (
        await history('invitations', 'created_at', [s.programId, s.mode, inviterId], 'inviter_id = $3', page, page.status === undefined ? [] : [['status', page.status]])
      ).map(toInvitation),
    listExpired: async (s, now, page) =>
      (await read(select('invitations', "status = 'pending' AND expires_at <= $3", ' ORDER BY expires_at, seq LIMIT $4'), [s.programId, s.mode, now, page.limit])).map(
        toInvitation,
      ),
    listConcerning: async (s, userId, emailsNormalized) =>
      (
        await read(select('invitations', '(inviter_id = $3 OR accepted_by = $3 OR email_normalized = ANY ($4::text[]))', ' ORDER BY seq'), [
          s.programId,
          s.mode,
          userId,
          emailsNormalized,
        ])
      ).map(toInvitation),
    update: (s, id, patch) => update('invitations', s, { id }, patch),
  };
}
