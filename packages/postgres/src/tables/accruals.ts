import type { AccrualRepository, Scope, WriteSet } from '@onehop/core';
import { BUCKETS } from '@onehop/core';
import type { Row } from '../executor';
import { columnsOf, snake, type TableStatements } from '../table-statements';
import { int, json } from '../values';
import { toCommission } from './commissions';
import { toParticipant } from './participants';
import { toReferral } from './referrals';
import { toSourceEvent } from './source-events';

/**
 * A record as a JSON object keyed by column (`actor` split in two), for
 * `jsonb_populate_recordset`, without its program and mode: every row of a
 * write set belongs to the guard's scope, which the statement sends once
 * ($1, $2) instead of in every row. Dates go in as their ISO text, as
 * JSON.stringify would write them, but here: an object holding a Date takes
 * JSON.stringify off its fast path (about four times slower per row).
 */
function jsonRow(record: object, scope: Scope): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const key in record) {
    const value = (record as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (key === 'programId' || key === 'mode') {
      if (value !== scope[key]) throw new Error(`onehop: a write set row of ${String(value)} outside the guard's scope ${scope.programId}/${scope.mode}`);
    } else if (key === 'actor') {
      const actor = value as { type: string; id: string | null };
      row.actor_type = actor.type;
      row.actor_id = actor.id;
    } else row[snake(key)] = value instanceof Date ? value.toISOString() : value;
  }
  return row;
}

/** The tables a write set inserts into, in the order their statements are written. */
const INSERTED = [
  ['commissions', 'commissions'],
  ['ledger_entries', 'ledger'],
  ['source_events', 'events'],
  ['reviews', 'reviews'],
  ['fingerprints', 'fingerprints'],
  ['audit_trail', 'audit'],
  ['outbox', 'outbox'],
] as const satisfies readonly (readonly [string, keyof WriteSet])[];

/** The apply statement of each shape (schema, the tables it writes and their columns), built once. */
const applyStatements = new Map<string, string>();

/** The read statement of each schema, built once. */
const readStatements = new Map<string, string>();

/**
 * The `accruals` repository of one transaction.
 *
 * `read` is one statement: the referral of the referee, its referrer with
 * the row's `xmin` as its version (it changes whenever the row is written,
 * and a locking read writes it: see tables/participants.ts), the source
 * event with its lines, the counters, whether a review holds the referral,
 * the referrer's bonus events, and the refunds and chargebacks kept before
 * the purchase that wait for it (on `source_events_by_related`: in the
 * common case, one index probe that finds nothing). The event's lines are
 * looked up only when there is an event (a redelivery): a new purchase's
 * read never runs that subquery, whose plan, on tables whose statistics
 * are missing or stale, can walk every commission of the program instead of
 * the primary key. The whole answer comes
 * as one JSON value (`to_json`) in one column, which the driver describes
 * and parses in one step, rather than as some fifty columns (or ten) it
 * would describe and parse one by one.
 *
 * `apply` is one statement of data-modifying CTEs: a guard that rewrites the
 * referrer's row only if its xmin is still the one read (`UPDATE … WHERE …
 * AND xmin = $4 RETURNING 1`), then every insert, upsert and update, each
 * conditioned on the guard having returned its row. On a pool, when nothing
 * was written before it, it is sent alone, without BEGIN and COMMIT, and
 * commits by itself (a call that gives up waiting on it cancels it on the
 * server first: see send-alone.ts); in the application's transaction (or
 * PGlite's) it runs inside it. Rows are sent as one JSON array per table
 * (`jsonb_populate_recordset`), without the program and mode every row
 * shares (sent once), so the statement's text depends only on which tables
 * and columns it writes, and is built and prepared once per shape.
 */
