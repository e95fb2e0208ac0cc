/**
 * How the store sends statements on a connection: the names of its prepared
 * statements, and one query at a time per client. Store-only behaviour (the
 * memory store has no connections), on real node-postgres clients of the
 * server in DATABASE_URL.
 */
import { createOnehop, type Scope, type Store } from '@onehop/core';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPostgresStore, type PooledClient, type PoolLike, type QueryConfig, type SqlClient } from '../src/index';
import { DATABASE_URL, NO_SERVER_REASON, type ServerDatabase, serverDatabase } from './databases';

type Watched = PooledClient & { on: pg.PoolClient['on']; off: pg.PoolClient['off'] };

/**
 * A real pool client that records what a connection must never be asked to
 * do: start a query while another one of it is still running, run one after
 * it was released, or be released with a query still running.
 */
function watch(client: pg.PoolClient, problems: string[]): Watched {
  let running = 0;
  let released = false;
  return {
    async query(statement: string | QueryConfig, values?: unknown[]) {
      const text = typeof statement === 'string' ? statement : statement.text;
      if (released) problems.push(`after release: ${text}`);
      if (running > 0) problems.push(`while another query runs: ${text}`);
      running++;
      try {
        return typeof statement === 'string' ? await client.query(statement, values) : await client.query(statement);
      } finally {
        running--;
      }
    },
    release(destroy) {
      if (running > 0) problems.push('released with a query running');
      released = true;
      client.release(destroy);
    },
    on: client.on.bind(client),
    off: client.off.bind(client),
  };
}

describe.skipIf(!DATABASE_URL)(`postgres statements on a connection (real server)${DATABASE_URL ? '' : `: skipped, ${NO_SERVER_REASON}`}`, () => {
  let db: ServerDatabase;
  beforeAll(async () => {
    // One connection: every store and every call below shares it.
    db = await serverDatabase('statements', 1);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  const program = (id: string) => ({ id, currency: 'USD', mode: 'mock' as const });
  const watchedPool = (problems: string[]): PoolLike => ({ connect: async () => watch(await db.pool.connect(), problems) });

  it('two separately loaded copies of the package on one pool never give one statement name to two statements', async () => {
    const first = await import('../src/index');
    vi.resetModules();
    const second = await import('../src/index');
    // Really two module instances, as an ESM and a CommonJS copy of the package in one process are.
    expect(second.createPostgresStore).not.toBe(first.createPostgresStore);
    const a = createOnehop({ store: first.createPostgresStore({ pool: db.pool, schema: db.schema }), program: program('copies') });
    const b = createOnehop({ store: second.createPostgresStore({ pool: db.pool, schema: db.schema }), program: program('copies') });
    // Each copy starts with a different call, so each prepares a different statement first, on the same connection.
    await a.enroll({ userId: 'alice' });
    expect(await b.getBalances('alice')).toMatchObject({ pending: 0, withdrawable: 0 });
    await b.enroll({ userId: 'bruno' });
    expect((await a.getBalances('bruno')).pending).toBe(0);
  });

  it('concurrent reads and locking reads in one pool transaction run one at a time on its client', async () => {
    const problems: string[] = [];
    const store: Store = createPostgresStore({ pool: watchedPool(problems), schema: db.schema });
    const onehop = createOnehop({ store, program: program('one-at-a-time') });
    const users = ['ana', 'ben', 'cai', 'dee'];
    for (const userId of users) await onehop.enroll({ userId });
    const scope: Scope = { programId: onehop.program.id, mode: onehop.mode };
    const found = await store.transaction(async (tx) => {
      // A held write, then reads and locking reads issued at once: the write is sent first, BEGIN once, then each read.
      await tx.participants.update(scope, 'ana', { termsVersion: 'v2' });
      return Promise.all([
        ...users.map((u) => tx.participants.get(scope, u, { forUpdate: true })),
        ...users.map((u) => tx.participants.get(scope, u)),
        ...users.map((u) => tx.codes.listByUser(scope, u)),
      ]);
    });
    expect(problems).toEqual([]);
    expect(found.slice(0, 4).map((p) => (p as { userId: string }).userId)).toEqual(users);
    expect((found[0] as { termsVersion: string | null }).termsVersion).toBe('v2');
  });

  it('a pool transaction that fails with reads still running releases its client only after they finish', async () => {
    const problems: string[] = [];
    const store = createPostgresStore({ pool: watchedPool(problems), schema: db.schema });
    const scope: Scope = { programId: 'released', mode: 'mock' };
    const failure = new Error('the call gave up');
    await expect(
      store.transaction(async (tx) => {
        await Promise.all([tx.participants.get(scope, 'ana', { forUpdate: true }), tx.participants.get(scope, 'ben'), Promise.reject(failure)]);
      }),
    ).rejects.toBe(failure);
    expect(problems).toEqual([]);
  });

  it('concurrent reads in a savepoint of the application’s own transaction run one at a time on its client', async () => {
    const problems: string[] = [];
    const client = watch(await db.pool.connect(), problems);
    try {
      await client.query('BEGIN');
      const store = createPostgresStore({ client: client as SqlClient, schema: db.schema });
      const onehop = createOnehop({ store, program: program('savepoint') });
      await onehop.enroll({ userId: 'eve' });
      const scope: Scope = { programId: onehop.program.id, mode: onehop.mode };
      const failure = new Error('the call gave up');
      const found = await store.transaction((tx) => Promise.all(['eve', 'fay', 'eve'].map((u) => tx.participants.get(scope, u, { forUpdate: u === 'eve' }))));
      expect(found.map((p) => p?.userId ?? null)).toEqual(['eve', null, 'eve']);
      // A failed call rolls back to its savepoint after its queued reads, and the application's transaction goes on.
      await expect(store.transaction(async (tx) => Promise.all([tx.participants.get(scope, 'eve'), Promise.reject(failure)]))).rejects.toBe(failure);
      expect(await onehop.getBalances('eve')).toMatchObject({ pending: 0 });
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect(problems).toEqual([]);
  });
});
