/*
 * The input schemas and types of the invitation operations and of acceptance.
 */
import { z } from 'zod';
import { attributeInputSchema } from '../attribution/inputs';
import { emailSchema, limitSchema, recordIdSchema, userIdSchema } from '../engine/fields';
import { INVITATION_STATUSES } from '../store/records';

export const acceptInvitationInputSchema = attributeInputSchema
  .omit({ code: true, link: true })
  .extend({
    /** The token from the invitation link (its `invite` parameter by default). */
    token: z.string().trim().min(16, 'is not an invitation token').max(64),
  })
  .strict();
export type AcceptInvitationInput = z.input<typeof acceptInvitationInputSchema>;

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
export type InviteInput = z.input<typeof inviteInputSchema>;

export const inviteManyInputSchema = z
  .object({
    inviterId: userIdSchema,
    /** Up to 500 addresses; each row gets its own result. */
    emails: z.array(z.string().max(1000)).min(1).max(500),
    message: messageSchema.optional(),
    baseUrl: baseUrlSchema,
  })
  .strict();
export type InviteManyInput = z.input<typeof inviteManyInputSchema>;

export const resendInvitationInputSchema = z.object({ invitationId: recordIdSchema, inviterId: userIdSchema, baseUrl: baseUrlSchema }).strict();
export type ResendInvitationInput = z.input<typeof resendInvitationInputSchema>;

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
export type CancelInvitationInput = z.input<typeof cancelInvitationInputSchema>;

export const listInvitationsInputSchema = z
  .object({
    inviterId: userIdSchema,
    status: z.enum(INVITATION_STATUSES).optional(),
    order: z.enum(['newest', 'oldest']).default('newest'),
    limit: limitSchema(50),
    cursor: recordIdSchema.optional(),
  })
  .strict();
export type ListInvitationsInput = z.input<typeof listInvitationsInputSchema>;
