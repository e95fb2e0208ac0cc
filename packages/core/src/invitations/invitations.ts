/*
 * The invitation operations (invite, bulk invite, resend, cancel, expire,
 * list). The steps they share with acceptance and erasure (locking, a status
 * change) are in steps.ts; acceptance is in accept-invitation.ts.
 */

import { nanoid } from 'nanoid';
import { authorizeAction } from '../authorization/authorization';
import { hourKey, INVITATION_COUNTER, NEW_INVITATIONS_COUNTER } from '../counters/stats';
import { normalizeEmail } from '../email/normalize-email';
import { type EngineContext, parse, SYSTEM } from '../engine/context';
import { emailSchema } from '../engine/fields';
import { newId } from '../engine/ids';
import type { Work } from '../engine/work';
import {
  InvalidTransitionError,
  InvitationNotFoundError,
  InvitationRateLimitedError,
  InvitationResendLimitedError,
  isOnehopError,
  ValidationError,
} from '../errors/errors';
import { buildReferralLink } from '../links/links';
import type { Actor, InvitationRecord, ParticipantRecord } from '../store/records';
import { UNIQUE_CONSTRAINTS } from '../store/store';
import {
  type CancelInvitationInput,
  cancelInvitationInputSchema,
  type ExpireInvitationsInput,
  expireInvitationsInputSchema,
  type InviteInput,
  type InviteManyInput,
  inviteInputSchema,
  inviteManyInputSchema,
  type ListInvitationsInput,
  listInvitationsInputSchema,
  type ResendInvitationInput,
  resendInvitationInputSchema,
} from './inputs';
import { decide, lockInvitation, lockInviter } from './steps';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** An invitation and the link to put in its e-mail. */
export interface InvitationResult {
  invitation: InvitationRecord;
  /** The referral link with the invitation token: opening it and signing up accepts the invitation. */
  link: string;
  /** False when the inviter already had a pending invitation to this address: it is returned, not sent again. */
  created: boolean;
}

/** One row of `inviteMany`. */
export type InviteRowResult =
  | ({ email: string; ok: true } & InvitationResult)
  | { email: string; ok: false; code: string; message: string; field?: string | undefined; duplicateOf?: number };

/** The link of an invitation: the inviter's referral link plus the token. */
function linkOf(ctx: EngineContext, inviter: ParticipantRecord, invitation: InvitationRecord, baseUrl: string): string {
  return buildReferralLink({
    baseUrl,
    code: inviter.code,
    parameter: ctx.program.links.parameter,
    params: { [ctx.program.invitations.parameter]: invitation.token },
  });
}

/**
 * Refuses a new invitation when the inviter (locked) already created
 * `inviteLimit.max` in the clock hours of the window: the counts of at most
 * `windowHours` counter rows, never the invitations themselves. The refusal
 * says when the oldest hours will have left the window enough for one more.
 */
async function checkInviteLimit(work: Work, inviterId: string, now: Date): Promise<void> {
  const limit = work.program.invitations.inviteLimit;
  if (limit === false) return;
  const first = new Date(now.getTime() - (limit.windowHours - 1) * HOUR_MS);
  const hours = await work.tx.counters.listRange(work.scope, [inviterId], NEW_INVITATIONS_COUNTER, hourKey(first), hourKey(now));
  let count = hours.reduce((sum, h) => sum + h.value, 0);
  if (count < limit.max) return;
  for (const hour of hours) {
    count -= hour.value;
    if (count < limit.max) {
      const start = Date.parse(`${hour.period.slice(2)}:00:00Z`);
      throw new InvitationRateLimitedError(inviterId, limit.max, limit.windowHours, new Date(start + limit.windowHours * HOUR_MS));
    }
  }
}

/**
 * A participant invites someone by e-mail. onehop sends nothing itself: the
 * `invitation.sent` event carries the link, and the dispatcher adds the
 * address and the message from the invitation when it delivers the event,
 * for your application to send. Inviting an address that
 * already has a pending invitation from the same inviter returns that one.
 */
