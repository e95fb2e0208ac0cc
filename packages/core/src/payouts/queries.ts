import { type EngineContext, parse } from '../engine/context';
import { listInputSchema, recordIdSchema, userIdSchema } from '../engine/fields';
import type { PayoutMethodRecord, PayoutRecord } from '../store/records';

export async function getPayoutMethod(ctx: EngineContext, userId: string): Promise<PayoutMethodRecord | null> {
  const id = parse(userIdSchema, userId, 'userId');
  return ctx.run((work) => work.tx.payoutMethods.get(work.scope, id));
}

export async function getPayout(ctx: EngineContext, payoutId: string): Promise<PayoutRecord | null> {
  const id = parse(recordIdSchema, payoutId, 'payoutId');
  return ctx.run((work) => work.tx.payouts.get(work.scope, id));
}

export async function listPayouts(ctx: EngineContext, userId: string, page: { limit?: number } = {}): Promise<PayoutRecord[]> {
  const id = parse(userIdSchema, userId, 'userId');
  const { limit } = parse(listInputSchema, page);
  return ctx.read((work) => work.tx.payouts.listByUser(work.scope, id, { limit }));
}
