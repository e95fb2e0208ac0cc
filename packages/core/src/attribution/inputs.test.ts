import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { AttributeInput, attributeInputSchema } from './inputs';

// The documented input interface is what the schema accepts: the same fields,
// each way (a field added to one and not the other fails the typecheck).
describe('attribution input types', () => {
  it('AttributeInput is the input of its schema', () => {
    expectTypeOf<AttributeInput>().toEqualTypeOf<z.input<typeof attributeInputSchema>>();
  });
});
