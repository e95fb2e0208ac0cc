import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * mailchecker's list is 981 KB of JavaScript, about 50 ms to load: it must
 * not be loaded by importing the engine, nor ever by a program that brings its
 * own check, and must still be used by default. Each step is observed in a
 * fresh Node process (a CommonJS module, once loaded, is in `require.cache`).
 */
const SCRIPT = `
import { createRequire } from 'node:module';
const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('mailchecker'));
const steps = {};
const { createOnehop, isDisposableDomain } = await import('@onehop/core');
const { createMemoryStore } = await import('@onehop/memory');
steps.afterImport = loaded();
const signUp = async (fraud) => {
  const onehop = createOnehop({ store: createMemoryStore(), program: { id: 'p', currency: 'USD' }, fraud });
  await onehop.enroll({ userId: 'alice', code: 'ALICE234' });
  const result = await onehop.attribute({ refereeId: 'bob', code: 'ALICE234', email: 'bob@mailinator.com' });
  return result.ok ? (result.review?.findings.map((f) => f.reason) ?? []) : result.reason;
};
steps.ownCheck = await signUp({ isDisposableDomain: (domain) => domain === 'throwaway.test' });
steps.afterOwnCheck = loaded();
steps.defaultCheck = await signUp(undefined);
steps.afterDefaultCheck = loaded();
steps.syncPredicate = isDisposableDomain('sub.mailinator.com');
console.log(JSON.stringify(steps));
`;

const run = (script: string) =>
  execFileSync(process.execPath, ['--conditions=dev-source', '--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    encoding: 'utf8',
  });

describe('the mailchecker list', () => {
  it('is loaded at the first check of the default rule, never on import nor with a check of your own', () => {
    expect(JSON.parse(run(SCRIPT))).toEqual({
      afterImport: false,
      ownCheck: [],
      afterOwnCheck: false,
      defaultCheck: ['DISPOSABLE_EMAIL'],
      afterDefaultCheck: true,
      syncPredicate: true,
    });
  }, 30_000);

  it('is loaded on demand by the synchronous isDisposableDomain on Node, as before', () => {
    const script =
      "const { isDisposableDomain } = await import('@onehop/core'); console.log(JSON.stringify([isDisposableDomain('x.Mailinator.com'), isDisposableDomain('example.com')]));";
    expect(JSON.parse(run(script))).toEqual([true, false]);
  }, 30_000);
});
