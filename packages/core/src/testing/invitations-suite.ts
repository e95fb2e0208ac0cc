import type { OnehopEvent } from '@onehop/core';
import { expect, it } from 'vitest';
import type { SetupWith } from './outbox-suite';

const DAY = 86_400_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const BASE = 'https://shop.example/join';

/** Invitations by e-mail: states, resend limits, bulk invites, acceptance as attribution. */
export function invitationsSuite(setup: SetupWith): void {
  it('invites by normalised address with a token link carrying the code, and emits the e-mail to send', async () => {
    const { onehop, clock } = await setup();
    await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    const { invitation, link, created } = await onehop.invite({ inviterId: 'alice', email: 'Bob.Smith@Example.com', message: 'Join me!', baseUrl: BASE });
    expect(created).toBe(true);
    expect(invitation).toMatchObject({ inviterId: 'alice', email: 'Bob.Smith@Example.com', emailNormalized: 'bob.smith@example.com', status: 'pending', sendCount: 1 });
    expect(invitation.expiresAt.getTime()).toBe(clock.now().getTime() + 14 * DAY);
    const url = new URL(link);
    expect(onehop.parseLink(url)?.code).toBe('ALICE123');
    expect(url.searchParams.get('invite')).toBe(invitation.token);
    const [event] = await onehop.listEvents({ status: 'pending' });
    expect(event).toMatchObject({ type: 'invitation.sent', subjectId: 'alice', entityId: invitation.id, data: { link, sendCount: 1 } });
    // The handler gets the address and the message from the invitation when the event is delivered.
    const delivered: OnehopEvent[] = [];
    await onehop.createDispatcher({ handlers: { 'invitation.sent': (e) => void delivered.push(e) } }).runOnce();
    expect(delivered).toEqual([expect.objectContaining({ id: event!.id, data: expect.objectContaining({ email: 'Bob.Smith@Example.com', message: 'Join me!', link }) })]);
    // The same address again (in another spelling) is the same pending invitation, not a second e-mail.
    const again = await onehop.invite({ inviterId: 'alice', email: 'bob.smith@EXAMPLE.com', baseUrl: BASE });
    expect(again).toMatchObject({ created: false, invitation: { id: invitation.id } });
    expect(await onehop.listEvents({ status: 'pending' })).toEqual([]);
    expect((await onehop.referrerOverview({ userId: 'alice' })).invitations).toEqual({ pending: 1, accepted: 0, expired: 0, cancelled: 0 });
  });

  it('refuses bad input, an unknown inviter and the inviter’s own address, writing nothing', async () => {
    const { onehop } = await setup();
    await onehop.enroll({ userId: 'alice', email: 'alice@example.com' });
    await expect(onehop.invite({ inviterId: 'alice', email: 'not-an-address', baseUrl: BASE })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'email' });
    await expect(onehop.invite({ inviterId: 'alice', email: 'x@example.com', baseUrl: 'ftp://x' })).rejects.toMatchObject({ field: 'baseUrl' });
    await expect(onehop.invite({ inviterId: 'nobody', email: 'x@example.com', baseUrl: BASE })).rejects.toMatchObject({ code: 'PARTICIPANT_NOT_FOUND' });
    await expect(onehop.invite({ inviterId: 'alice', email: 'ALICE@example.com', baseUrl: BASE })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'email' });
    expect(await onehop.listInvitations({ inviterId: 'alice' })).toEqual([]);
    expect(await onehop.listEvents({ status: 'pending' })).toEqual([]);
  });

  it('accepting attributes the sign-up to the inviter in the same transaction; a second use is refused', async () => {
    const { onehop } = await setup();
    await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    const { invitation } = await onehop.invite({ inviterId: 'alice', email: 'bob@example.com', baseUrl: BASE });
    const accepted = await onehop.acceptInvitation({ token: invitation.token, refereeId: 'bob', email: 'bob@example.com', source: 'invite' });
    expect(accepted).toMatchObject({
      ok: true,
      referral: { referrerId: 'alice', refereeId: 'bob', code: 'ALICE123', source: 'invite' },
      invitation: { status: 'accepted', acceptedBy: 'bob' },
    });
    // The same sign-up submitted twice gets the same referral back.
    expect(await onehop.acceptInvitation({ token: invitation.token, refereeId: 'bob' })).toMatchObject({ ok: true, referral: { refereeId: 'bob' } });
    expect(await onehop.acceptInvitation({ token: invitation.token, refereeId: 'carol' })).toMatchObject({ ok: false, reason: 'INVITATION_USED' });
    expect(await onehop.getReferralByReferee('carol')).toBeNull();
    await expect(onehop.acceptInvitation({ token: 'x'.repeat(32), refereeId: 'dan' })).rejects.toMatchObject({ code: 'INVITATION_NOT_FOUND', field: 'token' });
    const events = (await onehop.listEvents({ status: 'pending' })).map((e) => e.type);
    expect(events).toEqual(['invitation.sent', 'referral.created', 'invitation.accepted']);
    expect((await onehop.referrerOverview({ userId: 'alice' })).invitations).toMatchObject({ pending: 0, accepted: 1 });
  });

  it('applies the attribution rules to an invitation: a referee who already has a referrer keeps it, and the invitation stays open', async () => {
    const { onehop } = await setup();
    await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    await onehop.enroll({ userId: 'zoe', code: 'ZOE12345' });
    await onehop.attribute({ refereeId: 'bob', code: 'ZOE12345' });
    const { invitation } = await onehop.invite({ inviterId: 'alice', email: 'bob@example.com', baseUrl: BASE });
    expect(await onehop.acceptInvitation({ token: invitation.token, refereeId: 'bob' })).toMatchObject({
      ok: false,
      reason: 'DUPLICATE_REFEREE',
      invitation: { status: 'pending' },
    });
    expect(await onehop.acceptInvitation({ token: invitation.token, refereeId: 'alice' })).toMatchObject({ ok: false, reason: 'SELF_REFERRAL' });
    expect((await onehop.getReferralByReferee('bob'))?.referrerId).toBe('zoe');
  });

  it('expires after its lifetime (refused at once, marked by expireInvitations) and can be cancelled', async () => {
    const { onehop, clock } = await setup({ invitations: { lifetimeDays: 7 } });
    await onehop.enroll({ userId: 'alice' });
    const old = await onehop.invite({ inviterId: 'alice', email: 'bob@example.com', baseUrl: BASE });
    const cancelled = await onehop.invite({ inviterId: 'alice', email: 'carol@example.com', baseUrl: BASE });
    await expect(onehop.cancelInvitation({ invitationId: cancelled.invitation.id, inviterId: 'zoe' })).rejects.toMatchObject({ code: 'INVITATION_NOT_FOUND' });
    await expect(onehop.cancelInvitation({ invitationId: cancelled.invitation.id, adminId: 'admin' })).rejects.toMatchObject({ field: 'reason' });
    expect(await onehop.cancelInvitation({ invitationId: cancelled.invitation.id, adminId: 'admin', reason: 'spam report' })).toMatchObject({ status: 'cancelled' });
    await expect(onehop.cancelInvitation({ invitationId: cancelled.invitation.id, inviterId: 'alice' })).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(await onehop.acceptInvitation({ token: cancelled.invitation.token, refereeId: 'carol' })).toMatchObject({ ok: false, reason: 'INVITATION_CANCELLED' });
    clock.advance(7 * DAY);
    expect(await onehop.acceptInvitation({ token: old.invitation.token, refereeId: 'bob' })).toMatchObject({ ok: false, reason: 'INVITATION_EXPIRED' });
    expect(await onehop.expireInvitations()).toEqual({ expired: 1 });
    expect(await onehop.expireInvitations()).toEqual({ expired: 0 });
    expect((await onehop.listInvitations({ inviterId: 'alice' })).map((i) => [i.email, i.status])).toEqual([
      ['carol@example.com', 'cancelled'],
      ['bob@example.com', 'expired'],
    ]);
    expect((await onehop.referrerOverview({ userId: 'alice' })).invitations).toEqual({ pending: 0, accepted: 0, expired: 1, cancelled: 1 });
    // A new invitation to the same address is possible once the old one is closed.
    expect((await onehop.invite({ inviterId: 'alice', email: 'bob@example.com', baseUrl: BASE })).created).toBe(true);
  });

  it('counts and rate-limits resends, and a resend starts the lifetime again', async () => {
    const { onehop, clock } = await setup({ invitations: { maxSends: 3, resendAfterMinutes: 60, lifetimeDays: 10 } });
    await onehop.enroll({ userId: 'alice' });
    const { invitation, link } = await onehop.invite({ inviterId: 'alice', email: 'bob@example.com', baseUrl: BASE });
    const tooSoon = onehop.resendInvitation({ invitationId: invitation.id, inviterId: 'alice', baseUrl: BASE });
    await expect(tooSoon).rejects.toMatchObject({ code: 'INVITATION_RESEND_LIMITED', retryable: true, retryAt: new Date(clock.now().getTime() + 60 * MINUTE) });
    await expect(onehop.resendInvitation({ invitationId: invitation.id, inviterId: 'zoe', baseUrl: BASE })).rejects.toMatchObject({ code: 'INVITATION_NOT_FOUND' });
    clock.advance(60 * MINUTE);
    const second = await onehop.resendInvitation({ invitationId: invitation.id, inviterId: 'alice', baseUrl: BASE });
    expect(second.invitation).toMatchObject({ sendCount: 2, token: invitation.token });
    expect(second.link).toBe(link);
    expect(second.invitation.expiresAt.getTime()).toBe(clock.now().getTime() + 10 * DAY);
    clock.advance(60 * MINUTE);
    await onehop.resendInvitation({ invitationId: invitation.id, inviterId: 'alice', baseUrl: BASE });
    clock.advance(60 * MINUTE);
    await expect(onehop.resendInvitation({ invitationId: invitation.id, inviterId: 'alice', baseUrl: BASE })).rejects.toMatchObject({
      code: 'INVITATION_RESEND_LIMITED',
      retryAt: null,
    });
    const sent = (await onehop.listEvents({ status: 'pending' })).filter((e) => e.type === 'invitation.sent').map((e) => e.data.sendCount);
    expect(sent).toEqual([1, 2, 3]);
  });

  it('bulk invites: deduplicated, one result per row, bad rows never lose the good ones', async () => {
    const { onehop } = await setup();
    await onehop.enroll({ userId: 'alice', email: 'alice@example.com' });
    await onehop.invite({ inviterId: 'alice', email: 'old@example.com', baseUrl: BASE });
    const rows = await onehop.inviteMany({
      inviterId: 'alice',
      baseUrl: BASE,
      emails: ['a@example.com', 'not an address', 'A@Example.com', 'alice@example.com', ' b@example.com ', 'old@example.com'],
    });
    expect(rows.map((r) => (r.ok ? `ok${r.created ? '' : ':existing'}` : r.code))).toEqual([
      'ok',
      'VALIDATION_FAILED',
      'DUPLICATE_ROW',
      'VALIDATION_FAILED',
      'ok',
      'ok:existing',
    ]);
    expect(rows[1]).toMatchObject({ field: 'emails.1' });
    expect(rows[2]).toMatchObject({ duplicateOf: 0 });
    expect(rows[3]).toMatchObject({ field: 'emails.3' });
    expect((await onehop.listInvitations({ inviterId: 'alice', status: 'pending', order: 'oldest' })).map((i) => i.email)).toEqual([
      'old@example.com',
      'a@example.com',
      'b@example.com',
    ]);
    await expect(onehop.inviteMany({ inviterId: 'alice', baseUrl: BASE, emails: [] })).rejects.toMatchObject({ field: 'emails' });
  });

  it('limits new invitations per inviter in a window of clock hours; a refused invite writes nothing, and the limit lifts when old ones leave the window', async () => {
    const { onehop, clock } = await setup({ invitations: { inviteLimit: { max: 3, windowHours: 24 } } });
    await onehop.enroll({ userId: 'alice' });
    await onehop.enroll({ userId: 'zoe' });
    const hourStart = (at: Date) => Math.floor(at.getTime() / HOUR) * HOUR;
    const firstHour = hourStart(clock.now());
    await onehop.invite({ inviterId: 'alice', email: 'u0@example.com', baseUrl: BASE });
    await onehop.invite({ inviterId: 'alice', email: 'u1@example.com', baseUrl: BASE });
    clock.advance(5 * HOUR);
    await onehop.invite({ inviterId: 'alice', email: 'u2@example.com', baseUrl: BASE });
    const refused = onehop.invite({ inviterId: 'alice', email: 'u3@example.com', baseUrl: BASE });
    await expect(refused).rejects.toMatchObject({ code: 'INVITATION_RATE_LIMITED', field: 'inviterId', retryable: true, retryAt: new Date(firstHour + 24 * HOUR) });
    // Nothing written: no invitation, no event, no count.
    expect(await onehop.listInvitations({ inviterId: 'alice', limit: 10 })).toHaveLength(3);
    expect((await onehop.listEvents({ status: 'pending' })).filter((e) => e.type === 'invitation.sent')).toHaveLength(3);
    expect((await onehop.referrerOverview({ userId: 'alice' })).invitations).toMatchObject({ pending: 3 });
    // A pending invitation to the same address is still returned; other inviters are not limited.
    expect(await onehop.invite({ inviterId: 'alice', email: 'u0@example.com', baseUrl: BASE })).toMatchObject({ created: false });
    expect(await onehop.invite({ inviterId: 'zoe', email: 'u3@example.com', baseUrl: BASE })).toMatchObject({ created: true });
    // Cancelled invitations were still sent: they count.
    const [latest] = await onehop.listInvitations({ inviterId: 'alice', limit: 1 });
    await onehop.cancelInvitation({ invitationId: latest!.id, inviterId: 'alice' });
    await expect(onehop.invite({ inviterId: 'alice', email: 'u3@example.com', baseUrl: BASE })).rejects.toMatchObject({ code: 'INVITATION_RATE_LIMITED' });
    clock.set(new Date(firstHour + 24 * HOUR - 1));
    await expect(onehop.invite({ inviterId: 'alice', email: 'u3@example.com', baseUrl: BASE })).rejects.toMatchObject({ code: 'INVITATION_RATE_LIMITED' });
    clock.set(new Date(firstHour + 24 * HOUR));
    await onehop.invite({ inviterId: 'alice', email: 'u3@example.com', baseUrl: BASE });
    await onehop.invite({ inviterId: 'alice', email: 'u4@example.com', baseUrl: BASE });
    // The hour of u2 is still in the window: 3 again.
    await expect(onehop.invite({ inviterId: 'alice', email: 'u5@example.com', baseUrl: BASE })).rejects.toMatchObject({
      retryAt: new Date(firstHour + 29 * HOUR),
    });
  });

  it('limits new invitations to 100 per inviter in 24 hours by default; in a bulk invite the rows past the limit are refused one by one', async () => {
    const { onehop } = await setup();
    await onehop.enroll({ userId: 'alice' });
    const rows = await onehop.inviteMany({ inviterId: 'alice', baseUrl: BASE, emails: Array.from({ length: 102 }, (_, i) => `u${i}@example.com`) });
    expect(rows.filter((r) => r.ok)).toHaveLength(100);
    expect(rows.slice(100)).toEqual([
      expect.objectContaining({ ok: false, code: 'INVITATION_RATE_LIMITED', email: 'u100@example.com' }),
      expect.objectContaining({ ok: false, code: 'INVITATION_RATE_LIMITED', email: 'u101@example.com' }),
    ]);
    const { onehop: unlimited } = await setup({ invitations: { inviteLimit: false } });
    await unlimited.enroll({ userId: 'alice' });
    const all = await unlimited.inviteMany({ inviterId: 'alice', baseUrl: BASE, emails: Array.from({ length: 102 }, (_, i) => `u${i}@example.com`) });
    expect(all.every((r) => r.ok)).toBe(true);
  });

  it('pages an inviter’s invitations by cursor', async () => {
    const { onehop } = await setup();
    await onehop.enroll({ userId: 'alice' });
    for (let i = 0; i < 5; i++) await onehop.invite({ inviterId: 'alice', email: `u${i}@example.com`, baseUrl: BASE });
    const first = await onehop.listInvitations({ inviterId: 'alice', limit: 2 });
    const second = await onehop.listInvitations({ inviterId: 'alice', limit: 2, cursor: first[1]!.id });
    expect([...first, ...second].map((i) => i.email)).toEqual(['u4@example.com', 'u3@example.com', 'u2@example.com', 'u1@example.com']);
  });
}
