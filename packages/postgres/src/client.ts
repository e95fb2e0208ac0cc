/**
 * The small part of a PostgreSQL client onehop needs. `pg` (node-postgres)
 * and PGlite both have it; onehop never imports either at runtime.
 */

/** Anything that runs one parameterised statement: a `pg.PoolClient`, a `pg.Client`, a PGlite instance or transaction. */
export interface SqlClient {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** A `pg.Pool` (or anything that checks out clients the same way). */
export interface PoolLike {
  connect(): Promise<PooledClient>;
}

/** A named prepared statement, as node-postgres takes it. */
export interface QueryConfig {
  name: string;
  text: string;
  values: unknown[];
}

/**
 * A client checked out of a pool (a `pg.PoolClient`). It also runs named
 * prepared statements, and `release(error)` discards a broken connection
 * instead of reusing it.
 */
export interface PooledClient extends SqlClient {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  query(config: QueryConfig): Promise<{ rows: unknown[] }>;
  release(destroy?: Error | boolean): void;
}

/** Listeners node-postgres clients have; a client whose connection breaks must have one, or the process crashes. */
export interface ErrorEvents {
  on?(event: 'error', listener: (error: Error) => void): unknown;
  off?(event: 'error', listener: (error: Error) => void): unknown;
}

/** A PGlite instance: one embedded connection, whose `transaction` holds it exclusively. */
export interface PGliteLike extends SqlClient {
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
}

/**
 * Where the store sends its SQL. Give exactly one:
 *
 * - `pool`: a `pg.Pool`. Every onehop call checks out one client and runs one
 *   transaction on it (BEGIN … COMMIT), never through `pool.query`.
 * - `client`: a client already inside a transaction your application opened.
 *   Each onehop call runs in a SAVEPOINT in that transaction, so it commits or
 *   rolls back with your own writes (e.g. the user's sign-up), and a rejected
 *   call rolls back to the savepoint without aborting your transaction. A
 *   call made while the client is outside a transaction runs in one of its own.
 * - `pglite`: a PGlite instance (embedded Postgres, no server), for tests,
 *   demos and single-process tools.
 */
export type Connection = { pool: PoolLike } | { client: SqlClient } | { pglite: PGliteLike };
