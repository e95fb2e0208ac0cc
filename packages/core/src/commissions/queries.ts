import { type EngineContext, parse } from '../engine/context';
import { listInputSchema, recordIdSchema, userIdSchema } from '../engine/fields';
import type { CommissionRecord } from '../store/records';

/** Commissions whose beneficiary is this user, in the order created. */
export async function listCommissions(ctx: EngineContext, userId: string, page: { limit?: number } = {}): Promise<CommissionRecord[]> {
  const id = parse(userIdSchema, userId, 'userId');
  const { limit } = parse(listInputSchema, page);
  return ctx.read((work) => work.tx.commissions.listByBeneficiary(work.scope, id, { limit }));
}

/** One commission with how it was calculated, or null. */
export async function getCommission(ctx: EngineContext, commissionId: string): Promise<CommissionRecord | null> {
  const id = parse(recordIdSchema, commissionId, 'commissionId');
  return ctx.run((work) => work.tx.commissions.get(work.scope, id));
}
