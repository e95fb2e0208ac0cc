import { UniqueViolationError } from '@onehop/core';
import { copy } from './copy';

/** Reverts one write; a transaction keeps them to roll back. */
export type Undo = () => void;

/** An index key; null leaves the row out of the index (a partial index). */
type KeyOf<T> = (row: T) => string | null;

interface UniqueIndex<T> {
  name: string;
  key: KeyOf<T>;
  map: Map<string, string>;
}

/**
 * A group's members by key. A group of one (a commission's source event, an
 * audit line's entity: most groups) is held as the primary key itself, and
 * becomes a Set (which keeps insertion order) when a second row joins: most
 * rows then cost one map entry instead of a map entry and a Set.
 */
type Members = string | Set<string>;

interface GroupIndex<T> {
  name: string;
  key: KeyOf<T>;
  map: Map<string, Members>;
}

/** Joins key parts with a separator no id contains. */
export function key(a: string, b: string, c?: string, d?: string): string {
  let k = a + '\u0000' + b;
  if (c !== undefined) k += '\u0000' + c;
  if (d !== undefined) k += '\u0000' + d;
  return k;
}

/** The group key of a group that holds every row of the partition that has some status (e.g. every pending commission). */
export const ALL_ROWS = '';

export interface TableOptions<T> {
  /** The primary key of a row, within its partition. */
  key: (row: T) => string;
  /** The constraint a second row with the same primary key violates. */
  name: string;
  /** A deep copy of a row (see `copies.ts`). */
  copy: (row: T) => T;
  uniques?: { name: string; key: KeyOf<T> }[];
  groups?: Record<string, KeyOf<T>>;
  /**
   * When given, must name every field the primary, unique and group keys
   * read besides the scope. An update whose patch touches none of them swaps
   * the row without rebuilding any key, which is most updates: a balance, a
   * referral's counts. With `Table.verifyIndexedFields` on (the store's own
   * test run turns it on for the whole conformance suite), every such update
   * also rebuilds all keys and throws if one moved, so a list that misses a
   * field fails a test.
   */
  indexedFields?: readonly (keyof T & string)[];
}

/**
 * One table of rows with a primary key, unique indexes that behave like a
 * database's (a violation throws and writes nothing; a null key is not
 * indexed, like a partial index), and group indexes for listing rows by a
 * key without scanning. Rows are stored and handed out as copies: what a
 * caller does to a row it passed in or got back never reaches the table.
 */
export class Table<T extends object> {
  /** Check every key-preserving update against the keys themselves (tests only: it costs what the fast path saves). */
  static verifyIndexedFields = false;
  /** Check every copy against a generic deep copy: equal, and sharing no object (tests only). */
  static verifyCopies = false;

  private readonly rows = new Map<string, T>();
  /** Insertion order of each row ever inserted, like a database's identity column: cursors page by it. */
  private readonly seqs = new Map<string, number>();
  private nextSeq = 0;
  private readonly primaryKey: (row: T) => string;
  private readonly primaryName: string;
  private readonly copyRow: (row: T) => T;
  private readonly uniques: UniqueIndex<T>[];
  private readonly groups: GroupIndex<T>[] = [];
  /** Fields the keys read; an update that changes none of them leaves every index as it is. */
  private readonly indexed: ReadonlySet<string> | null;

  constructor(options: TableOptions<T>) {
    this.primaryKey = options.key;
    this.primaryName = options.name;
    this.copyRow = Table.verifyCopies ? verifiedCopy(options.copy) : options.copy;
    this.uniques = (options.uniques ?? []).map((u) => ({ ...u, map: new Map() }));
    for (const [name, groupKey] of Object.entries(options.groups ?? {})) this.groups.push({ name, key: groupKey, map: new Map() });
    this.indexed = options.indexedFields === undefined ? null : new Set(['programId', 'mode', ...options.indexedFields]);
  }

  /** Whether `patch` may move the row in an index. */
  private movesKeys(patch: Partial<T>): boolean {
    if (this.indexed === null) return true;
    for (const field in patch) if (this.indexed.has(field)) return true;
    return false;
  }

  get size(): number {
    return this.rows.size;
  }

  get(pk: string): T | null {
    const row = this.rows.get(pk);
    return row === undefined ? null : this.copyRow(row);
  }

  /** The stored row itself, not a copy: for the store's own read-modify-write, never handed out. */
  peek(pk: string): T | null {
    return this.rows.get(pk) ?? null;
  }

  /** The row whose unique index `name` has `value`. */
  getByUnique(name: string, value: string): T | null {
    const index = this.uniques.find((u) => u.name === name);
    if (!index) throw new Error(`No unique index ${name}`);
    const pk = index.map.get(value);
    return pk === undefined ? null : this.get(pk);
  }

  /** Rows of one group, as copies, in insertion order. */
  group(name: string, value: string): T[] {
    return this.groupKeys(name, value).map((pk) => this.copyRow(this.rows.get(pk) as T));
  }

  insert(input: T, undo: Undo[]): void {
    const row = this.copyRow(input);
    const pk = this.primaryKey(row);
    if (this.rows.has(pk)) throw new UniqueViolationError(this.primaryName);
    this.checkUnique(row, pk);
    this.rows.set(pk, row);
    this.seqs.set(pk, this.nextSeq++);
    this.index(row, pk);
    undo.push(() => {
      this.unindex(row, pk);
      this.rows.delete(pk);
      this.seqs.delete(pk);
    });
  }

