import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildSnippet, SNIPPET_BUDGET } from '../scripts/snippet';

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

  // The published file is built by tsup from the same options; CI builds the
  // packages before the tests, so there it is checked too.
  it.runIf(existsSync(new URL('../dist/onehop.min.js', import.meta.url)))('the built dist/onehop.min.js stays within the budget too', () => {
    expect(gzipped(readFileSync(new URL('../dist/onehop.min.js', import.meta.url), 'utf8'))).toBeLessThanOrEqual(SNIPPET_BUDGET);
  });
});
