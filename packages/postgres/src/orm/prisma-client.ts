import type { SqlClient } from '../client';
import { pgShapedError, sqlValues } from './database-error';

/** The part of a Prisma interactive transaction (the `tx` of `prisma.$transaction(async (tx) => …)`) the adapter uses. */
export interface PrismaTransaction {
  $queryRawUnsafe(query: string, ...values: unknown[]): PromiseLike<unknown>;
}

interface PrismaErrorFields {
  meta?: { code?: unknown; message?: unknown };
  message?: unknown;
}

/** A value as node-postgres gives it: int8 and numeric as strings (Prisma gives a BigInt and a Decimal). */
function pgValue(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (
    value !== null &&
    typeof value === 'object' &&
    !(value instanceof Date) &&
    !Array.isArray(value) &&
    (value as { constructor?: { name?: string } }).constructor?.name === 'Decimal'
  ) {
    return String(value);
  }
  return value;
}

/** The SQLSTATE and constraint of a failed raw query, from Prisma's P2010 error (`meta.code`, or the message on older versions). */
function reshape(error: unknown): unknown {
  const { meta, message } = (error ?? {}) as PrismaErrorFields;
  const text = typeof meta?.message === 'string' ? meta.message : typeof message === 'string' ? message : '';
  const code = typeof meta?.code === 'string' ? meta.code : /Code: `([0-9A-Z]{5})`/.exec(text)?.[1];
  const constraint = /constraint "([^"]+)"/.exec(text)?.[1];
  return pgShapedError(error, { code, severity: 'ERROR', constraint });
}

/**
 * A store client on a Prisma interactive transaction, so onehop calls commit
 * or roll back with the application's own writes:
 *
 * ```ts
 * await prisma.$transaction(async (tx) => {
 *   await tx.user.create({ data: { id: userId } });
 *   const onehop = createOnehop({ store: createPostgresStore({ client: prismaClient(tx) }), program });
 *   await onehop.enroll({ userId });
 * });
 * ```
 *
 * Statements run with `tx.$queryRawUnsafe(text, ...values)`, which returns
 * the rows as an array, int8 as `BigInt` and numeric as `Decimal`; the adapter
 * gives the store node-postgres's shape (`{ rows }`, int8 and numeric as
 * strings), and turns Prisma's raw-query error (P2010) into the database
 * error it carries, which the store translates.
 */
export function prismaClient(tx: PrismaTransaction): SqlClient {
  return {
    async query(text, values) {
      let result: unknown;
      try {
        result = await tx.$queryRawUnsafe(text, ...sqlValues(values));
      } catch (error) {
        throw reshape(error);
      }
      const rows = Array.isArray(result) ? result : [];
      return {
        rows: rows.map((row) => Object.fromEntries(Object.entries(row as Record<string, unknown>).map(([key, value]) => [key, pgValue(value)]))),
      };
    },
  };
}
