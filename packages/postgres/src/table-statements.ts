import type { CursorPage, HistoryPage, Scope } from '@onehop/core';
import type { HeldWrites, Row } from './executor';

/** The tables the repositories read with `select` and patch with `update`. */
type Table =
  | 'participants'
  | 'codes'
  | 'referrals'
  | 'audit_trail'
  | 'source_events'
  | 'commissions'
  | 'ledger_entries'
  | 'fingerprints'
  | 'clicks'
  | 'reviews'
  | 'balances'
  | 'payouts'
  | 'payout_methods'
  | 'outbox'
  | 'invitations'
  | 'payout_runs'
  | 'tax_profiles';

/** Each table's columns as the store reads them (`a, b, c`): reads name their columns, so the internal `seq` ordering column never leaks out. */
export type Columns = Record<Table, string>;

/** `programId` → `program_id`, remembered: it runs for every field of every row written. */
const snakeNames = new Map<string, string>();
export function snake(key: string): string {
  let name = snakeNames.get(key);
  if (name === undefined) snakeNames.set(key, (name = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)));
  return name;
}

/** A record's fields as column → value, with `actor` split into its two columns. */
export function columnsOf(record: object): [string[], unknown[]] {
  const names: string[] = [];
  const values: unknown[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined) continue;
    if (key === 'actor') {
      const a = value as { type: string; id: string | null };
      names.push('actor_type', 'actor_id');
      values.push(a.type, a.id);
    } else {
      names.push(snake(key));
      values.push(value);
    }
  }
  return [names, values];
}

/** Columns a patch may name, per table, per column map (the store has one). */
const allowedColumns = new WeakMap<Columns, Map<Table, Set<string>>>();
function allowed(columns: Columns): Map<Table, Set<string>> {
  let byTable = allowedColumns.get(columns);
  if (byTable === undefined) {
    byTable = new Map((Object.keys(columns) as Table[]).map((table) => [table, new Set(columns[table].split(', '))]));
    allowedColumns.set(columns, byTable);
  }
  return byTable;
}

/** `prefixed`'s lists, remembered: repositories are made for every transaction, and some build their statements with it. */
const prefixedLists = new Map<string, string>();

/** `a, b` → `x.a AS pa, x.b AS pb`: columns of a joined table, renamed so they do not collide. */
export function prefixed(table: string, prefix: string, columns: string): string {
  const key = `${table}\0${prefix}\0${columns}`;
  let list = prefixedLists.get(key);
  if (list === undefined) {
    list = columns
      .split(', ')
      .map((c) => `${table}${c}${prefix ? ` AS ${prefix}${c}` : ''}`)
      .join(', ');
    prefixedLists.set(key, list);
  }
  return list;
}

/** The columns of a row that start with `prefix`, without it. */
export function unprefixed(row: Row, prefix: string): Row {
  const out: Row = {};
  for (const name in row) if (name.startsWith(prefix)) out[name.slice(prefix.length)] = row[name];
  return out;
}

/** `$from, …, $(from + count - 1)`, remembered per (from, count). */
const placeholderLists: string[][] = [];
export function placeholders(from: number, count: number): string {
  const byCount = (placeholderLists[from] ??= []);
  return (byCount[count] ??= Array.from({ length: count }, (_, i) => `$${from + i}`).join(', '));
}

/** The statements every table's repository is written with, over one transaction's held writes. */
export interface TableStatements {
  /** A table's name qualified with the store's schema. */
  t(table: Table | 'counters'): string;
  /** Rows of `table` after (or, newest first, before) the row with id `cursor`, in `seq` order. */
  after(table: Table, cursorParam: number, newestFirst: boolean): string;
  /** A table's rows with one status, in seq order, after the cursor's row. */
  byStatus<R>(table: Table, map: (row: Row) => R): (s: Scope, status: string, page: CursorPage) => Promise<R[]>;
  /** Holds a write back (see `HeldWrites`). */
  hold(table: string, text: string, values: unknown[]): Promise<void>;
  /** A statement that writes or locks and returns rows. */
  query(text: string, values: unknown[]): Promise<Row[]>;
  /** A statement that only reads. */
  read(text: string, values: unknown[]): Promise<Row[]>;
  /** A statement that writes, atomic by itself, after which the transaction writes nothing (see `Executor`'s `alone`). */
  last(text: string, values: unknown[]): Promise<Row[]>;
  /** The first row, mapped, or null. */
  one<T>(text: string, values: unknown[], map: (r: Row) => T, write?: boolean): Promise<T | null>;
  insert(table: Table, record: object): Promise<void>;
  /** Rows with the same fields, in one multi-row INSERT (a transaction's ledger entries, its events). */
  insertRows(table: Table, rows: object[]): Promise<void>;
  /** Updates now and returns how many rows changed. */
  updateRows(table: Table, s: Scope, key: Record<string, string>, patch: object): Promise<number>;
  /** Updates with the transaction's next statement (held back). */
  update(table: Table, s: Scope, key: Record<string, string>, patch: object): Promise<void>;
  /**
   * One page of an account's history (see HistoryPage): `where` with `$1..$n`
   * over `values`, plus equality `filters`, the page's dates on `timeColumn`,
   * and the cursor, in `seq` order.
   */
  history(table: Table, timeColumn: string, values: unknown[], where: string, page: HistoryPage, filters?: [string, unknown][]): Promise<Row[]>;
  /** `SELECT <the table's columns> … WHERE program_id = $1 AND mode = $2 AND <where><suffix>`. */
  select(table: Table, where: string, suffix?: string): string;
  /** ` FOR UPDATE` when the read locks. */
  lock(options?: { forUpdate?: boolean }): string;
}

