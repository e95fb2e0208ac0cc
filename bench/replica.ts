/**
 * Part of pnpm bench:pg when STANDBY_URL names a hot standby of the server in
 * DATABASE_URL (start one with .ci/standby): the dashboards on the standby
 * beside the primary, and the primary's purchase rate with the dashboard load
 * on it and moved off it (`readPool`).
 *
 * 1. referrerOverview and programOverview, 4 clients each, BENCH_SECONDS:
 *    on the primary, then with readPool on the standby.
 * 2. recordPurchase (4 clients) alone; with 4 clients loading both overviews
 *    on the primary; with the same load on the standby.
 */
import { createManualClock, createOnehop, type Onehop } from '@onehop/core';
import { createPostgresStore, migrate } from '@onehop/postgres';
import pg from 'pg';
import { type Measured, measureLoops } from './measure';

const url = process.env.DATABASE_URL;
const standbyUrl = process.env.STANDBY_URL;
if (!url || !standbyUrl) {
  console.log('\nDashboards on a standby: skipped, set DATABASE_URL and STANDBY_URL (a hot standby of it, e.g. from .ci/standby) to measure them.');
  process.exit(0);
}
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = 4;
const REFERRERS = 100;

const primary = new pg.Pool({ connectionString: url, max: 12 });
const standby = new pg.Pool({ connectionString: standbyUrl, max: 8 });
const schema = `bench_replica_${Date.now().toString(36)}`;
const program = {
  id: 'replica',
  currency: 'USD',
  mode: 'mock' as const,
  commission: { rule: { type: 'percentage' as const, rateBps: 1000, scope: { type: 'lifetime' as const } } },
};
const clock = createManualClock('2026-03-01T12:00:00Z');

function engine(readPool?: pg.Pool): Onehop {
  return createOnehop({ store: createPostgresStore({ pool: primary, schema, ...(readPool ? { readPool } : {}) }), clock, program });
}

/** Waits until the standby has replayed everything the primary has written so far. */
async function caughtUp() {
  const { lsn } = (await primary.query('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0];
  for (;;) {
    const { behind } = (await standby.query('SELECT pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn()) > 0 AS behind', [lsn])).rows[0];
    if (!behind) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const dashboards = (onehop: Onehop) => (i: number) =>
  i % 2 === 0 ? onehop.referrerOverview({ userId: `referrer-${i % REFERRERS}` }) : onehop.programOverview({ from: new Date('2026-01-01'), to: new Date('2026-04-01') });

const row = (name: string, m: Measured) =>
  `| ${name} | ${Math.round(m.perSecond).toLocaleString('en-US')} | ${m.p50.toFixed(2)} ms | ${m.p99.toFixed(2)} ms | ${m.cpuMs.toFixed(2)} ms |`;

async function main() {
  await migrate({ pool: primary, schema });
  try {
    const onPrimary = engine();
    const onStandby = engine(standby);
    for (let r = 0; r < REFERRERS; r++) {
      const { participant } = await onPrimary.enroll({ userId: `referrer-${r}` });
      for (let i = 0; i < 5; i++) {
        await onPrimary.attribute({ refereeId: `referee-${r}-${i}`, code: participant.code });
        await onPrimary.recordPurchase({ eventId: `seed-${r}-${i}`, refereeId: `referee-${r}-${i}`, amount: 10_000, currency: 'USD', occurredAt: clock.now() });
      }
    }
    await caughtUp();

    const dashPrimary = await measureLoops(CLIENTS, SECONDS, dashboards(onPrimary));
    const dashStandby = await measureLoops(CLIENTS, SECONDS, dashboards(onStandby));

    const run = Date.now().toString(36);
    let n = 0;
    const purchase = () => {
      const i = n++;
      return onPrimary.recordPurchase({
        eventId: `p-${run}-${i}`,
        refereeId: `referee-${i % REFERRERS}-${i % 5}`,
        amount: 10_000,
        currency: 'USD',
        occurredAt: clock.now(),
      });
    };
    const alone = await measureLoops(CLIENTS, SECONDS, purchase);
    const withLoad = async (reader: Onehop) => {
      let stop!: () => void;
      const stopped = new Promise<void>((resolve) => {
        stop = resolve;
      });
      const load = measureLoops(CLIENTS, SECONDS, dashboards(reader), stopped);
      const measured = await measureLoops(CLIENTS, SECONDS, purchase);
      stop();
      return { purchases: measured, dashboards: await load };
    };
    const loadPrimary = await withLoad(onPrimary);
    const loadStandby = await withLoad(onStandby);

    console.log(`\nDashboards on a hot standby (${CLIENTS} clients each, ${SECONDS} s per line; the standby streams from the primary on the same machine)`);
    console.log('| measure | per second | p50 | p99 | client CPU per call |\n| --- | ---: | ---: | ---: | ---: |');
    console.log(row('overviews on the primary', dashPrimary));
    console.log(row('overviews on the standby (readPool)', dashStandby));
    console.log(row('purchases alone', alone));
    console.log(row('purchases, overview load on the primary', loadPrimary.purchases));
    console.log(row('  … the overview load meanwhile', loadPrimary.dashboards));
    console.log(row('purchases, overview load on the standby', loadStandby.purchases));
    console.log(row('  … the overview load meanwhile', loadStandby.dashboards));
  } finally {
    await primary.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await primary.end();
    await standby.end();
  }
}

await main();
