import { UniqueViolationError } from '@onehop/core';

/** Reverts one write; a transaction keeps them to roll back. */
export type Undo = () => void;

interface UniqueIndex<T> {
  name: string;
  key: (row: T) => string;
  map: Map<string, string>;
}

interface GroupIndex<T> {
  key: (row: T) => string;
  map: Map<string, Set<string>>;
}

/** Joins key parts with a separator no id contains. */
export function key(...parts: string[]): string {
  return parts.join('\u0000');
}

/**
 * One table of rows with a primary key, unique indexes that behave like a
 * database's (a violation throws and writes nothing), and group indexes for
 * listing rows by a foreign key without scanning. Rows are stored and handed
 * out as copies, as a database would.
 */
export class Table<T extends object> {
  private readonly rows = new Map<string, T>();
  private readonly uniques: UniqueIndex<T>[];
  private readonly groups = new Map<string, GroupIndex<T>>();

  constructor(
    private readonly primaryKey: (row: T) => string,
    private readonly primaryName: string,
    uniques: { name: string; key: (row: T) => string }[] = [],
    groups: Record<string, (row: T) => string> = {},
  ) {
    this.uniques = uniques.map((u) => ({ ...u, map: new Map() }));
    for (const [name, groupKey] of Object.entries(groups)) this.groups.set(name, { key: groupKey, map: new Map() });
  }

  get size(): number {
    return this.rows.size;
  }

  get(pk: string): T | null {
    const row = this.rows.get(pk);
    return row === undefined ? null : structuredClone(row);
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
    return [...pks].map((pk) => structuredClone(this.rows.get(pk) as T));
  }

  insert(input: T, undo: Undo[]): void {
    const row = structuredClone(input);
    const pk = this.primaryKey(row);
    if (this.rows.has(pk)) throw new UniqueViolationError(this.primaryName);
    for (const index of this.uniques) {
      if (index.map.has(index.key(row))) throw new UniqueViolationError(index.name);
    }
    this.rows.set(pk, row);
    for (const index of this.uniques) index.map.set(index.key(row), pk);
    for (const group of this.groups.values()) {
      const value = group.key(row);
      let set = group.map.get(value);
      if (!set) group.map.set(value, (set = new Set()));
      set.add(pk);
    }
    undo.push(() => {
      this.rows.delete(pk);
      for (const index of this.uniques) index.map.delete(index.key(row));
      for (const group of this.groups.values()) group.map.get(group.key(row))?.delete(pk);
    });
  }

  /**
   * Changes fields of an existing row. Fields that take part in an index
   * must not be changed this way (no caller does).
   */
  update(pk: string, patch: Partial<T>, undo: Undo[]): boolean {
    const row = this.rows.get(pk);
    if (row === undefined) return false;
    const previous = row;
    this.rows.set(pk, { ...row, ...structuredClone(patch) });
    undo.push(() => this.rows.set(pk, previous));
    return true;
  }
}
