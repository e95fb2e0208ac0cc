/**
 * The payout provider contract, as `@onehop/core` declares it
 * (`PayoutProvider`, `PayoutSendRequest`, `PayoutSendOutcome`, and the payout
 * methods, `stripe_connect` among them): re-exported so each provider entry
 * names it from one place.
 */
export type { PayoutMethod, PayoutProvider, PayoutSendOutcome, PayoutSendRequest } from '@onehop/core';
