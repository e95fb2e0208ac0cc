/**
 * pnpm bench:pg: the PostgreSQL store against the server in DATABASE_URL,
 * beside pgbench on the same server in the same run.
 *
 * 1. recordPurchase throughput and p50/p99 latency at 1 and 8 concurrent
 *    clients, beside `pgbench -N` TPS at the same client counts.
 * 2. The cost of a duplicate redelivery, beside one round trip (SELECT 1).
 * 3. Accrual and referrer-balance latency with 10,000 and with 1,000,000
 *    existing ledger rows.
 * 4. Dashboards (see below).
 * 5. recordPurchase with named prepared statements beside unnamed ones
 *    (`preparedStatements: false`), and through PgBouncer when PGBOUNCER_URL
 *    is set: purchases per second and CPU per purchase.
 * 6. approveDue over BENCH_APPROVE_DUE (default 100,000) due commissions:
 *    one run alone, beside BENCH_APPROVE_RUNS (default 4) runs at once
 *    (bench/approve-due.ts).
 * 7. Purchases against the same work by hand: recordPurchase beside the same
 *    rows written by hand from Node and as a pgbench script, at 1 and 8
 *    clients, a same-work check and a hot referrer (bench/purchase-baselines.ts).
 *    `BENCH_ONLY=purchases` runs this section alone.
 *
 * Everything runs in a schema of its own (and pgbench in its own tables),
 * dropped at the end.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createManualClock, createOnehop, type Onehop } from '@onehop/core';
import { createPostgresStore, migrate } from '@onehop/postgres';
import pg from 'pg';
import { APPROVE_DUE, APPROVE_RUNS, type ApproveDueFigures, approveDueTable, measureApproveDue } from './approve-due';
import { childrenCpuMs } from './children-cpu';
import { measureLoops } from './measure';
import { measurePurchases } from './purchase-baselines';
import { serverCpuMs } from './server-cpu';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('bench:pg needs DATABASE_URL (e.g. postgres://onehop:onehop@127.0.0.1:5432/onehop_test).');
  process.exit(1);
}
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const REFERRERS = 200;
const REFEREES_PER_REFERRER = 10;

const pool = new pg.Pool({ connectionString: url, max: 16 });
const schema = `bench_${Date.now().toString(36)}`;

// Counts the statements every client of the pool sends, so the bench can say
// how many round trips a call costs, not only how long it takes.
let statementsSent = 0;
pool.on('connect', (client) => {
  const send = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    statementsSent++;
    return send(...args);
  };
});

const ms = (n: number) => `${n.toFixed(2)} ms`;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Runs `op` from `clients` concurrent loops for `seconds`; returns ops/s and latencies (bench/measure.ts). */
const measure = (clients: number, seconds: number, op: (i: number) => Promise<unknown>) => measureLoops(clients, seconds, op);

