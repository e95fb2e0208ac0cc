import { defineConfig } from 'vitest/config';

// One run for the whole monorepo: every package and example is a project with
// its own vitest.config.ts. Tests run on source (the `dev-source` export
// condition), never on a build.
export default defineConfig({
  test: {
    projects: ['packages/*', 'examples/*', 'docs'],
    // Prints once per run why tests that need a missing server or browser skip.
    globalSetup: ['testing/global-setup.ts'],
  },
});
