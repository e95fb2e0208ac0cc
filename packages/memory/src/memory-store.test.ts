import { createOnehop } from '@onehop/core';
import { runConformanceSuite } from '@onehop/core/testing';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './index';
import { Table } from './table';

// Every key-preserving update in the whole suite below is checked against the
// keys themselves, so a table whose indexedFields list misses a field fails.
Table.verifyIndexedFields = true;
// And every row copy against a generic deep copy, so a copier that misses a Date or object field fails.
Table.verifyCopies = true;

/**
 * Every string the store holds: a deep walk of the store object itself
 * (its partitions, every table's rows and every index key), JSON fields
 * included, for the erasure tests.
 */
function storedStrings(store: object): string[] {
  const out: string[] = [];
  const seen = new WeakSet<object>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') out.push(value);
    if (typeof value !== 'object' || value === null || value instanceof Date || seen.has(value)) return;
    seen.add(value);
    if (value instanceof Map) {
      for (const [k, v] of value) {
        walk(k);
        walk(v);
      }
    } else if (value instanceof Set || Array.isArray(value)) {
      for (const v of value) walk(v);
    } else {
      for (const [k, v] of Object.entries(value)) {
        out.push(k);
        walk(v);
      }
    }
  };
  walk(store);
  return out;
}

runConformanceSuite({
  name: 'memory',
  createStore: () => createMemoryStore({ allowLive: true }),
  supportsLiveMode: true,
  storedStrings: async (store) => storedStrings(store),
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

// Memory-only behaviour: the update fast path is this store's own mechanism.
describe('memory store: table indexes', () => {
  type Row = { programId: string; mode: string; id: string; status: string; note: string };
  const table = () => new Table<Row>({ key: (r) => r.id, name: 'row_id', copy: (r) => ({ ...r }), groups: { status: (r) => r.status }, indexedFields: ['id', 'status'] });

  it('keeps a row in its group when an update changes only unindexed fields, and moves it when the key changes', () => {
    const t = table();
    const undo: (() => void)[] = [];
    t.insert({ programId: 'p', mode: 'mock', id: 'a', status: 'open', note: '' }, undo);
    t.update('a', { note: 'seen' }, undo);
    expect(t.groupKeys('status', 'open')).toEqual(['a']);
    expect(t.get('a')?.note).toBe('seen');
    t.update('a', { status: 'closed' }, undo);
    expect(t.groupKeys('status', 'open')).toEqual([]);
    expect(t.groupKeys('status', 'closed')).toEqual(['a']);
    for (const u of undo.reverse()) u();
    expect(t.get('a')).toBeNull();
    expect(t.groupKeys('status', 'open')).toEqual([]);
  });

  it('rolls an unindexed update back to the row as it was', () => {
    const t = table();
    t.insert({ programId: 'p', mode: 'mock', id: 'a', status: 'open', note: 'first' }, []);
    const undo: (() => void)[] = [];
    t.update('a', { note: 'second' }, undo);
    undo.pop()!();
    expect(t.get('a')?.note).toBe('first');
  });

  it('reports a table whose indexedFields list misses a field the keys read', () => {
    const t = new Table<Row>({ key: (r) => r.id, name: 'row_id', copy: (r) => ({ ...r }), groups: { status: (r) => r.status }, indexedFields: ['id'] });
    t.insert({ programId: 'p', mode: 'mock', id: 'a', status: 'open', note: '' }, []);
    expect(() => t.update('a', { status: 'closed' }, [])).toThrow(/indexedFields/);
  });
});
