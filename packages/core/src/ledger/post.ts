import { ALL } from '../counters/stats';
import { newId } from '../engine/ids';
import type { Work } from '../engine/work';
import type { Bucket, LedgerEntryKind, LedgerEntryRecord } from '../store/records';
import type { Posting } from './posting';

/**
 * Writes ledger entries, one per non-zero move, and adds the same amounts
 * to the account's balance row in the same transaction, so a balance
 * always equals the sum of its entries.
 */
export async function post(work: Work, postings: Posting[]): Promise<void> {
  const at = work.now();
  const entries: LedgerEntryRecord[] = [];
  for (const p of postings) {
    const deltas: Partial<Record<Bucket, number>> = {};
    for (const [bucket, amount] of Object.entries(p.moves) as [Bucket, number][]) {
      if (amount === 0) continue;
      deltas[bucket] = amount;
      entries.push({
        programId: work.scope.programId,
        mode: work.scope.mode,
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
    if (Object.keys(deltas).length > 0) await work.tx.balances.add(work.scope, p.accountId, deltas, at);
    tallyPosting(work, p.accountId, p.kind, deltas);
  }
  if (entries.length > 0) await work.tx.ledger.append(entries);
}

/** The statistics of one posting: the program's bucket totals, and the daily flow its kind stands for. */
function tallyPosting(work: Work, accountId: string, kind: LedgerEntryKind, deltas: Partial<Record<Bucket, number>>): void {
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