function pgbench(args: string[]): string {
  return execFileSync('pgbench', [...args, url!], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function pgbenchTps(clients: number): number {
  const out = pgbench(['-N', '-n', '-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(SECONDS)]);
  const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(out) ?? /tps = ([\d.]+)/.exec(out);
  if (!m) throw new Error(`could not read pgbench output:\n${out}`);
  return Number(m[1]);
}

async function program(id: string): Promise<{ onehop: Onehop; referees: string[] }> {
  const clock = createManualClock('2026-03-01T12:00:00Z');
  const onehop = createOnehop({
    store: createPostgresStore({ pool, schema }),
    clock,
    program: { id, currency: 'USD', mode: 'mock', commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } } },
  });
  const referees: string[] = [];
  for (let r = 0; r < REFERRERS; r++) {
    const { participant } = await onehop.enroll({ userId: `referrer-${r}` });
    for (let i = 0; i < REFEREES_PER_REFERRER; i++) {
      const refereeId = `referee-${r}-${i}`;
      await onehop.attribute({ refereeId, code: participant.code });
      referees.push(refereeId);
    }
  }
  return { onehop, referees };
}

/** Refreshes the planner statistics of the bench schema's tables (cached plans are re-planned after it). */
async function analyze(): Promise<void> {
  const { rows } = await pool.query(`SELECT tablename FROM pg_tables WHERE schemaname = $1`, [schema]);
  for (const r of rows) await pool.query(`ANALYZE "${schema}"."${r.tablename}"`);
}

async function ledgerRows(programId: string): Promise<number> {
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${schema}".ledger_entries WHERE program_id = $1`, [programId]);
  return rows[0].n;
}

/** Pads a program's ledger with historical entries spread over its referrers' accounts (`prefix` + 0 … count − 1), up to `total` rows. */
async function padLedger(programId: string, total: number, accounts = { prefix: 'referrer-', count: REFERRERS }): Promise<void> {
  const missing = total - (await ledgerRows(programId));
  if (missing <= 0) return;
  await pool.query(
    `INSERT INTO "${schema}".ledger_entries (program_id, mode, id, account_id, bucket, amount, kind, source_type, source_id, actor_type, at)
     SELECT $1, 'mock', 'pad_' || $3 || '_' || g, $4 || (g % ${accounts.count}), 'paid', 100, 'accrual', 'purchase', 'pad', 'system', now() - interval '1 year'
     FROM generate_series(1, $2) g`,
    [programId, missing, total, accounts.prefix],
  );
  await analyze();
}

const DASH_REFERRERS = 10_000;

/** A program of 10,000 referrers, each with one referee who bought once: about 10,000 ledger rows. */
async function dashboardProgram(id: string): Promise<Onehop> {
  const onehop = createOnehop({
    store: createPostgresStore({ pool, schema }),
    program: { id, currency: 'USD', mode: 'mock', commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } } },
  });
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < DASH_REFERRERS; i = next++) {
        const { participant } = await onehop.enroll({ userId: `dash-referrer-${i}` });
        await onehop.attribute({ refereeId: `dash-referee-${i}`, code: participant.code });
        await onehop.recordPurchase({ eventId: `dash_pi_${i}`, refereeId: `dash-referee-${i}`, amount: 1000 + i, currency: 'USD', occurredAt: new Date() });
      }
    }),
  );
  await analyze();
  return onehop;
}

/**
 * A year of counter history, as the engine would have written it alongside a
 * million ledger rows: each referrer's earnings and reversals on 50 days, and
 * the program's shards on every day (and month) for every daily metric.
 */
async function padCounters(programId: string): Promise<void> {
  await pool.query(
    `INSERT INTO "${schema}".counters (program_id, mode, owner_id, name, period, value)
     SELECT $1, 'mock', 'dash-referrer-' || r, m, 'd:' || to_char(current_date - 400 + (r * 7 + d * 7) % 365, 'YYYY-MM-DD'), 100
     FROM generate_series(0, ${DASH_REFERRERS - 1}) r, generate_series(0, 49) d, unnest(ARRAY['stat.earned', 'stat.reversed']) m
     ON CONFLICT DO NOTHING`,
    [programId],
  );
  await pool.query(
    `INSERT INTO "${schema}".counters (program_id, mode, owner_id, name, period, value)
     SELECT $1, 'mock', '~program:' || s, 'stat.' || m, 'd:' || to_char(current_date - 365 + d, 'YYYY-MM-DD'), 100
     FROM generate_series(0, 7) s, generate_series(0, 364) d,
          unnest(ARRAY['clicks', 'signups', 'qualified', 'rejected', 'reversed', 'earned', 'approved', 'requested', 'paid', 'revenue']) m
     ON CONFLICT DO NOTHING`,
    [programId],
  );
  // The shards' month rows, as the engine keeps them beside the day rows.
  await pool.query(
    `INSERT INTO "${schema}".counters (program_id, mode, owner_id, name, period, value)
     SELECT program_id, mode, owner_id, name, 'm:' || substr(period, 3, 7), sum(value) FROM "${schema}".counters
     WHERE program_id = $1 AND owner_id LIKE '~program:%' AND period LIKE 'd:%' GROUP BY program_id, mode, owner_id, name, substr(period, 3, 7)
     ON CONFLICT (program_id, mode, owner_id, name, period) DO UPDATE SET value = EXCLUDED.value`,
    [programId],
  );
}

