/**
 * The public API of @onehop/paddle as text: every export with its kind and signatures.
 * Any change to it, an addition included, fails this test until the snapshot
 * is updated, so every change to the API is deliberate and shows in review:
 *
 *   pnpm vitest run --project paddle test/api.test.ts -u
 */
import { apiSnapshotTests } from '../../../testing/api-surface';

apiSnapshotTests(new URL('..', import.meta.url), ['@onehop/paddle'], './api.snapshot.txt');
