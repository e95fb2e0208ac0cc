/**
 * `counters.top` leaves out exactly the owners the engine names
 * (`excludeOwnerIds`), and applies no rule of its own about owner ids.
 * Store-only: the conformance suite checks the engine's top referrers, which
 * pass the program-wide owners; this checks the store's side of the
 * contract by itself, on PGlite and on the server in DATABASE_URL.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { Scope, Store } from '@onehop/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../src/index';
import { DATABASE_URL, NO_SERVER_REASON, pgliteDatabase, type ServerDatabase, serverDatabase } from './databases';

const scope: Scope = { programId: 'top', mode: 'mock' };

async function topOf(store: Store) {
  return store.transaction(async (tx) => {
    await tx.counters.addMany([
      { ...scope, ownerId: '~other', name: 'stat.earned', period: 'd:2026-03-01', value: 7 },
      { ...scope, ownerId: '~program:0', name: 'stat.earned', period: 'd:2026-03-01', value: 9 },
      { ...scope, ownerId: 'alice', name: 'stat.earned', period: 'd:2026-03-01', value: 5 },
    ]);
    return {
      excluding: await tx.counters.top(scope, 'stat.earned', 'd:2026-03-01', 'd:2026-03-31', 10, ['~program:0']),
      all: await tx.counters.top(scope, 'stat.earned', 'd:2026-03-01', 'd:2026-03-31', 10),
    };
  });
}

const expected = {
  excluding: [
    { ownerId: '~other', value: 7 },
    { ownerId: 'alice', value: 5 },
  ],
  all: [
    { ownerId: '~program:0', value: 9 },
    { ownerId: '~other', value: 7 },
    { ownerId: 'alice', value: 5 },
  ],
};

describe('postgres counters.top (PGlite)', () => {
  let lite: PGlite;
  beforeAll(async () => {
    lite = await pgliteDatabase();
  });
  afterAll(async () => {
    await lite.close();
  });
  it('leaves out exactly the owners it is asked to, whatever their ids look like', async () => {
    expect(await topOf(createPostgresStore({ pglite: lite }))).toEqual(expected);
  });
});

describe.skipIf(!DATABASE_URL)(`postgres counters.top (real server)${DATABASE_URL ? '' : `: skipped, ${NO_SERVER_REASON}`}`, () => {
  let server: ServerDatabase;
  beforeAll(async () => {
    server = await serverDatabase('counters_top');
  });
  afterAll(async () => {
    await server.dispose();
  });
  it('leaves out exactly the owners it is asked to, whatever their ids look like', async () => {
    expect(await topOf(createPostgresStore({ pool: server.pool, schema: server.schema }))).toEqual(expected);
  });
});
