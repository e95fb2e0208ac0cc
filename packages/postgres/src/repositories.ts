import type { Bucket, CursorPage, HistoryPage, Scope, StoreTransaction } from '@onehop/core';
import { BUCKETS, OPEN_PAYOUT_STATUSES } from '@onehop/core';
import type { SqlClient } from './client';
import { translateError } from './errors';
import {
  COLUMNS,
  toAudit,
  toClick,
  toFingerprint,
  toInvitation,
  toOutbox,
  toBalance,
  toCode,
  toCounter,
  toCommission,
  toLedgerEntry,
  toParticipant,
  toPayout,
  toReview,
  toPayoutMethod,
  toReferral,
  toSourceEvent,
} from './rows';
import type { SerialQueue } from './serial-queue';
import { int } from './values';

type Row = Record<string, unknown>;
type Table = keyof typeof COLUMNS;

/** `programId` → `program_id`, remembered: it runs for every field of every row written. */
const snakeNames = new Map<string, string>();
function snake(key: string): string {
  let name = snakeNames.get(key);
  if (name === undefined) snakeNames.set(key, (name = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)));
  return name;
}

/** A record's fields as column → value, with `actor` split into its two columns. */
function columnsOf(record: object): [string[], unknown[]] {
  const names: string[] = [];
  const values: unknown[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined) continue;
    if (key === 'actor') {
      const a = value as { type: string; id: string | null };
      names.push('actor_type', 'actor_id');
      values.push(a.type, a.id);
    } else {
      names.push(snake(key));
      values.push(value);
    }
  }
  return [names, values];
}

/** Columns a patch may name, per table. */
const ALLOWED = new Map<Table, Set<string>>((Object.keys(COLUMNS) as Table[]).map((table) => [table, new Set(COLUMNS[table].split(', '))]));

/** `a, b` → `x.a AS pa, x.b AS pb`: columns of a joined table, renamed so they do not collide. */
const prefixed = (table: string, prefix: string, columns: string) =>
  columns
    .split(', ')
    .map((c) => `${table}${c}${prefix ? ` AS ${prefix}${c}` : ''}`)
    .join(', ');

/** The columns of a row that start with `prefix`, without it. */
function unprefixed(row: Row, prefix: string): Row {
  const out: Row = {};
  for (const name in row) if (name.startsWith(prefix)) out[name.slice(prefix.length)] = row[name];
  return out;
}

/** `$from, …, $(from + count - 1)`, remembered per (from, count). */
const placeholderLists: string[][] = [];
function placeholders(from: number, count: number): string {
  const byCount = (placeholderLists[from] ??= []);
  return (byCount[count] ??= Array.from({ length: count }, (_, i) => `$${from + i}`).join(', '));
}

/**
 * Runs one statement of a transaction. `write` is true for statements that
 * write or lock: a connection may start its transaction lazily, just before
 * the first of them (see PoolTransaction).
 */
export interface Executor {
  query(text: string, values: unknown[], write: boolean): Promise<Row[]>;
}

/** An executor straight on a client whose transaction is already open (a savepoint, PGlite), sending one statement at a time through `statements`. */
export function clientExecutor(client: SqlClient, statements: SerialQueue): Executor {
  return { query: (text, values) => statements.run(async () => (await client.query(text, values)).rows as Row[]) };
}

/** The most parameters one combined write may carry (PostgreSQL's limit is 65,535). */
const MAX_COMBINED_PARAMETERS = 30_000;

/** A write held back until the transaction next reads or commits. */
interface HeldWrite {
  table: string;
  text: string;
  values: unknown[];
}

/** The repositories of one transaction, and the call that sends the writes it holds back. */
export interface TransactionRepositories {
  repositories: StoreTransaction;
  /** Sends the held writes (see `repositories`); the store calls it before COMMIT. */
  flush(): Promise<void>;
}

/**
 * The repositories of one transaction. No business rule lives here. Table
 * names are qualified with the store's schema, which was checked to be a
 * plain identifier.
 *
 * Writes whose result the engine does not need (inserts, updates, the
 * balance and counter upserts) are held back and sent together, as one
 * statement of data-modifying CTEs, just before the transaction's next read
 * or its COMMIT: an accrual's seven writes cost one round trip instead of
 * seven. Every statement still sees the transaction's earlier writes, and
 * an error (a unique violation, a foreign key) surfaces before COMMIT, so
 * the call fails and writes nothing, as before. The sub-statements of one
 * statement all see the same snapshot and run in an order PostgreSQL does
 * not promise, so one statement holds at most one write per table: a second
 * write to a table sends the held ones first. That keeps each table's rows
 * in the order they were written (listings page by insertion order) and
 * never lets two parts of one statement touch the same row. Foreign keys
 * are checked at the end of the combined statement, when every row it
 * inserts is there.
 */
