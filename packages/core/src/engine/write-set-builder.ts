import type { Bucket, Scope } from '../store/records';
import type { BalanceDelta, WriteGuard, WriteSet } from '../store/write-set';
import { Recorder, type RecorderTime } from './recorder';

type Rows = Omit<WriteSet, 'guard' | 'balances' | 'counters' | 'audit' | 'outbox'>;

/**
 * A write set being decided: the rows a decision inserts and patches, its
 * balance deltas (merged per account), and, as a `Recorder`, its statistics,
 * outbox events and audit lines. No I/O: `build` hands the result to the
 * store's `apply`, taking the statistics and events recorded so far.
 */
export class WriteSetBuilder extends Recorder {
  readonly rows: Rows = { commissions: [], ledger: [], referrals: [], events: [], reviews: [], fingerprints: [] };
  readonly audit: WriteSet['audit'] = [];
  private readonly balances = new Map<string, BalanceDelta>();

  constructor(scope: Scope, outboxEnabled: boolean, time: RecorderTime, shared?: Recorder) {
    super(scope, outboxEnabled, time, shared);
  }

  /** Adds to an account's balance deltas (one entry per account in the write set). */
  addBalance(accountId: string, deltas: Partial<Record<Bucket, number>>, at: Date): void {
    const entry = this.balances.get(accountId);
    if (entry === undefined) {
      this.balances.set(accountId, { accountId, deltas: { ...deltas }, at });
      return;
    }
    for (const [bucket, amount] of Object.entries(deltas) as [Bucket, number][]) entry.deltas[bucket] = (entry.deltas[bucket] ?? 0) + amount;
    entry.at = at;
  }

  /** The write set, applied only while `guard` holds. */
  build(guard: WriteGuard): WriteSet {
    return {
      guard,
      ...this.rows,
      balances: [...this.balances.values()].sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0)),
      counters: this.stats.take(),
      audit: this.audit,
      outbox: this.outbox.splice(0),
    };
  }
}
