/**
 * approveDue over many due commissions: one run alone, then several runs at
 * once over the same number of commissions (a fresh program each), the way
 * a scheduler on several workers calls it (`approveDue()` with its default
 * limit of 1,000, again until it approves nothing). Prints the wall time,
 * the latency of one call (p50, p99, max) and the CPU time of this process.
 *
 * Part of `pnpm bench:pg` (its last section). Alone, against DATABASE_URL:
 * `BENCH_APPROVE_DUE=100000 BENCH_APPROVE_RUNS=4 tsx bench/approve-due.ts`
 */

import { pathToFileURL } from 'node:url';
import { createManualClock, createOnehop, type Onehop } from '@onehop/core';
import { createPostgresStore, migrate } from '@onehop/postgres';
import pg from 'pg';
import { percentile } from './measure';

/** Due commissions per measured setup (`BENCH_APPROVE_DUE`, default 100,000). */
export const APPROVE_DUE = Number(process.env.BENCH_APPROVE_DUE ?? 100_000);
/** Concurrent runs beside the single one (`BENCH_APPROVE_RUNS`, default 4). */
export const APPROVE_RUNS = Number(process.env.BENCH_APPROVE_RUNS ?? 4);
const BENEFICIARIES = 200;

export interface ApproveDueFigures {
  runs: number;
  due: number;
  approved: number;
  calls: number;
  wallSeconds: number;
  p50: number;
  p99: number;
  max: number;
  clientCpuSeconds: number;
  serverCpuSeconds: number | null;
}

/**
 * A program whose `due` commissions are all past their holding period: the
 * referrers are enrolled through the engine, the commissions (with their
 * accrual entries and pending balances, as an accrual writes them) inserted
 * with SQL, which takes seconds instead of minutes of purchases.
 */
async function dueProgram(pool: pg.Pool, schema: string, id: string, due: number): Promise<Onehop> {
  const clock = createManualClock('2026-03-01T12:00:00Z');
  const onehop = createOnehop({
    store: createPostgresStore({ pool, schema }),
    clock,
    program: { id, currency: 'USD', mode: 'mock', commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } } },
  });
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < BENEFICIARIES; i = next++) await onehop.enroll({ userId: `due-referrer-${i}` });
    }),
  );
  const s = `"${schema}"`;
  await pool.query(
    `INSERT INTO ${s}.commissions (program_id, mode, id, kind, beneficiary_id, referrer_id, source_kind, source_event_id, amount, reversed_amount, status, calculation, available_at, created_at, updated_at)
     SELECT $1, 'mock', 'com_due_' || g, 'referral', 'due-referrer-' || (g % ${BENEFICIARIES}), 'due-referrer-' || (g % ${BENEFICIARIES}), 'purchase', 'pi_due_' || g,
            100 + g % 900, 0, 'pending', '{}'::jsonb, $3::timestamptz - interval '1 day' + g * interval '1 millisecond', $3::timestamptz - interval '31 days', $3::timestamptz - interval '31 days'
     FROM generate_series(1, $2) g`,
    [id, due, clock.now()],
  );
  await pool.query(
    `INSERT INTO ${s}.ledger_entries (program_id, mode, id, account_id, bucket, amount, kind, commission_id, source_type, source_id, actor_type, at)
     SELECT program_id, mode, 'led_' || id, beneficiary_id, 'pending', amount, 'accrual', id, 'purchase', source_event_id, 'system', created_at
     FROM ${s}.commissions WHERE program_id = $1`,
    [id],
  );
  await pool.query(
    `INSERT INTO ${s}.balances (program_id, mode, account_id, pending, on_hold, withdrawable, requested, paid, updated_at)
     SELECT program_id, mode, beneficiary_id, sum(amount), 0, 0, 0, 0, now() FROM ${s}.commissions WHERE program_id = $1 GROUP BY program_id, mode, beneficiary_id`,
    [id],
  );
  for (const table of ['commissions', 'ledger_entries', 'balances', 'participants']) await pool.query(`ANALYZE ${s}.${table}`);
  return onehop;
}

