import type { Bucket, StoreTransaction } from '@onehop/core';
import { StoreConfigurationError, ValidationError } from '@onehop/core';
import * as z from 'zod';
import type { Connection, SqlClient } from './client';
import { parseOptions, schemaNameSchema } from './options';
import { inSchemaTransaction, script } from './schema-transaction';

/**
 * Least privilege for the application. The role that owns onehop's tables
 * can disable their triggers (`ALTER TABLE … DISABLE TRIGGER USER`) and then
 * rewrite the ledger and the audit trail; so an owner role runs `migrate()`
 * and the application connects as a role that only gets what the store
 * sends: SELECT and INSERT on every table, UPDATE on the columns the engine
 * changes (which is also what `SELECT … FOR UPDATE` needs), DELETE where
 * rows are erased or purged, and nothing on the ledger and audit trail
 * beyond SELECT and INSERT.
 */

/** `payoutId` → `payout_id`, as a type. */
type Snake<S extends string> = S extends `${infer C}${infer Rest}` ? `${C extends Lowercase<C> ? C : `_${Lowercase<C>}`}${Snake<Rest>}` : '';
/** The columns a repository's patch argument (at `index`) may name. */
type Patched<F, I extends number> = F extends (...args: infer A) => unknown ? Snake<keyof NonNullable<A[I]> & string> : never;
type Tx = StoreTransaction;

/** A list of columns, checked by the compiler to name exactly the columns `T` (the engine's patch type) names. */
const exactly =
  <T extends string>() =>
  <const L extends readonly T[]>(list: L & (Exclude<T, L[number]> extends never ? unknown : { missing: Exclude<T, L[number]> })): readonly string[] =>
    list;

/** What the application role may do on one table, beyond SELECT and INSERT (granted on every table). */
export interface TablePrivileges {
  /** Columns it may UPDATE; none for a table whose rows never change. */
  update?: readonly string[];
  /** Whether it may DELETE rows. */
  delete?: true;
}

/**
 * Every table of the schema the application uses, in migration order. The
 * UPDATE columns are checked against the store contract's patch types, so a
 * patch that gains a field cannot compile until its column is granted. A
 * migration that adds a table adds it here (the roles test fails otherwise).
 */
export const APPLICATION_PRIVILEGES: Readonly<Record<string, TablePrivileges>> = {
  participants: {
    update: exactly<Patched<Tx['participants']['update'], 2>>()([
      'code',
      'status',
      'terms_version',
      'email',
      'email_normalized',
      'updated_at',
      'group_id',
      'custom_terms',
    ]),
  },
  codes: { update: exactly<Patched<Tx['codes']['update'], 2>>()(['status', 'retired_at']) },
  referrals: {
    update: exactly<Patched<Tx['referrals']['update'], 2>>()([
      'status',
      'status_reason',
      'qualified_at',
      'purchase_count',
      'revenue',
      'referee_email_normalized',
      'updated_at',
    ]),
  },
  audit_trail: {},
  source_events: {
    update: exactly<Patched<Tx['events']['update'], 3>>()(['reversed_amount', 'result', 'referral_id', 'referrer_id', 'referee_id']),
  },
  payouts: {
    update: exactly<Patched<Tx['payouts']['update'], 2>>()([
      'status',
      'status_reason',
      'external_reference',
      'method',
      'decided_at',
      'decided_by',
      'paid_at',
      'updated_at',
      'attempts',
      'idempotency_key',
      'batch_id',
      'lease_until',
    ]),
  },
  commissions: {
    update: exactly<Patched<Tx['commissions']['update'], 2>>()(['status', 'status_reason', 'reversed_amount', 'payout_id', 'approved_at', 'paid_at', 'updated_at']),
  },
  ledger_entries: {},
  // Upserts: ON CONFLICT DO UPDATE sets the buckets and the time.
  balances: { update: exactly<Bucket | 'updated_at'>()(['pending', 'on_hold', 'withdrawable', 'requested', 'paid', 'updated_at']) },
  counters: { update: ['value'] },
  // Erasing a user's personal data deletes their payout method.
  payout_methods: { update: ['method', 'updated_at'], delete: true },
  // Erasing a user's personal data deletes their fingerprints.
  fingerprints: { delete: true },
  reviews: { update: exactly<Patched<Tx['reviews']['update'], 2>>()(['status', 'decided_at', 'decided_by', 'decision_reason']) },
  // Erasure clears the IP hash and landing URL of a user's clicks.
  clicks: { update: ['ip_hash', 'landing_url'] },
  // Delivered events are purged.
  outbox: {
    update: exactly<Patched<Tx['outbox']['update'], 2> | Patched<Tx['outbox']['updateLeased'], 3>>()([
      'status',
      'attempts',
      'next_attempt_at',
      'lease_token',
      'lease_until',
      'last_error',
      'delivered_at',
    ]),
    delete: true,
  },
  invitations: {
    update: exactly<Patched<Tx['invitations']['update'], 2>>()([
      'status',
      'token',
      'send_count',
      'last_sent_at',
      'expires_at',
      'accepted_by',
      'decided_at',
      'email',
      'email_normalized',
      'message',
    ]),
  },
  payout_runs: { update: exactly<Patched<Tx['payoutRuns']['update'], 2>>()(['status', 'completed_at', 'result']) },
  // Upserts: ON CONFLICT DO UPDATE sets every column but the key.
  tax_profiles: { update: ['status', 'form_type', 'country', 'status_date', 'updated_by', 'updated_at'] },
};

