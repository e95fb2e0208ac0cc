/*
 * The input schemas of the public methods, with the field schemas they share
 * (ids, e-mail, amounts, limits). Long because it is the whole public input
 * surface in one place; the invitation and dispatcher schemas sit in their
 * features.
 */
import { z } from 'zod';
import { utmSchema } from '../links/links';
import { currencyCodeSchema } from '../money/currency';
import { bicSchema, ibanSchema } from '../payouts/bank-account';
import { stripeConnectMethodSchema } from '../payouts/stripe-connect-account';
import { AUDIT_ENTITY_TYPES, COMMISSION_STATUSES, PAYOUT_STATUSES, REFERRAL_STATUSES } from '../store/records';
import { countrySchema } from './country';

/**
 * How many rows a call returns or works on: a whole number from 1 to `max`
 * (1000 unless said), `fallback` when not given. The one limit field of every
 * input; each call keeps its own default.
 */
export const limitSchema = (fallback: number, max = 1000) => z.number().int().min(1).max(max).default(fallback);

/** An application's user id: any non-empty string up to 255 characters. */
export const userIdSchema = z.string().trim().min(1, 'must not be empty').max(255);

/** An id onehop generated (commission, payout). */
export const recordIdSchema = z.string().trim().min(1, 'must not be empty').max(64);

export const emailSchema = z.email({ error: 'must be an email address' }).max(320);

/** Reason given by an admin for a decision; required wherever a person decides. */
export const reasonSchema = z.string().trim().min(1, 'a reason is required').max(1000);

export const enrollInputSchema = z
  .object({
    userId: userIdSchema,
    email: emailSchema.optional(),
    /** A vanity code to use instead of a generated one. */
    code: z.string().min(1).max(64).optional(),
    /** Version of the program terms the user accepted. */
    acceptedTermsVersion: z.string().min(1).max(64).optional(),
  })
  .strict();
/** A registered user joining the referral program, as `enroll` takes it. */
export interface EnrollInput {
  /** Your user id; enrolling the same id again returns the same participant. */
  userId: string;
  /** The user's e-mail address, used to refuse self-referrals. */
  email?: string | undefined;
  /** A vanity code to use instead of a generated one. */
  code?: string | undefined;
  /** Version of the program terms the user accepted. */
  acceptedTermsVersion?: string | undefined;
}

export const acceptTermsInputSchema = z.object({ userId: userIdSchema, version: z.string().min(1).max(64) }).strict();
export type AcceptTermsInput = z.input<typeof acceptTermsInputSchema>;

export const replaceCodeInputSchema = z
  .object({
    userId: userIdSchema,
    /** The new vanity code; a generated one when left out. */
    newCode: z.string().min(1).max(64).optional(),
    adminId: userIdSchema,
    reason: reasonSchema,
  })
  .strict();
export type ReplaceCodeInput = z.input<typeof replaceCodeInputSchema>;

export const setStatusInputSchema = z.object({ userId: userIdSchema, adminId: userIdSchema, reason: reasonSchema }).strict();
export type SetParticipantStatusInput = z.input<typeof setStatusInputSchema>;

const ipSchema = z.union([z.ipv4(), z.ipv6()], { error: 'must be an IPv4 or IPv6 address' });

export const codeInputSchema = z.string().min(1, 'must not be empty').max(64);

export const attributeInputSchema = z
  .object({
    /** The new user's id in the application. */
    refereeId: userIdSchema,
    /** The code the sign-up came with, as captured (any case, spaces or hyphens). */
    code: codeInputSchema,
    email: emailSchema.optional(),
    ip: ipSchema.optional(),
    userAgent: z.string().max(1024).optional(),
    deviceId: z.string().min(1).max(255).optional(),
    /** Channel the referee came from, e.g. the landing `utm_source`. */
    source: z.string().trim().min(1).max(100).optional(),
    /** The referee's country, ISO 3166-1 alpha-2 (e.g. from your sign-up form or IP geolocation); dashboards break sign-ups down by it. */
    country: countrySchema.optional(),
    /** When the referral link was clicked (from the capture cookie). */
    clickedAt: z.coerce.date({ error: 'must be a date' }).optional(),
    /** The application knows this user paid before signing up: not a new customer, so not a referral. */
    existingCustomer: z.boolean().optional(),
    /**
     * The signed link the referee arrived through (see `signedLinkFor`): the
     * attribution is refused if it expired, was changed, or names another code.
     */
    link: z.string().max(4096).optional(),
  })
  .strict();
