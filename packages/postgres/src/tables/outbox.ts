import type { Mode, OutboxRecord, OutboxRepository } from '@onehop/core';
import type { Row } from '../executor';
import { prefixed, type TableStatements } from '../table-statements';
import { date, dateOrNull, int, json, textOrNull } from '../values';

/** The columns of `outbox` as the store reads them. */
export const OUTBOX_COLUMNS =
  'program_id, mode, id, type, subject_id, entity_type, entity_id, data, occurred_at, status, attempts, next_attempt_at, lease_token, lease_until, last_error, delivered_at';

const toOutbox = (r: Row): OutboxRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  id: String(r.id),
  type: String(r.type),
  subjectId: String(r.subject_id),
  entityType: r.entity_type as OutboxRecord['entityType'],
  entityId: String(r.entity_id),
  data: json(r.data) as Record<string, unknown>,
  occurredAt: date(r.occurred_at),
  status: r.status as OutboxRecord['status'],
  attempts: int(r.attempts, 'attempts'),
  nextAttemptAt: date(r.next_attempt_at),
  leaseToken: textOrNull(r.lease_token),
  leaseUntil: dateOrNull(r.lease_until),
  lastError: textOrNull(r.last_error),
  deliveredAt: dateOrNull(r.delivered_at),
});

/** The `outbox` repository of one transaction, on `outbox`. */
export function outboxRepository(sql: TableStatements): OutboxRepository {
  const { t, after, hold, query, read, one, insertRows, updateRows, update, select } = sql;
  // A claim (see OutboxRepository.claim): the heads, oldest first, locked so
  // that a concurrent claim skips them; then each head's run of due, unleased
  // events up to the subject's first event that is not (the head alone when it
  // failed before); all leased at once.
  const due = (x: string) => `${x}.next_attempt_at <= $3 AND (${x}.lease_until IS NULL OR ${x}.lease_until <= $3)`;
  const outboxClaim = `WITH heads AS (
      SELECT o.subject_id, o.seq, o.attempts FROM ${t('outbox')} o
      WHERE o.program_id = $1 AND o.mode = $2 AND o.status = 'pending' AND ${due('o')}
        AND NOT EXISTS (SELECT 1 FROM ${t('outbox')} p
          WHERE p.program_id = $1 AND p.mode = $2 AND p.status = 'pending' AND p.subject_id = o.subject_id AND p.seq < o.seq)
      ORDER BY o.seq LIMIT $4
      FOR UPDATE OF o SKIP LOCKED
    ), picked AS (
      SELECT f.id FROM heads h CROSS JOIN LATERAL (
        SELECT f.id FROM ${t('outbox')} f
        WHERE f.program_id = $1 AND f.mode = $2 AND f.status = 'pending' AND f.subject_id = h.subject_id AND f.seq >= h.seq
          AND f.seq < COALESCE((SELECT min(b.seq) FROM ${t('outbox')} b
            WHERE b.program_id = $1 AND b.mode = $2 AND b.status = 'pending' AND b.subject_id = h.subject_id AND b.seq > h.seq AND NOT (${due('b')})), 9223372036854775807)
        ORDER BY f.seq LIMIT CASE WHEN h.attempts > 0 THEN 1 ELSE $5 END) f
    )
    UPDATE ${t('outbox')} e SET lease_token = $6, lease_until = $7
    FROM picked WHERE e.program_id = $1 AND e.mode = $2 AND e.id = picked.id
    RETURNING ${prefixed('e.', '', OUTBOX_COLUMNS)}, e.seq`;
  return {
    insertMany: async (rows) => {
      // jsonb: sent as text, like the reviews' findings.
      await insertRows(
        'outbox',
        rows.map((row) => ({ ...row, data: JSON.stringify(row.data) })),
      );
    },
    get: (s, id) => one(select('outbox', 'id = $3'), [s.programId, s.mode, id], toOutbox),
    claim: async (s, c) => {
      const rows = await query(outboxClaim, [s.programId, s.mode, c.now, c.subjects, c.perSubject, c.leaseToken, c.leaseUntil]);
      return rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map(toOutbox);
    },
    renew: async (s, ids, leaseToken, leaseUntil) =>
      (
        await query(
          `UPDATE ${t('outbox')} SET lease_until = $5 WHERE program_id = $1 AND mode = $2 AND id = ANY ($3) AND lease_token = $4 AND status = 'pending' RETURNING id`,
          [s.programId, s.mode, ids, leaseToken, leaseUntil],
        )
      ).map((r) => String(r.id)),
    release: async (s, ids, leaseToken) => {
      await hold(
        'outbox',
        `UPDATE ${t('outbox')} SET lease_token = NULL, lease_until = NULL WHERE program_id = $1 AND mode = $2 AND id = ANY ($3) AND lease_token = $4`,
        [s.programId, s.mode, ids, leaseToken],
      );
    },
    updateLeased: async (s, id, leaseToken, patch) => (await updateRows('outbox', s, { id, lease_token: leaseToken }, patch)) > 0,
    update: (s, id, patch) => update('outbox', s, { id }, patch),
    list: async (s, status, page) =>
      page.cursor === undefined
        ? (await read(select('outbox', 'status = $3', ' ORDER BY seq LIMIT $4'), [s.programId, s.mode, status, page.limit])).map(toOutbox)
        : (
            await read(select('outbox', `status = $3 AND ${after('outbox', 4, false)}`, ' ORDER BY seq LIMIT $5'), [s.programId, s.mode, status, page.cursor, page.limit])
          ).map(toOutbox),
    purgeDelivered: async (s, before, limit) =>
      (
        await query(
          `DELETE FROM ${t('outbox')} WHERE program_id = $1 AND mode = $2 AND id IN (
               SELECT id FROM ${t('outbox')} WHERE program_id = $1 AND mode = $2 AND status = 'delivered' AND delivered_at < $3 ORDER BY seq LIMIT $4) RETURNING 1`,
          [s.programId, s.mode, before, limit],
        )
      ).length,
    clearErrors: async (s, subjectId, entityIds) =>
      (
        await query(
          `UPDATE ${t('outbox')} SET last_error = NULL
              WHERE program_id = $1 AND mode = $2 AND last_error IS NOT NULL AND (subject_id = $3 OR entity_id = ANY ($4::text[])) RETURNING 1`,
          [s.programId, s.mode, subjectId, entityIds],
        )
      ).length,
  };
}
