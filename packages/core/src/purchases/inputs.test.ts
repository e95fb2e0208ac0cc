import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type {
  RecordCancellationInput,
  RecordPurchaseInput,
  RecordReversalInput,
  ReinstateChargebackInput,
  recordCancellationInputSchema,
  recordPurchaseInputSchema,
  recordReversalInputSchema,
  reinstateChargebackInputSchema,
} from './inputs';

// The documented input interfaces are what the schemas accept: the same fields,
// each way (a field added to one and not the other fails the typecheck).
describe('purchase input types', () => {
  it('RecordPurchaseInput is the input of its schema', () => {
    expectTypeOf<RecordPurchaseInput>().toEqualTypeOf<z.input<typeof recordPurchaseInputSchema>>();
  });

  it('RecordReversalInput is the input of its schema', () => {
    expectTypeOf<RecordReversalInput>().toEqualTypeOf<z.input<typeof recordReversalInputSchema>>();
  });

  it('ReinstateChargebackInput and RecordCancellationInput are the inputs of their schemas', () => {
    expectTypeOf<ReinstateChargebackInput>().toEqualTypeOf<z.input<typeof reinstateChargebackInputSchema>>();
    expectTypeOf<RecordCancellationInput>().toEqualTypeOf<z.input<typeof recordCancellationInputSchema>>();
  });
});