export function accrualRepository(sql: TableStatements): AccrualRepository {
  const { t, read, last } = sql;
  const readText = () => `SELECT to_json(x) AS x FROM (SELECT to_json(r) AS r, to_json(p) AS p, p.xmin::text AS p_version, r.xmin::text AS r_version, to_json(e) AS e,
      CASE WHEN e.event_id IS NOT NULL THEN (SELECT json_agg(c) FROM ${t('commissions')} c WHERE c.program_id = $1 AND c.mode = $2 AND c.id = ANY (ARRAY(
        SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(e.result -> 'commissionIds') = 'array' THEN e.result -> 'commissionIds' END)))) END AS e_commissions,
      ARRAY(SELECT COALESCE(c.value, 0)::text FROM unnest($6::text[], $7::text[]) WITH ORDINALITY AS q (name, period, i)
        LEFT JOIN ${t('counters')} c ON c.program_id = $1 AND c.mode = $2 AND c.owner_id = r.referrer_id AND c.name = q.name AND c.period = q.period
        ORDER BY q.i) AS counters,
      EXISTS (SELECT 1 FROM ${t('reviews')} v
        WHERE v.program_id = $1 AND v.mode = $2 AND v.entity_type = 'referral' AND v.entity_id = r.id AND v.status = 'open') AS in_review,
      CASE WHEN $8::boolean THEN ARRAY(SELECT b.event_id FROM ${t('source_events')} b
        WHERE b.program_id = $1 AND b.mode = $2 AND b.kind = 'bonus' AND b.referrer_id = r.referrer_id ORDER BY b.event_id) END AS bonuses,
      (SELECT json_agg(w ORDER BY w.occurred_at, w.kind COLLATE "C", w.event_id COLLATE "C") FROM ${t('source_events')} w
        WHERE w.program_id = $1 AND w.mode = $2 AND $4 = 'purchase' AND w.related_event_id = $5 AND w.kind IN ('refund', 'chargeback')) AS waiting
    FROM (SELECT 1) AS one
      LEFT JOIN ${t('referrals')} r ON r.program_id = $1 AND r.mode = $2 AND r.referee_id = $3
      LEFT JOIN ${t('participants')} p ON p.program_id = $1 AND p.mode = $2 AND p.user_id = r.referrer_id
      LEFT JOIN ${t('source_events')} e ON e.program_id = $1 AND e.mode = $2 AND e.kind = $4 AND e.event_id = $5) AS x`;
  let readStatement = readStatements.get(t('participants'));
  if (readStatement === undefined) readStatements.set(t('participants'), (readStatement = readText()));

  return {
    read: async (s, query) => {
      const rows = await read(readStatement, [
        s.programId,
        s.mode,
        query.refereeId,
        query.event?.kind ?? null,
        query.event?.eventId ?? null,
        query.counters.map((c) => c.name),
        query.counters.map((c) => c.period),
        query.bonuses,
      ]);
      const row = json<Row>(rows[0]!.x);
      const event = row.e === null || row.e === undefined ? null : toSourceEvent(json<Row>(row.e));
      let commissions = event === null ? [] : ((json<Row[] | null>(row.e_commissions) ?? []) as Row[]).map(toCommission);
      if (event !== null) {
        const order = event.result.commissionIds as string[];
        commissions = commissions.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
      }
      const referral = row.r === null || row.r === undefined ? null : toReferral(json<Row>(row.r));
      const hasReferrer = row.p !== null && row.p !== undefined;
      return {
        event: event === null ? null : { event, commissions },
        referral,
        referrer: hasReferrer ? toParticipant(json<Row>(row.p)) : null,
        referrerVersion: hasReferrer ? int(row.p_version, 'version') : 0,
        referralVersion: referral === null ? 0 : int(row.r_version, 'version'),
        counters: (row.counters as unknown[]).map((v) => int(v, 'counter')),
        referralInReview: row.in_review === true,
        bonusEventIds: ((row.bonuses as unknown[] | null) ?? []).map(String),
        relatedReversals: (json<Row[] | null>(row.waiting) ?? []).map(toSourceEvent),
      };
    },
    apply: async (writes) => {
      const { scope, participantId, version, exclusive, referral } = writes.guard;
      const values: unknown[] = [scope.programId, scope.mode, participantId, String(version)];
      // The statement's parts, with the parameters each takes; its text depends only on them (the shape), so it is built once per shape.
      const steps: ApplyStep[] = [];
      let shape = `${t('participants')} ${exclusive ? 'exclusive' : 'shared'}`;
      if (referral !== null) {
        const patch = writes.referrals.find((r) => r.id === referral.id)?.patch ?? {};
        const [names, patchValues] = columnsOf(patch);
        steps.push({ kind: 'guarded referral', names, param: values.length + 1 });
        values.push(...patchValues, referral.id, String(referral.version));
        shape += ` guarded referral(${names.join(', ')})`;
      }
      for (const [table, field] of INSERTED) {
        const rows = writes[field] as object[];
        if (rows.length === 0) continue;
        const json = rows.map((row) => jsonRow(row, scope));
        const columns = Object.keys(json[0]!).join(', ');
        values.push(JSON.stringify(json));
        steps.push({ kind: 'insert', table, columns, param: values.length });
        shape += ` ${table}(${columns})`;
      }
      if (writes.balances.length > 0) {
        values.push(JSON.stringify(writes.balances.map((b) => ({ account_id: b.accountId, ...b.deltas, updated_at: b.at.toISOString() }))));
        steps.push({ kind: 'balances', param: values.length });
        shape += ' balances';
      }
      if (writes.counters.length > 0) {
        values.push(JSON.stringify(writes.counters.map((c) => ({ owner_id: c.ownerId, name: c.name, period: c.period, value: c.value }))));
        steps.push({ kind: 'counters', param: values.length });
        shape += ' counters';
      }
      for (const { id, patch } of writes.referrals) {
        if (id === referral?.id) continue;
        const [names, patchValues] = columnsOf(patch);
        if (names.length === 0) continue;
        steps.push({ kind: 'referral', names, param: values.length + 1 });
        values.push(...patchValues, id);
        shape += ` referrals(${names.join(', ')})`;
      }
      let text = applyStatements.get(shape);
      if (text === undefined) applyStatements.set(shape, (text = applyText(t, exclusive, referral !== null, steps)));
      const rows = await last(text, values);
      return Number(rows[0]!.applied) === 1;
    },
  };
}

