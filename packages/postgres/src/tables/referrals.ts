import type { Mode, ReferralRecord, ReferralRepository } from '@onehop/core';
import type { Row } from '../executor';
import type { TableStatements } from '../table-statements';
import { date, dateOrNull, int, textOrNull } from '../values';

/** The columns of `referrals` as the store reads them. */
export const REFERRAL_COLUMNS =
  'program_id, mode, id, referrer_id, referee_id, code, status, status_reason, source, country, referee_email_normalized, clicked_at, attributed_at, qualified_at, purchase_count, revenue, updated_at';

export const toReferral = (r: Row): ReferralRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  id: String(r.id),
  referrerId: String(r.referrer_id),
  refereeId: String(r.referee_id),
  code: String(r.code),
  status: r.status as ReferralRecord['status'],
  statusReason: textOrNull(r.status_reason),
  source: textOrNull(r.source),
  country: textOrNull(r.country),
  refereeEmailNormalized: textOrNull(r.referee_email_normalized),
  clickedAt: dateOrNull(r.clicked_at),
  attributedAt: date(r.attributed_at),
  qualifiedAt: dateOrNull(r.qualified_at),
  purchaseCount: int(r.purchase_count, 'purchase_count'),
  revenue: int(r.revenue, 'revenue'),
  updatedAt: date(r.updated_at),
});

/** The `referrals` repository of one transaction, on `referrals`. */
export function referralRepository(sql: TableStatements): ReferralRepository {
  const { t, byStatus, read, one, insert, update, select } = sql;
  return {
    insert: (row) => insert('referrals', row),
    get: (s, id) => one(select('referrals', 'id = $3'), [s.programId, s.mode, id], toReferral),
    getByReferee: (s, refereeId) => one(select('referrals', 'referee_id = $3'), [s.programId, s.mode, refereeId], toReferral),
    listByReferrer: async (s, referrerId, page) =>
      (await read(select('referrals', 'referrer_id = $3', ' ORDER BY seq LIMIT $4'), [s.programId, s.mode, referrerId, page.limit])).map(toReferral),
    listByStatus: byStatus('referrals', toReferral),
    countByReferrerSince: async (s, referrerId, since) => {
      const rows = await read(`SELECT count(*) AS n FROM ${t('referrals')} WHERE program_id = $1 AND mode = $2 AND referrer_id = $3 AND attributed_at >= $4`, [
        s.programId,
        s.mode,
        referrerId,
        since,
      ]);
      return int(rows[0]!.n, 'count');
    },
    update: (s, id, patch) => update('referrals', s, { id }, patch),
  };
}
