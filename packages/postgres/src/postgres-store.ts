import type { Awaitable, Store, StoreCapabilities, StoreTransaction } from '@onehop/core';
import { ConnectionLostError, isOnehopError } from '@onehop/core';
import type { Connection, ErrorEvents, PGliteLike, PoolLike, PooledClient, SqlClient } from './client';
import { isConnectionError, translateConnectError, translateError } from './errors';
import { parseOptions } from './options';
import { clientExecutor, repositories, type Executor } from './repositories';

export type PostgresStoreOptions = Connection & {
  /** Schema holding onehop's tables (created by `migrate()`). Default `onehop`. */
  schema?: string;
};

/**
 * The PostgreSQL store. Every engine call is one transaction on one
 * connection, at READ COMMITTED: the engine serialises work on one referrer
 * with row locks (`SELECT … FOR UPDATE` on the participant row, then the
 * commissions it touches, then balances, always in that order), and the
 * database's unique constraints settle every other race. Serialisation
 * failures and deadlocks become `TransactionConflictError`, which the engine
 * retries; a lost connection becomes `ConnectionLostError`, which it does not.
 */
export class PostgresStore implements Store {
  readonly capabilities: StoreCapabilities = { name: 'postgres', durable: true, liveAllowed: true };
  readonly schema: string;
  private readonly connection: Connection;
  /** Calls on a single connection (an app's client, PGlite) run one at a time. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(options: PostgresStoreOptions) {
    const parsed = parseOptions(options);
    this.schema = parsed.schema;
    this.connection = options;
  }

  transaction<T>(fn: (tx: StoreTransaction) => Awaitable<T>): Promise<T> {
    if ('pool' in this.connection) return this.onPool(this.connection.pool, fn);
    const connection = this.connection;
    const run = (): Promise<T> => ('pglite' in connection ? this.onPGlite(connection.pglite, fn) : this.inClientTransaction(connection.client, fn));
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Checks out one client, runs BEGIN … COMMIT on it, and returns it (or discards it if its connection broke). */
  private async onPool<T>(pool: PoolLike, fn: (tx: StoreTransaction) => Awaitable<T>): Promise<T> {
    let client;
    try {
      client = await pool.connect();
    } catch (error) {
      // Refused credentials, a missing database or role are the setup's fault, not a lost connection: running again cannot help.
      throw translateConnectError(error);
    }
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken ??= error; // the first error says why (e.g. a time limit); "Connection terminated" follows it
    };
    const events = client as ErrorEvents;
    events.on?.('error', onError);
    const tx = new PoolTransaction(client);
    try {
      const repos = repositories(tx, this.schema);
      const result = await fn(repos.repositories);
      await repos.flush();
      await tx.commit();
      return result;
    } catch (error) {
      if (isConnectionError(error)) broken ??= error as Error;
      if (!broken) {
        try {
          await tx.rollback();
        } catch (rollbackError) {
          broken = rollbackError as Error;
        }
      }
      // An error of the engine's own stands (nothing committed either way); a database error on a dead connection is a lost connection.
      if (broken && isLost(error)) throw brokenConnection(broken, error);
      throw translateError(error);
    } finally {
      events.off?.('error', onError);
      client.release(broken ?? false);
    }
  }

  /**
   * Runs in a SAVEPOINT of the transaction the application opened on its
   * client. If the client is not in a transaction (SQLSTATE 25P01), the call
   * runs in a transaction of its own on it instead.
   */
  private async inClientTransaction<T>(client: SqlClient, fn: (tx: StoreTransaction) => Awaitable<T>): Promise<T> {
    // Calls on one client run one at a time, so one savepoint name serves them all.
    const name = 'onehop_call';
    let own = false;
    let opened = false;
    // A connection the server closes during the call (a time limit, a terminated backend) emits 'error' on the
    // client; unheard, node-postgres would crash the process, so the store listens while the call runs.
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken ??= error; // the first error says why (e.g. a time limit); "Connection terminated" follows it
    };
    const events = client as ErrorEvents;
    events.on?.('error', onError);
    try {
      try {
        await client.query(`SAVEPOINT ${name}`);
      } catch (error) {
        if ((error as { code?: unknown }).code !== '25P01') throw error;
        own = true;
      }
      if (own) await client.query('BEGIN');
      opened = true;
      const repos = repositories(clientExecutor(client), this.schema);
      const result = await fn(repos.repositories);
      await repos.flush();
      await client.query(own ? 'COMMIT' : `RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      if (isConnectionError(error)) broken ??= error as Error;
      if (opened && !broken) await client.query(own ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
      if (broken && isLost(error)) throw brokenConnection(broken, error);
      throw translateError(error);
    } finally {
      events.off?.('error', onError);
    }
  }

  private async onPGlite<T>(db: PGliteLike, fn: (tx: StoreTransaction) => Awaitable<T>): Promise<T> {
    try {
      return await db.transaction(async (tx) => {
        const repos = repositories(clientExecutor(tx), this.schema);
        const result = await fn(repos.repositories);
        await repos.flush();
        return result;
      });
    } catch (error) {
      throw translateError(error);
    }
  }

  /**
   * Waits for the calls queued on a single connection (client or PGlite mode).
   * The pool, client or PGlite instance stays open: it is yours to close.
   */
  async close(): Promise<void> {
    await this.tail;
  }
}

/** Whether a call's error comes from its connection (a database error, or one the repositories already called lost) rather than from the engine. */
function isLost(error: unknown): boolean {
  return !isOnehopError(error) || error.code === 'STORE_CONNECTION_LOST';
}

/**
 * The error of a call whose connection broke: the server's reason when it
 * gave one (a time limit such as idle_in_transaction_session_timeout), else a
 * lost connection.
 */
function brokenConnection(broken: Error, error: unknown): Error {
  const reason = translateError(broken);
  return isOnehopError(reason) ? reason : new ConnectionLostError(`The database connection was lost: ${broken.message}`, error);
}

/** Names of prepared statements, one per distinct SQL text, shared by every connection of the process. */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) statementNames.set(text, (name = `onehop_${statementNames.size + 1}`));
  return name;
}

/**
 * One transaction on a client checked out of a pool.
 *
 * - BEGIN is sent lazily, just before the first statement that writes or
 *   locks. At READ COMMITTED every statement sees what was committed before it
 *   started, in a transaction or not, so plain reads before that point see
 *   exactly what they would inside it. A call that only reads (a duplicate
 *   redelivery, a balance) never opens a transaction at all.
 * - Statements are named prepared statements: the server parses and plans
 *   each distinct statement once per connection.
 */
class PoolTransaction implements Executor {
  private began = false;
  constructor(private readonly client: PooledClient) {}

  async query(text: string, values: unknown[], write: boolean): Promise<Record<string, unknown>[]> {
    if (write && !this.began) {
      await this.client.query('BEGIN');
      this.began = true;
    }
    return (await this.client.query({ name: statementName(text), text, values })).rows as Record<string, unknown>[];
  }

  async commit(): Promise<void> {
    if (this.began) await this.client.query('COMMIT');
  }

  async rollback(): Promise<void> {
    if (this.began) await this.client.query('ROLLBACK');
  }
}

/**
 * Creates the PostgreSQL store on a `pg.Pool`, on a client inside your own
 * transaction, or on PGlite. Run `migrate()` on the same schema first.
 */
export function createPostgresStore(options: PostgresStoreOptions): PostgresStore {
  return new PostgresStore(options);
}
