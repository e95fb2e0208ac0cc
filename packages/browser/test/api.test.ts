/**
 * The public API of @onehop/browser as text: every export of the snippet's module
 * (`.`) and of `/server` with its kind and signatures. (`onehop.min.js` is
 * the built snippet, checked by the package checks, not here.)
 * Any change to it, an addition included, fails this test until the snapshot
 * is updated, so every change to the API is deliberate and shows in review:
 *
 *   pnpm vitest run --project browser test/api.test.ts -u
 */
import { apiSnapshotTests } from '../../../testing/api-surface';

apiSnapshotTests(new URL('..', import.meta.url), ['@onehop/browser', '@onehop/browser/server'], './api.snapshot.txt');
