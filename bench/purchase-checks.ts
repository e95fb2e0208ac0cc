/**
 * The checks of the purchases section (bench/purchase-baselines.ts):
 *
 * - `tableFigures`: what a program's rows add up to, table by table, so that
 *   N purchases through `recordPurchase` and N purchases by hand can be
 *   compared: the rows each added to every table the engine writes, and the
 *   values its upserts and updates moved (balances, counters, referrals).
 * - `checkHotReferrer`: after many concurrent purchases for one referrer,
 *   every commission recomputed from the stored purchases in commit order
 *   (the tier each was paid at, its rate, rounding and the per-referrer cap),
 *   and the balance, ledger and counters against the sums of the rows.
 */
import type pg from 'pg';

/** The tables a purchase writes, in the order the report lists them. */
export const PURCHASE_TABLES = ['commissions', 'balances', 'ledger_entries', 'audit_trail', 'referrals', 'source_events', 'counters', 'outbox'] as const;
export type PurchaseTable = (typeof PURCHASE_TABLES)[number];

/**
 * Per table: `rows`, and sums of the values a purchase moves. Counters are
 * keyed `<owner> <name> <period>` with the program's shards counted as one
 * owner (`~program`; the shard is drawn at random per purchase) and the
 * referrers as one (`referrer`); their `rows` are those merged keys.
 */
export type TableFigures = Record<PurchaseTable, Record<string, number>>;

/** The figures of one program's rows (see `TableFigures`). */
export async function tableFigures(pool: pg.Pool, schema: string, programId: string): Promise<TableFigures> {
  const s = `"${schema}"`;
  const one = async (sql: string) => {
    const { rows } = await pool.query(sql, [programId]);
    return Object.fromEntries(Object.entries(rows[0] as Record<string, string>).map(([k, v]) => [k, Number(v)]));
  };
  const counters = await pool.query(
    `SELECT CASE WHEN owner_id LIKE '~program:%' THEN '~program' ELSE 'referrer' END || ' ' || name || ' ' || period AS key, sum(value)::text AS value
     FROM ${s}.counters WHERE program_id = $1 GROUP BY 1 ORDER BY 1`,
    [programId],
  );
  const counterFigures: Record<string, number> = { rows: counters.rows.length };
  for (const r of counters.rows as { key: string; value: string }[]) counterFigures[r.key] = Number(r.value);
  return {
    commissions: await one(`SELECT count(*) AS rows, coalesce(sum(amount), 0) AS amount FROM ${s}.commissions WHERE program_id = $1`),
    balances: await one(`SELECT count(*) AS rows, coalesce(sum(pending), 0) AS pending FROM ${s}.balances WHERE program_id = $1`),
    ledger_entries: await one(`SELECT count(*) AS rows, coalesce(sum(amount), 0) AS amount FROM ${s}.ledger_entries WHERE program_id = $1`),
    audit_trail: await one(`SELECT count(*) AS rows FROM ${s}.audit_trail WHERE program_id = $1`),
    referrals: await one(`SELECT count(*) AS rows, sum(purchase_count) AS purchase_count, sum(revenue) AS revenue FROM ${s}.referrals WHERE program_id = $1`),
    source_events: await one(`SELECT count(*) AS rows, coalesce(sum(amount), 0) AS amount FROM ${s}.source_events WHERE program_id = $1`),
    counters: counterFigures,
    outbox: await one(`SELECT count(*) AS rows FROM ${s}.outbox WHERE program_id = $1`),
  };
}

/** What changed between two figures of one table: value → after − before, for every value that moved (rows included). */
export function moved(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const delta = (after[key] ?? 0) - (before[key] ?? 0);
    if (delta !== 0) out[key] = delta;
  }
  return out;
}

export interface HotRule {
  tiers: { from: number; rateBps: number }[];
  cap: number;
}

/** The tier a referrer is in with `count`: the last one whose `from` it reached. */
function tierOf(tiers: HotRule['tiers'], count: number): number {
  let index = 0;
  for (let i = 0; i < tiers.length; i++) if (count >= tiers[i]!.from) index = i;
  return index;
}

/** `amount × rateBps / 10,000`, rounded half to even, written out again here so the check does not reuse the code it checks. */
function expectedLine(amount: number, rateBps: number): number {
  const whole = BigInt(amount) * BigInt(rateBps);
  const q = whole / 10_000n;
  const r = whole - q * 10_000n;
  return Number(r * 2n > 10_000n || (r * 2n === 10_000n && q % 2n === 1n) ? q + 1n : q);
}

/**
 * Recomputes a hot referrer's program from its rows. Commissions in `seq`
 * order are the purchases in the order they committed (each was inserted
 * while its transaction held the referrer): the tier counter each read must
 * be the revenue of the purchases before it, its rate the tier's, its amount
 * the rounded line capped by what the cap still allowed; purchases without a
 * commission must all come after the cap was reached. Then the balance, the
 * ledger, the tier, cap and statistics counters, the referrals' totals and the
 * tier changes in the audit trail against those sums. Returns the mismatches
 * (none when everything is exact).
 */