  /** The row's insertion number, or undefined for a row that was never inserted. */
  seqOf(pk: string): number | undefined {
    return this.seqs.get(pk);
  }

  /** Changes fields of an existing row, keeping every index right. Returns false when there is no such row. */
  update(pk: string, patch: Partial<T>, undo: Undo[]): boolean {
    const previous = this.rows.get(pk);
    if (previous === undefined) return false;
    const next = this.copyRow({ ...previous, ...patch });
    if (!this.movesKeys(patch)) {
      if (Table.verifyIndexedFields) this.assertSameKeys(previous, next, pk);
      this.rows.set(pk, next);
      undo.push(() => this.rows.set(pk, previous));
      return true;
    }
    this.checkUnique(next, pk);
    this.unindex(previous, pk, next);
    this.rows.set(pk, next);
    this.index(next, pk, previous);
    undo.push(() => {
      this.unindex(next, pk, previous);
      this.rows.set(pk, previous);
      this.index(previous, pk, next);
    });
    return true;
  }

  /** Removes a row (only erasure of personal data deletes anything). Returns false when there is no such row. */
  delete(pk: string, undo: Undo[]): boolean {
    const row = this.rows.get(pk);
    if (row === undefined) return false;
    this.unindex(row, pk);
    this.rows.delete(pk);
    undo.push(() => {
      this.rows.set(pk, row);
      this.index(row, pk);
    });
    return true;
  }

  /** Primary keys of one group, in insertion order, without copying rows. */
  groupKeys(name: string, value: string): string[] {
    const group = this.groups.find((g) => g.name === name);
    if (!group) throw new Error(`No group ${name}`);
    const members = group.map.get(value);
    return members === undefined ? [] : typeof members === 'string' ? [members] : [...members];
  }

  /** Every primary key, in insertion order: the group of all rows, kept by the table itself. */
  keys(): string[] {
    return [...this.rows.keys()];
  }

  private assertSameKeys(previous: T, next: T, pk: string): void {
    const moved = this.primaryKey(next) !== pk || this.uniques.some((u) => u.key(previous) !== u.key(next)) || this.groups.some((g) => g.key(previous) !== g.key(next));
    if (moved) throw new Error(`Table ${this.primaryName}: an update moved a key through a field missing from indexedFields`);
  }

  private checkUnique(row: T, pk: string): void {
    for (const index of this.uniques) {
      const k = index.key(row);
      if (k === null) continue;
      const holder = index.map.get(k);
      if (holder !== undefined && holder !== pk) throw new UniqueViolationError(index.name);
    }
  }

  /** Adds the row to its indexes; with `other`, only to those whose key differs from `other`'s (so a row keeps its place). */
  private index(row: T, pk: string, other?: T): void {
    for (const index of this.uniques) {
      const k = index.key(row);
      if (k !== null) index.map.set(k, pk);
    }
    for (const group of this.groups) {
      const k = group.key(row);
      if (k === null || (other !== undefined && group.key(other) === k)) continue;
      const members = group.map.get(k);
      if (members === undefined) group.map.set(k, pk);
      else if (typeof members !== 'string') members.add(pk);
      else if (members !== pk) group.map.set(k, new Set([members, pk]));
    }
  }

  private unindex(row: T, pk: string, other?: T): void {
    for (const index of this.uniques) {
      const k = index.key(row);
      if (k !== null && index.map.get(k) === pk) index.map.delete(k);
    }
    for (const group of this.groups) {
      const k = group.key(row);
      if (k === null || (other !== undefined && group.key(other) === k)) continue;
      const members = group.map.get(k);
      if (members === pk) group.map.delete(k);
      else if (members !== undefined && typeof members !== 'string') {
        members.delete(pk);
        if (members.size === 0) group.map.delete(k);
      }
    }
  }
}

/** Wraps a copier so that every copy it makes is checked against the generic deep copy. */
function verifiedCopy<T>(copyRow: (row: T) => T): (row: T) => T {
  return (row) => {
    const copied = copyRow(row);
    assertSeparateEqual(copy(row), copied, copied, '');
    assertSeparateEqual(row, copied, copied, '');
    return copied;
  };
}

/** Throws unless `b` equals `a` field by field and no object in `b` is shared with the original row. */
function assertSeparateEqual(a: unknown, b: unknown, root: unknown, path: string): void {
  if (a === null || typeof a !== 'object') {
    if (!Object.is(a, b)) throw new Error(`Table copy: field ${path} differs`);
    return;
  }
  if (a === b) throw new Error(`Table copy: field ${path || '(row)'} is shared with the original, not copied`);
  if (b === null || typeof b !== 'object') throw new Error(`Table copy: field ${path} differs`);
  if (a instanceof Date) {
    if (!(b instanceof Date) || a.getTime() !== b.getTime()) throw new Error(`Table copy: date ${path} differs`);
    return;
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) throw new Error(`Table copy: ${path || '(row)'} has other fields`);
  for (const k of keys) assertSeparateEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], root, `${path}.${k}`);
}
