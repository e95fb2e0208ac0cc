import { ValidationError } from '@onehop/core';
import * as z from 'zod';

/**
 * The named suites of the conformance suite, in the order they run. A store
 * may leave one out with `runConformanceSuite({ skip: { name: 'reason' } })`.
 */
export const SUITE_NAMES = [
  'participants',
  'attribution',
  'links',
  'transactions',
  'programs',
  'money',
  'model',
  'fraud',
  'admin',
  'clicks',
  'outbox',
  'invitations',
  'erasure',
  'dashboards',
  'validation',
  'storeContract',
  'billing',
  'promoCodes',
  'payoutRuns',
  'currency',
  'simulation',
  'groups',
] as const;

/** The name of one suite of the conformance suite. */
export type SuiteName = (typeof SUITE_NAMES)[number];

/** `skip`: suite names to the reason each is skipped (a reason is required). */
const skipSchema = z.strictObject(
  Object.fromEntries(SUITE_NAMES.map((name) => [name, z.string().trim().min(1, 'give the reason this store skips the suite').optional()])) as Record<
    SuiteName,
    z.ZodOptional<z.ZodString>
  >,
);

/** The `skip` option, checked: known suite names only, each with a reason; a `ValidationError` naming the field otherwise. */
export function parseSkip(skip: unknown): Partial<Record<SuiteName, string>> {
  const parsed = skipSchema.safeParse(skip ?? {});
  if (parsed.success) return parsed.data;
  throw new ValidationError(
    parsed.error.issues.map((issue) => ({
      field: ['skip', ...issue.path.map(String), ...(issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [])].join('.'),
      message: issue.message,
    })),
    { hint: `Name suites from SUITE_NAMES (${SUITE_NAMES.join(', ')}) and give each skipped suite the reason this store cannot run it.` },
  );
}
