import { type ProgramConfig, parseProgramConfig } from '../config/program';
import { type EngineContext, parse } from '../engine/context';
import type { Work } from '../engine/work';
import { ValidationError } from '../errors/errors';
import type { CommissionRecord, ParticipantRecord, ReferralRecord, SourceEventKind, SourceEventRecord } from '../store/records';
import { type SimulatePlanInput, simulatePlanInputSchema } from './inputs';
import { PlanReplay, replayOrder } from './replay';

/** What one participant, or the whole program, was paid and would have been paid in the period, in the program's currency. */
export interface PlanFigures {
  /** Net of the lines the period's purchases accrued and what its refunds, chargebacks, reinstatements and cancellations moved, as recorded. */
  actual: number;
  /** The same under the candidate configuration. */
  simulated: number;
  /** `simulated - actual`. */
  difference: number;
}

/** The answer of `simulatePlan`. */
export interface PlanSimulation {
  from: Date;
  to: Date;
  /** The program's currency: every figure is in its minor units. */
  currency: string;
  /** The purchases, refunds, chargebacks, reinstatements and cancellations that occurred in the period. */
  events: number;
  total: PlanFigures;
  /** Every participant whose money an event of the period moved, in either plan, by user id. */
  participants: (PlanFigures & { participantId: string })[];
}

/**
 * The plan dry-run: replays the recorded purchases, refunds and chargebacks
 * (and reinstatements and cancellations) through the decide step under a
 * candidate configuration and compares, per participant and in total, what
 * the period's events moved with what they would have moved. Writes nothing.
 *
 * Every recorded event is replayed (those that occurred after `to` too), from the program's
 * first, so tiers, caps and milestones stand where the candidate would have
 * put them; only the events from `from` on are counted. Facts no
 * configuration changes are taken from what was recorded (see `PlanReplay`);
 * sign-up accruals (`qualifyOn: 'signup'`) and admin decisions (rejections,
 * adjustments) are not replayed. The events are read into memory.
 */
/** The events a dry-run replays: all but bonuses, which the engine decides again as it replays the purchases. */
const REPLAYED_KINDS = ['purchase', 'refund', 'chargeback', 'reinstatement', 'cancellation'] as const satisfies readonly SourceEventKind[];

export async function simulatePlan(ctx: EngineContext, input: SimulatePlanInput): Promise<PlanSimulation> {
  const data = parse(simulatePlanInputSchema, input);
  const candidate = candidateProgram(ctx.program, data.config);
  const { scope } = ctx;
  return ctx.read(async (work) => {
    // Every recorded event is replayed, those that occurred after the period too: a live decision saw each
    // event recorded before it, whenever that event occurred (a late delivery), so caps and tiers need them all.
    const events = [...(await work.tx.events.listByKinds(scope, REPLAYED_KINDS))].sort(replayOrder);
    const inPeriod = (e: SourceEventRecord) => e.occurredAt.getTime() >= data.from.getTime() && e.occurredAt.getTime() < data.to.getTime();
    const figures = new Map<string, PlanFigures>();
    const add = (participantId: string, field: 'actual' | 'simulated', amount: number) => {
      let f = figures.get(participantId);
      if (!f) figures.set(participantId, (f = { actual: 0, simulated: 0, difference: 0 }));
      f[field] += amount;
    };

    const { referrals, referrers } = await subjectsOf(work, events);
    new PlanReplay(candidate, scope, referrals, referrers, (participantId, amount, event) => {
      if (inPeriod(event)) add(participantId, 'simulated', amount);
    }).replay(events);

    const lines = new Map<string, CommissionRecord>();
    const beneficiaryOf = async (commissionId: string) => {
      let line = lines.get(commissionId);
      if (!line) {
        line = (await work.tx.commissions.get(scope, commissionId)) ?? undefined;
        if (line) lines.set(commissionId, line);
      }
      return line?.beneficiaryId ?? null;
    };
    const moved = async (entries: unknown, sign: 1 | -1) => {
      for (const { commissionId, amount } of (entries as { commissionId: string; amount: number }[] | undefined) ?? []) {
        const owner = await beneficiaryOf(commissionId);
        if (owner !== null) add(owner, 'actual', sign * amount);
      }
    };
    let counted = 0;
    for (const event of events) {
      if (!inPeriod(event)) continue;
      counted++;
      if (event.kind === 'purchase') {
        const stored = await work.tx.events.getWithCommissions(scope, 'purchase', event.eventId);
        for (const c of stored?.commissions ?? []) {
          lines.set(c.id, c);
          add(c.beneficiaryId, 'actual', c.amount);
        }
      } else if (event.kind === 'reinstatement') {
        await moved(event.result.reinstatements, 1);
      } else {
        await moved(event.result.reversals, -1);
      }
    }

    const participants = [...figures]
      .map(([participantId, f]) => ({ participantId, actual: f.actual, simulated: f.simulated, difference: f.simulated - f.actual }))
      .filter((p) => p.actual !== 0 || p.simulated !== 0)
      .sort((a, b) => (a.participantId < b.participantId ? -1 : a.participantId > b.participantId ? 1 : 0));
    const actual = participants.reduce((sum, p) => sum + p.actual, 0);
    const simulated = participants.reduce((sum, p) => sum + p.simulated, 0);
    return {
      from: data.from,
      to: data.to,
      currency: ctx.program.currency,
      events: counted,
      total: { actual, simulated, difference: simulated - actual },
      participants,
    };
  });
}

/** The candidate configuration, validated as `createOnehop` validates one, in the live program's scope; its currency must be the program's. */
function candidateProgram(live: ProgramConfig, config: SimulatePlanInput['config']): ProgramConfig {
  let candidate: ProgramConfig;
  try {
    candidate = parseProgramConfig({ ...config, id: live.id, mode: live.mode });
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new ValidationError(
        error.issues.map((i) => ({ ...i, field: i.field.replace(/^program\b/, 'config') })),
        { hint: 'Fix the candidate configuration (the form createOnehop takes) and call again; nothing was written.' },
      );
    }
    throw error;
  }
  if (candidate.currency !== live.currency) {
    throw new ValidationError([{ field: 'config.currency', message: `must be the program's currency, ${live.currency}: recorded amounts are in it` }]);
  }
  return candidate;
}

/** The stored referrals and referrers of the replayed events, each read once. */
async function subjectsOf(
  work: Work,
  events: readonly SourceEventRecord[],
): Promise<{ referrals: Map<string, ReferralRecord>; referrers: Map<string, ParticipantRecord> }> {
  const referrals = new Map<string, ReferralRecord>();
  const referrers = new Map<string, ParticipantRecord>();
  for (const event of events) {
    if (event.kind !== 'purchase') continue;
    if (event.referralId !== null && !referrals.has(event.referralId)) {
      const referral = await work.tx.referrals.get(work.scope, event.referralId);
      if (referral) referrals.set(referral.id, referral);
    }
    if (event.referrerId !== null && !referrers.has(event.referrerId)) {
      const referrer = await work.tx.participants.get(work.scope, event.referrerId);
      if (referrer) referrers.set(referrer.userId, referrer);
    }
  }
  return { referrals, referrers };
}
