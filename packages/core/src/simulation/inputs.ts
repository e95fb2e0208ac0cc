/*
 * The input schema and type of the plan dry-run.
 */
import * as z from 'zod';
import type { ProgramConfigInput } from '../config/program-input';
import { dateSchema } from '../engine/fields';

export const simulatePlanInputSchema = z
  .object({
    /** The candidate program configuration, in the form `createOnehop` takes; it is validated the same way. */
    config: z.custom<ProgramConfigInput>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'must be a program configuration object'),
    from: dateSchema,
    to: dateSchema,
  })
  .strict()
  .refine((r) => r.to.getTime() > r.from.getTime(), { message: 'must be after from', path: ['to'] });
/** A plan dry-run, as `simulatePlan` takes it. */
export interface SimulatePlanInput {
  /**
   * The candidate program configuration, in the form `createOnehop` takes
   * (validated the same way: errors name the path under `config`). Its
   * `currency` must be the program's; its `id` and `mode` are ignored.
   */
  config: ProgramConfigInput;
  /** Start of the period, included (a `Date`, an ISO 8601 string or epoch milliseconds): events that occurred from then on are compared. */
  from: unknown;
  /** End of the period, excluded; after `from`. */
  to: unknown;
}
