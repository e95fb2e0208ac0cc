import type { Onehop, ProgramConfigInput } from '@onehop/core';
import { expect, it } from 'vitest';
import type { Setup } from './money-suite';

/** Attribution of a sign-up to a referrer: the rules that refuse it, replays, races. */
export function attributionSuite(setup: Setup): void {
  async function withReferrer(program: Partial<ProgramConfigInput> = {}) {
    const ctx = await setup(program);
    const { participant } = await ctx.onehop.enroll({ userId: 'alice', email: 'alice.smith@gmail.com', code: 'ALICE123' });
    return { ...ctx, referrer: participant };
  }

  it('attributes a sign-up to the code owner as a pending referral', async () => {
    const { onehop, clock } = await withReferrer();
    const clickedAt = new Date(clock.now().getTime() - 3_600_000);
    const result = await onehop.attribute({ refereeId: 'bob', code: 'alice-123', email: 'bob@example.com', source: 'newsletter', clickedAt, ip: '203.0.113.9' });
    if (!result.ok) throw new Error(`expected success, got ${result.reason}`);
    expect(result.referral).toMatchObject({
      referrerId: 'alice',
      refereeId: 'bob',
      code: 'ALICE123',
      status: 'pending',
      source: 'newsletter',
      clickedAt,
      attributedAt: clock.now(),
    });
    expect(await onehop.getReferralByReferee('bob')).toEqual(result.referral);
    expect(await onehop.listReferrals('alice')).toEqual([result.referral]);
    const trail = await onehop.auditTrail('referral', result.referral.id);
    expect(trail[0]).toMatchObject({ action: 'referral.created', after: 'pending' });
  });

  async function expectRejected(onehop: Onehop, input: Parameters<Onehop['attribute']>[0], reason: string) {
    const result = await onehop.attribute(input);
    expect(result).toMatchObject({ ok: false, reason });
    // Nothing but an audit record of the attempt.
    expect(await onehop.getReferralByReferee(input.refereeId)).toBeNull();
    const trail = await onehop.auditTrail('attribution_attempt', input.refereeId);
    expect(trail.at(-1)).toMatchObject({ action: 'attribution.rejected', reason });
    return result;
  }

  it('a refused attribution writes one audit line and nothing else; a fraud rule’s refusal also emits fraud.flagged', async () => {
    const { onehop } = await withReferrer({ fraud: { ipMatch: false, ipVelocity: { max: 1, windowHours: 1, action: 'reject' } } } as Partial<ProgramConfigInput>);
    const eventsBefore = (await onehop.listEvents({ status: 'pending', limit: 1000 })).length;
    expect(await onehop.attribute({ refereeId: 'bob', code: 'NOPE2345' })).toMatchObject({ ok: false, reason: 'UNKNOWN_CODE' });
    expect(await onehop.auditTrail('attribution_attempt', 'bob')).toEqual([expect.objectContaining({ action: 'attribution.rejected', reason: 'UNKNOWN_CODE' })]);
    expect(await onehop.listEvents({ status: 'pending', limit: 1000 })).toHaveLength(eventsBefore);
    // A fraud rule: the second sign-up from one IP within the hour.
    expect((await onehop.attribute({ refereeId: 'carol', code: 'ALICE123', ip: '203.0.113.70' })).ok).toBe(true);
    const afterFirst = await onehop.listEvents({ status: 'pending', limit: 1000 });
    expect(await onehop.attribute({ refereeId: 'dan', code: 'ALICE123', ip: '203.0.113.70' })).toMatchObject({ ok: false, reason: 'IP_VELOCITY' });
    expect(await onehop.auditTrail('attribution_attempt', 'dan')).toEqual([expect.objectContaining({ action: 'attribution.rejected', reason: 'IP_VELOCITY' })]);
    const added = (await onehop.listEvents({ status: 'pending', limit: 1000 })).slice(afterFirst.length);
    expect(added).toEqual([
      expect.objectContaining({
        type: 'fraud.flagged',
        subjectId: 'alice',
        entityType: 'attribution_attempt',
        entityId: 'dan',
        data: { action: 'reject', rule: 'velocity', reason: 'IP_VELOCITY' },
      }),
    ]);
    // No referral, no count.
    expect(await onehop.getReferralByReferee('dan')).toBeNull();
    expect((await onehop.referrerOverview({ userId: 'alice' })).referrals).toMatchObject({ total: 1 });
  });

  it('rejects an unknown code', async () => {
    const { onehop } = await withReferrer();
    await expectRejected(onehop, { refereeId: 'bob', code: 'NOPE2345' }, 'UNKNOWN_CODE');
  });

  it('rejects a code whose owner is suspended, and accepts it again after reinstatement', async () => {
    const { onehop } = await withReferrer();
    await onehop.suspendParticipant({ userId: 'alice', adminId: 'admin-1', reason: 'investigation' });
    await expectRejected(onehop, { refereeId: 'bob', code: 'ALICE123' }, 'REFERRER_INACTIVE');
    await onehop.reinstateParticipant({ userId: 'alice', adminId: 'admin-1', reason: 'cleared' });
    expect((await onehop.attribute({ refereeId: 'bob', code: 'ALICE123' })).ok).toBe(true);
    const actions = (await onehop.auditTrail('participant', 'alice')).map((a) => a.action);
    expect(actions).toEqual(['participant.enrolled', 'participant.suspended', 'participant.reinstated']);
  });

  it('rejects self-referral by user id', async () => {
    const { onehop } = await withReferrer();
    const result = await expectRejected(onehop, { refereeId: 'alice', code: 'ALICE123' }, 'SELF_REFERRAL');
    expect(result).toMatchObject({ details: { match: 'user_id' } });
  });

  it('rejects self-referral by the same normalised email', async () => {
    const { onehop } = await withReferrer();
    const result = await expectRejected(onehop, { refereeId: 'alice-2', code: 'ALICE123', email: 'Alice.Smith+promo@googlemail.com' }, 'SELF_REFERRAL');
    expect(result).toMatchObject({ details: { match: 'email' } });
  });

  it('accepts a referee whose email differs, and one with no email', async () => {
    const { onehop } = await withReferrer();
    expect((await onehop.attribute({ refereeId: 'bob', code: 'ALICE123', email: 'alice.smith@example.com' })).ok).toBe(true);
    expect((await onehop.attribute({ refereeId: 'carol', code: 'ALICE123' })).ok).toBe(true);
  });

  it('rejects a click older than the attribution window, accepts one on its edge', async () => {
    const { onehop, clock } = await withReferrer({ attribution: { windowDays: 30 } });
    const day = 86_400_000;
    await expectRejected(onehop, { refereeId: 'bob', code: 'ALICE123', clickedAt: new Date(clock.now().getTime() - 30 * day - 1) }, 'CLICK_EXPIRED');
    expect((await onehop.attribute({ refereeId: 'carol', code: 'ALICE123', clickedAt: new Date(clock.now().getTime() - 30 * day) })).ok).toBe(true);
  });

  it('rejects a second attribution of a referee; the first stands', async () => {
    const { onehop } = await withReferrer();
    await onehop.enroll({ userId: 'dave', code: 'DAVE1234' });
    const first = await onehop.attribute({ refereeId: 'bob', code: 'ALICE123' });
    const result = await onehop.attribute({ refereeId: 'bob', code: 'DAVE1234' });
    expect(result).toMatchObject({ ok: false, reason: 'DUPLICATE_REFEREE', details: { existingReferrerId: 'alice' } });
    expect(await onehop.getReferralByReferee('bob')).toEqual(first.ok ? first.referral : null);
    expect(await onehop.listReferrals('dave')).toEqual([]);
  });

  it('answers a repeated attribution with the same code as the first one did (replayed), writing nothing', async () => {
    const { onehop } = await withReferrer();
    const first = await onehop.attribute({ refereeId: 'bob', code: 'ALICE123', source: 'newsletter' });
    expect(first).toMatchObject({ ok: true, replayed: false, review: null });
    const trail = await onehop.auditTrail('referral', first.ok ? first.referral.id : '');
    const events = await onehop.listEvents({ status: 'pending' });
    // A caller whose first call lost its reply runs it again: same answer, typed the same way.
    const again = await onehop.attribute({ refereeId: 'bob', code: 'alice-123', source: 'newsletter' });
    expect(again).toEqual({ ...first, replayed: true });
    expect(await onehop.listReferrals('alice')).toHaveLength(1);
    expect(await onehop.auditTrail('referral', first.ok ? first.referral.id : '')).toEqual(trail);
    expect(await onehop.auditTrail('attribution_attempt', 'bob')).toEqual([]);
    expect(await onehop.listEvents({ status: 'pending' })).toEqual(events);
    // Another referrer's code is still refused: the first attribution stands.
    await onehop.enroll({ userId: 'dave', code: 'DAVE1234' });
    expect(await onehop.attribute({ refereeId: 'bob', code: 'DAVE1234' })).toMatchObject({
      ok: false,
      reason: 'DUPLICATE_REFEREE',
      details: { existingReferrerId: 'alice' },
    });
  });

  it('answers a replay before any rule that the first attribution itself changed (velocity, click window)', async () => {
    const { onehop, clock } = await withReferrer({ attribution: { windowDays: 1 }, fraud: { referrerVelocity: { max: 1, windowHours: 1, action: 'reject' } } });
    const clickedAt = clock.now();
    const first = await onehop.attribute({ refereeId: 'bob', code: 'ALICE123', clickedAt });
    expect(first).toMatchObject({ ok: true, replayed: false });
    // The referrer is now at the velocity limit, and later the click leaves the window: the repeat still answers as the first call did.
    expect(await onehop.attribute({ refereeId: 'bob', code: 'ALICE123', clickedAt })).toMatchObject({
      ok: true,
      replayed: true,
      referral: { id: first.ok ? first.referral.id : '' },
    });
    clock.advanceDays(2);
    expect(await onehop.attribute({ refereeId: 'bob', code: 'ALICE123', clickedAt })).toMatchObject({ ok: true, replayed: true });
    expect(await onehop.attribute({ refereeId: 'carol', code: 'ALICE123', clickedAt })).toMatchObject({ ok: false, reason: 'CLICK_EXPIRED' });
  });

  it('answers every one of many identical racing attributions: one makes the referral, the others replay it', async () => {
    const { onehop } = await withReferrer();
    const results = await Promise.all(Array.from({ length: 8 }, () => onehop.attribute({ refereeId: 'bob', code: 'ALICE123' })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => (r.ok ? r.referral.id : null))).size).toBe(1);
    expect(await onehop.listReferrals('alice')).toHaveLength(1);
  });

  it('credits only the direct referrer: there is no chain', async () => {
    const { onehop } = await withReferrer();
    const bob = (await onehop.enroll({ userId: 'bob' })).participant;
    await onehop.attribute({ refereeId: 'bob', code: 'ALICE123' });
    const result = await onehop.attribute({ refereeId: 'carol', code: bob.code });
    expect(result).toMatchObject({ ok: true, referral: { referrerId: 'bob', refereeId: 'carol' } });
    expect((await onehop.listReferrals('alice')).map((r) => r.refereeId)).toEqual(['bob']);
    expect((await onehop.listReferrals('bob')).map((r) => r.refereeId)).toEqual(['carol']);
  });

  it('attributes one referee exactly once when attributions with different codes race', async () => {
    const { onehop } = await withReferrer();
    const codes = ['ALICE123'];
    for (let i = 0; i < 7; i++) codes.push((await onehop.enroll({ userId: `ref-${i}` })).participant.code);
    const results = await Promise.all(codes.map((code) => onehop.attribute({ refereeId: 'bob', code })));
    const won = results.filter((r) => r.ok);
    expect(won).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'DUPLICATE_REFEREE')).toBe(true);
    const stored = await onehop.getReferralByReferee('bob');
    expect(stored?.id).toBe(won[0]?.ok ? won[0].referral.id : undefined);
  });
}
