/**
 * A purchase's database work written by hand, from the store's own schema
 * (packages/postgres/migrations): the rows `recordPurchase` writes for a
 * purchase of a qualified referral under a lifetime percentage rule, with the
 * least a hand-written system would read. The baselines of
 * bench/purchase-baselines.ts send it from Node with the same `pg` driver and
 * as a `pgbench -f` script, the same SQL both ways.
 *
 * One transaction of six statements: BEGIN; the idempotency check (the
 * source event); the referral; the referrer's row lock (`FOR UPDATE`, as the
 * engine serialises a referrer's accruals); the writes as one statement of
 * data-modifying CTEs: the commission, the balance upsert, the ledger entry,
 * the audit line, the referral's purchase count and revenue, the source
 * event, the nine counter upserts (the referrer's earned and revenue, all
 * time and today; one of the program's eight shards: the pending bucket,
 * earned and revenue today and this month) and the outbox event; COMMIT.
 * The commission's amount is computed by the client (half-even), its row
 * ids are derived from the event id, and its JSON columns are built by the
 * server from the same values the engine writes into them.
 */
import type pg from 'pg';

/** The program's rate: 10 %, as the engine's lifetime percentage rule in the bench. */
export const RATE_BPS = 1000;
/** Days a commission stays pending (the engine's default holding period). */
const HOLDING_DAYS = 30;
/** Shards of the program's counters (`~program:0` … `~program:7`, one chosen at random per purchase, as the engine does). */
export const PROGRAM_SHARDS = 8;

/** One statement, rendered with its parameters in order. */
export interface RenderedStatement {
  text: string;
  params: string[];
}

/** The statements of a purchase by hand. */
export interface ByHandStatements {
  event: RenderedStatement;
  referral: RenderedStatement;
  lock: RenderedStatement;
  writes: RenderedStatement;
}

/** The values a purchase by hand sends, by parameter name. */
export type ByHandValues = Record<string, string | number>;

/**
 * The SQL, with `{name:type}` for each parameter: rendered as `CAST($n AS type)`
 * for node-postgres, and as `CAST(:name AS type)` for pgbench (which sends
 * `:name` as a parameter of its prepared statement with `-M prepared`).
 */