export function repositories(executor: Executor, schema: string): TransactionRepositories {
  const t = (table: Table | 'counters') => `"${schema}".${table}`;
  /** Rows of `table` after (or, newest first, before) the row with id `cursor`, in `seq` order. */
  const after = (table: Table, cursorParam: number, newestFirst: boolean) =>
    `seq ${newestFirst ? '<' : '>'} (SELECT seq FROM ${t(table)} WHERE program_id = $1 AND mode = $2 AND id = $${cursorParam})`;

  /** A table's rows with one status, in seq order, after the cursor's row. */
  const byStatus =
    <R>(table: Table, map: (row: Row) => R) =>
    async (s: Scope, status: string, page: CursorPage): Promise<R[]> =>
      page.cursor === undefined
        ? (await read(select(table, 'status = $3', ' ORDER BY seq LIMIT $4'), [s.programId, s.mode, status, page.limit])).map(map)
        : (await read(select(table, `status = $3 AND ${after(table, 4, false)}`, ' ORDER BY seq LIMIT $5'), [s.programId, s.mode, status, page.cursor, page.limit])).map(map);

  let held: HeldWrite[] = [];
  let heldParameters = 0;

  async function send(text: string, values: unknown[], write: boolean): Promise<Row[]> {
    try {
      return await executor.query(text, values, write);
    } catch (error) {
      throw translateError(error);
    }
  }

  /** Sends the held writes: one as it is, several as one statement (`WITH w0 AS (…), w1 AS (…) <last>`). */
  async function flush(): Promise<void> {
    if (held.length === 0) return;
    const writes = held;
    held = [];
    heldParameters = 0;
    if (writes.length === 1) {
      await send(writes[0]!.text, writes[0]!.values, true);
      return;
    }
    const values: unknown[] = [];
    const parts = writes.map((w) => {
      const offset = values.length;
      for (const v of w.values) values.push(v);
      return offset === 0 ? w.text : w.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
    });
    const last = parts.pop()!;
    await send(`WITH ${parts.map((p, i) => `w${i} AS (${p})`).join(', ')} ${last}`, values, true);
  }

  /** Holds a write back (see above), sending the held ones first when one of them writes the same table or the statement would grow too large. */
  async function hold(table: string, text: string, values: unknown[]): Promise<void> {
    if (heldParameters + values.length > MAX_COMBINED_PARAMETERS || held.some((w) => w.table === table)) await flush();
    held.push({ table, text, values });
    heldParameters += values.length;
  }

  /** Any statement that returns something: the held writes go first, so it sees them. */
  async function run(text: string, values: unknown[], write: boolean): Promise<Row[]> {
    if (held.length > 0) await flush();
    return send(text, values, write);
  }
  const query = (text: string, values: unknown[]) => run(text, values, true);
  const read = (text: string, values: unknown[]) => run(text, values, false);

  async function one<T>(text: string, values: unknown[], map: (r: Row) => T, write = false): Promise<T | null> {
    const rows = await run(text, values, write);
    return rows.length === 0 ? null : map(rows[0]!);
  }

  async function insert(table: Table, record: object): Promise<void> {
    const [names, values] = columnsOf(record);
    await hold(table, `INSERT INTO ${t(table)} (${names.join(', ')}) VALUES (${placeholders(1, values.length)})`, values);
  }

  /** Rows with the same fields, in one multi-row INSERT (a transaction's ledger entries, its events). */
  async function insertRows(table: Table, rows: object[]): Promise<void> {
    if (rows.length === 0) return;
    const names = columnsOf(rows[0]!)[0];
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (const row of rows) {
      const [rowNames, rowValues] = columnsOf(row);
      if (rowNames.join() !== names.join()) throw new Error(`onehop: ${table} rows of one insert must have the same fields`);
      tuples.push(`(${placeholders(values.length + 1, rowValues.length)})`);
      values.push(...rowValues);
    }
    await hold(table, `INSERT INTO ${t(table)} (${names.join(', ')}) VALUES ${tuples.join(', ')}`, values);
  }

  /** UPDATE … SET the patch's fields WHERE program, mode and the key columns match, as text and values; null for an empty patch. */
  function updateStatement(table: Table, s: Scope, key: Record<string, string>, patch: object): [string, unknown[]] | null {
    const [names, values] = columnsOf(patch);
    if (names.length === 0) return null;
    const columns = ALLOWED.get(table)!;
    for (const name of names) if (!columns.has(name)) throw new Error(`onehop: ${table} has no column ${name}`);
    const keys = Object.keys(key);
    const set = names.map((name, i) => `${name} = $${i + 1}`).join(', ');
    const where = ['program_id', 'mode', ...keys].map((name, i) => `${name} = $${names.length + i + 1}`).join(' AND ');
    return [`UPDATE ${t(table)} SET ${set} WHERE ${where}`, [...values, s.programId, s.mode, ...keys.map((k) => key[k])]];
  }
  /** Updates now and returns how many rows changed. */
  async function updateRows(table: Table, s: Scope, key: Record<string, string>, patch: object): Promise<number> {
    const statement = updateStatement(table, s, key, patch);
    return statement === null ? 0 : (await query(`${statement[0]} RETURNING 1`, statement[1])).length;
  }
  /** Updates with the transaction's next statement (held back). */
  async function update(table: Table, s: Scope, key: Record<string, string>, patch: object): Promise<void> {
    const statement = updateStatement(table, s, key, patch);
    if (statement !== null) await hold(table, statement[0], statement[1]);
  }

  /**
   * One page of an account's history (see HistoryPage): `where` with `$1..$n`
   * over `values`, plus equality `filters`, the page's dates on `timeColumn`,
   * and the cursor, in `seq` order.
   */
  function history(table: Table, timeColumn: string, values: unknown[], where: string, page: HistoryPage, filters: [string, unknown][] = []): Promise<Row[]> {
    const params = [...values];
    let clause = where;
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    for (const [column, value] of filters) clause += ` AND ${column} = ${bind(value)}`;
    if (page.from !== undefined) clause += ` AND ${timeColumn} >= ${bind(page.from)}`;
    if (page.to !== undefined) clause += ` AND ${timeColumn} < ${bind(page.to)}`;
    if (page.cursor !== undefined) {
      bind(page.cursor);
      clause += ` AND ${after(table, params.length, page.newestFirst === true)}`;
    }
    return read(select(table, clause, ` ORDER BY seq${page.newestFirst ? ' DESC' : ''} LIMIT ${bind(page.limit)}`), params);
  }

  const select = (table: Table, where: string, suffix = '') => `SELECT ${COLUMNS[table]} FROM ${t(table)} WHERE program_id = $1 AND mode = $2 AND ${where}${suffix}`;
  const lock = (options?: { forUpdate?: boolean }) => (options?.forUpdate ? ' FOR UPDATE' : '');

  // One row per line named in result.commissionIds, or one row without a line. The
  // ids go in as an array (= ANY) so the planner walks the primary key; a join
  // on a set-returning function is costed at 100 rows and scans the table.
  const eventWithCommissions = `SELECT ${prefixed('e.', '', COLUMNS.source_events)}, ${prefixed('c.', 'c_', COLUMNS.commissions)}
    FROM ${t('source_events')} e
    LEFT JOIN ${t('commissions')} c ON c.program_id = $1 AND c.mode = $2 AND c.id = ANY (ARRAY(
      SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(e.result -> 'commissionIds') = 'array' THEN e.result -> 'commissionIds' END)))
    WHERE e.program_id = $1 AND e.mode = $2 AND e.kind = $3 AND e.event_id = $4`;

  // A claim (see OutboxRepository.claim): the heads, oldest first, locked so
  // that a concurrent claim skips them; then each head's run of due, unleased
  // events up to the subject's first event that is not (the head alone when it
  // failed before); all leased at once.
  const due = (x: string) => `${x}.next_attempt_at <= $3 AND (${x}.lease_until IS NULL OR ${x}.lease_until <= $3)`;
  const outboxClaim = `WITH heads AS (
      SELECT o.subject_id, o.seq, o.attempts FROM ${t('outbox')} o
      WHERE o.program_id = $1 AND o.mode = $2 AND o.status = 'pending' AND ${due('o')}
        AND NOT EXISTS (SELECT 1 FROM ${t('outbox')} p
          WHERE p.program_id = $1 AND p.mode = $2 AND p.status = 'pending' AND p.subject_id = o.subject_id AND p.seq < o.seq)
      ORDER BY o.seq LIMIT $4
      FOR UPDATE OF o SKIP LOCKED
    ), picked AS (
      SELECT f.id FROM heads h CROSS JOIN LATERAL (
        SELECT f.id FROM ${t('outbox')} f
        WHERE f.program_id = $1 AND f.mode = $2 AND f.status = 'pending' AND f.subject_id = h.subject_id AND f.seq >= h.seq
          AND f.seq < COALESCE((SELECT min(b.seq) FROM ${t('outbox')} b
            WHERE b.program_id = $1 AND b.mode = $2 AND b.status = 'pending' AND b.subject_id = h.subject_id AND b.seq > h.seq AND NOT (${due('b')})), 9223372036854775807)
        ORDER BY f.seq LIMIT CASE WHEN h.attempts > 0 THEN 1 ELSE $5 END) f
    )
    UPDATE ${t('outbox')} e SET lease_token = $6, lease_until = $7
    FROM picked WHERE e.program_id = $1 AND e.mode = $2 AND e.id = picked.id
    RETURNING ${prefixed('e.', '', COLUMNS.outbox)}, e.seq`;

  const bucketColumns = BUCKETS.join(', ');
  // The same predicate as the payout_open unique index, so the index answers it.
  const openStatuses = OPEN_PAYOUT_STATUSES.map((status) => `'${status}'`).join(', ');

  const repositories: StoreTransaction = {
    participants: {
      insert: (row) => insert('participants', row),
      get: (s, userId, options) => one(select('participants', 'user_id = $3', lock(options)), [s.programId, s.mode, userId], toParticipant, options?.forUpdate === true),
      update: (s, userId, patch) => update('participants', s, { user_id: userId }, patch),
    },
    codes: {
      insert: (row) => insert('codes', row),
      get: (s, code) => one(select('codes', 'code = $3'), [s.programId, s.mode, code], toCode),
      listByUser: async (s, userId) => (await read(select('codes', 'user_id = $3', ' ORDER BY seq'), [s.programId, s.mode, userId])).map(toCode),
      update: (s, code, patch) => update('codes', s, { code }, patch),
    },
    referrals: {
      insert: (row) => insert('referrals', row),
      get: (s, id) => one(select('referrals', 'id = $3'), [s.programId, s.mode, id], toReferral),
      getByReferee: (s, refereeId) => one(select('referrals', 'referee_id = $3'), [s.programId, s.mode, refereeId], toReferral),
      listByReferrer: async (s, referrerId, page) =>
        (await read(select('referrals', 'referrer_id = $3', ' ORDER BY seq LIMIT $4'), [s.programId, s.mode, referrerId, page.limit])).map(toReferral),
      listByStatus: byStatus('referrals', toReferral),
      countByReferrerSince: async (s, referrerId, since) => {
        const rows = await read(
          `SELECT count(*) AS n FROM ${t('referrals')} WHERE program_id = $1 AND mode = $2 AND referrer_id = $3 AND attributed_at >= $4`,
          [s.programId, s.mode, referrerId, since],
        );
        return int(rows[0]!.n, 'count');
      },
      update: (s, id, patch) => update('referrals', s, { id }, patch),
    },
    audit: {
      append: (row) => insert('audit_trail', row),
      listByEntity: async (s, entityType, entityId) =>
        (await read(select('audit_trail', 'entity_type = $3 AND entity_id = $4', ' ORDER BY seq'), [s.programId, s.mode, entityType, entityId])).map(toAudit),
      listRecent: async (s, page) =>
        page.cursor === undefined
          ? (await read(select('audit_trail', 'true', ' ORDER BY seq DESC LIMIT $3'), [s.programId, s.mode, page.limit])).map(toAudit)
          : (await read(select('audit_trail', after('audit_trail', 3, true), ' ORDER BY seq DESC LIMIT $4'), [s.programId, s.mode, page.cursor, page.limit])).map(toAudit),
    },
    fingerprints: {
      insert: (row) => insert('fingerprints', row),
      count: async (s, q) => {
        const values: unknown[] = [s.programId, s.mode, q.kind, q.hash];
        let where = 'program_id = $1 AND mode = $2 AND kind = $3 AND hash = $4';
        for (const [column, value] of [
          ['role', q.role],
          ['user_id', q.userId],
          ['referrer_id', q.referrerId],
        ] as const) {
          if (value === undefined) continue;
          values.push(value);
          where += ` AND ${column} = $${values.length}`;
        }
        if (q.since !== undefined) {
          values.push(q.since);
          where += ` AND at >= $${values.length}`;
        }
        const rows = await read(`SELECT count(*) AS n FROM ${t('fingerprints')} WHERE ${where}`, values);
        return int(rows[0]!.n, 'count');
      },
      listByUser: async (s, userId) => (await read(select('fingerprints', 'user_id = $3', ' ORDER BY seq'), [s.programId, s.mode, userId])).map(toFingerprint),
      eraseUser: async (s, userId) =>
        (await query(`DELETE FROM ${t('fingerprints')} WHERE program_id = $1 AND mode = $2 AND user_id = $3 RETURNING id`, [s.programId, s.mode, userId])).length,
    },
    clicks: {
      insert: (row) => insert('clicks', row),
      countByIpSince: async (s, ipHash, since) => {
        const rows = await read(`SELECT count(*) AS n FROM ${t('clicks')} WHERE program_id = $1 AND mode = $2 AND ip_hash = $3 AND at >= $4`, [s.programId, s.mode, ipHash, since]);
        return int(rows[0]!.n, 'count');
      },
      listByReferrer: async (s, referrerId, page) =>
        page.cursor === undefined
          ? (await read(select('clicks', 'referrer_id = $3', ' ORDER BY seq LIMIT $4'), [s.programId, s.mode, referrerId, page.limit])).map(toClick)
          : (await read(select('clicks', `referrer_id = $3 AND ${after('clicks', 4, false)}`, ' ORDER BY seq LIMIT $5'), [s.programId, s.mode, referrerId, page.cursor, page.limit])).map(
              toClick,
            ),
      eraseByIpHashes: async (s, ipHashes) =>
        ipHashes.length === 0
          ? 0
          : (
              await query(
                `UPDATE ${t('clicks')} SET ip_hash = NULL, landing_url = NULL
                  WHERE program_id = $1 AND mode = $2 AND ip_hash = ANY ($3::text[]) RETURNING 1`,
                [s.programId, s.mode, ipHashes],
              )
            ).length,
    },
    reviews: {
      // jsonb: an array would otherwise be sent as a PostgreSQL array.
      insert: (row) => insert('reviews', { ...row, findings: JSON.stringify(row.findings) }),
      get: (s, id, options) => one(select('reviews', 'id = $3', lock(options)), [s.programId, s.mode, id], toReview, options?.forUpdate === true),
      getOpen: (s, entityType, entityId) =>
        one(select('reviews', "entity_type = $3 AND entity_id = $4 AND status = 'open'"), [s.programId, s.mode, entityType, entityId], toReview),
      list: async (s, status, page) =>
        page.cursor === undefined
          ? (await read(select('reviews', 'status = $3', ' ORDER BY seq LIMIT $4'), [s.programId, s.mode, status, page.limit])).map(toReview)
          : (await read(select('reviews', `status = $3 AND ${after('reviews', 4, false)}`, ' ORDER BY seq LIMIT $5'), [s.programId, s.mode, status, page.cursor, page.limit])).map(
              toReview,
            ),
      update: (s, id, patch) => update('reviews', s, { id }, patch),
    },
    events: {
      insert: (row) => insert('source_events', row),
      get: (s, kind, eventId) => one(select('source_events', 'kind = $3 AND event_id = $4'), [s.programId, s.mode, kind, eventId], toSourceEvent),
      getWithCommissions: async (s, kind, eventId) => {
        const rows = await read(eventWithCommissions, [s.programId, s.mode, kind, eventId]);
        if (rows.length === 0) return null;
        const event = toSourceEvent(rows[0]!);
        const order = event.result.commissionIds as string[];
        const commissions = rows.filter((r) => r.c_id !== null).map((r) => toCommission(unprefixed(r, 'c_')));
        commissions.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
        return { event, commissions };
      },
      update: (s, kind, eventId, patch) => update('source_events', s, { kind, event_id: eventId }, patch),
    },
    commissions: {
      insert: (row) => insert('commissions', row),
      get: (s, id, options) => one(select('commissions', 'id = $3', lock(options)), [s.programId, s.mode, id], toCommission, options?.forUpdate === true),
      listBySource: async (s, sourceEventId) =>
        (await read(select('commissions', 'source_event_id = $3', ' ORDER BY seq'), [s.programId, s.mode, sourceEventId])).map(toCommission),
      listByBeneficiary: async (s, beneficiaryId, page) =>
        (await history('commissions', 'created_at', [s.programId, s.mode, beneficiaryId], 'beneficiary_id = $3', page, page.status === undefined ? [] : [['status', page.status]])).map(
          toCommission,
        ),
      listUnallocated: async (s, beneficiaryId) =>
        (
          await read(select('commissions', "beneficiary_id = $3 AND status = 'approved' AND payout_id IS NULL", ' ORDER BY created_at, seq'), [
            s.programId,
            s.mode,
            beneficiaryId,
          ])
        ).map(toCommission),
      listByReferral: async (s, referralId) =>
        (await read(select('commissions', 'referral_id = $3', ' ORDER BY seq'), [s.programId, s.mode, referralId])).map(toCommission),
      listByPayout: async (s, payoutId) =>
        (await read(select('commissions', 'payout_id = $3', ' ORDER BY seq'), [s.programId, s.mode, payoutId])).map(toCommission),
      // Walks the commissions_due index (migration 0009) in its order: no sort, and the locked rows are skipped as they come.
      claimDue: async (s, now, page) =>
        (
          await query(select('commissions', "status = 'pending' AND available_at <= $3", ' ORDER BY available_at, seq LIMIT $4 FOR UPDATE SKIP LOCKED'), [
            s.programId,
            s.mode,
            now,
            page.limit,
          ])
        ).map(toCommission),
      update: (s, id, patch) => update('commissions', s, { id }, patch),
    },
    ledger: {
      append: (rows) => insertRows('ledger_entries', rows),
      listByAccount: async (s, accountId, page) => (await history('ledger_entries', 'at', [s.programId, s.mode, accountId], 'account_id = $3', page)).map(toLedgerEntry),
      sumSince: async (s, accountId, since) => {
        const rows = await read(
          `SELECT bucket, sum(amount) AS amount FROM ${t('ledger_entries')} WHERE program_id = $1 AND mode = $2 AND account_id = $3 AND at >= $4 GROUP BY bucket`,
          [s.programId, s.mode, accountId, since],
        );
        return Object.fromEntries(rows.map((r) => [String(r.bucket), int(r.amount, 'amount')]));
      },
    },
    balances: {
      get: (s, accountId, options) => one(select('balances', 'account_id = $3', lock(options)), [s.programId, s.mode, accountId], toBalance, options?.forUpdate === true),
      add: async (s, accountId, deltas, at) => {
        const d = BUCKETS.map((b: Bucket) => deltas[b] ?? 0);
        await hold(
          'balances',
          `INSERT INTO ${t('balances')} (program_id, mode, account_id, ${bucketColumns}, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (program_id, mode, account_id) DO UPDATE SET ${BUCKETS.map((b) => `${b} = balances.${b} + EXCLUDED.${b}`).join(', ')}, updated_at = EXCLUDED.updated_at`,
          [s.programId, s.mode, accountId, ...d, at],
        );
      },
    },
    counters: {
      get: async (s, ownerId, name, period) => {
        const rows = await read(`SELECT value FROM ${t('counters')} WHERE program_id = $1 AND mode = $2 AND owner_id = $3 AND name = $4 AND period = $5`, [
          s.programId,
          s.mode,
          ownerId,
          name,
          period,
        ]);
        return rows.length === 0 ? 0 : int(rows[0]!.value, 'counter');
      },
      add: async (s, ownerId, name, period, delta) => {
        const rows = await query(
          `INSERT INTO ${t('counters')} (program_id, mode, owner_id, name, period, value) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (program_id, mode, owner_id, name, period) DO UPDATE SET value = counters.value + EXCLUDED.value RETURNING value`,
          [s.programId, s.mode, ownerId, name, period, delta],
        );
        return int(rows[0]!.value, 'counter');
      },
      addMany: async (rows) => {
        if (rows.length === 0) return;
        const values: unknown[] = [];
        const tuples = rows.map((r) => {
          values.push(r.programId, r.mode, r.ownerId, r.name, r.period, r.value);
          return `(${placeholders(values.length - 5, 6)})`;
        });
        await hold(
          'counters',
          `INSERT INTO ${t('counters')} (program_id, mode, owner_id, name, period, value) VALUES ${tuples.join(', ')}
           ON CONFLICT (program_id, mode, owner_id, name, period) DO UPDATE SET value = counters.value + EXCLUDED.value`,
          values,
        );
      },
      // One index probe per owner: with the owners as a join, PostgreSQL
      // walks the primary key for each instead of the name index across
      // every owner's rows of the period.
      listRange: async (s, ownerIds, name, from, to) =>
        (
          await read(
            `SELECT c.program_id, c.mode, c.owner_id, c.name, c.period, c.value FROM unnest($3::text[]) AS o (owner_id)
             CROSS JOIN LATERAL (SELECT * FROM ${t('counters')} WHERE program_id = $1 AND mode = $2 AND owner_id = o.owner_id AND name = $4 AND period BETWEEN $5 AND $6) c
             ORDER BY c.owner_id, c.period`,
            [s.programId, s.mode, ownerIds, name, from, to],
          )
        ).map(toCounter),
      // One probe of the primary key per (owner, name) pair, sent as two
      // parallel arrays: joined as two separate sets, PostgreSQL probes by
      // owner alone and reads every name and day of each owner.
      sum: async (s, ownerIds, names, from, to) => {
        const owners = ownerIds.flatMap((o) => names.map(() => o));
        const pairs = ownerIds.flatMap(() => names);
        const rows = await read(
          `SELECT p.name, sum(c.value) AS value FROM unnest($3::text[], $4::text[]) AS p (owner_id, name)
           CROSS JOIN LATERAL (SELECT value FROM ${t('counters')} WHERE program_id = $1 AND mode = $2 AND owner_id = p.owner_id AND name = p.name AND period BETWEEN $5 AND $6) c
           GROUP BY p.name`,
          [s.programId, s.mode, owners, pairs, from, to],
        );
        const sums: Record<string, number> = Object.fromEntries(names.map((name) => [name, 0]));
        for (const r of rows) sums[String(r.name)] = int(r.value, 'counter');
        return sums;
      },
      top: async (s, name, from, to, limit) =>
        (
          await read(
            `SELECT owner_id, sum(value) AS value FROM ${t('counters')}
             WHERE program_id = $1 AND mode = $2 AND name = $3 AND period BETWEEN $4 AND $5 AND owner_id NOT LIKE '~%'
             GROUP BY owner_id ORDER BY sum(value) DESC, owner_id LIMIT $6`,
            [s.programId, s.mode, name, from, to, limit],
          )
        ).map((r) => ({ ownerId: String(r.owner_id), value: int(r.value, 'counter') })),
    },
    payouts: {
      insert: (row) => insert('payouts', row),
      get: (s, id, options) => one(select('payouts', 'id = $3', lock(options)), [s.programId, s.mode, id], toPayout, options?.forUpdate === true),
      getOpen: (s, userId) => one(select('payouts', `user_id = $3 AND status IN (${openStatuses})`), [s.programId, s.mode, userId], toPayout),
      listByUser: async (s, userId, page) =>
        (await read(select('payouts', 'user_id = $3', ' ORDER BY seq LIMIT $4'), [s.programId, s.mode, userId, page.limit])).map(toPayout),
      listByStatus: byStatus('payouts', toPayout),
      update: (s, id, patch) => update('payouts', s, { id }, patch),
    },
    outbox: {
      insertMany: async (rows) => {
        // jsonb: sent as text, like the reviews' findings.
        await insertRows('outbox', rows.map((row) => ({ ...row, data: JSON.stringify(row.data) })));
      },
      get: (s, id) => one(select('outbox', 'id = $3'), [s.programId, s.mode, id], toOutbox),
      claim: async (s, c) => {
        const rows = await query(outboxClaim, [s.programId, s.mode, c.now, c.subjects, c.perSubject, c.leaseToken, c.leaseUntil]);
        return rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map(toOutbox);
      },
      renew: async (s, ids, leaseToken, leaseUntil) =>
        (
          await query(
            `UPDATE ${t('outbox')} SET lease_until = $5 WHERE program_id = $1 AND mode = $2 AND id = ANY ($3) AND lease_token = $4 AND status = 'pending' RETURNING id`,
            [s.programId, s.mode, ids, leaseToken, leaseUntil],
          )
        ).map((r) => String(r.id)),
      release: async (s, ids, leaseToken) => {
        await hold(
          'outbox',
          `UPDATE ${t('outbox')} SET lease_token = NULL, lease_until = NULL WHERE program_id = $1 AND mode = $2 AND id = ANY ($3) AND lease_token = $4`,
          [s.programId, s.mode, ids, leaseToken],
        );
      },
      updateLeased: async (s, id, leaseToken, patch) => (await updateRows('outbox', s, { id, lease_token: leaseToken }, patch)) > 0,
      update: (s, id, patch) => update('outbox', s, { id }, patch),
      list: async (s, status, page) =>
        page.cursor === undefined
          ? (await read(select('outbox', 'status = $3', ' ORDER BY seq LIMIT $4'), [s.programId, s.mode, status, page.limit])).map(toOutbox)
          : (await read(select('outbox', `status = $3 AND ${after('outbox', 4, false)}`, ' ORDER BY seq LIMIT $5'), [s.programId, s.mode, status, page.cursor, page.limit])).map(toOutbox),
      purgeDelivered: async (s, before, limit) =>
        (
          await query(
            `DELETE FROM ${t('outbox')} WHERE program_id = $1 AND mode = $2 AND id IN (
               SELECT id FROM ${t('outbox')} WHERE program_id = $1 AND mode = $2 AND status = 'delivered' AND delivered_at < $3 ORDER BY seq LIMIT $4) RETURNING 1`,
            [s.programId, s.mode, before, limit],
          )
        ).length,
      clearErrors: async (s, subjectId, entityIds) =>
        (
          await query(
            `UPDATE ${t('outbox')} SET last_error = NULL
              WHERE program_id = $1 AND mode = $2 AND last_error IS NOT NULL AND (subject_id = $3 OR entity_id = ANY ($4::text[])) RETURNING 1`,
            [s.programId, s.mode, subjectId, entityIds],
          )
        ).length,
    },
    invitations: {
      insert: (row) => insert('invitations', row),
      get: (s, id, options) => one(select('invitations', 'id = $3', lock(options)), [s.programId, s.mode, id], toInvitation, options?.forUpdate === true),
      getByToken: (s, token, options) => one(select('invitations', 'token = $3', lock(options)), [s.programId, s.mode, token], toInvitation, options?.forUpdate === true),
      getPending: (s, inviterId, emailNormalized) =>
        one(select('invitations', "inviter_id = $3 AND email_normalized = $4 AND status = 'pending'"), [s.programId, s.mode, inviterId, emailNormalized], toInvitation),
      listByInviter: async (s, inviterId, page) =>
        (await history('invitations', 'created_at', [s.programId, s.mode, inviterId], 'inviter_id = $3', page, page.status === undefined ? [] : [['status', page.status]])).map(
          toInvitation,
        ),
      listExpired: async (s, now, page) =>
        (await read(select('invitations', "status = 'pending' AND expires_at <= $3", ' ORDER BY expires_at, seq LIMIT $4'), [s.programId, s.mode, now, page.limit])).map(
          toInvitation,
        ),
      listConcerning: async (s, userId, emailsNormalized) =>
        (
          await read(select('invitations', '(inviter_id = $3 OR accepted_by = $3 OR email_normalized = ANY ($4::text[]))', ' ORDER BY seq'), [
            s.programId,
            s.mode,
            userId,
            emailsNormalized,
          ])
        ).map(toInvitation),
      update: (s, id, patch) => update('invitations', s, { id }, patch),
    },
    payoutMethods: {
      put: async (row) => {
        await hold(
          'payout_methods',
          `INSERT INTO ${t('payout_methods')} (program_id, mode, user_id, method, updated_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (program_id, mode, user_id) DO UPDATE SET method = EXCLUDED.method, updated_at = EXCLUDED.updated_at`,
          [row.programId, row.mode, row.userId, row.method, row.updatedAt],
        );
      },
      get: (s, userId) => one(select('payout_methods', 'user_id = $3'), [s.programId, s.mode, userId], toPayoutMethod),
      delete: async (s, userId) =>
        (await query(`DELETE FROM ${t('payout_methods')} WHERE program_id = $1 AND mode = $2 AND user_id = $3 RETURNING 1`, [s.programId, s.mode, userId])).length > 0,
    },
  };
  return { repositories, flush };
}
