import { type EngineContext, parse } from '../engine/context';
import { listInputSchema, userIdSchema } from '../engine/fields';
import type { LedgerEntryRecord } from '../store/records';
import { type Balances, toBalances } from './balances';

/** An account's balances by bucket (the referrer's, or a referee's welcome credit). */
export async function getBalances(ctx: EngineContext, userId: string): Promise<Balances> {
  const id = parse(userIdSchema, userId, 'userId');
  const row = await ctx.run((work) => work.tx.balances.get(work.scope, id));
  return toBalances(ctx.program.currency, row);
}

/** An account's ledger, in the order written. */
export async function listLedger(ctx: EngineContext, userId: string, page: { limit?: number } = {}): Promise<LedgerEntryRecord[]> {
  const id = parse(userIdSchema, userId, 'userId');
  const { limit } = parse(listInputSchema, page);
  return ctx.read((work) => work.tx.ledger.listByAccount(work.scope, id, { limit }));
}
