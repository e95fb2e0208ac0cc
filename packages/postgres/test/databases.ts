import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { expect } from 'vitest';
import { DATABASE_URL, NO_POOLER_REASON, NO_SERVER_REASON, NO_STANDBY_REASON, PGBOUNCER_URL, STANDBY_URL } from '../../../testing/environment';
import { grantApplicationRole, migrate, type PooledClient, type PoolLike, type QueryConfig, revokeApplicationRole } from '../src/index';

/**
 * Where the Postgres tests run. With DATABASE_URL: the real server, each test
 * file in a schema of its own, dropped at the end. Without it: PGlite, and the
 * tests that need real parallel connections say so and skip, except in CI,
 * where a missing server is a failure, never a skip. Why they skip is printed
 * once per run (testing/global-setup.ts).
 */
export { DATABASE_URL, NO_POOLER_REASON, NO_SERVER_REASON, NO_STANDBY_REASON, PGBOUNCER_URL, STANDBY_URL };

if (!DATABASE_URL && process.env.CI) throw new Error('CI must run the Postgres tests against a real server: set DATABASE_URL.');

/**
 * A PgBouncer in transaction mode in front of that server (CI starts one with
 * `.ci/pgbouncer`). With it, the conformance suite and the concurrency tests
 * also run through it, with `preparedStatements: false`; in CI it must be set.
 */
if (!PGBOUNCER_URL && process.env.CI) {
  throw new Error('CI must run the Postgres tests through PgBouncer in transaction mode too: start it with .ci/pgbouncer and set PGBOUNCER_URL.');
}

/**
 * A hot standby of that server, streaming from it (CI starts one with
 * `.ci/standby` on 127.0.0.1:5433). With it, the conformance suite also runs
 * with `readPool` on the standby; in CI it must be set.
 */
if (!STANDBY_URL && process.env.CI) throw new Error('CI must run the replica tests against a real standby: start it with .ci/standby and set STANDBY_URL.');

/** A way to reach the server the tests run on, and how the store must be set up for it. */
export interface ServerTarget {
  name: string;
  url: string | undefined;
  /** Why the target's tests skip when `url` is not set. */
  skipReason: string;
  preparedStatements: boolean;
  /** Whether the store connects as an application role that does not own the tables (see grantApplicationRole). */
  applicationRole?: boolean;
}

/** The server directly, with named prepared statements; and through PgBouncer in transaction mode, with unnamed ones. */
export const SERVER_TARGETS: readonly ServerTarget[] = [
  { name: 'real server', url: DATABASE_URL, skipReason: NO_SERVER_REASON, preparedStatements: true },
  { name: 'through PgBouncer in transaction mode', url: PGBOUNCER_URL, skipReason: NO_POOLER_REASON, preparedStatements: false },
  {
    name: 'real server, as an application role that does not own the tables',
    url: DATABASE_URL,
    skipReason: NO_SERVER_REASON,
    preparedStatements: true,
    applicationRole: true,
  },
];

/** A new login role with a random password (the connecting role needs CREATEROLE), and the URL that connects as it. */
export async function createLoginRole(owner: pg.Pool, prefix: string, connectionString = DATABASE_URL): Promise<{ role: string; url: string }> {
  const role = uniqueSchema(prefix);
  const password = randomBytes(18).toString('hex');
  await owner.query(`CREATE ROLE "${role}" LOGIN PASSWORD '${password}'`);
  const url = new URL(connectionString!);
  url.username = role;
  url.password = password;
  return { role, url: url.toString() };
}

