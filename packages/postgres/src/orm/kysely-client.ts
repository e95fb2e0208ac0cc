import type { SqlClient } from '../client';

/**
 * A compiled raw statement as Kysely's `CompiledQuery.raw(text, values)`
 * builds it; the adapter builds the same object so that Kysely stays a
 * dependency of your application only.
 */
export interface KyselyRawQuery {
  readonly sql: string;
  readonly parameters: readonly unknown[];
  readonly query: { readonly kind: 'RawNode'; readonly sqlFragments: readonly string[]; readonly parameters: readonly never[] };
  readonly queryId: { readonly queryId: string };
}

/** The part of a Kysely transaction (the `trx` of `db.transaction().execute`) the adapter uses. */
export interface KyselyTransaction {
  executeQuery(query: KyselyRawQuery): Promise<{ rows: readonly unknown[] }>;
  /** Kysely 0.27 and later: the same transaction without plugins (which would rename the store's columns). */
  withoutPlugins?(): KyselyTransaction;
}

let queries = 0;

/**
 * A store client on a Kysely transaction, so onehop calls commit or roll back
 * with the application's own writes:
 *
 * ```ts
 * await db.transaction().execute(async (trx) => {
 *   await trx.insertInto('users').values({ id: userId }).execute();
 *   const onehop = createOnehop({ store: createPostgresStore({ client: kyselyClient(trx) }), program });
 *   await onehop.enroll({ userId });
 * });
 * ```
 *
 * Statements run with `trx.executeQuery(CompiledQuery.raw(text, values))`
 * and without the instance's plugins (a `CamelCasePlugin` would rename the
 * columns the store reads), so rows and errors are those of the dialect's
 * driver: node-postgres for `PostgresDialect`.
 */
export function kyselyClient(trx: KyselyTransaction): SqlClient {
  const plain = trx.withoutPlugins ? trx.withoutPlugins() : trx;
  return {
    async query(text, values = []) {
      const query: KyselyRawQuery = {
        sql: text,
        parameters: values,
        query: { kind: 'RawNode', sqlFragments: [text], parameters: [] },
        queryId: { queryId: `onehop-${++queries}` },
      };
      const { rows } = await plain.executeQuery(query);
      return { rows: [...rows] };
    },
  };
}
