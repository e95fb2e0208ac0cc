import { ValidationError } from '@onehop/core';
import * as z from 'zod';
import type { Connection } from './client';

/** A schema name used unquoted-safe in SQL: lowercase letters, digits and underscores. */
export const schemaNameSchema = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'Use lowercase letters, digits and underscores, starting with a letter or underscore (at most 63).');

const queryable = z.custom<{ query: unknown }>((v) => typeof v === 'object' && v !== null && typeof (v as { query?: unknown }).query === 'function', {
  message: 'Expected an object with a query(text, values) method.',
});

const connectionSchema = z.union([
  z.object({
    pool: z.custom<{ connect: unknown }>((v) => typeof v === 'object' && v !== null && typeof (v as { connect?: unknown }).connect === 'function', {
      message: 'Expected a pg.Pool (an object with connect()).',
    }),
  }),
  z.object({ client: queryable }),
  z.object({
    pglite: z.custom<{ transaction: unknown }>((v) => typeof v === 'object' && v !== null && typeof (v as { transaction?: unknown }).transaction === 'function', {
      message: 'Expected a PGlite instance (an object with query() and transaction()).',
    }),
  }),
]);

/** Validates the connection and schema options every entry point of this package takes. */
export function parseOptions<T extends { schema?: string | undefined }>(options: T & Connection): T & Connection & { schema: string } {
  const given = ['pool', 'client', 'pglite'].filter((k) => k in (options as object));
  if (given.length !== 1) {
    throw new ValidationError([{ field: 'pool', message: `Give exactly one of pool, client or pglite (got ${given.length === 0 ? 'none' : given.join(', ')}).` }]);
  }
  const connection = connectionSchema.safeParse(options);
  if (!connection.success) throw ValidationError.fromZod(connection.error);
  const schema = schemaNameSchema.safeParse(options.schema ?? 'onehop');
  if (!schema.success) throw ValidationError.fromZod(schema.error, 'schema');
  return { ...options, schema: schema.data };
}
