/**
 * What the person who just signed up is told about the referral code they
 * came with: applied, or refused in plain words. The reasons are grouped so
 * that nothing of the fraud rules shows (a velocity limit, an existing
 * customer, a tampered link all read "could not be applied").
 */
import type { AttributionRejection } from '@onehop/core';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

const REFUSALS = {
  'own-code': 'a referral code cannot be used by the person it belongs to.',
  expired: 'the referral link had expired.',
  inactive: 'the referral code or invitation is no longer active.',
  used: 'the invitation was used already.',
  'not-applied': 'it could not be applied to this account.',
} as const;

export type ReferralOutcome = 'applied' | keyof typeof REFUSALS;

/** The outcome a refused attribution is shown as. */
export function refusalOf(reason: AttributionRejection): ReferralOutcome {
  switch (reason) {
    case 'SELF_REFERRAL':
      return 'own-code';
    case 'CLICK_EXPIRED':
    case 'LINK_EXPIRED':
    case 'INVITATION_EXPIRED':
      return 'expired';
    case 'REFERRER_INACTIVE':
    case 'INVITATION_CANCELLED':
      return 'inactive';
    case 'INVITATION_USED':
    case 'DUPLICATE_REFEREE':
      return 'used';
    default:
      return 'not-applied';
  }
}

/** The sentence a refused referral is told with. */
export const refusalMessage = (outcome: Exclude<ReferralOutcome, 'applied'>) =>
  `Your account is ready, but the referral was not applied: ${REFUSALS[outcome]} You will not get the welcome reward; everything else works as usual.`;

const COOKIE = 'hopshop_referral';

/** Kept for the page the sign-up redirects to. */
export function keepReferralOutcome(c: Context, outcome: ReferralOutcome): void {
  setCookie(c, COOKIE, outcome, { path: '/', httpOnly: true, sameSite: 'Lax', maxAge: 60 });
}

/** The outcome of the sign-up just made, once; anything else in the cookie is ignored. */
export function takeReferralOutcome(c: Context): ReferralOutcome | undefined {
  const value = getCookie(c, COOKIE);
  if (value === undefined) return undefined;
  deleteCookie(c, COOKIE, { path: '/' });
  return value === 'applied' || Object.hasOwn(REFUSALS, value) ? (value as ReferralOutcome) : undefined;
}
