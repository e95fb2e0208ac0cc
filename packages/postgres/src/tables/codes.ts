import type { CodeRecord, CodeRepository, Mode } from '@onehop/core';
import type { Row } from '../executor';
import type { TableStatements } from '../table-statements';
import { date, dateOrNull } from '../values';

/** The columns of `codes` as the store reads them. */
export const CODE_COLUMNS = 'program_id, mode, code, user_id, status, vanity, created_at, retired_at';

const toCode = (r: Row): CodeRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  code: String(r.code),
  userId: String(r.user_id),
  status: r.status as CodeRecord['status'],
  vanity: r.vanity === true,
  createdAt: date(r.created_at),
  retiredAt: dateOrNull(r.retired_at),
});

/** The `codes` repository of one transaction, on `codes`. */
export function codeRepository(sql: TableStatements): CodeRepository {
  const { read, one, insert, update, select } = sql;
  return {
    insert: (row) => insert('codes', row),
    get: (s, code) => one(select('codes', 'code = $3'), [s.programId, s.mode, code], toCode),
    listByUser: async (s, userId) => (await read(select('codes', 'user_id = $3', ' ORDER BY seq'), [s.programId, s.mode, userId])).map(toCode),
    update: (s, code, patch) => update('codes', s, { code }, patch),
  };
}
