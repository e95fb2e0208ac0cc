/**
 * Through a connection pooler in transaction mode (PgBouncer, in CI 1.18 with
 * default_pool_size = 3): four application pools share three server
 * connections, and a server connection serves a different client from one
 * transaction to the next. Store-only behaviour: the memory store has no
 * connections. Needs PGBOUNCER_URL (see databases.ts).
 */
import { createOnehop } from '@onehop/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../src/index';
import { NO_POOLER_REASON, PGBOUNCER_URL, type ServerDatabase, serverDatabase } from './databases';

describe.skipIf(!PGBOUNCER_URL)(`postgres through PgBouncer in transaction mode${PGBOUNCER_URL ? '' : `: skipped, ${NO_POOLER_REASON}`}`, () => {
  let db: ServerDatabase;
  beforeAll(async () => {
    // migrate() itself runs through the pooler: it is one transaction.
    db = await serverDatabase('pooler', 4, PGBOUNCER_URL);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  /** Four application instances, each with its own pg.Pool, each enrolling users at once, round after round. */
  async function fourInstancesEnrolling(programId: string, preparedStatements: boolean | undefined, rounds: number) {
    const pools = Array.from({ length: 4 }, () => new pg.Pool({ connectionString: PGBOUNCER_URL, max: 4 }));
    try {
      const instances = pools.map((pool) =>
        createOnehop({
          store: createPostgresStore({ pool, schema: db.schema, ...(preparedStatements === undefined ? {} : { preparedStatements }) }),
          program: { id: programId, currency: 'USD', mode: 'mock' },
        }),
      );
      const results: PromiseSettledResult<unknown>[] = [];
      for (let round = 0; round < rounds; round++) {
        results.push(...(await Promise.allSettled(instances.map((onehop, i) => onehop.enroll({ userId: `user-${round}-${i}` })))));
      }
      const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM "${db.schema}".participants WHERE program_id = $1`, [programId]);
      return { results, enrolled: rows[0].n as number };
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  }

  it('in the application’s own transaction through the pooler, calls commit and roll back with it, and a call outside one runs in its own', async () => {
    const pool = new pg.Pool({ connectionString: PGBOUNCER_URL, max: 2 });
    const program = { id: 'pooled-own-transaction', currency: 'USD', mode: 'mock' as const };
    const participants = async () =>
      (await db.pool.query(`SELECT user_id FROM "${db.schema}".participants WHERE program_id = $1 ORDER BY user_id`, [program.id])).rows.map((r) => r.user_id as string);
    try {
      const client = await pool.connect();
      try {
        // Outside a transaction, a call runs in one of its own.
        const outside = createOnehop({ store: createPostgresStore({ client, schema: db.schema }), program });
        await outside.enroll({ userId: 'alice' });
        await client.query('BEGIN');
        const inside = createOnehop({ store: createPostgresStore({ client, schema: db.schema }), program });
        await inside.enroll({ userId: 'bruno' });
        await inside.enroll({ userId: 'carla' });
        await client.query('ROLLBACK');
        expect(await participants()).toEqual(['alice']);
        await client.query('BEGIN');
        await inside.enroll({ userId: 'dora' });
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      expect(await participants()).toEqual(['alice', 'dora']);
    } finally {
      await pool.end();
    }
  });

  it('with preparedStatements: false, four pools enrolling at once all succeed', async () => {
    const { results, enrolled } = await fourInstancesEnrolling('pooled-unnamed', false, 5);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(enrolled).toBe(20);
  });

  it('with named statements, what the pooler breaks surfaces as STORE_MISCONFIGURED with the fix in its hint, and writes nothing', async () => {
    const { results, enrolled } = await fourInstancesEnrolling('pooled-named', undefined, 5);
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(failure).toMatchObject({ name: 'StoreConfigurationError', code: 'STORE_MISCONFIGURED', retryable: false });
      expect((failure as { hint: string }).hint).toMatch(/preparedStatements: false/);
      expect((failure as { cause: { code: string } }).cause.code).toMatch(/^(42P05|26000)$/);
    }
    // Each failed call wrote nothing: only the calls that succeeded enrolled someone.
    expect(enrolled).toBe(results.length - failures.length);
  });
});
