import { type ExchangeRateProvider, fixedExchangeRates, type ProgramConfigInput } from '@onehop/core';
import { describe, expect, it } from 'vitest';
import { expectBalanced } from './money-suite';
import type { SetupWith } from './outbox-suite';

const AT = new Date('2026-03-02T10:00:00.000Z');
const QUOTED = new Date('2026-03-01T00:00:00.000Z');
const TEN_PERCENT = { holdingDays: 0, rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } } as const;

/**
 * Purchases in any currency: conversion by the program's rate provider
 * (exact, rounded once per line, every currency exponent), the original
 * amount, currency and rate kept on the event and the line, refunds and
 * chargebacks at the purchase's rate (a full reversal nets to exactly zero,
 * partial ones in any order), and the refusals: no provider, a provider that
 * fails or answers no rate, a refund in another currency than its purchase's.
 */
export function currencySuite(setup: SetupWith): void {
  async function program(rates: Record<string, string> | ExchangeRateProvider | null, extra: Partial<ProgramConfigInput> = {}) {
    const provider =
      rates === null
        ? undefined
        : typeof (rates as ExchangeRateProvider).rate === 'function'
          ? (rates as ExchangeRateProvider)
          : fixedExchangeRates(rates as Record<string, string>, QUOTED);
    const ctx = await setup({ commission: TEN_PERCENT, ...extra }, provider ? { exchangeRates: provider } : {});
    await ctx.onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    for (const referee of ['bob', 'carol', 'dave']) {
      const attributed = await ctx.onehop.attribute({ refereeId: referee, code: 'ALICE123' });
      if (!attributed.ok) throw new Error(attributed.reason);
    }
    const buy = (eventId: string, amount: number, currency: string, refereeId = 'bob') =>
      ctx.onehop.recordPurchase({ eventId, refereeId, amount, currency, occurredAt: AT });
    const stored = (eventId: string) => ctx.store.transaction((tx) => tx.events.get(ctx.scope, 'purchase', eventId));
    const lineOf = async (eventId: string) => {
      const lines = await ctx.onehop.listCommissions('alice', { limit: 1000 });
      return lines.find((c) => c.sourceEventId === eventId)!;
    };
    return { ...ctx, buy, stored, lineOf };
  }

  it('converts a foreign purchase at the provider’s rate and rounds the line once, from the exact converted value', async () => {
    const { buy, lineOf, stored } = await program({ 'EUR/USD': '1.0001' });
    // 0.25 EUR at 1.0001 is 25.0025 cents: the purchase counts as 25 cents, and 10 % of 25.0025 is 2.50025, which rounds to 3
    // (10 % of the rounded 25 would be 2.5, rounded half-even to 2: two roundings).
    const result = await buy('pi_1', 25, 'EUR');
    expect(result).toMatchObject({ status: 'recorded', commissions: [{ amount: 3 }] });
    const line = await lineOf('pi_1');
    expect(line.calculation).toMatchObject({
      baseAmount: 25,
      rateBps: 1000,
      conversion: { amount: 25, currency: 'EUR', rate: 10001, rateScale: 4, rateAt: QUOTED.toISOString() },
    });
    const event = await stored('pi_1');
    expect(event).toMatchObject({ amount: 25, reversedAmount: 0 });
    expect(event!.result.details).toEqual({
      currency: 'EUR',
      programAmount: 25,
      conversion: { amount: 25, currency: 'EUR', rate: 10001, rateScale: 4, rateAt: QUOTED.toISOString() },
      productId: null,
      planId: null,
      subscriptionId: null,
      metadata: null,
    });
  });

  it('a purchase in the program’s currency asks no provider and keeps no conversion', async () => {
    let asked = 0;
    const { buy, lineOf, stored } = await program({
      rate: () => {
        asked++;
        return { rate: '2', at: QUOTED };
      },
    });
    await buy('pi_1', 1000, 'USD');
    expect(asked).toBe(0);
    expect((await lineOf('pi_1')).calculation.conversion).toBeUndefined();
    expect((await stored('pi_1'))!.result.details).toMatchObject({ currency: 'USD', programAmount: 1000, conversion: null });
  });

  describe('every currency exponent (JPY 0, USD 2, KWD 3)', () => {
    const cases = [
      // program, purchase currency, amount in its minor units, rate, amount in the program's minor units, the 10 % line
      { program: 'USD', currency: 'JPY', amount: 1000, rate: '0.0066', converted: 660, line: 66 },
      { program: 'USD', currency: 'KWD', amount: 1234, rate: '3.25', converted: 401, line: 40 },
      { program: 'JPY', currency: 'USD', amount: 1999, rate: '150.5', converted: 3008, line: 301 },
      { program: 'KWD', currency: 'EUR', amount: 1000, rate: '0.333', converted: 3330, line: 333 },
      { program: 'KWD', currency: 'JPY', amount: 1000, rate: '0.002', converted: 2000, line: 200 },
    ];
    for (const c of cases) {
      it(`${c.amount} ${c.currency} minor units at ${c.rate} are ${c.converted} ${c.program} minor units`, async () => {
        const { buy, lineOf, onehop } = await program({ [`${c.currency}/${c.program}`]: c.rate }, { currency: c.program });
        expect(await buy('pi_1', c.amount, c.currency)).toMatchObject({ status: 'recorded', commissions: [{ amount: c.line }] });
        expect((await lineOf('pi_1')).calculation.baseAmount).toBe(c.converted);
        expect((await onehop.getReferralByReferee('bob'))?.revenue).toBe(c.converted);
      });
    }
  });

  it('a full refund of a foreign purchase nets its line to exactly zero', async () => {
    const { buy, onehop, lineOf } = await program({ 'EUR/USD': '1.0845' });
    await buy('pi_1', 9999, 'EUR');
    const line = await lineOf('pi_1');
    expect(line.amount).toBe(1084); // 99.99 EUR = 108.439155 USD; 10 % = 10.8439155 → 1084 cents
    const refund = await onehop.recordRefund({ eventId: 're_1', purchaseEventId: 'pi_1', amount: 9999, currency: 'EUR' });
    expect(refund).toMatchObject({ status: 'recorded', reversals: [{ amount: 1084 }] });
    expect(await lineOf('pi_1')).toMatchObject({ reversedAmount: 1084, status: 'reversed' });
    expect(await onehop.getBalances('alice')).toMatchObject({ pending: 0, withdrawable: 0 });
    await expectBalanced(onehop, ['alice']);
  });

  it('partial refunds in any order, and a chargeback of the rest, reverse each line exactly once in total', async () => {
    const { buy, onehop, lineOf, store, scope } = await program({ 'EUR/USD': '1.0845', 'JPY/USD': '0.0066' });
    // Three purchases, each split into parts reversed in a different order; the last part of each is a chargeback.
    const plans = [
      { eventId: 'pi_a', referee: 'bob', amount: 9999, currency: 'EUR', parts: [3333, 1, 6665] },
      { eventId: 'pi_b', referee: 'carol', amount: 777, currency: 'EUR', parts: [700, 77] },
      { eventId: 'pi_c', referee: 'dave', amount: 12345, currency: 'JPY', parts: [5, 12000, 340] },
    ];
    for (const p of plans) await buy(p.eventId, p.amount, p.currency, p.referee);
    const order = [
      ['pi_c', 1],
      ['pi_a', 2],
      ['pi_b', 0],
      ['pi_a', 0],
      ['pi_c', 0],
      ['pi_b', 1],
      ['pi_a', 1],
      ['pi_c', 2],
    ] as const;
    for (const [eventId, index] of order) {
      const p = plans.find((x) => x.eventId === eventId)!;
      const last = index === p.parts.length - 1;
      const input = { eventId: `${eventId}_${index}`, purchaseEventId: eventId, amount: p.parts[index]! };
      const result = last ? await onehop.recordChargeback(input) : await onehop.recordRefund(input);
      expect(result.status).toBe('recorded');
    }
    for (const p of plans) {
      const line = await lineOf(p.eventId);
      expect(line).toMatchObject({ reversedAmount: line.amount, status: 'reversed' });
      // Each reversal is kept in the purchase's currency, with its amount at the purchase's rate.
      const reversal = await store.transaction((tx) => tx.events.get(scope, 'refund', `${p.eventId}_0`));
      expect(reversal!.result.details).toMatchObject({ currency: p.currency, conversion: { currency: p.currency, amount: p.parts[0] } });
    }
    expect(await onehop.getBalances('alice')).toMatchObject({ pending: 0, withdrawable: 0 });
    await expectBalanced(onehop, ['alice']);
  });

  it('a refund in another currency than its purchase’s is refused and writes nothing', async () => {
    const { buy, onehop, lineOf } = await program({ 'EUR/USD': '1.0845' });
    await buy('pi_1', 1000, 'EUR');
    await expect(onehop.recordRefund({ eventId: 're_1', purchaseEventId: 'pi_1', amount: 100, currency: 'USD' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'currency',
    });
    expect((await lineOf('pi_1')).reversedAmount).toBe(0);
    expect(await onehop.recordRefund({ eventId: 're_1', purchaseEventId: 'pi_1', amount: 100, currency: 'EUR' })).toMatchObject({ status: 'recorded' });
  });

  it('without a rate provider a foreign purchase is refused as before, with a hint that says how to add one', async () => {
    const { buy, stored, onehop } = await program(null);
    const error = await buy('pi_1', 1000, 'EUR').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CURRENCY_MISMATCH', field: 'currency' });
    expect((error as { hint: string }).hint).toContain('createOnehop({ exchangeRates })');
    expect((error as { hint: string }).hint).toContain('fixedExchangeRates');
    expect(await stored('pi_1')).toBeNull();
    expect((await onehop.getReferralByReferee('bob'))?.status).toBe('pending');
  });

  it('a provider that fails or answers no rate is a typed error, asked before the read, and nothing is written', async () => {
    const answers: (() => unknown)[] = [
      () => {
        throw new Error('rates API unreachable');
      },
      () => Promise.reject(new Error('timeout')),
      () => ({ rate: 1.0845, at: QUOTED }),
      () => ({ rate: '-1', at: QUOTED }),
      () => ({ rate: '1.0845' }),
    ];
    let next = 0;
    const provider: ExchangeRateProvider = { rate: async () => answers[next]!() as never };
    const { buy, stored, onehop } = await program(provider);
    for (next = 0; next < answers.length; next++) {
      await expect(buy('pi_1', 1000, 'EUR')).rejects.toMatchObject({ code: 'EXCHANGE_RATE_UNAVAILABLE', field: 'currency' });
      // A buyer nobody referred: the provider is asked before the read that would find no referral.
      await expect(buy('pi_x', 1000, 'EUR', 'nobody')).rejects.toMatchObject({ code: 'EXCHANGE_RATE_UNAVAILABLE' });
    }
    expect(await stored('pi_1')).toBeNull();
    expect((await onehop.getReferralByReferee('bob'))?.status).toBe('pending');
    expect(await onehop.getBalances('alice')).toMatchObject({ pending: 0 });
  });

  it('an async provider is awaited; a redelivery is answered from the stored event, whatever the rate is now', async () => {
    let rate = '1.5';
    const { buy, onehop, lineOf } = await program({ rate: async () => ({ rate, at: QUOTED }) });
    expect(await buy('pi_1', 1000, 'EUR')).toMatchObject({ status: 'recorded', replayed: false, commissions: [{ amount: 150 }] });
    rate = '2';
    expect(await buy('pi_1', 1000, 'EUR')).toMatchObject({ status: 'recorded', replayed: true, commissions: [{ amount: 150 }] });
    expect((await lineOf('pi_1')).calculation.conversion).toMatchObject({ rate: 15, rateScale: 1 });
    expect(await onehop.getBalances('alice')).toMatchObject({ pending: 150 });
  });
}
