import { defineConfig } from 'vitest/config';

/** Vite's default conditions, with `dev-source` first so workspace packages resolve to their TypeScript source. */
const conditions = ['dev-source', 'module', 'node', 'development|production'];

/**
 * Shared per-package test config: tests run on source, never on a build.
 * `testTimeout` only stops a hung test; no test measures speed with it.
 */
export function packageConfig(name: string, options: { testTimeout?: number } = {}) {
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      ...(options.testTimeout === undefined ? {} : { testTimeout: options.testTimeout, hookTimeout: options.testTimeout }),
    },
  });
}