export async function invite(ctx: EngineContext, input: InviteInput): Promise<InvitationResult> {
  const data = parse(inviteInputSchema, input);
  const emailNormalized = normalizeEmail(data.email);
  return ctx.run(
    async (work) => {
      const inviter = await lockInviter(work, data.inviterId);
      if (inviter.emailNormalized !== null && inviter.emailNormalized === emailNormalized) {
        throw new ValidationError([{ field: 'email', message: 'is the inviter’s own address' }]);
      }
      const existing = await work.tx.invitations.getPending(ctx.scope, inviter.userId, emailNormalized);
      if (existing) return { invitation: existing, link: linkOf(ctx, inviter, existing, data.baseUrl), created: false };
      const now = ctx.clock.now();
      await checkInviteLimit(work, inviter.userId, now);
      const invitation: InvitationRecord = {
        programId: ctx.scope.programId,
        mode: ctx.scope.mode,
        id: newId('inv'),
        inviterId: inviter.userId,
        email: data.email,
        emailNormalized,
        message: data.message ?? null,
        token: nanoid(32),
        status: 'pending',
        sendCount: 1,
        lastSentAt: now,
        expiresAt: new Date(now.getTime() + ctx.program.invitations.lifetimeDays * DAY_MS),
        acceptedBy: null,
        decidedAt: null,
        createdAt: now,
      };
      await work.tx.invitations.insert(invitation);
      work.tallyTotal(inviter.userId, INVITATION_COUNTER, 'pending', 1);
      if (ctx.program.invitations.inviteLimit !== false) work.tallyOwner(inviter.userId, NEW_INVITATIONS_COUNTER, hourKey(now), 1);
      const link = linkOf(ctx, inviter, invitation, data.baseUrl);
      await work.audit(
        'invitation',
        invitation.id,
        'invitation.sent',
        { type: 'user', id: inviter.userId },
        {
          notify: inviter.userId,
          after: 'pending',
          data: { link, sendCount: 1, expiresAt: invitation.expiresAt.toISOString() },
        },
      );
      return { invitation, link, created: true };
    },
    // A racing invite to the same address committed first: run again to return it.
    (error) => (error.constraint === UNIQUE_CONSTRAINTS.invitationPending ? 'retry' : error),
  );
}

/**
 * Invites a list of addresses. Each row gets its own result and its own
 * transaction, so a bad row (not an address, the inviter's own, a
 * duplicate of an earlier row) never loses the good ones.
 */
export async function inviteMany(ctx: EngineContext, input: InviteManyInput): Promise<InviteRowResult[]> {
  const data = parse(inviteManyInputSchema, input);
  const firstRow = new Map<string, number>();
  const results: InviteRowResult[] = [];
  for (const [i, raw] of data.emails.entries()) {
    const email = raw.trim();
    const valid = emailSchema.safeParse(email);
    if (!valid.success) {
      results.push({ email: raw, ok: false, code: 'VALIDATION_FAILED', message: 'not an email address', field: `emails.${i}` });
      continue;
    }
    const normalized = normalizeEmail(email);
    const first = firstRow.get(normalized);
    if (first !== undefined) {
      results.push({ email: raw, ok: false, code: 'DUPLICATE_ROW', message: `the same address as row ${first}`, field: `emails.${i}`, duplicateOf: first });
      continue;
    }
    firstRow.set(normalized, i);
    try {
      const result = await invite(ctx, { inviterId: data.inviterId, email, baseUrl: data.baseUrl, ...(data.message === undefined ? {} : { message: data.message }) });
      results.push({ email: raw, ok: true, ...result });
    } catch (error) {
      if (!isOnehopError(error)) throw error;
      results.push({ email: raw, ok: false, code: error.code, message: error.message, field: error.field === 'email' ? `emails.${i}` : error.field });
    }
  }
  return results;
}

/**
 * Sends a pending invitation again (same link), counted and rate limited by
 * `invitations.maxSends` and `invitations.resendAfterMinutes`. A resend
 * starts the invitation's lifetime again.
 */
