import type { Connection, ErrorEvents, SqlClient } from './client';
import { isConnectionError, translateConnectError, translateError } from './errors';

/** Runs a script of several statements: PGlite's `exec`, or node-postgres' simple query protocol. */
export async function script(client: SqlClient & { exec?: (sql: string) => Promise<unknown> }, sql: string): Promise<void> {
  if (typeof client.exec === 'function') await client.exec(sql);
  else await client.query(sql);
}

/**
 * Runs `work` in a transaction of its own that first takes the schema's
 * advisory lock, so changes to one schema (migrations, grants) run one at a
 * time across processes: on a client checked out of the pool, on the given
 * client (which must not be inside a transaction), or in a PGlite
 * transaction. Database errors come out as onehop errors.
 */
export async function inSchemaTransaction<T>(connection: Connection, schema: string, work: (client: SqlClient) => Promise<T>): Promise<T> {
  const locked = async (client: SqlClient): Promise<T> => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`onehop.migrate.${schema}`]);
    return work(client);
  };
  try {
    if ('pglite' in connection) return await connection.pglite.transaction(locked);
    const client = 'pool' in connection ? await connection.pool.connect().catch((error: unknown) => Promise.reject(translateConnectError(error))) : connection.client;
    // A connection the server closes mid-migration emits 'error' on the client, which would crash the process unheard.
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken ??= error;
    };
    const events = client as ErrorEvents;
    events.on?.('error', onError);
    try {
      await client.query('BEGIN');
      const result = await locked(client);
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