export function uniqueSchema(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

export interface ServerDatabase {
  pool: pg.Pool;
  schema: string;
  /** Reaches the server directly (not through a pooler) as the role the pool connects as: a role may end its own backends. */
  directUrl: string;
  /** Drops the schema and closes the pool. */
  dispose(): Promise<void>;
}

/**
 * A migrated schema of its own on the server in DATABASE_URL (or reached
 * through `connectionString`). With `applicationRole`, the schema is migrated
 * by the connecting role (its owner) and `pool` connects as a new login role
 * that only has the grants of `grantApplicationRole()`; `dispose` drops it.
 */
export async function serverDatabase(
  prefix: string,
  poolSize = 20,
  connectionString = DATABASE_URL,
  options: { applicationRole?: boolean; synchronousCommit?: 'remote_apply' } = {},
): Promise<ServerDatabase> {
  const schema = uniqueSchema(prefix);
  if (options.applicationRole) {
    const owner = new pg.Pool({ connectionString, max: 2 });
    await migrate({ pool: owner, schema });
    const { role, url } = await createLoginRole(owner, `${prefix}_app`, connectionString);
    await grantApplicationRole({ pool: owner, schema, role });
    const pool = new pg.Pool({ connectionString: url, max: poolSize });
    return {
      pool,
      schema,
      directUrl: url,
      async dispose() {
        await pool.end();
        await revokeApplicationRole({ pool: owner, schema, role });
        await owner.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await owner.query(`DROP ROLE IF EXISTS "${role}"`);
        await owner.end();
      },
    };
  }
  // remote_apply: a commit returns once the synchronous standby has applied it (see .ci/standby).
  const sessionOptions = options.synchronousCommit ? { options: `-c synchronous_commit=${options.synchronousCommit}` } : {};
  const pool = new pg.Pool({ connectionString, max: poolSize, ...sessionOptions });
  await migrate({ pool, schema });
  return {
    pool,
    schema,
    directUrl: DATABASE_URL!,
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

/**
 * Every string value of every text, varchar, json and jsonb column (and
 * array column, as text) of every table in `schema`, by raw SQL: what the
 * erasure tests search for a user's personal data.
 */
export async function storedStrings(query: (text: string) => Promise<{ rows: Record<string, unknown>[] }>, schema: string): Promise<string[]> {
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

/** `pool`, with `around` wrapped around each statement a checked-out client sends (`send` sends it). */
export function poolAround<R extends { rows: unknown[] }>(
  pool: pg.Pool,
  around: (text: string, send: () => Promise<R>, client: pg.PoolClient, values: unknown[] | undefined) => Promise<R>,
): PoolLike {
  return {
    async connect() {
      const client = await pool.connect();
      const wrapped: PooledClient & { connectionParameters: unknown; on: pg.PoolClient['on']; off: pg.PoolClient['off'] } = {
        query(statement: string | QueryConfig, values?: unknown[]) {
          const text = typeof statement === 'string' ? statement : statement.text;
          return around(
            text,
            () => (typeof statement === 'string' ? client.query(statement, values) : client.query(statement)) as unknown as Promise<R>,
            client,
            typeof statement === 'string' ? values : statement.values,
          );
        },
        release: (destroy) => client.release(destroy),
        // The store reads node-postgres' settings (query_timeout) to know whether it may send an apply without a transaction.
        connectionParameters: (client as unknown as { connectionParameters: unknown }).connectionParameters,
        on: client.on.bind(client),
        off: client.off.bind(client),
      };
      return wrapped;
    },
  };
}

/** The accounts of a program whose balance row differs, in some bucket, from the sum of the account's ledger entries there (raw SQL). */
export async function ledgerMismatches(pool: pg.Pool, schema: string, programId: string): Promise<string[]> {
  const { rows } = await pool.query(
    `SELECT b.account_id FROM "${schema}".balances b
       LEFT JOIN (SELECT account_id, bucket, sum(amount) AS total FROM "${schema}".ledger_entries WHERE program_id = $1 GROUP BY account_id, bucket) l
         ON l.account_id = b.account_id
      WHERE b.program_id = $1
      GROUP BY b.account_id, b.pending, b.on_hold, b.withdrawable, b.requested, b.paid
     HAVING b.pending <> coalesce(sum(l.total) FILTER (WHERE l.bucket = 'pending'), 0)
         OR b.on_hold <> coalesce(sum(l.total) FILTER (WHERE l.bucket = 'on_hold'), 0)
         OR b.withdrawable <> coalesce(sum(l.total) FILTER (WHERE l.bucket = 'withdrawable'), 0)
         OR b.requested <> coalesce(sum(l.total) FILTER (WHERE l.bucket = 'requested'), 0)
         OR b.paid <> coalesce(sum(l.total) FILTER (WHERE l.bucket = 'paid'), 0)`,
    [programId],
  );
  return rows.map((r) => String(r.account_id));
}
