import { createManualClock, createOnehop } from '@onehop/core';
import { runConformanceSuite } from '@onehop/core/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICATION_PRIVILEGES, applicationRoleSql, createPostgresStore, grantApplicationRole, migrate, revokeApplicationRole } from '../src/index';
import { createLoginRole, DATABASE_URL, NO_SERVER_REASON, storedStrings, uniqueSchema } from './databases';

/** Every privilege `role` holds on the schema, its tables and their columns (from the catalogs' ACLs), as sorted lines. */
async function privileges(owner: pg.Pool, schema: string, role: string): Promise<string[]> {
  const { rows } = await owner.query(
    `WITH r AS (SELECT oid FROM pg_roles WHERE rolname = $2), n AS (SELECT oid, nspacl FROM pg_namespace WHERE nspname = $1)
     SELECT p FROM (
     SELECT 'schema ' || a.privilege_type AS p FROM n, aclexplode(n.nspacl) a WHERE a.grantee = (SELECT oid FROM r)
     UNION ALL
     SELECT c.relname || ' ' || a.privilege_type FROM pg_class c, aclexplode(c.relacl) a WHERE c.relnamespace = (SELECT oid FROM n) AND a.grantee = (SELECT oid FROM r)
     UNION ALL
     SELECT c.relname || '.' || t.attname || ' ' || a.privilege_type FROM pg_attribute t JOIN pg_class c ON c.oid = t.attrelid, aclexplode(t.attacl) a
       WHERE c.relnamespace = (SELECT oid FROM n) AND a.grantee = (SELECT oid FROM r)
     ) x ORDER BY p COLLATE "C"`,
    [schema, role],
  );
  return rows.map((r: { p: string }) => r.p);
}

