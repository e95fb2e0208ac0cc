import { authorizeAction } from '../authorization/authorization';
import { type EngineContext, parse } from '../engine/context';
import { newId } from '../engine/ids';
import { ParticipantNotFoundError } from '../errors/errors';
import { type Balances, toBalances } from '../ledger/balances';
import { post } from '../ledger/post';
import { type AdjustBalanceInput, adjustBalanceInputSchema } from './inputs';

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
