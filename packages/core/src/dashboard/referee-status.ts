import type { RefereeDiscount } from '../config/referee-discount';
import { type EngineContext, parse } from '../engine/context';
import { groupOf } from '../groups/group-of';
import type { CommissionRecord, ParticipantRecord, ReferralStatus } from '../store/records';
import { type RefereeInput, refereeInputSchema } from './inputs';

/**
 * What a referee is shown: their own benefits, criteria and progress. What
 * the referrer earned from them is the referrer's business and is not here.
 */
export interface RefereeStatus {
  refereeId: string;
  referred: boolean;
  /** Whether the referral still counts (and earns the referee's welcome reward): referred, not rejected, referrer active. */
  eligible: boolean;
  status: ReferralStatus | null;
  /** What qualifies the referral. */
  criteria: { qualifyOn: 'first_payment' | 'signup'; minimumPurchase: number };
  /** Whether that has happened, and the purchases so far. */
  progress: { qualified: boolean; purchases: number };
  /** The program's welcome reward for the referee, and what was credited. */
  welcomeReward: { amount: number; credited: number } | null;
  /** Who referred them, only when the program's `refereeView.showReferrer` allows it; otherwise null. */
  referrer: ShownReferrer | null;
  /**
   * The discount the program gives referred customers (`refereeDiscount`),
   * for a billing integration to apply, while the referee is `eligible`;
   * null when they are not, or the program gives none. Amounts are in
   * minor units of `currency`.
   */
  discount: RefereeDiscount | null;
  currency: string;
}

/**
 * The referrer as a referee may see them: their current code (`showReferrer:
 * 'code'`), and their user id too (`'name'`), for the application to show
 * the name it keeps.
 */
export interface ShownReferrer {
  code: string;
  /** Set only when the program's `refereeView.showReferrer` is `name`. */
  userId?: string;
}

/** The referrer as the program's `refereeView.showReferrer` lets a referee see them, or null. */
export function shownReferrer(ctx: EngineContext, referrer: ParticipantRecord | null): ShownReferrer | null {
  const show = ctx.program.refereeView.showReferrer;
  if (!referrer || show === 'none') return null;
  return show === 'name' ? { code: referrer.code, userId: referrer.userId } : { code: referrer.code };
}

/** What a referee may see: whether they count as referred, what qualifies them, their own rewards, and their referrer if the program allows it. */
export async function refereeStatus(ctx: EngineContext, input: RefereeInput): Promise<RefereeStatus> {
  const { refereeId } = parse(refereeInputSchema, input);
  return ctx.read(async (work) => {
    const referral = await work.tx.referrals.getByReferee(ctx.scope, refereeId);
    const referrer = referral ? await work.tx.participants.get(ctx.scope, referral.referrerId) : null;
    const lines = referral ? (await work.tx.commissions.listByReferral(ctx.scope, referral.id)).filter((c) => c.beneficiaryId === refereeId) : [];
    const net = (c: CommissionRecord) => (c.status === 'rejected' ? 0 : c.amount - c.reversedAmount);
    // The referrer's group decides the welcome reward and the discount.
    const group = groupOf(ctx.program, referrer);
    const welcome = group.commission?.welcomeReward;
    const eligible = referral !== null && referral.status !== 'rejected' && referrer?.status === 'active';
    return {
      refereeId,
      referred: referral !== null,
      eligible,
      status: referral?.status ?? null,
      criteria: { qualifyOn: ctx.program.qualifyOn, minimumPurchase: ctx.program.fraud.minimumPurchase },
      progress: { qualified: referral?.status === 'qualified', purchases: referral?.purchaseCount ?? 0 },
      welcomeReward: welcome ? { amount: welcome.amount, credited: lines.filter((c) => c.kind === 'welcome_reward').reduce((total, c) => total + net(c), 0) } : null,
      referrer: shownReferrer(ctx, referrer),
      discount: eligible ? (group.refereeDiscount ?? null) : null,
      currency: ctx.program.currency,
    };
  });
}
