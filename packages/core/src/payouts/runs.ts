import { authorizeAction } from '../authorization/authorization';
import { type EngineContext, parse } from '../engine/context';
import { newId } from '../engine/ids';
import type { Work } from '../engine/work';
import { CurrencyMismatchError, PayoutRunConflictError } from '../errors/errors';
import type { Actor, PayoutRecord, PayoutRunRecord, PayoutRunResult, PayoutSkipReason } from '../store/records';
import { UNIQUE_CONSTRAINTS } from '../store/store';
import { type CreatePayoutRunInput, createPayoutRunInputSchema, runIdSchema } from './inputs';
import { reserve } from './steps';
import { taxGate } from './tax-profiles';

/** Payees read per page of candidates; each payee is one transaction of its own. */
const PAGE = 100;

/** What a run decided for one payee. */
type PayeeOutcome = { kind: 'none' } | { kind: 'included'; warned: boolean } | { kind: 'skipped'; reason: PayoutSkipReason; amount: number };

/**
 * Admin: a payout run. Every account whose money was withdrawable before
 * `before` (and still is) gets one approved payout of it, when that is at
 * least `minimum`; payees without a payout method, blocked by the tax-form
 * rule, with an open review, suspended or with an open payout are left out,
 * each with its reason in the run's result. The run id makes it idempotent:
 * the same id again returns the finished run, or finishes an interrupted one.
 * Two workers running one run at once make each payout once (the payee is
 * locked, and a run holds at most one payout per payee).
 */
