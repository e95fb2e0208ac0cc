import { authorizeAction } from '../authorization/authorization';
import { type EngineContext, parse, SYSTEM } from '../engine/context';
import { newId } from '../engine/ids';
import type { Work } from '../engine/work';
import {
  InsufficientBalanceError,
  InvalidTransitionError,
  PayoutAlreadyOpenError,
  PayoutNotFoundError,
  TaxProfileRequiredError,
  ValidationError,
} from '../errors/errors';
import type { Actor, PayoutMethod, PayoutRecord } from '../store/records';
import { type RetryPayoutInput, retryPayoutInputSchema, type SendPayoutsInput, type SettlePayoutInput, sendPayoutsInputSchema, settlePayoutInputSchema } from './inputs';
import type { PayoutProvider, PayoutSendOutcome, PayoutSendRequest } from './provider';
import { payOut, release, reserve, transition } from './steps';
import { taxGate } from './tax-profiles';

/** How one attempt of `sendPayouts` ended for one payout; `unknown` when the provider threw (sent again with the same key). */
export interface PayoutSendResult {
  payoutId: string;
  attempt: number;
  idempotencyKey: string;
  status: 'paid' | 'processing' | 'failed' | 'unknown';
  /** The provider's reason of a failure, or the message of what it threw. */
  reason?: string;
}

/** What one `sendPayouts` call did. */
export interface SendPayoutsResult {
  /** Payouts sent (or sent again), each with its outcome. */
  payouts: PayoutSendResult[];
  paid: number;
  processing: number;
  failed: number;
  unknown: number;
}

/** An attempt recorded before the provider is called. */
interface Attempt {
  request: PayoutSendRequest;
  provider: PayoutProvider;
  batchId: string | null;
}

/**
 * Sends approved payouts through the configured providers, one per method
 * type. First, in one transaction, it claims up to `limit` payouts and
 * records each attempt (processing, attempt number, idempotency key, batch
 * and a lease); only then it calls the providers, and records each outcome in
 * a transaction of its own. A payout whose previous attempt ended without an
 * answer (the provider threw, or the process died after sending) is sent
 * again with the same key once its lease ended, so the provider pays it once.
 * Safe to run from several workers at once: claims skip payouts another
 * worker holds.
 */
export async function sendPayouts(ctx: EngineContext, providers: ReadonlyMap<string, PayoutProvider>, input: SendPayoutsInput = {}): Promise<SendPayoutsResult> {
  const { limit } = parse(sendPayoutsInputSchema, input);
  const result: SendPayoutsResult = { payouts: [], paid: 0, processing: 0, failed: 0, unknown: 0 };
  if (providers.size === 0) return result;
  const attempts = await ctx.run((work) => claim(work, providers, limit));

  const outcomes = new Map<Attempt, PayoutSendOutcome | Error>();
  const batches = new Map<string, Attempt[]>();
  for (const attempt of attempts) {
    if (attempt.batchId === null) outcomes.set(attempt, await settleCall(() => attempt.provider.send(attempt.request)));
    else batches.set(attempt.batchId, [...(batches.get(attempt.batchId) ?? []), attempt]);
  }
  for (const [batchId, members] of batches) {
    const provider = members[0]!.provider;
    const answer = await settleCall(() =>
      provider.sendBatch!(
        members.map((m) => m.request),
        { batchId },
      ),
    );
    members.forEach((member, i) => {
      const one = answer instanceof Error ? answer : (answer[i] ?? new Error(`the provider answered ${answer.length} outcomes for ${members.length} payouts`));
      outcomes.set(member, one);
    });
  }

  for (const [attempt, outcome] of outcomes) {
    const { payout, idempotencyKey } = attempt.request;
    const status = await ctx.run((work) => recordOutcome(work, payout.id, idempotencyKey, outcome));
    const entry: PayoutSendResult = { payoutId: payout.id, attempt: attempt.request.attempt, idempotencyKey, status };
    if (outcome instanceof Error) entry.reason = outcome.message;
    else if (outcome.status === 'failed') entry.reason = outcome.reason;
    result.payouts.push(entry);
    result[status] += 1;
  }
  return result;
}

