#!/usr/bin/env node
/**
 * Checks the built packages (run after `pnpm build`, by `pnpm check:packages`):
 *
 * 1. Every CommonJS entry point loads with require() on a Node without
 *    require(esm) (`--no-experimental-require-module`: Node 20.0–20.18, and
 *    Jest's CommonJS mode), so an ES-module-only dependency must be bundled
 *    into the CommonJS build.
 * 2. Node's built-in modules are imported with the `node:` prefix everywhere
 *    in dist/, the only form edge bundlers recognise.
 * 3. The published package.json: `publishConfig.exports` (what pnpm publishes)
 *    is `exports` without the monorepo's `dev-source` condition, whose src/
 *    is not published (the source maps embed the sources); and the metadata
 *    provenance and the registry need is there.
 *
 * The tests run on source, never on a build; these checks need the build.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const packagesDir = join(root, 'packages');

/**
 * CommonJS entry points that cannot load with require() whatever we bundle,
 * with the reason. `@onehop/core/testing` imports vitest, which refuses
 * require() itself; it only runs inside vitest, which imports it as ESM.
 */
const UNLOADABLE = new Map([['@onehop/core/testing', 'imports vitest, which cannot be loaded with require()']]);

const problems = [];

/** The `require` targets of an exports map, by subpath. */
function requireTargets(exportsMap) {
  const targets = [];
  for (const [subpath, entry] of Object.entries(exportsMap ?? {})) {
    const target = entry?.require?.default ?? (typeof entry?.require === 'string' ? entry.require : undefined);
    if (target) targets.push([subpath, target]);
  }
  return targets;
}

/** An exports map without its `dev-source` conditions. */
function withoutDevSource(value) {
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'dev-source')
      .map(([key, v]) => [key, withoutDevSource(v)]),
  );
}

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

const builtins = new Set(builtinModules.filter((m) => !m.startsWith('_')));
const specifier = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)["']([^"']+)["']/g;

for (const name of readdirSync(packagesDir)) {
  const dir = join(packagesDir, name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

  const published = JSON.stringify(withoutDevSource(pkg.exports));
  if (JSON.stringify(pkg.publishConfig?.exports) !== published) problems.push(`${pkg.name}: publishConfig.exports must be exports without "dev-source": ${published}`);
  if ((pkg.files ?? []).some((f) => f.replace(/^!/, '').startsWith('src'))) problems.push(`${pkg.name}: src/ is not published (the source maps embed it)`);
  if (pkg.repository?.directory !== `packages/${name}` || !pkg.repository?.url) problems.push(`${pkg.name}: repository needs url and directory "packages/${name}"`);
  for (const field of ['homepage', 'bugs', 'keywords']) if (!pkg[field]) problems.push(`${pkg.name}: package.json has no ${field}`);

  for (const [subpath, target] of requireTargets(pkg.exports)) {
    const id = subpath === '.' ? pkg.name : `${pkg.name}${subpath.slice(1)}`;
    if (UNLOADABLE.has(id)) {
      console.log(`skip ${id} (CommonJS): ${UNLOADABLE.get(id)}`);
      continue;
    }
    const file = join(dir, target);
    try {
      execFileSync(process.execPath, ['--no-experimental-require-module', '-e', `require(${JSON.stringify(file)})`], { cwd: dir, stdio: 'pipe' });
      console.log(`ok   ${id} loads with require() without require(esm)`);
    } catch (error) {
      const stderr = String(error.stderr ?? error);
      const line = stderr.split('\n').find((l) => /Error/.test(l)) ?? stderr.split('\n')[0];
      problems.push(`${id} (${target}) does not load with require() under --no-experimental-require-module: ${line}`);
    }
  }

  for (const file of files(join(dir, 'dist')).filter((f) => /\.(c|m)?js$/.test(f))) {
    const text = readFileSync(file, 'utf8');
    const bare = new Set([...text.matchAll(specifier)].map((m) => m[1]).filter((s) => builtins.has(s.split('/')[0]) && !s.startsWith('node:')));
    if (bare.size > 0) problems.push(`${relative(root, file)} imports Node built-ins without the node: prefix: ${[...bare].join(', ')}`);
  }
}

if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s) in the built packages:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('built packages: CommonJS entry points load without require(esm); Node built-ins keep the node: prefix; published package.json files are complete');
