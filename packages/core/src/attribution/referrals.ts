import { type EngineContext, parse } from '../engine/context';
import { listInputSchema, userIdSchema } from '../engine/fields';
import type { ReferralRecord } from '../store/records';

/** The referral of a referee, or null. */
export async function getReferralByReferee(ctx: EngineContext, refereeId: string): Promise<ReferralRecord | null> {
  const id = parse(userIdSchema, refereeId, 'refereeId');
  return ctx.run((work) => work.tx.referrals.getByReferee(work.scope, id));
}

/** A referrer's referrals, oldest first. */
export async function listReferrals(ctx: EngineContext, referrerId: string, page: { limit?: number } = {}): Promise<ReferralRecord[]> {
  const id = parse(userIdSchema, referrerId, 'referrerId');
  const { limit } = parse(listInputSchema, page);
  return ctx.read((work) => work.tx.referrals.listByReferrer(work.scope, id, { limit }));
}
