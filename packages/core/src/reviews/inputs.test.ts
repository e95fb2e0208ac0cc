import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type {
  DecideReviewInput,
  decideReviewInputSchema,
  EraseUserInput,
  eraseUserInputSchema,
  ListReviewsInput,
  listReviewsInputSchema,
  RecordSignInInput,
  RejectReferralInput,
  recordSignInInputSchema,
  rejectReferralInputSchema,
} from './inputs';

// The documented input interfaces are what the schemas accept: the same fields,
// each way (a field added to one and not the other fails the typecheck).
describe('review and erasure input types', () => {
  it('RecordSignInInput is the input of its schema', () => {
    expectTypeOf<RecordSignInInput>().toEqualTypeOf<z.input<typeof recordSignInInputSchema>>();
  });

  it('DecideReviewInput is the input of its schema', () => {
    expectTypeOf<DecideReviewInput>().toEqualTypeOf<z.input<typeof decideReviewInputSchema>>();
  });

  it('RejectReferralInput is the input of its schema', () => {
    expectTypeOf<RejectReferralInput>().toEqualTypeOf<z.input<typeof rejectReferralInputSchema>>();
  });

  it('ListReviewsInput is the input of its schema (or nothing: every field has a default)', () => {
    expectTypeOf<ListReviewsInput | undefined>().toEqualTypeOf<z.input<typeof listReviewsInputSchema>>();
  });

  it('EraseUserInput is the input of its schema', () => {
    expectTypeOf<EraseUserInput>().toEqualTypeOf<z.input<typeof eraseUserInputSchema>>();
  });
});
