/**
 * An application bundled with esbuild into one file (as Next.js standalone
 * output or a Lambda bundle does) still migrates: the SQL travels inside the
 * bundle, not as files next to the package. The bundle is written to a
 * temporary folder outside the repository and run with node from there. Only
 * PGlite stays outside the bundle (it loads its wasm and data files relative to
 * its own module), reachable through a node_modules folder that holds nothing
 * else. A store-package concern: only @onehop/postgres ships migrations.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from '../src/index';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The installed PGlite package folder (its entry is dist/index.js). */
const pgliteDir = realpathSync(dirname(dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'))));

const APP = `
import { PGlite } from '@electric-sql/pglite';
import { migrate } from '@onehop/postgres';

async function main() {
  const db = new PGlite();
  const result = await migrate({ pglite: db, schema: 'bundled_app' });
  const { rows } = await db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'bundled_app' ORDER BY table_name");
  console.log(JSON.stringify({ applied: result.applied, tables: rows.map((r: { table_name: string }) => r.table_name) }));
  await db.close();
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

describe.each(['esm', 'cjs'] as const)('an application bundled into one %s file', (format) => {
  const dir = mkdtempSync(join(realpathSync(tmpdir()), `onehop-bundle-${format}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Bundling, then PGlite applying every migration: longer than the package's default on a loaded machine.
  it('migrates from its temporary folder, with the SQL inside the bundle', { timeout: 120_000 }, async () => {
    const outfile = join(dir, format === 'esm' ? 'app.mjs' : 'app.cjs');
    const result = await build({
      stdin: { contents: APP, loader: 'ts', resolveDir: repoRoot, sourcefile: 'app.ts' },
      bundle: true,
      platform: 'node',
      target: 'node20',
      format,
      outfile,
      // Workspace packages resolve to their source, as everywhere in the tests.
      conditions: ['dev-source'],
      external: ['@electric-sql/pglite'],
      logLevel: 'silent',
      metafile: true,
    });
    // Everything but PGlite and Node's built-in modules is inside the one file.
    const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
    expect(imports.filter((p) => !p.startsWith('node:') && p !== '@electric-sql/pglite')).toEqual([]);
    mkdirSync(join(dir, 'node_modules', '@electric-sql'), { recursive: true });
    symlinkSync(pgliteDir, join(dir, 'node_modules', '@electric-sql', 'pglite'), 'dir');

    const { stdout } = await run(process.execPath, [outfile], { cwd: dir, timeout: 120_000 });
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as { applied: number[]; tables: string[] };
    expect(report.applied).toEqual(migrations().map((m) => m.version));
    expect(report.tables).toEqual(expect.arrayContaining(['schema_migrations', 'participants', 'referrals', 'commissions', 'ledger_entries']));
    expect(readFileSync(outfile, 'utf8').includes('CREATE TABLE participants')).toBe(true);
  });
});
