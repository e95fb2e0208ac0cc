import type { ClickRecord, ClickRepository, Mode } from '@onehop/core';
import type { Row } from '../executor';
import type { TableStatements } from '../table-statements';
import { date, int, textOrNull } from '../values';

/** The columns of `clicks` as the store reads them. */
export const CLICK_COLUMNS = 'program_id, mode, id, code, referrer_id, landing_url, source, ip_hash, at';

const toClick = (r: Row): ClickRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  id: String(r.id),
  code: String(r.code),
  referrerId: String(r.referrer_id),
  landingUrl: textOrNull(r.landing_url),
  source: textOrNull(r.source),
  ipHash: textOrNull(r.ip_hash),
  at: date(r.at),
});

/** The `clicks` repository of one transaction, on `clicks`. */
export function clickRepository(sql: TableStatements): ClickRepository {
  const { t, after, query, read, insert, select } = sql;
  return {
    insert: (row) => insert('clicks', row),
    countByIpSince: async (s, ipHash, since) => {
      const rows = await read(`SELECT count(*) AS n FROM ${t('clicks')} WHERE program_id = $1 AND mode = $2 AND ip_hash = $3 AND at >= $4`, [
        s.programId,
        s.mode,
        ipHash,
        since,
      ]);
      return int(rows[0]!.n, 'count');
    },
    listByReferrer: async (s, referrerId, page) =>
      page.cursor === undefined
        ? (await read(select('clicks', 'referrer_id = $3', ' ORDER BY seq LIMIT $4'), [s.programId, s.mode, referrerId, page.limit])).map(toClick)
        : (
            await read(select('clicks', `referrer_id = $3 AND ${after('clicks', 4, false)}`, ' ORDER BY seq LIMIT $5'), [
              s.programId,
              s.mode,
              referrerId,
              page.cursor,
              page.limit,
            ])
          ).map(toClick),
    eraseByIpHashes: async (s, ipHashes) =>
      ipHashes.length === 0
        ? 0
        : (
            await query(
              `UPDATE ${t('clicks')} SET ip_hash = NULL, landing_url = NULL
                  WHERE program_id = $1 AND mode = $2 AND ip_hash = ANY ($3::text[]) RETURNING 1`,
              [s.programId, s.mode, ipHashes],
            )
          ).length,
  };
}
