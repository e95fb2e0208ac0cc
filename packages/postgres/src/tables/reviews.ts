import type { Mode, ReviewRecord, ReviewRepository } from '@onehop/core';
import type { Row } from '../executor';
import type { TableStatements } from '../table-statements';
import { date, dateOrNull, json, textOrNull } from '../values';

/** The columns of `reviews` as the store reads them. */
export const REVIEW_COLUMNS =
  'program_id, mode, id, entity_type, entity_id, referral_id, referrer_id, status, findings, created_at, decided_at, decided_by, decision_reason';

const toReview = (r: Row): ReviewRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  id: String(r.id),
  entityType: r.entity_type as ReviewRecord['entityType'],
  entityId: String(r.entity_id),
  referralId: String(r.referral_id),
  referrerId: String(r.referrer_id),
  status: r.status as ReviewRecord['status'],
  findings: json(r.findings) as unknown as ReviewRecord['findings'],
  createdAt: date(r.created_at),
  decidedAt: dateOrNull(r.decided_at),
  decidedBy: textOrNull(r.decided_by),
  decisionReason: textOrNull(r.decision_reason),
});

/** The `reviews` repository of one transaction, on `reviews`. */
export function reviewRepository(sql: TableStatements): ReviewRepository {
  const { t, after, read, one, insert, update, select, lock } = sql;
  return {
    // jsonb: an array would otherwise be sent as a PostgreSQL array.
    insert: (row) => insert('reviews', { ...row, findings: JSON.stringify(row.findings) }),
    get: (s, id, options) => one(select('reviews', 'id = $3', lock(options)), [s.programId, s.mode, id], toReview, options?.forUpdate === true),
    getOpen: (s, entityType, entityId) =>
      one(select('reviews', "entity_type = $3 AND entity_id = $4 AND status = 'open'"), [s.programId, s.mode, entityType, entityId], toReview),
    hasOpenForReferrer: async (s, referrerId) =>
      (
        await read(`SELECT 1 FROM ${t('reviews')} WHERE program_id = $1 AND mode = $2 AND referrer_id = $3 AND status = 'open' LIMIT 1`, [
          s.programId,
          s.mode,
          referrerId,
        ])
      ).length > 0,
    list: async (s, status, page) =>
      page.cursor === undefined
        ? (await read(select('reviews', 'status = $3', ' ORDER BY seq LIMIT $4'), [s.programId, s.mode, status, page.limit])).map(toReview)
        : (
            await read(select('reviews', `status = $3 AND ${after('reviews', 4, false)}`, ' ORDER BY seq LIMIT $5'), [
              s.programId,
              s.mode,
              status,
              page.cursor,
              page.limit,
            ])
          ).map(toReview),
    update: (s, id, patch) => update('reviews', s, { id }, patch),
  };
}
