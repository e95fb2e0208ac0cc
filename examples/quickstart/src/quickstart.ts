import { createManualClock, createOnehop, type AttributionResult } from '@onehop/core';
import { createMemoryStore } from '@onehop/memory';

/**
 * The onehop flow on the in-memory store, in mock mode: two referrers enroll
 * and share links, sign-ups arrive with their codes, and the engine accepts
 * or refuses each one. Returns the report as lines.
 */
export async function runQuickstart(): Promise<string[]> {
  const lines: string[] = [];
  const say = (line = '') => lines.push(line);

  const clock = createManualClock('2026-05-01T09:00:00Z');
  const onehop = createOnehop({
    store: createMemoryStore(),
    clock,
    program: { id: 'quickstart', currency: 'USD', mode: 'mock', attribution: { windowDays: 30 } },
  });
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
  say('Links');
  say(`  alice  ${await onehop.linkFor({ userId: 'alice', baseUrl: 'https://app.example/signup', utm: { source: 'newsletter' } })}`);
  say(`  bob    ${await onehop.linkFor({ userId: 'bob', baseUrl: 'https://app.example/signup' })}`);
  say();

  // 3. Sign-ups arrive.
  const clickedAt = new Date(clock.now().getTime() - 2 * 86_400_000);
  const attempts: [string, Parameters<typeof onehop.attribute>[0]][] = [
    ['carol signs up with alice\'s link', { refereeId: 'carol', code: alice.code, email: 'carol@example.com', source: 'newsletter', clickedAt }],
    ['dave types bob\'s code in mixed case', { refereeId: 'dave', code: 'Bob-Rocks', email: 'dave@example.com' }],
    ['alice tries her own code', { refereeId: 'alice', code: alice.code }],
    ['alice signs up again as a new account', { refereeId: 'alice-2', code: alice.code, email: 'Alice+2@Example.com' }],
    ['carol comes back with bob\'s code', { refereeId: 'carol', code: bob.code }],
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
    say(`  ${referrer.padEnd(6)} ${referrals.length} referral(s): ${referrals.map((r) => `${r.refereeId} (${r.status})`).join(', ')}`);
  }
  return lines;
}

function describe(result: AttributionResult): string {
  return result.ok ? `→ referral to ${result.referral.referrerId}, ${result.referral.status}` : `→ refused: ${result.reason}`;
}
