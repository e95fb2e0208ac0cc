import type { Awaitable, StatementTracer, Store, StoreCapabilities, StoreTransaction, TransactionOptions } from '@onehop/core';
import { ConnectionLostError, isOnehopError, ValidationError } from '@onehop/core';
import * as z from 'zod';
import { CALL_SAVEPOINT } from './call-savepoint';
import type { Connection, ErrorEvents, PGliteLike, PooledClient, PoolLike, SqlClient } from './client';
import { isConnectionError, translateConnectError, translateError } from './errors';
import { parseOptions } from './options';
import { clientExecutor, type Executor, repositories } from './repositories';
import { aloneLimit, sendAlone } from './send-alone';
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
  /**
   * With `pool`: a second pool for reads that may be a little stale, e.g. on
   * a streaming replica (hot standby). Dashboards, histories, statements,
   * exports and listings are read there; every call that writes, and every
   * read that decides something (inside an accrual, a payout, an
   * attribution, a single record fetched by id), stays on `pool`. What a
   * replica's lag means for each call is in the scaling guide
   * ("Reads on a replica"). Nothing is ever written through it.
   */
  readPool?: PoolLike;
};

const preparedStatementsSchema = z.boolean({ message: 'Expected true or false.' }).optional();
const readPoolSchema = z
  .custom<PoolLike>((v) => typeof v === 'object' && v !== null && typeof (v as { connect?: unknown }).connect === 'function', {
    message: 'Expected a pg.Pool (an object with connect()) for the reads that may be stale.',
  })
  .optional();

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
  private readonly readPool: PoolLike | undefined;
  /** Calls on a single connection (an app's client, PGlite) run one at a time. */
  private readonly calls = new SerialQueue();

  constructor(options: PostgresStoreOptions) {
    const parsed = parseOptions(options);
    const prepared = preparedStatementsSchema.safeParse(options.preparedStatements);
    if (!prepared.success) throw ValidationError.fromZod(prepared.error, 'preparedStatements');
    this.schema = parsed.schema;
    this.connection = options;
    this.preparedStatements = prepared.data ?? true;
    const readPool = readPoolSchema.safeParse(options.readPool);
    if (!readPool.success) throw ValidationError.fromZod(readPool.error, 'readPool');
    if (readPool.data && !('pool' in options)) {
      throw new ValidationError([{ field: 'readPool', message: 'A read pool goes with `pool`: give both pools, or leave readPool out.' }]);
    }
    this.readPool = readPool.data;
  }

  transaction<T>(fn: (tx: StoreTransaction) => Awaitable<T>, options?: TransactionOptions): Promise<T> {
    const trace = options?.traceStatement;
    if ('pool' in this.connection) return this.onPool(options?.staleReadOk && this.readPool ? this.readPool : this.connection.pool, fn, trace);
    const connection = this.connection;
    return this.calls.run(() => ('pglite' in connection ? this.onPGlite(connection.pglite, fn, trace) : this.inClientTransaction(connection.client, fn, trace)));
  }

  /** Checks out one client, runs BEGIN … COMMIT on it, and returns it (or discards it if its connection broke). */
  private async onPool<T>(pool: PoolLike, fn: (tx: StoreTransaction) => Awaitable<T>, trace?: StatementTracer): Promise<T> {
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
    const tx = new PoolTransaction(client, this.preparedStatements);
    try {
      const repos = repositories(tx, this.schema, trace);
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
      client.release(broken ?? tx.cancelled);
    }
  }

  /**
   * Runs in a SAVEPOINT of the transaction the application opened on its
   * client. If the client is not in a transaction (SQLSTATE 25P01), the call
   * runs in a transaction of its own on it instead.
   */
  private async inClientTransaction<T>(client: SqlClient, fn: (tx: StoreTransaction) => Awaitable<T>, trace?: StatementTracer): Promise<T> {
    // Calls on one client run one at a time, so one savepoint name serves them all.
    const name = CALL_SAVEPOINT;
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
    // The call's statements and its RELEASE or ROLLBACK TO go through one queue: a statement still queued when the call fails runs before the rollback.
    const statements = new SerialQueue();
    try {
      try {
        await client.query(`SAVEPOINT ${name}`);
      } catch (error) {
        if ((error as { code?: unknown }).code !== '25P01') throw error;
        own = true;
      }
      if (own) await client.query('BEGIN');
      opened = true;
      const repos = repositories(clientExecutor(client, statements), this.schema, trace);
      const result = await fn(repos.repositories);
      await repos.flush();
      await statements.run(() => client.query(own ? 'COMMIT' : `RELEASE SAVEPOINT ${name}`));
      return result;
    } catch (error) {
      if (isConnectionError(error)) broken ??= error as Error;
      if (opened && !broken) await statements.run(() => client.query(own ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${name}`)).catch(() => undefined);
      if (broken && isLost(error)) throw brokenConnection(broken, error);
      throw translateError(error);
    } finally {
      events.off?.('error', onError);
    }
  }

  private async onPGlite<T>(db: PGliteLike, fn: (tx: StoreTransaction) => Awaitable<T>, trace?: StatementTracer): Promise<T> {
    try {
      return await db.transaction(async (tx) => {
        const statements = new SerialQueue();
        const repos = repositories(clientExecutor(tx, statements), this.schema, trace);
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
 * - A statement marked `alone` (an accrual's apply: atomic by itself, the
 *   call's last write) that comes before anything was written or locked is
 *   sent without BEGIN and COMMIT: it commits by itself, and a new purchase
 *   is two statements (the read, the apply). A call that gives up on it
 *   writes nothing all the same: with node-postgres' `query_timeout` the
 *   store cancels it on the server and waits for its outcome (`sendAlone`);
 *   a client the store cannot cancel through runs it in a transaction.
 *   Nothing may be written after it.
 */
class PoolTransaction implements Executor {
  private began = false;
  /** A statement committed by itself: the call may not write after it. */
  private committedAlone = false;
  /** The store sent a cancel request for a statement of this connection: a late one could reach the next call's statement, so the connection is not reused. */
  cancelled = false;
  private readonly statements = new SerialQueue();
  constructor(
    private readonly client: PooledClient,
    private readonly prepared: boolean,
  ) {}

  query(text: string, values: unknown[], write: boolean, alone = false): Promise<Record<string, unknown>[]> {
    return this.statements.run(async () => {
      if (write && this.committedAlone) throw new Error('onehop: a write after a statement that committed by itself');
      if (write && !this.began) {
        const alonePolicy = alone ? aloneLimit(this.client) : null;
        if (alonePolicy === null) {
          await this.client.query('BEGIN');
          this.began = true;
        } else {
          this.committedAlone = true;
          if (alonePolicy.limit > 0) {
            const statement = this.prepared ? { name: statementName(text), text, values } : { text, values };
            const result = await sendAlone(this.client, statement, alonePolicy.limit, () => {
              this.cancelled = true;
            });
            return result.rows as Record<string, unknown>[];
          }
        }
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
