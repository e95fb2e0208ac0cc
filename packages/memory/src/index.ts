/**
 * A transactional in-memory store for onehop. Use it for development, for
 * mock mode and in your own test suites: it keeps the same guarantees as the
 * PostgreSQL store (atomic transactions, unique constraints, serialised work)
 * and passes the same conformance suite. Its data is gone when the process
 * ends, so it refuses live mode unless you opt in with `{ allowLive: true }`.
 *
 * ```ts
 * import { createOnehop } from '@onehop/core';
 * import { createMemoryStore } from '@onehop/memory';
 *
 * const onehop = createOnehop({ store: createMemoryStore(), program: { id: 'demo', currency: 'USD', mode: 'mock' } });
 * ```
 *
 * @module @onehop/memory
 */

export type { MemoryStoreOptions } from './memory-store';
export { createMemoryStore, MemoryStore } from './memory-store';
