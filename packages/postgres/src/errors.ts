import {
  ConnectionLostError,
  IntegrityViolationError,
  isOnehopError,
  SchemaMismatchError,
  StoreConfigurationError,
  TransactionConflictError,
  UNIQUE_CONSTRAINTS,
  UniqueViolationError,
} from '@onehop/core';

const STORE_CONSTRAINTS = new Set<string>(Object.values(UNIQUE_CONSTRAINTS));

/** SQLSTATE classes and codes that mean the connection is gone (57P01: terminated by an administrator). */
const CONNECTION_STATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** Messages node-postgres and sockets use when a connection dies without a SQLSTATE. */
const CONNECTION_MESSAGES = /connection terminated|connection error|ECONNRESET|ECONNREFUSED|EPIPE|Client was closed|not queryable|terminating connection/i;

interface PgErrorFields {
  code?: unknown;
  constraint?: unknown;
  message?: unknown;
}

/** Whether `error` says the connection to the database is lost. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as PgErrorFields;
  if (typeof code === 'string' && (CONNECTION_STATES.has(code) || code.startsWith('08'))) return true;
  return CONNECTION_MESSAGES.test(error.message);
}

/**
 * Translates a database error into the onehop error the store contract names:
 * unique violations of the contract's constraints, conflicts to retry, lost
 * connections, integrity violations, and prepared statements a connection
 * pooler lost. Anything else is returned unchanged.
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
  return error;
}
