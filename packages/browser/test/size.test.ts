import { existsSync, readFileSync } from 'node:fs';
import { createContext, runInContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bundleNeutral } from '../../../testing/bundle';
import { buildSnippet, SNIPPET_BUDGET } from '../scripts/snippet';

const HERE = new URL('.', import.meta.url);

const gzipped = (code: string) => gzipSync(code, { level: 9 }).length;

describe('the <script src> build', () => {
  it(`stays within ${SNIPPET_BUDGET} bytes minified and gzipped`, async () => {
    const code = await buildSnippet();
    const size = gzipped(code);
    console.log(`onehop.min.js: ${code.length} bytes minified, ${size} bytes gzipped (budget ${SNIPPET_BUDGET})`);
    expect(size).toBeLessThanOrEqual(SNIPPET_BUDGET);
  });

  it('has no import or require left: it runs from a plain <script> tag', async () => {
    const code = await buildSnippet();
    expect(code).not.toMatch(/\bimport\s*[({"']|\brequire\(/);
  });

  // The published file is built by tsup from the same options (`pnpm build`);
  // CI builds the packages before the tests, so there it is always checked.
  const built = new URL('../dist/onehop.min.js', import.meta.url);
  const notBuilt = !existsSync(built) && !process.env.CI;
  it.skipIf(notBuilt)(`the built dist/onehop.min.js stays within the budget too${notBuilt ? ': skipped, dist/ is not built here (run pnpm build)' : ''}`, () => {
    expect(gzipped(readFileSync(built, 'utf8'))).toBeLessThanOrEqual(SNIPPET_BUDGET);
  });
});

/** `readReferral` bundled alone, minified and gzipped: the code rules and the cookie format, nothing more. */
const READ_REFERRAL_BUDGET = 2048;

describe('readReferral bundled alone for middleware and edge runtimes', () => {
  it(`builds with --platform=neutral and stays within ${READ_REFERRAL_BUDGET} bytes gzipped`, async () => {
    const bundle = await bundleNeutral("export { readReferral } from '@onehop/browser/server';", HERE);
    console.log(`readReferral alone: ${bundle.bytes} bytes minified, ${bundle.gzipped} bytes gzipped (budget ${READ_REFERRAL_BUDGET})`);
    expect(bundle.gzipped).toBeLessThanOrEqual(READ_REFERRAL_BUDGET);
    // No Node built-in, and none of the engine's dependencies (zod, mailchecker) came along.
    expect(bundle.code).not.toMatch(/node:|\brequire\(|mailchecker|ZodError/);
  });

  it('runs in a context with nothing but the language and Web globals', async () => {
    const { code } = await bundleNeutral(
      "import { readReferral } from '@onehop/browser/server'; globalThis.result = readReferral(globalThis.header, { now: new Date(globalThis.now) });",
      HERE,
      {
        format: 'iife',
      },
    );
    const context = createContext({ header: `a=1; onehop_ref=abcd2345.${Date.UTC(2026, 1, 20).toString(36)}.news`, now: Date.UTC(2026, 2, 1), Headers, Request });
    runInContext(code, context);
    expect(JSON.parse(JSON.stringify(context.result))).toEqual({ code: 'ABCD2345', firstSeenAt: '2026-02-20T00:00:00.000Z', source: 'news' });
  });
});
