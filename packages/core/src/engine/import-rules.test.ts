import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The import rules of docs/architecture.md ("Inside @onehop/core"), checked on
// the source: a new import that breaks one fails here, not in a later review.

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..');
const IMPORT = /^(?:import|export)( type)? [^;]*? from '(\.[^']+)';/gms;

function sources(dir: string): string[] {
  return readdirSync(join(SRC, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Each source file (relative to src, without `.ts`) and the files it imports at run time. */
const graph = new Map(
  sources('').map((file) => {
    const text = readFileSync(join(SRC, file), 'utf8');
    const imports = [...text.matchAll(IMPORT)].filter((m) => m[1] === undefined).map((m) => normalize(join(dirname(file), m[2]!)));
    return [file.replace(/\.ts$/, ''), imports] as const;
  }),
);

const importsOf = (prefix: string) => [...graph].filter(([file]) => file.startsWith(prefix)).flatMap(([file, imports]) => imports.map((to) => ({ file, to })));

describe('import rules of @onehop/core', () => {
  it('has no import cycle at run time', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[][] = [];
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file]);
        return;
      }
      state.set(file, 'open');
      for (const to of graph.get(file) ?? []) visit(graph.has(to) ? to : `${to}/index`, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('lets nothing but the package entry import the facade', () => {
    const importers = [...graph].filter(([, imports]) => imports.includes('onehop')).map(([file]) => file);
    expect(importers).toEqual(['index']);
  });

  it('keeps the layers pointing one way: ledger ← commissions ← reviews ← accrual ← purchases, attribution', () => {
    const above: Record<string, string[]> = {
      'ledger/': ['commissions/', 'reviews/', 'accrual/', 'purchases/', 'attribution/'],
      // The review queue records (reviews/queue.ts) are a leaf every layer may write to.
      'commissions/': ['reviews/reviews', 'reviews/reject-referral', 'accrual/', 'purchases/', 'attribution/'],
      'reviews/': ['accrual/', 'purchases/', 'attribution/'],
      'accrual/': ['purchases/', 'attribution/'],
      'engine/': ['onehop', 'ledger/', 'commissions/', 'reviews/', 'accrual/', 'purchases/', 'attribution/', 'participants/', 'invitations/', 'dashboard/'],
    };
    const wrong = Object.entries(above).flatMap(([layer, forbidden]) =>
      importsOf(layer)
        .filter(({ to }) => forbidden.some((f) => to.startsWith(f)))
        .map(({ file, to }) => `${file} → ${relative('.', to)}`),
    );
    expect(wrong).toEqual([]);
  });
});
