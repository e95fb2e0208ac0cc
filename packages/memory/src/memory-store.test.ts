import { createOnehop } from '@onehop/core';
import { runConformanceSuite } from '@onehop/core/testing';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './index';

runConformanceSuite({
  name: 'memory',
  createStore: () => createMemoryStore({ allowLive: true }),
  supportsLiveMode: true,
});

// Memory-only behaviour: this store is not durable, so it alone has to refuse live mode.
describe('memory store: live mode', () => {
  it('refuses an engine in live mode unless the caller opts in', () => {
    expect(() => createOnehop({ store: createMemoryStore(), program: { id: 'p', currency: 'USD', mode: 'live' } })).toThrow(
      expect.objectContaining({ code: 'LIVE_MODE_REFUSED', field: 'program.mode' }),
    );
    expect(createOnehop({ store: createMemoryStore({ allowLive: true }), program: { id: 'p', currency: 'USD', mode: 'live' } }).mode).toBe('live');
  });

  it('defaults to mock mode outside production, so development never accrues real commissions', () => {
    const store = createMemoryStore({ allowLive: true });
    expect(createOnehop({ store, program: { id: 'p', currency: 'USD' }, env: {} }).mode).toBe('mock');
    expect(createOnehop({ store, program: { id: 'p', currency: 'USD' }, env: { NODE_ENV: 'development' } }).mode).toBe('mock');
    expect(createOnehop({ store, program: { id: 'p', currency: 'USD' }, env: { NODE_ENV: 'production' } }).mode).toBe('live');
    expect(() => createOnehop({ store: createMemoryStore(), program: { id: 'p', currency: 'USD' }, env: { NODE_ENV: 'production' } })).toThrow(
      expect.objectContaining({ code: 'LIVE_MODE_REFUSED' }),
    );
  });
});

// Memory-only behaviour: the queue that serialises transactions is this store's own mechanism.
describe('memory store: serialised transactions', () => {
  it('runs transactions one at a time, in the order they were started', async () => {
    const store = createMemoryStore();
    const events: string[] = [];
    const slow = store.transaction(async () => {
      events.push('a:start');
      await new Promise((r) => setTimeout(r, 20));
      events.push('a:end');
    });
    const fast = store.transaction(async () => {
      events.push('b:start');
      events.push('b:end');
    });
    await Promise.all([slow, fast]);
    expect(events).toEqual(['a:start', 'a:end', 'b:start', 'b:end']);
  });

  it('keeps serving transactions after one fails', async () => {
    const store = createMemoryStore();
    await expect(store.transaction(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(store.transaction(async () => 'ok')).resolves.toBe('ok');
  });
});
