import { type Onehop, type ProgramConfigInput, type PurchaseResult, type RecordPurchaseInput, ValidationError } from '@onehop/core';
import { expect, it } from 'vitest';
import type { Setup } from './money-suite';

const HOUR = 3_600_000;
const PERCENT_10 = { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } }, holdingDays: 30 } as const;

function recorded(result: PurchaseResult) {
  if (result.status !== 'recorded') throw new Error(`expected recorded, got ${result.status}: ${result.message}`);
  return result;
}

/**
 * Purchases that carry the referral code the customer typed at checkout
 * (`recordPurchase({ promoCode })`): the code refers a buyer who has no
 * referral yet, by the rules of `attribute`, in the purchase's transaction.
 */
export function promoCodesSuite(setup: Setup): void {
  async function program(extra: Partial<ProgramConfigInput> = {}) {
    const ctx = await setup({ commission: PERCENT_10, ...extra });
    await ctx.onehop.enroll({ userId: 'alice', email: 'alice.smith@gmail.com', code: 'ALICE123' });
    let events = 0;
    const buy = (refereeId: string, input: Partial<RecordPurchaseInput> = {}) =>
      ctx.onehop.recordPurchase({ eventId: `pi_${++events}`, refereeId, amount: 10_000, currency: 'USD', occurredAt: ctx.clock.now(), ...input });
    return { ...ctx, buy };
  }

  /** A refused code: the purchase is kept without a referral, no commission, one audit line of the attempt saying why. */
  async function expectRefused(onehop: Onehop, result: PurchaseResult, refereeId: string, reason: string) {
    expect(result).toMatchObject({ status: 'ignored', reason: 'PROMO_CODE_REFUSED', promoCode: { outcome: 'refused', reason } });
    expect(await onehop.getReferralByReferee(refereeId)).toBeNull();
    expect((await onehop.listCommissions('alice')).filter((c) => c.refereeId === refereeId)).toEqual([]);
    const trail = await onehop.auditTrail('attribution_attempt', refereeId);
    expect(trail).toEqual([expect.objectContaining({ action: 'attribution.rejected', reason })]);
    return result;
  }

  it('refers a buyer without a referral to the code’s owner, then accrues the purchase, in one call', async () => {
    const { onehop, clock, buy } = await program();
    const result = recorded(await buy('bob', { promoCode: ' alice-123 ', email: 'bob@example.com' }));
    expect(result.promoCode).toEqual({ outcome: 'attributed', code: 'ALICE123' });
    expect(result.qualified).toBe(true);
    expect(result.commissions).toEqual([expect.objectContaining({ beneficiaryId: 'alice', amount: 1000, status: 'pending' })]);
    const referral = await onehop.getReferralByReferee('bob');
    expect(referral).toMatchObject({
      id: result.referralId,
      referrerId: 'alice',
      code: 'ALICE123',
      status: 'qualified',
      source: 'promo_code',
      refereeEmailNormalized: 'bob@example.com',
      attributedAt: clock.now(),
    });
    expect((await onehop.auditTrail('referral', result.referralId)).map((a) => a.action)).toContain('referral.created');
    expect(await onehop.refereeStatus({ refereeId: 'bob' })).toMatchObject({ referred: true, status: 'qualified' });
  });

  it('refers the buyer as of the payment, so a purchase delivered late is not “before the referral”', async () => {
    const { onehop, clock, buy } = await program();
    const paidAt = new Date(clock.now().getTime() - 6 * HOUR);
    const result = recorded(await buy('bob', { promoCode: 'ALICE123', occurredAt: paidAt }));
    expect(result.commissions).toHaveLength(1);
    expect(await onehop.getReferralByReferee('bob')).toMatchObject({ attributedAt: paidAt, status: 'qualified' });
  });

  it('in a program paying per sign-up, the redemption is the sign-up: its reward accrues with the purchase', async () => {
    const { onehop, buy } = await program({ qualifyOn: 'signup', commission: { rule: { type: 'fixed', amount: 2_000 }, holdingDays: 30 } });
    const result = recorded(await buy('bob', { promoCode: 'ALICE123' }));
    expect(result.promoCode).toMatchObject({ outcome: 'attributed' });
    expect(await onehop.getReferralByReferee('bob')).toMatchObject({ status: 'qualified' });
    expect((await onehop.listCommissions('alice')).map((c) => [c.sourceKind, c.amount])).toContainEqual(['signup', 2_000]);
  });

  it('refuses an unknown code and a suspended owner’s code; the purchase earns nothing and says why', async () => {
    const { onehop, buy } = await program();
    const unknown = await expectRefused(onehop, await buy('bob', { promoCode: 'NOPE2345' }), 'bob', 'UNKNOWN_CODE');
    expect(unknown).toMatchObject({ message: expect.stringContaining('NOPE2345') });
    await onehop.suspendParticipant({ userId: 'alice', adminId: 'admin-1', reason: 'investigation' });
    await expectRefused(onehop, await buy('carol', { promoCode: 'ALICE123' }), 'carol', 'REFERRER_INACTIVE');
    // Reinstated, the same code refers again.
    await onehop.reinstateParticipant({ userId: 'alice', adminId: 'admin-1', reason: 'cleared' });
    expect(recorded(await buy('dan', { promoCode: 'ALICE123' })).promoCode).toMatchObject({ outcome: 'attributed' });
  });

  it('attributes with a replaced (retired) code to its owner, as attribute does', async () => {
    const { onehop, buy } = await program();
    await onehop.replaceCode({ userId: 'alice', newCode: 'ALICENEW', adminId: 'admin-1', reason: 'rebrand' });
    const result = recorded(await buy('bob', { promoCode: 'alice123' }));
    expect(result.promoCode).toEqual({ outcome: 'attributed', code: 'ALICE123' });
    expect(await onehop.getReferralByReferee('bob')).toMatchObject({ referrerId: 'alice' });
  });

  it('refuses a redemption by the referrer themselves: same user, same e-mail (normalised), same card', async () => {
    const { onehop, buy } = await program();
    const byId = await expectRefused(onehop, await buy('alice', { promoCode: 'ALICE123' }), 'alice', 'SELF_REFERRAL');
    expect(byId.promoCode).toMatchObject({ details: { match: 'user_id' } });
    const byEmail = await expectRefused(onehop, await buy('alice-2', { promoCode: 'ALICE123', email: 'Alice.Smith+deal@googlemail.com' }), 'alice-2', 'SELF_REFERRAL');
    expect(byEmail.promoCode).toMatchObject({ details: { match: 'email' } });
    await onehop.recordSignIn({ userId: 'alice', paymentFingerprint: 'card_fp_1' });
    const byCard = await expectRefused(onehop, await buy('alice-3', { promoCode: 'ALICE123', paymentFingerprint: ' CARD_FP_1 ' }), 'alice-3', 'SELF_REFERRAL');
    expect(byCard.promoCode).toMatchObject({ details: { match: 'payment' } });
    // Another card and another address are a customer like any other.
    expect(recorded(await buy('bob', { promoCode: 'ALICE123', email: 'bob@example.com', paymentFingerprint: 'card_fp_2' })).promoCode).toMatchObject({
      outcome: 'attributed',
    });
  });

  it('leaves a buyer who is already referred with their referral; the code changes nothing', async () => {
    const { onehop, buy } = await program();
    const { participant: carol } = await onehop.enroll({ userId: 'carol', code: 'CAROL123' });
    const first = await onehop.attribute({ refereeId: 'bob', code: carol.code });
    if (!first.ok) throw new Error(first.reason);
    const result = recorded(await buy('bob', { promoCode: 'ALICE123' }));
    expect(result.promoCode).toEqual({ outcome: 'already-referred', code: 'ALICE123' });
    expect(result.referralId).toBe(first.referral.id);
    expect(result.commissions).toEqual([expect.objectContaining({ beneficiaryId: 'carol' })]);
    expect(await onehop.listCommissions('alice')).toEqual([]);
    expect(await onehop.auditTrail('attribution_attempt', 'bob')).toEqual([]);
    // A rejected referral stays rejected: the code does not make a new one.
    await onehop.rejectReferral({ referralId: first.referral.id, adminId: 'admin-1', reason: 'fraud' });
    expect(await buy('bob', { promoCode: 'ALICE123' })).toMatchObject({
      status: 'ignored',
      reason: 'REFERRAL_REJECTED',
      promoCode: { outcome: 'already-referred' },
    });
    expect(await onehop.getReferralByReferee('bob')).toMatchObject({ referrerId: 'carol', status: 'rejected' });
  });

  it('answers a redelivered purchase with a promo code as the first delivery did, writing nothing', async () => {
    const { onehop, clock, buy } = await program();
    const input = { eventId: 'pi_promo', promoCode: 'ALICE123', occurredAt: clock.now() };
    const first = recorded(await buy('bob', input));
    // The same code typed another way is the same payload.
    const again = recorded(await buy('bob', { ...input, promoCode: 'alice-123' }));
    expect(again).toEqual({ ...first, replayed: true });
    expect(await onehop.listReferrals('alice')).toHaveLength(1);
    expect(await onehop.listCommissions('alice')).toHaveLength(1);
    // Another code under the same event id is another payload.
    await expect(buy('bob', { ...input, promoCode: 'CAROL123' })).rejects.toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });

    // A refused code is kept with its purchase: redelivered, the answer is the same and no second audit line is written.
    const refused = await buy('alice', { eventId: 'pi_self', promoCode: 'ALICE123' });
    expect(await buy('alice', { eventId: 'pi_self', promoCode: 'ALICE123' })).toEqual(refused);
    expect(await onehop.auditTrail('attribution_attempt', 'alice')).toHaveLength(1);
    // Its refund finds the purchase and reverses nothing.
    expect(await onehop.recordRefund({ eventId: 're_self', purchaseEventId: 'pi_self', amount: 10_000 })).toMatchObject({
      status: 'recorded',
      reversals: [],
    });
  });

  it('two deliveries with a promo code for one buyer at once make one referral', async () => {
    const { onehop, buy } = await program();
    const results = await Promise.all([buy('bob', { promoCode: 'ALICE123' }), buy('bob', { promoCode: 'ALICE123' })]);
    const outcomes = results.map((r) => recorded(r).promoCode?.outcome).sort();
    expect(outcomes).toEqual(['already-referred', 'attributed']);
    expect(await onehop.listReferrals('alice')).toHaveLength(1);
    expect(await onehop.listCommissions('alice')).toHaveLength(2);
  });

  it('counts redemptions toward the fraud rules like link sign-ups', async () => {
    const { onehop, buy } = await program({ fraud: { referrerVelocity: { max: 2, windowHours: 24, action: 'reject' } } });
    // A link sign-up and a redemption fill the referrer's window ...
    expect((await onehop.attribute({ refereeId: 'f1', code: 'ALICE123' })).ok).toBe(true);
    expect(recorded(await buy('f2', { promoCode: 'ALICE123' })).promoCode).toMatchObject({ outcome: 'attributed' });
    const eventsBefore = (await onehop.listEvents({ status: 'pending', limit: 1000 })).length;
    // ... so a third redemption is refused, reported as a fraud finding ...
    const third = await expectRefused(onehop, await buy('f3', { promoCode: 'ALICE123' }), 'f3', 'REFERRER_VELOCITY');
    expect(third.promoCode).toMatchObject({ details: { rule: 'velocity', count: 3, max: 2 } });
    expect((await onehop.listEvents({ status: 'pending', limit: 1000 })).slice(eventsBefore)).toEqual([
      expect.objectContaining({ type: 'fraud.flagged', subjectId: 'alice', entityId: 'f3', data: { action: 'reject', rule: 'velocity', reason: 'REFERRER_VELOCITY' } }),
    ]);
    // ... and so is a link sign-up.
    expect(await onehop.attribute({ refereeId: 'f4', code: 'ALICE123' })).toMatchObject({ ok: false, reason: 'REFERRER_VELOCITY' });
    expect((await onehop.referrerOverview({ userId: 'alice' })).referrals).toMatchObject({ total: 2 });
  });

  it('holds a redemption for review when a fraud rule says review, as a sign-up would be', async () => {
    const { onehop, buy } = await program({ fraud: { referrerVolume: { max: 1, windowHours: 24 } } });
    expect(recorded(await buy('f1', { promoCode: 'ALICE123' })).commissions).toEqual([expect.objectContaining({ status: 'pending' })]);
    const held = recorded(await buy('f2', { promoCode: 'ALICE123' }));
    expect(held.promoCode).toMatchObject({ outcome: 'attributed' });
    expect(held.commissions).toEqual([expect.objectContaining({ status: 'on_hold' })]);
    expect(await onehop.listReviews({ status: 'open' })).toEqual([expect.objectContaining({ entityType: 'referral', entityId: held.referralId })]);
  });

  it('accepts no typed code in a program that takes sign-ups through signed links only', async () => {
    const { onehop, buy } = await program({ links: { signing: { secret: 'x'.repeat(32), required: true } } });
    await expectRefused(onehop, await buy('bob', { promoCode: 'ALICE123' }), 'bob', 'LINK_UNSIGNED');
  });

  it('shows an eligible referee the program’s discount for a billing integration to apply; nobody else', async () => {
    const refereeDiscount = { type: 'percentage', rateBps: 1500, duration: { type: 'months', months: 3 } } as const;
    const { onehop, buy } = await program({ refereeDiscount });
    expect(onehop.program.refereeDiscount).toEqual(refereeDiscount);
    expect(await onehop.refereeStatus({ refereeId: 'bob' })).toMatchObject({ referred: false, discount: null });
    recorded(await buy('bob', { promoCode: 'ALICE123' }));
    expect(await onehop.refereeStatus({ refereeId: 'bob' })).toMatchObject({ eligible: true, discount: refereeDiscount });
    // A rejected referral, or a suspended referrer, gives no discount.
    await onehop.suspendParticipant({ userId: 'alice', adminId: 'admin-1', reason: 'investigation' });
    expect(await onehop.refereeStatus({ refereeId: 'bob' })).toMatchObject({ eligible: false, discount: null });
    // A program without a discount shows none.
    const plain = await program();
    recorded(await plain.buy('bob', { promoCode: 'ALICE123' }));
    expect(await plain.onehop.refereeStatus({ refereeId: 'bob' })).toMatchObject({ eligible: true, discount: null });
  });

  it('refuses a promo code without a letter or digit before writing anything', async () => {
    const { onehop, buy } = await program();
    await expect(buy('bob', { promoCode: ' - ' })).rejects.toSatisfy((e) => e instanceof ValidationError && e.field === 'promoCode');
    expect(await onehop.getReferralByReferee('bob')).toBeNull();
    expect(await onehop.auditTrail('attribution_attempt', 'bob')).toEqual([]);
  });
}
