import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { AttributeInput, attributeInputSchema } from '../attribution/inputs';
import type { EnrollInput, enrollInputSchema } from './inputs';

// The documented input interfaces are what the schemas accept: the same fields,
// each way (a field added to one and not the other fails the typecheck).
describe('participant and attribution input types', () => {
  it('EnrollInput is the input of its schema', () => {
    expectTypeOf<EnrollInput>().toEqualTypeOf<z.input<typeof enrollInputSchema>>();
  });

  it('AttributeInput is the input of its schema', () => {
    expectTypeOf<AttributeInput>().toEqualTypeOf<z.input<typeof attributeInputSchema>>();
  });
});
