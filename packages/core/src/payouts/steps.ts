import type { Work } from '../engine/work';
import { post } from '../ledger/post';
import type { Posting } from '../ledger/posting';
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

/** Moves a payout's amount between the payee's buckets: one posting, sourced to the payout (or to the transfer's reference). */
async function move(
  work: Work,
  payout: PayoutRecord,
  actor: Actor,
  kind: LedgerEntryKind,
  moves: Posting['moves'],
  extra: { sourceId?: string; reason?: string | null } = {},
): Promise<void> {
  const posting: Posting = { accountId: payout.userId, moves, kind, payoutId: payout.id, sourceType: 'payout', sourceId: extra.sourceId ?? payout.id, actor };
  if (extra.reason != null) posting.reason = extra.reason;
  await post(work, [posting]);
}

/**
 * Takes a payout's amount from the withdrawable balance into `requested`
 * (`payout_request` for a new payout, `payout_retry` for a failed one sent
 * again) and allocates the payee's approved commissions to it, oldest first.
 */
export async function reserve(work: Work, payout: PayoutRecord, actor: Actor, kind: Extract<LedgerEntryKind, 'payout_request' | 'payout_retry'>): Promise<void> {
  await move(work, payout, actor, kind, { withdrawable: -payout.amount, requested: payout.amount });
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
  await move(work, payout, actor, kind, { requested: -payout.amount, withdrawable: payout.amount }, { reason });
  for (const c of await work.tx.commissions.listByPayout(work.scope, payout.id)) {
    await work.tx.commissions.update(work.scope, c.id, { payoutId: null, updatedAt: work.now() });
  }
}

/** Moves a payout's amount from `requested` to `paid` and marks its commissions paid. */
export async function payOut(work: Work, payout: PayoutRecord, actor: Actor, externalReference: string): Promise<void> {
  const now = work.now();
  await move(work, payout, actor, 'payout_paid', { requested: -payout.amount, paid: payout.amount }, { sourceId: externalReference });
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
