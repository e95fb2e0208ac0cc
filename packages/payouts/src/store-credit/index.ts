/**
 * Store credit for onehop payouts: `createStoreCreditProvider()` answers
 * `store_credit` payouts as processing; the application applies the credit
 * and settles the payout.
 *
 * @module
 */
export type { StoreCreditProviderOptions } from './store-credit-provider';
export { createStoreCreditProvider } from './store-credit-provider';
