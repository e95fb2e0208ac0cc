import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type {
  AcceptTermsInput,
  acceptTermsInputSchema,
  EnrollInput,
  enrollInputSchema,
  ReplaceCodeInput,
  replaceCodeInputSchema,
  SetParticipantStatusInput,
  setStatusInputSchema,
} from './inputs';

// The documented input interfaces are what the schemas accept: the same fields,
// each way (a field added to one and not the other fails the typecheck).
describe('participant input types', () => {
  it('EnrollInput is the input of its schema', () => {
    expectTypeOf<EnrollInput>().toEqualTypeOf<z.input<typeof enrollInputSchema>>();
  });
  it('AcceptTermsInput is the input of its schema', () => {
    expectTypeOf<AcceptTermsInput>().toEqualTypeOf<z.input<typeof acceptTermsInputSchema>>();
  });

  it('ReplaceCodeInput is the input of its schema', () => {
    expectTypeOf<ReplaceCodeInput>().toEqualTypeOf<z.input<typeof replaceCodeInputSchema>>();
  });

  it('SetParticipantStatusInput is the input of its schema', () => {
    expectTypeOf<SetParticipantStatusInput>().toEqualTypeOf<z.input<typeof setStatusInputSchema>>();
  });
});
