import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { migrate } from '../src/index';

/**
 * Where the Postgres tests run. With DATABASE_URL: the real server, each test
 * file in a schema of its own, dropped at the end. Without it: PGlite, and the
 * tests that need real parallel connections say so and skip, except in CI,
 * where a missing server is a failure, never a skip.
 */
export const DATABASE_URL = process.env.DATABASE_URL;

export const NO_SERVER_REASON =
  'DATABASE_URL is not set: the Postgres conformance suite runs on PGlite only; the concurrency tests need a real server (set DATABASE_URL=postgres://…).';

if (!DATABASE_URL) {
  if (process.env.CI) throw new Error('CI must run the Postgres tests against a real server: set DATABASE_URL.');
  console.warn(`[onehop/postgres tests] ${NO_SERVER_REASON}`);
}

export function uniqueSchema(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

export interface ServerDatabase {
  pool: pg.Pool;
  schema: string;
  /** Drops the schema and closes the pool. */
  dispose(): Promise<void>;
}

/** A migrated schema of its own on the server in DATABASE_URL. */
export async function serverDatabase(prefix: string, poolSize = 20): Promise<ServerDatabase> {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: poolSize });
  const schema = uniqueSchema(prefix);
  await migrate({ pool, schema });
  return {
    pool,
    schema,
    async dispose() {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    },
  };
}

/** A migrated PGlite database (in memory). */
export async function pgliteDatabase(schema = 'onehop'): Promise<PGlite> {
  const db = new PGlite();
  await migrate({ pglite: db, schema });
  return db;
}
