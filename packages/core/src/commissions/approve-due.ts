import { type EngineContext, parse, SYSTEM } from '../engine/context';
import { post } from '../ledger/post';
import type { CommissionRecord } from '../store/records';
import { type ApproveDueInput, approveDueInputSchema } from './inputs';

/** Commissions `approveDue` claims and approves per transaction. */
const APPROVAL_BATCH = 100;

/**
 * Approves every pending commission whose holding period has ended, up to
 * `limit`. Safe to run again and from several workers at once: each
 * transaction claims a batch of due commissions that no concurrent run holds
 * (the store skips commissions another transaction locked), re-checks and
 * approves them, so runs share the work and none is approved twice. A
 * commission locked elsewhere at that moment (a refund in flight) is left for
 * the next run.
 */
export async function approveDue(ctx: EngineContext, input: ApproveDueInput = {}): Promise<{ approved: number }> {
  const data = parse(approveDueInputSchema, input);
  const now = data.now ?? ctx.clock.now();
  const { scope } = ctx;
  let approved = 0;
  while (approved < data.limit) {
    const size = Math.min(APPROVAL_BATCH, data.limit - approved);
    const batch = await ctx.run(async (work) => {
      const claimed = await work.tx.commissions.claimDue(scope, now, { limit: size });
      // Balance rows are written in account order, so two batches never wait on each other in a cycle.
      const due = claimed.filter((c) => c.status === 'pending' && c.availableAt.getTime() <= now.getTime()).sort(byBeneficiary);
      const at = ctx.clock.now();
      for (const c of due) {
        const net = c.amount - c.reversedAmount;
        await post(work, [
          {
            accountId: c.beneficiaryId,
            moves: { pending: -net, withdrawable: net },
            kind: 'approval',
            commissionId: c.id,
            sourceType: 'schedule',
            sourceId: c.id,
            actor: SYSTEM,
          },
        ]);
        await work.tx.commissions.update(scope, c.id, { status: 'approved', approvedAt: at, updatedAt: at });
        await work.audit('commission', c.id, 'commission.approved', SYSTEM, {
          before: 'pending',
          after: 'approved',
          reason: 'holding period ended',
          notify: c.beneficiaryId,
          data: { amount: net },
        });
      }
      return { claimed: claimed.length, approved: due.length };
    });
    approved += batch.approved;
    // Fewer than asked for: nothing else is due and free now.
    if (batch.claimed < size || batch.approved === 0) break;
  }
  return { approved };
}

const byBeneficiary = (a: CommissionRecord, b: CommissionRecord): number =>
  a.beneficiaryId < b.beneficiaryId ? -1 : a.beneficiaryId > b.beneficiaryId ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
