/**
 * The conformance suite every onehop store runs (vitest is a peer
 * dependency), and helpers for testing an application built on onehop.
 *
 * ```ts
 * import { runConformanceSuite } from '@onehop/core/testing';
 * import { createMemoryStore } from '@onehop/memory';
 *
 * runConformanceSuite({ name: 'memory', createStore: () => createMemoryStore({ allowLive: true }) });
 * ```
 *
 * @module @onehop/core/testing
 */

export type { ManualClock } from '@onehop/core';
export { createManualClock } from '@onehop/core';
export type { ConformanceOptions } from './conformance';
export { runConformanceSuite } from './conformance';
export type { StoredStrings } from './erasure-suite';
export type { SuiteName } from './suite-names';
export { SUITE_NAMES } from './suite-names';
