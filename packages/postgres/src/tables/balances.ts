import type { BalanceRecord, BalanceRepository, Bucket, Mode } from '@onehop/core';
import { BUCKETS } from '@onehop/core';
import type { Row } from '../executor';
import type { TableStatements } from '../table-statements';
import { date, int } from '../values';

/** The columns of `balances` as the store reads them. */
export const BALANCE_COLUMNS = 'program_id, mode, account_id, pending, on_hold, withdrawable, requested, paid, updated_at';

const toBalance = (r: Row): BalanceRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  accountId: String(r.account_id),
  pending: int(r.pending, 'pending'),
  on_hold: int(r.on_hold, 'on_hold'),
  withdrawable: int(r.withdrawable, 'withdrawable'),
  requested: int(r.requested, 'requested'),
  paid: int(r.paid, 'paid'),
  updatedAt: date(r.updated_at),
});

const bucketColumns = BUCKETS.join(', ');

/** The `balances` repository of one transaction, on `balances`. */
export function balanceRepository(sql: TableStatements): BalanceRepository {
  const { t, hold, one, read, select, lock } = sql;
  return {
    get: (s, accountId, options) => one(select('balances', 'account_id = $3', lock(options)), [s.programId, s.mode, accountId], toBalance, options?.forUpdate === true),
    // The predicate and order of the balances_withdrawable index.
    listWithdrawable: async (s, page) =>
      page.after === undefined
        ? (
            await read(select('balances', 'withdrawable > 0 AND withdrawable >= $3', ' ORDER BY account_id COLLATE "C" LIMIT $4'), [
              s.programId,
              s.mode,
              page.minimum,
              page.limit,
            ])
          ).map(toBalance)
        : (
            await read(select('balances', 'withdrawable > 0 AND withdrawable >= $3 AND account_id COLLATE "C" > $4', ' ORDER BY account_id COLLATE "C" LIMIT $5'), [
              s.programId,
              s.mode,
              page.minimum,
              page.after,
              page.limit,
            ])
          ).map(toBalance),
    add: async (s, accountId, deltas, at) => {
      const d = BUCKETS.map((b: Bucket) => deltas[b] ?? 0);
      await hold(
        'balances',
        `INSERT INTO ${t('balances')} (program_id, mode, account_id, ${bucketColumns}, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (program_id, mode, account_id) DO UPDATE SET ${BUCKETS.map((b) => `${b} = balances.${b} + EXCLUDED.${b}`).join(', ')}, updated_at = EXCLUDED.updated_at`,
        [s.programId, s.mode, accountId, ...d, at],
      );
    },
  };
}
