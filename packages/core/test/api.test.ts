/**
 * The public API of @onehop/core as text: every export of `.`,
 * `/testing` and `/codes` with its kind and signatures, and every public
 * member of `Onehop` with the fields of its parameter and result types.
 * Any change to it, an addition included, fails this test until the snapshot
 * is updated, so every change to the API is deliberate and shows in review:
 *
 *   pnpm vitest run --project core test/api.test.ts -u
 */
import { apiSnapshotTests } from '../../../testing/api-surface';

apiSnapshotTests(new URL('..', import.meta.url), ['@onehop/core', '@onehop/core/testing', '@onehop/core/codes'], './api.snapshot.txt', ['Onehop']);
