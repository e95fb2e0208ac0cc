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
} from '../errors/errors';
import { post } from '../ledger/post';
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

/**
 * Where a future integration sends money. onehop ships none: payouts are
 * approved and marked paid by an admin with the provider's reference.
 */
export interface PayoutProvider {
  readonly name: string;
  /** Sends the payout; returns the provider's reference for `markPayoutPaid`. */
  send(payout: PayoutRecord, method: PayoutMethod): Promise<{ externalReference: string }>;
}

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
      };
      await work.tx.payouts.insert(payout);
      const actor: Actor = { type: 'user', id: data.userId };
      await post(work, [
        {
          accountId: data.userId,
          moves: { withdrawable: -amount, requested: amount },
          kind: 'payout_request',
          payoutId: payout.id,
          sourceType: 'payout',
          sourceId: payout.id,
          actor,
        },
      ]);
      let covered = 0;
      for (const c of await work.tx.commissions.listUnallocated(scope, data.userId)) {
        const net = c.amount - c.reversedAmount;
        if (covered + net > amount) break;
        covered += net;
        await work.tx.commissions.update(scope, c.id, { payoutId: payout.id, updatedAt: now });
      }
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
  apply: (work: Work, payout: PayoutRecord) => Promise<Partial<PayoutRecord>>,
): Promise<PayoutRecord> {
  return ctx.run(async (work) => {
    const payout = await work.tx.payouts.get(ctx.scope, payoutId, { forUpdate: true });
    if (!payout) throw new PayoutNotFoundError(payoutId);
    if (!from.includes(payout.status)) throw new InvalidTransitionError('payout', payoutId, payout.status, to);
    const now = ctx.clock.now();
    const patch: Partial<PayoutRecord> = { status: to, updatedAt: now, decidedAt: now, decidedBy: actor.id, statusReason: reason, ...(await apply(work, payout)) };
    await work.tx.payouts.update(ctx.scope, payoutId, patch);
    await work.audit('payout', payoutId, `payout.${to}`, actor, { before: payout.status, after: to, reason, notify: payout.userId, data: { amount: payout.amount } });
    return { ...payout, ...patch };
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
    await post(work, [
      {
        accountId: payout.userId,
        moves: { requested: -payout.amount, withdrawable: payout.amount },
        kind: 'payout_rejection',
        payoutId: payout.id,
        sourceType: 'payout',
        sourceId: payout.id,
        actor,
        reason: data.reason,
      },
    ]);
    for (const c of await work.tx.commissions.listByPayout(ctx.scope, payout.id)) {
      await work.tx.commissions.update(ctx.scope, c.id, { payoutId: null, updatedAt: ctx.clock.now() });
    }
    return {};
  });
}

/** Admin: records that an approved payout was sent, with the bank's or provider's reference. */
export async function markPayoutPaid(ctx: EngineContext, input: MarkPayoutPaidInput): Promise<PayoutRecord> {
  await authorizeAction(ctx, 'payout.markPaid', markPayoutPaidInputSchema, input, (d) => ({ type: 'payout', id: d.payoutId }));
  const data = parse(markPayoutPaidInputSchema, input);
  const actor: Actor = { type: 'admin', id: data.adminId };
  return decide(ctx, data.payoutId, ['approved'], 'paid', actor, null, async (work, payout) => {
    const now = ctx.clock.now();
    await post(work, [
      {
        accountId: payout.userId,
        moves: { requested: -payout.amount, paid: payout.amount },
        kind: 'payout_paid',
        payoutId: payout.id,
        sourceType: 'payout',
        sourceId: data.externalReference,
        actor,
      },
    ]);
    for (const c of await work.tx.commissions.listByPayout(ctx.scope, payout.id)) {
      if (c.status !== 'approved') continue;
      await work.tx.commissions.update(ctx.scope, c.id, { status: 'paid', paidAt: now, updatedAt: now });
      await work.audit('commission', c.id, 'commission.paid', actor, {
        before: 'approved',
        after: 'paid',
        sourceEvent: payout.id,
        notify: c.beneficiaryId,
        data: { amount: c.amount - c.reversedAmount, payoutId: payout.id },
      });
    }
    return { externalReference: data.externalReference, paidAt: now };
  });
}