function templates(schema: string): Record<keyof ByHandStatements, string> {
  const s = `"${schema}"`;
  const program = '{program:text}';
  const commissionId = `'com_' || {event:text}`;
  const earned = '{commission:bigint}';
  const revenue = '{amount:bigint}';
  const shard = `'~program:' || {shard:int}`;
  return {
    event: `SELECT count(*)::int AS dup FROM ${s}.source_events WHERE program_id = ${program} AND mode = 'mock' AND kind = 'purchase' AND event_id = {event:text}`,
    referral: `SELECT id AS referral, referrer_id AS referrer FROM ${s}.referrals
      WHERE program_id = ${program} AND mode = 'mock' AND referee_id = {referee:text} AND status = 'qualified'`,
    lock: `SELECT 1 FROM ${s}.participants WHERE program_id = ${program} AND mode = 'mock' AND user_id = {referrer:text} AND status = 'active' FOR UPDATE`,
    writes: `WITH commission AS (
        INSERT INTO ${s}.commissions (program_id, mode, id, kind, beneficiary_id, referrer_id, referee_id, referral_id, source_kind, source_event_id,
          amount, reversed_amount, status, calculation, available_at, created_at, updated_at)
        VALUES (${program}, 'mock', ${commissionId}, 'referral', {referrer:text}, {referrer:text}, {referee:text}, {referral:text}, 'purchase', {event:text},
          ${earned}, 0, 'pending',
          jsonb_build_object('rule', 'percentage', 'source', 'base', 'rateBps', ${RATE_BPS}, 'baseAmount', ${revenue}, 'rounding', 'half_even', 'uncapped', ${earned}),
          {at:timestamptz} + interval '${HOLDING_DAYS} days', {at:timestamptz}, {at:timestamptz})
      ), balance AS (
        INSERT INTO ${s}.balances (program_id, mode, account_id, pending, on_hold, withdrawable, requested, paid, updated_at)
        VALUES (${program}, 'mock', {referrer:text}, ${earned}, 0, 0, 0, 0, {at:timestamptz})
        ON CONFLICT (program_id, mode, account_id) DO UPDATE SET pending = balances.pending + EXCLUDED.pending, updated_at = EXCLUDED.updated_at
      ), ledger AS (
        INSERT INTO ${s}.ledger_entries (program_id, mode, id, account_id, bucket, amount, kind, commission_id, source_type, source_id, actor_type, at)
        VALUES (${program}, 'mock', 'led_' || {event:text}, {referrer:text}, 'pending', ${earned}, 'accrual', ${commissionId}, 'purchase', {event:text}, 'system', {at:timestamptz})
      ), audit AS (
        INSERT INTO ${s}.audit_trail (program_id, mode, id, entity_type, entity_id, action, actor_type, after, source_event, data, at)
        VALUES (${program}, 'mock', 'aud_' || {event:text}, 'commission', ${commissionId}, 'commission.accrued', 'system', 'pending', {event:text},
          jsonb_build_object('kind', 'referral', 'beneficiaryId', {referrer:text}, 'amount', ${earned}, 'referralId', {referral:text}, 'refereeId', {referee:text}, 'currency', 'USD'),
          {at:timestamptz})
      ), referral AS (
        UPDATE ${s}.referrals SET purchase_count = purchase_count + 1, revenue = revenue + ${revenue}, updated_at = {at:timestamptz}
        WHERE program_id = ${program} AND mode = 'mock' AND id = {referral:text}
      ), event AS (
        INSERT INTO ${s}.source_events (program_id, mode, kind, event_id, payload_hash, referral_id, referrer_id, referee_id, amount, reversed_amount, result, occurred_at, recorded_at)
        VALUES (${program}, 'mock', 'purchase', {event:text},
          encode(sha256(convert_to(concat_ws('|', {event:text}, {referee:text}, ${revenue}, 'USD', {occurred:timestamptz}), 'UTF8')), 'hex'),
          {referral:text}, {referrer:text}, {referee:text}, ${revenue}, 0,
          jsonb_build_object('referralId', {referral:text}, 'qualified', false, 'commissionIds', jsonb_build_array(${commissionId}), 'skipped', '[]'::jsonb),
          {occurred:timestamptz}, {at:timestamptz})
      ), counter AS (
        INSERT INTO ${s}.counters (program_id, mode, owner_id, name, period, value)
        SELECT ${program}, 'mock', c.owner, c.name, c.period, c.value FROM (VALUES
          ({referrer:text}, 'stat.earned', 'all', ${earned}), ({referrer:text}, 'stat.earned', {day:text}, ${earned}),
          ({referrer:text}, 'stat.revenue', 'all', ${revenue}), ({referrer:text}, 'stat.revenue', {day:text}, ${revenue}),
          (${shard}, 'bucket.pending', 'all', ${earned}), (${shard}, 'stat.earned', {day:text}, ${earned}), (${shard}, 'stat.earned', {month:text}, ${earned}),
          (${shard}, 'stat.revenue', {day:text}, ${revenue}), (${shard}, 'stat.revenue', {month:text}, ${revenue})
        ) AS c (owner, name, period, value)
        ON CONFLICT (program_id, mode, owner_id, name, period) DO UPDATE SET value = counters.value + EXCLUDED.value
      )
      INSERT INTO ${s}.outbox (program_id, mode, id, type, subject_id, entity_type, entity_id, data, occurred_at, status, attempts, next_attempt_at)
      VALUES (${program}, 'mock', 'evt_' || {event:text}, 'commission.accrued', {referrer:text}, 'commission', ${commissionId},
        jsonb_build_object('kind', 'referral', 'beneficiaryId', {referrer:text}, 'amount', ${earned}, 'referralId', {referral:text}, 'refereeId', {referee:text},
          'currency', 'USD', 'actor', jsonb_build_object('type', 'system', 'id', null), 'before', null, 'after', 'pending', 'reason', null, 'sourceEvent', {event:text}),
        {at:timestamptz}, 'pending', 0, {at:timestamptz})`,
  };
}

