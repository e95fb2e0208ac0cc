import type { PGlite } from '@electric-sql/pglite';
import { runConformanceSuite } from '@onehop/core/testing';
import { afterAll, beforeAll, expect } from 'vitest';
import { createPostgresStore } from '../src/index';
import { DATABASE_URL, pgliteDatabase, serverDatabase, type ServerDatabase } from './databases';

/**
 * Every string value of every text, varchar, json and jsonb column (and
 * array column, as text) of every table in `schema`, by raw SQL: what the
 * erasure tests search for a user's personal data.
 */
async function storedStrings(query: (text: string) => Promise<{ rows: Record<string, unknown>[] }>, schema: string): Promise<string[]> {
  const literal = `'${schema.replace(/'/g, "''")}'`;
  const { rows: columns } = await query(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = ${literal} AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')
      ORDER BY c.table_name, c.ordinal_position`,
  );
  expect(columns.length).toBeGreaterThan(0);
  const ident = (name: unknown) => `"${String(name).replace(/"/g, '""')}"`;
  const parts = columns.map((c) => `SELECT ${ident(c.column_name)}::text AS v FROM ${ident(schema)}.${ident(c.table_name)} WHERE ${ident(c.column_name)} IS NOT NULL`);
  const { rows } = await query(parts.join(' UNION ALL '));
  return rows.map((r) => String(r.v));
}

// Every test of the suite uses its own program id, so one migrated database serves them all.
let lite: PGlite;
beforeAll(async () => {
  lite = await pgliteDatabase();
});
afterAll(async () => {
  await lite.close();
});

runConformanceSuite({
  name: 'postgres (PGlite)',
  createStore: () => createPostgresStore({ pglite: lite }),
  supportsLiveMode: true,
  storedStrings: () => storedStrings((text) => lite.query(text), 'onehop'),
  propertyRuns: 15,
});

if (DATABASE_URL) {
  let server: ServerDatabase;
  beforeAll(async () => {
    server = await serverDatabase('conformance');
  });
  afterAll(async () => {
    await server.dispose();
  });
  runConformanceSuite({
    name: 'postgres (server)',
    createStore: () => createPostgresStore({ pool: server.pool, schema: server.schema }),
    supportsLiveMode: true,
    storedStrings: () => storedStrings((text) => server.pool.query(text), server.schema),
    propertyRuns: 15,
  });
}
