import type { BalanceRecord } from '../store/records';

/** An account's money by bucket, as a referrer's dashboard shows it. */
export interface Balances {
  currency: string;
  /** Accrued, still in the holding period. */
  pending: number;
  /** Held for review; never withdrawable until approved. */
  onHold: number;
  /** Approved and not yet requested; never negative (see `negativeCarry`). */
  withdrawable: number;
  /** In an open payout request. */
  requested: number;
  paid: number;
  /** Clawbacks beyond what was withdrawable, deducted from future earnings. */
  negativeCarry: number;
}

export function toBalances(currency: string, row: BalanceRecord | null): Balances {
  const withdrawable = row?.withdrawable ?? 0;
  return {
    currency,
    pending: row?.pending ?? 0,
    onHold: row?.on_hold ?? 0,
    withdrawable: Math.max(0, withdrawable),
    requested: row?.requested ?? 0,
    paid: row?.paid ?? 0,
    negativeCarry: Math.max(0, -withdrawable),
  };
}
