// Over 300 lines: groups, participant terms, rewards by event and each condition kind, and the property that past lines never change, share one program fixture.
import {
  type CommissionConfigInput,
  type CommissionRecord,
  ForbiddenError,
  type ProgramConfigInput,
  type PurchaseResult,
  type RecordPurchaseInput,
  type RewardConditionInput,
  type RewardInput,
  UnknownGroupError,
  ValidationError,
} from '@onehop/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Setup } from './money-suite';

const DAY = 86_400_000;

function recorded(result: PurchaseResult) {
  if (result.status !== 'recorded') throw new Error(`expected recorded, got ${result.status}: ${result.message}`);
  return result;
}

/** The four programs of one: customers get a credit, creators 30 % for a year, an association a fee per sign-up, sales reps 5 % of every deal. */
const PROGRAM: Partial<ProgramConfigInput> = {
  commission: { rule: { type: 'fixed', amount: 1_000 }, holdingDays: 30 },
  groups: {
    creators: {
      commission: { rule: { type: 'percentage', rateBps: 3_000, scope: { type: 'within_months', months: 12 } }, holdingDays: 30 },
      refereeDiscount: { type: 'percentage', rateBps: 2_000 },
    },
    association: { rewards: [{ event: 'lead', id: 'member-signup', amount: 2_500 }] },
    reps: { commission: { rule: { type: 'percentage', rateBps: 500, scope: { type: 'lifetime' } }, holdingDays: 14 } },
  },
};

/**
 * Partner groups (each its own commission configuration), a participant's
 * own terms, rewards by event (lead, sale, bounty) and their conditions.
 */
