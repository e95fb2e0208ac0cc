/**
 * The demo program: tiered percentage commissions on every purchase, a
 * welcome credit for the referred customer, a holding period, a minimum
 * payout, and a review of any single commission above $100. Mock mode:
 * nothing here is real money.
 */
import type { ProgramConfigInput } from '@onehop/core';

export interface ProgramOptions {
  /** Days before a commission becomes withdrawable. Default 14. */
  holdingDays?: number;
  /** Keys the visitors' IP hashes; at least 32 characters. */
  hashKey: string;
  /** The credit, in cents, a referred customer gets when their first payment qualifies the referral; null for none. Default 500 ($5.00). */
  welcomeReward?: number | null;
  /** The IANA time zone the program counts its days in, and the admin pages show times in. Default UTC. */
  timeZone?: string;
}

/** The plans the pretend checkout sells, in cents. */
export const PLANS = {
  starter: { name: 'Starter', amount: 4_900, billing: 'one-off' },
  pro: { name: 'Pro', amount: 2_900, billing: 'monthly' },
  lifetime: { name: 'Lifetime', amount: 99_900, billing: 'one-off' },
} as const;
export type PlanId = keyof typeof PLANS;

export function demoProgram(options: ProgramOptions): ProgramConfigInput {
  return {
    id: 'web-app',
    currency: 'USD',
    mode: 'mock',
    timeZone: options.timeZone ?? 'UTC',
    commission: {
      holdingDays: options.holdingDays ?? 14,
      rule: {
        type: 'tiered',
        basis: 'qualified_referrals',
        period: 'all_time',
        // 20 % of every purchase up to the 4th qualified referral, 25 % from the 5th on.
        tiers: [
          { from: 0, rateBps: 2_000 },
          { from: 5, rateBps: 2_500 },
        ],
        scope: { type: 'lifetime' },
      },
      ...(options.welcomeReward === null ? {} : { welcomeReward: { amount: options.welcomeReward ?? 500 } }),
    },
    // The landing page and the referee's own page name the friend who invited them.
    refereeView: { showReferrer: 'name' },
    payouts: { minimumAmount: 2_000 },
    fraud: { highValueCommission: { threshold: 10_000 } },
    privacy: { hashKey: options.hashKey },
  };
}
