import { accrualCounters, accrualLine } from '../accrual/decide';
import { parseProgramConfig } from '../config/program';
import { dayKey, monthOfDay } from '../counters/stats';
import { parse } from '../engine/context';
import { WriteSetBuilder } from '../engine/write-set-builder';
import { ValidationError } from '../errors/errors';
import { decidePurchase, purchaseEvent } from '../purchases/decide-purchase';
import { reversedShare } from '../purchases/reverse-commissions';
import { detailsOf } from '../purchases/source-event';
import { simulatePlanInputSchema } from './inputs';

/**
 * The engine's own functions the plan dry-run runs, handed to it when it
 * loads. The dry-run is a chunk of its own, loaded at its first call
 * (`import()`); were it to import these itself, a bundler would move them,
 * and zod with them, out of the start-up bundle into a chunk both share,
 * which costs more at start than the dry-run saves. So its files import
 * types only, and use the very functions a live purchase uses.
 */
export const SIMULATION_KIT = {
  accrualCounters,
  accrualLine,
  dayKey,
  decidePurchase,
  detailsOf,
  monthOfDay,
  parse,
  parseProgramConfig,
  purchaseEvent,
  reversedShare,
  simulatePlanInputSchema,
  ValidationError,
  WriteSetBuilder,
};

export type SimulationKit = typeof SIMULATION_KIT;
