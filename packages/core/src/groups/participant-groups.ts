import { authorizeAction } from '../authorization/authorization';
import { DEFAULT_GROUP } from '../config/group';
import { type EngineContext, parse } from '../engine/context';
import { UnknownGroupError } from '../errors/errors';
import { requireParticipant } from '../participants/steps';
import type { ParticipantRecord, ParticipantTerms } from '../store/records';
import { groupsOf, isGroup } from './group-of';
import { type MoveToGroupInput, moveToGroupInputSchema, type SetParticipantTermsInput, setParticipantTermsInputSchema } from './inputs';

/*
 * Moving a participant between groups and setting their own terms. Both
 * lock the participant first: that changes the participant's version, so a
 * purchase decided on the old terms but not yet applied is decided again on
 * the new ones. Lines already made never change: a move or new terms apply
 * to accruals decided after them.
 *
 * A move resets no count: tiers, caps, milestones and bounties count per
 * participant over their whole history in the period (every participant
 * counts every counter any group reads), so a participant moved mid-month
 * to a group with monthly tiers starts at the tier their month so far has
 * reached.
 */

/** Admin: moves a participant to another group of the program (`default` for the top-level configuration); audited with before and after. */
export async function moveToGroup(ctx: EngineContext, input: MoveToGroupInput): Promise<ParticipantRecord> {
  const data = parse(moveToGroupInputSchema, input);
  if (!isGroup(ctx.program, data.groupId)) {
    throw new UnknownGroupError(
      data.groupId,
      groupsOf(ctx.program).map(([name]) => name),
    );
  }
  await authorizeAction(ctx, 'participant.moveGroup', moveToGroupInputSchema, data, (d) => ({ type: 'participant', id: d.userId }));
  return ctx.run(async (work) => {
    const participant = await requireParticipant(work, data.userId);
    const before = participant.groupId ?? DEFAULT_GROUP;
    if (before === data.groupId) return participant;
    const groupId = data.groupId === DEFAULT_GROUP ? null : data.groupId;
    const now = work.now();
    await work.tx.participants.update(ctx.scope, data.userId, { groupId, updatedAt: now });
    await work.audit('participant', data.userId, 'participant.group_changed', { type: 'admin', id: data.adminId }, { before, after: data.groupId, reason: data.reason });
    return { ...participant, groupId, updatedAt: now };
  });
}

/** The terms as stored: only the fields given, in one order (so equal terms compare equal). */
function storedTerms(terms: SetParticipantTermsInput['terms']): ParticipantTerms | null {
  if (terms === null) return null;
  const out: ParticipantTerms = {};
  if (terms.rateBps !== undefined) out.rateBps = terms.rateBps;
  if (terms.amount !== undefined) out.amount = terms.amount;
  if (terms.holdingDays !== undefined) out.holdingDays = terms.holdingDays;
  return out;
}

const described = (terms: ParticipantTerms | null) => (terms === null ? 'none' : JSON.stringify(terms));

/** Admin: sets (or, with `terms: null`, removes) a participant's own terms; audited with before and after. */
export async function setParticipantTerms(ctx: EngineContext, input: SetParticipantTermsInput): Promise<ParticipantRecord> {
  const data = parse(setParticipantTermsInputSchema, input);
  await authorizeAction(ctx, 'participant.setTerms', setParticipantTermsInputSchema, data, (d) => ({ type: 'participant', id: d.userId }));
  const customTerms = storedTerms(data.terms);
  return ctx.run(async (work) => {
    const participant = await requireParticipant(work, data.userId);
    const before = described(participant.customTerms);
    const after = described(customTerms);
    if (before === after) return participant;
    const now = work.now();
    await work.tx.participants.update(ctx.scope, data.userId, { customTerms, updatedAt: now });
    await work.audit('participant', data.userId, 'participant.terms_changed', { type: 'admin', id: data.adminId }, { before, after, reason: data.reason });
    return { ...participant, customTerms, updatedAt: now };
  });
}
