import * as z from 'zod';
import type { AuthorizeHook } from '../authorization/authorization';
import { isTimeZone } from '../clock/periods';
import { DEFAULT_CODE_ALPHABET, DEFAULT_CODE_LENGTH } from '../codes/alphabet';
import { ValidationError } from '../errors/errors';
import { currencyCodeSchema, currencyExponent } from '../money/currency';
import { amountSchema, commissionConfigSchema } from './commission';
import { fraudConfigSchema, privacyConfigSchema } from './fraud';
import { groupsSchema, rewardsSchema } from './group';
import { refereeDiscountSchema } from './referee-discount';

/** Where a row belongs: live rows and mock rows never mix. */
export const MODES = ['live', 'mock'] as const;
export type Mode = (typeof MODES)[number];

const idPattern = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/** zod schema of a program configuration, as passed to `createOnehop`. */
export const programConfigSchema = z
  .object({
    /** Stable id of the program; every stored row is keyed by it. */
    id: z.string().regex(idPattern, 'must be 1–64 characters: letters, digits, _ . : - (starting with a letter or digit)'),
    /** ISO 4217 currency of every amount in the program. */
    currency: currencyCodeSchema,
    /**
     * `live` accrues real commissions; `mock` keeps everything apart for
     * development. When not set: `live` if NODE_ENV is `production`, else `mock`.
     */
    mode: z.enum(MODES).optional(),
    codes: z
      .object({
        /** Length of generated codes. */
        length: z.number().int().min(6).max(32).default(DEFAULT_CODE_LENGTH),
        /** Alphabet of generated codes: distinct upper-case letters and digits. */
        alphabet: z
          .string()
          .regex(/^[A-Z0-9]+$/, 'must contain only upper-case letters and digits')
          .min(16, 'needs at least 16 symbols')
          .refine((a) => new Set(a).size === a.length, 'must not repeat a symbol')
          .default(DEFAULT_CODE_ALPHABET),
        /** Words no participant may take as a vanity code, beyond the built-in list. */
        reservedWords: z.array(z.string().min(1)).default([]),
      })
      .prefault({}),
    attribution: z
      .object({
        /** A click older than this many days no longer attributes a sign-up. */
        windowDays: z.number().int().min(1).max(3650).default(60),
      })
      .prefault({}),
    links: z
      .object({
        /** Query parameter that carries the code in referral links. */
        parameter: z
          .string()
          .regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/, 'must be a plain query parameter name, e.g. "ref"')
          .default('ref'),
        /**
         * Expiring links: `signedLinkFor` adds an expiry and an HMAC signature
         * made with `secret`, and `attribute({ link })` refuses a link that
         * expired or was changed. With `required`, an attribution without a
         * valid signed link is refused.
         */
        signing: z
          .object({
            /** At least 32 characters; keep it out of the database and the client. */
            secret: z.string().min(32, 'must be at least 32 characters of secret'),
            required: z.boolean().default(false),
            /** Lifetime of a signed link when the call gives none. */
            defaultDays: z.number().int().min(1).max(3650).default(30),
          })
          .strict()
          .optional(),
      })
      .prefault({}),
    /** IANA time zone of the program's calendar (tier and cap periods, "today"). */
    timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone, e.g. "Europe/Berlin"').default('UTC'),
    /**
     * When a referral counts: after the referee's first successful payment
     * (default), or at sign-up (partner programs paying per sign-up).
     */
    qualifyOn: z.enum(['first_payment', 'signup']).default('first_payment'),
    /** How commissions are computed; without it referrals qualify but nothing accrues. */
    commission: commissionConfigSchema.optional(),
    /**
     * Subscriptions (payments that carry a `subscriptionId`). After
     * `recordCancellation`, later payments of the subscription earn nothing.
     * `onCancel` decides the period the cancellation ends:
     * `keep_current_period` (default) keeps what its payment earned — the
     * referee paid for it; `reverse_current_period` reverses the commissions
     * of that payment in full, like a full refund (a clawback if already paid out).
     */
    subscriptions: z
      .object({ onCancel: z.enum(['keep_current_period', 'reverse_current_period']).default('keep_current_period') })
      .strict()
      .prefault({}),
    /**
     * What a referred customer is given (a double-sided program): a
     * percentage (`{ type: 'percentage', rateBps }`) or an amount in minor
     * units (`{ type: 'amount', amount }`), `duration` `{ type: 'once' }`
     * (default) or `{ type: 'months', months }`. onehop charges nothing: a
     * billing integration reads it (`onehop.program.refereeDiscount`, a
     * referee's `refereeStatus().discount`) and applies it, e.g. as a coupon.
     */
    refereeDiscount: refereeDiscountSchema.optional(),
    payouts: z
      .object({
        /** Smallest payout a user may request, in minor units. */
        minimumAmount: amountSchema.default(0),
        /**
         * Tax forms before payouts: with `block`, a payee whose tax profile is
         * not `verified` is left out of payout runs and may not request a
         * payout (the money stays withdrawable); with `warn`, the payout is
         * made and the run names the payee under `warnings`. With
         * `aboveYearlyTotal`, only once the payee's payouts paid this calendar
         * year plus this one would exceed it. `reportThreshold` flags payees in
         * `taxYearReport` (e.g. 60000 cents for the US 1099-NEC).
         */
        taxForms: z
          .object({
            enforcement: z.enum(['off', 'warn', 'block']).default('off'),
            aboveYearlyTotal: amountSchema.default(0),
            reportThreshold: amountSchema.default(60_000),
          })
          .strict()
          .prefault({}),
        /**
         * Seconds a worker holds a payout it is sending (`sendPayouts`). A
         * payout whose attempt ended with an unknown outcome is sent again,
         * with the same idempotency key, once the hold has ended.
         */
        sendLeaseSeconds: z.number().int().min(1).max(86_400).default(300),
      })
      .strict()
      .prefault({}),
    /** Fraud rules: which run and how they are tuned (see FraudConfig). */
    fraud: fraudConfigSchema.prefault({}),
    /** How personal signals are kept. */
    privacy: privacyConfigSchema.prefault({}),
    /**
     * The transactional outbox: every domain event is written with the change
     * it reports, for a dispatcher to deliver. Turn it off only if nothing
     * will ever read it (the events are then not recorded at all).
     */
    outbox: z
      .object({ enabled: z.boolean().default(true) })
      .strict()
      .prefault({}),
    invitations: z
      .object({
        /** Days an invitation stays open. */
        lifetimeDays: z.number().int().min(1).max(365).default(14),
        /** Sends per invitation, the first included. */
        maxSends: z.number().int().min(1).max(20).default(3),
        /** Least time between two sends of one invitation. */
        resendAfterMinutes: z.number().int().min(0).max(10_080).default(60),
        /** Query parameter that carries the invitation token in the link. */
        parameter: z
          .string()
          .regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/)
          .default('invite'),
        /**
         * New invitations one inviter may create within `windowHours`
         * (counted in whole clock hours, UTC: the current hour and the
         * `windowHours - 1` before it), cancelled ones included; `false` for
         * no limit. A pending invitation to the same address is returned, not
         * counted. Protects the program's sending reputation from one account
         * mailing a bought list.
         */
        inviteLimit: z
          .union([
            z.literal(false),
            z
              .object({
                max: z.number().int().min(1).max(100_000),
                windowHours: z
                  .number()
                  .int()
                  .min(1)
                  .max(24 * 31)
                  .default(24),
              })
              .strict(),
          ])
          .default({ max: 100, windowHours: 24 }),
      })
      .strict()
      .prefault({}),
    /**
     * Asked before every admin action (suspending a participant, deciding a
     * review, approving a payout, …) with the admin, the action and its
     * subject; only `true` lets the action run. A refusal throws
     * `ForbiddenError` (code `FORBIDDEN`) and writes nothing but one audit
     * line of the attempt. Without a hook every admin action runs for any
     * `adminId`: your application must then check who its admins are.
     */
    authorize: z.custom<AuthorizeHook>((value) => typeof value === 'function', 'must be a function (request) => boolean | Promise<boolean>').optional(),
    /** What a referee is shown about their referral (`refereeStatus`). */
    refereeView: z
      .object({
        /**
         * Whether the referee (and a visitor arriving with a code,
         * `referralOffer`) sees who referred them: `none` (default), the
         * referrer's current `code`, or `name`: the code and the referrer's
         * user id, for the application to show the name it keeps (onehop
         * keeps no display names).
         */
        showReferrer: z.enum(['none', 'code', 'name']).default('none'),
      })
      .strict()
      .prefault({}),
    /**
     * More lines of the default group, each its own: on the referee's
     * sign-up (`lead`), on purchases (`sale`), on a goal reached (`bounty`),
     * with conditions on the purchase and the referee.
     */
    rewards: rewardsSchema,
    /**
     * Named partner groups, each with its own commission configuration,
     * rewards and referee discount. A participant is in the default group
     * (the top-level `commission`, `rewards` and `refereeDiscount`) until an
     * admin moves them (`moveToGroup`).
     */
    groups: groupsSchema,
    terms: z
      .object({
        /** Current version of the program's terms, e.g. "2026-01". */
        currentVersion: z.string().min(1).max(64),
        /** When true, enroll() refuses a user who has not accepted `currentVersion`. */
        requireCurrent: z.boolean().default(false),
      })
      .optional(),
  })
  .strict();

/** A validated program configuration, defaults filled in and mode resolved. */
export type ProgramConfig = Omit<z.output<typeof programConfigSchema>, 'mode'> & {
  mode: Mode;
  /** Minor-unit digits of `currency`. */
  currencyExponent: number;
};

/** Validates a program configuration. Throws ValidationError (code INVALID_PROGRAM_CONFIG) naming each bad field. */
export function parseProgramConfig(input: unknown, env: { NODE_ENV?: string | undefined } = {}): ProgramConfig {
  const result = programConfigSchema.safeParse(input);
  if (!result.success) {
    throw ValidationError.fromZod(result.error, 'program', {
      code: 'INVALID_PROGRAM_CONFIG',
      hint: 'Fix the program configuration passed to createOnehop.',
    });
  }
  const config = result.data;
  const mode: Mode = config.mode ?? (env.NODE_ENV === 'production' ? 'live' : 'mock');
  return { ...config, mode, currencyExponent: currencyExponent(config.currency) };
}
