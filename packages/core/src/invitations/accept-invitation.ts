import { ATTRIBUTION_RACE, attributeTx, attributionRejecter, prepareAttribution, replayAttribution } from '../attribution/attribute';
import type { AttributionRejection, AttributionResult } from '../attribution/attribution-result';
import { type EngineContext, parse } from '../engine/context';
import type { InvitationRecord } from '../store/records';
import { type AcceptInvitationInput, acceptInvitationInputSchema } from './inputs';
import { invitationForAcceptance, markAccepted } from './steps';

/**
 * A sign-up through an invitation link: attributed to the inviter under the
 * same rules as a code (fraud rules, one referrer per referee), and the
 * invitation is accepted in the same transaction. An expired, cancelled or
 * already used invitation is refused with its reason. Accepting again for
 * the same referee returns the referral it made.
 */
export async function acceptInvitation(ctx: EngineContext, input: AcceptInvitationInput): Promise<AttributionResult & { invitation: InvitationRecord }> {
  const { token, ...signals } = parse(acceptInvitationInputSchema, input);
  const prepared = prepareAttribution(ctx, signals);
  return ctx.run(async (work) => {
    const { invitation, inviter } = await invitationForAcceptance(work, token);
    const reject = attributionRejecter(work, signals.refereeId, inviter.code);
    const refuse = async (reason: AttributionRejection, message: string) => ({ ...(await reject(reason, message, { invitationId: invitation.id })), invitation });
    if (invitation.status === 'accepted') {
      const referral = invitation.acceptedBy === signals.refereeId ? await work.tx.referrals.getByReferee(work.scope, signals.refereeId) : null;
      if (referral) return { ...(await replayAttribution(work, referral)), invitation };
      return refuse('INVITATION_USED', 'The invitation was accepted already.');
    }
    if (invitation.status === 'cancelled') return refuse('INVITATION_CANCELLED', 'The invitation was cancelled.');
    if (invitation.status === 'expired' || invitation.expiresAt.getTime() <= prepared.now.getTime()) {
      return refuse('INVITATION_EXPIRED', `The invitation expired at ${invitation.expiresAt.toISOString()}.`);
    }
    const result = await attributeTx(work, prepared, inviter.code, reject, false);
    if (!result.ok) return { ...result, invitation };
    return { ...result, invitation: await markAccepted(work, invitation, signals.refereeId, signals.email ?? null) };
  }, ATTRIBUTION_RACE);
}
