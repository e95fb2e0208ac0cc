import { ConnectionLostError, StoreTimeoutError } from '@onehop/core';
import type { PooledClient, QueryConfig } from './client';

/**
 * What node-postgres' `pg.Client` (which a `pg.PoolClient` is) shows of
 * itself: its connection settings (`query_timeout` among them) and the key
 * the server gave it for cancel requests. A new client of the same class,
 * never connected, lends its protocol connection to send the cancel request
 * on (as the driver's own `cancel` does).
 */
interface NodePostgresClient {
  connectionParameters?: { query_timeout?: unknown };
  processID?: unknown;
  secretKey?: unknown;
  host?: unknown;
  port?: unknown;
  constructor: unknown;
}

/** node-postgres' protocol connection, as far as a cancel request needs it. */
interface CancelConnection {
  on(event: 'connect' | 'error', listener: () => void): unknown;
  connect(port: unknown, host?: unknown): void;
  cancel(processID: unknown, secretKey: unknown): void;
}

/** Longer than any time limit a caller means (setTimeout's largest delay): node-postgres' own timer, which would abandon the statement, never runs out first. */
const NO_DRIVER_LIMIT = 2 ** 31 - 1;

const TIMED_OUT = Symbol('timed out');

const CANCELLED_HINT =
  "Nothing was written. The pool's query_timeout ran out while the statement waited (often for a row lock another transaction held), so the store cancelled it on the server and the server confirmed it did not run: run the same call again after a pause, and look for long transactions (pg_stat_activity) if it keeps happening.";

/**
 * How a pool's client lets a statement be sent alone (without BEGIN and
 * COMMIT, committing by itself): `{ limit: 0 }` when the client has no time
 * limit of its own (it is sent as any other), `{ limit }` (ms) when
 * node-postgres would give up after `query_timeout` and the store can cancel
 * the statement on the server (`sendAlone`), and
 * null when the store cannot tell (a client that is not node-postgres) or
 * cannot cancel: such a statement runs in a transaction, so a call that gives
 * up on it leaves nothing behind.
 */
export function aloneLimit(client: PooledClient): { limit: number } | null {
  const c = client as unknown as NodePostgresClient;
  const parameters = c.connectionParameters;
  if (typeof parameters !== 'object' || parameters === null) return null;
  const limit = parameters.query_timeout;
  if (!limit) return { limit: 0 };
  if (typeof limit !== 'number' || !(limit > 0)) return null;
  const connection = (c.constructor as { prototype?: { connect?: unknown } } | undefined)?.prototype?.connect;
  return typeof connection === 'function' && c.processID !== null && c.processID !== undefined ? { limit } : null;
}

/** Settles with `promise`, or with TIMED_OUT after `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(resolve, ms, TIMED_OUT);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Asks the server to cancel the statement `client` is running: a cancel request with its key, on a connection of its own. */
function cancelOnServer(client: PooledClient): void {
  const c = client as unknown as NodePostgresClient;
  const Driver = c.constructor as new (config: unknown) => { connection: CancelConnection };
  const { connection } = new Driver(c.connectionParameters);
  // A cancel that cannot be delivered changes nothing: the wait that follows it is bounded.
  connection.on('error', () => undefined);
  // The server closes the connection once it has read the request.
  connection.on('connect', () => connection.cancel(c.processID, c.secretKey));
  if (typeof c.host === 'string' && c.host.startsWith('/')) connection.connect(`${c.host}/.s.PGSQL.${String(c.port)}`);
  else connection.connect(c.port, c.host);
}

/**
 * Sends one statement that commits by itself, keeping the promise that a
 * call that fails wrote nothing. node-postgres' own `query_timeout` would
 * return an error and leave the statement running on the server, where it
 * could still commit (once a lock it waits for is released). So the store
 * keeps the time limit itself: when it runs out, it cancels the statement on
 * the server and waits (at most as long again) for what the statement did.
 * Cancelled (57014): nothing was written, `StoreTimeoutError`. Finished
 * before the cancel reached it: its result stands and is returned. No answer
 * at all: the outcome is unknown, as when a connection drops during COMMIT,
 * `ConnectionLostError` (run the same call again; it is idempotent).
 * `onCancel` is told when a cancel request was sent, so that the connection,
 * which a late cancel request could still reach, is not reused.
 */
export async function sendAlone(
  client: PooledClient,
  statement: Omit<QueryConfig, 'name'> & { name?: string },
  limit: number,
  onCancel: () => void,
): Promise<{ rows: unknown[] }> {
  // A node-postgres client (see aloneLimit) takes a statement without a name, and its own time limit per statement.
  const sent = client.query({ ...statement, query_timeout: NO_DRIVER_LIMIT } as QueryConfig);
  // Its failure is awaited below, or not at all when no answer comes: never an unhandled rejection.
  sent.catch(() => undefined);
  const answer = await within(sent, limit);
  if (answer !== TIMED_OUT) return answer;
  onCancel();
  cancelOnServer(client);
  let late: { rows: unknown[] } | typeof TIMED_OUT;
  try {
    late = await within(sent, limit);
  } catch (error) {
    if ((error as { code?: unknown }).code === '57014') {
      throw new StoreTimeoutError(`The pool's query_timeout (${limit} ms) ran out and the store cancelled the statement on the server.`, CANCELLED_HINT, error);
    }
    throw error;
  }
  if (late !== TIMED_OUT) return late;
  throw new ConnectionLostError(
    `The pool's query_timeout (${limit} ms) ran out, and the server answered neither the statement nor its cancel request within as long again: whether it was written is unknown.`,
  );
}
