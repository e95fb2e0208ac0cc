/**
 * The referral snippet, served at /onehop.min.js. An app installed from npm
 * serves the file `@onehop/browser/onehop.min.js` as it is. In this
 * repository, where packages run from source and may not be built, the same
 * file is built in memory from the package's source on first use.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: Promise<string> | undefined;

export function loadSnippet(): Promise<string> {
  cached ??= (async () => {
    const root = dirname(createRequire(import.meta.url).resolve('@onehop/browser/package.json'));
    const built = join(root, 'dist', 'onehop.min.js');
    if (existsSync(built)) return readFileSync(built, 'utf8');
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [join(root, 'src', 'iife.ts')],
      bundle: true,
      minify: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2020',
      conditions: ['dev-source'],
      write: false,
    });
    return result.outputFiles[0]!.text;
  })();
  return cached;
}
