import { type EngineContext, parse } from '../engine/context';
import type { Bucket, LedgerEntryRecord } from '../store/records';
import { BUCKETS } from '../store/records';
import { type StatementInput, statementInputSchema } from './inputs';
import { requireParticipant } from './shared';

export interface Statement {
  userId: string;
  currency: string;
  from: Date;
  to: Date;
  /** Each bucket at `from`, the entries of [from, to), and each bucket at `to`: closing = opening + the entries. */
  opening: Record<Bucket, number>;
  entries: LedgerEntryRecord[];
  closing: Record<Bucket, number>;
}

const STATEMENT_PAGE = 1000;

/**
 * A referrer's balance statement for [from, to). The opening balance is the
 * current balance less every entry since `from`, so the call reads the
 * account's recent entries, never its whole history.
 */
export async function statement(ctx: EngineContext, input: StatementInput): Promise<Statement> {
  const data = parse(statementInputSchema, input);
  return ctx.read(async (work) => {
    await requireParticipant(work, data.userId);
    const balance = await work.tx.balances.get(ctx.scope, data.userId);
    const since = await work.tx.ledger.sumSince(ctx.scope, data.userId, data.from);
    const opening = {} as Record<Bucket, number>;
    for (const bucket of BUCKETS) opening[bucket] = (balance?.[bucket] ?? 0) - (since[bucket] ?? 0);
    const entries: LedgerEntryRecord[] = [];
    for (let cursor: string | undefined; ; ) {
      const page = await work.tx.ledger.listByAccount(ctx.scope, data.userId, { from: data.from, to: data.to, limit: STATEMENT_PAGE, cursor });
      entries.push(...page);
      if (page.length < STATEMENT_PAGE) break;
      cursor = page[page.length - 1]!.id;
    }
    const closing = { ...opening };
    for (const e of entries) closing[e.bucket] += e.amount;
    return { userId: data.userId, currency: ctx.program.currency, from: data.from, to: data.to, opening, entries, closing };
  });
}
