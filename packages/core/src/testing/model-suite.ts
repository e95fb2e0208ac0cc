// Over 300 lines: one property test whose model, operations and checks must be read together.
import type { Onehop } from '@onehop/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectBalanced, type Setup } from './money-suite';

/**
 * Model-based property test: random sequences of enroll, attribute,
 * purchase (with redeliveries), refund, approve and payout run against the
 * store under test and against a deliberately simple model of the rules
 * (10 % of each purchase, half-even, 30 days holding, pro-rata refunds).
 * After every step each account's balances equal the model's and the sum of
 * its ledger entries. A failure prints the environment variables that
 * replay it (ONEHOP_MODEL_SEED, ONEHOP_MODEL_PATH, ONEHOP_MODEL_REPLAY);
 * ONEHOP_MODEL_RUNS runs more sequences than the suite's default.
 */

const USERS = ['u0', 'u1', 'u2', 'u3', 'u4'] as const;
const RATE_BPS = 1000n;

/** Half-even division of non-negative integers, written out again here so the model does not borrow the engine's. */
function halfEven(numerator: bigint, denominator: bigint): number {
  const q = numerator / denominator;
  const r = numerator % denominator;
  const twice = r * 2n;
  if (twice > denominator || (twice === denominator && q % 2n === 1n)) return Number(q + 1n);
  return Number(q);
}

interface ModelCommission {
  beneficiary: string;
  amount: number;
  reversed: number;
  approved: boolean;
  fullyReversed: boolean;
}

interface ModelPurchase {
  eventId: string;
  refereeId: string;
  amount: number;
  refunded: number;
  commission: ModelCommission | null;
}

interface Sent {
  eventId: string;
  refereeId: string;
  amount: number;
  occurredAt: Date;
}

interface Balances {
  pending: number;
  withdrawable: number;
  requested: number;
  paid: number;
}

/** The engine's tolerance for a purchase dated a little before its attribution. */
const CLOCK_SKEW_MS = 5 * 60_000;

class Model {
  enrolled = new Set<string>();
  referrerOf = new Map<string, string>();
  /** When each referee was attributed (ms). */
  attributedAt = new Map<string, number>();
  /** Referees whose referral the engine rejected. */
  rejected = new Set<string>();
  /** Purchases the engine recorded (referred referees only). */
  purchases: ModelPurchase[] = [];
  /** Every purchase payload ever sent, for redeliveries. */
  sent: Sent[] = [];
  balances = new Map<string, Balances>();
  events = 0;

  balance(user: string): Balances {
    let b = this.balances.get(user);
    if (!b) this.balances.set(user, (b = { pending: 0, withdrawable: 0, requested: 0, paid: 0 }));
    return b;
  }
}

interface Real {
  onehop: Onehop;
  advanceDays(days: number): void;
  now(): Date;
}

type Command = fc.AsyncCommand<Model, Real>;

/** The engine reports a negative withdrawable balance (a clawback larger than what is left) as a negative carry. */
async function expectMatches(model: Model, real: Real): Promise<void> {
  for (const user of USERS) {
    const { pending, withdrawable, requested, paid } = model.balance(user);
    const actual = await real.onehop.getBalances(user);
    const seen = {
      user,
      pending: actual.pending,
      onHold: actual.onHold,
      withdrawable: actual.withdrawable,
      negativeCarry: actual.negativeCarry,
      requested: actual.requested,
      paid: actual.paid,
    };
    const wanted = { user, pending, onHold: 0, withdrawable: Math.max(0, withdrawable), negativeCarry: Math.max(0, -withdrawable), requested, paid };
    expect(JSON.stringify(seen)).toBe(JSON.stringify(wanted));
  }
  await expectBalanced(real.onehop, [...USERS]);
}

class Enroll implements Command {
  constructor(readonly user: string) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const { created } = await real.onehop.enroll({ userId: this.user });
    expect(created).toBe(!model.enrolled.has(this.user));
    if (created) await real.onehop.setPayoutMethod({ userId: this.user, method: { type: 'store_credit' } });
    model.enrolled.add(this.user);
    await expectMatches(model, real);
  }
  toString = () => `enroll(${this.user})`;
}