export async function resendInvitation(ctx: EngineContext, input: ResendInvitationInput): Promise<InvitationResult> {
  const data = parse(resendInvitationInputSchema, input);
  return ctx.run(async (work) => {
    const { invitation, inviter } = await lockInvitation(work, data.invitationId);
    if (invitation.inviterId !== data.inviterId) throw new InvitationNotFoundError('invitationId', data.invitationId);
    const now = ctx.clock.now();
    if (invitation.status !== 'pending' || invitation.expiresAt.getTime() <= now.getTime()) {
      throw new InvalidTransitionError('invitation', invitation.id, invitation.status === 'pending' ? 'expired' : invitation.status, 'sent again');
    }
    const { maxSends, resendAfterMinutes, lifetimeDays } = ctx.program.invitations;
    if (invitation.sendCount >= maxSends) throw new InvitationResendLimitedError(invitation.id, null, maxSends);
    const allowedAt = invitation.lastSentAt.getTime() + resendAfterMinutes * MINUTE_MS;
    if (now.getTime() < allowedAt) throw new InvitationResendLimitedError(invitation.id, new Date(allowedAt), maxSends);
    const patch = { sendCount: invitation.sendCount + 1, lastSentAt: now, expiresAt: new Date(now.getTime() + lifetimeDays * DAY_MS) };
    await work.tx.invitations.update(ctx.scope, invitation.id, patch);
    const updated = { ...invitation, ...patch };
    const link = linkOf(ctx, inviter, updated, data.baseUrl);
    await work.audit(
      'invitation',
      invitation.id,
      'invitation.sent',
      { type: 'user', id: inviter.userId },
      {
        notify: inviter.userId,
        before: 'pending',
        after: 'pending',
        data: { link, sendCount: patch.sendCount, expiresAt: patch.expiresAt.toISOString() },
      },
    );
    return { invitation: updated, link, created: false };
  });
}

/** Cancels a pending invitation: by its inviter, or by an admin with a reason. Its link stops working. */
export async function cancelInvitation(ctx: EngineContext, input: CancelInvitationInput): Promise<InvitationRecord> {
  await authorizeAction(ctx, 'invitation.cancel', cancelInvitationInputSchema, input, (d) => ({ type: 'invitation', id: d.invitationId }));
  const data = parse(cancelInvitationInputSchema, input);
  return ctx.run(async (work) => {
    const { invitation } = await lockInvitation(work, data.invitationId);
    if (data.inviterId !== undefined && invitation.inviterId !== data.inviterId) throw new InvitationNotFoundError('invitationId', data.invitationId);
    if (invitation.status !== 'pending') throw new InvalidTransitionError('invitation', invitation.id, invitation.status, 'cancelled');
    const actor: Actor = data.adminId !== undefined ? { type: 'admin', id: data.adminId } : { type: 'user', id: data.inviterId! };
    return decide(work, invitation, 'cancelled', actor, { reason: data.reason ?? null });
  });
}

/**
 * Marks pending invitations past their lifetime `expired` (each with its
 * `invitation.expired` event). Run it on a schedule; idempotent and safe
 * from several workers. Acceptance refuses an expired invitation whether or
 * not this ran.
 */
export async function expireInvitations(ctx: EngineContext, input: ExpireInvitationsInput = {}): Promise<{ expired: number }> {
  const { limit } = parse(expireInvitationsInputSchema, input);
  const now = ctx.clock.now();
  const due = await ctx.run((work) => work.tx.invitations.listExpired(ctx.scope, now, { limit }));
  let expired = 0;
  for (const candidate of due) {
    const done = await ctx.run(async (work) => {
      const { invitation } = await lockInvitation(work, candidate.id);
      if (invitation.status !== 'pending' || invitation.expiresAt.getTime() > now.getTime()) return false;
      await decide(work, invitation, 'expired', SYSTEM, { reason: 'lifetime ended' });
      return true;
    });
    if (done) expired += 1;
  }
  return { expired };
}

/** An inviter's invitations, newest first by default; pass the last id as `cursor`. */
export async function listInvitations(ctx: EngineContext, input: ListInvitationsInput): Promise<InvitationRecord[]> {
  const data = parse(listInvitationsInputSchema, input);
  return ctx.read((work) =>
    work.tx.invitations.listByInviter(ctx.scope, data.inviterId, { status: data.status, newestFirst: data.order === 'newest', limit: data.limit, cursor: data.cursor }),
  );
}
