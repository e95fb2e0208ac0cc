import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { SimulatePlanInput, simulatePlanInputSchema } from './inputs';

// The documented input interface is what the schema accepts: the same fields,
// each way (a field added to one and not the other fails the typecheck).
describe('simulation input types', () => {
  it('SimulatePlanInput is the input of its schema', () => {
    expectTypeOf<SimulatePlanInput>().toEqualTypeOf<z.input<typeof simulatePlanInputSchema>>();
  });
});
