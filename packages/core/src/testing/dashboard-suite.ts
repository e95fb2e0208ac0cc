// Over 300 lines: one test per dashboard panel over one shared scenario, and the check that counters agree with records.
import { BUCKETS, csvField, type ProgramConfigInput, TAX_EXPORT_HEADER } from '@onehop/core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { Setup } from './money-suite';

const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);

/** Dashboard data: every panel's figures against what happened, on every store. */
export function dashboardSuite(setup: Setup, options: { propertyRuns: number }): void {
  /** alice refers; purchases accrue 10 %; 30-day holding; the program clock starts 2026-03-01 12:00 UTC. */
  async function program(extra: Partial<ProgramConfigInput> = {}) {
    const ctx = await setup({
      commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } }, holdingDays: 30 },
      ...extra,
    } as Partial<ProgramConfigInput>);
    const { onehop } = ctx;
    await onehop.enroll({ userId: 'alice', code: 'ALICE123', email: 'alice@example.com' });
    await onehop.enroll({ userId: 'bruno', code: 'BRUNO123' });
    let n = 0;
    const refer = async (refereeId: string, code = 'ALICE123', more: { source?: string; country?: string } = {}) => {
      const result = await onehop.attribute({ refereeId, code, ...more });
      if (!result.ok) throw new Error(result.reason);
      return result.referral;
    };
    const buy = (refereeId: string, amount: number) => onehop.recordPurchase({ eventId: `pi_${++n}`, refereeId, amount, currency: 'USD', occurredAt: ctx.clock.now() });
    return { ...ctx, refer, buy };
  }

  it('referrer overview: referrals by status, conversion, clicks, earnings today / this month / in total, balances', async () => {
    const { onehop, clock, refer, buy } = await program();
    await onehop.recordClick({ code: 'ALICE123' });
    await onehop.recordClick({ code: 'alice-123' });
    await refer('r1');
    await refer('r2');
    await refer('r3');
    await buy('r1', 10_000); // 1,000 earned on 1 March
    clock.set('2026-03-20T09:00:00Z');
    await buy('r2', 5_000); // 500 on 20 March
    await onehop.rejectReferral({ referralId: (await onehop.getReferralByReferee('r3'))!.id, adminId: 'admin', reason: 'fake account' });
    clock.set('2026-04-02T10:00:00Z');
    await buy('r1', 2_000); // 200 on 2 April
    await onehop.recordRefund({ eventId: 're_1', purchaseEventId: 'pi_3', amount: 1_000 }); // −100 on 2 April

    const overview = await onehop.referrerOverview({ userId: 'alice' });
    expect(overview).toMatchObject({
      userId: 'alice',
      currency: 'USD',
      referrals: { total: 3, pending: 0, qualified: 2, rejected: 1 },
      conversionBps: 6667,
      clicks: 2,
      earnings: { today: 100, thisMonth: 100, total: 1_600 },
    });
    expect(overview.balances).toEqual(await onehop.getBalances('alice'));
    // Nothing leaks between referrers.
    expect(await onehop.referrerOverview({ userId: 'bruno' })).toMatchObject({ referrals: { total: 0 }, clicks: 0, earnings: { total: 0 }, conversionBps: 0 });
    await expect(onehop.referrerOverview({ userId: 'nobody' })).rejects.toMatchObject({ code: 'PARTICIPANT_NOT_FOUND' });
  });

  it('counts days in the program’s time zone', async () => {
    const { onehop, clock, refer, buy } = await program({ timeZone: 'America/New_York' });
    await refer('r1');
    clock.set('2026-03-02T03:00:00Z'); // still 1 March in New York
    await buy('r1', 10_000);
    clock.set('2026-03-02T05:30:00Z'); // 00:30 on 2 March in New York (UTC−5 until 8 March)
    expect((await onehop.referrerOverview({ userId: 'alice' })).earnings).toEqual({ today: 0, thisMonth: 1_000, total: 1_000 });
    const { series } = await onehop.performance({ userId: 'alice', from: at('2026-03-01T05:00:00Z'), to: at('2026-03-03T05:00:00Z') });
    expect(series.map((p) => p.earnings)).toEqual([1_000, 0]);
  });

  it('commission history: filters by status and date, newest first, and pages by cursor without gaps or repeats while new lines arrive', async () => {
    const { onehop, clock, refer, buy } = await program();
    for (const r of ['r1', 'r2', 'r3']) await refer(r);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const result = await buy(`r${(i % 3) + 1}`, 1_000 * (i + 1));
      if (result.status === 'recorded') ids.push(result.commissions[0]!.id);
      clock.advance(DAY);
    }
    const first = await onehop.commissionHistory({ userId: 'alice', limit: 2 });
    expect(first.map((c) => c.id)).toEqual([ids[4], ids[3]]);
    await buy('r1', 9_000); // a new line while the user pages
    const second = await onehop.commissionHistory({ userId: 'alice', limit: 2, cursor: first[1]!.id });
    const third = await onehop.commissionHistory({ userId: 'alice', limit: 2, cursor: second[1]!.id });
    expect([...first, ...second, ...third].map((c) => c.id)).toEqual([...ids].reverse());

    const oldest = await onehop.commissionHistory({ userId: 'alice', order: 'oldest', limit: 10 });
    expect(oldest.slice(0, 5).map((c) => c.id)).toEqual(ids);
    const inRange = await onehop.commissionHistory({ userId: 'alice', from: at('2026-03-02T00:00:00Z'), to: at('2026-03-04T00:00:00Z'), order: 'oldest' });
    expect(inRange.map((c) => c.id)).toEqual([ids[1], ids[2]]);
    await onehop.rejectCommission({ commissionId: ids[0]!, adminId: 'admin', reason: 'test order' });
    expect((await onehop.commissionHistory({ userId: 'alice', status: 'rejected' })).map((c) => c.id)).toEqual([ids[0]]);

    const ledger = await onehop.ledgerHistory({ userId: 'alice', limit: 3 });
    const rest = await onehop.ledgerHistory({ userId: 'alice', limit: 100, cursor: ledger[2]!.id });
    expect([...ledger, ...rest].reverse()).toEqual(await onehop.listLedger('alice', { limit: 1000 }));
  });

  it('tier progress: 1–20 qualified earn 20 %, from 21 on 25 %; count, next threshold, progress, reset', async () => {
    const { onehop, refer, buy } = await program({
      commission: {
        rule: {
          type: 'tiered',
          basis: 'qualified_referrals',
          period: 'month',
          tiers: [
            { from: 0, rateBps: 2000 },
            { from: 20, rateBps: 2500 },
          ],
        },
      },
    } as Partial<ProgramConfigInput>);
    for (let i = 0; i < 5; i++) {
      await refer(`r${i}`);
      await buy(`r${i}`, 1_000);
    }
    expect(await onehop.tierProgress({ userId: 'alice' })).toEqual({
      tiered: true,
      basis: 'qualified_referrals',
      count: 5,
      tier: 0,
      rateBps: 2000,
      amount: null,
      nextFrom: 20,
      progressBps: 2500,
      resetsAt: at('2026-04-01T00:00:00Z'),
    });
    for (let i = 5; i < 20; i++) {
      await refer(`r${i}`);
      await buy(`r${i}`, 1_000);
    }
    expect(await onehop.tierProgress({ userId: 'alice' })).toMatchObject({ count: 20, tier: 1, rateBps: 2500, nextFrom: null, progressBps: 10_000 });
    const { onehop: flat } = await program();
    expect(await flat.tierProgress({ userId: 'alice' })).toEqual({ tiered: false });
  });

  it('performance: daily, weekly and monthly series, time to conversion, channels and countries', async () => {
    const { onehop, clock, refer, buy } = await program();
    await onehop.recordClick({ code: 'ALICE123', source: 'newsletter' });
    await refer('r1', 'ALICE123', { source: 'newsletter', country: 'de' });
    await refer('r2', 'ALICE123', { source: 'podcast', country: 'FR' });
    await refer('r3', 'ALICE123', { source: 'newsletter' });
    await refer('r4', 'ALICE123', { source: 'launch 🎉' });
    clock.advance(2 * 3_600_000);
    await buy('r1', 10_000); // qualifies after 2 h
    clock.set('2026-03-03T12:00:00Z');
    await onehop.recordClick({ code: 'ALICE123' });
    await buy('r2', 5_000); // after 2 days
    clock.set('2026-03-10T12:00:00Z');
    await buy('r3', 1_000); // after 9 days

    const daily = await onehop.performance({ userId: 'alice', from: at('2026-03-01T00:00:00Z'), to: at('2026-03-04T00:00:00Z') });
    expect(daily.series).toEqual([
      { start: at('2026-03-01T00:00:00Z'), clicks: 1, signups: 4, qualified: 1, earnings: 1_000 },
      { start: at('2026-03-02T00:00:00Z'), clicks: 0, signups: 0, qualified: 0, earnings: 0 },
      { start: at('2026-03-03T00:00:00Z'), clicks: 1, signups: 0, qualified: 1, earnings: 500 },
    ]);
    const weekly = await onehop.performance({ userId: 'alice', granularity: 'week', from: at('2026-03-01T00:00:00Z'), to: at('2026-03-15T00:00:00Z') });
    // 1 March 2026 is a Sunday: its ISO week starts on 23 February.
    expect(weekly.series.map((p) => [p.start.toISOString().slice(0, 10), p.qualified, p.earnings])).toEqual([
      ['2026-02-23', 1, 1_000],
      ['2026-03-02', 1, 500],
      ['2026-03-09', 1, 100],
    ]);
    const monthly = await onehop.performance({ granularity: 'month', from: at('2026-03-01T00:00:00Z'), to: at('2026-04-01T00:00:00Z') });
    expect(monthly.series).toEqual([{ start: at('2026-03-01T00:00:00Z'), clicks: 2, signups: 4, qualified: 3, earnings: 1_600 }]);
    // The program figure, from a histogram of whole days here: the same as the referrer's exact one.
    expect(monthly.timeToConversion).toEqual({ count: 3, medianMs: 2 * DAY, p90Ms: 9 * DAY });

    expect(daily.timeToConversion).toEqual({ count: 3, medianMs: 2 * DAY, p90Ms: 9 * DAY });
    // Sources sort by sign-ups, then by code unit; one outside the Basic Multilingual Plane counts too.
    expect(daily.channels).toEqual([
      { source: 'newsletter', signups: 2, qualified: 2 },
      { source: 'launch 🎉', signups: 1, qualified: 0 },
      { source: 'podcast', signups: 1, qualified: 1 },
    ]);
    expect(daily.countries).toEqual([
      { country: '', signups: 2, qualified: 1 },
      { country: 'DE', signups: 1, qualified: 1 },
      { country: 'FR', signups: 1, qualified: 1 },
    ]);
    await expect(onehop.performance({ from: at('2026-03-02T00:00:00Z'), to: at('2026-03-01T00:00:00Z') })).rejects.toMatchObject({ field: 'to' });
  });

  it('program-wide time to conversion: median and p90 over every referrer, all time, in minutes under an hour, hours under two days, days beyond', async () => {
    const { onehop, clock, refer, buy } = await program();
    const anyRange = { from: at('2026-03-01T00:00:00Z'), to: at('2026-03-02T00:00:00Z') };
    expect((await onehop.performance(anyRange)).timeToConversion).toBeNull();
    const start = clock.now().getTime();
    const durations = [45 * 60_000 + 30_000, 2 * 3_600_000 + 15 * 60_000, 3 * DAY + 5 * 3_600_000, 20 * DAY + 1, 40 * DAY];
    for (const i of durations.keys()) await refer(`t${i}`, i % 2 === 0 ? 'ALICE123' : 'BRUNO123');
    await refer('never', 'ALICE123');
    for (const [i, d] of durations.entries()) {
      clock.set(new Date(start + d));
      await buy(`t${i}`, 1_000);
    }
    // 45 min, 2 h, 3 d, 20 d, 40 d at their resolutions; nearest rank: the 3rd and the 5th of five.
    expect((await onehop.performance(anyRange)).timeToConversion).toEqual({ count: 5, medianMs: 3 * DAY, p90Ms: 40 * DAY });
    // A referrer's own figure is exact.
    expect((await onehop.performance({ userId: 'bruno', ...anyRange })).timeToConversion).toEqual({
      count: 2,
      medianMs: 2 * 3_600_000 + 15 * 60_000,
      p90Ms: 20 * DAY + 1,
    });
    // A purchase after qualification does not count again.
    await buy('t0', 1_000);
    expect((await onehop.performance(anyRange)).timeToConversion).toMatchObject({ count: 5 });
  });

  it('refuses a range longer than the panel allows: 3,660 days for the program overview, funnel and statement, 731 for performance', async () => {
    const { onehop } = await program();
    const from = at('2020-01-01T00:00:00Z');
    const days = (n: number) => new Date(from.getTime() + n * DAY);
    await onehop.programOverview({ from, to: days(3660) });
    await onehop.funnel({ from, to: days(3660) });
    await onehop.statement({ userId: 'alice', from, to: days(3660) });
    await onehop.performance({ granularity: 'month', from, to: days(731) });
    for (const call of [
      onehop.programOverview({ from, to: new Date(days(3660).getTime() + 1) }),
      onehop.funnel({ from, to: days(3661) }),
      onehop.statement({ userId: 'alice', from, to: days(3661) }),
      onehop.performance({ granularity: 'month', from, to: days(732) }),
    ]) {
      await expect(call).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'to' });
    }
  });

  it('referee view: eligibility, criteria, progress and their own welcome reward, never what the referrer earned', async () => {
    const { onehop, refer, buy } = await program({
      commission: { rule: { type: 'fixed', amount: 2_000 }, welcomeReward: { amount: 500 }, holdingDays: 30 },
      fraud: { minimumPurchase: 100 },
    } as Partial<ProgramConfigInput>);
    expect(await onehop.refereeStatus({ refereeId: 'stranger' })).toMatchObject({ referred: false, eligible: false, status: null, referrer: null });
    await refer('r1');
    expect(await onehop.refereeStatus({ refereeId: 'r1' })).toEqual({
      refereeId: 'r1',
      referred: true,
      eligible: true,
      status: 'pending',
      criteria: { qualifyOn: 'first_payment', minimumPurchase: 100 },
      progress: { qualified: false, purchases: 0 },
      welcomeReward: { amount: 500, credited: 0 },
      referrer: null,
      discount: null,
      currency: 'USD',
    });
    await buy('r1', 3_000);
    const bought = await onehop.refereeStatus({ refereeId: 'r1' });
    expect(bought).toEqual({
      refereeId: 'r1',
      referred: true,
      eligible: true,
      status: 'qualified',
      criteria: { qualifyOn: 'first_payment', minimumPurchase: 100 },
      progress: { qualified: true, purchases: 1 },
      welcomeReward: { amount: 500, credited: 500 },
      referrer: null,
      discount: null,
      currency: 'USD',
    });
    // The referrer's 2,000 is nowhere in what the referee is shown.
    // As a JSON number: an id or a date that happens to hold the digits is not the amount.
    expect(JSON.stringify(bought)).not.toMatch(/[:,[]2000[,}\]]/);
    await onehop.suspendParticipant({ userId: 'alice', adminId: 'admin', reason: 'terms' });
    expect(await onehop.refereeStatus({ refereeId: 'r1' })).toMatchObject({ eligible: false });
  });

  it('referee view: names the referrer by code only when the program allows it', async () => {
    const { onehop, refer } = await program({ refereeView: { showReferrer: 'code' } } as Partial<ProgramConfigInput>);
    await refer('r1');
    expect(await onehop.refereeStatus({ refereeId: 'r1' })).toMatchObject({ referred: true, referrer: { code: 'ALICE123' } });
    expect(await onehop.refereeStatus({ refereeId: 'stranger' })).toMatchObject({ referred: false, referrer: null });
    await onehop.replaceCode({ userId: 'alice', adminId: 'admin', reason: 'rebrand', newCode: 'ALICE999' });
    expect(await onehop.refereeStatus({ refereeId: 'r1' })).toMatchObject({ referrer: { code: 'ALICE999' } });
  });

  it('referee view: with showReferrer "name", the referrer’s code and user id, for the application to show the name it keeps', async () => {
    const { onehop, refer } = await program({ refereeView: { showReferrer: 'name' } } as Partial<ProgramConfigInput>);
    await refer('r1');
    expect((await onehop.refereeStatus({ refereeId: 'r1' })).referrer).toEqual({ code: 'ALICE123', userId: 'alice' });
    expect((await onehop.refereeStatus({ refereeId: 'stranger' })).referrer).toBeNull();
  });

  it('referral offer: what a visitor arriving with a code is shown before signing up, the referrer only as the program allows', async () => {
    const benefits = {
      commission: { rule: { type: 'fixed', amount: 2_000 }, welcomeReward: { amount: 500 }, holdingDays: 30 },
      refereeDiscount: { type: 'percentage', rateBps: 1_000 },
      fraud: { minimumPurchase: 100 },
    } as Partial<ProgramConfigInput>;
    const hidden = await program(benefits);
    // Case, spaces and hyphens are ignored, as at sign-up.
    expect(await hidden.onehop.referralOffer({ code: 'alice-123' })).toEqual({
      code: 'ALICE123',
      valid: true,
      referrer: null,
      criteria: { qualifyOn: 'first_payment', minimumPurchase: 100 },
      welcomeReward: { amount: 500 },
      discount: { type: 'percentage', rateBps: 1_000, duration: { type: 'once' } },
      currency: 'USD',
    });
    // An unknown code offers nothing and names no one.
    expect(await hidden.onehop.referralOffer({ code: 'NOSUCH99' })).toMatchObject({
      code: 'NOSUCH99',
      valid: false,
      referrer: null,
      welcomeReward: null,
      discount: null,
    });
    // Reading the offer records nothing: no click, no referral.
    expect(await hidden.onehop.listClicks({ userId: 'alice' })).toEqual([]);
    expect(await hidden.onehop.listReferrals('alice')).toEqual([]);

    const byCode = await program({ ...benefits, refereeView: { showReferrer: 'code' } } as Partial<ProgramConfigInput>);
    expect((await byCode.onehop.referralOffer({ code: 'ALICE123' })).referrer).toEqual({ code: 'ALICE123' });
    // A retired code still refers, and shows the current one.
    await byCode.onehop.replaceCode({ userId: 'alice', adminId: 'admin', reason: 'rebrand', newCode: 'ALICE999' });
    expect(await byCode.onehop.referralOffer({ code: 'ALICE123' })).toMatchObject({ valid: true, referrer: { code: 'ALICE999' } });

    const byName = await program({ ...benefits, refereeView: { showReferrer: 'name' } } as Partial<ProgramConfigInput>);
    expect((await byName.onehop.referralOffer({ code: 'ALICE123' })).referrer).toEqual({ code: 'ALICE123', userId: 'alice' });
    // A suspended referrer's code refers no one: no name, no benefit.
    await byName.onehop.suspendParticipant({ userId: 'alice', adminId: 'admin', reason: 'terms' });
    expect(await byName.onehop.referralOffer({ code: 'ALICE123' })).toMatchObject({ valid: false, referrer: null, welcomeReward: null, discount: null });
  });

  it('program overview: flows in the period and what the accounts hold now, matching the balances', async () => {
    const { onehop, clock, refer, buy } = await program({ payouts: { minimumAmount: 100 } } as Partial<ProgramConfigInput>);
    await refer('r1');
    await refer('r2', 'BRUNO123');
    await buy('r1', 10_000);
    await buy('r2', 20_000);
    await onehop.recordRefund({ eventId: 're_1', purchaseEventId: 'pi_2', amount: 5_000 });
    clock.advanceDays(31);
    await onehop.approveDue();
    await onehop.setPayoutMethod({ userId: 'alice', method: { type: 'paypal', email: 'alice@example.com' } });
    const payout = await onehop.requestPayout({ userId: 'alice' });
    await onehop.approvePayout({ payoutId: payout.id, adminId: 'admin' });
    await onehop.markPayoutPaid({ payoutId: payout.id, adminId: 'admin', externalReference: 'PP-1' });

    const march = await onehop.programOverview({ from: at('2026-03-01T00:00:00Z'), to: at('2026-04-01T00:00:00Z') });
    expect(march.period).toEqual({ accrued: 3_000, reversed: 500, approved: 0, payoutsRequested: 0, paid: 0, revenue: 30_000, clicks: 0, signups: 2, qualified: 2 });
    const april = await onehop.programOverview({ from: at('2026-04-01T00:00:00Z'), to: at('2026-05-01T00:00:00Z') });
    expect(april.period).toMatchObject({ accrued: 0, approved: 2_500, payoutsRequested: 1_000, paid: 1_000 });
    const a = await onehop.getBalances('alice');
    const b = await onehop.getBalances('bruno');
    expect(april.now).toEqual({
      pending: a.pending + b.pending,
      on_hold: a.onHold + b.onHold,
      withdrawable: a.withdrawable + b.withdrawable,
      requested: a.requested + b.requested,
      paid: a.paid + b.paid,
    });
    expect(Object.keys(april.now).sort()).toEqual([...BUCKETS].sort());
  });

  it('payouts by status: the approval queue in request order, paged, leaving decided ones', async () => {
    const { onehop, clock, refer, buy } = await program({ payouts: { minimumAmount: 100 } } as Partial<ProgramConfigInput>);
    await onehop.enroll({ userId: 'chloe', code: 'CHLOE123' });
    await refer('a1');
    await refer('b1', 'BRUNO123');
    await refer('c1', 'CHLOE123');
    for (const [referee, amount] of [
      ['a1', 1_000],
      ['b1', 2_000],
      ['c1', 3_000],
    ] as const)
      await buy(referee, amount);
    clock.advanceDays(31);
    await onehop.approveDue();
    const ids: string[] = [];
    for (const userId of ['bruno', 'alice', 'chloe']) {
      await onehop.setPayoutMethod({ userId, method: { type: 'store_credit' } });
      ids.push((await onehop.requestPayout({ userId })).id);
    }
    const first = await onehop.payoutsByStatus({ status: 'requested', limit: 2 });
    const rest = await onehop.payoutsByStatus({ status: 'requested', limit: 2, cursor: first[1]!.id });
    expect([...first, ...rest].map((p) => p.userId)).toEqual(['bruno', 'alice', 'chloe']);

    await onehop.approvePayout({ payoutId: ids[1]!, adminId: 'admin' });
    await onehop.rejectPayout({ payoutId: ids[2]!, adminId: 'admin', reason: 'details do not match' });
    expect((await onehop.payoutsByStatus({ status: 'requested' })).map((p) => p.id)).toEqual([ids[0]]);
    expect((await onehop.payoutsByStatus({ status: 'approved' })).map((p) => p.id)).toEqual([ids[1]]);
    expect(await onehop.payoutsByStatus({ status: 'rejected' })).toMatchObject([{ id: ids[2], statusReason: 'details do not match' }]);
    await expect(onehop.payoutsByStatus({ status: 'open' as never })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'status' });
  });

  it('referrals by status, top referrers for a period and all time, and the funnel', async () => {
    const { onehop, clock, refer, buy } = await program();
    await onehop.enroll({ userId: 'chloe', code: 'CHLOE123' });
    for (let i = 0; i < 3; i++) await onehop.recordClick({ code: 'ALICE123' });
    await onehop.recordClick({ code: 'BRUNO123' });
    await refer('a1');
    await refer('a2');
    await refer('b1', 'BRUNO123');
    await buy('a1', 1_000); // alice 100
    await buy('b1', 5_000); // bruno 500
    clock.set('2026-04-05T12:00:00Z');
    await refer('c1', 'CHLOE123');
    await buy('c1', 9_000); // chloe 900 in April

    const pending = await onehop.referralsByStatus({ status: 'pending', limit: 10 });
    expect(pending.map((r) => r.refereeId)).toEqual(['a2']);
    const qualified1 = await onehop.referralsByStatus({ status: 'qualified', limit: 2 });
    const qualified2 = await onehop.referralsByStatus({ status: 'qualified', limit: 2, cursor: qualified1[1]!.id });
    expect([...qualified1, ...qualified2].map((r) => r.refereeId)).toEqual(['a1', 'b1', 'c1']);

    expect(await onehop.topReferrers({ by: 'earnings' })).toEqual([
      { userId: 'chloe', value: 900 },
      { userId: 'bruno', value: 500 },
      { userId: 'alice', value: 100 },
    ]);
    expect(await onehop.topReferrers({ by: 'earnings', from: at('2026-03-01T00:00:00Z'), to: at('2026-04-01T00:00:00Z'), limit: 1 })).toEqual([
      { userId: 'bruno', value: 500 },
    ]);
    expect(await onehop.topReferrers({ by: 'qualified', from: at('2026-03-01T00:00:00Z'), to: at('2026-04-01T00:00:00Z') })).toEqual([
      { userId: 'alice', value: 1 },
      { userId: 'bruno', value: 1 },
    ]);

    expect(await onehop.funnel({ from: at('2026-03-01T00:00:00Z'), to: at('2026-04-01T00:00:00Z') })).toEqual({
      clicks: 4,
      signups: 3,
      qualified: 2,
      clickToSignupBps: 7500,
      signupToQualifiedBps: 6667,
      clickToQualifiedBps: 5000,
    });
    expect(await onehop.funnel({ userId: 'alice', from: at('2026-03-01T00:00:00Z'), to: at('2026-04-01T00:00:00Z') })).toMatchObject({
      clicks: 3,
      signups: 2,
      qualified: 1,
    });
  });

  it('a statement’s closing balance is its opening balance plus its entries, for any period', async () => {
    const { onehop, clock, refer, buy } = await program({ payouts: { minimumAmount: 100 } } as Partial<ProgramConfigInput>);
    for (const r of ['r1', 'r2', 'r3']) await refer(r);
    // Forty days of activity: purchases, a refund, approvals, a payout, an adjustment.
    for (let d = 0; d < 40; d++) {
      await buy(`r${(d % 3) + 1}`, 1_000 + d * 10);
      if (d === 5) await onehop.recordRefund({ eventId: 're_1', purchaseEventId: 'pi_2', amount: 500 });
      if (d === 35) {
        await onehop.approveDue();
        await onehop.setPayoutMethod({ userId: 'alice', method: { type: 'paypal', email: 'alice@example.com' } });
        const payout = await onehop.requestPayout({ userId: 'alice' });
        await onehop.approvePayout({ payoutId: payout.id, adminId: 'admin' });
        await onehop.markPayoutPaid({ payoutId: payout.id, adminId: 'admin', externalReference: 'PP-1' });
        await onehop.adjustBalance({ userId: 'alice', amount: -50, adminId: 'admin', reason: 'fee' });
      }
      clock.advance(DAY);
    }
    const start = at('2026-03-01T00:00:00Z').getTime();
    const end = clock.now().getTime();
    const all = await onehop.listLedger('alice', { limit: 1000 });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: start, max: end }), fc.integer({ min: 1, max: 45 * DAY }), async (from, span) => {
        const s = await onehop.statement({ userId: 'alice', from: new Date(from), to: new Date(from + span) });
        const expected = Object.fromEntries(BUCKETS.map((b) => [b, s.opening[b] + s.entries.filter((e) => e.bucket === b).reduce((t, e) => t + e.amount, 0)]));
        expect(s.closing).toEqual(expected);
        // Opening = everything before `from`; entries = exactly those within the period.
        const before = all.filter((e) => e.at.getTime() < from);
        expect(s.opening).toEqual(Object.fromEntries(BUCKETS.map((b) => [b, before.filter((e) => e.bucket === b).reduce((t, e) => t + e.amount, 0)])));
        expect(s.entries.map((e) => e.id)).toEqual(all.filter((e) => e.at.getTime() >= from && e.at.getTime() < from + span).map((e) => e.id));
      }),
      { numRuns: Math.min(options.propertyRuns, 25) },
    );
  });

  it('tax export: payouts paid per referrer in a calendar year, RFC 4180 CSV with a stable header', async () => {
    const { onehop, clock, refer, buy } = await program({ payouts: { minimumAmount: 100 } } as Partial<ProgramConfigInput>);
    await onehop.enroll({ userId: 'chloe, "the" agent', code: 'CHLOE123' });
    await refer('r1');
    await refer('r2', 'CHLOE123');
    await buy('r1', 12_345); // 10 % is 1,234.5: half-even gives 1,234
    await buy('r2', 20_000);
    clock.set('2026-12-31T10:00:00Z');
    await onehop.approveDue();
    const pay = async (userId: string) => {
      await onehop.setPayoutMethod({ userId, method: { type: 'paypal', email: 'payee@example.com' } });
      const payout = await onehop.requestPayout({ userId });
      await onehop.approvePayout({ payoutId: payout.id, adminId: 'admin' });
      await onehop.markPayoutPaid({ payoutId: payout.id, adminId: 'admin', externalReference: `PP-${userId.length}` });
    };
    await pay('alice');
    clock.set('2027-01-02T10:00:00Z');
    await pay('chloe, "the" agent');

    expect(await onehop.taxExport({ year: 2026 })).toBe(`${TAX_EXPORT_HEADER.join(',')}\r\nalice,alice@example.com,2026,USD,1234,12.34\r\n`);
    expect(await onehop.taxExport({ year: 2027 })).toBe(`${TAX_EXPORT_HEADER.join(',')}\r\n"chloe, ""the"" agent",,2027,USD,2000,20.00\r\n`);
    expect(await onehop.taxExport({ year: 2025 })).toBe(`${TAX_EXPORT_HEADER.join(',')}\r\n`);
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
  });

  it('the counters agree with the records after any sequence of sign-ups, purchases, refunds and rejections', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('refer', 'buy', 'refund', 'reject', 'day'), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 50_000 })), {
          maxLength: 25,
        }),
        async (steps) => {
          const { onehop, clock, refer, buy } = await program();
          const purchases: { eventId: string; amount: number; refunded: number }[] = [];
          for (const [op, i, amount] of steps) {
            const referee = `r${i}`;
            const referral = await onehop.getReferralByReferee(referee);
            if (op === 'refer' && !referral) await refer(referee, i % 2 === 0 ? 'ALICE123' : 'BRUNO123', { source: `s${i % 2}` });
            if (op === 'buy' && referral) {
              const result = await buy(referee, amount);
              if (result.status === 'recorded') purchases.push({ eventId: result.eventId, amount, refunded: 0 });
            }
            if (op === 'refund' && purchases.length > 0) {
              const p = purchases[amount % purchases.length]!;
              const part = Math.min(p.amount - p.refunded, Math.ceil(amount / 7));
              if (part > 0) {
                await onehop.recordRefund({ eventId: `re_${p.eventId}_${p.refunded}`, purchaseEventId: p.eventId, amount: part });
                p.refunded += part;
              }
            }
            if (op === 'reject' && referral && referral.status !== 'rejected') await onehop.rejectReferral({ referralId: referral.id, adminId: 'admin', reason: 'test' });
            if (op === 'day') clock.advance(DAY);
          }
          for (const userId of ['alice', 'bruno']) {
            const referrals = await onehop.listReferrals(userId, { limit: 1000 });
            const overview = await onehop.referrerOverview({ userId });
            expect(overview.referrals).toEqual({
              total: referrals.length,
              pending: referrals.filter((r) => r.status === 'pending').length,
              qualified: referrals.filter((r) => r.status === 'qualified').length,
              rejected: referrals.filter((r) => r.status === 'rejected').length,
            });
            const lines = await onehop.listCommissions(userId, { limit: 1000 });
            expect(overview.earnings.total).toBe(lines.reduce((t, c) => t + (c.status === 'rejected' ? 0 : c.amount - c.reversedAmount), 0));
          }
          const overview = await onehop.programOverview({ from: at('2026-01-01T00:00:00Z'), to: at('2027-01-01T00:00:00Z') });
          const balances = await Promise.all(['alice', 'bruno'].map((u) => onehop.getBalances(u)));
          expect(overview.now.pending).toBe(balances.reduce((t, b) => t + b.pending, 0));
          expect(overview.now.on_hold).toBe(balances.reduce((t, b) => t + b.onHold, 0));
          expect(overview.period.revenue).toBe(purchases.reduce((t, p) => t + p.amount, 0));
          // The program's time to conversion (a histogram) against the records: whole days here, so exact.
          const durations = (await Promise.all(['alice', 'bruno'].map((u) => onehop.listReferrals(u, { limit: 1000 }))))
            .flat()
            .filter((r) => r.qualifiedAt !== null)
            .map((r) => r.qualifiedAt!.getTime() - r.attributedAt.getTime())
            .sort((a, b) => a - b);
          const rank = (p: number) => durations[Math.ceil((p / 100) * durations.length) - 1];
          const { timeToConversion } = await onehop.performance({ from: at('2026-03-01T00:00:00Z'), to: at('2026-03-02T00:00:00Z') });
          expect(timeToConversion).toEqual(durations.length === 0 ? null : { count: durations.length, medianMs: rank(50), p90Ms: rank(90) });
        },
      ),
      { numRuns: Math.min(options.propertyRuns, 20) },
    );
  });
}
