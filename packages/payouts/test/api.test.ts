/**
 * The public API of @onehop/payouts as text: every export of each entry point
 * with its kind and signatures. Any change to it, an addition included, fails
 * this test until the snapshot is updated, so every change to the API is
 * deliberate and shows in review:
 *
 *   pnpm vitest run --project payouts test/api.test.ts -u
 */
import { apiSnapshotTests } from '../../../testing/api-surface';

apiSnapshotTests(
  new URL('..', import.meta.url),
  ['@onehop/payouts', '@onehop/payouts/paypal', '@onehop/payouts/sepa', '@onehop/payouts/stripe-connect', '@onehop/payouts/store-credit'],
  './api.snapshot.txt',
);