class Attribute implements Command {
  /** `referrerPick` chooses among enrolled users when there are any (else the code is unknown), so most attributions can succeed. */
  constructor(
    readonly referee: string,
    readonly referrerPick: number,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const enrolled = [...model.enrolled];
    const referrer = enrolled.length === 0 ? null : enrolled[this.referrerPick % enrolled.length]!;
    const code = referrer === null ? 'NOSUCH23' : (await real.onehop.getParticipant(referrer))!.code;
    const result = await real.onehop.attribute({ refereeId: this.referee, code });
    // The same referee with the same referrer's code again repeats the attribution: answered as a replay, nothing changes.
    const repeat = referrer !== null && model.referrerOf.get(this.referee) === referrer;
    const expectOk = repeat || (referrer !== null && this.referee !== referrer && !model.referrerOf.has(this.referee));
    expect(result.ok).toBe(expectOk);
    if (result.ok) expect(result.replayed).toBe(repeat);
    if (expectOk && !repeat) {
      model.referrerOf.set(this.referee, referrer);
      model.attributedAt.set(this.referee, real.now().getTime());
    }
    await expectMatches(model, real);
  }
  toString = () => `attribute(${this.referee} by enrolled #${this.referrerPick})`;
}

/** Sends a purchase event to the engine and to the model. */
async function deliver(model: Model, real: Real, sent: Sent): Promise<void> {
  const result = await real.onehop.recordPurchase({ ...sent, currency: 'USD' });
  const known = model.purchases.find((p) => p.eventId === sent.eventId);
  if (known) {
    // A redelivery of a recorded event changes nothing.
    expect(result).toMatchObject({ status: 'recorded', replayed: true });
    return;
  }
  // A new event, or one that was ignored before (nothing was recorded then, so it counts now if the buyer is referred).
  const referrer = model.rejected.has(sent.refereeId) ? undefined : model.referrerOf.get(sent.refereeId);
  if (referrer && sent.occurredAt.getTime() < model.attributedAt.get(sent.refereeId)! - CLOCK_SKEW_MS) {
    // A purchase from before the attribution: the referee was already a customer, so the referral is rejected
    // and everything it earned leaves the balances (pending, or withdrawable as a clawback).
    expect(result).toMatchObject({ status: 'ignored', reason: 'REFERRAL_REJECTED' });
    model.rejected.add(sent.refereeId);
    for (const p of model.purchases) {
      const c = p.commission;
      if (p.refereeId !== sent.refereeId || !c || c.fullyReversed) continue;
      model.balance(c.beneficiary)[c.approved ? 'withdrawable' : 'pending'] -= c.amount - c.reversed;
      c.reversed = c.amount;
      c.fullyReversed = true;
    }
    return;
  }
  expect(result.status).toBe(referrer ? 'recorded' : 'ignored');
  if (referrer) {
    const amount = halfEven(BigInt(sent.amount) * RATE_BPS, 10_000n);
    const commission = amount > 0 ? { beneficiary: referrer, amount, reversed: 0, approved: false, fullyReversed: false } : null;
    if (commission) model.balance(referrer).pending += amount;
    model.purchases.push({ eventId: sent.eventId, refereeId: sent.refereeId, amount: sent.amount, refunded: 0, commission });
  }
}

class Purchase implements Command {
  /** `pick` chooses among referred users when there are any; `unreferred` buys as someone who may not be referred. */
  constructor(
    readonly pick: number,
    readonly amount: number,
    readonly unreferred: string | null,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const referred = [...model.referrerOf.keys()];
    const refereeId = this.unreferred ?? (referred.length === 0 ? 'nobody' : referred[this.pick % referred.length]!);
    const sent = { eventId: `pi_${++model.events}`, refereeId, amount: this.amount, occurredAt: real.now() };
    model.sent.push(sent);
    await deliver(model, real, sent);
    await expectMatches(model, real);
  }
  toString = () => `purchase(${this.unreferred ?? `referred #${this.pick}`}, ${this.amount})`;
}

class Redeliver implements Command {
  constructor(readonly pick: number) {}
  check = (model: Readonly<Model>) => model.sent.length > 0;
  async run(model: Model, real: Real) {
    await deliver(model, real, model.sent[this.pick % model.sent.length]!);
    await expectMatches(model, real);
  }
  toString = () => `redeliver(#${this.pick})`;
}

class Refund implements Command {
  constructor(
    readonly pick: number,
    readonly share: number,
  ) {}
  check = (model: Readonly<Model>) => model.purchases.length > 0;
  async run(model: Model, real: Real) {
    const p = model.purchases[this.pick % model.purchases.length]!;
    const amount = Math.max(1, Math.round((p.amount * this.share) / 100));
    const call = real.onehop.recordRefund({ eventId: `re_${++model.events}`, purchaseEventId: p.eventId, amount });
    if (amount > p.amount - p.refunded) {
      await expect(call).rejects.toMatchObject({ code: 'REFUND_EXCEEDS_PURCHASE' });
    } else {
      expect((await call).status).toBe('recorded');
      p.refunded += amount;
      const c = p.commission;
      if (c && !c.fullyReversed) {
        const target = halfEven(BigInt(c.amount) * BigInt(p.refunded), BigInt(p.amount));
        const delta = target - c.reversed;
        if (delta > 0) {
          model.balance(c.beneficiary)[c.approved ? 'withdrawable' : 'pending'] -= delta;
          c.reversed = target;
          c.fullyReversed = target === c.amount;
        }
      }
    }
    await expectMatches(model, real);
  }
  toString = () => `refund(#${this.pick}, ${this.share}%)`;
}