/** A new sign-up and the code it came with, as `attribute` takes it. */
export interface AttributeInput {
  /** The new user's id in the application. */
  refereeId: string;
  /** The code the sign-up came with, as captured (any case, spaces or hyphens). */
  code: string;
  /** The referee's e-mail address, compared with the referrer's (self-referral); stored only in normal form on the referral. */
  email?: string | undefined;
  /** The referee's IP address (IPv4 or IPv6); stored only as a keyed hash. */
  ip?: string | undefined;
  /** The referee's user agent. */
  userAgent?: string | undefined;
  /** Your device id of the referee's device; stored only as a keyed hash. */
  deviceId?: string | undefined;
  /** Channel the referee came from, e.g. the landing `utm_source`. */
  source?: string | undefined;
  /** The referee's country, ISO 3166-1 alpha-2 (e.g. from your sign-up form or IP geolocation); dashboards break sign-ups down by it. */
  country?: string | undefined;
  /** When the referral link was clicked (from the capture cookie): a `Date`, an ISO 8601 string or epoch milliseconds. */
  clickedAt?: unknown;
  /** The application knows this user paid before signing up: not a new customer, so not a referral. */
  existingCustomer?: boolean | undefined;
  /**
   * The signed link the referee arrived through (see `signedLinkFor`): the
   * attribution is refused if it expired, was changed, or names another code.
   */
  link?: string | undefined;
}
export type AttributeInputData = z.output<typeof attributeInputSchema>;

export const acceptInvitationInputSchema = attributeInputSchema
  .omit({ code: true, link: true })
  .extend({
    /** The token from the invitation link (its `invite` parameter by default). */
    token: z.string().trim().min(16, 'is not an invitation token').max(64),
  })
  .strict();
export type AcceptInvitationInput = z.input<typeof acceptInvitationInputSchema>;

export const linkForInputSchema = z
  .object({
    userId: userIdSchema,
    baseUrl: z.string(),
    /** UTM parameters by name without `utm_` (`{ source: 'newsletter' }`); an unknown key is a ValidationError naming it. */
    utm: utmSchema.optional(),
    params: z.record(z.string(), z.string()).optional(),
  })
  .strict();
export type LinkForInput = z.input<typeof linkForInputSchema>;

export const signedLinkForInputSchema = linkForInputSchema
  .extend({
    /** When the link stops attributing; default: the program's `links.signing.defaultDays` from now. */
    expiresAt: z.coerce.date({ error: 'must be a date' }).optional(),
  })
  .strict();
export type SignedLinkForInput = z.input<typeof signedLinkForInputSchema>;

export const shareLinksForInputSchema = linkForInputSchema
  .extend({
    text: z.string().max(1000).optional(),
    subject: z.string().max(200).optional(),
    /** Tag each network's link with `utm_source=<network>`. */
    tagNetworks: z.boolean().optional(),
  })
  .strict();
export type ShareLinksForInput = z.input<typeof shareLinksForInputSchema>;

export const listInputSchema = z
  .object({ limit: limitSchema(100) })
  .strict()
  .prefault({});

export const auditEntityTypeSchema = z.enum(AUDIT_ENTITY_TYPES);

const eventIdSchema = z.string().trim().min(1, 'must not be empty').max(255);
/** A positive amount in minor units (an integer; never a float). */
const positiveAmountSchema = z
  .number({ error: 'must be an integer amount in minor units' })
  .int('must be an integer amount in minor units (e.g. cents), not a decimal')
  .min(1, 'must be positive')
  .max(Number.MAX_SAFE_INTEGER);

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
const jsonSchema: z.ZodType<Json> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonSchema), z.record(z.string(), jsonSchema)]));

