import { authorizeAction } from '../authorization/authorization';
import { type PayoutsByStatusInput, payoutsByStatusInputSchema } from '../dashboard/inputs';
import { type EngineContext, parse } from '../engine/context';
import { newId } from '../engine/ids';
import type { Work } from '../engine/work';
import {
  InsufficientBalanceError,
  InvalidTransitionError,
  ParticipantNotFoundError,
  PayoutAlreadyOpenError,
  PayoutBelowMinimumError,
  PayoutMethodMissingError,
  PayoutNotFoundError,
  TaxProfileRequiredError,
} from '../errors/errors';
import type { Actor, PayoutMethod, PayoutMethodRecord, PayoutRecord, PayoutStatus } from '../store/records';
import { UNIQUE_CONSTRAINTS } from '../store/store';
import {
  type ApprovePayoutInput,
  approvePayoutInputSchema,
  type MarkPayoutPaidInput,
  markPayoutPaidInputSchema,
  type RejectPayoutInput,
  type RequestPayoutInput,
  rejectPayoutInputSchema,
  requestPayoutInputSchema,
  type SetPayoutMethodInput,
  setPayoutMethodInputSchema,
} from './inputs';

import { type PayoutPatch, payOut, release, reserve, transition } from './steps';
import { taxGate } from './tax-profiles';

/** Stores how a participant wants to be paid (validated; no provider is called). */
export async function setPayoutMethod(ctx: EngineContext, input: SetPayoutMethodInput): Promise<PayoutMethodRecord> {
  const data = parse(setPayoutMethodInputSchema, input);
  return ctx.run(async (work) => {
    if (!(await work.tx.participants.get(ctx.scope, data.userId))) throw new ParticipantNotFoundError(data.userId);
    const row: PayoutMethodRecord = {
      programId: ctx.scope.programId,
      mode: ctx.scope.mode,
      userId: data.userId,
      method: data.method as PayoutMethod,
      updatedAt: ctx.clock.now(),
    };
    await work.tx.payoutMethods.put(row);
    return row;
  });
}

/**
 * A participant asks to be paid: at least the program minimum, at most the
 * withdrawable balance (the whole of it when no amount is given), one open
 * request at a time. Approved commissions are allocated to it oldest first.
 */
export async function requestPayout(ctx: EngineContext, input: RequestPayoutInput): Promise<PayoutRecord> {
  const data = parse(requestPayoutInputSchema, input);
  const { scope } = ctx;
  return ctx.run(
    async (work) => {
      // Serialises payout requests of one user: the check below and the debit are one step.
      const participant = await work.tx.participants.get(scope, data.userId, { forUpdate: true });
      if (!participant) throw new ParticipantNotFoundError(data.userId);
      const open = await work.tx.payouts.getOpen(scope, data.userId);
      if (open) throw new PayoutAlreadyOpenError(data.userId, open.id);
      const method = await work.tx.payoutMethods.get(scope, data.userId);
      if (!method) throw new PayoutMethodMissingError(data.userId);
      const withdrawable = (await work.tx.balances.get(scope, data.userId))?.withdrawable ?? 0;
      const amount = data.amount ?? withdrawable;
      if (amount <= 0 || amount > withdrawable) throw new InsufficientBalanceError(data.amount ?? null, Math.max(0, withdrawable), Math.max(0, -withdrawable));
      const minimum = ctx.program.payouts.minimumAmount;
      if (amount < minimum) throw new PayoutBelowMinimumError(amount, minimum);
      if ((await taxGate(work, data.userId, amount)) === 'block')
        throw new TaxProfileRequiredError(data.userId, (await work.tx.taxProfiles.get(scope, data.userId))?.status ?? 'none');
      const now = ctx.clock.now();
      const payout: PayoutRecord = {
        programId: scope.programId,
        mode: scope.mode,
        id: newId('pay'),
        userId: data.userId,
        amount,
        status: 'requested',
        method: method.method,
        statusReason: null,
        externalReference: null,
        requestedAt: now,
        decidedAt: null,
        decidedBy: null,
        paidAt: null,
        updatedAt: now,
        runId: null,
        attempts: 0,
        idempotencyKey: null,
        batchId: null,
        leaseUntil: null,
      };
      await work.tx.payouts.insert(payout);
      const actor: Actor = { type: 'user', id: data.userId };
      await reserve(work, payout, actor, 'payout_request');
      await work.audit('payout', payout.id, 'payout.requested', actor, { after: 'requested', data: { amount }, notify: data.userId });
      return payout;
    },
    (error) => (error.constraint === UNIQUE_CONSTRAINTS.payoutOpen ? 'retry' : error),
  );
}