/** Section 7: prints its tables; a failed check sets the exit code. */
async function purchasesSection(): Promise<void> {
  const { lines, ok } = await measurePurchases({ url: url!, schema, seconds: SECONDS });
  console.log('');
  for (const line of lines) console.log(line);
  if (!ok) process.exitCode = 1;
}

if (process.env.BENCH_ONLY === 'purchases') {
  try {
    await migrate({ pool, schema });
    await purchasesSection();
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }
  process.exit();
}

try {
  await migrate({ pool, schema });
  const rows: string[][] = [];
  const results: Record<string, number> = {};

  // 1. Throughput beside pgbench. onehop first, then pgbench's own tables, so
  // neither measures the other's setup (autovacuum after a bulk load).
  const main = await program('bench-main');
  let event = 0;
  const purchase = (onehop: Onehop, referees: string[]) => () =>
    onehop.recordPurchase({
      eventId: `pi_${++event}`,
      refereeId: referees[event % referees.length]!,
      amount: 1000 + (event % 500),
      currency: 'USD',
      occurredAt: new Date(),
    });
  // Steady state: a running database has rows in every table and planner
  // statistics for them. Measured on tables that grew from empty within
  // seconds, before autovacuum analyses them, PostgreSQL may keep a generic
  // plan that picks a (program_id, mode, …) secondary index for a primary-key
  // lookup, in our statements and in its own foreign-key checks, which costs
  // a scan of the program per lookup. docs/benchmarks.md shows both figures.
  await measure(2, 2, purchase(main.onehop, main.referees)); // warm-up
  await analyze();
  const ours: Record<number, Awaited<ReturnType<typeof measure>>> = {};
  // CPU per operation at 8 clients, where both cores are busy: this process
  // (engine, store, pg driver) and the server, beside pgbench and the server.
  const cpu: { oursClient?: number; oursServer?: number; theirsClient?: number; theirsServer?: number } = {};
  for (const clients of [1, 8]) {
    console.error(`measuring recordPurchase with ${clients} client(s)…`);
    const sentBefore = statementsSent;
    const serverBefore = serverCpuMs();
    const clientBefore = process.cpuUsage();
    ours[clients] = await measure(clients, SECONDS, purchase(main.onehop, main.referees));
    const client = process.cpuUsage(clientBefore);
    const serverAfter = serverCpuMs();
    results.statementsPerPurchase = (statementsSent - sentBefore) / ours[clients]!.count;
    if (clients === 8 && serverBefore !== null && serverAfter !== null) {
      cpu.oursClient = (client.user + client.system) / 1000 / ours[clients]!.count;
      cpu.oursServer = (serverAfter - serverBefore) / ours[clients]!.count;
    }
  }
  console.error('pgbench: initialising (scale 10)…');
  pgbench(['-i', '-q', '-s', '10']);
  for (const clients of [1, 8]) {
    console.error(`measuring pgbench -N with ${clients} client(s)…`);
    const serverBefore = serverCpuMs();
    const childrenBefore = childrenCpuMs();
    const theirs = pgbenchTps(clients);
    const serverAfter = serverCpuMs();
    const childrenAfter = childrenCpuMs();
    if (clients === 8 && serverBefore !== null && serverAfter !== null && childrenBefore !== null && childrenAfter !== null) {
      cpu.theirsClient = (childrenAfter - childrenBefore) / (theirs * SECONDS);
      cpu.theirsServer = (serverAfter - serverBefore) / (theirs * SECONDS);
    }
    const o = ours[clients]!;
    results[`ratio${clients}`] = o.perSecond / theirs;
    rows.push([
      `recordPurchase, ${clients} client${clients > 1 ? 's' : ''}`,
      fmt(o.perSecond),
      ms(o.p50),
      ms(o.p99),
      fmt(theirs),
      `${(o.perSecond / theirs).toFixed(2)} ×`,
    ]);
  }
  pgbench(['-i', '-I', 'd']);

  // 2. A duplicate redelivery beside one round trip.
  const dup = { eventId: 'pi_1', refereeId: main.referees[1 % main.referees.length]!, amount: 1001, currency: 'USD', occurredAt: new Date() };
  await main.onehop.recordPurchase({ ...dup, eventId: 'dup_1' });
  const dupSent = { ...dup, eventId: 'dup_1' };
  const redelivery = await measure(1, Math.max(2, SECONDS / 2), () => main.onehop.recordPurchase(dupSent));
  const sentBefore = statementsSent;
  for (let i = 0; i < 100; i++) await main.onehop.recordPurchase(dupSent);
  const statementsPerRedelivery = (statementsSent - sentBefore) / 100;
  const client = await pool.connect();
  const roundTrip = await measure(1, Math.max(2, SECONDS / 2), () => client.query('SELECT 1'));
  const eventRead = await measure(1, Math.max(2, SECONDS / 2), () =>
    client.query(`SELECT * FROM "${schema}".source_events WHERE program_id = $1 AND mode = $2 AND kind = $3 AND event_id = $4`, [
      'bench-main',
      'mock',
      'purchase',
      'dup_1',
    ]),
  );
  client.release();

  // 3. Latency with 10,000 and with 1,000,000 existing ledger rows.
  const sized: Record<number, { accrual: number; balance: number }> = {};
  const history = await program('bench-history');
  for (const total of [10_000, 1_000_000]) {
    console.error(`padding the ledger to ${fmt(total)} rows…`);
    await padLedger('bench-history', total);
    const accrual = await measure(1, Math.max(2, SECONDS / 2), purchase(history.onehop, history.referees));
    const balance = await measure(1, Math.max(2, SECONDS / 2), (i) => history.onehop.getBalances(`referrer-${i % REFERRERS}`));
    sized[total] = { accrual: accrual.p50, balance: balance.p50 };
  }

  // 4. Dashboards with 10,000 referrers, at 10,000 and at 1,000,000 ledger rows.
  console.error('dashboards: enrolling 10,000 referrers, each with a referee who buys once…');
  const dash = await dashboardProgram('bench-dash');
  const dashboards: Record<number, { referrer: number; admin: number; rows: number }> = {};
  for (const total of [10_000, 1_000_000]) {
    if (total > 10_000) {
      console.error(`dashboards: padding the ledger to ${fmt(total)} rows and the counters with a year of history…`);
      await padLedger('bench-dash', total, { prefix: 'dash-referrer-', count: DASH_REFERRERS });
      await padCounters('bench-dash');
      await analyze();
    }
    const now = new Date();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const referrer = await measure(1, Math.max(2, SECONDS / 2), (i) => dash.referrerOverview({ userId: `dash-referrer-${(i * 7919) % DASH_REFERRERS}` }));
    const admin = await measure(1, Math.max(2, SECONDS / 2), () => dash.programOverview({ from: monthStart, to: now }));
    dashboards[total] = { referrer: referrer.p50, admin: admin.p50, rows: await ledgerRows('bench-dash') };
  }

  // 6. approveDue: one run alone, then several at once, each over a fresh program of due commissions.
  const approvals: ApproveDueFigures[] = [];
  for (const runs of [1, APPROVE_RUNS]) {
    console.error(`approveDue: ${runs} run(s) over ${fmt(APPROVE_DUE)} due commissions…`);
    approvals.push(await measureApproveDue(pool, schema, runs, APPROVE_DUE, serverCpuMs));
  }

  const server = (await pool.query('SHOW server_version')).rows[0].server_version;
  console.log(`onehop bench:pg: PostgreSQL ${server} at ${new URL(url).host}, node ${process.version}, ${SECONDS} s per measure`);
  console.log('');
  console.log('| measure | onehop per second | p50 | p99 | pgbench -N TPS | onehop / pgbench |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log('');
  console.log(`Statements sent per recordPurchase (BEGIN and COMMIT included): ${results.statementsPerPurchase!.toFixed(1)}`);
  console.log('');
  if (cpu.oursServer !== undefined && cpu.theirsServer !== undefined) {
    console.log('| CPU per operation, 8 clients | client process | server | total |');
    console.log('| --- | ---: | ---: | ---: |');
    console.log(`| recordPurchase (node: engine, store, pg driver) | ${ms(cpu.oursClient!)} | ${ms(cpu.oursServer)} | ${ms(cpu.oursClient! + cpu.oursServer)} |`);
    console.log(`| pgbench -N transaction | ${ms(cpu.theirsClient!)} | ${ms(cpu.theirsServer)} | ${ms(cpu.theirsClient! + cpu.theirsServer)} |`);
  } else {
    console.log('(CPU per operation is printed only when the server runs on this machine and /proc shows its processes.)');
  }
  console.log('');
  console.log('| cost of | p50 | p99 |');
  console.log('| --- | ---: | ---: |');
  console.log(`| duplicate redelivery (recordPurchase of a recorded event) | ${ms(redelivery.p50)} | ${ms(redelivery.p99)} |`);
  console.log(`| one round trip (SELECT 1 on a checked-out client) | ${ms(roundTrip.p50)} | ${ms(roundTrip.p99)} |`);
  console.log(`| one indexed read of the stored event, sent by hand | ${ms(eventRead.p50)} | ${ms(eventRead.p99)} |`);
  console.log('');
  console.log('| p50 latency with | 10,000 ledger rows | 1,000,000 ledger rows | ratio |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [name, key] of [
    ['accrual (recordPurchase)', 'accrual'],
    ['referrer balance (getBalances)', 'balance'],
  ] as const) {
    const small = sized[10_000]![key];
    const large = sized[1_000_000]![key];
    console.log(`| ${name} | ${ms(small)} | ${ms(large)} | ${(large / small).toFixed(2)} |`);
  }
  console.log('');
  console.log(
    `| p50 latency, ${fmt(DASH_REFERRERS)} referrers, with | ${fmt(dashboards[10_000]!.rows)} ledger rows | ${fmt(dashboards[1_000_000]!.rows)} ledger rows | ratio |`,
  );
  console.log('| --- | ---: | ---: | ---: |');
  for (const [name, key] of [
    ['referrer overview (referrerOverview)', 'referrer'],
    ['admin overview (programOverview, this month)', 'admin'],
  ] as const) {
    const small = dashboards[10_000]![key];
    const large = dashboards[1_000_000]![key];
    console.log(`| ${name} | ${ms(small)} | ${ms(large)} | ${(large / small).toFixed(2)} |`);
  }
  console.log('');
  const ratio8 = results.ratio8!;
  console.log(
    `goal: at least 0.8 × pgbench at 8 clients (${ratio8 >= 0.8 ? 'met' : 'NOT met'}: ${ratio8.toFixed(2)} ×); duplicate redelivery about one round trip (${statementsPerRedelivery} statement(s) sent, ${(redelivery.p50 / roundTrip.p50).toFixed(1)} × SELECT 1, ${(redelivery.p50 / eventRead.p50).toFixed(1)} × the hand-sent read)`,
  );

  // 5. Named prepared statements (the default) beside unnamed ones (preparedStatements: false, for
  // poolers in transaction mode), on the same program, measured in turns so drift hits each alike;
  // and, when PGBOUNCER_URL is set, unnamed statements through that pooler. Each variant has a pool
  // of its own whose connections carry an application_name of their own, so the server CPU counted
  // is that of the backends serving them (read from /proc), whatever else the server runs meanwhile.
  // PgBouncer's own CPU is in neither column.
  console.error('prepared vs unnamed statements: enrolling a program…');
  const turns = await program('bench-statements');
  /** CPU ms so far of each server backend serving connections named `application`, by pid. */
  async function backendCpuMs(application: string): Promise<Map<number, number>> {
    const { rows } = await pool.query('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [application]);
    const byPid = new Map<number, number>();
    for (const { pid } of rows as { pid: number }[]) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        byPid.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
      } catch {
        // Not on this machine, or the backend ended meanwhile.
      }
    }
    return byPid;
  }
  const variants: { name: string; application: string; pool: pg.Pool; onehop: Onehop }[] = [];
  const addVariant = (name: string, connectionString: string, preparedStatements: boolean) => {
    const application = `onehop-bench-statements-${variants.length + 1}`;
    const own = new pg.Pool({ connectionString, max: 8, idleTimeoutMillis: 0, application_name: application });
    const onehop = createOnehop({
      store: createPostgresStore({ pool: own, schema, preparedStatements }),
      clock: createManualClock('2026-03-01T12:00:00Z'),
      program: { id: 'bench-statements', currency: 'USD', mode: 'mock', commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } } },
    });
    variants.push({ name, application, pool: own, onehop });
  };
  addVariant('named prepared statements (default)', url, true);
  addVariant('unnamed statements (preparedStatements: false)', url, false);
  if (process.env.PGBOUNCER_URL) addVariant('unnamed statements through PgBouncer (transaction mode)', process.env.PGBOUNCER_URL, false);
  const turnsOf = new Map<string, { perSecond: number; clientMs: number; serverMs: number | null }[]>();
  try {
    for (const v of variants) await measure(8, 2, purchase(v.onehop, turns.referees)); // warm-up: every connection open
    await analyze();
    for (const clients of [1, 8]) {
      for (let turn = 0; turn < (clients === 8 ? 3 : 1); turn++) {
        for (const v of variants) {
          console.error(`measuring recordPurchase with ${clients} client(s), ${v.name}, turn ${turn + 1}…`);
          const serverBefore = await backendCpuMs(v.application);
          const clientBefore = process.cpuUsage();
          const m = await measure(clients, SECONDS, purchase(v.onehop, turns.referees));
          const used = process.cpuUsage(clientBefore);
          const serverAfter = await backendCpuMs(v.application);
          let server = 0;
          for (const [pid, after] of serverAfter) server += after - (serverBefore.get(pid) ?? 0);
          const key = `${clients}|${v.name}`;
          turnsOf.set(key, [
            ...(turnsOf.get(key) ?? []),
            { perSecond: m.perSecond, clientMs: (used.user + used.system) / 1000 / m.count, serverMs: serverAfter.size > 0 ? server / m.count : null },
          ]);
        }
      }
    }
  } finally {
    await Promise.all(variants.map((v) => v.pool.end()));
  }
  console.log('');
  console.log('| recordPurchase | clients | per second (each turn) | client CPU per purchase | server CPU per purchase (its backends) |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [key, runs] of turnsOf) {
    const [clients, name] = key.split('|');
    const mean = (pick: (r: (typeof runs)[number]) => number) => runs.reduce((sum, r) => sum + pick(r), 0) / runs.length;
    const server = runs.every((r) => r.serverMs !== null) ? ms(mean((r) => r.serverMs!)) : '—';
    console.log(`| ${name} | ${clients} | ${runs.map((r) => fmt(r.perSecond)).join(', ')} | ${ms(mean((r) => r.clientMs))} | ${server} |`);
  }
  console.log('');
  for (const line of approveDueTable(approvals)) console.log(line);

  // 7. Purchases against the same work by hand.
  await purchasesSection();
} finally {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
}
