/**
 * A schema that distributes on Citus by `program_id` (docs/guides/scaling.md,
 * "Distributing with Citus"). Citus co-locates rows with the same
 * distribution column value on one worker, and enforces a primary key, a
 * unique constraint or a foreign key between distributed tables only when it
 * includes the distribution column. Every onehop table therefore leads each
 * of them with `program_id`, so the same index serves each program's queries
 * and keeps a program's rows together. This reads the migrated schema's
 * catalogue and fails on any table, key, unique index or foreign key that
 * does not; every future migration is held to it.
 *
 * Store-only: the memory store has no schema. Runs on PGlite (the catalogue is
 * the same as the server's).
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantApplicationRole, migrate } from '../src/index';

/**
 * Tables that stay local to the coordinator on Citus, each with the reason.
 * Nothing else may be added here without a line in the scaling guide.
 */
const LOCAL_TABLES: Record<string, string> = {
  schema_migrations: 'which migrations ran: one row per migration, read by migrate() only',
  application_roles: 'which database roles grantApplicationRole() granted: one row per role, read by the role helpers only',
};

const schema = 'onehop';
let db: PGlite;
beforeAll(async () => {
  db = new PGlite();
  await migrate({ pglite: db, schema });
  // The role helpers create their table on first use: include it in the check.
  await db.exec('CREATE ROLE onehop_distribution_check');
  await grantApplicationRole({ pglite: db, schema, role: 'onehop_distribution_check' });
});
afterAll(async () => {
  await db.close();
});

async function rows<T>(text: string): Promise<T[]> {
  return (await db.query<T>(text, [schema])).rows;
}

describe('the schema distributes on Citus by program_id', () => {
  it('every table but the local ones has a program_id column and a primary key', async () => {
    const tables = await rows<{ table: string; has_program: boolean; has_pk: boolean }>(`
      SELECT c.relname AS table,
             EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'program_id' AND NOT a.attisdropped) AS has_program,
             EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p') AS has_pk
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition`);
    expect(tables.length).toBeGreaterThan(15);
    const distributed = tables.filter((t) => !(t.table in LOCAL_TABLES));
    expect(Object.keys(LOCAL_TABLES).every((name) => tables.some((t) => t.table === name))).toBe(true);
    expect(distributed.filter((t) => !t.has_program || !t.has_pk).map((t) => t.table)).toEqual([]);
  });

  it('every primary key, unique index and foreign key of a distributed table leads with program_id', async () => {
    const indexes = await rows<{ table: string; index: string; first: string }>(`
      SELECT c.relname AS table, i.relname AS index, a.attname AS first
        FROM pg_index x
        JOIN pg_class c ON c.oid = x.indrelid
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = x.indkey[0]
       WHERE n.nspname = $1 AND (x.indisunique OR x.indisprimary)`);
    const foreignKeys = await rows<{ table: string; key: string; first: string; referenced_first: string }>(`
      SELECT c.relname AS table, k.conname AS key, a.attname AS first, ra.attname AS referenced_first
        FROM pg_constraint k
        JOIN pg_class c ON c.oid = k.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
        JOIN pg_attribute ra ON ra.attrelid = k.confrelid AND ra.attnum = k.confkey[1]
       WHERE n.nspname = $1 AND k.contype = 'f'`);
    const distributedIndexes = indexes.filter((i) => !(i.table in LOCAL_TABLES));
    expect(distributedIndexes.length).toBeGreaterThan(15);
    expect(distributedIndexes.filter((i) => i.first !== 'program_id').map((i) => `${i.table}.${i.index}`)).toEqual([]);
    expect(foreignKeys.length).toBeGreaterThan(5);
    expect(foreignKeys.filter((k) => k.first !== 'program_id' || k.referenced_first !== 'program_id').map((k) => `${k.table}.${k.key}`)).toEqual([]);
  });

  it('no foreign key links a distributed table and a local one', async () => {
    const links = await rows<{ from: string; to: string }>(`
      SELECT c.relname AS from, r.relname AS to
        FROM pg_constraint k
        JOIN pg_class c ON c.oid = k.conrelid
        JOIN pg_class r ON r.oid = k.confrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND k.contype = 'f'`);
    expect(links.filter((l) => l.from in LOCAL_TABLES !== l.to in LOCAL_TABLES)).toEqual([]);
  });
});
