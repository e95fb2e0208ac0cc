import {
  ConnectionLostError,
  IntegrityViolationError,
  isOnehopError,
  SchemaMismatchError,
  StoreConfigurationError,
  StoreDatabaseError,
  StoreTimeoutError,
  TransactionConflictError,
  UNIQUE_CONSTRAINTS,
  UniqueViolationError,
} from '@onehop/core';

const STORE_CONSTRAINTS = new Set<string>(Object.values(UNIQUE_CONSTRAINTS));

/** SQLSTATE classes and codes that mean the connection is gone (57P01: terminated by an administrator). */
const CONNECTION_STATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** Messages node-postgres and sockets use when a connection dies without a SQLSTATE. */
const CONNECTION_MESSAGES = /connection terminated|connection error|ECONNRESET|ECONNREFUSED|EPIPE|Client was closed|not queryable|terminating connection/i;

/**
 * node-postgres' own `query_timeout`: the driver stops waiting while the
 * server may still run the statement, so the connection is unusable (it is
 * discarded, as a broken one) and, if COMMIT was in flight, the outcome is unknown.
 */
const QUERY_TIMEOUT_MESSAGE = /Query read timeout/;
const QUERY_TIMEOUT_HINT =
  "The pool's query_timeout, which the driver enforces, ran out, and the connection was discarded. If it ran out during COMMIT the call may have completed: run the same call again (purchases, refunds and attributions are idempotent). Prefer statement_timeout and lock_timeout, which the server enforces and which roll back cleanly.";

/** The pool's `connectionTimeoutMillis`: no connection was free (or opened) in time. */
const CHECKOUT_TIMEOUT_HINT =
  "No connection could be checked out within the pool's connectionTimeoutMillis: every client was busy or the server was slow to accept. Nothing was written: run the same call again, and raise the pool's max or the timeout if it keeps happening.";

/**
 * Time limits of the server that ended the call: 55P03 `lock_timeout`, 57014
 * `statement_timeout` or a cancel, 25P03 `idle_in_transaction_session_timeout`
 * (which also closes the connection). Each rolled the transaction back.
 */
const TIMEOUT_HINTS = new Map<string, string>([
  [
    '55P03',
    'Nothing was written. Another transaction held a row lock this call needed for longer than lock_timeout: run the same call again after a pause, and look for long transactions (pg_stat_activity) if it keeps happening.',
  ],
  [
    '57014',
    'Nothing was written. A statement ran past statement_timeout or was cancelled: run the same call again; if it keeps happening, look for lock waits or raise statement_timeout for this role.',
  ],
  [
    '25P03',
    'Nothing was written. The transaction stayed idle longer than idle_in_transaction_session_timeout (a slow await inside the call, such as a fraud rule calling an outside service, or your own transaction pausing between statements), so the server closed the connection: run the same call again (inside your own transaction: the whole transaction, on a new client), and keep slow work out of transactions or raise the setting.',
  ],
]);

/** Setups the store cannot work with (SQLSTATE → what to check); running the call again cannot help. */
const CONFIGURATION_HINTS = new Map<string, string>([
  [
    '28P01',
    'The server refused the user name or password: check them in the connection settings (DATABASE_URL or the pool options) and that the role exists. Running the call again will not help.',
  ],
  [
    '28000',
    'The server refused this role: check that it exists, may log in, and that pg_hba.conf lets it connect to this database from this host. Running the call again will not help.',
  ],
  [
    '3D000',
    'The database in the connection settings does not exist: check its name (DATABASE_URL or the pool options), or create it. Running the call again will not help.',
  ],
  [
    '42501',
    'The role lacks a privilege. migrate() runs as the role that owns the schema (it needs CREATE on the database, or an existing schema it owns); the application role needs the grants of grantApplicationRole(): run it again, or migrate() as the owner after an upgrade. Running the call again will not help.',
  ],
  [
    '25006',
    'The database accepts no writes (a standby, or default_transaction_read_only is on): connect the store to the primary; after a failover, check that the connection settings lead to the new primary.',
  ],
]);

const CLOSED_HINT =
  'The pool or PGlite instance the store was given has been closed (pool.end(), db.close()): create the store on an open one, and close it only after the last call.';

/** Errors of the driver when it opens a connection, without a SQLSTATE, that only a change of setup cures. */
const SETUP_MESSAGES: [RegExp, string][] = [
  [/client password must be a string|SASL/, 'The server asks for a password and none was given: put it in the connection settings (DATABASE_URL or the pool options).'],
  [/does not support SSL/, 'The pool asks for TLS (ssl) but the server does not offer it: turn ssl off for this server, or enable TLS on the server.'],
  [
    /certificate|CERT_|UNABLE_TO_VERIFY/,
    "The server's TLS certificate was not accepted: give the pool the CA that signed it (ssl.ca), or check the host name it was issued for.",
  ],
  [/Cannot use a pool after calling end/, CLOSED_HINT],
];

