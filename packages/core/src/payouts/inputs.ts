/*
 * The input schemas and types of payout methods, payouts, payout runs,
 * sending, settling, retries and tax profiles.
 */
import * as z from 'zod';
import { amountSchema } from '../config/commission';
import { countrySchema } from '../engine/country';
import { emailSchema, limitSchema, positiveAmountSchema, reasonSchema, recordIdSchema, userIdSchema } from '../engine/fields';
import { currencyCodeSchema } from '../money/currency';
import { bicSchema, ibanSchema } from '../payouts/bank-account';
import { type PayoutMethod, TAX_FORM_TYPES, TAX_PROFILE_STATUSES } from '../store/records';
import { stripeConnectMethodSchema } from './stripe-connect-account';

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
/** How a participant wants to be paid, as `setPayoutMethod` takes it. */
export interface SetPayoutMethodInput {
  /** Your user id of the participant. */
  userId: string;
  /** The payout method: PayPal or Wise (an e-mail), a bank transfer (holder, IBAN, optional BIC), store credit, or other details. */
  method: PayoutMethod;
}

export const requestPayoutInputSchema = z
  .object({
    userId: userIdSchema,
    /** Defaults to the whole withdrawable balance. */
    amount: positiveAmountSchema.optional(),
  })
  .strict();
/** A participant asking to be paid out, as `requestPayout` takes it. */
export interface RequestPayoutInput {
  /** Your user id of the participant. */
  userId: string;
  /** How much, a positive integer in minor units; default: the whole withdrawable balance. */
  amount?: number | undefined;
}

const payoutIdSchema = z.string().min(1).max(64);

export const approvePayoutInputSchema = z.object({ payoutId: payoutIdSchema, adminId: userIdSchema, reason: reasonSchema.optional() }).strict();
/** An admin approving a requested payout, as `approvePayout` takes it. */
export interface ApprovePayoutInput {
  /** The payout's id. */
  payoutId: string;
  /** Your id of the admin deciding, written to the audit trail. */
  adminId: string;
  /** Why, written to the audit trail; optional for an approval. */
  reason?: string | undefined;
}

export const rejectPayoutInputSchema = z.object({ payoutId: payoutIdSchema, adminId: userIdSchema, reason: reasonSchema }).strict();
/** An admin rejecting a requested payout, as `rejectPayout` takes it; the amount goes back to the withdrawable balance. */
export interface RejectPayoutInput {
  /** The payout's id. */
  payoutId: string;
  /** Your id of the admin deciding, written to the audit trail. */
  adminId: string;
  /** Why, written to the audit trail (must not quote personal data). */
  reason: string;
}

export const markPayoutPaidInputSchema = z
  .object({
    payoutId: payoutIdSchema,
    adminId: userIdSchema,
    /** The payment's reference at your bank or payment provider. */
    externalReference: z.string().trim().min(1).max(255),
  })
  .strict();
/** An admin recording that an approved payout was paid, as `markPayoutPaid` takes it. */
export interface MarkPayoutPaidInput {
  /** The payout's id. */
  payoutId: string;
  /** Your id of the admin, written to the audit trail. */
  adminId: string;
  /** The payment's reference at your bank or payment provider. */
  externalReference: string;
}

/** A payout run id of your choosing (e.g. `2026-03`), or one onehop generates. */
export const runIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'must be 1–64 characters: letters, digits, _ . : - (starting with a letter or digit)');

export const createPayoutRunInputSchema = z
  .object({
    /** Makes the run idempotent: the same id returns the same run. Generated when left out. */
    runId: runIdSchema.optional(),
    /** Money that was withdrawable before this time, and still is, is paid. */
    before: z.coerce.date({ error: 'must be a date' }),
    /** Smallest balance to pay; default the program's `payouts.minimumAmount`. */
    minimum: amountSchema.optional(),
    /** Must be the program's currency when given (a check for schedulers running several programs). */
    currency: currencyCodeSchema.optional(),
    adminId: userIdSchema,
  })
  .strict();
/** A payout run, as `createPayoutRun` takes it. */
export interface CreatePayoutRunInput {
  /** Makes the run idempotent: the same id returns the same run (1–64 letters, digits, `_ . : -`). Generated when left out. */
  runId?: string | undefined;
  /** Money that was withdrawable before this time, and still is, is paid: a `Date`, an ISO 8601 string or epoch milliseconds. */
  before: unknown;
  /** Smallest balance to pay, in minor units; default the program's `payouts.minimumAmount`. */
  minimum?: number | undefined;
  /** Must be the program's currency when given (ISO 4217; a check for schedulers running several programs). */
  currency?: string | undefined;
  /** The admin starting the run (asked of the authorize hook, audited). */
  adminId: string;
}