/** Where `grantApplicationRole()` records the roles it granted, so `migrate()` can grant them again. */
const GRANTED_ROLES_TABLE = 'application_roles';

/** A role name as PostgreSQL stores it (case-sensitive, at most 63 bytes); it is always quoted in SQL. */
const roleNameSchema = z
  .string()
  .min(1, 'Give the name of the role the application connects as.')
  .refine((name) => new TextEncoder().encode(name).length <= 63, 'A role name has at most 63 bytes.')
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the pattern finds control characters in order to refuse them.
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), 'A role name has no control characters (no newline, tab or NUL).');

export interface ApplicationRoleOptions {
  /** Schema onehop was migrated into. Default `onehop`. */
  schema?: string;
  /** The role the application connects as (exactly as in `pg_roles`, case-sensitive). */
  role: string;
}

export type GrantApplicationRoleOptions = Connection & ApplicationRoleOptions;

export interface GrantApplicationRoleResult {
  schema: string;
  role: string;
  /** The tables the role may now read and write (never `schema_migrations`). */
  tables: string[];
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

function parseRole(options: { role?: unknown }): string {
  const role = roleNameSchema.safeParse(options.role);
  if (!role.success) throw ValidationError.fromZod(role.error, 'role');
  return role.data;
}

function parseSchema(schema: string | undefined): string {
  const parsed = schemaNameSchema.safeParse(schema ?? 'onehop');
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, 'schema');
  return parsed.data;
}

/** Statements that take back every privilege the role has on the schema and its tables and sequences. */
const revokeStatements = (s: string, r: string) => [
  `REVOKE ALL ON ALL TABLES IN SCHEMA ${s} FROM ${r};`,
  `REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${s} FROM ${r};`,
  `REVOKE ALL ON SCHEMA ${s} FROM ${r};`,
];

/** The table of granted roles, created by the first grant or revoke. */
const grantedRolesTable = (s: string) => `CREATE TABLE IF NOT EXISTS ${s}.${GRANTED_ROLES_TABLE} (role text PRIMARY KEY, granted_at timestamptz NOT NULL DEFAULT now());`;