export const recordPurchaseInputSchema = z
  .object({
    /** Your payment provider's id of the payment; a redelivery with the same id changes nothing. */
    eventId: eventIdSchema,
    refereeId: userIdSchema,
    amount: positiveAmountSchema,
    /** ISO 4217 code; a purchase in a currency other than the program's throws `CurrencyMismatchError`. */
    currency: currencyCodeSchema,
    occurredAt: z.coerce.date({ error: 'must be a date' }),
    productId: z.string().min(1).max(255).optional(),
    metadata: z.record(z.string(), jsonSchema).optional(),
    /**
     * Your payment provider's fingerprint of the card or account used (e.g.
     * Stripe's `card.fingerprint`). Stored only as a keyed hash; a match with
     * the referrer's is a self-referral.
     */
    paymentFingerprint: z.string().trim().min(1).max(255).optional(),
  })
  .strict();
/** A payment by a referee, as `recordPurchase` takes it. */
export interface RecordPurchaseInput {
  /** Your payment provider's id of the payment; a redelivery with the same id changes nothing. */
  eventId: string;
  /** Your user id of the buyer (the referee). */
  refereeId: string;
  /** What was paid, a positive integer in minor units (cents), never a decimal. */
  amount: number;
  /** ISO 4217 code; a purchase in a currency other than the program's throws `CurrencyMismatchError`. */
  currency: string;
  /** When the payment happened: a `Date`, an ISO 8601 string or epoch milliseconds. */
  occurredAt: unknown;
  /** Your product id, matched by product overrides and promotions. */
  productId?: string | undefined;
  /** Your own JSON data kept with the purchase event. */
  metadata?: Record<string, unknown> | undefined;
  /**
   * Your payment provider's fingerprint of the card or account used (e.g.
   * Stripe's `card.fingerprint`). Stored only as a keyed hash; a match with
   * the referrer's is a self-referral.
   */
  paymentFingerprint?: string | undefined;
}

export const recordReversalInputSchema = z
  .object({
    /** Id of the refund or dispute; a redelivery changes nothing. */
    eventId: eventIdSchema,
    /** The purchase it reverses. */
    purchaseEventId: eventIdSchema,
    /** How much of the purchase is refunded or charged back, minor units. */
    amount: positiveAmountSchema,
    occurredAt: z.coerce.date({ error: 'must be a date' }).optional(),
  })
  .strict();
/** A refund or a chargeback of a recorded purchase, as `recordRefund` and `recordChargeback` take it. */
export interface RecordReversalInput {
  /** Id of the refund or dispute; a redelivery changes nothing. */
  eventId: string;
  /** The purchase it reverses. */
  purchaseEventId: string;
  /** How much of the purchase is refunded or charged back, a positive integer in minor units. */
  amount: number;
  /** When it happened (a `Date`, an ISO 8601 string or epoch milliseconds); defaults to now. */
  occurredAt?: unknown;
}

export const approveDueInputSchema = z
  .object({
    /** Approve what is due at this time; defaults to the clock's now. */
    now: z.coerce.date().optional(),
    /** Most commissions to approve in this call. */
    limit: limitSchema(1000, 100_000),
  })
  .strict()
  .prefault({});
export type ApproveDueInput = z.input<typeof approveDueInputSchema>;

export const decideCommissionInputSchema = z.object({ commissionId: z.string().min(1).max(64), adminId: userIdSchema, reason: reasonSchema }).strict();
export type DecideCommissionInput = z.input<typeof decideCommissionInputSchema>;

export const adjustBalanceInputSchema = z
  .object({
    userId: userIdSchema,
    /** Signed minor units added to the withdrawable balance (negative to take back). */
    amount: z
      .number()
      .int('must be an integer amount in minor units')
      .min(-Number.MAX_SAFE_INTEGER)
      .max(Number.MAX_SAFE_INTEGER)
      .refine((n) => n !== 0, 'must not be zero'),
    adminId: userIdSchema,
    reason: reasonSchema,
  })
  .strict();
export type AdjustBalanceInput = z.input<typeof adjustBalanceInputSchema>;

