import { attributeTx, attributionRejecter, checkLink, type PreparedAttribution, prepareAttribution } from '../attribution/attribute';
import type { AttributionRejection } from '../attribution/attribution-result';
import { normalizeCode } from '../codes/normalize';
import type { EngineContext } from '../engine/context';
import type { Work } from '../engine/work';
import { UniqueViolationError, ValidationError } from '../errors/errors';
import type { SignalHashes } from '../fraud/rules';
import type { ReferralRecord } from '../store/records';
import { UNIQUE_CONSTRAINTS } from '../store/store';

/** The channel a referral made by a promo code is counted under in the dashboards' breakdowns. */
const PROMO_CODE_SOURCE = 'promo_code';

/**
 * What the promo code a purchase carried did (`recordPurchase({ promoCode })`):
 * - `attributed`: the buyer had no referral; the code's owner referred them, and this purchase accrues for that referral;
 * - `already-referred`: the buyer had a referral already, which stands (whoever's code it was); the code changed nothing;
 * - `refused`: the buyer had no referral and the code could not make one, for `reason` (a reason of `attribute`:
 *   `UNKNOWN_CODE`, `REFERRER_INACTIVE`, `SELF_REFERRAL`, a fraud rule's); the purchase earns nothing.
 */
export type PromoCodeResult =
  | { outcome: 'attributed'; code: string }
  | { outcome: 'already-referred'; code: string }
  | {
      outcome: 'refused';
      code: string;
      reason: AttributionRejection;
      /** A sentence for logs and admins. */
      message: string;
      /** Structured detail, e.g. `{ match: 'payment' }` for a referrer paying with their own card. */
      details: Record<string, unknown>;
    };

/** A purchase's promo code, checked before the transaction. */
export interface PreparedPromoCode {
  code: string;
  attribution: PreparedAttribution;
  /** Set when the program accepts sign-ups through signed links only: a typed code is refused for that. */
  unsigned: ReturnType<typeof checkLink>;
}

/**
 * Normalises the promo code of a purchase and prepares its attribution: the
 * buyer's e-mail in normal form, and the purchase's payment fingerprint among
 * the signals the fraud rules see, so a referrer paying with their own card is
 * a self-referral. The attribution happens when the buyer paid (or now, for a
 * payment the clock has not reached), so a purchase delivered late is not
 * "before the referral".
 */
export function preparePromoCode(
  ctx: EngineContext,
  input: { promoCode: string; refereeId: string; email?: string | undefined; occurredAt: Date },
  hashes: SignalHashes,
): PreparedPromoCode {
  const code = normalizeCode(input.promoCode);
  if (code === '') throw new ValidationError([{ field: 'promoCode', message: 'must contain a letter or digit' }]);
  const prepared = prepareAttribution(ctx, { refereeId: input.refereeId, email: input.email, source: PROMO_CODE_SOURCE });
  const at = input.occurredAt.getTime() < prepared.now.getTime() ? input.occurredAt : prepared.now;
  return { code, attribution: { ...prepared, now: at, hashes }, unsigned: checkLink(ctx, undefined, code) };
}

/**
 * The promo-code step of a purchase, before anything accrues: a buyer without
 * a referral is attributed to the code's owner by the one attribution rule
 * (`attributeTx`), in the purchase's transaction; a buyer with one keeps it.
 * Returns the referral the purchase accrues for (null when refused) and what
 * the code did.
 */
export async function redeemPromoCode(
  work: Work,
  promo: PreparedPromoCode,
  existing: ReferralRecord | null,
  purchaseEventId: string,
): Promise<{ referral: ReferralRecord | null; result: PromoCodeResult }> {
  const { code } = promo;
  if (existing) return { referral: existing, result: { outcome: 'already-referred', code } };
  const rejecter = attributionRejecter(work, promo.attribution.data.refereeId, code);
  const reject = (reason: AttributionRejection, message: string, details: Record<string, unknown> = {}) => rejecter(reason, message, { ...details, purchaseEventId });
  // A program that accepts sign-ups through signed links only accepts no typed code either.
  const { unsigned } = promo;
  // No replays of an attribution here: a redelivered purchase is answered from its event before this step, so a
  // referral with this code that appeared since the read above was made by another delivery, and is a race.
  const attribution = unsigned ? await reject(unsigned.reason, unsigned.message, unsigned.details) : await attributeTx(work, promo.attribution, code, reject, false);
  if (!attribution.ok) {
    // Refused because another delivery's promo code (or a sign-up) referred this buyer after the read above: that
    // attribution won the race. Run again, as when its insert collides, and the buyer is found already referred.
    if (await work.tx.referrals.getByReferee(work.scope, promo.attribution.data.refereeId)) throw new UniqueViolationError(UNIQUE_CONSTRAINTS.referralReferee);
    return { referral: null, result: { outcome: 'refused', code, reason: attribution.reason, message: attribution.message, details: attribution.details } };
  }
  return { referral: attribution.referral, result: { outcome: 'attributed', code } };
}
