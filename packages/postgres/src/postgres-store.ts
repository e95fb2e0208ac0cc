import type { Awaitable, Store, StoreCapabilities, StoreTransaction } from '@onehop/core';
import { ConnectionLostError, isOnehopError, ValidationError } from '@onehop/core';
import { z } from 'zod';
import type { Connection, PGliteLike, PoolLike, PooledClient, SqlClient } from './client';
import { isConnectionError, translateError } from './errors';
import { parseOptions } from './options';
import { clientExecutor, repositories, type Executor } from './repositories';
import { SerialQueue } from './serial-queue';
import { statementName } from './statement-name';

export type PostgresStoreOptions = Connection & {
  /** Schema holding onehop's tables (created by `migrate()`). Default `onehop`. */
  schema?: string;
  /**
   * On a `pool`: whether statements are sent as named prepared statements,
   * which the server parses and plans once per connection. Default `true`.
   * Set `false` behind a connection pooler in transaction mode that does not
   * keep prepared statements (PgBouncer before 1.21, or 1.21+ with
   * `max_prepared_statements = 0`; Supavisor in transaction mode): statements
   * are then sent unnamed, parsed and planned each time. With `client` or
   * `pglite` statements are always unnamed. A store that finds its prepared
   * statements lost or clashing behind a pooler throws
   * `StoreConfigurationError` (`STORE_MISCONFIGURED`).
   */
  preparedStatements?: boolean;
};

const preparedStatementsSchema = z.boolean({ message: 'Expected true or false.' }).optional();

/** Listeners node-postgres clients have; a client that errors while checked out must have one, or the process crashes. */
interface ErrorEvents {
  on?(event: 'error', listener: (error: Error) => void): unknown;
  off?(event: 'error', listener: (error: Error) => void): unknown;
}

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
  private readonly preparedStatements: boolean;
  /** Calls on a single connection (an app's client, PGlite) run one at a time. */
  private readonly calls = new SerialQueue();

  constructor(options: PostgresStoreOptions) {
    const parsed = parseOptions(options);
    const prepared = preparedStatementsSchema.safeParse(options.preparedStatements);
    if (!prepared.success) throw ValidationError.fromZod(prepared.error, 'preparedStatements');
    this.schema = parsed.schema;
    this.connection = options;
    this.preparedStatements = prepared.data ?? true;
  }

  transaction<T>(fn: (tx: StoreTransaction) => Awaitable<T>): Promise<T> {
    if ('pool' in this.connection) return this.onPool(this.connection.pool, fn);
    const connection = this.connection;
    return this.calls.run(() => ('pglite' in connection ? this.onPGlite(connection.pglite, fn) : this.inClientTransaction(connection.client, fn)));
  }

  /** Checks out one client, runs BEGIN … COMMIT on it, and returns it (or discards it if its connection broke). */
  private async onPool<T>(pool: PoolLike, fn: (tx: StoreTransaction) => Awaitable<T>): Promise<T> {
    let client;
    try {
      client = await pool.connect();
    } catch (error) {
      throw new ConnectionLostError(`Could not check out a database connection: ${(error as Error).message}`, error);
    }
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
    };
    const events = client as ErrorEvents;
    events.on?.('error', onError);
    const tx = new PoolTransaction(client, this.preparedStatements);
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
      if (broken && !isOnehopError(error)) throw new ConnectionLostError(`The database connection was lost: ${broken.message}`, error);
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
    try {
      await client.query(`SAVEPOINT ${name}`);
    } catch (error) {
      if ((error as { code?: unknown }).code !== '25P01') throw translateError(error);
      own = true;
    }
    // The call's statements and its RELEASE or ROLLBACK TO go through one queue: a statement still queued when the call fails runs before the rollback.
    const statements = new SerialQueue();
    try {
      if (own) await client.query('BEGIN');
      const repos = repositories(clientExecutor(client, statements), this.schema);
      const result = await fn(repos.repositories);
      await repos.flush();
      await statements.run(() => client.query(own ? 'COMMIT' : `RELEASE SAVEPOINT ${name}`));
      return result;
    } catch (error) {
      if (!isConnectionError(error)) await statements.run(() => client.query(own ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${name}`)).catch(() => undefined);
      throw translateError(error);
    }
  }

  private async onPGlite<T>(db: PGliteLike, fn: (tx: StoreTransaction) => Awaitable<T>): Promise<T> {
    try {
      return await db.transaction(async (tx) => {
        const statements = new SerialQueue();
        const repos = repositories(clientExecutor(tx, statements), this.schema);
        try {
          const result = await fn(repos.repositories);
          await repos.flush();
          return result;
        } finally {
          // PGlite ends the transaction when this returns: no statement of the call may still be queued then.
          await statements.settled();
        }
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
    await this.calls.settled();
  }
}

/**
 * One transaction on a client checked out of a pool.
 *
 * - BEGIN is sent lazily, just before the first statement that writes or
 *   locks. At READ COMMITTED every statement sees what was committed before it
 *   started, in a transaction or not, so plain reads before that point see
 *   exactly what they would inside it. A call that only reads (a duplicate
 *   redelivery, a balance) never opens a transaction at all.
 * - Statements are named prepared statements (the server parses and plans
 *   each distinct statement once per connection), named after a hash of
 *   their text; or unnamed ones, with `preparedStatements: false`.
 * - Statements run one at a time, in the order they were issued, and COMMIT
 *   or ROLLBACK after all of them: the client is never asked to run two
 *   queries at once.
 */
class PoolTransaction implements Executor {
  private began = false;
  private readonly statements = new SerialQueue();
  constructor(
    private readonly client: PooledClient,
    private readonly prepared: boolean,
  ) {}

  query(text: string, values: unknown[], write: boolean): Promise<Record<string, unknown>[]> {
    return this.statements.run(async () => {
      if (write && !this.began) {
        await this.client.query('BEGIN');
        this.began = true;
      }
      const result = this.prepared ? await this.client.query({ name: statementName(text), text, values }) : await this.client.query(text, values);
      return result.rows as Record<string, unknown>[];
    });
  }

  commit(): Promise<void> {
    return this.statements.run(async () => {
      if (this.began) await this.client.query('COMMIT');
    });
  }

  rollback(): Promise<void> {
    return this.statements.run(async () => {
      if (this.began) await this.client.query('ROLLBACK');
    });
  }
}

/**
 * Creates the PostgreSQL store on a `pg.Pool`, on a client inside your own
 * transaction, or on PGlite. Run `migrate()` on the same schema first.
 */
export function createPostgresStore(options: PostgresStoreOptions): PostgresStore {
  return new PostgresStore(options);
}
