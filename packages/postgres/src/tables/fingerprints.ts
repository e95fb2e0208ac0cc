import type { FingerprintRecord, FingerprintRepository, Mode } from '@onehop/core';
import type { Row } from '../executor';
import type { TableStatements } from '../table-statements';
import { date, int, textOrNull } from '../values';

/** The columns of `fingerprints` as the store reads them. */
export const FINGERPRINT_COLUMNS = 'program_id, mode, id, user_id, kind, hash, role, referrer_id, at';

const toFingerprint = (r: Row): FingerprintRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  id: String(r.id),
  userId: String(r.user_id),
  kind: r.kind as FingerprintRecord['kind'],
  hash: String(r.hash),
  role: r.role as FingerprintRecord['role'],
  referrerId: textOrNull(r.referrer_id),
  at: date(r.at),
});

/** The `fingerprints` repository of one transaction, on `fingerprints`. */
export function fingerprintRepository(sql: TableStatements): FingerprintRepository {
  const { t, query, read, insert, select } = sql;
  return {
    insert: (row) => insert('fingerprints', row),
    count: async (s, q) => {
      const values: unknown[] = [s.programId, s.mode, q.kind, q.hash];
      let where = 'program_id = $1 AND mode = $2 AND kind = $3 AND hash = $4';
      for (const [column, value] of [
        ['role', q.role],
        ['user_id', q.userId],
        ['referrer_id', q.referrerId],
      ] as const) {
        if (value === undefined) continue;
        values.push(value);
        where += ` AND ${column} = $${values.length}`;
      }
      if (q.since !== undefined) {
        values.push(q.since);
        where += ` AND at >= $${values.length}`;
      }
      const rows = await read(`SELECT count(*) AS n FROM ${t('fingerprints')} WHERE ${where}`, values);
      return int(rows[0]!.n, 'count');
    },
    listByUser: async (s, userId) => (await read(select('fingerprints', 'user_id = $3', ' ORDER BY seq'), [s.programId, s.mode, userId])).map(toFingerprint),
    eraseUser: async (s, userId) =>
      (await query(`DELETE FROM ${t('fingerprints')} WHERE program_id = $1 AND mode = $2 AND user_id = $3 RETURNING id`, [s.programId, s.mode, userId])).length,
  };
}
