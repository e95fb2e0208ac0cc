/** The referee's side of the program in words: what they get and what qualifies them. */
import type { RefereeDiscount } from '@onehop/core';
import { money, percent } from './html';

interface Benefits {
  welcomeReward: { amount: number } | null;
  discount: RefereeDiscount | null;
  currency: string;
}

/** "a $5.00 welcome credit and 10 % off your first payment", or null when the program gives the referee nothing. */
export function benefitText({ welcomeReward, discount, currency }: Benefits): string | null {
  const parts: string[] = [];
  if (welcomeReward) parts.push(`a ${money(welcomeReward.amount, currency)} welcome credit`);
  if (discount) {
    const off = discount.type === 'percentage' ? percent(discount.rateBps) : money(discount.amount, currency);
    parts.push(`${off} off ${discount.duration.type === 'once' ? 'your first payment' : `your payments for ${discount.duration.months} months`}`);
  }
  return parts.length === 0 ? null : parts.join(' and ');
}

/** What qualifies the referral: "as soon as you sign up", "when you make your first payment of $10.00 or more". */
export function criteriaText(criteria: { qualifyOn: 'first_payment' | 'signup'; minimumPurchase: number }, currency: string): string {
  if (criteria.qualifyOn === 'signup') return 'as soon as you sign up';
  return `when you make your first payment${criteria.minimumPurchase > 0 ? ` of ${money(criteria.minimumPurchase, currency)} or more` : ''}`;
}
