/**
 * onehop inside the transaction of the application's own driver or ORM,
 * through the adapters to the store's client interface: onehop's writes
 * commit with the application's row, and a rollback of the application's
 * transaction leaves neither (counted in the raw tables). Store-only
 * behaviour: the memory store has no database transaction to join.
 */

import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { createManualClock, createOnehop, type ProgramConfigInput } from '@onehop/core';
import { sql as drizzleSql } from 'drizzle-orm';
import { drizzle as drizzleNodePostgres } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePGlite } from 'drizzle-orm/pglite';
import { CamelCasePlugin, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore, drizzleClient, kyselyClient, postgresJsClient, prismaClient, type SqlClient } from '../src/index';
import { DATABASE_URL, NO_SERVER_REASON, pgliteDatabase, type ServerDatabase, serverDatabase } from './databases';
import { pgliteDialect } from './kysely-pglite';

const program: ProgramConfigInput = {
  id: 'orm',
  currency: 'USD',
  mode: 'mock',
  commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } },
};

/** Signs up `userId` the way an application does: its own row, then onehop's enrolment, in one transaction. */
async function signUp(client: SqlClient, schema: string, userId: string, appInsert: () => Promise<unknown>): Promise<void> {
  await appInsert();
  const onehop = createOnehop({ store: createPostgresStore({ client, schema }), clock: createManualClock('2026-03-01T12:00:00.000Z'), program });
  const { participant } = await onehop.enroll({ userId });
  // A call onehop turns down leaves the transaction usable.
  expect(await onehop.attribute({ refereeId: userId, code: participant.code })).toMatchObject({ ok: false, reason: 'SELF_REFERRAL' });
  // A second call reads what the first wrote, in the same transaction, with the types the store expects.
  const again = await onehop.enroll({ userId });
  expect(again.participant.code).toBe(participant.code);
  expect(again.participant.enrolledAt).toBeInstanceOf(Date);
}

/** A duplicate key inside a savepoint: the error reaches the store with the fields it translates, and the transaction goes on. */
async function expectDuplicateKey(client: SqlClient, schema: string, id: string, savepoint = 's'): Promise<void> {
  await client.query(`SAVEPOINT ${savepoint}`);
  await expect(client.query(`INSERT INTO "${schema}".app_users (id) VALUES ($1), ($1)`, [id])).rejects.toMatchObject({
    code: '23505',
    severity: 'ERROR',
    constraint: 'app_users_pkey',
  });
  await client.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
}

/** A failed statement as Prisma's raw queries raise it: P2010, the SQLSTATE in `meta.code`. */
function asPrismaError(error: unknown): Error {
  const { code, message } = error as { code: string; message: string };
  return Object.assign(new Error(`Raw query failed. Code: \`${code}\`. Message: \`${message}\``), { code: 'P2010', meta: { code, message } });
}

/** Drizzle's drivers return timestamptz as text; the adapter gives the store a Date, whatever the session's time zone. */
async function expectTimestampsAsDates(client: SqlClient): Promise<void> {
  await client.query("SET LOCAL TIME ZONE 'Asia/Kolkata'");
  const { rows } = await client.query("SELECT '2026-03-01 12:00:00.123456+00'::timestamptz AS t, now() AS n");
  expect(rows).toEqual([{ t: new Date('2026-03-01T12:00:00.123Z'), n: expect.any(Date) }]);
}

/** Where the postgres.js cases run: a connection string, the schema onehop is migrated into (beside `app_users`), and the raw counts. */
interface PostgresJsTarget {
  url: string;
  schema: string;
  counts(userId: string): Promise<{ app: number; onehop: number }>;
}

/**
 * postgres.js's `sql.begin` cases, the same on every target; `target` is read
 * once the enclosing describe's beforeAll has run. One connection: PGlite
 * serves one at a time, and `sql.begin` holds one for its transaction.
 */
