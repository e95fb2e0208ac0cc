import type { Mode, PayoutRecord, PayoutRepository } from '@onehop/core';
import { OPEN_PAYOUT_STATUSES } from '@onehop/core';
import type { Row } from '../executor';
import type { TableStatements } from '../table-statements';
import { date, dateOrNull, int, json, textOrNull } from '../values';

/** The columns of `payouts` as the store reads them. */
export const PAYOUT_COLUMNS =
  'program_id, mode, id, user_id, amount, status, method, status_reason, external_reference, requested_at, decided_at, decided_by, paid_at, updated_at, run_id, attempts, idempotency_key, batch_id, lease_until';

const toPayout = (r: Row): PayoutRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  id: String(r.id),
  userId: String(r.user_id),
  amount: int(r.amount, 'amount'),
  status: r.status as PayoutRecord['status'],
  method: json(r.method),
  statusReason: textOrNull(r.status_reason),
  externalReference: textOrNull(r.external_reference),
  requestedAt: date(r.requested_at),
  decidedAt: dateOrNull(r.decided_at),
  decidedBy: textOrNull(r.decided_by),
  paidAt: dateOrNull(r.paid_at),
  updatedAt: date(r.updated_at),
  runId: textOrNull(r.run_id),
  attempts: int(r.attempts, 'attempts'),
  idempotencyKey: textOrNull(r.idempotency_key),
  batchId: textOrNull(r.batch_id),
  leaseUntil: dateOrNull(r.lease_until),
});

// The same predicate as the payout_open unique index, so the index answers it.
const openStatuses = OPEN_PAYOUT_STATUSES.map((status) => `'${status}'`).join(', ');

/** The `payouts` repository of one transaction, on `payouts`. */
export function payoutRepository(sql: TableStatements): PayoutRepository {
  const { byStatus, read, query, one, insert, update, select, lock } = sql;
  return {
    insert: (row) => insert('payouts', row),
    get: (s, id, options) => one(select('payouts', 'id = $3', lock(options)), [s.programId, s.mode, id], toPayout, options?.forUpdate === true),
    getOpen: (s, userId) => one(select('payouts', `user_id = $3 AND status IN (${openStatuses})`), [s.programId, s.mode, userId], toPayout),
    listByUser: async (s, userId, page) =>
      (await read(select('payouts', 'user_id = $3', ' ORDER BY seq LIMIT $4'), [s.programId, s.mode, userId, page.limit])).map(toPayout),
    listByStatus: byStatus('payouts', toPayout),
    getByRun: (s, runId, userId) => one(select('payouts', 'run_id = $3 AND user_id = $4'), [s.programId, s.mode, runId, userId], toPayout),
    listByRun: async (s, runId) => (await read(select('payouts', 'run_id = $3', ' ORDER BY seq'), [s.programId, s.mode, runId])).map(toPayout),
    // The predicate of the payouts_sendable index; SKIP LOCKED lets workers share the payouts instead of queueing on them.
    claimSendable: async (s, claim) =>
      (
        await query(
          select(
            'payouts',
            "(status = 'approved' OR (status = 'processing' AND external_reference IS NULL AND (lease_until IS NULL OR lease_until < $3))) AND method->>'type' = ANY($4::text[])",
            ' ORDER BY seq LIMIT $5 FOR UPDATE SKIP LOCKED',
          ),
          [s.programId, s.mode, claim.now, [...claim.methodTypes], claim.limit],
        )
      ).map(toPayout),
    update: (s, id, patch) => update('payouts', s, { id }, patch),
  };
}
