/**
 * The PostgreSQL store for onehop: versioned SQL migrations, invariants the
 * database itself enforces, and one transaction per engine call on one
 * connection. Works on a `pg.Pool`, on a client inside your own transaction,
 * and on PGlite (embedded Postgres, no server).
 *
 * ```ts
 * import pg from 'pg';
 * import { createOnehop } from '@onehop/core';
 * import { createPostgresStore, migrate } from '@onehop/postgres';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * pool.on('error', (error) => console.error('PostgreSQL dropped an idle connection', error)); // without it, the process crashes
 * await migrate({ pool });
 * const onehop = createOnehop({ store: createPostgresStore({ pool }), program: { id: 'main', currency: 'USD' } });
 * ```
 *
 * @module @onehop/postgres
 */

export type { Connection, PGliteLike, PooledClient, PoolLike, QueryConfig, SqlClient } from './client';
export type { MigrateOptions, MigrateResult } from './migrate';
export { migrate } from './migrate';
export type { Migration } from './migrations';
export { MIGRATIONS_DIR, migrations } from './migrations';
export type { DrizzleResultField, DrizzleSqlTag, DrizzleTransaction } from './orm/drizzle-client';
export { drizzleClient } from './orm/drizzle-client';
export type { KyselyRawQuery, KyselyTransaction } from './orm/kysely-client';
export { kyselyClient } from './orm/kysely-client';
export type { PostgresJsTransaction } from './orm/postgres-js-client';
export { postgresJsClient } from './orm/postgres-js-client';
export type { PrismaTransaction } from './orm/prisma-client';
export { prismaClient } from './orm/prisma-client';
export type { PostgresStoreOptions } from './postgres-store';
export { createPostgresStore, PostgresStore } from './postgres-store';
export type { ApplicationRoleOptions, GrantApplicationRoleOptions, GrantApplicationRoleResult, TablePrivileges } from './roles';
export { APPLICATION_PRIVILEGES, applicationRoleSql, grantApplicationRole, revokeApplicationRole } from './roles';
