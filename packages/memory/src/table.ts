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

interface GroupIndex<T> {
  key: KeyOf<T>;
  map: Map<string, Set<string>>;
}

/** Joins key parts with a separator no id contains. */
export function key(a: string, b: string, c?: string, d?: string): string {
  let k = a + '\u0000' + b;
  if (c !== undefined) k += '\u0000' + c;
  if (d !== undefined) k += '\u0000' + d;
  return k;
}

/**
 * One table of rows with a primary key, unique indexes that behave like a
 * database's (a violation throws and writes nothing; a null key is not
 * indexed, like a partial index), and group indexes for listing rows by a
 * key without scanning. Rows are stored and handed out as copies.
 */
export class Table<T extends object> {
  /** Check every key-preserving update against the keys themselves (tests only: it costs what the fast path saves). */
  static verifyIndexedFields = false;

  private readonly rows = new Map<string, T>();
  /** Insertion order of each row ever inserted, like a database's identity column: cursors page by it. */
  private readonly seqs = new Map<string, number>();
  private nextSeq = 0;
  private readonly uniques: UniqueIndex<T>[];
  private readonly groups = new Map<string, GroupIndex<T>>();
  /** Fields the keys read; an update that changes none of them leaves every index as it is. */
  private readonly indexed: ReadonlySet<string> | null;

  /**
   * `indexedFields`, when given, must name every field the primary, unique
   * and group keys read besides the scope. An update whose patch touches
   * none of them swaps the row without rebuilding any key, which is most
   * updates: a counter's value, a balance, a referral's counts. With
   * `Table.verifyIndexedFields` on (the store's own test run turns it on for
   * the whole conformance suite), every such update also rebuilds all keys
   * and throws if one moved, so a list that misses a field fails a test.
   */
  constructor(
    private readonly primaryKey: (row: T) => string,
    private readonly primaryName: string,
    uniques: { name: string; key: KeyOf<T> }[] = [],
    groups: Record<string, KeyOf<T>> = {},
    indexedFields?: readonly (keyof T & string)[],
  ) {
    this.uniques = uniques.map((u) => ({ ...u, map: new Map() }));
    for (const [name, groupKey] of Object.entries(groups)) this.groups.set(name, { key: groupKey, map: new Map() });
    this.indexed = indexedFields === undefined ? null : new Set(['programId', 'mode', ...indexedFields]);
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
    return row === undefined ? null : copy(row);
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
    const pks = this.groups.get(name)?.map.get(value);
    if (!pks) return [];
    return [...pks].map((pk) => copy(this.rows.get(pk) as T));
  }

  insert(input: T, undo: Undo[]): void {
    const row = copy(input);
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
    const next = { ...previous, ...copy(patch) };
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
    const pks = this.groups.get(name)?.map.get(value);
    return pks ? [...pks] : [];
  }

  private assertSameKeys(previous: T, next: T, pk: string): void {
    const moved =
      this.primaryKey(next) !== pk ||
      this.uniques.some((u) => u.key(previous) !== u.key(next)) ||
      [...this.groups.values()].some((g) => g.key(previous) !== g.key(next));
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
    for (const group of this.groups.values()) {
      const k = group.key(row);
      if (k === null || (other !== undefined && group.key(other) === k)) continue;
      let set = group.map.get(k);
      if (!set) group.map.set(k, (set = new Set()));
      set.add(pk);
    }
  }

  private unindex(row: T, pk: string, other?: T): void {
    for (const index of this.uniques) {
      const k = index.key(row);
      if (k !== null && index.map.get(k) === pk) index.map.delete(k);
    }
    for (const group of this.groups.values()) {
      const k = group.key(row);
      if (k === null || (other !== undefined && group.key(other) === k)) continue;
      const set = group.map.get(k);
      set?.delete(pk);
      if (set?.size === 0) group.map.delete(k);
    }
  }
}
