import { ALL } from '../counters/stats';
import { newId } from '../engine/ids';
import type { Recorder } from '../engine/recorder';
import type { Work } from '../engine/work';
import type { WriteSetBuilder } from '../engine/write-set-builder';
import type { Bucket, LedgerEntryKind, LedgerEntryRecord } from '../store/records';
import type { BalanceDelta } from '../store/write-set';
import type { Posting } from './posting';

/**
 * The ledger entries of `postings`, one per non-zero move, and the amounts
 * each adds to its account's balance row; their statistics go to `recorder`.
 * No I/O: `post` writes them, a decision puts them in its write set.
 */
function postingWrites(recorder: Recorder, postings: Posting[]): { entries: LedgerEntryRecord[]; balances: BalanceDelta[] } {
  const at = recorder.now();
  const entries: LedgerEntryRecord[] = [];
  const balances: BalanceDelta[] = [];
  for (const p of postings) {
    const deltas: Partial<Record<Bucket, number>> = {};
    for (const [bucket, amount] of Object.entries(p.moves) as [Bucket, number][]) {
      if (amount === 0) continue;
      deltas[bucket] = amount;
      entries.push({
        programId: recorder.scope.programId,
        mode: recorder.scope.mode,
        id: newId('led'),
        accountId: p.accountId,
        bucket,
        amount,
        kind: p.kind,
        commissionId: p.commissionId ?? null,
        payoutId: p.payoutId ?? null,
        sourceType: p.sourceType,
        sourceId: p.sourceId,
        actor: p.actor,
        reason: p.reason ?? null,
        at,
      });
    }
    if (Object.keys(deltas).length > 0) balances.push({ accountId: p.accountId, deltas, at });
    tallyPosting(recorder, p.accountId, p.kind, deltas);
  }
  return { entries, balances };
}

/**
 * Writes ledger entries, one per non-zero move, and adds the same amounts
 * to the account's balance row in the same transaction, so a balance
 * always equals the sum of its entries.
 */
export async function post(work: Work, postings: Posting[]): Promise<void> {
  const { entries, balances } = postingWrites(work.recorder, postings);
  for (const b of balances) await work.tx.balances.add(work.scope, b.accountId, b.deltas, b.at);
  if (entries.length > 0) await work.tx.ledger.append(entries);
}

/** Puts the ledger entries and balance deltas of `postings` in a write set. */
export function postInto(writes: WriteSetBuilder, postings: Posting[]): void {
  const { entries, balances } = postingWrites(writes, postings);
  for (const e of entries) writes.rows.ledger.push(e);
  for (const b of balances) writes.addBalance(b.accountId, b.deltas, b.at);
}

/** The statistics of one posting: the program's bucket totals, and the daily flow its kind stands for. */
function tallyPosting(work: Recorder, accountId: string, kind: LedgerEntryKind, deltas: Partial<Record<Bucket, number>>): void {
  let net = 0;
  for (const [bucket, amount] of Object.entries(deltas) as [Bucket, number][]) {
    net += amount;
    work.tallyTotal(null, `bucket.${bucket}`, ALL, amount);
  }
  switch (kind) {
    case 'accrual':
      return work.tally(accountId, 'earned', net);
    case 'reversal':
    case 'rejection':
    case 'reinstatement':
      // Accrued in a period is earned plus reversed: one metric fewer to write.
      work.tally(accountId, 'earned', net);
      return work.tally(accountId, 'reversed', -net);
    case 'approval':
      return work.tally(accountId, 'approved', deltas.withdrawable ?? 0);
    case 'payout_request':
      return work.tally(accountId, 'requested', deltas.requested ?? 0);
    case 'payout_paid':
      return work.tally(accountId, 'paid', deltas.paid ?? 0);
    default:
      return;
  }
}