export const sendPayoutsInputSchema = z.object({ limit: limitSchema(100) }).strict();
/** What `sendPayouts` takes. */
export interface SendPayoutsInput {
  /** How many approved payouts to claim and send in this call; default 100. */
  limit?: number | undefined;
}

export const settlePayoutInputSchema = z
  .object({
    payoutId: recordIdSchema,
    outcome: z.enum(['paid', 'failed']),
    /** The provider's or bank's reference; required to settle as paid unless the provider already gave one. */
    externalReference: z.string().trim().min(1).max(255).optional(),
    /** Why it failed (a code or a short text without personal data); required for `failed`. */
    reason: z.string().trim().min(1).max(1000).optional(),
    /** The admin who settles it (a bank file executed); leave out for a provider's webhook. */
    adminId: userIdSchema.optional(),
  })
  .strict()
  .refine((d) => d.outcome !== 'failed' || d.reason !== undefined, { message: 'a reason is required for a failed payout', path: ['reason'] });
/** A processing payout's outcome, as `settlePayout` takes it. */
export interface SettlePayoutInput {
  /** The payout being settled. */
  payoutId: string;
  /** `paid`, or `failed` (its money returns to the payee's withdrawable balance). */
  outcome: 'paid' | 'failed';
  /** The provider's or bank's reference; required to settle as paid unless the provider already gave one. */
  externalReference?: string | undefined;
  /** Why it failed (a code or a short text without personal data); required for `failed`. */
  reason?: string | undefined;
  /** The admin who settles it (a bank file executed); leave out for a provider's webhook. */
  adminId?: string | undefined;
}

export const retryPayoutInputSchema = z.object({ payoutId: recordIdSchema, adminId: userIdSchema, reason: reasonSchema.optional() }).strict();
/** A failed payout to send again, as `retryPayout` takes it. */
export interface RetryPayoutInput {
  /** The failed payout. */
  payoutId: string;
  /** The admin retrying it (asked of the authorize hook, audited). */
  adminId: string;
  /** Why, for the audit trail. */
  reason?: string | undefined;
}

export const setTaxProfileInputSchema = z
  .object({
    userId: userIdSchema,
    status: z.enum(TAX_PROFILE_STATUSES),
    formType: z.enum(TAX_FORM_TYPES).optional(),
    /** Country of tax residence, ISO 3166-1 alpha-2. */
    country: countrySchema.optional(),
    /** When the status took effect; default now. */
    statusDate: z.coerce.date({ error: 'must be a date' }).optional(),
    adminId: userIdSchema,
    reason: reasonSchema.optional(),
  })
  .strict();
/** A payee's tax profile, as `setTaxProfile` takes it. onehop stores no tax id or document. */
export interface SetTaxProfileInput {
  /** Your user id of the payee. */
  userId: string;
  /** `none`, `submitted`, `verified` or `rejected`. */
  status: (typeof TAX_PROFILE_STATUSES)[number];
  /** The form on file: `W-9`, `W-8BEN`, `W-8BEN-E` or `other`. */
  formType?: (typeof TAX_FORM_TYPES)[number] | undefined;
  /** Country of tax residence, ISO 3166-1 alpha-2, any case. */
  country?: string | undefined;
  /** When the status took effect (a `Date`, an ISO 8601 string or epoch milliseconds); default now. */
  statusDate?: unknown;
  /** The admin recording it (asked of the authorize hook, audited). */
  adminId: string;
  /** Why, for the audit trail. */
  reason?: string | undefined;
}

export const taxYearReportInputSchema = z
  .object({
    year: z.number().int().min(2000).max(2999),
    /** Flags payees paid more than this in the year; default `payouts.taxForms.reportThreshold`. */
    threshold: amountSchema.optional(),
  })
  .strict();
/** What `taxYearReport` takes. */
export interface TaxYearReportInput {
  /** The calendar year, in the program's time zone. */
  year: number;
  /** Flags payees paid more than this in the year, in minor units; default `payouts.taxForms.reportThreshold`. */
  threshold?: number | undefined;
}