function postgresJsCases(target: () => PostgresJsTarget): void {
  let pjs: postgres.Sql;
  beforeAll(() => {
    pjs = postgres(target().url, { max: 1, onnotice: () => undefined });
  });
  afterAll(() => pjs?.end());

  it('commits onehop with the application row', async () => {
    const { schema, counts } = target();
    await pjs.begin(async (tx) => {
      await signUp(postgresJsClient(tx), schema, 'pj-commit', () => tx.unsafe(`INSERT INTO "${schema}".app_users (id) VALUES ($1)`, ['pj-commit']));
    });
    expect(await counts('pj-commit')).toEqual({ app: 1, onehop: 1 });
  });

  it('a rollback of the transaction leaves neither row', async () => {
    const { schema, counts } = target();
    const failure = new Error('the sign-up failed after onehop ran');
    await expect(
      pjs.begin(async (tx) => {
        await signUp(postgresJsClient(tx), schema, 'pj-rollback', () => tx.unsafe(`INSERT INTO "${schema}".app_users (id) VALUES ($1)`, ['pj-rollback']));
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await counts('pj-rollback')).toEqual({ app: 0, onehop: 0 });
  });

  it('a statement that fails in a onehop call rolls back to its savepoint, with the fields the store translates, and the transaction still commits', async () => {
    const { schema, counts } = target();
    await pjs.begin(async (tx) => {
      await tx.unsafe(`INSERT INTO "${schema}".app_users (id) VALUES ($1)`, ['pj-kept']);
      // The statements the store sends around a call (see CALL_SAVEPOINT).
      await expectDuplicateKey(postgresJsClient(tx), schema, 'pj-kept', 'onehop_call');
    });
    expect((await counts('pj-kept')).app).toBe(1);
  });
}

describe.skipIf(!DATABASE_URL)(`onehop inside an application's transaction on the real server${DATABASE_URL ? '' : ` (${NO_SERVER_REASON})`}`, () => {
  let db: ServerDatabase;
  beforeAll(async () => {
    db = await serverDatabase('onehop_orm');
    await db.pool.query(`CREATE TABLE "${db.schema}".app_users (id text PRIMARY KEY)`);
  });
  afterAll(() => db?.dispose());

  async function counts(userId: string): Promise<{ app: number; onehop: number }> {
    const app = await db.pool.query(`SELECT count(*)::int AS n FROM "${db.schema}".app_users WHERE id = $1`, [userId]);
    const onehop = await db.pool.query(`SELECT count(*)::int AS n FROM "${db.schema}".participants WHERE user_id = $1`, [userId]);
    return { app: app.rows[0].n, onehop: onehop.rows[0].n };
  }

  describe('postgres.js (sql.begin)', () => {
    postgresJsCases(() => ({ url: DATABASE_URL!, schema: db.schema, counts }));
  });

  describe('Kysely (db.transaction().execute) on its pg dialect', () => {
    let kysely: Kysely<Record<string, never>>;
    beforeAll(() => {
      // A CamelCasePlugin would rename the store's columns: the adapter runs without plugins.
      kysely = new Kysely({ dialect: new PostgresDialect({ pool: db.pool }), plugins: [new CamelCasePlugin()] });
    });

    it('commits onehop with the application row', async () => {
      await kysely.transaction().execute(async (trx) => {
        await signUp(kyselyClient(trx), db.schema, 'ky-commit', () => sql`INSERT INTO ${sql.table(`${db.schema}.app_users`)} (id) VALUES (${'ky-commit'})`.execute(trx));
      });
      expect(await counts('ky-commit')).toEqual({ app: 1, onehop: 1 });
    });

    it('a rollback of the transaction leaves neither row', async () => {
      const failure = new Error('the sign-up failed after onehop ran');
      await expect(
        kysely.transaction().execute(async (trx) => {
          await signUp(kyselyClient(trx), db.schema, 'ky-rollback', () =>
            sql`INSERT INTO ${sql.table(`${db.schema}.app_users`)} (id) VALUES (${'ky-rollback'})`.execute(trx),
          );
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await counts('ky-rollback')).toEqual({ app: 0, onehop: 0 });
    });

    it('errors reach the store as the driver gave them (code, severity, constraint)', async () => {
      await kysely.transaction().execute((trx) => expectDuplicateKey(kyselyClient(trx), db.schema, 'ky-twice'));
    });
  });

  describe('Drizzle (db.transaction) on node-postgres', () => {
    it('commits onehop with the application row', async () => {
      const orm = drizzleNodePostgres({ client: db.pool });
      await orm.transaction(async (tx) => {
        await signUp(drizzleClient(tx, drizzleSql), db.schema, 'dz-commit', () =>
          tx.execute(drizzleSql`INSERT INTO ${drizzleSql.identifier(db.schema)}.app_users (id) VALUES (${'dz-commit'})`),
        );
      });
      expect(await counts('dz-commit')).toEqual({ app: 1, onehop: 1 });
    });

    it('a rollback of the transaction leaves neither row', async () => {
      const orm = drizzleNodePostgres({ client: db.pool });
      const failure = new Error('the sign-up failed after onehop ran');
      await expect(
        orm.transaction(async (tx) => {
          await signUp(drizzleClient(tx, drizzleSql), db.schema, 'dz-rollback', () =>
            tx.execute(drizzleSql`INSERT INTO ${drizzleSql.identifier(db.schema)}.app_users (id) VALUES (${'dz-rollback'})`),
          );
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await counts('dz-rollback')).toEqual({ app: 0, onehop: 0 });
    });

    it('gives the store timestamps as Dates', async () => {
      await drizzleNodePostgres({ client: db.pool }).transaction((tx) => expectTimestampsAsDates(drizzleClient(tx, drizzleSql)));
    });

    it('errors reach the store as the driver gave them (code, severity, constraint)', async () => {
      const orm = drizzleNodePostgres({ client: db.pool });
      await orm.transaction(async (tx) => {
        await expectDuplicateKey(drizzleClient(tx, drizzleSql), db.schema, 'dz-twice');
      });
    });
  });

  /**
   * Prisma's engines cannot be installed here, so this runs the adapter on a
   * real transaction on the server (node-postgres) whose results are given the
   * shape `tx.$queryRawUnsafe` gives them: an array of rows, int8 as BigInt,
   * and a failed statement as Prisma's P2010 error carrying the SQLSTATE in
   * `meta.code`. What Prisma itself does is not tested.
   */
  describe('Prisma interactive transaction (the shape of $queryRawUnsafe)', () => {
    function prismaShaped(client: pg.PoolClient) {
      const types: pg.CustomTypesConfig = {
        getTypeParser: ((id: number, format?: 'text' | 'binary') =>
          id === 20 ? (value: string) => BigInt(value) : pg.types.getTypeParser(id, format)) as pg.CustomTypesConfig['getTypeParser'],
      };
      return {
        async $queryRawUnsafe(text: string, ...values: unknown[]): Promise<unknown[]> {
          try {
            const config: pg.QueryConfig = { text, values, types };
            return (await client.query(config)).rows;
          } catch (error) {
            throw asPrismaError(error);
          }
        },
      };
    }

    /** BEGIN, `fn`, COMMIT (or ROLLBACK if it throws), as `prisma.$transaction` runs it. */
    async function transaction(fn: (tx: ReturnType<typeof prismaShaped>) => Promise<void>): Promise<void> {
      const client = await db.pool.connect();
      try {
        await client.query('BEGIN');
        try {
          await fn(prismaShaped(client));
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    }

    it('gives the store int8 as strings, as node-postgres does', async () => {
      await transaction(async (tx) => {
        expect(await tx.$queryRawUnsafe('SELECT 9007199254740993::int8 AS n')).toEqual([{ n: 9007199254740993n }]);
        expect((await prismaClient(tx).query('SELECT 9007199254740993::int8 AS n')).rows).toEqual([{ n: '9007199254740993' }]);
      });
    });

    it('commits onehop with the application row', async () => {
      await transaction(async (tx) => {
        await signUp(prismaClient(tx), db.schema, 'pr-commit', () => tx.$queryRawUnsafe(`INSERT INTO "${db.schema}".app_users (id) VALUES ($1)`, 'pr-commit'));
      });
      expect(await counts('pr-commit')).toEqual({ app: 1, onehop: 1 });
    });

    it('a rollback of the transaction leaves neither row', async () => {
      const failure = new Error('the sign-up failed after onehop ran');
      await expect(
        transaction(async (tx) => {
          await signUp(prismaClient(tx), db.schema, 'pr-rollback', () => tx.$queryRawUnsafe(`INSERT INTO "${db.schema}".app_users (id) VALUES ($1)`, 'pr-rollback'));
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await counts('pr-rollback')).toEqual({ app: 0, onehop: 0 });
    });

    it("turns Prisma's P2010 error into the database error it carries", async () => {
      await transaction(async (tx) => {
        await expectDuplicateKey(prismaClient(tx), db.schema, 'pr-twice');
      });
    });
  });
});

/** A migrated PGlite (schema `onehop`) with the application's own table beside onehop's. */
async function pgliteWithAppTable(): Promise<PGlite> {
  const pglite = await pgliteDatabase('onehop');
  await pglite.query('CREATE TABLE onehop.app_users (id text PRIMARY KEY)');
  return pglite;
}

/** The application's row and onehop's participant of `userId`, counted in PGlite's raw tables. */
async function pgliteCounts(pglite: PGlite, userId: string): Promise<{ app: number; onehop: number }> {
  const app = await pglite.query<{ n: number }>('SELECT count(*)::int AS n FROM onehop.app_users WHERE id = $1', [userId]);
  const onehop = await pglite.query<{ n: number }>('SELECT count(*)::int AS n FROM onehop.participants WHERE user_id = $1', [userId]);
  return { app: app.rows[0]!.n, onehop: onehop.rows[0]!.n };
}

describe('onehop inside a Drizzle transaction on PGlite (drizzle-orm/pglite)', () => {
  let pglite: PGlite;
  beforeAll(async () => {
    pglite = await pgliteWithAppTable();
  });
  afterAll(() => pglite?.close());

  const counts = (userId: string) => pgliteCounts(pglite, userId);

  it('commits onehop with the application row', async () => {
    const orm = drizzlePGlite({ client: pglite });
    await orm.transaction(async (tx) => {
      await signUp(drizzleClient(tx, drizzleSql), 'onehop', 'dz-commit', () => tx.execute(drizzleSql`INSERT INTO onehop.app_users (id) VALUES (${'dz-commit'})`));
    });
    expect(await counts('dz-commit')).toEqual({ app: 1, onehop: 1 });
  });

  it('gives the store timestamps as Dates', async () => {
    await drizzlePGlite({ client: pglite }).transaction((tx) => expectTimestampsAsDates(drizzleClient(tx, drizzleSql)));
  });

  it('a rollback of the transaction leaves neither row', async () => {
    const orm = drizzlePGlite({ client: pglite });
    const failure = new Error('the sign-up failed after onehop ran');
    await expect(
      orm.transaction(async (tx) => {
        await signUp(drizzleClient(tx, drizzleSql), 'onehop', 'dz-rollback', () => tx.execute(drizzleSql`INSERT INTO onehop.app_users (id) VALUES (${'dz-rollback'})`));
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await counts('dz-rollback')).toEqual({ app: 0, onehop: 0 });
  });
});

/**
 * postgres.js speaks PostgreSQL's network protocol, which PGlite in a process
 * does not: PGlite is served on 127.0.0.1 (a free port) by pglite-socket, and
 * postgres.js connects to it as to a server.
 */
describe('onehop inside a postgres.js transaction on PGlite (served by pglite-socket)', () => {
  let pglite: PGlite;
  let server: PGLiteSocketServer;
  let url: string;
  beforeAll(async () => {
    pglite = await pgliteWithAppTable();
    server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0 });
    await server.start();
    url = `postgres://postgres@${server.getServerConn()}/postgres`;
  });
  afterAll(async () => {
    await server?.stop();
    await pglite?.close();
  });

  postgresJsCases(() => ({ url, schema: 'onehop', counts: (userId) => pgliteCounts(pglite, userId) }));
});

/**
 * Kysely's community PGlite dialect supports only older PGlite versions, so
 * Kysely runs here on a dialect of a few lines (`kysely-pglite.ts`): Kysely's
 * own PostgreSQL compiler and adapter, each query sent to PGlite.
 */
describe('onehop inside a Kysely transaction on PGlite', () => {
  let pglite: PGlite;
  let kysely: Kysely<Record<string, never>>;
  beforeAll(async () => {
    pglite = await pgliteWithAppTable();
    kysely = new Kysely({ dialect: pgliteDialect(pglite), plugins: [new CamelCasePlugin()] });
  });
  afterAll(() => pglite?.close());

  const counts = (userId: string) => pgliteCounts(pglite, userId);

  it('commits onehop with the application row', async () => {
    await kysely.transaction().execute(async (trx) => {
      await signUp(kyselyClient(trx), 'onehop', 'ky-commit', () => sql`INSERT INTO onehop.app_users (id) VALUES (${'ky-commit'})`.execute(trx));
    });
    expect(await counts('ky-commit')).toEqual({ app: 1, onehop: 1 });
  });

  it('a rollback of the transaction leaves neither row', async () => {
    const failure = new Error('the sign-up failed after onehop ran');
    await expect(
      kysely.transaction().execute(async (trx) => {
        await signUp(kyselyClient(trx), 'onehop', 'ky-rollback', () => sql`INSERT INTO onehop.app_users (id) VALUES (${'ky-rollback'})`.execute(trx));
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await counts('ky-rollback')).toEqual({ app: 0, onehop: 0 });
  });

  it('errors reach the store as the driver gave them (code, severity, constraint)', async () => {
    await kysely.transaction().execute(async (trx) => {
      await expectDuplicateKey(kyselyClient(trx), 'onehop', 'ky-twice');
    });
  });
});

/**
 * The Prisma adapter on PGlite, as on the server above: Prisma's engines
 * cannot be installed here, so a PGlite transaction's results are given the
 * shape `tx.$queryRawUnsafe` gives them (an array of rows, int8 as BigInt,
 * P2010 errors). What Prisma itself does is not tested.
 */
describe("onehop inside a transaction shaped as Prisma's interactive one, on PGlite", () => {
  let pglite: PGlite;
  beforeAll(async () => {
    pglite = await pgliteWithAppTable();
  });
  afterAll(() => pglite?.close());

  /** `pglite.transaction` (BEGIN, `fn`, COMMIT, or ROLLBACK if it throws) with `tx.$queryRawUnsafe` as Prisma shapes it. */
  function transaction(fn: (tx: { $queryRawUnsafe(text: string, ...values: unknown[]): Promise<unknown[]> }) => Promise<void>): Promise<void> {
    return pglite.transaction(async (tx) => {
      await fn({
        async $queryRawUnsafe(text, ...values) {
          try {
            return (await tx.query(text, values, { parsers: { 20: (value: string) => BigInt(value) } })).rows;
          } catch (error) {
            throw asPrismaError(error);
          }
        },
      });
    });
  }

  const counts = (userId: string) => pgliteCounts(pglite, userId);

  it('gives the store int8 as strings, as node-postgres does', async () => {
    await transaction(async (tx) => {
      expect(await tx.$queryRawUnsafe('SELECT 9007199254740993::int8 AS n')).toEqual([{ n: 9007199254740993n }]);
      expect((await prismaClient(tx).query('SELECT 9007199254740993::int8 AS n')).rows).toEqual([{ n: '9007199254740993' }]);
    });
  });

  it('a rollback of the transaction leaves neither row; a commit keeps both', async () => {
    const failure = new Error('the sign-up failed after onehop ran');
    await expect(
      transaction(async (tx) => {
        await signUp(prismaClient(tx), 'onehop', 'pr-rollback', () => tx.$queryRawUnsafe('INSERT INTO onehop.app_users (id) VALUES ($1)', 'pr-rollback'));
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await counts('pr-rollback')).toEqual({ app: 0, onehop: 0 });
    await transaction((tx) => signUp(prismaClient(tx), 'onehop', 'pr-commit', () => tx.$queryRawUnsafe('INSERT INTO onehop.app_users (id) VALUES ($1)', 'pr-commit')));
    expect(await counts('pr-commit')).toEqual({ app: 1, onehop: 1 });
  });

  it("turns Prisma's P2010 error into the database error it carries", async () => {
    await transaction((tx) => expectDuplicateKey(prismaClient(tx), 'onehop', 'pr-twice'));
  });
});