export async function createPayoutRun(ctx: EngineContext, input: CreatePayoutRunInput): Promise<PayoutRunRecord> {
  const parsed = parse(createPayoutRunInputSchema, input);
  const data = { ...parsed, runId: parsed.runId ?? newId('run') };
  await authorizeAction(ctx, 'payout.run', createPayoutRunInputSchema, data, (d) => ({ type: 'payout_run', id: d.runId ?? data.runId }));
  if (data.currency !== undefined && data.currency !== ctx.program.currency) throw new CurrencyMismatchError(ctx.program.currency, data.currency);
  const { scope } = ctx;
  const actor: Actor = { type: 'admin', id: data.adminId };
  const minimum = data.minimum ?? ctx.program.payouts.minimumAmount;
  const run = await ctx.run(
    async (work) => {
      const existing = await work.tx.payoutRuns.get(scope, data.runId);
      if (existing) {
        if (existing.before.getTime() !== data.before.getTime() || existing.minimum !== minimum) throw new PayoutRunConflictError(data.runId);
        return existing;
      }
      const row: PayoutRunRecord = {
        programId: scope.programId,
        mode: scope.mode,
        id: data.runId,
        status: 'running',
        before: data.before,
        minimum,
        currency: ctx.program.currency,
        createdBy: data.adminId,
        createdAt: work.now(),
        completedAt: null,
        result: null,
      };
      await work.tx.payoutRuns.insert(row);
      await work.audit('payout_run', row.id, 'payout_run.started', actor, { after: 'running', data: { before: row.before.toISOString(), minimum } });
      return row;
    },
    // Two workers started the same run: the loser reads the winner's row.
    (error) => (error.constraint === UNIQUE_CONSTRAINTS.payoutRunId ? 'retry' : error),
  );
  if (run.status === 'completed') return run;

  const skipped: PayoutRunResult['skipped'] = [];
  const warnings: PayoutRunResult['warnings'] = [];
  for (let after: string | undefined; ; ) {
    const page = await ctx.run((work) => work.tx.balances.listWithdrawable(scope, { minimum: Math.max(run.minimum, 1), after, limit: PAGE }));
    for (const balance of page) {
      const outcome = await ctx.run(
        (work) => includePayee(work, run, balance.accountId, actor),
        // A payout of this run or another open payout committed meanwhile: decide again, seeing it.
        (error) => (error.constraint === UNIQUE_CONSTRAINTS.payoutRunPayee || error.constraint === UNIQUE_CONSTRAINTS.payoutOpen ? 'retry' : error),
      );
      if (outcome.kind === 'skipped') skipped.push({ userId: balance.accountId, amount: outcome.amount, reason: outcome.reason });
      if (outcome.kind === 'included' && outcome.warned) warnings.push({ userId: balance.accountId, reason: 'tax_profile_unverified' });
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.accountId;
  }

  return ctx.run(async (work) => {
    const current = (await work.tx.payoutRuns.get(scope, run.id, { forUpdate: true })) ?? run;
    if (current.status === 'completed') return current;
    const payouts = await work.tx.payouts.listByRun(scope, run.id);
    const result: PayoutRunResult = {
      payouts: payouts.map((p) => ({ payoutId: p.id, userId: p.userId, amount: p.amount })),
      skipped,
      warnings,
      total: payouts.reduce((sum, p) => sum + p.amount, 0),
    };
    const patch = { status: 'completed' as const, completedAt: work.now(), result };
    await work.tx.payoutRuns.update(scope, run.id, patch);
    await work.audit('payout_run', run.id, 'payout_run.completed', actor, {
      before: 'running',
      after: 'completed',
      data: { payouts: result.payouts.length, skipped: skipped.length, total: result.total },
    });
    return { ...current, ...patch };
  });
}

/**
 * One payee of a run, in one transaction with the payee locked: the amount
 * withdrawable before the cut-off and still withdrawable now, the checks in
 * order, then an approved payout of the run.
 */
async function includePayee(work: Work, run: PayoutRunRecord, userId: string, actor: Actor): Promise<PayeeOutcome> {
  const { scope, tx } = work;
  const participant = await tx.participants.get(scope, userId, { forUpdate: true });
  if (!participant) return { kind: 'none' };
  if (await tx.payouts.getByRun(scope, run.id, userId)) return { kind: 'included', warned: false };
  const withdrawable = (await tx.balances.get(scope, userId))?.withdrawable ?? 0;
  const since = (await tx.ledger.sumSince(scope, userId, run.before)).withdrawable ?? 0;
  const amount = Math.min(withdrawable, withdrawable - since);
  if (amount < Math.max(run.minimum, 1)) return { kind: 'none' };
  const skip = (reason: PayoutSkipReason): PayeeOutcome => ({ kind: 'skipped', reason, amount });
  if (participant.status === 'suspended') return skip('participant_suspended');
  if (await tx.payouts.getOpen(scope, userId)) return skip('payout_open');
  const method = await tx.payoutMethods.get(scope, userId);
  if (!method) return skip('no_payout_method');
  const gate = await taxGate(work, userId, amount);
  if (gate === 'block') return skip('tax_profile_blocked');
  if (await tx.reviews.hasOpenForReferrer(scope, userId)) return skip('under_review');
  const now = work.now();
  const payout: PayoutRecord = {
    programId: scope.programId,
    mode: scope.mode,
    id: newId('pay'),
    userId,
    amount,
    status: 'approved',
    method: method.method,
    statusReason: null,
    externalReference: null,
    requestedAt: now,
    decidedAt: now,
    decidedBy: actor.id,
    paidAt: null,
    updatedAt: now,
    runId: run.id,
    attempts: 0,
    idempotencyKey: null,
    batchId: null,
    leaseUntil: null,
  };
  await tx.payouts.insert(payout);
  await reserve(work, payout, actor, 'payout_request');
  await work.audit('payout', payout.id, 'payout.approved', actor, { after: 'approved', notify: userId, data: { amount, runId: run.id } });
  return { kind: 'included', warned: gate === 'warn' };
}

/** A payout run, or null. */
export async function getPayoutRun(ctx: EngineContext, runId: string): Promise<PayoutRunRecord | null> {
  const id = parse(runIdSchema, runId, 'runId');
  return ctx.run((work) => work.tx.payoutRuns.get(work.scope, id));
}