export const payoutMethodSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('paypal'), email: emailSchema }).strict(),
  z
    .object({
      type: z.literal('bank_transfer'),
      accountHolder: z.string().trim().min(1).max(200),
      iban: ibanSchema,
      bic: bicSchema.optional(),
    })
    .strict(),
  z.object({ type: z.literal('wise'), email: emailSchema }).strict(),
  z.object({ type: z.literal('store_credit') }).strict(),
  z.object({ type: z.literal('other'), details: z.string().trim().min(1).max(1000) }).strict(),
  stripeConnectMethodSchema,
]);

export const setPayoutMethodInputSchema = z.object({ userId: userIdSchema, method: payoutMethodSchema }).strict();
export type SetPayoutMethodInput = z.input<typeof setPayoutMethodInputSchema>;

export const requestPayoutInputSchema = z
  .object({
    userId: userIdSchema,
    /** Defaults to the whole withdrawable balance. */
    amount: positiveAmountSchema.optional(),
  })
  .strict();
export type RequestPayoutInput = z.input<typeof requestPayoutInputSchema>;

const payoutIdSchema = z.string().min(1).max(64);

export const approvePayoutInputSchema = z.object({ payoutId: payoutIdSchema, adminId: userIdSchema, reason: reasonSchema.optional() }).strict();
export type ApprovePayoutInput = z.input<typeof approvePayoutInputSchema>;

export const rejectPayoutInputSchema = z.object({ payoutId: payoutIdSchema, adminId: userIdSchema, reason: reasonSchema }).strict();
export type RejectPayoutInput = z.input<typeof rejectPayoutInputSchema>;

export const markPayoutPaidInputSchema = z
  .object({
    payoutId: payoutIdSchema,
    adminId: userIdSchema,
    /** The payment's reference at your bank or payment provider. */
    externalReference: z.string().trim().min(1).max(255),
  })
  .strict();
export type MarkPayoutPaidInput = z.input<typeof markPayoutPaidInputSchema>;

export const recordSignInInputSchema = z
  .object({
    userId: userIdSchema,
    ip: ipSchema.optional(),
    deviceId: z.string().min(1).max(255).optional(),
    /** A payment method the user holds (your provider's card or account fingerprint). */
    paymentFingerprint: z.string().trim().min(1).max(255).optional(),
  })
  .strict()
  .refine((v) => v.ip !== undefined || v.deviceId !== undefined || v.paymentFingerprint !== undefined, {
    message: 'pass at least one of ip, deviceId, paymentFingerprint',
    path: ['ip'],
  });
export type RecordSignInInput = z.input<typeof recordSignInInputSchema>;

export const decideReviewInputSchema = z
  .object({ reviewId: recordIdSchema, decision: z.enum(['approve', 'reject']), adminId: userIdSchema, reason: reasonSchema })
  .strict();
export type DecideReviewInput = z.input<typeof decideReviewInputSchema>;

export const rejectReferralInputSchema = z.object({ referralId: recordIdSchema, adminId: userIdSchema, reason: reasonSchema }).strict();
export type RejectReferralInput = z.input<typeof rejectReferralInputSchema>;

export const cursorPageInputSchema = z
  .object({
    limit: limitSchema(50),
    /** The id of the last item of the previous page. */
    cursor: recordIdSchema.optional(),
  })
  .strict()
  .prefault({});

export const listReviewsInputSchema = z
  .object({
    status: z.enum(['open', 'approved', 'rejected']).default('open'),
    limit: limitSchema(50),
    cursor: recordIdSchema.optional(),
  })
  .strict()
  .prefault({});
export type ListReviewsInput = z.input<typeof listReviewsInputSchema>;

export const recordClickInputSchema = z
  .object({
    /** The code from the link, as typed or captured; normalised before the lookup. */
    code: codeInputSchema,
    /** The landing page's URL (http or https). */
    landingUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .max(2048)
      .optional(),
    /** Channel, e.g. the landing `utm_source`. */
    source: z.string().trim().min(1).max(100).optional(),
    /** The visitor's IP address; only its keyed hash is stored. */
    ip: ipSchema.optional(),
  })
  .strict();
export type RecordClickInput = z.input<typeof recordClickInputSchema>;

export const listClicksInputSchema = z
  .object({
    userId: userIdSchema,
    limit: limitSchema(50),
    /** The id of the last click of the previous page. */
    cursor: recordIdSchema.optional(),
  })
  .strict();
