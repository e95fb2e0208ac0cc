import { normalizeEmail, type Onehop, type OnehopEvent, type ProgramConfigInput, type Store } from '@onehop/core';
import { composeIBAN } from 'ibantools';
import { expect, it } from 'vitest';
import { expectBalanced } from './money-suite';
import type { SetupWith } from './outbox-suite';

/** Every string value a store holds, read from its storage directly (see `ConformanceOptions.storedStrings`). */
export type StoredStrings = (store: Store) => Promise<string[]>;

const DAY = 86_400_000;
const BASE = 'https://shop.example/join';
const PROGRAM = {
  commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } }, holdingDays: 1 },
} as Partial<ProgramConfigInput>;

/** Delivers everything due and returns what the handler saw. */
async function drain(onehop: Onehop): Promise<OnehopEvent[]> {
  const seen: OnehopEvent[] = [];
  const dispatcher = onehop.createDispatcher({ handlers: { '*': (e) => void seen.push(e) } });
  while ((await dispatcher.runOnce()).claimed > 0);
  return seen;
}

/** What must be gone after erasure: one person's identifying values, unique to one test so a shared database holds them nowhere else. */
function person() {
  const tag = Math.random().toString(36).slice(2, 10);
  return {
    email: `Ada.Erase.${tag}@Example.org`,
    paypal: `ada-pays-${tag}@example.net`,
    holder: `Ada Byron-King ${tag}`,
    // A valid German IBAN (its check digits computed) for a random account number.
    iban: composeIBAN({ countryCode: 'DE', bban: `3704004405${(Math.floor(Math.random() * 1e8) + 1e8).toString().slice(1)}` })!,
    ip: `198.51.100.${1 + Math.floor(Math.random() * 250)}`,
  };
}

/** The money a program holds for some accounts: balances and the ledger's sums per bucket. */
async function money(onehop: Onehop, accounts: string[]) {
  const scope = { programId: onehop.program.id, mode: onehop.mode };
  return onehop.store.transaction(async (tx) => {
    const out: Record<string, unknown> = {};
    for (const account of accounts) {
      const entries = await tx.ledger.listByAccount(scope, account, { limit: 1_000_000 });
      const sums: Record<string, number> = {};
      for (const e of entries) sums[e.bucket] = (sums[e.bucket] ?? 0) + e.amount;
      out[account] = { balance: await tx.balances.get(scope, account), entries: entries.length, sums };
    }
    return out;
  });
}

/**
 * Erasure: a user's personal data is gone from every stored value, on every
 * store, and the money is exactly what it was.
 */