async function decide(
  ctx: EngineContext,
  payoutId: string,
  from: readonly PayoutStatus[],
  to: PayoutStatus,
  actor: Actor,
  reason: string | null,
  apply: (work: Work, payout: PayoutRecord) => Promise<PayoutPatch>,
): Promise<PayoutRecord> {
  return ctx.run(async (work) => {
    const payout = await work.tx.payouts.get(ctx.scope, payoutId, { forUpdate: true });
    if (!payout) throw new PayoutNotFoundError(payoutId);
    if (!from.includes(payout.status)) throw new InvalidTransitionError('payout', payoutId, payout.status, to);
    const now = ctx.clock.now();
    const patch = { status: to, updatedAt: now, decidedAt: now, decidedBy: actor.id, statusReason: reason, ...(await apply(work, payout)) };
    return transition(work, payout, patch, actor, { reason });
  });
}

/** Admin: the program's payouts with one status (the approval queue is `requested`), oldest request first; pass the last id as `cursor`. */
export async function payoutsByStatus(ctx: EngineContext, input: PayoutsByStatusInput): Promise<PayoutRecord[]> {
  const data = parse(payoutsByStatusInputSchema, input);
  return ctx.read((work) => work.tx.payouts.listByStatus(ctx.scope, data.status, { limit: data.limit, cursor: data.cursor }));
}

/** Admin: approves a requested payout. */
export async function approvePayout(ctx: EngineContext, input: ApprovePayoutInput): Promise<PayoutRecord> {
  await authorizeAction(ctx, 'payout.approve', approvePayoutInputSchema, input, (d) => ({ type: 'payout', id: d.payoutId }));
  const data = parse(approvePayoutInputSchema, input);
  return decide(ctx, data.payoutId, ['requested'], 'approved', { type: 'admin', id: data.adminId }, data.reason ?? null, async () => ({}));
}

/** Admin: rejects a requested or approved payout; the amount returns to the withdrawable balance. */
export async function rejectPayout(ctx: EngineContext, input: RejectPayoutInput): Promise<PayoutRecord> {
  await authorizeAction(ctx, 'payout.reject', rejectPayoutInputSchema, input, (d) => ({ type: 'payout', id: d.payoutId }));
  const data = parse(rejectPayoutInputSchema, input);
  const actor: Actor = { type: 'admin', id: data.adminId };
  return decide(ctx, data.payoutId, ['requested', 'approved'], 'rejected', actor, data.reason, async (work, payout) => {
    await release(work, payout, actor, 'payout_rejection', data.reason);
    return {};
  });
}

/** Admin: records that an approved (or processing) payout was sent, with the bank's or provider's reference. */
export async function markPayoutPaid(ctx: EngineContext, input: MarkPayoutPaidInput): Promise<PayoutRecord> {
  await authorizeAction(ctx, 'payout.markPaid', markPayoutPaidInputSchema, input, (d) => ({ type: 'payout', id: d.payoutId }));
  const data = parse(markPayoutPaidInputSchema, input);
  const actor: Actor = { type: 'admin', id: data.adminId };
  return decide(ctx, data.payoutId, ['approved', 'processing'], 'paid', actor, null, async (work, payout) => {
    await payOut(work, payout, actor, data.externalReference);
    return { externalReference: data.externalReference, paidAt: ctx.clock.now(), leaseUntil: null };
  });
}
