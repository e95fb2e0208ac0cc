/**
 * SEPA credit transfer files for onehop payouts: `createSepaProvider({ debtor, currency: 'EUR', deliver })`
 * pays `bank_transfer` payout methods with one pain.001.001.03 file per run.
 *
 * @module
 */
export type { SepaFile, SepaPayoutProvider, SepaProviderOptions } from './sepa-provider';
export { createSepaProvider } from './sepa-provider';
