import type { CounterRecord, CounterRepository, Mode } from '@onehop/core';
import type { Row } from '../executor';
import { placeholders, type TableStatements } from '../table-statements';
import { int } from '../values';

const toCounter = (r: Row): CounterRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  ownerId: String(r.owner_id),
  name: String(r.name),
  period: String(r.period),
  value: int(r.value, 'counter'),
});

/** The `counters` repository of one transaction, on `counters`. */
export function counterRepository(sql: TableStatements): CounterRepository {
  const { t, hold, query, read } = sql;
  return {
    get: async (s, ownerId, name, period) => {
      const rows = await read(`SELECT value FROM ${t('counters')} WHERE program_id = $1 AND mode = $2 AND owner_id = $3 AND name = $4 AND period = $5`, [
        s.programId,
        s.mode,
        ownerId,
        name,
        period,
      ]);
      return rows.length === 0 ? 0 : int(rows[0]!.value, 'counter');
    },
    add: async (s, ownerId, name, period, delta) => {
      const rows = await query(
        `INSERT INTO ${t('counters')} (program_id, mode, owner_id, name, period, value) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (program_id, mode, owner_id, name, period) DO UPDATE SET value = counters.value + EXCLUDED.value RETURNING value`,
        [s.programId, s.mode, ownerId, name, period, delta],
      );
      return int(rows[0]!.value, 'counter');
    },
    addMany: async (rows) => {
      if (rows.length === 0) return;
      const values: unknown[] = [];
      const tuples = rows.map((r) => {
        values.push(r.programId, r.mode, r.ownerId, r.name, r.period, r.value);
        return `(${placeholders(values.length - 5, 6)})`;
      });
      await hold(
        'counters',
        `INSERT INTO ${t('counters')} (program_id, mode, owner_id, name, period, value) VALUES ${tuples.join(', ')}
           ON CONFLICT (program_id, mode, owner_id, name, period) DO UPDATE SET value = counters.value + EXCLUDED.value`,
        values,
      );
    },
    // One index probe per owner: with the owners as a join, PostgreSQL
    // walks the primary key for each instead of the name index across
    // every owner's rows of the period.
    listRange: async (s, ownerIds, name, from, to) =>
      (
        await read(
          `SELECT c.program_id, c.mode, c.owner_id, c.name, c.period, c.value FROM unnest($3::text[]) AS o (owner_id)
             CROSS JOIN LATERAL (SELECT * FROM ${t('counters')} WHERE program_id = $1 AND mode = $2 AND owner_id = o.owner_id AND name = $4 AND period BETWEEN $5 AND $6) c
             ORDER BY c.owner_id, c.period`,
          [s.programId, s.mode, ownerIds, name, from, to],
        )
      ).map(toCounter),
    // One probe of the primary key per (owner, name) pair, sent as two
    // parallel arrays: joined as two separate sets, PostgreSQL probes by
    // owner alone and reads every name and day of each owner.
    sum: async (s, ownerIds, names, from, to) => {
      const owners = ownerIds.flatMap((o) => names.map(() => o));
      const pairs = ownerIds.flatMap(() => names);
      const rows = await read(
        `SELECT p.name, sum(c.value) AS value FROM unnest($3::text[], $4::text[]) AS p (owner_id, name)
           CROSS JOIN LATERAL (SELECT value FROM ${t('counters')} WHERE program_id = $1 AND mode = $2 AND owner_id = p.owner_id AND name = p.name AND period BETWEEN $5 AND $6) c
           GROUP BY p.name`,
        [s.programId, s.mode, owners, pairs, from, to],
      );
      const sums: Record<string, number> = Object.fromEntries(names.map((name) => [name, 0]));
      for (const r of rows) sums[String(r.name)] = int(r.value, 'counter');
      return sums;
    },
    top: async (s, name, from, to, limit, excludeOwnerIds = []) =>
      (
        await read(
          `SELECT owner_id, sum(value) AS value FROM ${t('counters')}
             WHERE program_id = $1 AND mode = $2 AND name = $3 AND period BETWEEN $4 AND $5 AND owner_id <> ALL ($7::text[])
             GROUP BY owner_id ORDER BY sum(value) DESC, owner_id LIMIT $6`,
          [s.programId, s.mode, name, from, to, limit, excludeOwnerIds],
        )
      ).map((r) => ({ ownerId: String(r.owner_id), value: int(r.value, 'counter') })),
  };
}
