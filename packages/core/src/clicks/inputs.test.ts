import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { ListClicksInput, listClicksInputSchema, RecordClickInput, recordClickInputSchema } from './inputs';

// The documented input interfaces are what the schemas accept: the same fields,
// each way (a field added to one and not the other fails the typecheck).
describe('click input types', () => {
  it('RecordClickInput is the input of its schema', () => {
    expectTypeOf<RecordClickInput>().toEqualTypeOf<z.input<typeof recordClickInputSchema>>();
  });

  it('ListClicksInput is the input of its schema', () => {
    expectTypeOf<ListClicksInput>().toEqualTypeOf<z.input<typeof listClicksInputSchema>>();
  });
});