export async function checkHotReferrer(pool: pg.Pool, schema: string, programId: string, referrerId: string, rule: HotRule): Promise<string[]> {
  const s = `"${schema}"`;
  const q = async <T>(sql: string): Promise<T[]> => (await pool.query(sql, [programId, referrerId])).rows as T[];
  const problems: string[] = [];
  const commissions = await q<{ amount: string; calculation: Record<string, unknown>; source_event_id: string }>(
    `SELECT amount, calculation, source_event_id FROM ${s}.commissions WHERE program_id = $1 AND beneficiary_id = $2 ORDER BY seq`,
  );
  const events = await q<{ event_id: string; amount: string; result: { commissionIds?: string[]; skipped?: { reason: string }[] } }>(
    `SELECT event_id, amount, result FROM ${s}.source_events WHERE program_id = $1 AND referrer_id = $2 AND kind = 'purchase'`,
  );
  const amountOf = new Map(events.map((e) => [e.event_id, Number(e.amount)]));
  let revenue = 0;
  let earned = 0;
  let crossings = 0;
  commissions.forEach((c, i) => {
    const amount = Number(c.amount);
    const purchase = amountOf.get(c.source_event_id);
    const tier = c.calculation.tier as { index: number; countBefore: number } | undefined;
    const index = tierOf(rule.tiers, revenue);
    const uncapped = expectedLine(purchase ?? 0, rule.tiers[index]!.rateBps);
    const expected = Math.min(uncapped, rule.cap - earned);
    const say = (what: string) => problems.length < 10 && problems.push(`commission ${i + 1} (event ${c.source_event_id}): ${what}`);
    if (purchase === undefined) say('no purchase event');
    else if (tier?.countBefore !== revenue) say(`read a tier count of ${tier?.countBefore}, the purchases before it add up to ${revenue}`);
    else if (tier.index !== index || c.calculation.rateBps !== rule.tiers[index]!.rateBps)
      say(`paid in tier ${tier.index} at ${c.calculation.rateBps} bps, due: tier ${index}`);
    else if (amount !== expected) say(`amount ${amount}, due ${expected} (line ${uncapped}, cap left ${rule.cap - earned})`);
    if (tierOf(rule.tiers, revenue + (purchase ?? 0)) !== index) crossings++;
    revenue += purchase ?? 0;
    earned += amount;
  });
  const withoutCommission = events.filter((e) => (e.result.commissionIds ?? []).length === 0);
  if (withoutCommission.length > 0) {
    if (earned !== rule.cap) problems.push(`${withoutCommission.length} purchase(s) earned nothing while the cap was not reached (${earned} of ${rule.cap})`);
    const reasons = new Set(withoutCommission.flatMap((e) => (e.result.skipped ?? []).map((k) => k.reason)));
    if ([...reasons].some((r) => r !== 'CAP_REACHED')) problems.push(`purchases skipped for ${[...reasons].join(', ')}, expected CAP_REACHED only`);
  }
  if (events.length !== commissions.length + withoutCommission.length) problems.push(`${events.length} purchases, ${commissions.length} commissions`);
  const allRevenue = events.reduce((sum, e) => sum + Number(e.amount), 0);
  // The purchases after the cap are not ordered by any row, but each is far smaller than a tier's span: one tier change per tier crossed.
  crossings += tierOf(rule.tiers, allRevenue) - tierOf(rule.tiers, revenue);
  const [balance] = await q<{ pending: string }>(`SELECT pending FROM ${s}.balances WHERE program_id = $1 AND account_id = $2`);
  const [ledger] = await q<{ sum: string | null }>(`SELECT sum(amount) FROM ${s}.ledger_entries WHERE program_id = $1 AND account_id = $2 AND bucket = 'pending'`);
  const counters = new Map(
    (await q<{ name: string; value: string }>(`SELECT name, value FROM ${s}.counters WHERE program_id = $1 AND owner_id = $2 AND period = 'all'`)).map((c) => [
      c.name,
      Number(c.value),
    ]),
  );
  const [referrals] = await q<{ purchases: string; revenue: string }>(
    `SELECT sum(purchase_count) AS purchases, sum(revenue) AS revenue FROM ${s}.referrals WHERE program_id = $1 AND referrer_id = $2`,
  );
  const [tierLines] = await q<{ n: string }>(
    `SELECT count(*) AS n FROM ${s}.audit_trail WHERE program_id = $1 AND entity_type = 'tier' AND entity_id = $2 AND action = 'tier.changed'`,
  );
  const expect = (what: string, actual: number, due: number) => actual !== due && problems.push(`${what}: ${actual}, due ${due}`);
  expect('balance (pending)', Number(balance?.pending ?? 0), earned);
  expect('ledger entries (pending)', Number(ledger?.sum ?? 0), earned);
  expect('cap counter (commission, all time)', counters.get('commission') ?? 0, earned);
  expect('earned counter (stat.earned, all time)', counters.get('stat.earned') ?? 0, earned);
  expect('tier counter (revenue, all time)', counters.get('revenue') ?? 0, allRevenue);
  expect('revenue counter (stat.revenue, all time)', counters.get('stat.revenue') ?? 0, allRevenue);
  expect("referrals' revenue", Number(referrals?.revenue ?? 0), allRevenue);
  expect("referrals' purchase counts", Number(referrals?.purchases ?? 0), events.length);
  expect('tier changes in the audit trail', Number(tierLines?.n ?? 0), crossings);
  return problems;
}
