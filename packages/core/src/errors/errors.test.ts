import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as core from '../index';
import { Onehop } from '../onehop';

const SRC = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('error texts', () => {
  it('every call a hint tells the caller to make exists on the engine or in the package', () => {
    const named: string[] = [];
    for (const file of sources(SRC)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!/\bhint\b/.test(line)) continue;
        // A call as a hint writes it: `listReviews()`, `enroll({ userId })`.
        for (const match of line.matchAll(/\b([a-z][A-Za-z]*)\((?:\)|\{)/g)) named.push(match[1]!);
      }
    }
    expect(named.length).toBeGreaterThan(3);
    const exists = (name: string) =>
      typeof (Onehop.prototype as unknown as Record<string, unknown>)[name] === 'function' || typeof (core as Record<string, unknown>)[name] === 'function';
    expect(named.filter((name) => !exists(name))).toEqual([]);
  });
});
