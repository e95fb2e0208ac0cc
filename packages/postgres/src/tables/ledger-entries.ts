import type { Actor, LedgerEntryRecord, LedgerRepository, Mode } from '@onehop/core';
import type { Row } from '../executor';
import type { TableStatements } from '../table-statements';
import { date, int, textOrNull } from '../values';

/** The columns of `ledger_entries` as the store reads them. */
export const LEDGER_ENTRY_COLUMNS =
  'program_id, mode, id, account_id, bucket, amount, kind, commission_id, payout_id, source_type, source_id, actor_type, actor_id, reason, at';

const actor = (r: Row): Actor => ({ type: r.actor_type as Actor['type'], id: textOrNull(r.actor_id) });

const toLedgerEntry = (r: Row): LedgerEntryRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  id: String(r.id),
  accountId: String(r.account_id),
  bucket: r.bucket as LedgerEntryRecord['bucket'],
  amount: int(r.amount, 'amount'),
  kind: r.kind as LedgerEntryRecord['kind'],
  commissionId: textOrNull(r.commission_id),
  payoutId: textOrNull(r.payout_id),
  sourceType: r.source_type as LedgerEntryRecord['sourceType'],
  sourceId: String(r.source_id),
  actor: actor(r),
  reason: textOrNull(r.reason),
  at: date(r.at),
});

/** The `ledger` repository of one transaction, on `ledger_entries`. */
export function ledgerRepository(sql: TableStatements): LedgerRepository {
  const { t, read, insertRows, history } = sql;
  return {
    append: (rows) => insertRows('ledger_entries', rows),
    listByAccount: async (s, accountId, page) => (await history('ledger_entries', 'at', [s.programId, s.mode, accountId], 'account_id = $3', page)).map(toLedgerEntry),
    sumSince: async (s, accountId, since) => {
      const rows = await read(
        `SELECT bucket, sum(amount) AS amount FROM ${t('ledger_entries')} WHERE program_id = $1 AND mode = $2 AND account_id = $3 AND at >= $4 GROUP BY bucket`,
        [s.programId, s.mode, accountId, since],
      );
      return Object.fromEntries(rows.map((r) => [String(r.bucket), int(r.amount, 'amount')]));
    },
  };
}