/** A SQLSTATE: five digits or upper-case letters, on an error the database sent (node-postgres and PGlite give it a severity). */
function sqlState(error: Error): string | undefined {
  const { code, severity } = error as PgErrorFields;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string' ? code : undefined;
}

interface PgErrorFields {
  code?: unknown;
  constraint?: unknown;
  message?: unknown;
  severity?: unknown;
}

/** Whether `error` says the connection to the database is lost. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as PgErrorFields;
  if (typeof code === 'string' && (CONNECTION_STATES.has(code) || code.startsWith('08'))) return true;
  return CONNECTION_MESSAGES.test(error.message) || QUERY_TIMEOUT_MESSAGE.test(error.message);
}

/**
 * Translates a database error into the onehop error the store contract names:
 * unique violations of the contract's constraints, conflicts to retry, time
 * limits, setups the store cannot work with, lost connections, integrity
 * violations, prepared statements a connection pooler lost, and any other
 * error the database sent as `StoreDatabaseError`.
 * An error that did not come from the database (one of the engine's, or of a
 * fraud rule) is returned unchanged.
 */
export function translateError(error: unknown): unknown {
  if (isOnehopError(error) || !(error instanceof Error)) return error;
  const { code, constraint } = error as PgErrorFields;
  const name = typeof constraint === 'string' ? constraint : undefined;
  if (code === '23505' && name !== undefined && STORE_CONSTRAINTS.has(name)) return new UniqueViolationError(name, error);
  if (code === '40001' || code === '40P01') {
    return new TransactionConflictError(code === '40001' ? 'The transaction could not be serialised.' : 'The transaction was chosen as a deadlock victim.', error);
  }
  if (code === '42P01' || code === '3F000') {
    return new SchemaMismatchError(`The onehop tables are missing: ${error.message}.`, 'Run migrate() (or apply the SQL in migrations/) on this schema first.', error);
  }
  const timeout = typeof code === 'string' ? TIMEOUT_HINTS.get(code) : undefined;
  if (timeout !== undefined) return new StoreTimeoutError(`The database ended the call: ${error.message}.`, timeout, error);
  const setup = typeof code === 'string' ? CONFIGURATION_HINTS.get(code) : undefined;
  if (setup !== undefined) return new StoreConfigurationError(`The database refused the store's setup: ${error.message}.`, setup, error);
  if (QUERY_TIMEOUT_MESSAGE.test(error.message))
    return new StoreTimeoutError(`The driver stopped waiting for the database: ${error.message}.`, QUERY_TIMEOUT_HINT, error);
  if (/PGlite is closed/.test(error.message)) return new StoreConfigurationError(`The database is closed: ${error.message}.`, CLOSED_HINT, error);
  // 42P05 (already exists) and 26000 (does not exist) on the store's named statements: a pooler handed the connection's session to another client.
  if (code === '42P05' || code === '26000') {
    return new StoreConfigurationError(
      `A prepared statement of the store clashed or went missing on its connection (${error.message}): a connection pooler in transaction mode moves clients between server connections, which do not share prepared statements.`,
      'Create the store with preparedStatements: false, or let the pooler keep prepared statements (PgBouncer 1.21 or later with max_prepared_statements above 0).',
      error,
    );
  }
  if (isConnectionError(error)) return new ConnectionLostError(`The database connection was lost: ${error.message}`, error);
  if (typeof code === 'string' && code.startsWith('23')) return new IntegrityViolationError(name ?? code, error.message, error);
  const state = sqlState(error);
  if (state !== undefined) return new StoreDatabaseError(state, error.message, error);
  return error;
}

/**
 * Translates an error of opening (checking out) a connection: a setup only a
 * change cures (refused credentials, a missing password, TLS, a closed pool)
 * is a `StoreConfigurationError`; anything else the database did not name is
 * a lost connection, which a later call may not meet.
 */
export function translateConnectError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const fix = SETUP_MESSAGES.find(([pattern]) => pattern.test(`${message} ${String((error as PgErrorFields | undefined)?.code)}`));
  if (fix) return new StoreConfigurationError(`The store cannot connect to the database as it is set up: ${message}.`, fix[1], error);
  if (/timeout exceeded when trying to connect/.test(message))
    return new StoreTimeoutError(`Could not check out a database connection: ${message}.`, CHECKOUT_TIMEOUT_HINT, error);
  const translated = translateError(error);
  return isOnehopError(translated) ? translated : new ConnectionLostError(`Could not check out a database connection: ${message}`, error);
}