export function groupsSuite(setup: Setup, options: { propertyRuns: number }): void {
  async function program(extra: Partial<ProgramConfigInput> = PROGRAM) {
    const ctx = await setup(extra);
    let events = 0;
    let referees = 0;
    const refer = async (referrer: string, fields: { country?: string } = {}) => {
      const refereeId = `${referrer}-referee-${++referees}`;
      const result = await ctx.onehop.attribute({ refereeId, code: referrer.toUpperCase().padEnd(8, '2'), ...fields });
      if (!result.ok) throw new Error(`attribution refused: ${result.reason}`);
      return refereeId;
    };
    const buy = async (refereeId: string, amount: number, input: Partial<RecordPurchaseInput> = {}) =>
      recorded(await ctx.onehop.recordPurchase({ eventId: `pi_${++events}`, refereeId, amount, currency: 'USD', occurredAt: ctx.clock.now(), ...input }));
    const enroll = (userId: string) => ctx.onehop.enroll({ userId, code: userId.toUpperCase().padEnd(8, '2') });
    return { ...ctx, refer, buy, enroll };
  }
  const move = (
    onehop: { moveToGroup: (i: { userId: string; groupId: string; adminId: string; reason: string }) => Promise<unknown> },
    userId: string,
    groupId: string,
  ) => onehop.moveToGroup({ userId, groupId, adminId: 'boss', reason: 'partner agreement' });

  describe('groups and participant terms', () => {
    it('a participant earns by their group; the default group keeps the top-level configuration; the line names the group', async () => {
      const { onehop, enroll, refer, buy } = await program();
      await enroll('alice');
      await enroll('cara');
      await move(onehop, 'cara', 'creators');
      const [base] = (await buy(await refer('alice'), 10_000)).commissions;
      expect(base).toMatchObject({ amount: 1_000, calculation: { rule: 'fixed', source: 'base' } });
      expect(base!.calculation.group).toBeUndefined();
      const referee = await refer('cara');
      const [creator] = (await buy(referee, 10_000)).commissions;
      expect(creator).toMatchObject({ amount: 3_000, calculation: { rule: 'percentage', group: 'creators', rateBps: 3_000 } });
      expect(await onehop.refereeStatus({ refereeId: referee })).toMatchObject({ discount: { type: 'percentage', rateBps: 2_000 } });
      expect((await onehop.getParticipant('cara'))?.groupId).toBe('creators');
      // A visitor arriving with a creator's code is offered the creators' discount; with a default member's, the program's.
      expect(await onehop.referralOffer({ code: (await onehop.getParticipant('cara'))!.code })).toMatchObject({ discount: { type: 'percentage', rateBps: 2_000 } });
      expect(await onehop.referralOffer({ code: (await onehop.getParticipant('alice'))!.code })).toMatchObject({ discount: null });
    });

    it('moving a participant changes only accruals decided after the move; past lines never change; the move is audited with before and after', async () => {
      const { onehop, clock, enroll, refer, buy } = await program();
      await enroll('rita');
      await move(onehop, 'rita', 'reps');
      const referee = await refer('rita');
      const first = (await buy(referee, 20_000)).commissions[0]!;
      expect(first).toMatchObject({ amount: 1_000, calculation: { group: 'reps', rateBps: 500 } });
      expect(first.availableAt).toEqual(new Date(clock.now().getTime() + 14 * DAY));
      await move(onehop, 'rita', 'creators');
      const second = (await buy(referee, 20_000)).commissions[0]!;
      expect(second).toMatchObject({ amount: 6_000, calculation: { group: 'creators', rateBps: 3_000 } });
      expect(await onehop.getCommission(first.id)).toEqual(first);
      await move(onehop, 'rita', 'default');
      expect((await onehop.getParticipant('rita'))?.groupId).toBeNull();
      const trail = (await onehop.auditTrail('participant', 'rita')).filter((a) => a.action === 'participant.group_changed');
      expect(trail.map((a) => [a.before, a.after, a.actor, a.reason])).toEqual([
        ['default', 'reps', { type: 'admin', id: 'boss' }, 'partner agreement'],
        ['reps', 'creators', { type: 'admin', id: 'boss' }, 'partner agreement'],
        ['creators', 'default', { type: 'admin', id: 'boss' }, 'partner agreement'],
      ]);
    });

    it('a group the program does not name is refused with UNKNOWN_GROUP; a refused admin writes no move', async () => {
      const { onehop, enroll } = await program({ ...PROGRAM, authorize: ({ actor }) => actor.id === 'boss' });
      await enroll('alice');
      const unknown = await onehop.moveToGroup({ userId: 'alice', groupId: 'vip', adminId: 'boss', reason: 'x' }).catch((e: unknown) => e);
      expect(unknown).toBeInstanceOf(UnknownGroupError);
      expect(unknown).toMatchObject({ code: 'UNKNOWN_GROUP', field: 'groupId' });
      const refused = await onehop.moveToGroup({ userId: 'alice', groupId: 'reps', adminId: 'intruder', reason: 'x' }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ForbiddenError);
      expect((await onehop.getParticipant('alice'))?.groupId).toBeNull();
      expect((await onehop.auditTrail('participant', 'alice')).map((a) => a.action)).not.toContain('participant.group_changed');
    });

    it('a participant’s own rate wins over tiers, promotions and product overrides; their holding period applies; null removes them; audited', async () => {
      const { onehop, clock, enroll, refer, buy } = await program({
        commission: {
          rule: { type: 'percentage', rateBps: 1_000, scope: { type: 'lifetime' } },
          productOverrides: [{ productIds: ['pro'], rateBps: 2_000 }],
          holdingDays: 30,
        },
      });
      await enroll('alice');
      const referee = await refer('alice');
      expect((await buy(referee, 10_000, { productId: 'pro' })).commissions[0]).toMatchObject({ amount: 2_000, calculation: { source: 'product_override' } });
      const set = await onehop.setParticipantTerms({ userId: 'alice', terms: { rateBps: 1_500, holdingDays: 7 }, adminId: 'boss', reason: 'negotiated' });
      expect(set.customTerms).toEqual({ rateBps: 1_500, holdingDays: 7 });
      const own = (await buy(referee, 10_000, { productId: 'pro' })).commissions[0]!;
      expect(own).toMatchObject({ amount: 1_500, calculation: { source: 'participant_terms', rateBps: 1_500 } });
      expect(own.availableAt).toEqual(new Date(clock.now().getTime() + 7 * DAY));
      await onehop.setParticipantTerms({ userId: 'alice', terms: { amount: 400 }, adminId: 'boss', reason: 'flat fee' });
      expect((await buy(referee, 10_000)).commissions[0]).toMatchObject({ amount: 400, calculation: { source: 'participant_terms', fixedAmount: 400 } });
      await onehop.setParticipantTerms({ userId: 'alice', terms: null, adminId: 'boss', reason: 'agreement ended' });
      expect((await buy(referee, 10_000)).commissions[0]).toMatchObject({ amount: 1_000, calculation: { source: 'base' } });
      const trail = (await onehop.auditTrail('participant', 'alice')).filter((a) => a.action === 'participant.terms_changed');
      expect(trail.map((a) => [a.before, a.after])).toEqual([
        ['none', JSON.stringify({ rateBps: 1_500, holdingDays: 7 })],
        [JSON.stringify({ rateBps: 1_500, holdingDays: 7 }), JSON.stringify({ amount: 400 })],
        [JSON.stringify({ amount: 400 }), 'none'],
      ]);
      await expect(onehop.setParticipantTerms({ userId: 'alice', terms: { rateBps: 1, amount: 1 }, adminId: 'boss', reason: 'x' })).rejects.toBeInstanceOf(
        ValidationError,
      );
    });

    it('a group’s welcome reward and tiers are the ones the referee and the referrer are shown', async () => {
      const gold: CommissionConfigInput = {
        rule: {
          type: 'tiered',
          tiers: [
            { from: 0, amount: 100 },
            { from: 5, amount: 200 },
          ],
        },
        welcomeReward: { amount: 250 },
        holdingDays: 0,
      };
      const { onehop, enroll, refer, buy } = await program({ commission: { rule: { type: 'fixed', amount: 50 } }, groups: { gold: { commission: gold } } });
      await enroll('alice');
      expect(await onehop.tierProgress({ userId: 'alice' })).toEqual({ tiered: false });
      await move(onehop, 'alice', 'gold');
      const referee = await refer('alice');
      const lines = (await buy(referee, 1_000)).commissions;
      expect(lines.map((c) => [c.kind, c.amount, c.calculation.group])).toEqual([
        ['referral', 100, 'gold'],
        ['welcome_reward', 250, 'gold'],
      ]);
      expect(await onehop.refereeStatus({ refereeId: referee })).toMatchObject({ welcomeReward: { amount: 250, credited: 250 } });
      expect(await onehop.referralOffer({ code: (await onehop.getParticipant('alice'))!.code })).toMatchObject({ welcomeReward: { amount: 250 } });
      expect(await onehop.tierProgress({ userId: 'alice' })).toMatchObject({ tiered: true, count: 1, tier: 0, amount: 100, nextFrom: 5 });
    });

    it('a move resets no count: tiers count the participant’s whole period, whatever group they were in', async () => {
      const tiered: CommissionConfigInput = {
        rule: {
          type: 'tiered',
          basis: 'qualified_referrals',
          tiers: [
            { from: 0, amount: 100 },
            { from: 2, amount: 900 },
          ],
        },
        holdingDays: 0,
      };
      const { onehop, enroll, refer, buy } = await program({ commission: { rule: { type: 'fixed', amount: 50 } }, groups: { gold: { commission: tiered } } });
      await enroll('alice');
      await buy(await refer('alice'), 1_000);
      await buy(await refer('alice'), 1_000);
      await move(onehop, 'alice', 'gold');
      // Two referrals qualified in the default group: alice starts in gold's second tier.
      expect((await buy(await refer('alice'), 1_000)).commissions[0]).toMatchObject({ amount: 900, calculation: { source: 'tier', group: 'gold' } });
    });
  });

  describe('rewards by event', () => {
    it('a sign-up (lead), each purchase (sale) and the base rule are each their own line, in order, naming their reward', async () => {
      const { onehop, enroll, refer, buy } = await program({
        commission: { rule: { type: 'percentage', rateBps: 1_000, scope: { type: 'lifetime' } } },
        rewards: [
          { event: 'lead', id: 'signup', amount: 300 },
          { event: 'sale', id: 'extra', rateBps: 200 },
          { event: 'sale', id: 'flat', amount: 150 },
        ],
      });
      await enroll('alice');
      const referee = await refer('alice');
      const signup = await onehop.listCommissions('alice');
      expect(signup).toEqual([
        expect.objectContaining({ sourceKind: 'signup', amount: 300, calculation: expect.objectContaining({ rewardId: 'signup', event: 'lead', conditions: [] }) }),
      ]);
      expect((await onehop.getReferralByReferee(referee))?.status).toBe('pending');
      const lines = (await buy(referee, 10_000)).commissions;
      expect(lines.map((c) => [c.amount, c.calculation.source, c.calculation.rewardId ?? null])).toEqual([
        [1_000, 'base', null],
        [200, 'reward', 'extra'],
        [150, 'reward', 'flat'],
      ]);
      expect(lines.every((c) => c.sourceEventId === lines[0]!.sourceEventId && c.kind === 'referral')).toBe(true);
      expect((await onehop.getBalances('alice')).pending).toBe(300 + 1_000 + 200 + 150);
    });

    it('a refund reverses every line of the purchase by the share refunded', async () => {
      const { onehop, enroll, refer, buy } = await program({
        rewards: [
          { event: 'sale', id: 'a', rateBps: 1_000 },
          { event: 'sale', id: 'b', amount: 500 },
        ],
      });
      await enroll('alice');
      const result = await buy(await refer('alice'), 10_000);
      await onehop.recordRefund({ eventId: 're_1', purchaseEventId: result.eventId, amount: 5_000 });
      const after = await Promise.all(result.commissions.map((c) => onehop.getCommission(c.id)));
      expect(after.map((c) => c?.reversedAmount)).toEqual([500, 250]);
    });

    it('a bounty pays once per period, on the purchase that reaches the goal, and again in the next period', async () => {
      const { onehop, clock, enroll, refer, buy } = await program({
        rewards: [{ event: 'bounty', id: 'five-k', amount: 5_000, goal: { basis: 'referred_revenue', target: 5_000, period: 'month' } }],
      });
      await enroll('alice');
      const referee = await refer('alice');
      expect((await buy(referee, 3_000)).commissions).toEqual([]);
      const reached = (await buy(referee, 2_000)).commissions;
      expect(reached).toEqual([
        expect.objectContaining({
          kind: 'milestone_bonus',
          amount: 5_000,
          sourceKind: 'bonus',
          calculation: expect.objectContaining({
            rule: 'bounty',
            rewardId: 'five-k',
            goal: { basis: 'referred_revenue', target: 5_000, period: 'month', periodKey: '2026-03' },
          }),
        }),
      ]);
      expect((await buy(referee, 9_000)).commissions).toEqual([]);
      clock.advance(31 * DAY);
      expect((await buy(referee, 6_000)).commissions.map((c) => c.calculation.goal?.periodKey)).toEqual(['2026-04']);
      expect((await onehop.auditTrail('participant', 'alice')).filter((a) => a.action === 'bounty.reached')).toHaveLength(2);
    });
  });

  describe('reward conditions', () => {
    /** Alice's program with one sale reward of 100 under `reward`'s conditions; returns what a purchase of `input` paid by that reward. */
    async function paidBy(reward: Partial<RewardInput>, purchases: { amount?: number; input?: Partial<RecordPurchaseInput>; country?: string }[]) {
      const { enroll, refer, buy } = await program({ rewards: [{ event: 'sale', id: 'r', amount: 100, ...reward } as RewardInput] });
      await enroll('alice');
      const out: (number[] | null)[] = [];
      for (const p of purchases) {
        const referee = await refer('alice', p.country ? { country: p.country } : {});
        const line = (await buy(referee, p.amount ?? 1_000, p.input)).commissions.find((c) => c.calculation.rewardId === 'r');
        out.push(line ? line.calculation.conditions! : null);
      }
      return out;
    }

    it('product and plan ids', async () => {
      expect(await paidBy({ conditions: [{ type: 'product', productIds: ['pro'] }] }, [{ input: { productId: 'pro' } }, { input: { productId: 'basic' } }, {}])).toEqual([
        [0],
        null,
        null,
      ]);
      expect(await paidBy({ conditions: [{ type: 'plan', planIds: ['yearly'] }] }, [{ input: { planId: 'yearly' } }, { input: { planId: 'monthly' } }])).toEqual([
        [0],
        null,
      ]);
    });

    it('the purchase amount range, both ends included', async () => {
      expect(
        await paidBy({ conditions: [{ type: 'amount', min: 1_000, max: 2_000 }] }, [{ amount: 999 }, { amount: 1_000 }, { amount: 2_000 }, { amount: 2_001 }]),
      ).toEqual([null, [0], [0], null]);
    });

    it('the referee’s country', async () => {
      expect(await paidBy({ conditions: [{ type: 'country', countries: ['de', 'AT'] }] }, [{ country: 'DE' }, { country: 'at' }, { country: 'FR' }, {}])).toEqual([
        [0],
        [0],
        null,
        null,
      ]);
    });

    it('the referee’s first purchase, or a later one', async () => {
      const { enroll, refer, buy } = await program({
        rewards: [
          { event: 'sale', id: 'first', amount: 100, conditions: [{ type: 'first_purchase' }] },
          { event: 'sale', id: 'later', amount: 50, conditions: [{ type: 'first_purchase', is: false }] },
        ],
      });
      await enroll('alice');
      const referee = await refer('alice');
      expect((await buy(referee, 1_000)).commissions.map((c) => c.calculation.rewardId)).toEqual(['first']);
      expect((await buy(referee, 1_000)).commissions.map((c) => c.calculation.rewardId)).toEqual(['later']);
    });

    it('values of the purchase’s metadata, compared exactly', async () => {
      expect(
        await paidBy({ conditions: [{ type: 'metadata', key: 'channel', values: ['partner', 7, true] }] }, [
          { input: { metadata: { channel: 'partner' } } },
          { input: { metadata: { channel: 7 } } },
          { input: { metadata: { channel: '7' } } },
          { input: { metadata: { other: 'partner' } } },
          { input: { metadata: { channel: true } } },
        ]),
      ).toEqual([[0], [0], null, null, [0]]);
    });

    it('all (default) needs every condition and names them all; any names the first that held', async () => {
      const conditions: RewardConditionInput[] = [
        { type: 'product', productIds: ['pro'] },
        { type: 'amount', min: 5_000 },
      ];
      const purchases = [{ amount: 6_000, input: { productId: 'pro' } }, { amount: 6_000 }, { amount: 1_000, input: { productId: 'pro' } }, { amount: 1_000 }];
      expect(await paidBy({ conditions: [...conditions] }, purchases)).toEqual([[0, 1], null, null, null]);
      expect(await paidBy({ conditions: [...conditions], match: 'any' }, purchases)).toEqual([[0], [1], [0], null]);
    });

    it('a lead reward under a country condition pays only sign-ups from those countries', async () => {
      const { onehop, enroll, refer } = await program({ rewards: [{ event: 'lead', id: 'eu', amount: 200, conditions: [{ type: 'country', countries: ['DE'] }] }] });
      await enroll('alice');
      await refer('alice', { country: 'DE' });
      await refer('alice', { country: 'US' });
      expect((await onehop.listCommissions('alice')).map((c) => c.amount)).toEqual([200]);
    });

    it('the configuration is checked at createOnehop, errors naming the path', async () => {
      const bad = (groups: unknown) =>
        setup({ groups } as Partial<ProgramConfigInput>).then(
          () => null,
          (e: unknown) => e,
        );
      const error = await bad({
        creators: {
          rewards: [
            { event: 'sale', id: 'a', amount: 1 },
            { event: 'sale', id: 'b', amount: 1, conditions: [{ type: 'product', productIds: [] }] },
          ],
        },
      });
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ code: 'INVALID_PROGRAM_CONFIG', field: 'program.groups.creators.rewards.1.conditions.0.productIds' });
      expect(await bad({ x: { rewards: [{ event: 'lead', id: 'l', amount: 1, conditions: [{ type: 'amount', min: 1 }] }] } })).toMatchObject({
        field: 'program.groups.x.rewards.0.conditions.0.type',
      });
      expect(
        await bad({
          x: {
            rewards: [
              { event: 'sale', id: 'l', amount: 1 },
              { event: 'sale', id: 'l', amount: 2 },
            ],
          },
        }),
      ).toMatchObject({
        field: 'program.groups.x.rewards.1.id',
      });
      expect(await bad({ default: {} })).toMatchObject({ field: 'program.groups.default' });
    });
  });

  describe('property', () => {
    type Step =
      | { kind: 'buy'; referee: number; amount: number }
      | { kind: 'move'; group: string }
      | { kind: 'terms'; rateBps: number | null }
      | { kind: 'refund'; share: number };
    const groupIds = ['default', 'creators', 'reps', 'association'];
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant('buy' as const), referee: fc.integer({ min: 0, max: 2 }), amount: fc.integer({ min: 1, max: 50_000 }) }),
      fc.record({ kind: fc.constant('move' as const), group: fc.constantFrom(...groupIds) }),
      fc.record({ kind: fc.constant('terms' as const), rateBps: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: null }) }),
      fc.record({ kind: fc.constant('refund' as const), share: fc.integer({ min: 1, max: 100 }) }),
    );

    it('moves and terms never change past lines, and each line pays by the group and terms in force when it was decided', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
          const { onehop, enroll, refer, buy } = await program();
          await enroll('alice');
          const referees = [await refer('alice'), await refer('alice'), await refer('alice')];
          const seen = new Map<string, CommissionRecord>();
          const purchases: { eventId: string; amount: number; refunded: number }[] = [];
          let group = 'default';
          let rate: number | null = null;
          for (const s of steps) {
            if (s.kind === 'move') {
              await move(onehop, 'alice', s.group);
              group = s.group;
            } else if (s.kind === 'terms') {
              await onehop.setParticipantTerms({ userId: 'alice', terms: s.rateBps === null ? null : { rateBps: s.rateBps }, adminId: 'boss', reason: 'terms' });
              rate = s.rateBps;
            } else if (s.kind === 'refund') {
              const p = purchases.find((x) => x.refunded < x.amount);
              if (!p) continue;
              const amount = Math.max(1, Math.floor(((p.amount - p.refunded) * s.share) / 100));
              await onehop.recordRefund({ eventId: `re_${seen.size}_${p.eventId}_${p.refunded}`, purchaseEventId: p.eventId, amount });
              p.refunded += amount;
            } else {
              const result = await buy(referees[s.referee]!, s.amount);
              purchases.push({ eventId: result.eventId, amount: s.amount, refunded: 0 });
              const base = result.commissions.filter((c) => c.beneficiaryId === 'alice' && c.calculation.rewardId === undefined);
              // One base line, or none that the result explains (it came to zero, or the group's scope is over): a line never just vanishes.
              if (base.length === 0) {
                const reasons = result.status === 'recorded' ? result.skipped.filter((s) => s.kind === 'referral').map((s) => s.reason) : [];
                expect(reasons.length === 1 && ['ZERO_AMOUNT', 'NOT_IN_SCOPE'].includes(reasons[0]!)).toBe(true);
              } else expect(base).toHaveLength(1);
              for (const line of base) {
                // What the group and terms in force now pay.
                if (rate !== null) expect(line.calculation).toMatchObject({ source: 'participant_terms', rateBps: rate });
                else expect(line.calculation.source).not.toBe('participant_terms');
                expect(line.calculation.group ?? 'default').toBe(group);
              }
              for (const line of result.commissions) seen.set(line.id, line);
            }
            // Every line made so far is as it was made, but for what refunds reversed.
            for (const [id, made] of seen) {
              const now = await onehop.getCommission(id);
              expect(now && { ...now, reversedAmount: made.reversedAmount, status: made.status, statusReason: made.statusReason, updatedAt: made.updatedAt }).toEqual(
                made,
              );
            }
          }
        }),
        { numRuns: options.propertyRuns },
      );
    });
  });
}
