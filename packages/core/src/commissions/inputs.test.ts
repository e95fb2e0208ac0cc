import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { AdjustBalanceInput, ApproveDueInput, adjustBalanceInputSchema, approveDueInputSchema, DecideCommissionInput, decideCommissionInputSchema } from './inputs';

// The documented input interfaces are what the schemas accept: the same fields,
// each way (a field added to one and not the other fails the typecheck).
describe('commission input types', () => {
  it('ApproveDueInput is the input of its schema (or nothing: every field has a default)', () => {
    expectTypeOf<ApproveDueInput | undefined>().toEqualTypeOf<z.input<typeof approveDueInputSchema>>();
  });

  it('DecideCommissionInput is the input of its schema', () => {
    expectTypeOf<DecideCommissionInput>().toEqualTypeOf<z.input<typeof decideCommissionInputSchema>>();
  });

  it('AdjustBalanceInput is the input of its schema', () => {
    expectTypeOf<AdjustBalanceInput>().toEqualTypeOf<z.input<typeof adjustBalanceInputSchema>>();
  });
});
