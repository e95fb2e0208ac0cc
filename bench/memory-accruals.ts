/**
 * pnpm bench: accruals per second on the in-memory store, beside a baseline
 * of plain Map inserts measured in the same run on the same machine.
 *
 * An accrual here is one `recordPurchase` that qualifies or extends a
 * referral and writes a commission line, two ledger entries' worth of
 * balance updates, its source event and audit line, validated and hashed
 * like any production call. Run on one core: calls are awaited one by one.
 *
 * Beside it, a fresh-store scenario, as a test or a serverless start runs it:
 * create the store and the engine, enroll a referrer, attribute a referee,
 * record their purchase; time per scenario (goal: under 0.3 ms).
 */
import { createManualClock, createOnehop } from '@onehop/core';
import { createMemoryStore } from '@onehop/memory';

const ACCRUALS = Number(process.env.BENCH_ACCRUALS ?? 50_000);
const REFERRERS = 100;
const REFEREES = 10_000;

function rate(n: number, ms: number): number {
  return Math.round((n / ms) * 1000);
}

async function baseline(n: number): Promise<number> {
  // The floor: one object built and stored in a Map per accrual, nothing else.
  const map = new Map<string, object>();
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    map.set(`pi_${i}`, { eventId: `pi_${i}`, refereeId: `referee-${i % REFEREES}`, amount: 1000 + (i % 500), currency: 'USD', at: new Date() });
  }
  return rate(n, performance.now() - start);
}

async function accruals(n: number): Promise<number> {
  const clock = createManualClock('2026-01-01T00:00:00Z');
  const onehop = createOnehop({
    store: createMemoryStore(),
    clock,
    program: {
      id: 'bench',
      currency: 'USD',
      mode: 'mock',
      commission: {
        rule: {
          type: 'tiered',
          scope: { type: 'lifetime' },
          tiers: [
            { from: 0, rateBps: 1000 },
            { from: 50, rateBps: 1500 },
          ],
        },
      },
    },
  });
  const codes: string[] = [];
  for (let i = 0; i < REFERRERS; i++) codes.push((await onehop.enroll({ userId: `referrer-${i}` })).participant.code);
  for (let i = 0; i < REFEREES; i++) await onehop.attribute({ refereeId: `referee-${i}`, code: codes[i % REFERRERS]! });
  const occurredAt = clock.now();
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const result = await onehop.recordPurchase({ eventId: `pi_${i}`, refereeId: `referee-${i % REFEREES}`, amount: 1000 + (i % 500), currency: 'USD', occurredAt });
    if (result.status !== 'recorded' || result.commissions.length === 0) throw new Error(`purchase ${i} accrued nothing`);
  }
  return rate(n, performance.now() - start);
}

const SCENARIOS = Number(process.env.BENCH_SCENARIOS ?? 5_000);

/** Milliseconds per fresh-store scenario: a new store and engine, enroll, attribute, purchase. */
async function freshStores(n: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const onehop = createOnehop({
      store: createMemoryStore(),
      program: { id: 'fresh', currency: 'USD', mode: 'mock', commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } } },
    });
    const { participant } = await onehop.enroll({ userId: 'referrer' });
    await onehop.attribute({ refereeId: 'referee', code: participant.code });
    const result = await onehop.recordPurchase({ eventId: 'pi_1', refereeId: 'referee', amount: 1000, currency: 'USD', occurredAt: new Date() });
    if (result.status !== 'recorded' || result.commissions.length !== 1) throw new Error(`scenario ${i} accrued nothing`);
  }
  return (performance.now() - start) / n;
}

// Warm up the JIT on both, then measure.
await baseline(20_000);
await accruals(5_000);
const base = await baseline(ACCRUALS);
const engine = await accruals(ACCRUALS);
await freshStores(500);
const fresh = await freshStores(SCENARIOS);

console.log(`onehop bench: memory store, ${ACCRUALS} accruals, node ${process.version}, one core`);
console.log('');
console.log(`| measure | per second |`);
console.log(`| --- | ---: |`);
console.log(`| baseline: plain Map inserts | ${base.toLocaleString('en-US')} |`);
console.log(`| recordPurchase accruals (memory store) | ${engine.toLocaleString('en-US')} |`);
console.log('');
console.log(
  `accruals run at ${((engine / base) * 100).toFixed(2)} % of the baseline; goal: at least 50,000 accruals per second (${engine >= 50_000 ? 'met' : 'NOT met'})`,
);
console.log('');
console.log(`| fresh store, ${SCENARIOS.toLocaleString('en-US')} scenarios | per scenario | per second |`);
console.log(`| --- | ---: | ---: |`);
console.log(`| create store and engine, enroll, attribute, purchase | ${fresh.toFixed(3)} ms | ${Math.round(1000 / fresh).toLocaleString('en-US')} |`);
console.log('');
console.log(`goal: a fresh-store scenario under 0.3 ms (${fresh < 0.3 ? 'met' : 'NOT met'}: ${fresh.toFixed(3)} ms)`);
