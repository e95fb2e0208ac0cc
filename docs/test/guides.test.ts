/**
 * Every TypeScript sample in the guides (docs/guides/*.md) is type-checked
 * against the packages' source, so a guide cannot drift from the API. Each
 * ```ts block is one module; a block fenced ```ts fragment is left out (use
 * it only for a line that cannot stand alone).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const GUIDES = fileURLToPath(new URL('../guides/', import.meta.url));
// Inside docs/, so the samples resolve packages through docs/node_modules.
const OUT = fileURLToPath(new URL('../.compiled-samples/', import.meta.url));

interface Sample {
  guide: string;
  /** Line of the opening fence in the guide. */
  line: number;
  file: string;
}

function extract(): Sample[] {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const samples: Sample[] = [];
  for (const guide of readdirSync(GUIDES)
    .filter((f) => f.endsWith('.md'))
    .sort()) {
    const lines = readFileSync(join(GUIDES, guide), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.trim() !== '```ts') continue;
      const end = lines.findIndex((l, j) => j > i && l.trim() === '```');
      const file = join(OUT, `${guide.replace(/\.md$/, '')}-${i + 1}.ts`);
      // `export {}` makes every block a module of its own, with top-level await.
      writeFileSync(file, `${lines.slice(i + 1, end).join('\n')}\nexport {};\n`);
      samples.push({ guide, line: i + 1, file });
      i = end;
    }
  }
  return samples;
}

describe('the guides', () => {
  it('every TypeScript sample compiles against the packages as they are', () => {
    const samples = extract();
    expect(samples.length).toBeGreaterThan(15);
    const program = ts.createProgram(
      samples.map((s) => s.file),
      {
        target: ts.ScriptTarget.ES2022,
        lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        customConditions: ['dev-source'],
        strict: true,
        noUncheckedIndexedAccess: true,
        esModuleInterop: true,
        skipLibCheck: true,
        noEmit: true,
        types: ['node'],
      },
    );
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName.startsWith(OUT))
      .map((d) => {
        const sample = samples.find((s) => s.file === d.file!.fileName)!;
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        return `docs/guides/${sample.guide}:${sample.line + 1 + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    // Errors in the packages' own source are the typecheck's business; none should appear here either.
    const elsewhere = ts.getPreEmitDiagnostics(program).filter((d) => !d.file?.fileName.startsWith(OUT));
    expect(problems).toEqual([]);
    expect(elsewhere.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  });
});
