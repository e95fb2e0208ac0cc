import * as z from 'zod';

/** How long a referee's discount lasts: the first payment only, or every payment of the first `months` months. */
const durationSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('once') }).strict(),
  z.object({ type: z.literal('months'), months: z.number().int('must be a whole number of months').min(1).max(600) }).strict(),
]);

/**
 * The other side of a double-sided program: what a referred customer is
 * given off their purchases, for a billing integration to apply (onehop
 * itself charges nothing). A percentage in basis points (`rateBps: 1500` =
 * 15 %) or an amount in minor units of the program currency, once or for a
 * number of months.
 */
export const refereeDiscountSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('percentage'),
      /** Basis points off each discounted payment: 1 (0.01 %) to 10000 (100 %). */
      rateBps: z.number().int('must be whole basis points').min(1, 'must be at least 1 (0.01 %)').max(10_000, 'must be at most 10000 (100 %)'),
      duration: durationSchema.default({ type: 'once' }),
    })
    .strict(),
  z
    .object({
      type: z.literal('amount'),
      /** Minor units of the program currency off each discounted payment. */
      amount: z.number().int('must be a whole number of minor units').min(1, 'must be positive').max(Number.MAX_SAFE_INTEGER),
      duration: durationSchema.default({ type: 'once' }),
    })
    .strict(),
]);

/** The referee's discount as the program configuration holds it, validated, `duration` filled in. */
export type RefereeDiscount = z.output<typeof refereeDiscountSchema>;