export function erasureSuite(setup: SetupWith, storedStrings: StoredStrings): void {
  it('leaves none of a user’s personal data in any stored value, as referee, invitee, inviter, referrer and payee, and leaves the money as it was', async () => {
    const ada = person();
    const { onehop, clock, store } = await setup(PROGRAM);
    await onehop.enroll({ userId: 'alice', code: 'ALICE123', email: 'alice@example.com' });
    // Alice invites Ada; Ada clicks Alice's link (a landing URL that carries her address) and accepts.
    const invited = await onehop.invite({ inviterId: 'alice', email: ada.email, message: `Hi ${ada.holder}, join me`, baseUrl: BASE });
    // The mail server refuses her address: the handler's message quotes it, and the event becomes a dead letter.
    const refusing = onehop.createDispatcher({
      handlers: { 'invitation.sent': (e) => Promise.reject(new Error(`550 mailbox ${String(e.data.email)} unavailable`)) },
      maxAttempts: 1,
    });
    expect(await refusing.runOnce()).toMatchObject({ dead: 1 });
    const landingUrl = `${BASE}?ref=ALICE123&email=${encodeURIComponent(ada.email)}`;
    expect(await onehop.recordClick({ code: 'ALICE123', ip: ada.ip, landingUrl })).toMatchObject({ status: 'recorded' });
    const accepted = await onehop.acceptInvitation({ token: invited.invitation.token, refereeId: 'ada', email: ada.email, ip: ada.ip, deviceId: `dev-${ada.ip}` });
    expect(accepted).toMatchObject({ ok: true });
    await onehop.enroll({ userId: 'ada', code: 'ADA12345', email: ada.email });
    await onehop.recordSignIn({ userId: 'ada', ip: ada.ip });
    // Ada buys and is partly refunded; Alice earns from her.
    await onehop.recordPurchase({ eventId: 'pi_ada_1', refereeId: 'ada', amount: 10_000, currency: 'USD', occurredAt: clock.now() });
    await onehop.recordRefund({ eventId: 're_ada_1', purchaseEventId: 'pi_ada_1', amount: 2_000 });
    // Ada invites someone with a note that names her, and refers Bob, who buys.
    await onehop.invite({ inviterId: 'ada', email: 'grace@example.com', message: `From ${ada.holder} (${ada.email})`, baseUrl: BASE });
    await onehop.attribute({ refereeId: 'bob', code: 'ADA12345', email: 'bob@example.com' });
    // Ada redeems her own code at checkout under another account: refused, and her address is kept nowhere.
    expect(
      await onehop.recordPurchase({
        eventId: 'pi_ada_self',
        refereeId: 'ada-alt',
        amount: 1_000,
        currency: 'USD',
        occurredAt: clock.now(),
        promoCode: 'ada-12345',
        email: ada.email,
      }),
    ).toMatchObject({ reason: 'PROMO_CODE_REFUSED', promoCode: { reason: 'SELF_REFERRAL' } });
    await onehop.recordPurchase({ eventId: 'pi_bob_1', refereeId: 'bob', amount: 50_000, currency: 'USD', occurredAt: clock.now() });
    await onehop.recordPurchase({ eventId: 'pi_bob_2', refereeId: 'bob', amount: 30_000, currency: 'USD', occurredAt: clock.now() });
    clock.advance(2 * DAY);
    await onehop.approveDue();
    // Ada is paid to her bank account, then switches to PayPal and asks again (left open).
    await onehop.setPayoutMethod({ userId: 'ada', method: { type: 'bank_transfer', accountHolder: ada.holder, iban: ada.iban } });
    const paid = await onehop.requestPayout({ userId: 'ada', amount: 5_000 });
    await onehop.approvePayout({ payoutId: paid.id, adminId: 'admin' });
    await onehop.markPayoutPaid({ payoutId: paid.id, adminId: 'admin', externalReference: 'bank-ref-1' });
    await onehop.setPayoutMethod({ userId: 'ada', method: { type: 'paypal', email: ada.paypal } });
    const open = await onehop.requestPayout({ userId: 'ada' });
    const accounts = ['alice', 'ada', 'bob'];
    const before = await money(onehop, accounts);
    const period = { from: new Date(clock.now().getTime() - 30 * DAY), to: new Date(clock.now().getTime() + DAY) };
    const overview = await onehop.programOverview(period);

    const needles = [ada.email, normalizeEmail(ada.email), encodeURIComponent(ada.email), ada.paypal, ada.holder, ada.iban, ada.ip].map((n) => n.toLowerCase());
    const leaks = async () => (await storedStrings(store)).filter((s) => needles.some((n) => s.toLowerCase().includes(n)));
    // The scan sees what the store holds: before erasure, every kind of value is there.
    const found = (await leaks()).join('\n').toLowerCase();
    for (const needle of needles.filter((n) => n !== ada.ip)) expect(found, `the scan finds ${needle} before erasure`).toContain(needle);

    const erased = await onehop.eraseUser({ userId: 'ada', adminId: 'admin-1', reason: 'erasure request' });
    expect(erased).toMatchObject({ fingerprints: 3, invitations: 2, payouts: 2, payoutMethod: true, clicks: 1, eventErrors: 1 });
    expect(await leaks()).toEqual([]);
    expect(await money(onehop, accounts)).toEqual(before);
    await expectBalanced(onehop, accounts);
    expect(await onehop.programOverview(period)).toEqual(overview);
    // What stays: the referral, the open payout's amount and status, the erasure in the audit trail.
    expect(await onehop.getReferralByReferee('ada')).toMatchObject({ referrerId: 'alice', refereeEmailNormalized: null });
    expect(await onehop.getParticipant('ada')).toMatchObject({ code: 'ADA12345', email: null, emailNormalized: null });
    const payouts = await onehop.payoutsByStatus({ status: 'requested' });
    expect(payouts).toEqual([expect.objectContaining({ id: open.id, amount: open.amount, method: { type: 'erased', was: 'paypal' } })]);
    await expect(onehop.requestPayout({ userId: 'ada' })).rejects.toMatchObject({ code: 'PAYOUT_ALREADY_OPEN' });
    expect((await onehop.auditTrail('participant', 'ada')).at(-1)).toMatchObject({ action: 'participant.erased', reason: 'erasure request' });

    // Idempotent: a second request finds nothing left and changes no money.
    await expect(onehop.eraseUser({ userId: 'ada', adminId: 'admin-1', reason: 'erasure request' })).resolves.toMatchObject({
      fingerprints: 0,
      invitations: 0,
      payouts: 0,
      payoutMethod: false,
      clicks: 0,
      eventErrors: 0,
    });
    expect(await leaks()).toEqual([]);
    expect(await money(onehop, accounts)).toEqual(before);
    await expect(onehop.eraseUser({ userId: 'nobody', adminId: 'admin-1', reason: 'erasure request' })).rejects.toMatchObject({ code: 'PARTICIPANT_NOT_FOUND' });
  });

  it('gives a handler the invitee’s address when the event is delivered, and none once the address is erased', async () => {
    const ada = person();
    const { onehop } = await setup(PROGRAM);
    await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    const first = await onehop.invite({ inviterId: 'alice', email: ada.email, message: 'Join me!', baseUrl: BASE });
    const [sent] = await drain(onehop);
    expect(sent).toMatchObject({
      type: 'invitation.sent',
      entityId: first.invitation.id,
      data: { email: ada.email, message: 'Join me!', link: first.link, sendCount: 1 },
    });
    // Stored: ids and references only.
    const [row] = await onehop.listEvents({ status: 'delivered' });
    expect(row!.data).not.toHaveProperty('email');
    expect(row!.data).not.toHaveProperty('message');
    expect(JSON.stringify(await onehop.auditTrail('invitation', first.invitation.id))).not.toContain(ada.email);

    // Ada signs up through another referrer's link; the inviter's pending invitation waits in the outbox.
    await onehop.enroll({ userId: 'carol', code: 'CAROL123' });
    await onehop.attribute({ refereeId: 'ada', code: 'CAROL123', email: ada.email });
    const second = await onehop.invite({ inviterId: 'carol', email: 'someone@example.com', baseUrl: BASE });
    await onehop.cancelInvitation({ invitationId: first.invitation.id, inviterId: 'alice' });
    await onehop.eraseUser({ userId: 'ada', adminId: 'admin-1', reason: 'erasure request' });
    const delivered = await drain(onehop);
    const cancelled = delivered.find((e) => e.type === 'invitation.cancelled' && e.entityId === first.invitation.id);
    expect(cancelled?.data).toMatchObject({ email: null });
    expect(delivered.find((e) => e.type === 'invitation.sent' && e.entityId === second.invitation.id)?.data).toMatchObject({ email: 'someone@example.com' });
    expect((await onehop.listInvitations({ inviterId: 'alice' }))[0]).toMatchObject({ email: '', emailNormalized: '', message: null, status: 'cancelled' });
  });

  it('finds every invitation to the address a user accepted, even when they gave onehop no address of theirs', async () => {
    const ada = person();
    const { onehop, store } = await setup(PROGRAM);
    await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    await onehop.enroll({ userId: 'carol', code: 'CAROL123' });
    const fromAlice = await onehop.invite({ inviterId: 'alice', email: ada.email, baseUrl: BASE });
    const fromCarol = await onehop.invite({ inviterId: 'carol', email: ada.email, message: 'Come along', baseUrl: BASE });
    expect(await onehop.acceptInvitation({ token: fromAlice.invitation.token, refereeId: 'ada' })).toMatchObject({ ok: true });
    expect(await onehop.eraseUser({ userId: 'ada', adminId: 'admin-1', reason: 'erasure request' })).toMatchObject({ invitations: 2 });
    expect(await onehop.listInvitations({ inviterId: 'carol' })).toEqual([
      expect.objectContaining({ id: fromCarol.invitation.id, status: 'cancelled', email: '', emailNormalized: '', message: null }),
    ]);
    expect(await onehop.listInvitations({ inviterId: 'alice' })).toEqual([expect.objectContaining({ status: 'accepted', acceptedBy: 'ada', email: '' })]);
    expect((await storedStrings(store)).filter((v) => v.toLowerCase().includes(normalizeEmail(ada.email)))).toEqual([]);
  });
}
