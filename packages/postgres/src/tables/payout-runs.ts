import type { Mode, PayoutRunRecord, PayoutRunRepository } from '@onehop/core';
import type { Row } from '../executor';
import type { TableStatements } from '../table-statements';
import { date, dateOrNull, int, json } from '../values';

/** The columns of `payout_runs` as the store reads them. */
export const PAYOUT_RUN_COLUMNS = 'program_id, mode, id, status, before, minimum, currency, created_by, created_at, completed_at, result';

const toPayoutRun = (r: Row): PayoutRunRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  id: String(r.id),
  status: r.status as PayoutRunRecord['status'],
  before: date(r.before),
  minimum: int(r.minimum, 'minimum'),
  currency: String(r.currency),
  createdBy: String(r.created_by),
  createdAt: date(r.created_at),
  completedAt: dateOrNull(r.completed_at),
  result: r.result === null || r.result === undefined ? null : json(r.result),
});

/** The `payoutRuns` repository of one transaction, on `payout_runs`. */
export function payoutRunRepository(sql: TableStatements): PayoutRunRepository {
  const { one, insert, update, select, lock } = sql;
  return {
    // jsonb: sent as text, like the reviews' findings.
    insert: (row) => insert('payout_runs', { ...row, result: row.result === null ? null : JSON.stringify(row.result) }),
    get: (s, id, options) => one(select('payout_runs', 'id = $3', lock(options)), [s.programId, s.mode, id], toPayoutRun, options?.forUpdate === true),
    update: (s, id, patch) =>
      update('payout_runs', s, { id }, patch.result === undefined || patch.result === null ? patch : { ...patch, result: JSON.stringify(patch.result) }),
  };
}