function render(template: string, style: 'pg' | 'pgbench'): RenderedStatement {
  const params: string[] = [];
  const text = template
    .replace(/\{(\w+):(\w+)\}/g, (_, name: string, type: string) => {
      if (!params.includes(name)) params.push(name);
      return `CAST(${style === 'pg' ? `$${params.indexOf(name) + 1}` : `:${name}`} AS ${type})`;
    })
    .replace(/\s+/g, ' ')
    .trim();
  return { text, params };
}

/** The statements of a purchase by hand on `schema`, for node-postgres or for a pgbench script. */
export function byHandStatements(schema: string, style: 'pg' | 'pgbench'): ByHandStatements {
  const t = templates(schema);
  return { event: render(t.event, style), referral: render(t.referral, style), lock: render(t.lock, style), writes: render(t.writes, style) };
}

/** `amount × rateBps / 10,000`, rounded half to even, in integers (the engine's default rounding). */
export function halfEven(amount: number, rateBps: number): number {
  const product = amount * rateBps;
  const quotient = Math.floor(product / 10_000);
  const twice = (product - quotient * 10_000) * 2;
  return twice > 10_000 || (twice === 10_000 && quotient % 2 === 1) ? quotient + 1 : quotient;
}

/** Counter period keys of a day and its month (UTC, the program's time zone in the bench). */
export function periodKeys(at: Date): { day: string; month: string } {
  const iso = at.toISOString();
  return { day: `d:${iso.slice(0, 10)}`, month: `m:${iso.slice(0, 7)}` };
}

const prepared = (name: string, st: RenderedStatement, values: ByHandValues) => ({ name, text: st.text, values: st.params.map((p) => values[p]) });

/**
 * One purchase by hand from Node: six statements on one pooled client, named
 * prepared statements. `values` holds program, event, referee, amount, at,
 * occurred, day and month; the referral and referrer come from the read, the
 * commission and the shard are decided here. Returns whether it wrote.
 */
export async function purchaseByHand(pool: pg.Pool, st: ByHandStatements, values: ByHandValues): Promise<boolean> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const seen = await client.query(prepared('bench_hand_event', st.event, values));
    const referral = seen.rows[0].dup === 0 ? (await client.query(prepared('bench_hand_referral', st.referral, values))).rows[0] : undefined;
    if (referral) {
      const all: ByHandValues = { ...values, referral: referral.referral, referrer: referral.referrer };
      await client.query(prepared('bench_hand_lock', st.lock, all));
      all.commission = halfEven(Number(values.amount), RATE_BPS);
      all.shard = Math.floor(Math.random() * PROGRAM_SHARDS);
      await client.query(prepared('bench_hand_writes', st.writes, all));
    }
    await client.query('COMMIT');
    return referral !== undefined;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * The same purchase as a pgbench script: the same statements, the purchase
 * drawn at random (a referee among `:referees`, an amount of 1,000 to 1,499,
 * a shard, a 63-bit event id), the commission computed by pgbench. The
 * program, times and period keys come in with `-D`.
 */
export function pgbenchScript(st: ByHandStatements): string {
  const n = `(:amount * ${RATE_BPS})`;
  return [
    '\\set referee random(0, :referees - 1)',
    '\\set amount random(1000, 1499)',
    `\\set shard random(0, ${PROGRAM_SHARDS - 1})`,
    '\\set event random(1, 9000000000000000000)',
    `\\set commission ${n} / 10000 + case when (${n} % 10000) * 2 > 10000 or ((${n} % 10000) * 2 = 10000 and (${n} / 10000) % 2 = 1) then 1 else 0 end`,
    'BEGIN;',
    `${st.event.text} \\gset`,
    `${st.referral.text} \\gset`,
    `${st.lock.text};`,
    '\\if :dup = 0',
    `${st.writes.text};`,
    '\\endif',
    'COMMIT;',
    '',
  ].join('\n');
}
