/**
 * Where the app keeps its data: PGlite in a local folder by default (nothing
 * to set up), a real PostgreSQL server when DATABASE_URL is set. The schema
 * is migrated on start either way.
 */
import { PGlite } from '@electric-sql/pglite';
import { createPostgresStore, migrate } from '@onehop/postgres';
import type { Store } from '@onehop/core';
import pg from 'pg';

export interface OpenedStore {
  store: Store;
  /** What the app runs on, for the start-up line. */
  description: string;
  close(): Promise<void>;
}

export async function openStore(options: { databaseUrl?: string | undefined; dataDir: string }): Promise<OpenedStore> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl });
    await migrate({ pool });
    return { store: createPostgresStore({ pool }), description: 'PostgreSQL (DATABASE_URL)', close: () => pool.end() };
  }
  const db = new PGlite(options.dataDir);
  await migrate({ pglite: db });
  return { store: createPostgresStore({ pglite: db }), description: `PGlite in ${options.dataDir}`, close: () => db.close() };
}
