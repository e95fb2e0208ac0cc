import * as z from 'zod';

/**
 * A Stripe Connect payout method: the connected account's id (`acct_…`),
 * which transfers are sent to. The account's own details stay at Stripe.
 */
export const stripeConnectMethodSchema = z
  .object({
    type: z.literal('stripe_connect'),
    accountId: z
      .string()
      .trim()
      .regex(/^acct_[A-Za-z0-9]{1,64}$/, 'must be a Stripe connected account id, e.g. "acct_1Nv0FGQ9RKHgCVdK"'),
  })
  .strict();