describe.skipIf(!DATABASE_URL)(`postgres with an owner role and an application role (real server)${DATABASE_URL ? '' : `: skipped, ${NO_SERVER_REASON}`}`, () => {
  const schema = uniqueSchema('roles');
  let owner: pg.Pool;
  let role: string;
  let app: pg.Pool;

  beforeAll(async () => {
    owner = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
    const login = await createLoginRole(owner, 'onehop_app');
    role = login.role;
    await migrate({ pool: owner, schema });
    await grantApplicationRole({ pool: owner, schema, role });
    app = new pg.Pool({ connectionString: login.url, max: 20 });
  });
  afterAll(async () => {
    await app?.end();
    if (role) await revokeApplicationRole({ pool: owner, schema, role });
    await owner.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    if (role) await owner.query(`DROP ROLE IF EXISTS "${role}"`);
    await owner.end();
  });

  runConformanceSuite({
    name: 'postgres (server, as an application role that does not own the tables)',
    createStore: () => createPostgresStore({ pool: app, schema }),
    supportsLiveMode: true,
    storedStrings: () => storedStrings((text) => owner.query(text), schema),
    propertyRuns: 15,
  });

  describe('least privilege', () => {
    const t = (table: string) => `"${schema}".${table}`;
    const refused = (text: string, values: unknown[] = []) =>
      app.query(text, values).then(
        () => 'allowed',
        (error: { code?: string; message: string }) => `${error.code}: ${error.message}`,
      );

    it('the application role cannot update, delete, truncate or disable the triggers of the ledger and the audit trail', async () => {
      const program = `roles-${Date.now().toString(36)}`;
      // Inserting is what the engine does; the rows below are what an attacker holding the application's credentials would go after.
      await app.query(
        `INSERT INTO ${t('ledger_entries')} (program_id, mode, id, account_id, bucket, amount, kind, source_type, source_id, actor_type, at)
         VALUES ($1, 'mock', 'l1', 'u1', 'pending', 500, 'accrual', 'purchase', 'p1', 'system', now())`,
        [program],
      );
      await app.query(
        `INSERT INTO ${t('audit_trail')} (program_id, mode, id, entity_type, entity_id, action, actor_type, at) VALUES ($1, 'mock', 'a1', 'referral', 'r1', 'attributed', 'system', now())`,
        [program],
      );
      for (const table of ['ledger_entries', 'audit_trail']) {
        expect(await refused(`UPDATE ${t(table)} SET program_id = 'elsewhere' WHERE program_id = $1`, [program])).toBe(`42501: permission denied for table ${table}`);
        expect(await refused(`DELETE FROM ${t(table)} WHERE program_id = $1`, [program])).toBe(`42501: permission denied for table ${table}`);
        expect(await refused(`TRUNCATE ${t(table)}`)).toBe(`42501: permission denied for table ${table}`);
        expect(await refused(`ALTER TABLE ${t(table)} DISABLE TRIGGER USER`)).toBe(`42501: must be owner of table ${table}`);
        const { rows } = await owner.query(`SELECT count(*)::int AS n FROM ${t(table)} WHERE program_id = $1`, [program]);
        expect(rows[0].n).toBe(1);
      }
      // Nor can it reach the migration history or create objects in the schema.
      expect(await refused(`SELECT * FROM ${t('schema_migrations')}`)).toBe('42501: permission denied for table schema_migrations');
      expect(await refused(`CREATE TABLE ${t('extra')} (id int)`)).toBe(`42501: permission denied for schema ${schema}`);
    });

    it('the owner can disable the triggers and delete ledger rows: why the application must not connect as the owner', async () => {
      const program = `owner-${Date.now().toString(36)}`;
      const client = await owner.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO ${t('ledger_entries')} (program_id, mode, id, account_id, bucket, amount, kind, source_type, source_id, actor_type, at)
           VALUES ($1, 'mock', 'l1', 'u1', 'pending', 500, 'accrual', 'purchase', 'p1', 'system', now())`,
          [program],
        );
        await client.query(`ALTER TABLE ${t('ledger_entries')} DISABLE TRIGGER USER`);
        const deleted = await client.query(`DELETE FROM ${t('ledger_entries')} WHERE program_id = $1`, [program]);
        expect(deleted.rowCount).toBe(1);
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    });

    it('grants exactly the engine’s privileges: every table but schema_migrations, UPDATE on the changing columns only, DELETE on the outbox, fingerprints and payout methods', async () => {
      const { rows } = await owner.query(`SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename`, [schema]);
      expect(rows.map((r: { tablename: string }) => r.tablename)).toEqual([...Object.keys(APPLICATION_PRIVILEGES), 'application_roles', 'schema_migrations'].sort());
      const held = await privileges(owner, schema, role);
      expect(held.filter((p) => / (DELETE|TRUNCATE|REFERENCES|TRIGGER)$/.test(p))).toEqual(['fingerprints DELETE', 'outbox DELETE', 'payout_methods DELETE']);
      expect(held.filter((p) => p.startsWith('ledger_entries') || p.startsWith('audit_trail'))).toEqual([
        'audit_trail INSERT',
        'audit_trail SELECT',
        'ledger_entries INSERT',
        'ledger_entries SELECT',
      ]);
      expect(held.filter((p) => p.startsWith('source_events.') && p.endsWith(' UPDATE'))).toEqual([
        'source_events.referee_id UPDATE',
        'source_events.referral_id UPDATE',
        'source_events.referrer_id UPDATE',
        'source_events.result UPDATE',
        'source_events.reversed_amount UPDATE',
      ]);
      expect(held.some((p) => p.startsWith('schema_migrations') || p.startsWith('application_roles'))).toBe(false);
    });

    it('granting again changes nothing, and takes back privileges given by hand', async () => {
      const before = await privileges(owner, schema, role);
      await owner.query(`GRANT UPDATE, DELETE, TRUNCATE ON ${t('ledger_entries')} TO "${role}"; GRANT CREATE ON SCHEMA "${schema}" TO "${role}"`);
      expect(await privileges(owner, schema, role)).not.toEqual(before);
      const result = await grantApplicationRole({ pool: owner, schema, role });
      expect(result).toEqual({ schema, role, tables: Object.keys(APPLICATION_PRIVILEGES) });
      expect(await privileges(owner, schema, role)).toEqual(before);
      expect(await refused(`CREATE TABLE ${t('extra')} (id int)`)).toBe(`42501: permission denied for schema ${schema}`);
    });

    it('a missing privilege fails the call with STORE_MISCONFIGURED, and migrate() as the owner grants it again', async () => {
      const onehop = createOnehop({
        store: createPostgresStore({ pool: app, schema }),
        clock: createManualClock('2026-03-01T12:00:00.000Z'),
        program: { id: `regrant-${Date.now().toString(36)}`, currency: 'USD', mode: 'mock' },
      });
      // As if an upgrade had added the participants table: the role does not have it yet.
      await owner.query(`REVOKE INSERT ON ${t('participants')} FROM "${role}"`);
      await expect(onehop.enroll({ userId: 'u1' })).rejects.toMatchObject({ code: 'STORE_MISCONFIGURED', retryable: false });
      expect(await onehop.getParticipant('u1')).toBeNull();
      expect(await migrate({ pool: owner, schema })).toMatchObject({ applied: [] });
      await expect(onehop.enroll({ userId: 'u1' })).resolves.toMatchObject({ participant: { userId: 'u1' } });
    });

    it('an owner role that owns only the schema an administrator created for it migrates it and grants the application role', async () => {
      // The owner needs no CREATE on the database when the schema exists: migrate() creates the schema only when it is missing.
      const schemaOwner = await createLoginRole(owner, 'onehop_owner');
      const ownedSchema = uniqueSchema('roles_owned');
      const ownerName = new URL(DATABASE_URL!).username;
      await owner.query(`GRANT "${schemaOwner.role}" TO "${ownerName}"`);
      await owner.query(`CREATE SCHEMA "${ownedSchema}" AUTHORIZATION "${schemaOwner.role}"`);
      const pool = new pg.Pool({ connectionString: schemaOwner.url, max: 2 });
      try {
        await expect(migrate({ pool, schema: ownedSchema })).resolves.toMatchObject({ schema: ownedSchema });
        await grantApplicationRole({ pool, schema: ownedSchema, role });
        const { rows } = await app.query(`SELECT count(*)::int AS n FROM "${ownedSchema}".ledger_entries`);
        expect(rows).toEqual([{ n: 0 }]);
        await revokeApplicationRole({ pool, schema: ownedSchema, role });
      } finally {
        await pool.end();
        await owner.query(`DROP SCHEMA IF EXISTS "${ownedSchema}" CASCADE`);
        await owner.query(`DROP ROLE "${schemaOwner.role}"`);
      }
    });

    it('migrate() as the application role is refused with STORE_MISCONFIGURED', async () => {
      await expect(migrate({ pool: app, schema })).rejects.toMatchObject({ code: 'STORE_MISCONFIGURED', hint: expect.stringContaining('owns the schema') });
    });

    it('refuses to grant a role that does not exist, the owner, a member of the owner or a superuser, and writes nothing', async () => {
      const ownerName = new URL(DATABASE_URL!).username;
      const member = await createLoginRole(owner, 'onehop_member');
      try {
        await owner.query(`GRANT "${ownerName}" TO "${member.role}"`);
        for (const candidate of [`${member.role}_missing`, ownerName, member.role, 'postgres']) {
          await expect(grantApplicationRole({ pool: owner, schema, role: candidate })).rejects.toMatchObject({ code: 'STORE_MISCONFIGURED' });
        }
        const { rows } = await owner.query(`SELECT role FROM ${t('application_roles')}`);
        expect(rows).toEqual([{ role }]);
        expect(await privileges(owner, schema, member.role)).toEqual([]);
        await expect(grantApplicationRole({ pool: owner, schema, role: '' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'role' });
      } finally {
        await owner.query(`DROP ROLE "${member.role}"`);
      }
    });

    it('applicationRoleSql() gives the same privileges; revokeApplicationRole() takes them all back so the role can be dropped', async () => {
      const other = await createLoginRole(owner, 'onehop_sql');
      try {
        await owner.query(applicationRoleSql({ schema, role: other.role }));
        expect(await privileges(owner, schema, other.role)).toEqual(await privileges(owner, schema, role));
        await grantApplicationRole({ pool: owner, schema, role: other.role });
        await revokeApplicationRole({ pool: owner, schema, role: other.role });
        expect(await privileges(owner, schema, other.role)).toEqual([]);
        const { rows } = await owner.query(`SELECT role FROM ${t('application_roles')} ORDER BY role`);
        expect(rows).toEqual([{ role }]);
      } finally {
        await owner.query(`DROP ROLE "${other.role}"`);
      }
      // A recorded role dropped without revokeApplicationRole() does not stop migrate().
      const dropped = await createLoginRole(owner, 'onehop_dropped');
      await grantApplicationRole({ pool: owner, schema, role: dropped.role });
      await owner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA "${schema}" FROM "${dropped.role}"; REVOKE ALL ON SCHEMA "${schema}" FROM "${dropped.role}"`);
      await owner.query(`DROP ROLE "${dropped.role}"`);
      await expect(migrate({ pool: owner, schema })).resolves.toMatchObject({ applied: [] });
    });
  });
});

// No server needed: the SQL for other migration tools is built from checked names.
describe('applicationRoleSql()', () => {
  it('quotes the role as one identifier, whatever it contains, and validates both names', () => {
    const sql = applicationRoleSql({ role: 'App"; DROP TABLE onehop.ledger_entries; --' });
    expect(sql).toContain('GRANT SELECT, INSERT ON "onehop".ledger_entries TO "App""; DROP TABLE onehop.ledger_entries; --";');
    const statements = sql.split('\n').filter((line) => line !== '' && !line.startsWith('--'));
    expect(statements.length).toBeGreaterThan(4);
    for (const line of statements) expect(line).toMatch(/^(REVOKE|GRANT) [^;]* (FROM|TO) "App""; DROP TABLE onehop\.ledger_entries; --";$/);
    expect(() => applicationRoleSql({ role: '' })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'role' }));
    expect(() => applicationRoleSql({ role: 'app\nDROP TABLE onehop.audit_trail; --' })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'role' }));
    expect(() => applicationRoleSql({ role: 'r'.repeat(64) })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'role' }));
    expect(() => applicationRoleSql({ schema: 'Bad-Schema', role: 'app' })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'schema' }));
  });
});
