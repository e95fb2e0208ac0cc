import type { StatementTracer } from '@onehop/core';
import type { SqlClient } from './client';
import { translateError } from './errors';
import type { SerialQueue } from './serial-queue';

/** A row as a driver returns it: column → value. */
export type Row = Record<string, unknown>;

/**
 * Runs one statement of a transaction. `write` is true for statements that
 * write or lock: a connection may start its transaction lazily, just before
 * the first of them (see PoolTransaction). `alone` marks a statement that is
 * atomic by itself and the transaction's last write (an accrual's apply):
 * when nothing was written or locked before it, a pool sends it without
 * BEGIN and COMMIT (see PoolTransaction).
 */
export interface Executor {
  query(text: string, values: unknown[], write: boolean, alone?: boolean): Promise<Row[]>;
}

/** An executor straight on a client whose transaction is already open (a savepoint, PGlite), sending one statement at a time through `statements`. */
export function clientExecutor(client: SqlClient, statements: SerialQueue): Executor {
  return { query: (text, values) => statements.run(async () => (await client.query(text, values)).rows as Row[]) };
}

/** The most parameters one combined write may carry (PostgreSQL's limit is 65,535). */
const MAX_COMBINED_PARAMETERS = 30_000;

/** A write held back until the transaction next reads or commits. */
interface HeldWrite {
  table: string;
  text: string;
  values: unknown[];
}

/** The statements of one transaction: writes held back (`hold`) and sent together (`flush`), before any statement that returns rows (`run`). */
export interface HeldWrites {
  /** Holds a write back, sending the held ones first when one of them writes the same table or the statement would grow too large. */
  hold(table: string, text: string, values: unknown[]): Promise<void>;
  /** Any statement that returns something: the held writes go first, so it sees them. `alone`: see `Executor`. */
  run(text: string, values: unknown[], write: boolean, alone?: boolean): Promise<Row[]>;
  /** Sends the held writes: one as it is, several as one statement (`WITH w0 AS (…), w1 AS (…) <last>`). */
  flush(): Promise<void>;
}

/**
 * Writes whose result the engine does not need (inserts, updates, the
 * balance and counter upserts) are held back and sent together, as one
 * statement of data-modifying CTEs, just before the transaction's next read
 * or its COMMIT: an accrual's seven writes cost one round trip instead of
 * seven. Every statement still sees the transaction's earlier writes, and
 * an error (a unique violation, a foreign key) surfaces before COMMIT, so
 * the call fails and writes nothing, as before. The sub-statements of one
 * statement all see the same snapshot and run in an order PostgreSQL does
 * not promise, so one statement holds at most one write per table: a second
 * write to a table sends the held ones first. That keeps each table's rows
 * in the order they were written (listings page by insertion order) and
 * never lets two parts of one statement touch the same row. Foreign keys
 * are checked at the end of the combined statement, when every row it
 * inserts is there.
 */
export function heldWrites(executor: Executor, trace?: StatementTracer): HeldWrites {
  let held: HeldWrite[] = [];
  let heldParameters = 0;

  async function sendAsIs(text: string, values: unknown[], write: boolean, alone = false): Promise<Row[]> {
    try {
      return await executor.query(text, values, write, alone);
    } catch (error) {
      throw translateError(error);
    }
  }
  // Every statement of the transaction passes here: with a tracer, each is a span (`TransactionOptions.traceStatement`).
  const send = trace ? (text: string, values: unknown[], write: boolean, alone = false) => trace(text, () => sendAsIs(text, values, write, alone)) : sendAsIs;

  async function flush(): Promise<void> {
    if (held.length === 0) return;
    const writes = held;
    held = [];
    heldParameters = 0;
    if (writes.length === 1) {
      await send(writes[0]!.text, writes[0]!.values, true);
      return;
    }
    const values: unknown[] = [];
    const parts = writes.map((w) => {
      const offset = values.length;
      for (const v of w.values) values.push(v);
      return offset === 0 ? w.text : w.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
    });
    const last = parts.pop()!;
    await send(`WITH ${parts.map((p, i) => `w${i} AS (${p})`).join(', ')} ${last}`, values, true);
  }

  /**
   * A held write is sent later: its Dates and objects (JSON columns) are
   * copied when it is taken, so a record the caller changes afterwards, in
   * the same transaction, is stored as it was passed in.
   */
  async function hold(table: string, text: string, values: unknown[]): Promise<void> {
    if (heldParameters + values.length > MAX_COMBINED_PARAMETERS || held.some((w) => w.table === table)) await flush();
    held.push({ table, text, values: values.map(snapshot) });
    heldParameters += values.length;
  }

  async function run(text: string, values: unknown[], write: boolean, alone = false): Promise<Row[]> {
    if (held.length > 0) await flush();
    return send(text, values, write, alone);
  }

  return { hold, run, flush };
}

/** A parameter value as it is now: Dates and objects copied, everything else (immutable) as it is. */
function snapshot(value: unknown): unknown {
  if (value instanceof Date) return new Date(value.getTime());
  return value !== null && typeof value === 'object' ? structuredClone(value) : value;
}
