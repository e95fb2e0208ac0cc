import type { z } from 'zod';
import type { adjustBalanceInputSchema, decideCommissionInputSchema } from '../commissions/inputs';
import { type EngineContext, parse } from '../engine/context';
import { ForbiddenError } from '../errors/errors';
import type { moveToGroupInputSchema, setParticipantTermsInputSchema } from '../groups/inputs';
import type { cancelInvitationInputSchema } from '../invitations/inputs';
import type { retryEventInputSchema } from '../outbox/inputs';
import type { replaceCodeInputSchema, setStatusInputSchema } from '../participants/inputs';
import type {
  approvePayoutInputSchema,
  createPayoutRunInputSchema,
  markPayoutPaidInputSchema,
  rejectPayoutInputSchema,
  retryPayoutInputSchema,
  setTaxProfileInputSchema,
  settlePayoutInputSchema,
} from '../payouts/inputs';
import type { decideReviewInputSchema, eraseUserInputSchema, rejectReferralInputSchema } from '../reviews/inputs';
import type { Actor, AuditEntityType } from '../store/records';

/**
 * Every action an admin takes through onehop, by name. Each admin method
 * asks the program's `authorize` hook about its action before it writes
 * anything (see docs/admin-actions.md for the method → action → subject table).
 */
export const ADMIN_ACTIONS = [
  'participant.suspend',
  'participant.reinstate',
  'code.replace',
  'review.decide',
  'referral.reject',
  'commission.reject',
  'balance.adjust',
  'payout.approve',
  'payout.reject',
  'payout.markPaid',
  'user.erase',
  'event.retry',
  'invitation.cancel',
  'payout.run',
  'payout.retry',
  'payout.settle',
  'taxProfile.set',
  'participant.moveGroup',
  'participant.setTerms',
] as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

/** The validated input of each admin action, as the method received it. */
export interface AdminActionInputs {
  'participant.suspend': z.output<typeof setStatusInputSchema>;
  'participant.reinstate': z.output<typeof setStatusInputSchema>;
  'code.replace': z.output<typeof replaceCodeInputSchema>;
  'review.decide': z.output<typeof decideReviewInputSchema>;
  'referral.reject': z.output<typeof rejectReferralInputSchema>;
  'commission.reject': z.output<typeof decideCommissionInputSchema>;
  'balance.adjust': z.output<typeof adjustBalanceInputSchema>;
  'payout.approve': z.output<typeof approvePayoutInputSchema>;
  'payout.reject': z.output<typeof rejectPayoutInputSchema>;
  'payout.markPaid': z.output<typeof markPayoutPaidInputSchema>;
  'user.erase': z.output<typeof eraseUserInputSchema>;
  'event.retry': z.output<typeof retryEventInputSchema>;
  'invitation.cancel': z.output<typeof cancelInvitationInputSchema>;
  'payout.run': z.output<typeof createPayoutRunInputSchema>;
  'payout.retry': z.output<typeof retryPayoutInputSchema>;
  'payout.settle': z.output<typeof settlePayoutInputSchema>;
  'taxProfile.set': z.output<typeof setTaxProfileInputSchema>;
  'participant.moveGroup': z.output<typeof moveToGroupInputSchema>;
  'participant.setTerms': z.output<typeof setParticipantTermsInputSchema>;
}

/** What an admin action is about: a participant (by your user id), or a record onehop keeps (by its id). */
export interface AdminSubject {
  type: Extract<AuditEntityType, 'participant' | 'review' | 'referral' | 'commission' | 'payout' | 'event' | 'invitation' | 'payout_run'>;
  id: string;
}

/** The admin who asks: the `adminId` the call was given. */
export interface AdminActor {
  type: 'admin';
  id: string;
}

/**
 * One question to the `authorize` hook: may this admin take this action on
 * this subject? Narrow on `action` to read the call's own fields, e.g.
 * `request.action === 'balance.adjust' && Math.abs(request.input.amount) <= 5000`.
 */
export type AuthorizationRequest = {
  [A in AdminAction]: { actor: AdminActor; action: A; subject: AdminSubject; input: Readonly<AdminActionInputs[A]> };
}[AdminAction];

/**
 * Decides whether an admin action may run. Only `true` allows it; `false`
 * (or anything else) refuses it with `ForbiddenError`. It may be async; an
 * error it throws reaches the caller unchanged, and nothing is written.
 */
export type AuthorizeHook = (request: AuthorizationRequest) => boolean | Promise<boolean>;

/**
 * Asks the program's `authorize` hook about an admin action, before the
 * action's transaction starts. Without a hook every action is allowed. A
 * refusal writes one audit line of the attempt (who, which action, on what;
 * no reason text, no personal data), in its own transaction, and throws
 * `ForbiddenError`.
 */
async function authorizeAdmin<A extends AdminAction>(
  ctx: EngineContext,
  action: A,
  subject: AdminSubject,
  input: AdminActionInputs[A] & { adminId: string },
): Promise<void> {
  const hook = ctx.program.authorize;
  if (hook === undefined) return;
  const actor: AdminActor = { type: 'admin', id: input.adminId };
  const allowed: unknown = await hook({ actor, action, subject, input } as AuthorizationRequest);
  if (allowed === true) return;
  const audited: Actor = actor;
  await ctx.run((work) => work.audit(subject.type, subject.id, 'authorization.refused', audited, { data: { action } }));
  throw new ForbiddenError(actor.id, action, subject);
}

/**
 * Asks the program's `authorize` hook about an admin action, after the
 * input is validated and before the action's transaction starts (see
 * `authorizeAdmin`). Without a hook, or for a call an admin does not make
 * (an inviter cancelling their own invitation), it does nothing.
 */
export async function authorizeAction<A extends AdminAction>(
  ctx: EngineContext,
  action: A,
  schema: z.ZodType<AdminActionInputs[A]>,
  input: unknown,
  subject: (data: AdminActionInputs[A]) => AdminSubject,
): Promise<void> {
  if (ctx.program.authorize === undefined) return;
  const data = parse(schema, input);
  if (data.adminId === undefined) return;
  await authorizeAdmin(ctx, action, subject(data), data as AdminActionInputs[A] & { adminId: string });
}
