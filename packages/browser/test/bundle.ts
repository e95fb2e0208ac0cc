/**
 * Bundles a module as an application's bundler does for a Web-standard
 * runtime: esbuild with `--platform=neutral` (no Node built-in resolves) and
 * the export conditions edge bundlers use (`worker`, `browser`: Wrangler and
 * Next.js pick nanoid's Web Crypto build by them), from the workspace
 * packages' source.
 */
import { gzipSync } from 'node:zlib';

export interface Bundle {
  code: string;
  /** Minified bytes. */
  bytes: number;
  /** Minified and gzipped (level 9) bytes. */
  gzipped: number;
}

/** Bundles `source` (an ES module resolved from this package's directory), minified. */
export async function bundleNeutral(source: string, options: { format?: 'esm' | 'iife' } = {}): Promise<Bundle> {
  const { build } = await import('esbuild');
  const result = await build({
    stdin: { contents: source, resolveDir: new URL('.', import.meta.url).pathname, loader: 'ts' },
    bundle: true,
    minify: true,
    format: options.format ?? 'esm',
    platform: 'neutral',
    // Packages published with only a `main` field (CommonJS) still resolve, as in every bundler.
    mainFields: ['module', 'main'],
    conditions: ['dev-source', 'worker', 'browser'],
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  return { code, bytes: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}
