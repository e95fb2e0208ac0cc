import type { ReferralRecord, ReviewRecord } from '../store/records';

/** Why an attribution was refused. Stable: match on these. */
export const ATTRIBUTION_REJECTIONS = [
  /** No such code in this program. */
  'UNKNOWN_CODE',
  /** The code's owner is suspended. */
  'REFERRER_INACTIVE',
  /** Referrer and referee are the same person (same user id, or same normalised email). */
  'SELF_REFERRAL',
  /** The click is older than the program's attribution window. */
  'CLICK_EXPIRED',
  /** The referee already has a referrer; the first one stands. */
  'DUPLICATE_REFEREE',
  /** The referee paid before this sign-up: not a new customer (fraud rule `existing_customer`). */
  'EXISTING_CUSTOMER',
  /** Too many attributions to this referrer in the window, set to reject (fraud rule `velocity`). */
  'REFERRER_VELOCITY',
  /** Too many sign-ups from this IP in the window, set to reject (fraud rule `velocity`). */
  'IP_VELOCITY',
  /** The program accepts signed links only, and none was given (`links.signing.required`). */
  'LINK_UNSIGNED',
  /** The signed link was changed after signing, names another code, or was signed for another program. */
  'LINK_TAMPERED',
  /** The signed link's expiry has passed. */
  'LINK_EXPIRED',
  /** The invitation passed its lifetime. */
  'INVITATION_EXPIRED',
  /** The invitation was cancelled. */
  'INVITATION_CANCELLED',
  /** The invitation was accepted already (by this or another sign-up). */
  'INVITATION_USED',
] as const;

/** A built-in reason, or the reason code of one of the program's own fraud rules. */
export type AttributionRejection = (typeof ATTRIBUTION_REJECTIONS)[number] | (string & {});

export type AttributionResult =
  | {
      ok: true;
      /**
       * True when this call repeated an attribution already made (same referee,
       * same code): the referral it made is returned, in its current state, and
       * nothing is written. A call retried after `STORE_CONNECTION_LOST` may get
       * this answer when its first run committed.
       */
      replayed: boolean;
      referral: ReferralRecord;
      /** Set when a fraud rule held the referral for review: what it earns stays on hold until an admin decides. */
      review: ReviewRecord | null;
    }
  | {
      ok: false;
      reason: AttributionRejection;
      /** A sentence for logs and admins. */
      message: string;
      /** Structured detail, e.g. `{ match: 'email' }` or `{ existingReferralId }`. */
      details: Record<string, unknown>;
    };
