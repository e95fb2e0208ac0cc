import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type {
  AcceptInvitationInput,
  acceptInvitationInputSchema,
  CancelInvitationInput,
  cancelInvitationInputSchema,
  ExpireInvitationsInput,
  expireInvitationsInputSchema,
  InviteInput,
  InviteManyInput,
  inviteInputSchema,
  inviteManyInputSchema,
  ListInvitationsInput,
  listInvitationsInputSchema,
  ResendInvitationInput,
  resendInvitationInputSchema,
} from './inputs';

// The documented input interfaces are what the schemas accept: the same fields,
// each way (a field added to one and not the other fails the typecheck).
describe('invitation input types', () => {
  it('ExpireInvitationsInput is the input of its schema', () => {
    expectTypeOf<ExpireInvitationsInput>().toEqualTypeOf<z.input<typeof expireInvitationsInputSchema>>();
  });

  it('AcceptInvitationInput is the input of its schema', () => {
    expectTypeOf<AcceptInvitationInput>().toEqualTypeOf<z.input<typeof acceptInvitationInputSchema>>();
  });

  it('InviteInput is the input of its schema', () => {
    expectTypeOf<InviteInput>().toEqualTypeOf<z.input<typeof inviteInputSchema>>();
  });

  it('InviteManyInput is the input of its schema', () => {
    expectTypeOf<InviteManyInput>().toEqualTypeOf<z.input<typeof inviteManyInputSchema>>();
  });

  it('ResendInvitationInput is the input of its schema', () => {
    expectTypeOf<ResendInvitationInput>().toEqualTypeOf<z.input<typeof resendInvitationInputSchema>>();
  });

  it('CancelInvitationInput is the input of its schema', () => {
    expectTypeOf<CancelInvitationInput>().toEqualTypeOf<z.input<typeof cancelInvitationInputSchema>>();
  });

  it('ListInvitationsInput is the input of its schema', () => {
    expectTypeOf<ListInvitationsInput>().toEqualTypeOf<z.input<typeof listInvitationsInputSchema>>();
  });
});
