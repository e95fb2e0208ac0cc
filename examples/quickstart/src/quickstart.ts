import { type AttributionResult, createManualClock, createOnehop, formatMoney, type LedgerEntryRecord } from '@onehop/core';
import { createMemoryStore } from '@onehop/memory';

/**
 * The onehop flow on the in-memory store, in mock mode: two referrers enroll
 * and share links, sign-ups arrive with their codes and are accepted or
 * refused, purchases accrue tiered commissions, a refund reverses one, the
 * holding period ends, and a payout is requested, approved and paid.
 * Returns the report as lines.
 */
export async function runQuickstart(): Promise<string[]> {
  const lines: string[] = [];
  const say = (line = '') => lines.push(line);

  const clock = createManualClock('2026-05-01T09:00:00Z');
  const onehop = createOnehop({
    store: createMemoryStore(),
    clock,
    program: {
      id: 'quickstart',
      currency: 'USD',
      mode: 'mock',
      attribution: { windowDays: 30 },
      commission: {
        // 10 % of every purchase in the first 12 months; 15 % once a referrer has 2 qualified referrals.
        rule: {
          type: 'tiered',
          basis: 'qualified_referrals',
          scope: { type: 'within_months', months: 12 },
          tiers: [
            { from: 0, rateBps: 1000 },
            { from: 2, rateBps: 1500 },
          ],
        },
        welcomeReward: { amount: 500 },
        holdingDays: 30,
      },
      payouts: { minimumAmount: 1000 },
    },
  });
  const usd = (minor: number) => formatMoney(minor, 'USD');
  say(`onehop quickstart: program "${onehop.program.id}" in ${onehop.mode} mode, ${onehop.program.currency}`);
  say();

  // 1. Two referrers enroll: one gets a generated code, one asks for a vanity code.
  const alice = (await onehop.enroll({ userId: 'alice', email: 'alice@example.com' })).participant;
  const bob = (await onehop.enroll({ userId: 'bob', email: 'bob@example.com', code: 'bob-rocks' })).participant;
  const again = await onehop.enroll({ userId: 'alice' });
  say('Referrers');
  say(`  alice  code ${alice.code}  (enrolling again returns ${again.participant.code}, created: ${again.created})`);
  say(`  bob    code ${bob.code}  (vanity "bob-rocks", normalised)`);
  say();

  // 2. Their links.
  const aliceLink = await onehop.linkFor({ userId: 'alice', baseUrl: 'https://app.example/signup', utm: { source: 'newsletter' } });
  say('Links');
  say(`  alice  ${aliceLink}`);
  say(`  bob    ${await onehop.linkFor({ userId: 'bob', baseUrl: 'https://app.example/signup' })}`);
  say();

  // 3. Sign-ups arrive. Carol landed on alice's link two days ago: its code and utm_source come from the link itself.
  const clickedAt = new Date(clock.now().getTime() - 2 * 86_400_000);
  const landed = onehop.parseLink(aliceLink)!;
  const attempts: [string, Parameters<typeof onehop.attribute>[0]][] = [
    ["carol signs up with alice's link", { refereeId: 'carol', code: landed.code, email: 'carol@example.com', source: landed.utm.source, clickedAt }],
    ["dave types bob's code in mixed case", { refereeId: 'dave', code: 'Bob-Rocks', email: 'dave@example.com' }],
    ["gina signs up with alice's code", { refereeId: 'gina', code: alice.code }],
    ['alice tries her own code', { refereeId: 'alice', code: alice.code }],
    ['alice signs up again as a new account', { refereeId: 'alice-2', code: alice.code, email: 'Alice+2@Example.com' }],
    ["carol comes back with bob's code", { refereeId: 'carol', code: bob.code }],
    ['erin clicked 45 days ago', { refereeId: 'erin', code: bob.code, clickedAt: new Date(clock.now().getTime() - 45 * 86_400_000) }],
    ['frank types a code that does not exist', { refereeId: 'frank', code: 'NOPE2345' }],
  ];
  say('Sign-ups');
  for (const [label, input] of attempts) say(`  ${label.padEnd(42)} ${describe(await onehop.attribute(input))}`);
  say();

  // 4. Where things stand.
  say('Referrals per referrer (one hop: only the direct referrer is credited)');
  for (const referrer of ['alice', 'bob']) {
    const referrals = await onehop.listReferrals(referrer);
    say(
      `  ${referrer.padEnd(6)} ${referrals.length} referral(s): ${referrals.map((r) => `${r.refereeId} (${r.status}${r.source ? `, via ${r.source}` : ''})`).join(', ')}`,
    );
  }
  say();

  // 5. Purchases: the first payment qualifies a referral; commissions accrue by tier.
  say('Purchases (amounts in minor units, shown as USD)');
  const purchases: [string, string, number][] = [
    ['pi_1', 'carol', 4900],
    ['pi_2', 'gina', 12000],
    ['pi_3', 'carol', 2500],
    ['pi_4', 'dave', 9900],
  ];
  for (const [eventId, refereeId, amount] of purchases) {
    const result = await onehop.recordPurchase({ eventId, refereeId, amount, currency: 'USD', occurredAt: clock.now() });
    if (result.status !== 'recorded') continue;
    const lines = result.commissions.map((c) => `${c.beneficiaryId} +${usd(c.amount)} (${c.kind}${c.calculation.rateBps ? ` ${c.calculation.rateBps / 100} %` : ''})`);
    say(`  ${eventId} ${refereeId.padEnd(6)} pays ${usd(amount).padStart(7)}${result.qualified ? ' (qualifies)' : '            '} → ${lines.join(', ')}`);
  }
  const redelivery = await onehop.recordPurchase({ eventId: 'pi_1', refereeId: 'carol', amount: 4900, currency: 'USD', occurredAt: new Date('2026-05-01T09:00:00Z') });
  say(`  pi_1 delivered again → ${redelivery.status === 'recorded' && redelivery.replayed ? 'replayed, nothing changes' : 'unexpected'}`);
  const tierChange = (await onehop.auditTrail('tier', 'alice'))[0];
  if (tierChange) say(`  alice moved from tier ${tierChange.before} to tier ${tierChange.after} with ${tierChange.sourceEvent}; later purchases earn 15 %`);
  say();

  // 6. A refund, the end of the holding period, a payout.
  const refund = await onehop.recordRefund({ eventId: 're_1', purchaseEventId: 'pi_3', amount: 2500 });
  say('Refund of pi_3 (in full)');
  if (refund.status === 'recorded') for (const r of refund.reversals) say(`  reverses ${usd(r.amount)} of ${r.commissionId}`);
  clock.advanceDays(31);
  const { approved } = await onehop.approveDue();
  say();
  say(`31 days later: approveDue() approved ${approved} commission(s)`);
  await onehop.setPayoutMethod({ userId: 'alice', method: { type: 'paypal', email: 'alice@example.com' } });
  const payout = await onehop.requestPayout({ userId: 'alice' });
  await onehop.approvePayout({ payoutId: payout.id, adminId: 'admin' });
  await onehop.markPayoutPaid({ payoutId: payout.id, adminId: 'admin', externalReference: 'PP-0001' });
  say(`alice requested a payout of ${usd(payout.amount)}; the admin approved it and marked it paid (PP-0001)`);
  say();

  // 7. The ledger and balances.
  for (const user of ['alice', 'carol']) {
    const b = await onehop.getBalances(user);
    say(`${user}: pending ${usd(b.pending)}, withdrawable ${usd(b.withdrawable)}, requested ${usd(b.requested)}, paid ${usd(b.paid)}`);
  }
  say();
  say("alice's ledger");
  for (const e of await onehop.listLedger('alice')) say(`  ${describeEntry(e, usd)}`);
  return lines;
}

function describeEntry(e: LedgerEntryRecord, usd: (n: number) => string): string {
  const amount = (e.amount > 0 ? '+' : '') + usd(e.amount);
  return `${e.kind.padEnd(14)} ${e.bucket.padEnd(12)} ${amount.padStart(9)}  ${e.sourceType}:${e.sourceId}`;
}

function describe(result: AttributionResult): string {
  return result.ok ? `→ referral to ${result.referral.referrerId}, ${result.referral.status}` : `→ refused: ${result.reason}`;
}
