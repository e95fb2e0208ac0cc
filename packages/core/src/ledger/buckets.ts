import type { Bucket, CommissionStatus } from '../store/records';

/** Where a commission's money sits, by status: reversals and rejections take it from there. */
export function bucketOf(status: CommissionStatus): Bucket | null {
  switch (status) {
    case 'pending':
      return 'pending';
    case 'on_hold':
      return 'on_hold';
    case 'approved':
    case 'paid':
      // After approval the money is withdrawable (or already out): a reversal
      // takes it back from the withdrawable balance, which may go negative and
      // is then carried into the next payout (clawback).
      return 'withdrawable';
    case 'rejected':
    case 'reversed':
      return null;
  }
}
