import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { MoveToGroupInput, moveToGroupInputSchema, SetParticipantTermsInput, setParticipantTermsInputSchema } from './inputs';

// The documented input interfaces are what the schemas accept: the same fields,
// each way (a field added to one and not the other fails the typecheck).
describe('group input types', () => {
  it('MoveToGroupInput is the input of its schema', () => {
    expectTypeOf<MoveToGroupInput>().toEqualTypeOf<z.input<typeof moveToGroupInputSchema>>();
  });
  it('SetParticipantTermsInput is the input of its schema', () => {
    expectTypeOf<SetParticipantTermsInput>().toEqualTypeOf<z.input<typeof setParticipantTermsInputSchema>>();
  });
});
