import type { z } from 'zod';
import type { AuthorizeHook } from '../authorization/authorization';
import type { CommissionConfigInput } from './commission';
import type { FraudConfigInput } from './fraud';
import type { GroupConfigInput, RewardInput } from './group';
import type { Mode } from './program';
import type { refereeDiscountSchema } from './referee-discount';

/** A program configuration as written by the user and passed to `createOnehop` (defaults may be left out). */
export interface ProgramConfigInput {
  /** Stable id of the program, 1–64 characters (letters, digits, `_ . : -`); every stored row is keyed by it. */
  id: string;
  /** ISO 4217 currency of every amount in the program, e.g. `EUR`; amounts are integers in its minor units. */
  currency: string;
  /**
   * `live` accrues real commissions; `mock` keeps everything apart for
   * development. When not set: `live` if NODE_ENV is `production`, else `mock`.
   */
  mode?: Mode | undefined;
  /** Generated referral codes. */
  codes?:
    | {
        /** Length of generated codes, 6 to 32. */
        length?: number | undefined;
        /** Alphabet of generated codes: at least 16 distinct upper-case letters and digits. */
        alphabet?: string | undefined;
        /** Words no participant may take as a vanity code, beyond the built-in list; default none. */
        reservedWords?: string[] | undefined;
      }
    | undefined;
  /** Attribution of sign-ups to clicks. */
  attribution?:
    | {
        /** A click older than this many days no longer attributes a sign-up, 1 to 3650; default 60. */
        windowDays?: number | undefined;
      }
    | undefined;
  /** Referral links. */
  links?:
    | {
        /** Query parameter that carries the code in referral links; default `ref`. */
        parameter?: string | undefined;
        /**
         * Expiring links: `signedLinkFor` adds an expiry and an HMAC signature
         * made with `secret`, and `attribute({ link })` refuses a link that
         * expired or was changed. Off when not set.
         */
        signing?:
          | {
              /** At least 32 characters; keep it out of the database and the client. */
              secret: string;
              /** Refuse an attribution without a valid signed link; default false. */
              required?: boolean | undefined;
              /** Lifetime of a signed link in days when the call gives none, 1 to 3650; default 30. */
              defaultDays?: number | undefined;
            }
          | undefined;
      }
    | undefined;
  /** IANA time zone of the program's calendar (tier and cap periods, "today"); default `UTC`. */
  timeZone?: string | undefined;
  /**
   * When a referral counts: after the referee's first successful payment
   * (`first_payment`, default), or at sign-up (`signup`: partner programs paying per sign-up).
   */
  qualifyOn?: 'first_payment' | 'signup' | undefined;
  /** How commissions are computed; without it referrals qualify but nothing accrues. */
  commission?: CommissionConfigInput | undefined;
  /** Payouts. */
  payouts?:
    | {
        /** Smallest payout a user may request, in minor units; default 0. */
        minimumAmount?: number | undefined;
        /**
         * Tax forms before payouts: `enforcement` `off` (default), `warn`
         * (the payout is made and the run names the payee) or `block` (a
         * payee whose tax profile is not verified is not paid; the money stays
         * withdrawable). `aboveYearlyTotal` (minor units): only once the
         * payee's payouts this calendar year would exceed it. `reportThreshold`
         * (minor units, default 60000) flags payees in `taxYearReport`.
         */
        taxForms?:
          | {
              enforcement?: 'off' | 'warn' | 'block' | undefined;
              aboveYearlyTotal?: number | undefined;
              reportThreshold?: number | undefined;
            }
          | undefined;
        /** Seconds a worker holds a payout it is sending (`sendPayouts`); default 300. An unknown outcome is sent again, with the same key, after it. */
        sendLeaseSeconds?: number | undefined;
      }
    | undefined;
  /** Fraud rules: which run and how they are tuned; each has a default. */
  fraud?: FraudConfigInput | undefined;
  /** How personal signals are kept. */
  privacy?:
    | {
        /**
         * Secret key (at least 32 characters) for the keyed hashes (HMAC-SHA-256) of IP addresses, device
         * ids and payment fingerprints. Needed to pass any of them; keep it out of
         * the database. Changing it makes earlier hashes unmatchable.
         */
        hashKey?: string | undefined;
      }
    | undefined;
  /** The transactional outbox: every domain event is written with the change it reports, for a dispatcher to deliver. */
  outbox?:
    | {
        /** Default true. Turn it off only if nothing will ever read it (the events are then not recorded at all). */
        enabled?: boolean | undefined;
      }
    | undefined;
  /** Invitations by e-mail. */
  invitations?:
    | {
        /** Days an invitation stays open, 1 to 365; default 14. */
        lifetimeDays?: number | undefined;
        /** Sends per invitation, the first included, 1 to 20; default 3. */
        maxSends?: number | undefined;
        /** Least time between two sends of one invitation, in minutes (0 to 10,080); default 60. */
        resendAfterMinutes?: number | undefined;
        /** Query parameter that carries the invitation token in the link; default `invite`. */
        parameter?: string | undefined;
        /**
         * New invitations one inviter may create within `windowHours` (whole clock
         * hours, UTC; default 24), cancelled ones included; `false` for no limit.
         * Default 100 in 24 hours.
         */
        inviteLimit?: false | { max: number; windowHours?: number | undefined } | undefined;
      }
    | undefined;
  /**
   * Asked before every admin action with the admin, the action and its
   * subject; only `true` lets the action run. A refusal throws
   * `ForbiddenError`. Without a hook every admin action runs for any
   * `adminId`: your application must then check who its admins are.
   */
  authorize?: AuthorizeHook | undefined;
  /** What a referee is shown about their referral (`refereeStatus`). */
  refereeView?:
    | {
        /**
         * Whether the referee (and a visitor arriving with a code) sees who
         * referred them: `none` (default), the referrer's current `code`, or
         * `name`: the code and the referrer's user id, for the application
         * to show the name it keeps.
         */
        showReferrer?: 'none' | 'code' | 'name' | undefined;
      }
    | undefined;
  /**
   * Subscriptions (payments that carry a `subscriptionId`). After
   * `recordCancellation`, later payments of the subscription earn nothing.
   * `onCancel` decides the period the cancellation ends:
   * `keep_current_period` (default) keeps what its payment earned;
   * `reverse_current_period` reverses the commissions of that payment in
   * full, like a full refund.
   */
  subscriptions?: { onCancel?: 'keep_current_period' | 'reverse_current_period' | undefined } | undefined;
  /**
   * What a referred customer is given (a double-sided program): a
   * percentage (`{ type: 'percentage', rateBps }`, basis points) or an
   * amount in minor units (`{ type: 'amount', amount }`), `duration`
   * `{ type: 'once' }` (default) or `{ type: 'months', months }`. onehop
   * charges nothing: a billing integration reads it and applies it.
   */
  refereeDiscount?: z.input<typeof refereeDiscountSchema> | undefined;
  /**
   * More lines of the default group, each its own: on the referee's sign-up
   * (`lead`), on purchases (`sale`), on a goal reached (`bounty`), with
   * conditions on the purchase and the referee. Default none.
   */
  rewards?: RewardInput[] | undefined;
  /**
   * Named partner groups, each with its own commission configuration,
   * rewards and referee discount. A participant is in the default group (the
   * top-level `commission`, `rewards` and `refereeDiscount`) until an admin
   * moves them (`moveToGroup`). Default none.
   */
  groups?: Record<string, GroupConfigInput> | undefined;
  /** The program's terms. */
  terms?:
    | {
        /** Current version of the program's terms, e.g. "2026-01". */
        currentVersion: string;
        /** When true, `enroll` refuses a user who has not accepted `currentVersion`; default false. */
        requireCurrent?: boolean | undefined;
      }
    | undefined;
}