export type ListClicksInput = z.input<typeof listClicksInputSchema>;

export const eraseUserInputSchema = z.object({ userId: userIdSchema, adminId: userIdSchema, reason: reasonSchema }).strict();
export type EraseUserInput = z.input<typeof eraseUserInputSchema>;

// ------------------------------------------------------------------ dashboards

const dateSchema = z.coerce.date({ error: 'must be a date' });

/** An input with a time range [from, to) (besides `shape`): `to` after `from`, at most `maxDays` long. */
const ranged = <S extends z.ZodRawShape>(maxDays: number, shape: S) =>
  z
    .object({ ...shape, from: dateSchema, to: dateSchema })
    .strict()
    .refine((r) => span(r) > 0, { message: 'must be after from', path: ['to'] })
    .refine((r) => span(r) <= maxDays * 86_400_000, { message: `the range may span at most ${maxDays} days`, path: ['to'] });

/** `to - from` in milliseconds of a parsed range (the generic shape hides the two fields from the type checker). */
const span = (r: unknown) => {
  const { from, to } = r as { from: Date; to: Date };
  return to.getTime() - from.getTime();
};

export const userInputSchema = z.object({ userId: userIdSchema }).strict();
export type UserInput = z.input<typeof userInputSchema>;

export const historyInputSchema = z
  .object({
    userId: userIdSchema,
    /** Only commissions with this status (commission history only). */
    status: z.enum(COMMISSION_STATUSES).optional(),
    from: dateSchema.optional(),
    to: dateSchema.optional(),
    /** Newest first (default) or oldest first. */
    order: z.enum(['newest', 'oldest']).default('newest'),
    limit: limitSchema(50),
    /** The id of the last item of the previous page. */
    cursor: recordIdSchema.optional(),
  })
  .strict()
  .refine((v) => v.from === undefined || v.to === undefined || v.to.getTime() > v.from.getTime(), { message: 'must be after from', path: ['to'] });
export type HistoryInput = z.input<typeof historyInputSchema>;

export const performanceInputSchema = ranged(731, {
  /** A referrer; the whole program when left out. */
  userId: userIdSchema.optional(),
  granularity: z.enum(['day', 'week', 'month']).default('day'),
});
export type PerformanceInput = z.input<typeof performanceInputSchema>;

export const refereeInputSchema = z.object({ refereeId: userIdSchema }).strict();
export type RefereeInput = z.input<typeof refereeInputSchema>;

export const periodInputSchema = ranged(3660, {});
export type PeriodInput = z.input<typeof periodInputSchema>;

export const topReferrersInputSchema = z
  .object({
    by: z.enum(['earnings', 'qualified']).default('earnings'),
    /** The period; all time when both are left out. */
    from: dateSchema.optional(),
    to: dateSchema.optional(),
    limit: limitSchema(10, 100),
  })
  .strict()
  .refine((v) => (v.from === undefined) === (v.to === undefined), { message: 'give both from and to, or neither', path: ['to'] })
  .refine((v) => v.from === undefined || v.to === undefined || v.to.getTime() > v.from.getTime(), { message: 'must be after from', path: ['to'] });
export type TopReferrersInput = z.input<typeof topReferrersInputSchema>;

export const funnelInputSchema = ranged(3660, { userId: userIdSchema.optional() });
export type FunnelInput = z.input<typeof funnelInputSchema>;

export const referralsByStatusInputSchema = z.object({ status: z.enum(REFERRAL_STATUSES), limit: limitSchema(50), cursor: recordIdSchema.optional() }).strict();
export type ReferralsByStatusInput = z.input<typeof referralsByStatusInputSchema>;

export const payoutsByStatusInputSchema = z.object({ status: z.enum(PAYOUT_STATUSES), limit: limitSchema(50), cursor: recordIdSchema.optional() }).strict();
export type PayoutsByStatusInput = z.input<typeof payoutsByStatusInputSchema>;

export const statementInputSchema = ranged(3660, { userId: userIdSchema });
export type StatementInput = z.input<typeof statementInputSchema>;

export const taxExportInputSchema = z.object({ year: z.number().int().min(2000).max(2999) }).strict();
export type TaxExportInput = z.input<typeof taxExportInputSchema>;
