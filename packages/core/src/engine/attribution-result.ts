import type { ReferralRecord } from '../store/records';

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
] as const;

export type AttributionRejection = (typeof ATTRIBUTION_REJECTIONS)[number];

export type AttributionResult =
  | { ok: true; referral: ReferralRecord }
  | {
      ok: false;
      reason: AttributionRejection;
      /** A sentence for logs and admins. */
      message: string;
      /** Structured detail, e.g. `{ match: 'email' }` or `{ existingReferralId }`. */
      details: Record<string, unknown>;
    };
