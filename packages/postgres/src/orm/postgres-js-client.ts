import { CALL_SAVEPOINT } from '../call-savepoint';
import type { SqlClient } from '../client';
import { pgShapedError, sqlValues } from './database-error';

/**
 * The part of a postgres.js transaction (the `tx` of `sql.begin`) the adapter
 * uses: `unsafe(text, values)` runs one parameterised statement, and
 * `savepoint(fn)` runs `fn` in a savepoint.
 */
export interface PostgresJsTransaction {
  unsafe(query: string, parameters?: unknown[]): PromiseLike<readonly unknown[]>;
  savepoint<T>(fn: (sql: PostgresJsTransaction) => Promise<T>): Promise<unknown>;
}

interface PostgresJsErrorFields {
  code?: unknown;
  severity?: unknown;
  constraint_name?: unknown;
}

/** A savepoint postgres.js holds open until `settle` ends it: released without an error, rolled back to with one. */
interface OpenSavepoint {
  sql: PostgresJsTransaction;
  settle(rollback?: Error): void;
  done: Promise<unknown>;
}

/** What the adapter passes to end a savepoint by rolling back to it. */
class RollbackToSavepoint extends Error {}

function reshape(error: unknown): unknown {
  const fields = (error ?? {}) as PostgresJsErrorFields;
  return pgShapedError(error, { code: fields.code, severity: fields.severity, constraint: fields.constraint_name });
}

function openSavepoint(tx: PostgresJsTransaction): Promise<OpenSavepoint> {
  return new Promise((ready, fail) => {
    let settle: (rollback?: Error) => void = () => undefined;
    const held = new Promise<void>((resolve, reject) => {
      settle = (rollback) => (rollback ? reject(rollback) : resolve());
    });
    const done = tx.savepoint((sql) => {
      ready({ sql, settle, done });
      return held;
    });
    done.catch(fail); // the SAVEPOINT statement itself failed: nothing is open
  });
}

/**
 * A store client on a postgres.js transaction, so onehop calls commit or roll
 * back with the application's own writes:
 *
 * ```ts
 * await sql.begin(async (tx) => {
 *   await tx`INSERT INTO users (id) VALUES (${userId})`;
 *   const onehop = createOnehop({ store: createPostgresStore({ client: postgresJsClient(tx) }), program });
 *   await onehop.enroll({ userId });
 * });
 * ```
 *
 * postgres.js rolls back a whole `sql.begin` when any statement in it failed,
 * even one that was caught and rolled back to a savepoint; so each onehop call
 * runs in a savepoint opened with `tx.savepoint()`, and a call that fails
 * rolls back to it without failing your transaction.
 *
 * Rows come back as node-postgres gives them with its default parsers (int8
 * as strings, timestamptz as `Date`, json parsed), which is postgres.js's
 * default too; `undefined` values are sent as NULL; errors carry `code`,
 * `severity` and `constraint` as node-postgres names them. Do not give the
 * `sql` instance a `transform` that renames columns (e.g. `postgres.camel`):
 * the store reads the columns by their names.
 */
export function postgresJsClient(tx: PostgresJsTransaction): SqlClient {
  let open: OpenSavepoint | undefined;
  return {
    async query(text, values) {
      if (text === `SAVEPOINT ${CALL_SAVEPOINT}`) {
        open = await openSavepoint(tx).catch((error: unknown) => Promise.reject(reshape(error)));
        return { rows: [] };
      }
      const ending = open;
      if (ending && (text === `RELEASE SAVEPOINT ${CALL_SAVEPOINT}` || text === `ROLLBACK TO SAVEPOINT ${CALL_SAVEPOINT}`)) {
        open = undefined;
        const rollback = text.startsWith('ROLLBACK') ? new RollbackToSavepoint() : undefined;
        ending.settle(rollback);
        try {
          await ending.done;
        } catch (error) {
          if (error !== rollback) throw reshape(error);
        }
        return { rows: [] };
      }
      try {
        const rows = await (ending?.sql ?? tx).unsafe(text, sqlValues(values));
        return { rows: Array.from(rows) };
      } catch (error) {
        throw reshape(error);
      }
    },
  };
}
