import type { Mode, PayoutMethodRecord, PayoutMethodRepository } from '@onehop/core';
import type { Row } from '../executor';
import type { TableStatements } from '../table-statements';
import { date, json } from '../values';

/** The columns of `payout_methods` as the store reads them. */
export const PAYOUT_METHOD_COLUMNS = 'program_id, mode, user_id, method, updated_at';

const toPayoutMethod = (r: Row): PayoutMethodRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  userId: String(r.user_id),
  method: json(r.method),
  updatedAt: date(r.updated_at),
});

/** The `payoutMethods` repository of one transaction, on `payout_methods`. */
export function payoutMethodRepository(sql: TableStatements): PayoutMethodRepository {
  const { t, hold, query, one, select } = sql;
  return {
    put: async (row) => {
      await hold(
        'payout_methods',
        `INSERT INTO ${t('payout_methods')} (program_id, mode, user_id, method, updated_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (program_id, mode, user_id) DO UPDATE SET method = EXCLUDED.method, updated_at = EXCLUDED.updated_at`,
        [row.programId, row.mode, row.userId, row.method, row.updatedAt],
      );
    },
    get: (s, userId) => one(select('payout_methods', 'user_id = $3'), [s.programId, s.mode, userId], toPayoutMethod),
    delete: async (s, userId) =>
      (await query(`DELETE FROM ${t('payout_methods')} WHERE program_id = $1 AND mode = $2 AND user_id = $3 RETURNING 1`, [s.programId, s.mode, userId])).length > 0,
  };
}
