/**
 * The public API of @onehop/stripe as text: every export with its kind and signatures.
 * Any change to it, an addition included, fails this test until the snapshot
 * is updated, so every change to the API is deliberate and shows in review:
 *
 *   pnpm vitest run --project stripe test/api.test.ts -u
 */
import { apiSnapshotTests } from '../../../testing/api-surface';

apiSnapshotTests(new URL('..', import.meta.url), ['@onehop/stripe'], './api.snapshot.txt');
