/**
 * How the `<script src>` build is made. tsup writes it to `dist/onehop.min.js`
 * with these options; the size test and the Chromium tests build it the same
 * way in memory, from source.
 */
import { fileURLToPath } from 'node:url';

export const SNIPPET_ENTRY = fileURLToPath(new URL('../src/iife.ts', import.meta.url));

/** Browsers from 2020 on (optional chaining and `??`): every one with `URL`, `sendBeacon` and `MutationObserver` as the snippet uses them. */
export const SNIPPET_TARGET = 'es2020';

/**
 * Compiler options for the snippet: the package's tsconfig turns on `strict`,
 * for which esbuild prefixes a "use strict" directive. The snippet is written
 * as strict code either way (it is a module), so those 13 bytes are dropped.
 */
export const SNIPPET_TSCONFIG = { compilerOptions: { alwaysStrict: false } };

/** The size budget of the `<script src>` build, minified and gzipped, in bytes. */
export const SNIPPET_BUDGET = 1024;

/** Builds the snippet in memory with the options tsup uses, resolving workspace packages to their source. */
export async function buildSnippet(): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [SNIPPET_ENTRY],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: SNIPPET_TARGET,
    conditions: ['dev-source'],
    tsconfigRaw: SNIPPET_TSCONFIG,
    write: false,
  });
  return result.outputFiles[0]!.text;
}
