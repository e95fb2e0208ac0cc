import type { CursorPage, HistoryPage } from '@onehop/core';
import type { Table } from './table';

/**
 * One page of `pks` (a group, in insertion order, or reversed for newest
 * first): the rows after the cursor's row in that order, at most `page.limit`.
 * The cursor is placed by insertion number, so a page continues correctly
 * even when the cursor's row has since left the group (a decided review).
 */
export function pageOf<T extends object>(table: Table<T>, pks: string[], page: CursorPage, newestFirst = false): T[] {
  let rows = pks;
  if (page.cursor !== undefined) {
    const at = table.seqOf(page.cursor);
    if (at === undefined) return [];
    rows = pks.filter((pk) => (newestFirst ? table.seqOf(pk)! < at : table.seqOf(pk)! > at));
  }
  return rows.slice(0, page.limit).map((pk) => table.get(pk)!);
}

export const within = (at: Date, page: HistoryPage) =>
  (page.from === undefined || at.getTime() >= page.from.getTime()) && (page.to === undefined || at.getTime() < page.to.getTime());

/**
 * One page of an account's history: the rows of `pks` (a group, in insertion
 * order) that `keep` accepts, after the cursor's row in the page's order.
 * Scans the group: fine for a development store; the PostgreSQL store
 * answers from an index.
 */
export function historyOf<T extends object>(table: Table<T>, pks: string[], page: HistoryPage, keep: (row: T) => boolean): T[] {
  const ordered = page.newestFirst ? [...pks].reverse() : pks;
  const at = page.cursor === undefined ? undefined : table.seqOf(page.cursor);
  if (page.cursor !== undefined && at === undefined) return [];
  const out: T[] = [];
  for (const pk of ordered) {
    if (out.length >= page.limit) break;
    if (at !== undefined && (page.newestFirst ? table.seqOf(pk)! >= at : table.seqOf(pk)! <= at)) continue;
    const row = table.peek(pk)!;
    if (keep(row)) out.push(table.get(pk)!);
  }
  return out;
}
