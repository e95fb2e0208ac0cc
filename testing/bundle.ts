/**
 * Bundles a module as an application's bundler does for a Web-standard
 * runtime: esbuild with `--platform=neutral` (no Node built-in resolves) and
 * the export conditions edge bundlers use (`worker`, `browser`: Wrangler and
 * Next.js pick nanoid's Web Crypto build by them), minified, from the
 * workspace packages' source. Used by the size and edge-runtime tests.
 */
import { gzipSync } from 'node:zlib';

export interface Bundle {
  /** The entry chunk: what runs when the bundle is loaded. */
  code: string;
  /** Minified bytes of the entry chunk. */
  bytes: number;
  /** Minified and gzipped (level 9) bytes of the entry chunk. */
  gzipped: number;
  /** Chunks loaded later by dynamic `import()` (with `splitting`): minified and gzipped bytes of each. */
  lazy: { bytes: number; gzipped: number }[];
  /** Minified bytes per package (or per workspace folder) in the entry chunk, largest first. */
  byPackage: [string, number][];
}

const gzipped = (code: Uint8Array | string) => gzipSync(code, { level: 9 }).length;

/** The package a bundled file belongs to (`zod`, `@date-fns/tz`), or its workspace folder (`packages/core`). */
const packageOf = (file: string) =>
  file.match(/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/)?.[1] ??
  file
    .replace(/^(?:\.\.\/)+/, '')
    .split('/')
    .slice(0, 2)
    .join('/');

/**
 * Bundles `source`, an ES module resolved from `resolveDir`. With
 * `splitting`, dynamic imports become chunks of their own, as Next.js,
 * Wrangler and Vite make them.
 */
export async function bundleNeutral(source: string, resolveDir: URL, options: { format?: 'esm' | 'iife'; splitting?: boolean } = {}): Promise<Bundle> {
  const { build } = await import('esbuild');
  const result = await build({
    stdin: { contents: source, resolveDir: resolveDir.pathname, loader: 'ts' },
    bundle: true,
    minify: true,
    format: options.format ?? 'esm',
    splitting: options.splitting ?? false,
    outdir: '/virtual-out',
    platform: 'neutral',
    // Packages published with only a `main` field (CommonJS) still resolve, as in every bundler.
    mainFields: ['module', 'main'],
    conditions: ['dev-source', 'worker', 'browser'],
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const outputs = result.metafile.outputs;
  const [entryName] = Object.entries(outputs).find(([, output]) => output.entryPoint !== undefined)!;
  // What loads at start: the entry and every chunk it imports statically (a chunk two dynamic imports share is imported so too).
  const atStart = new Set<string>();
  const visit = (name: string) => {
    if (atStart.has(name)) return;
    atStart.add(name);
    for (const imported of outputs[name]?.imports ?? []) if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(entryName);
  const fileOf = (name: string) => result.outputFiles.find((file) => file.path.endsWith(name.replace(/^.*virtual-out/, '')))!;
  const startFiles = [...atStart].map(fileOf);
  const lazy = result.outputFiles
    .filter((file) => !startFiles.includes(file) && file.path.endsWith('.js'))
    .map((file) => ({ bytes: file.contents.length, gzipped: gzipped(file.contents) }));
  const byPackage = new Map<string, number>();
  for (const name of atStart) {
    for (const [file, input] of Object.entries(outputs[name]!.inputs)) byPackage.set(packageOf(file), (byPackage.get(packageOf(file)) ?? 0) + input.bytesInOutput);
  }
  return {
    code: startFiles.map((file) => file.text).join('\n'),
    bytes: startFiles.reduce((sum, file) => sum + file.contents.length, 0),
    gzipped: startFiles.reduce((sum, file) => sum + gzipped(file.contents), 0),
    lazy,
    byPackage: [...byPackage].sort((a, b) => b[1] - a[1]),
  };
}
