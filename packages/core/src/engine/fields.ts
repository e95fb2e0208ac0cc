/*
 * The field schemas the input schemas of several features share (ids, e-mail,
 * amounts, dates, limits and pages, time ranges).
 */
import * as z from 'zod';

/**
 * How many rows a call returns or works on: a whole number from 1 to `max`
 * (1000 unless said), `fallback` when not given. The one limit field of every
 * input; each call keeps its own default.
 */
export const limitSchema = (fallback: number, max = 1000) => z.number().int().min(1).max(max).default(fallback);

/** An application's user id: any non-empty string up to 255 characters. */
export const userIdSchema = z.string().trim().min(1, 'must not be empty').max(255);

/** An id onehop generated (commission, payout). */
export const recordIdSchema = z.string().trim().min(1, 'must not be empty').max(64);

export const emailSchema = z.email({ error: 'must be an email address' }).max(320);

/** Reason given by an admin for a decision; required wherever a person decides. */
export const reasonSchema = z.string().trim().min(1, 'a reason is required').max(1000);

export const ipSchema = z.union([z.ipv4(), z.ipv6()], { error: 'must be an IPv4 or IPv6 address' });

export const codeInputSchema = z.string().min(1, 'must not be empty').max(64);

export const listInputSchema = z
  .object({ limit: limitSchema(100) })
  .strict()
  .prefault({});

export const eventIdSchema = z.string().trim().min(1, 'must not be empty').max(255);
/** A positive amount in minor units (an integer; never a float). */
export const positiveAmountSchema = z
  .number({ error: 'must be an integer amount in minor units' })
  .int('must be an integer amount in minor units (e.g. cents), not a decimal')
  .min(1, 'must be positive')
  .max(Number.MAX_SAFE_INTEGER);

export const cursorPageInputSchema = z
  .object({
    limit: limitSchema(50),
    /** The id of the last item of the previous page. */
    cursor: recordIdSchema.optional(),
  })
  .strict()
  .prefault({});

export const dateSchema = z.coerce.date({ error: 'must be a date' });

/** An input with a time range [from, to) (besides `shape`): `to` after `from`, at most `maxDays` long. */
export const ranged = <S extends z.ZodRawShape>(maxDays: number, shape: S) =>
  z
    .object({ ...shape, from: dateSchema, to: dateSchema })
    .strict()
    .refine((r) => span(r) > 0, { message: 'must be after from', path: ['to'] })
    .refine((r) => span(r) <= maxDays * 86_400_000, { message: `the range may span at most ${maxDays} days`, path: ['to'] });

/** `to - from` in milliseconds of a parsed range (the generic shape hides the two fields from the type checker). */
const span = (r: unknown) => {
  const { from, to } = r as { from: Date; to: Date };
  return to.getTime() - from.getTime();
};
