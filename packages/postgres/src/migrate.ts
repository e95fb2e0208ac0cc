import { SchemaMismatchError } from '@onehop/core';
import type { Connection, ErrorEvents, SqlClient } from './client';
import { isConnectionError, translateConnectError, translateError } from './errors';
import { migrations, type Migration } from './migrations';
import { parseOptions } from './options';

export type MigrateOptions = Connection & {
  /** Schema to create and migrate. Default `onehop`. */
  schema?: string;
};

export interface MigrateResult {
  schema: string;
  /** Versions applied by this call, in order; empty when the schema was up to date. */
  applied: number[];
  /** The schema's version after the call. */
  version: number;
}

/** Runs a script of several statements: PGlite's `exec`, or node-postgres' simple query protocol. */
async function script(client: SqlClient & { exec?: (sql: string) => Promise<unknown> }, sql: string): Promise<void> {
  if (typeof client.exec === 'function') await client.exec(sql);
  else await client.query(sql);
}

/**
 * Creates the schema and applies every migration it lacks, in one
 * transaction under an advisory lock, so several app instances starting at
 * once apply each migration exactly once (the others wait, then find nothing
 * to do). Applied versions are recorded with a checksum in
 * `<schema>.schema_migrations`; if an applied migration's SQL differs from the
 * shipped file, or the database has a version this package does not know,
 * nothing runs and `SchemaMismatchError` explains why.
 *
 * Pass a `pool`, a `client` that is not inside a transaction, or `pglite`.
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const { schema } = parseOptions(options);
  const all = migrations();
  const work = async (client: SqlClient): Promise<MigrateResult> => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`onehop.migrate.${schema}`]);
    await script(client, `CREATE SCHEMA IF NOT EXISTS "${schema}";
      CREATE TABLE IF NOT EXISTS "${schema}".schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query(`SELECT version, name, checksum FROM "${schema}".schema_migrations ORDER BY version`);
    const applied = rows as { version: number; name: string; checksum: string }[];
    const known = new Map(all.map((m) => [m.version, m]));
    for (const row of applied) {
      const shipped = known.get(row.version);
      if (!shipped) {
        throw new SchemaMismatchError(
          `Schema "${schema}" has migration ${row.version} (${row.name}), which this version of @onehop/postgres does not know.`,
          'The database was migrated by a newer @onehop/postgres: upgrade the package.',
        );
      }
      if (shipped.checksum !== row.checksum) {
        throw new SchemaMismatchError(
          `Migration ${row.version} (${row.name}) applied to schema "${schema}" differs from the shipped ${shipped.file}.`,
          'Applied migrations are never edited: restore the original file and put changes in a new migration.',
        );
      }
    }
    const done = new Set(applied.map((r) => r.version));
    const pending: Migration[] = all.filter((m) => !done.has(m.version));
    for (const m of pending) {
      await client.query(`SET LOCAL search_path TO "${schema}"`);
      await script(client, m.sql);
      await client.query(`INSERT INTO "${schema}".schema_migrations (version, name, checksum) VALUES ($1, $2, $3)`, [m.version, m.name, m.checksum]);
    }
    return { schema, applied: pending.map((m) => m.version), version: all.at(-1)!.version };
  };

  try {
    if ('pglite' in options) return await options.pglite.transaction(work);
    const client = 'pool' in options ? await options.pool.connect().catch((error: unknown) => Promise.reject(translateConnectError(error))) : options.client;
    // A connection the server closes mid-migration emits 'error' on the client, which would crash the process unheard.
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken ??= error;
    };
    const events = client as ErrorEvents;
    events.on?.('error', onError);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (!broken && !isConnectionError(error)) await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      events.off?.('error', onError);
      if ('release' in client && typeof client.release === 'function') client.release(broken ?? false);
    }
  } catch (error) {
    throw translateError(error);
  }
}
