/** A value or a promise of it: a store may answer synchronously (the memory store does) or not. */
export type Awaitable<T> = T | Promise<T>;

/** Options of reads that may lock. */
export interface LockOptions {
  /**
   * Lock the row until the transaction ends, so every other transaction that
   * asks for the same lock waits (SELECT … FOR UPDATE). The engine serialises
   * all work on one referrer this way.
   */
  forUpdate?: boolean;
}

export interface Page {
  limit: number;
}

/** A page of a listing that continues after (or before) the row with id `cursor`. */
export interface CursorPage extends Page {
  cursor?: string | undefined;
}

/**
 * A page of an account's history, in insertion order (or newest first):
 * rows after the row with id `cursor` in that order, within [from, to) of
 * their time. New rows never shift a page: the cursor is the row itself.
 */
export interface HistoryPage extends CursorPage {
  from?: Date | undefined;
  to?: Date | undefined;
  newestFirst?: boolean | undefined;
}
