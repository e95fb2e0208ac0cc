import { type EngineContext, parse } from '../engine/context';
import type { CommissionRecord, LedgerEntryRecord } from '../store/records';
import { type HistoryInput, historyInputSchema } from './inputs';

/** A referrer's commissions (filtered by status and creation date), newest first by default; pass the last id as `cursor`. */
export async function commissionHistory(ctx: EngineContext, input: HistoryInput): Promise<CommissionRecord[]> {
  const data = parse(historyInputSchema, input);
  return ctx.read((work) =>
    work.tx.commissions.listByBeneficiary(ctx.scope, data.userId, {
      status: data.status,
      from: data.from,
      to: data.to,
      newestFirst: data.order === 'newest',
      limit: data.limit,
      cursor: data.cursor,
    }),
  );
}

/** A referrer's ledger lines (filtered by date), newest first by default; pass the last id as `cursor`. */
export async function ledgerHistory(ctx: EngineContext, input: HistoryInput): Promise<LedgerEntryRecord[]> {
  const data = parse(historyInputSchema, input);
  return ctx.read((work) =>
    work.tx.ledger.listByAccount(ctx.scope, data.userId, { from: data.from, to: data.to, newestFirst: data.order === 'newest', limit: data.limit, cursor: data.cursor }),
  );
}