/** The REVOKE and GRANT statements, for a checked schema and role. */
function grantStatements(schema: string, role: string): string {
  const s = `"${schema}"`;
  const r = quoteIdent(role);
  const lines = [
    `-- onehop: the privileges of the application role on schema ${s}.`,
    '-- Run as the owner of the schema, again after every migration; it replaces what the role had on these objects.',
    ...revokeStatements(s, r),
    `GRANT USAGE ON SCHEMA ${s} TO ${r};`,
  ];
  for (const [table, privileges] of Object.entries(APPLICATION_PRIVILEGES)) {
    lines.push(`GRANT SELECT, INSERT${privileges.delete ? ', DELETE' : ''} ON ${s}.${table} TO ${r};`);
    if (privileges.update) lines.push(`GRANT UPDATE (${privileges.update.join(', ')}) ON ${s}.${table} TO ${r};`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The SQL that gives an application role exactly the privileges the store
 * needs on a migrated schema, for teams that apply migrations with their own
 * tool. Run it as the schema's owner after every migration: it is
 * idempotent, and it first revokes whatever else the role had on the
 * schema's tables, so the role ends with exactly these privileges.
 */
export function applicationRoleSql(options: ApplicationRoleOptions): string {
  return grantStatements(parseSchema(options.schema), parseRole(options));
}

/** Grants `role` its privileges on `schema` (already checked) and remembers it for `migrate()`. */
async function applyGrants(client: SqlClient, schema: string, role: string): Promise<void> {
  await script(client, `${grantedRolesTable(`"${schema}"`)}\n${grantStatements(schema, role)}`);
  await client.query(`INSERT INTO "${schema}".${GRANTED_ROLES_TABLE} (role) VALUES ($1) ON CONFLICT (role) DO UPDATE SET granted_at = now()`, [role]);
}

/**
 * Grants again, inside `migrate()`'s transaction, every role granted on the
 * schema with `grantApplicationRole()`, so a migration that adds a table or
 * a column keeps the application working. Roles dropped since are skipped.
 */
export async function regrantApplicationRoles(client: SqlClient, schema: string): Promise<void> {
  const { rows } = await client.query('SELECT to_regclass($1) IS NOT NULL AS present', [`"${schema}".${GRANTED_ROLES_TABLE}`]);
  if ((rows[0] as { present: boolean }).present !== true) return;
  const granted = await client.query(`SELECT g.role FROM "${schema}".${GRANTED_ROLES_TABLE} g JOIN pg_roles r ON r.rolname = g.role ORDER BY g.role`);
  for (const row of granted.rows as { role: string }[]) await script(client, grantStatements(schema, row.role));
}

/**
 * Sets up the application role of a two-role deployment. Run it as the role
 * that owns the schema (the one that runs `migrate()`), after `migrate()`:
 * `role` gets USAGE on the schema, SELECT and INSERT on every table, UPDATE
 * on the columns the engine changes, DELETE on the outbox and the
 * fingerprints, and nothing else: no UPDATE, DELETE or TRUNCATE on the
 * ledger and the audit trail, nothing on `schema_migrations`, and, not being
 * the owner, it cannot disable triggers. Whatever else the role had on the
 * schema's tables is revoked, so running it again is safe.
 *
 * The role is recorded in the schema, and `migrate()` grants it again after
 * applying migrations; teams with their own migration tool run
 * `applicationRoleSql()` after each migration instead.
 *
 * Pass a `pool`, a `client` that is not inside a transaction, or `pglite`.
 * Throws `ValidationError` for a bad schema or role name, and
 * `StoreConfigurationError` when the role does not exist, is a superuser, or
 * owns (or may act as the owner of) the schema.
 */
export async function grantApplicationRole(options: GrantApplicationRoleOptions): Promise<GrantApplicationRoleResult> {
  const { schema } = parseOptions(options);
  const role = parseRole(options);
  return inSchemaTransaction(options, schema, async (client) => {
    const { rows } = await client.query(
      `SELECT r.rolsuper AS superuser,
              EXISTS (SELECT 1 FROM pg_namespace n WHERE n.nspname = $2 AND pg_has_role(r.oid, n.nspowner, 'MEMBER'))
              OR EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $2 AND pg_has_role(r.oid, c.relowner, 'MEMBER')) AS owner
       FROM pg_roles r WHERE r.rolname = $1`,
      [role, schema],
    );
    const found = rows[0] as { superuser: boolean; owner: boolean } | undefined;
    if (!found) {
      throw new StoreConfigurationError(
        `The role "${role}" does not exist.`,
        `Create the application's role first (CREATE ROLE ${quoteIdent(role)} LOGIN PASSWORD '…'), then grant it.`,
      );
    }
    if (found.superuser || found.owner) {
      throw new StoreConfigurationError(
        `The role "${role}" ${found.superuser ? 'is a superuser' : `owns schema "${schema}" or its tables, or may act as their owner`}: it could disable the ledger's append-only triggers.`,
        'Give the application a role of its own that neither owns the schema nor is a member of its owner, and keep the owner for migrate().',
      );
    }
    await applyGrants(client, schema, role);
    return { schema, role, tables: Object.keys(APPLICATION_PRIVILEGES) };
  });
}

/**
 * Takes back everything `grantApplicationRole()` gave `role` on the schema
 * and forgets it, so `migrate()` no longer grants it (before `DROP ROLE`,
 * or when the application moves to another role). Run it as the owner.
 */
export async function revokeApplicationRole(options: GrantApplicationRoleOptions): Promise<void> {
  const { schema } = parseOptions(options);
  const role = parseRole(options);
  const s = `"${schema}"`;
  const r = quoteIdent(role);
  await inSchemaTransaction(options, schema, async (client) => {
    const { rows } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    // A role that no longer exists holds nothing: only the record goes.
    await script(client, [grantedRolesTable(s), ...(rows.length > 0 ? revokeStatements(s, r) : [])].join('\n'));
    await client.query(`DELETE FROM ${s}.${GRANTED_ROLES_TABLE} WHERE role = $1`, [role]);
  });
}