/** The provider's answer, or what it threw (an unknown outcome). */
async function settleCall<T>(call: () => Promise<T>): Promise<T | Error> {
  try {
    return await call();
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Claims payouts and records their attempts, before any provider is called. */
async function claim(work: Work, providers: ReadonlyMap<string, PayoutProvider>, limit: number): Promise<Attempt[]> {
  const now = work.now();
  const leaseUntil = new Date(now.getTime() + work.program.payouts.sendLeaseSeconds * 1000);
  const claimed = await work.tx.payouts.claimSendable(work.scope, { now, methodTypes: [...providers.keys()], limit });
  const newBatches = new Map<string, string>();
  const attempts: Attempt[] = [];
  for (const payout of claimed) {
    const method = payout.method as PayoutMethod;
    const provider = providers.get(method.type);
    if (provider === undefined) continue;
    let current: PayoutRecord;
    if (payout.status === 'approved') {
      const attempt = payout.attempts + 1;
      let batchId: string | null = null;
      if (provider.sendBatch !== undefined) {
        // One batch (one bank file) per run and method type.
        const group = `${payout.runId ?? ''}\u0000${method.type}`;
        batchId = newBatches.get(group) ?? newId('bat');
        newBatches.set(group, batchId);
      }
      const patch = {
        status: 'processing' as const,
        attempts: attempt,
        idempotencyKey: `${payout.id}:${attempt}`,
        batchId,
        leaseUntil,
        statusReason: null,
        updatedAt: now,
      };
      current = await transition(work, payout, patch, SYSTEM, { reason: null, data: { attempt } });
    } else {
      // The last attempt's outcome is unknown: the same attempt again, same key, same batch.
      await work.tx.payouts.update(work.scope, payout.id, { leaseUntil, updatedAt: now });
      current = { ...payout, leaseUntil, updatedAt: now };
    }
    const request: PayoutSendRequest = { payout: current, method, idempotencyKey: current.idempotencyKey!, attempt: current.attempts };
    attempts.push({ request, provider, batchId: provider.sendBatch !== undefined ? current.batchId : null });
  }
  return attempts;
}

/**
 * Records a provider's answer to one attempt, unless the payout moved on
 * meanwhile (settled by a webhook or an admin): paid, processing (waiting for
 * `settlePayout`), failed (the money withdrawable again), or, for an unknown
 * outcome, still processing with its lease released, to be sent again with
 * the same key.
 */
async function recordOutcome(work: Work, payoutId: string, key: string, outcome: PayoutSendOutcome | Error): Promise<PayoutSendResult['status']> {
  const payout = await work.tx.payouts.get(work.scope, payoutId, { forUpdate: true });
  const answered = outcome instanceof Error ? 'unknown' : outcome.status;
  if (payout?.status !== 'processing' || payout.idempotencyKey !== key) return answered;
  const now = work.now();
  const data = { attempt: payout.attempts };
  if (outcome instanceof Error) {
    await work.tx.payouts.update(work.scope, payoutId, { leaseUntil: null, statusReason: 'outcome unknown: sent again with the same key', updatedAt: now });
  } else if (outcome.status === 'paid') {
    await payOut(work, payout, SYSTEM, outcome.externalReference);
    await transition(
      work,
      payout,
      { status: 'paid', externalReference: outcome.externalReference, paidAt: now, leaseUntil: null, statusReason: null, updatedAt: now },
      SYSTEM,
      { reason: null, data },
    );
  } else if (outcome.status === 'processing') {
    await work.tx.payouts.update(work.scope, payoutId, { externalReference: outcome.externalReference, leaseUntil: null, statusReason: null, updatedAt: now });
  } else {
    await fail(work, payout, SYSTEM, outcome.reason, { ...data, retryable: outcome.retryable });
  }
  return answered;
}

/** A payout failed: its money withdrawable again, the reason on the payout (not in the audit trail: it is the provider's text). */
async function fail(work: Work, payout: PayoutRecord, actor: Actor, reason: string, data: Record<string, unknown>): Promise<PayoutRecord> {
  await release(work, payout, actor, 'payout_failure', null);
  return transition(work, payout, { status: 'failed', statusReason: reason, leaseUntil: null, updatedAt: work.now() }, actor, { reason: null, data });
}

/**
 * Settles a processing payout when the provider's webhook or the admin (the
 * bank executed the file) knows the outcome: `paid` with the reference, or
 * `failed` with the reason (the money is withdrawable again). Settling again
 * with the same outcome returns the payout unchanged, so webhook redeliveries
 * are harmless.
 */
export async function settlePayout(ctx: EngineContext, input: SettlePayoutInput): Promise<PayoutRecord> {
  await authorizeAction(ctx, 'payout.settle', settlePayoutInputSchema, input, (d) => ({ type: 'payout', id: d.payoutId }));
  const data = parse(settlePayoutInputSchema, input);
  const actor: Actor = data.adminId === undefined ? SYSTEM : { type: 'admin', id: data.adminId };
  return ctx.run(async (work) => {
    const payout = await work.tx.payouts.get(ctx.scope, data.payoutId, { forUpdate: true });
    if (!payout) throw new PayoutNotFoundError(data.payoutId);
    if (payout.status === data.outcome) return payout;
    if (payout.status !== 'processing') throw new InvalidTransitionError('payout', payout.id, payout.status, data.outcome);
    const attemptData = { attempt: payout.attempts };
    if (data.outcome === 'failed') return fail(work, payout, actor, data.reason!, attemptData);
    const reference = data.externalReference ?? payout.externalReference;
    if (reference === null) {
      throw new ValidationError([{ field: 'externalReference', message: 'is required: the provider gave none for this payout' }], {
        hint: "Pass the bank's or provider's reference of the transfer.",
      });
    }
    const now = work.now();
    await payOut(work, payout, actor, reference);
    return transition(
      work,
      payout,
      { status: 'paid', externalReference: reference, paidAt: now, leaseUntil: null, statusReason: null, updatedAt: now, decidedAt: now, decidedBy: actor.id },
      actor,
      { reason: null, data: attemptData },
    );
  });
}

/**
 * Admin: sends a failed payout again. Its amount is taken from the
 * withdrawable balance once more and it is approved; the next `sendPayouts`
 * makes a new attempt, with a new idempotency key (the provider said the
 * last one paid nothing).
 */
export async function retryPayout(ctx: EngineContext, input: RetryPayoutInput): Promise<PayoutRecord> {
  await authorizeAction(ctx, 'payout.retry', retryPayoutInputSchema, input, (d) => ({ type: 'payout', id: d.payoutId }));
  const data = parse(retryPayoutInputSchema, input);
  const { scope } = ctx;
  const actor: Actor = { type: 'admin', id: data.adminId };
  return ctx.run(async (work) => {
    const found = await work.tx.payouts.get(scope, data.payoutId);
    if (!found) throw new PayoutNotFoundError(data.payoutId);
    // Participant first, then the payout: the lock order of every payout call.
    await work.tx.participants.get(scope, found.userId, { forUpdate: true });
    const payout = (await work.tx.payouts.get(scope, data.payoutId, { forUpdate: true }))!;
    if (payout.status !== 'failed') throw new InvalidTransitionError('payout', payout.id, payout.status, 'approved');
    if (payout.method.type === 'erased') throw new InvalidTransitionError('payout', payout.id, 'erased', 'approved');
    const open = await work.tx.payouts.getOpen(scope, payout.userId);
    if (open) throw new PayoutAlreadyOpenError(payout.userId, open.id);
    const withdrawable = (await work.tx.balances.get(scope, payout.userId))?.withdrawable ?? 0;
    if (withdrawable < payout.amount) throw new InsufficientBalanceError(payout.amount, Math.max(0, withdrawable), Math.max(0, -withdrawable));
    if ((await taxGate(work, payout.userId, payout.amount)) === 'block') {
      throw new TaxProfileRequiredError(payout.userId, (await work.tx.taxProfiles.get(scope, payout.userId))?.status ?? 'none');
    }
    await reserve(work, payout, actor, 'payout_retry');
    const now = work.now();
    const patch = {
      status: 'approved' as const,
      statusReason: data.reason ?? null,
      batchId: null,
      leaseUntil: null,
      decidedAt: now,
      decidedBy: actor.id,
      updatedAt: now,
    };
    return transition(work, payout, patch, actor, { reason: data.reason ?? null, data: { retry: true } });
  });
}
