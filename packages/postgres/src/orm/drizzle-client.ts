import type { SqlClient } from '../client';

/**
 * The parts of Drizzle's `sql` tag (from `drizzle-orm`) the adapter uses to
 * build one parameterised statement; you pass yours, so that Drizzle stays a
 * dependency of your application only.
 */
export interface DrizzleSqlTag<Query> {
  raw(text: string): Query;
  param(value: unknown): Query;
  join(chunks: Query[]): Query;
}

/** A column of a result, as node-postgres and PGlite describe it. */
export interface DrizzleResultField {
  name: string;
  dataTypeID: number;
}

/** The part of a Drizzle transaction (the `tx` of `db.transaction`) the adapter uses. */
export interface DrizzleTransaction<Query> {
  execute(query: Query): PromiseLike<{ rows: readonly unknown[]; fields?: readonly DrizzleResultField[] }>;
}

/** timestamptz and timestamp, which Drizzle's drivers return as the database's text instead of a `Date`. */
const TIMESTAMP_TYPES = new Set([1184, 1114]);

/** `2026-03-01 12:00:00.123456+01` (PostgreSQL's ISO output) as a Date, to the millisecond. */
function timestampFromText(text: string): Date {
  const match = /^(\d{4,}-\d\d-\d\d) (\d\d:\d\d:\d\d)(\.\d{1,3})?\d*(?:([+-]\d\d)(?::?(\d\d))?)?$/.exec(text);
  if (!match) return new Date(text);
  const [, day, time, fraction = '', hours, minutes = '00'] = match;
  return new Date(`${day}T${time}${fraction}${hours === undefined ? 'Z' : `${hours}:${minutes}`}`);
}

/** The rows with their timestamp columns as `Date`s, as node-postgres's default parsers give them. */
function withDates(rows: readonly unknown[], fields: readonly DrizzleResultField[] | undefined): unknown[] {
  const names = (fields ?? []).filter((field) => TIMESTAMP_TYPES.has(field.dataTypeID)).map((field) => field.name);
  if (names.length === 0) return [...rows];
  return rows.map((row) => {
    const copy = { ...(row as Record<string, unknown>) };
    for (const name of names) if (typeof copy[name] === 'string') copy[name] = timestampFromText(copy[name]);
    return copy;
  });
}

/**
 * A store client on a Drizzle transaction, on node-postgres
 * (`drizzle-orm/node-postgres`) or PGlite (`drizzle-orm/pglite`), so onehop
 * calls commit or roll back with the application's own writes:
 *
 * ```ts
 * import { sql } from 'drizzle-orm';
 *
 * await db.transaction(async (tx) => {
 *   await tx.insert(users).values({ id: userId });
 *   const onehop = createOnehop({ store: createPostgresStore({ client: drizzleClient(tx, sql) }), program });
 *   await onehop.enroll({ userId });
 * });
 * ```
 *
 * Statements run through the public `tx.execute()`, built with `sql.raw` and
 * `sql.param` (a `$n` the statement uses twice is sent twice). Drizzle's
 * drivers return timestamps as text; the adapter turns them back into `Date`s,
 * and unwraps Drizzle's query errors to the driver's, which the store
 * translates.
 */
export function drizzleClient<Query>(tx: DrizzleTransaction<Query>, sql: DrizzleSqlTag<Query>): SqlClient {
  return {
    async query(text, values = []) {
      const chunks = text.split(/\$(\d+)/).map((part, i) => (i % 2 === 0 ? sql.raw(part) : sql.param(values[Number(part) - 1] ?? null)));
      try {
        const result = await tx.execute(sql.join(chunks));
        return { rows: withDates(result.rows, result.fields) };
      } catch (error) {
        const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
        throw cause instanceof Error && typeof cause.code === 'string' ? cause : error;
      }
    },
  };
}
