/*
 * The input schemas and types of moving a participant to a group and of a
 * participant's own terms.
 */
import * as z from 'zod';
import { groupIdSchema } from '../config/group';
import { reasonSchema, userIdSchema } from '../engine/fields';

export const moveToGroupInputSchema = z.object({ userId: userIdSchema, groupId: groupIdSchema, adminId: userIdSchema, reason: reasonSchema }).strict();
/** An admin moving a participant to another partner group, as `moveToGroup` takes it. */
export interface MoveToGroupInput {
  /** Your user id of the participant. */
  userId: string;
  /** The group they join: a name in the program's `groups`, or `default`. */
  groupId: string;
  /** Your id of the admin deciding, written to the audit trail. */
  adminId: string;
  /** Why, written to the audit trail (must not quote personal data). */
  reason: string;
}

const participantTermsSchema = z
  .object({
    rateBps: z.number().int('must be whole basis points').min(0).max(10_000, 'must be at most 10000 (100 %)').optional(),
    amount: z.number().int('must be a whole number of minor units').min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    holdingDays: z.number().int().min(0).max(3650).optional(),
  })
  .strict()
  .refine((t) => t.rateBps === undefined || t.amount === undefined, { message: 'give rateBps or amount, not both', path: ['amount'] })
  .refine((t) => t.rateBps !== undefined || t.amount !== undefined || t.holdingDays !== undefined, {
    message: 'give rateBps, amount or holdingDays; null removes the terms',
  });

export const setParticipantTermsInputSchema = z
  .object({ userId: userIdSchema, terms: participantTermsSchema.nullable(), adminId: userIdSchema, reason: reasonSchema })
  .strict();
/** An admin setting (or removing) a participant's own terms, as `setParticipantTerms` takes it. */
export interface SetParticipantTermsInput {
  /** Your user id of the participant. */
  userId: string;
  /**
   * Their own terms, over their group's; `null` removes them. `rateBps`
   * (basis points) or `amount` (minor units) replaces the group's base rule
   * on each line it decides, over tiers, promotions and product overrides
   * (the group's rewards keep their own); `holdingDays` (0 to 3650) is how
   * long each line they earn stays pending.
   */
  terms: { rateBps?: number | undefined; amount?: number | undefined; holdingDays?: number | undefined } | null;
  /** Your id of the admin deciding, written to the audit trail. */
  adminId: string;
  /** Why, written to the audit trail (must not quote personal data). */
  reason: string;
}
