import * as z from 'zod';
import { DEFAULT_IPV6_PREFIX_LENGTH } from '../fraud/hash';
import { amountSchema } from './commission';

const action = z.enum(['review', 'reject']);
const windowHours = z
  .number()
  .int()
  .min(1)
  .max(24 * 366);

/**
 * Which built-in fraud rules run, and how they are tuned. Every rule runs by
 * default except those that need a threshold only the program can choose
 * (`referrerVelocity`, `highValueCommission`, `referrerVolume`). Set a rule to `false` to turn it
 * off. Rules run at attribution and again at each accrual.
 */
export const fraudConfigSchema = z
  .object({
    /** Same user id, same normalised email, same device, same payment fingerprint → reject. */
    selfReferral: z.boolean().default(true),
    /** A referee who was already a paying customer before the attribution → reject. */
    existingCustomer: z.boolean().default(true),
    /**
     * Same IP as the referrer's recent sign-ins, or as `refereesThreshold` of
     * the referrer's recent referees → review (households share addresses).
     */
    ipMatch: z
      .union([z.literal(false), z.object({ windowHours: windowHours.default(24 * 30), refereesThreshold: z.number().int().min(1).max(1000).default(3) }).strict()])
      .default({ windowHours: 24 * 30, refereesThreshold: 3 }),
    /** More than `max` attributions to one referrer within the window; off when not set. */
    referrerVelocity: z
      .object({ max: z.number().int().min(1), windowHours: windowHours.default(24), action: action.default('review') })
      .strict()
      .optional(),
    /** More than `max` sign-ups from one IP within the window. */
    ipVelocity: z
      .union([z.literal(false), z.object({ max: z.number().int().min(1), windowHours: windowHours.default(24), action: action.default('review') }).strict()])
      .default({ max: 5, windowHours: 24, action: 'review' }),
    /**
     * The click endpoint refuses (stores nothing for) more than `max` clicks
     * from one IP address within the window. Needs `privacy.hashKey`, as
     * the address is only compared by its keyed hash.
     */
    clickVelocity: z
      .union([
        z.literal(false),
        z
          .object({
            max: z.number().int().min(1).max(100_000),
            windowMinutes: z
              .number()
              .int()
              .min(1)
              .max(24 * 60)
              .default(60),
          })
          .strict(),
      ])
      .default({ max: 20, windowMinutes: 60 }),
    /** A referee email on a disposable-address domain → review. */
    disposableEmail: z.boolean().default(true),
    /** A commission line above this amount (minor units) → review; off when not set. */
    highValueCommission: z.object({ threshold: amountSchema }).strict().optional(),
    /**
     * A referrer with more than `max` referrals within the window needs
     * verification: their further referrals are held for review. Off when not set.
     */
    referrerVolume: z
      .object({ max: z.number().int().min(1), windowHours: windowHours.default(24 * 30) })
      .strict()
      .optional(),
    /** Purchases below this amount (minor units) earn no commission. */
    minimumPurchase: amountSchema.default(0),
    /**
     * How many leading bits of an IPv6 address identify a visitor for the IP
     * rules (`ipMatch`, `ipVelocity`, `clickVelocity`): the address is masked
     * to this prefix before it is hashed. Default 64, the prefix one home or
     * phone network is given, within which a device rotates its addresses;
     * 128 compares whole addresses. IPv4 addresses are always compared whole.
     */
    ipv6PrefixLength: z.number().int().min(1).max(128).default(DEFAULT_IPV6_PREFIX_LENGTH),
  })
  .strict();

export type FraudConfig = z.output<typeof fraudConfigSchema>;

export const privacyConfigSchema = z
  .object({
    /**
     * Secret key for the keyed hashes (HMAC-SHA-256) of IP addresses, device
     * ids and payment fingerprints. Needed to pass any of them; keep it out of
     * the database. Changing it makes earlier hashes unmatchable.
     */
    hashKey: z.string().min(32, 'must be at least 32 characters of secret').optional(),
  })
  .strict();

/** The fraud rules' configuration as written in the program configuration (`fraud`); every field may be left out. */
export interface FraudConfigInput {
  /** Same user id, same normalised email, same device, same payment fingerprint → reject. Default true. */
  selfReferral?: boolean | undefined;
  /** A referee who was already a paying customer before the attribution → reject. Default true. */
  existingCustomer?: boolean | undefined;
  /**
   * Same IP as the referrer's recent sign-ins (within `windowHours`, default 720), or as
   * `refereesThreshold` (default 3) of the referrer's recent referees → review; `false` turns it off. On by default.
   */
  ipMatch?: false | { windowHours?: number | undefined; refereesThreshold?: number | undefined } | undefined;
  /** More than `max` attributions to one referrer within `windowHours` (default 24) → `action` (default `review`); off when not set. */
  referrerVelocity?: { max: number; windowHours?: number | undefined; action?: 'review' | 'reject' | undefined } | undefined;
  /** More than `max` sign-ups from one IP within `windowHours` → `action`; default 5 in 24 hours → review; `false` turns it off. */
  ipVelocity?: false | { max: number; windowHours?: number | undefined; action?: 'review' | 'reject' | undefined } | undefined;
  /**
   * The click endpoint refuses more than `max` clicks from one IP address within
   * `windowMinutes` (default 60); default 20 in 60 minutes; `false` turns it off. Needs `privacy.hashKey`.
   */
  clickVelocity?: false | { max: number; windowMinutes?: number | undefined } | undefined;
  /** A referee email on a disposable-address domain → review. Default true. */
  disposableEmail?: boolean | undefined;
  /** A commission line above `threshold` (minor units) → review; off when not set. */
  highValueCommission?: { threshold: number } | undefined;
  /** A referrer with more than `max` referrals within `windowHours` (default 720) has further referrals held for review; off when not set. */
  referrerVolume?: { max: number; windowHours?: number | undefined } | undefined;
  /** Purchases below this amount (minor units) earn no commission; default 0. */
  minimumPurchase?: number | undefined;
  /** Leading bits of an IPv6 address that identify a visitor for the IP rules, 1 to 128; default 64. IPv4 addresses are compared whole. */
  ipv6PrefixLength?: number | undefined;
}