class Approve implements Command {
  check = () => true;
  async run(model: Model, real: Real) {
    real.advanceDays(31);
    await real.onehop.approveDue();
    for (const p of model.purchases) {
      const c = p.commission;
      if (!c || c.approved || c.fullyReversed) continue;
      const net = c.amount - c.reversed;
      const b = model.balance(c.beneficiary);
      b.pending -= net;
      b.withdrawable += net;
      c.approved = true;
    }
    await expectMatches(model, real);
  }
  toString = () => 'approveDue(+31 days)';
}

class Payout implements Command {
  constructor(readonly user: string) {}
  check = (model: Readonly<Model>) => model.enrolled.has(this.user) && (model.balances.get(this.user)?.withdrawable ?? 0) > 0;
  async run(model: Model, real: Real) {
    const payout = await real.onehop.requestPayout({ userId: this.user });
    const b = model.balance(this.user);
    expect(payout.amount).toBe(b.withdrawable);
    await real.onehop.approvePayout({ payoutId: payout.id, adminId: 'admin' });
    await real.onehop.markPayoutPaid({ payoutId: payout.id, adminId: 'admin', externalReference: `tr_${payout.id}` });
    b.paid += b.withdrawable;
    b.withdrawable = 0;
    await expectMatches(model, real);
  }
  toString = () => `payout(${this.user})`;
}

const user = fc.constantFrom(...USERS);
const commands = [
  user.map((u) => new Enroll(u)),
  fc.tuple(user, fc.nat()).map(([referee, pick]) => new Attribute(referee, pick)),
  fc
    .tuple(
      fc.nat(),
      fc.oneof(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 20 })),
      fc.oneof({ arbitrary: fc.constant(null), weight: 5 }, { arbitrary: user, weight: 1 }),
    )
    .map(([pick, amount, unreferred]) => new Purchase(pick, amount, unreferred)),
  fc.nat().map((n) => new Redeliver(n)),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 120 })).map(([n, share]) => new Refund(n, share)),
  fc.constant(new Approve()),
  user.map((u) => new Payout(u)),
];

/** The model-based part of the conformance suite. */
export function modelSuite(setup: Setup, options: { propertyRuns: number }): void {
  describe('model-based: random operation sequences against a simple model', () => {
    it('balances match the model and the ledger after every step', async () => {
      const seed = process.env.ONEHOP_MODEL_SEED === undefined ? undefined : Number(process.env.ONEHOP_MODEL_SEED);
      const path = process.env.ONEHOP_MODEL_PATH;
      const replayPath = process.env.ONEHOP_MODEL_REPLAY;
      const property = fc.asyncProperty(fc.commands(commands, { maxCommands: 40, size: 'max', ...(replayPath === undefined ? {} : { replayPath }) }), async (cmds) => {
        const { onehop, clock } = await setup({ commission: { rule: { type: 'percentage', rateBps: Number(RATE_BPS), scope: { type: 'lifetime' } }, holdingDays: 30 } });
        await fc.asyncModelRun(() => ({ model: new Model(), real: { onehop, advanceDays: (d) => clock.advanceDays(d), now: () => clock.now() } }), cmds);
      });
      const details = await fc.check(property, {
        numRuns: Number(process.env.ONEHOP_MODEL_RUNS ?? options.propertyRuns),
        ...(seed === undefined ? {} : { seed }),
        ...(path === undefined ? {} : { path }),
      });
      if (details.failed) {
        const commandsPath = /replayPath="([^"]*)"/.exec(String(details.counterexample?.[0]))?.[1] ?? '';
        const replay = `ONEHOP_MODEL_SEED=${details.seed} ONEHOP_MODEL_PATH=${details.counterexamplePath ?? ''} ONEHOP_MODEL_REPLAY='${commandsPath}'`;
        console.error(`[onehop model-based test] failed; replay with ${replay}\ncounterexample: ${String(details.counterexample?.[0])}`);
        throw new Error(`Model-based test failed (${replay}): ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`);
      }
    }, 120_000);
  });
}
