/*
 * Invitation steps: locking an invitation and its inviter, a status change
 * with its counters, audit line and event, and what acceptance and erasure do
 * to an invitation.
 */
import { INVITATION_COUNTER } from '../counters/stats';
import { normalizeEmail } from '../email/normalize-email';
import type { Work } from '../engine/work';
import { InvitationNotFoundError, ParticipantNotFoundError } from '../errors/errors';
import type { Actor, InvitationRecord, InvitationStatus, ParticipantRecord } from '../store/records';

export async function lockInviter(work: Work, inviterId: string): Promise<ParticipantRecord> {
  const inviter = await work.tx.participants.get(work.scope, inviterId, { forUpdate: true });
  if (!inviter) throw new ParticipantNotFoundError(inviterId);
  return inviter;
}

/** An invitation and its inviter, the inviter locked first (all work on one referrer is serialised). */
export async function lockInvitation(work: Work, invitationId: string): Promise<{ invitation: InvitationRecord; inviter: ParticipantRecord }> {
  const seen = await work.tx.invitations.get(work.scope, invitationId);
  if (!seen) throw new InvitationNotFoundError('invitationId', invitationId);
  const inviter = await lockInviter(work, seen.inviterId);
  const invitation = (await work.tx.invitations.get(work.scope, invitationId, { forUpdate: true }))!;
  return { invitation, inviter };
}

/**
 * Moves an invitation to `to`, with its counters, audit line and event
 * (`also`: further fields to write with it). The audit line and the event
 * name the invitation; the address stays in the invitation row.
 */
export async function decide(
  work: Work,
  invitation: InvitationRecord,
  to: InvitationStatus,
  actor: Actor,
  fields: { reason?: string | null; acceptedBy?: string; data?: Record<string, unknown>; also?: Partial<InvitationRecord> } = {},
): Promise<InvitationRecord> {
  const now = work.now();
  const patch: Partial<InvitationRecord> = { status: to, decidedAt: now, ...(fields.acceptedBy === undefined ? {} : { acceptedBy: fields.acceptedBy }), ...fields.also };
  await work.tx.invitations.update(work.scope, invitation.id, patch);
  work.tallyTotal(invitation.inviterId, INVITATION_COUNTER, invitation.status, -1);
  work.tallyTotal(invitation.inviterId, INVITATION_COUNTER, to, 1);
  await work.audit('invitation', invitation.id, `invitation.${to}`, actor, {
    notify: invitation.inviterId,
    before: invitation.status,
    after: to,
    reason: fields.reason ?? null,
    data: fields.data ?? {},
  });
  return { ...invitation, ...patch };
}

/** What acceptance needs of an invitation: found by its token, with the inviter locked. */
export async function invitationForAcceptance(work: Work, token: string): Promise<{ invitation: InvitationRecord; inviter: ParticipantRecord }> {
  const seen = await work.tx.invitations.getByToken(work.scope, token);
  if (!seen) throw new InvitationNotFoundError('token', token);
  return lockInvitation(work, seen.id);
}

/** Records that a sign-up accepted the invitation (the attribution succeeded in the same transaction). */
export function markAccepted(work: Work, invitation: InvitationRecord, refereeId: string, email: string | null): Promise<InvitationRecord> {
  return decide(
    work,
    invitation,
    'accepted',
    { type: 'user', id: refereeId },
    {
      acceptedBy: refereeId,
      data: { refereeId, emailMatches: email === null ? null : normalizeEmail(email) === invitation.emailNormalized },
    },
  );
}

/** What an erased invitation keeps of its address and message: nothing. */
const ERASED_INVITATION = { email: '', emailNormalized: '', message: null } as const;

/**
 * Erasure: removes an invitation's address and message. A pending one is
 * cancelled first (there is no one left to send it to, and its link stops
 * working), with its counters, audit line and event. False when there was
 * nothing left to erase.
 */
export async function eraseInvitation(work: Work, invitation: InvitationRecord, actor: Actor): Promise<boolean> {
  if (invitation.email === '' && invitation.emailNormalized === '' && invitation.message === null) return false;
  if (invitation.status === 'pending') await decide(work, invitation, 'cancelled', actor, { reason: 'personal data erased', also: ERASED_INVITATION });
  else await work.tx.invitations.update(work.scope, invitation.id, ERASED_INVITATION);
  return true;
}