/**
 * The statements of one transaction. Table names are qualified with the
 * store's schema, which was checked to be a plain identifier.
 */
export function tableStatements(writes: HeldWrites, schema: string, columns: Columns): TableStatements {
  const { hold, run } = writes;
  const t = (table: Table | 'counters') => `"${schema}".${table}`;
  const after = (table: Table, cursorParam: number, newestFirst: boolean) =>
    `seq ${newestFirst ? '<' : '>'} (SELECT seq FROM ${t(table)} WHERE program_id = $1 AND mode = $2 AND id = $${cursorParam})`;

  const byStatus =
    <R>(table: Table, map: (row: Row) => R) =>
    async (s: Scope, status: string, page: CursorPage): Promise<R[]> =>
      page.cursor === undefined
        ? (await read(select(table, 'status = $3', ' ORDER BY seq LIMIT $4'), [s.programId, s.mode, status, page.limit])).map(map)
        : (await read(select(table, `status = $3 AND ${after(table, 4, false)}`, ' ORDER BY seq LIMIT $5'), [s.programId, s.mode, status, page.cursor, page.limit])).map(
            map,
          );

  const query = (text: string, values: unknown[]) => run(text, values, true);
  const read = (text: string, values: unknown[]) => run(text, values, false);
  const last = (text: string, values: unknown[]) => run(text, values, true, true);

  async function one<T>(text: string, values: unknown[], map: (r: Row) => T, write = false): Promise<T | null> {
    const rows = await run(text, values, write);
    return rows.length === 0 ? null : map(rows[0]!);
  }

  async function insert(table: Table, record: object): Promise<void> {
    const [names, values] = columnsOf(record);
    await hold(table, `INSERT INTO ${t(table)} (${names.join(', ')}) VALUES (${placeholders(1, values.length)})`, values);
  }

  async function insertRows(table: Table, rows: object[]): Promise<void> {
    if (rows.length === 0) return;
    const names = columnsOf(rows[0]!)[0];
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (const row of rows) {
      const [rowNames, rowValues] = columnsOf(row);
      if (rowNames.join() !== names.join()) throw new Error(`onehop: ${table} rows of one insert must have the same fields`);
      tuples.push(`(${placeholders(values.length + 1, rowValues.length)})`);
      values.push(...rowValues);
    }
    await hold(table, `INSERT INTO ${t(table)} (${names.join(', ')}) VALUES ${tuples.join(', ')}`, values);
  }

  /** UPDATE … SET the patch's fields WHERE program, mode and the key columns match, as text and values; null for an empty patch. */
  function updateStatement(table: Table, s: Scope, key: Record<string, string>, patch: object): [string, unknown[]] | null {
    const [names, values] = columnsOf(patch);
    if (names.length === 0) return null;
    const tableColumns = allowed(columns).get(table)!;
    for (const name of names) if (!tableColumns.has(name)) throw new Error(`onehop: ${table} has no column ${name}`);
    const keys = Object.keys(key);
    const set = names.map((name, i) => `${name} = $${i + 1}`).join(', ');
    const where = ['program_id', 'mode', ...keys].map((name, i) => `${name} = $${names.length + i + 1}`).join(' AND ');
    return [`UPDATE ${t(table)} SET ${set} WHERE ${where}`, [...values, s.programId, s.mode, ...keys.map((k) => key[k])]];
  }
  async function updateRows(table: Table, s: Scope, key: Record<string, string>, patch: object): Promise<number> {
    const statement = updateStatement(table, s, key, patch);
    return statement === null ? 0 : (await query(`${statement[0]} RETURNING 1`, statement[1])).length;
  }
  async function update(table: Table, s: Scope, key: Record<string, string>, patch: object): Promise<void> {
    const statement = updateStatement(table, s, key, patch);
    if (statement !== null) await hold(table, statement[0], statement[1]);
  }

  function history(table: Table, timeColumn: string, values: unknown[], where: string, page: HistoryPage, filters: [string, unknown][] = []): Promise<Row[]> {
    const params = [...values];
    let clause = where;
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    for (const [column, value] of filters) clause += ` AND ${column} = ${bind(value)}`;
    if (page.from !== undefined) clause += ` AND ${timeColumn} >= ${bind(page.from)}`;
    if (page.to !== undefined) clause += ` AND ${timeColumn} < ${bind(page.to)}`;
    if (page.cursor !== undefined) {
      bind(page.cursor);
      clause += ` AND ${after(table, params.length, page.newestFirst === true)}`;
    }
    return read(select(table, clause, ` ORDER BY seq${page.newestFirst ? ' DESC' : ''} LIMIT ${bind(page.limit)}`), params);
  }

  const select = (table: Table, where: string, suffix = '') => `SELECT ${columns[table]} FROM ${t(table)} WHERE program_id = $1 AND mode = $2 AND ${where}${suffix}`;
  const lock = (options?: { forUpdate?: boolean }) => (options?.forUpdate ? ' FOR UPDATE' : '');

  return { t, after, byStatus, hold, query, read, last, one, insert, insertRows, updateRows, update, history, select, lock };
}
