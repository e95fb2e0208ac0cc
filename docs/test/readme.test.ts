/**
 * The README's usage samples run as written: the ES module one (```ts,
 * with top-level await) and the CommonJS one (```js, require and an async
 * function). Each is written into docs/ (so it resolves the packages as an
 * application does, through node_modules) and run by Node, on the packages'
 * source (the `dev-source` condition, through tsx); what it prints is
 * checked.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const OUT = fileURLToPath(new URL('../.readme-samples/', import.meta.url));

/** The code of the first block fenced ```<language> after `heading`. */
function sample(heading: string, language: string): string {
  const section = README.slice(README.indexOf(heading));
  const match = section.match(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'm'));
  if (!match) throw new Error(`no \`\`\`${language} block after ${heading} in README.md`);
  return match[1]!;
}

function run(file: string, code: string): string[] {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(`${OUT}${file}`, code);
  return execFileSync(process.execPath, ['--conditions=dev-source', '--import', 'tsx', `${OUT}${file}`], { encoding: 'utf8' })
    .trim()
    .split('\n');
}

afterAll(() => rmSync(OUT, { recursive: true, force: true }));

describe('the README', () => {
  it('usage sample runs as written: the sign-up is attributed and the purchase earns 20 %', () => {
    const lines = run('use-it.mts', sample('## Use it', 'ts'));
    expect(lines).toEqual([expect.stringMatching(/^https:\/\/app\.example\/join\?ref=[0-9A-Z]{8}$/), 'u_bob was referred by u_alice', 'commission: 980 cents']);
  }, 30_000);

  it('CommonJS sample runs as written, without top-level await', () => {
    expect(run('commonjs.cjs', sample('In a CommonJS module', 'js'))).toEqual(['u_bob was referred by u_alice']);
  }, 30_000);
});
