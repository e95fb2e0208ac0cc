import { authorizeAction } from '../authorization/authorization';
import { type EngineContext, parse } from '../engine/context';
import { CommissionNotFoundError, InvalidTransitionError } from '../errors/errors';
import type { CommissionRecord } from '../store/records';
import { type DecideCommissionInput, decideCommissionInputSchema } from './inputs';
import { voidCommission } from './void';

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
