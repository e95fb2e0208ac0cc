import { SchemaMismatchError } from '@onehop/core';
import type { Connection, SqlClient } from './client';
import { type Migration, migrations } from './migrations';
import { parseOptions } from './options';
import { regrantApplicationRoles } from './roles';
import { inSchemaTransaction, script } from './schema-transaction';

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

/**
 * Creates the schema and applies every migration it lacks, in one
 * transaction under an advisory lock, so several app instances starting at
 * once apply each migration exactly once (the others wait, then find nothing
 * to do). Applied versions are recorded with a checksum in
 * `<schema>.schema_migrations`; if an applied migration's SQL differs from the
 * shipped file, or the database has a version this package does not know,
 * nothing runs and `SchemaMismatchError` explains why.
 *
 * Run it as the role that owns the schema. Roles given to the application
 * with `grantApplicationRole()` are granted again at the end, so new tables
 * and columns reach them in the same transaction.
 *
 * Pass a `pool`, a `client` that is not inside a transaction, or `pglite`.
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const { schema } = parseOptions(options);
  const all = migrations();
  const work = async (client: SqlClient): Promise<MigrateResult> => {
    // CREATE SCHEMA needs CREATE on the database even when the schema exists, so it
    // runs only when the schema is missing: an owner role given just its schema can migrate.
    const existing = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    await script(
      client,
      `${existing.rows.length === 0 ? `CREATE SCHEMA IF NOT EXISTS "${schema}";` : ''}
      CREATE TABLE IF NOT EXISTS "${schema}".schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`,
    );
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
    await regrantApplicationRoles(client, schema);
    return { schema, applied: pending.map((m) => m.version), version: all.at(-1)!.version };
  };

  return inSchemaTransaction(options, schema, work);
}