/** `runs` loops calling approveDue() until it approves nothing, over a fresh program of `due` due commissions. */
export async function measureApproveDue(
  pool: pg.Pool,
  schema: string,
  runs: number,
  due: number,
  serverCpuMs: () => number | null = () => null,
): Promise<ApproveDueFigures> {
  const id = `bench-due-${runs}-${Date.now().toString(36)}`;
  const onehop = await dueProgram(pool, schema, id, due);
  const latencies: number[] = [];
  let approved = 0;
  const serverBefore = serverCpuMs();
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: runs }, async () => {
      for (;;) {
        const t = performance.now();
        const result = await onehop.approveDue();
        latencies.push(performance.now() - t);
        approved += result.approved;
        if (result.approved === 0) return;
      }
    }),
  );
  const wallSeconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const serverAfter = serverCpuMs();
  // Exactly once: one approval entry per commission, and all of them approved.
  const { rows } = await pool.query(
    `SELECT (SELECT count(*) FROM "${schema}".ledger_entries WHERE program_id = $1 AND kind = 'approval' AND bucket = 'withdrawable')::int AS entries,
            (SELECT count(DISTINCT commission_id) FROM "${schema}".ledger_entries WHERE program_id = $1 AND kind = 'approval')::int AS commissions,
            (SELECT count(*) FROM "${schema}".commissions WHERE program_id = $1 AND status = 'pending')::int AS left`,
    [id],
  );
  const check = rows[0] as { entries: number; commissions: number; left: number };
  if (approved !== due || check.entries !== due || check.commissions !== due || check.left !== 0) {
    throw new Error(
      `approveDue bench: expected ${due} approvals exactly once, got ${approved} reported, ${check.entries} entries for ${check.commissions} commissions, ${check.left} left pending`,
    );
  }
  latencies.sort((a, b) => a - b);
  return {
    runs,
    due,
    approved,
    calls: latencies.length,
    wallSeconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1]!,
    clientCpuSeconds: (cpu.user + cpu.system) / 1e6,
    serverCpuSeconds: serverBefore === null || serverAfter === null ? null : (serverAfter - serverBefore) / 1000,
  };
}

/** The section's table, in Markdown. */
export function approveDueTable(figures: ApproveDueFigures[]): string[] {
  const lines = [
    `| approveDue over ${figures[0]!.due.toLocaleString('en-US')} due commissions | wall time | per second | calls | p50 per call | p99 per call | max per call | client CPU | server CPU |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const f of figures) {
    lines.push(
      `| ${f.runs} run${f.runs > 1 ? 's at once' : ' alone'} | ${f.wallSeconds.toFixed(1)} s | ${Math.round(f.due / f.wallSeconds).toLocaleString('en-US')} | ${f.calls} | ${f.p50.toFixed(0)} ms | ${f.p99.toFixed(0)} ms | ${f.max.toFixed(0)} ms | ${f.clientCpuSeconds.toFixed(1)} s | ${f.serverCpuSeconds === null ? 'n/a' : `${f.serverCpuSeconds.toFixed(1)} s`} |`,
    );
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('needs DATABASE_URL (e.g. postgres://onehop:onehop@127.0.0.1:5432/onehop_test).');
    process.exit(1);
  }
  const pool = new pg.Pool({ connectionString: url, max: 16 });
  const schema = `bench_due_${Date.now().toString(36)}`;
  try {
    await migrate({ pool, schema });
    const figures: ApproveDueFigures[] = [];
    for (const runs of [1, APPROVE_RUNS]) {
      console.error(`approveDue: ${runs} run(s) over ${APPROVE_DUE.toLocaleString('en-US')} due commissions…`);
      figures.push(await measureApproveDue(pool, schema, runs, APPROVE_DUE));
    }
    console.log(`PostgreSQL ${(await pool.query('SHOW server_version')).rows[0].server_version}, node ${process.version}`);
    for (const line of approveDueTable(figures)) console.log(line);
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }
}