/** One part of an apply statement: what it writes and the number of its first parameter. */
type ApplyStep =
  | { kind: 'guarded referral' | 'referral'; names: string[]; param: number }
  | { kind: 'insert'; table: string; columns: string; param: number }
  | { kind: 'balances' | 'counters'; param: number };

/**
 * The apply statement of one shape: a guard on the referrer (g), then, when
 * the guard names the referral, its guarded update (r), then every write,
 * each conditioned on the last guard having returned its row.
 */
function applyText(t: TableStatements['t'], exclusive: boolean, guardsReferral: boolean, steps: ApplyStep[]): string {
  const ok = guardsReferral ? 'r' : 'g';
  const guarded = `WHERE EXISTS (SELECT 1 FROM ${ok})`;
  const set = (names: string[], param: number) => names.map((name, i) => `${name} = $${param + i}`).join(', ');
  const part = (step: ApplyStep): string => {
    switch (step.kind) {
      case 'guarded referral': {
        const n = step.param + step.names.length;
        const assignments = step.names.length === 0 ? 'updated_at = updated_at' : set(step.names, step.param);
        return `UPDATE ${t('referrals')} SET ${assignments} WHERE program_id = $1 AND mode = $2 AND id = $${n} AND xmin = $${n + 1}::xid AND EXISTS (SELECT 1 FROM g) RETURNING 1`;
      }
      case 'insert': {
        const table = t(step.table as 'commissions');
        return `INSERT INTO ${table} (program_id, mode, ${step.columns}) SELECT $1, $2, ${step.columns} FROM jsonb_populate_recordset(NULL::${table}, $${step.param}) ${guarded}`;
      }
      case 'balances':
        return `INSERT INTO ${t('balances')} (program_id, mode, account_id, ${BUCKETS.join(', ')}, updated_at)
             SELECT $1, $2, x.account_id, ${BUCKETS.map((b) => `COALESCE(x.${b}, 0)`).join(', ')}, x.updated_at
             FROM jsonb_to_recordset($${step.param}) AS x (account_id text, ${BUCKETS.map((b) => `${b} bigint`).join(', ')}, updated_at timestamptz) ${guarded}
           ON CONFLICT (program_id, mode, account_id) DO UPDATE SET ${BUCKETS.map((b) => `${b} = balances.${b} + EXCLUDED.${b}`).join(', ')}, updated_at = EXCLUDED.updated_at`;
      case 'counters':
        return `INSERT INTO ${t('counters')} (program_id, mode, owner_id, name, period, value)
             SELECT $1, $2, x.owner_id, x.name, x.period, x.value FROM jsonb_to_recordset($${step.param}) AS x (owner_id text, name text, period text, value bigint) ${guarded}
           ON CONFLICT (program_id, mode, owner_id, name, period) DO UPDATE SET value = counters.value + EXCLUDED.value`;
      case 'referral':
        return `UPDATE ${t('referrals')} SET ${set(step.names, step.param)} WHERE program_id = $1 AND mode = $2 AND id = $${step.param + step.names.length} AND EXISTS (SELECT 1 FROM g)`;
    }
  };
  const parts = steps.map(part);
  // Exclusive: the guard rewrites the referrer's row, changing its xmin. Shared: it only checks it,
  // FOR SHARE, which waits for a transaction that holds the referrer locked and then sees its change.
  const g = exclusive
    ? `UPDATE ${t('participants')} SET updated_at = updated_at WHERE program_id = $1 AND mode = $2 AND user_id = $3 AND xmin = $4::xid RETURNING 1`
    : `SELECT 1 FROM ${t('participants')} WHERE program_id = $1 AND mode = $2 AND user_id = $3 AND xmin = $4::xid FOR SHARE`;
  const named = parts.map((p, i) => `, ${guardsReferral && i === 0 ? 'r' : `w${i}`} AS (${p})`).join('');
  return `WITH g AS (${g})${named} SELECT count(*) AS applied FROM ${ok}`;
}
