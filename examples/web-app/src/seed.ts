/**
 * Demo data for a first start: a referrer with a month of history (clicks,
 * sign-ups, purchases, a refund, a payout) and a few referrers besides, so
 * both dashboards have something to show. Runs only when the app has no
 * users yet. Sign in as ada@example.com with the password `demo-password`.
 */
import { createManualClock, createOnehop, type ProgramConfigInput, type Store } from '@onehop/core';
import type { SqlClient } from '@onehop/postgres';
import { countUsers, hashPassword, insertUser } from './accounts';
import type { Database } from './database';

export const DEMO_LOGIN = { email: 'ada@example.com', password: 'demo-password' };

const DAY_MS = 86_400_000;

/** Seeds the demo data unless the app has users; answers whether it did. */
export async function seedDemoData(db: Database, program: ProgramConfigInput, now = new Date()): Promise<boolean> {
  if ((await countUsers(db.sql)) > 0) return false;
  // One transaction: a seed that fails leaves nothing behind, and the next start tries again.
  await db.transaction((client, store) => seed(client, store, program, now));
  return true;
}

async function seed(sql: SqlClient, store: Store, program: ProgramConfigInput, now: Date): Promise<void> {
  // The history is recorded as it would have been, day by day, on a clock that starts 30 days ago.
  const clock = createManualClock(new Date(now.getTime() - 30 * DAY_MS));
  const onehop = createOnehop({ store, program, clock });
  const passwordHash = await hashPassword(DEMO_LOGIN.password);
  const people = [
    { id: 'u_demo_ada', name: 'Ada Lovelace', email: DEMO_LOGIN.email, code: 'ADA2026' },
    { id: 'u_demo_grace', name: 'Grace Hopper', email: 'grace@example.com', code: 'GRACE99' },
    { id: 'u_demo_alan', name: 'Alan Turing', email: 'alan@example.com', code: 'TURING42' },
  ];
  for (const p of people) {
    await insertUser(sql, { id: p.id, email: p.email, name: p.name, passwordHash });
    await onehop.enroll({ userId: p.id, email: p.email, code: p.code });
  }
  let n = 0;
  const refer = async (code: string, purchases: number[], source: string) => {
    n += 1;
    const id = `u_demo_customer_${n}`;
    const email = `customer${n}@example.com`;
    await insertUser(sql, { id, email, name: `Customer ${n}`, passwordHash });
    await onehop.enroll({ userId: id, email });
    await onehop.recordClick({ code, source });
    await onehop.attribute({ refereeId: id, code, email, source });
    for (const [i, amount] of purchases.entries()) {
      await onehop.recordPurchase({ eventId: `pi_demo_${n}_${i}`, refereeId: id, amount, currency: 'USD', occurredAt: clock.now() });
    }
    return id;
  };
  for (let d = 0; d < 28; d++) {
    clock.set(new Date(now.getTime() - (30 - d) * DAY_MS));
    // A few clicks that did not sign up, most days.
    for (let k = 0; k < (d * 7) % 5; k++) await onehop.recordClick({ code: d % 3 === 0 ? 'GRACE99' : 'ADA2026', source: 'newsletter' });
    if (d % 3 === 0) await refer('ADA2026', [4_900, 2_900], 'newsletter');
    if (d % 5 === 1) await refer('GRACE99', [2_900, 4_900], 'x');
    if (d % 9 === 4) await refer('TURING42', [], 'linkedin');
    if (d === 10) await onehop.recordRefund({ eventId: 're_demo_1', purchaseEventId: 'pi_demo_1_0', amount: 4_900 });
  }
  // Approve what passed its holding period, and pay Ada once.
  clock.set(new Date(now.getTime() - DAY_MS));
  await onehop.approveDue();
  await onehop.setPayoutMethod({ userId: 'u_demo_ada', method: { type: 'paypal', email: DEMO_LOGIN.email } });
  const payout = await onehop.requestPayout({ userId: 'u_demo_ada' });
  await onehop.approvePayout({ payoutId: payout.id, adminId: 'admin' });
  await onehop.markPayoutPaid({ payoutId: payout.id, adminId: 'admin', externalReference: 'PAYPAL-DEMO-1' });
  await onehop.setPayoutMethod({ userId: 'u_demo_grace', method: { type: 'store_credit' } });
  await onehop.requestPayout({ userId: 'u_demo_grace' });
}
