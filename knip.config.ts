import type { KnipConfig } from 'knip';

/**
 * Unused files, exports and dependencies (`pnpm check:unused`, run in CI).
 * Each package's entry points are its package.json `exports`; tests, vitest,
 * tsup and typedoc configs are found by knip's plugins. The Markdown files
 * in `project` are only the guides, whose samples import the packages.
 */
const config: KnipConfig = {
  workspaces: {
    '.': {
      // check-release-plan.mjs is run by .ci/run; the benchmarks by `pnpm bench` and `pnpm bench:pg`.
      entry: ['scripts/*.mjs', 'bench/*.ts'],
      project: ['scripts/**/*.mjs', 'bench/**/*.ts', 'testing/**/*.ts'],
    },
    'packages/*': {
      project: ['src/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts', '*.config.ts'],
    },
    'examples/*': {
      project: ['src/**/*.ts', 'test/**/*.ts', '*.config.ts'],
    },
    docs: {
      // The guides' TypeScript samples are modules of their own, compiled by docs/test/guides.test.ts.
      entry: ['guides/*.md'],
      project: ['guides/*.md', 'test/**/*.ts', '*.config.ts'],
    },
  },
  compilers: {
    // The ```ts blocks of a guide (not ```ts fragment), as docs/test/guides.test.ts compiles them.
    md: (text: string) => [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1]).join('\n'),
  },
  // System programs, not npm packages: pgbench runs beside the PostgreSQL benchmark, openssl makes the browser tests' certificate.
  ignoreBinaries: ['pgbench', 'openssl'],
};

export default config;
