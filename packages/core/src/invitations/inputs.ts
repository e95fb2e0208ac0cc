/*
 * The input schemas and types of the invitation operations and of acceptance.
 */
import * as z from 'zod';
import { type AttributeInput, attributeInputSchema } from '../attribution/inputs';
import { emailSchema, limitSchema, recordIdSchema, userIdSchema } from '../engine/fields';
import type { InvitationStatus } from '../store/records';
import { INVITATION_STATUSES } from '../store/records';

export const acceptInvitationInputSchema = attributeInputSchema
  .omit({ code: true, link: true })
  .extend({
    /** The token from the invitation link (its `invite` parameter by default). */
    token: z.string().trim().min(16, 'is not an invitation token').max(64),
  })
  .strict();
/**
 * A sign-up through an invitation link, as `acceptInvitation` takes it: the
 * fields of `attribute` (the referee and their signals), with the invitation
 * token instead of a code and a link.
 */
export interface AcceptInvitationInput extends Omit<AttributeInput, 'code' | 'link'> {
  /** The token from the invitation link (its `invite` parameter by default). */
  token: string;
}

const messageSchema = z.string().trim().min(1).max(2000);
const baseUrlSchema = z.url({ protocol: /^https?$/, error: 'must be an absolute http or https URL' });

export const inviteInputSchema = z
  .object({
    inviterId: userIdSchema,
    email: emailSchema,
    /** A personal note for the e-mail your application sends. */
    message: messageSchema.optional(),
    /** The sign-up page the invitation link opens. */
    baseUrl: baseUrlSchema,
  })
  .strict();
/** A participant inviting someone by e-mail, as `invite` takes it. onehop sends nothing: your `invitation.created` handler sends the e-mail. */
export interface InviteInput {
  /** Your user id of the inviting participant. */
  inviterId: string;
  /** The invitee's e-mail address. */
  email: string;
  /** A personal note for the e-mail your application sends (up to 2,000 characters). */
  message?: string | undefined;
  /** The sign-up page the invitation link opens, an absolute http(s) URL. */
  baseUrl: string;
}

export const inviteManyInputSchema = z
  .object({
    inviterId: userIdSchema,
    /** Up to 500 addresses; each row gets its own result. */
    emails: z.array(z.string().max(1000)).min(1).max(500),
    message: messageSchema.optional(),
    baseUrl: baseUrlSchema,
  })
  .strict();
/** A participant inviting several addresses at once, as `inviteMany` takes it; each address gets its own result. */
export interface InviteManyInput {
  /** Your user id of the inviting participant. */
  inviterId: string;
  /** From 1 to 500 addresses; each row gets its own result (an invalid or repeated one is refused alone). */
  emails: string[];
  /** A personal note for the e-mails your application sends (up to 2,000 characters). */
  message?: string | undefined;
  /** The sign-up page the invitation links open, an absolute http(s) URL. */
  baseUrl: string;
}

export const resendInvitationInputSchema = z.object({ invitationId: recordIdSchema, inviterId: userIdSchema, baseUrl: baseUrlSchema }).strict();
/** An inviter sending a pending invitation again, as `resendInvitation` takes it (within the program's resend limits). */
export interface ResendInvitationInput {
  /** The invitation's id. */
  invitationId: string;
  /** Your user id of the inviter; only they may resend. */
  inviterId: string;
  /** The sign-up page the invitation link opens, an absolute http(s) URL. */
  baseUrl: string;
}

export const cancelInvitationInputSchema = z
  .object({
    invitationId: recordIdSchema,
    /** The inviter cancelling their own invitation… */
    inviterId: userIdSchema.optional(),
    /** …or an admin, with a reason. */
    adminId: userIdSchema.optional(),
    reason: z.string().trim().min(1).max(1000).optional(),
  })
  .strict()
  .refine((d) => (d.inviterId === undefined) !== (d.adminId === undefined), { message: 'give either inviterId or adminId', path: ['inviterId'] })
  .refine((d) => d.adminId === undefined || d.reason !== undefined, { message: 'an admin gives a reason', path: ['reason'] });
/** Cancelling a pending invitation, as `cancelInvitation` takes it: either by its inviter, or by an admin with a reason. */
export interface CancelInvitationInput {
  /** The invitation's id. */
  invitationId: string;
  /** The inviter cancelling their own invitation (give this or `adminId`, not both). */
  inviterId?: string | undefined;
  /** An admin cancelling it (give this or `inviterId`, not both). */
  adminId?: string | undefined;
  /** Why; required when an admin cancels, written to the audit trail. */
  reason?: string | undefined;
}

export const listInvitationsInputSchema = z
  .object({
    inviterId: userIdSchema,
    status: z.enum(INVITATION_STATUSES).optional(),
    order: z.enum(['newest', 'oldest']).default('newest'),
    limit: limitSchema(50),
    cursor: recordIdSchema.optional(),
  })
  .strict();
/** A page of one inviter's invitations, as `listInvitations` takes it. */
export interface ListInvitationsInput {
  /** Your user id of the inviter. */
  inviterId: string;
  /** Only invitations with this status; all when left out. */
  status?: InvitationStatus | undefined;
  /** Newest first (default) or oldest first. */
  order?: 'newest' | 'oldest' | undefined;
  /** How many to return, 1 to 1,000; default 50. */
  limit?: number | undefined;
  /** The id of the last invitation of the previous page. */
  cursor?: string | undefined;
}

export const expireInvitationsInputSchema = z.object({ limit: limitSchema(500, 10_000) }).strict();
/** Expiring the pending invitations past their lifetime, as `expireInvitations` takes it. */
export interface ExpireInvitationsInput {
  /** Most invitations to expire in this call, 1 to 10,000; default 500. */
  limit?: number | undefined;
}
