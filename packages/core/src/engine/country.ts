import * as z from 'zod';

/** A country, ISO 3166-1 alpha-2, in any case; upper-cased (`de` → `DE`). */
export const countrySchema = z
  .string()
  .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code, e.g. "DE"')
  .transform((c) => c.toUpperCase());
