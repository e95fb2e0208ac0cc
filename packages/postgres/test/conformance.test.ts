import type { PGlite } from '@electric-sql/pglite';
import { runConformanceSuite } from '@onehop/core/testing';
import { afterAll, beforeAll } from 'vitest';
import { createPostgresStore } from '../src/index';
import { DATABASE_URL, PGBOUNCER_URL, pgliteDatabase, type ServerDatabase, serverDatabase, storedStrings } from './databases';

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

// Through a connection pooler in transaction mode, which hands each transaction to any of its server connections.
if (PGBOUNCER_URL) {
  let pooled: ServerDatabase;
  beforeAll(async () => {
    pooled = await serverDatabase('conformance_pooled', 20, PGBOUNCER_URL);
  });
  afterAll(async () => {
    await pooled.dispose();
  });
  runConformanceSuite({
    name: 'postgres (through PgBouncer in transaction mode)',
    createStore: () => createPostgresStore({ pool: pooled.pool, schema: pooled.schema, preparedStatements: false }),
    supportsLiveMode: true,
    storedStrings: () => storedStrings((text) => pooled.pool.query(text), pooled.schema),
    propertyRuns: 15,
  });
}
