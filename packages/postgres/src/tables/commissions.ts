import type { CommissionRecord, CommissionRepository, Mode } from '@onehop/core';
import type { Row } from '../executor';
import type { TableStatements } from '../table-statements';
import { date, dateOrNull, int, json, textOrNull } from '../values';

/** The columns of `commissions` as the store reads them. */
export const COMMISSION_COLUMNS =
  'program_id, mode, id, kind, beneficiary_id, referrer_id, referee_id, referral_id, source_kind, source_event_id, amount, reversed_amount, status, status_reason, calculation, available_at, payout_id, created_at, approved_at, paid_at, updated_at';

export const toCommission = (r: Row): CommissionRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  id: String(r.id),
  kind: r.kind as CommissionRecord['kind'],
  beneficiaryId: String(r.beneficiary_id),
  referrerId: String(r.referrer_id),
  refereeId: textOrNull(r.referee_id),
  referralId: textOrNull(r.referral_id),
  sourceKind: r.source_kind as CommissionRecord['sourceKind'],
  sourceEventId: String(r.source_event_id),
  amount: int(r.amount, 'amount'),
  reversedAmount: int(r.reversed_amount, 'reversed_amount'),
  status: r.status as CommissionRecord['status'],
  statusReason: textOrNull(r.status_reason),
  calculation: json(r.calculation),
  availableAt: date(r.available_at),
  payoutId: textOrNull(r.payout_id),
  createdAt: date(r.created_at),
  approvedAt: dateOrNull(r.approved_at),
  paidAt: dateOrNull(r.paid_at),
  updatedAt: date(r.updated_at),
});

/** The `commissions` repository of one transaction, on `commissions`. */
export function commissionRepository(sql: TableStatements): CommissionRepository {
  const { query, read, one, insert, update, history, select, lock } = sql;
  return {
    insert: (row) => insert('commissions', row),
    get: (s, id, options) => one(select('commissions', 'id = $3', lock(options)), [s.programId, s.mode, id], toCommission, options?.forUpdate === true),
    listBySource: async (s, sourceEventId) =>
      (await read(select('commissions', 'source_event_id = $3', ' ORDER BY seq'), [s.programId, s.mode, sourceEventId])).map(toCommission),
    listByBeneficiary: async (s, beneficiaryId, page) =>
      (
        await history(
          'commissions',
          'created_at',
          [s.programId, s.mode, beneficiaryId],
          'beneficiary_id = $3',
          page,
          page.status === undefined ? [] : [['status', page.status]],
        )
      ).map(toCommission),
    listUnallocated: async (s, beneficiaryId) =>
      (
        await read(select('commissions', "beneficiary_id = $3 AND status = 'approved' AND payout_id IS NULL", ' ORDER BY created_at, seq'), [
          s.programId,
          s.mode,
          beneficiaryId,
        ])
      ).map(toCommission),
    listByReferral: async (s, referralId) =>
      (await read(select('commissions', 'referral_id = $3', ' ORDER BY seq'), [s.programId, s.mode, referralId])).map(toCommission),
    listByPayout: async (s, payoutId) => (await read(select('commissions', 'payout_id = $3', ' ORDER BY seq'), [s.programId, s.mode, payoutId])).map(toCommission),
    // Walks the commissions_due index (migration 0009) in its order: no sort, and the locked rows are skipped as they come.
    claimDue: async (s, now, page) =>
      (
        await query(select('commissions', "status = 'pending' AND available_at <= $3", ' ORDER BY available_at, seq LIMIT $4 FOR UPDATE SKIP LOCKED'), [
          s.programId,
          s.mode,
          now,
          page.limit,
        ])
      ).map(toCommission),
    update: (s, id, patch) => update('commissions', s, { id }, patch),
  };
}
