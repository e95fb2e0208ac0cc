/**
 * Where the app keeps its data: PGlite in a local folder by default (nothing
 * to set up), a real PostgreSQL server when DATABASE_URL is set. onehop's
 * schema (`onehop`) and the app's own tables (`app`: users and the pretend
 * provider's payments) live in the same database, so a sign-up can write the
 * user and attribute the referral in one transaction.
 */
import { PGlite } from '@electric-sql/pglite';
import type { Store } from '@onehop/core';
import { createPostgresStore, migrate, type SqlClient } from '@onehop/postgres';
import pg from 'pg';

export interface Database {
  /** onehop's store for calls that run on their own. */
  store: Store;
  /** The app's own queries outside a transaction. */
  sql: SqlClient;
  /**
   * Runs `fn` in one transaction: the app's writes on `client`, onehop's
   * through `store` (a store on the same client, each call in a savepoint).
   * Both commit together, or neither does.
   */
  transaction<T>(fn: (client: SqlClient, store: Store) => Promise<T>): Promise<T>;
  /** What the app runs on, for the start-up line. */
  description: string;
  close(): Promise<void>;
}

/** The app's own tables. A real app has its users table already; this one is just enough for the demo. */
const APP_SCHEMA = `
CREATE SCHEMA IF NOT EXISTS app;
CREATE TABLE IF NOT EXISTS app.users (
  id text PRIMARY KEY,
  email text NOT NULL UNIQUE,
  name text NOT NULL,
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- What the pretend payment provider remembers about each payment, so it can
-- send refunds and disputes that name it, as Stripe does.
CREATE TABLE IF NOT EXISTS app.payments (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES app.users (id),
  plan text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  refunds jsonb NOT NULL DEFAULT '[]',
  disputed boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL
);
`;

/** Opens PGlite in `dataDir` (or in memory when `dataDir` is omitted), or the server at `databaseUrl`; migrates both schemas. */
export async function openDatabase(options: { databaseUrl?: string | undefined; dataDir?: string | undefined }): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl });
    // An idle client that the server or a pooler drops emits 'error' on the pool: without a listener, the process crashes.
    pool.on('error', (error) => console.error('PostgreSQL dropped an idle connection; the pool opens a new one', error));
    await migrate({ pool });
    await pool.query(APP_SCHEMA);
    return {
      store: createPostgresStore({ pool }),
      sql: pool,
      async transaction(fn) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const result = await fn(client, createPostgresStore({ client }));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        } finally {
          client.release();
        }
      },
      description: 'PostgreSQL (DATABASE_URL)',
      close: () => pool.end(),
    };
  }
  const db = new PGlite(options.dataDir);
  await migrate({ pglite: db });
  await db.exec(APP_SCHEMA);
  return {
    store: createPostgresStore({ pglite: db }),
    sql: db,
    transaction: (fn) => db.transaction((tx) => fn(tx, createPostgresStore({ client: tx }))),
    description: options.dataDir ? `PGlite in ${options.dataDir}` : 'PGlite in memory',
    close: () => db.close(),
  };
}
