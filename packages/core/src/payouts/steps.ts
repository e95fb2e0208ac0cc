import type { Work } from '../engine/work';
import { post } from '../ledger/post';
import type { Actor, LedgerEntryKind, PayoutRecord } from '../store/records';

/** Fields of a payout a status change may write. */
export type PayoutPatch = Parameters<Work['tx']['payouts']['update']>[2];

/**
 * Writes a payout's status change and its audit line (a domain event for the
 * payee). `auditReason` is what the audit trail keeps: an admin's reason,
 * never a provider's text (which stays on the payout row, see `statusReason`).
 */
export async function transition(
  work: Work,
  payout: PayoutRecord,
  patch: PayoutPatch & { status: PayoutRecord['status'] },
  actor: Actor,
  audit: { reason: string | null; data?: Record<string, unknown> },
): Promise<PayoutRecord> {
  await work.tx.payouts.update(work.scope, payout.id, patch);
  await work.audit('payout', payout.id, `payout.${patch.status}`, actor, {
    before: payout.status,
    after: patch.status,
    reason: audit.reason,
    notify: payout.userId,
    data: { amount: payout.amount, ...audit.data },
  });
  return { ...payout, ...patch };
}

/**
 * Takes a payout's amount from the withdrawable balance into `requested`
 * (`payout_request` for a new payout, `payout_retry` for a failed one sent
 * again) and allocates the payee's approved commissions to it, oldest first.
 */
export async function reserve(work: Work, payout: PayoutRecord, actor: Actor, kind: Extract<LedgerEntryKind, 'payout_request' | 'payout_retry'>): Promise<void> {
  await post(work, [
    {
      accountId: payout.userId,
      moves: { withdrawable: -payout.amount, requested: payout.amount },
      kind,
      payoutId: payout.id,
      sourceType: 'payout',
      sourceId: payout.id,
      actor,
    },
  ]);
  let covered = 0;
  const now = work.now();
  for (const c of await work.tx.commissions.listUnallocated(work.scope, payout.userId)) {
    const net = c.amount - c.reversedAmount;
    if (covered + net > payout.amount) break;
    covered += net;
    await work.tx.commissions.update(work.scope, c.id, { payoutId: payout.id, updatedAt: now });
  }
}

/**
 * Returns a payout's amount from `requested` to the withdrawable balance (a
 * rejection or a failure) and releases its commissions for a later payout.
 */
export async function release(
  work: Work,
  payout: PayoutRecord,
  actor: Actor,
  kind: Extract<LedgerEntryKind, 'payout_rejection' | 'payout_failure'>,
  reason: string | null,
): Promise<void> {
  await post(work, [
    {
      accountId: payout.userId,
      moves: { requested: -payout.amount, withdrawable: payout.amount },
      kind,
      payoutId: payout.id,
      sourceType: 'payout',
      sourceId: payout.id,
      actor,
      reason,
    },
  ]);
  for (const c of await work.tx.commissions.listByPayout(work.scope, payout.id)) {
    await work.tx.commissions.update(work.scope, c.id, { payoutId: null, updatedAt: work.now() });
  }
}

/** Moves a payout's amount from `requested` to `paid` and marks its commissions paid. */
export async function payOut(work: Work, payout: PayoutRecord, actor: Actor, externalReference: string): Promise<void> {
  const now = work.now();
  await post(work, [
    {
      accountId: payout.userId,
      moves: { requested: -payout.amount, paid: payout.amount },
      kind: 'payout_paid',
      payoutId: payout.id,
      sourceType: 'payout',
      sourceId: externalReference,
      actor,
    },
  ]);
  for (const c of await work.tx.commissions.listByPayout(work.scope, payout.id)) {
    if (c.status !== 'approved') continue;
    await work.tx.commissions.update(work.scope, c.id, { status: 'paid', paidAt: now, updatedAt: now });
    await work.audit('commission', c.id, 'commission.paid', actor, {
      before: 'approved',
      after: 'paid',
      sourceEvent: payout.id,
      notify: c.beneficiaryId,
      data: { amount: c.amount - c.reversedAmount, payoutId: payout.id },
    });
  }
}
