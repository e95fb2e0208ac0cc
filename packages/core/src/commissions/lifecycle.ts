import { authorizeAction } from '../authorization/authorization';
import { type EngineContext, parse, SYSTEM } from '../engine/context';
import { newId } from '../engine/ids';
import { CommissionNotFoundError, InvalidTransitionError, ParticipantNotFoundError } from '../errors/errors';
import { type Balances, toBalances } from '../ledger/balances';
import { post } from '../ledger/post';
import type { CommissionRecord } from '../store/records';
import {
  type AdjustBalanceInput,
  type ApproveDueInput,
  adjustBalanceInputSchema,
  approveDueInputSchema,
  type DecideCommissionInput,
  decideCommissionInputSchema,
} from './inputs';
import { voidCommission } from './void';

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

/**
 * Admin: rejects a commission, by the same rule as a rejected review or
 * referral (`voidCommission`): its remaining amount leaves the balance it
 * sits in through a new ledger entry (a clawback once approved or paid),
 * and an open review of it is closed.
 */
export async function rejectCommission(ctx: EngineContext, input: DecideCommissionInput): Promise<CommissionRecord> {
  await authorizeAction(ctx, 'commission.reject', decideCommissionInputSchema, input, (d) => ({ type: 'commission', id: d.commissionId }));
  const data = parse(decideCommissionInputSchema, input);
  const { scope } = ctx;
  return ctx.run(async (work) => {
    const found = await work.tx.commissions.get(scope, data.commissionId);
    if (!found) throw new CommissionNotFoundError(data.commissionId);
    // Locks in the order decideReview and rejectReferral take them (the referrer, then the line, then its review), so they never wait on each other in a cycle.
    const referral = found.referralId === null ? null : await work.tx.referrals.get(scope, found.referralId);
    await work.tx.participants.get(scope, referral?.referrerId ?? found.beneficiaryId, { forUpdate: true });
    const c = (await work.tx.commissions.get(scope, found.id, { forUpdate: true })) ?? found;
    const rejected = await voidCommission(work, c, { type: 'admin', id: data.adminId }, data.reason, null);
    if (rejected === null) throw new InvalidTransitionError('commission', c.id, c.status, 'rejected');
    return rejected;
  });
}

/** Admin: a manual correction of a user's withdrawable balance, as a new ledger entry with the admin and the reason. */
export async function adjustBalance(ctx: EngineContext, input: AdjustBalanceInput): Promise<Balances> {
  await authorizeAction(ctx, 'balance.adjust', adjustBalanceInputSchema, input, (d) => ({ type: 'participant', id: d.userId }));
  const data = parse(adjustBalanceInputSchema, input);
  const { scope } = ctx;
  return ctx.run(async (work) => {
    const participant = await work.tx.participants.get(scope, data.userId, { forUpdate: true });
    if (!participant) throw new ParticipantNotFoundError(data.userId);
    await post(work, [
      {
        accountId: data.userId,
        moves: { withdrawable: data.amount },
        kind: 'adjustment',
        sourceType: 'adjustment',
        sourceId: newId('adj'),
        actor: { type: 'admin', id: data.adminId },
        reason: data.reason,
      },
    ]);
    return toBalances(ctx.program.currency, await work.tx.balances.get(scope, data.userId));
  });
}
