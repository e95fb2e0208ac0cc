/**
 * pnpm bench:pg:outbox: purging delivered outbox events on the server in
 * DATABASE_URL, and what it does to purchases running at the same time.
 *
 * 1. Fills a program's outbox with BENCH_OUTBOX_EVENTS (default 1,000,000)
 *    delivered events (one INSERT … SELECT generate_series, shaped like the
 *    events a purchase writes).
 * 2. Measures recordPurchase throughput (4 clients, another program) for
 *    BENCH_SECONDS alone.
 * 3. Purges every delivered event with purgeDeliveredEvents in batches of
 *    10,000 (its largest default batch) while the same purchases run, and
 *    reports: time, WAL written (pg_current_wal_lsn before and after), the
 *    table's and its indexes' size before and after, and the purchases' rate
 *    during the purge beside the rate alone.
 * 4. The same sizes after a plain VACUUM (what autovacuum would do next).
 *
 * Everything runs in a schema of its own, dropped at the end.
 */
import { createManualClock, createOnehop } from '@onehop/core';
import { createPostgresStore, migrate } from '@onehop/postgres';
import pg from 'pg';
import { measureLoops } from './measure';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('bench:pg:outbox needs DATABASE_URL (e.g. postgres://onehop:onehop@127.0.0.1:5432/onehop_test).');
  process.exit(1);
}
const EVENTS = Number(process.env.BENCH_OUTBOX_EVENTS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const BATCH = 10_000;
const CLIENTS = 4;

const pool = new pg.Pool({ connectionString: url, max: 8 });
const schema = `bench_outbox_${Date.now().toString(36)}`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function sizes() {
  const { rows } = await pool.query(
    `SELECT pg_table_size($1::regclass) AS "table", pg_indexes_size($1::regclass) AS indexes,
            (SELECT count(*) FROM ${schema}.outbox WHERE program_id = 'history')::int AS "rows"`,
    [`${schema}.outbox`],
  );
  // rows: the purged program's events; the sizes are the whole table's (the purchases' events are in it too).
  return { table: Number(rows[0].table), indexes: Number(rows[0].indexes), rows: rows[0].rows as number };
}

async function walLsn(): Promise<string> {
  return (await pool.query('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0].lsn;
}
async function walBytes(from: string, to: string): Promise<number> {
  return Number((await pool.query('SELECT pg_wal_lsn_diff($2::pg_lsn, $1::pg_lsn) AS bytes', [from, to])).rows[0].bytes);
}

/** Purchases from CLIENTS loops for SECONDS, or until `until` settles. */
function purchases(until?: Promise<unknown>) {
  const clock = createManualClock('2026-03-01T12:00:00Z');
  const onehop = createOnehop({
    store: createPostgresStore({ pool, schema }),
    clock,
    program: { id: 'purchases', currency: 'USD', mode: 'mock', commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } } },
  });
  const run = Date.now().toString(36);
  return measureLoops(
    CLIENTS,
    SECONDS,
    (n) => onehop.recordPurchase({ eventId: `p-${run}-${n}`, refereeId: `referee-${n % 400}`, amount: 10_000, currency: 'USD', occurredAt: clock.now() }),
    until,
  );
}

async function main() {
  await migrate({ pool, schema });
  try {
    // Referrers and referees for the purchases.
    const setup = createOnehop({
      store: createPostgresStore({ pool, schema }),
      program: { id: 'purchases', currency: 'USD', mode: 'mock', commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } } },
    });
    for (let r = 0; r < 40; r++) {
      const { participant } = await setup.enroll({ userId: `referrer-${r}` });
      for (let i = 0; i < 10; i++) await setup.attribute({ refereeId: `referee-${r * 10 + i}`, code: participant.code });
    }

    const fillStart = performance.now();
    await pool.query(
      `INSERT INTO ${schema}.outbox (program_id, mode, id, type, subject_id, entity_type, entity_id, data, occurred_at, status, attempts, next_attempt_at, delivered_at)
       SELECT 'history', 'mock', 'evt_' || i, 'commission.created', 'referrer-' || (i % 5000), 'commission', 'com_' || i,
              jsonb_build_object('commissionId', 'com_' || i, 'referrerId', 'referrer-' || (i % 5000), 'amount', 1000, 'currency', 'USD'),
              timestamptz '2025-01-01' + i * interval '1 second', 'delivered', 1, timestamptz '2025-01-01', timestamptz '2025-01-01' + i * interval '1 second'
         FROM generate_series(1, $1::int) AS i`,
      [EVENTS],
    );
    await pool.query(`VACUUM ANALYZE ${schema}.outbox`);
    const filled = await sizes();
    console.log(`Filled ${filled.rows.toLocaleString('en-US')} delivered events in ${((performance.now() - fillStart) / 1000).toFixed(1)} s`);

    const alone = await purchases();

    const admin = createOnehop({ store: createPostgresStore({ pool, schema }), program: { id: 'history', currency: 'USD', mode: 'mock' } });
    const lsnBefore = await walLsn();
    const purgeStart = performance.now();
    let batches = 0;
    const purge = (async () => {
      for (;;) {
        const { deleted } = await admin.purgeDeliveredEvents({ deliveredBefore: new Date('2100-01-01'), limit: BATCH });
        batches++;
        if (deleted < BATCH) return;
      }
    })();
    const during = await purchases(purge);
    const purgeSeconds = (performance.now() - purgeStart) / 1000;
    const wal = await walBytes(lsnBefore, await walLsn());
    const afterPurge = await sizes();
    await pool.query(`VACUUM ${schema}.outbox`);
    const afterVacuum = await sizes();

    console.log('\nPurging delivered outbox events (purgeDeliveredEvents, batches of 10,000)');
    console.log('| measure | value |\n| --- | ---: |');
    console.log(`| events purged | ${(filled.rows - afterPurge.rows).toLocaleString('en-US')} in ${batches} calls |`);
    console.log(`| time | ${purgeSeconds.toFixed(1)} s (${Math.round((filled.rows - afterPurge.rows) / purgeSeconds).toLocaleString('en-US')} events/s) |`);
    console.log(`| WAL written | ${mb(wal)} (${Math.round(wal / Math.max(1, filled.rows - afterPurge.rows))} bytes per event) |`);
    console.log(`| table before / after purge / after VACUUM | ${mb(filled.table)} / ${mb(afterPurge.table)} / ${mb(afterVacuum.table)} |`);
    console.log(`| indexes before / after purge / after VACUUM | ${mb(filled.indexes)} / ${mb(afterPurge.indexes)} / ${mb(afterVacuum.indexes)} |`);
    console.log(`| purchases/s (${CLIENTS} clients) alone | ${Math.round(alone.perSecond)} |`);
    console.log(
      `| purchases/s (${CLIENTS} clients) during the purge | ${Math.round(during.perSecond)} (${((during.perSecond / alone.perSecond) * 100).toFixed(0)} % of alone) |`,
    );
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  }
}

await main();
