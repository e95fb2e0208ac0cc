import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type {
  ApprovePayoutInput,
  approvePayoutInputSchema,
  CreatePayoutRunInput,
  createPayoutRunInputSchema,
  MarkPayoutPaidInput,
  markPayoutPaidInputSchema,
  RejectPayoutInput,
  RequestPayoutInput,
  RetryPayoutInput,
  rejectPayoutInputSchema,
  requestPayoutInputSchema,
  retryPayoutInputSchema,
  SendPayoutsInput,
  SetPayoutMethodInput,
  SetTaxProfileInput,
  SettlePayoutInput,
  sendPayoutsInputSchema,
  setPayoutMethodInputSchema,
  setTaxProfileInputSchema,
  settlePayoutInputSchema,
  TaxYearReportInput,
  taxYearReportInputSchema,
} from './inputs';

// The documented input interfaces are what the schemas accept: the same fields,
// each way (a field added to one and not the other fails the typecheck).
describe('payout input types', () => {
  it('SetPayoutMethodInput is the input of its schema', () => {
    expectTypeOf<SetPayoutMethodInput>().toEqualTypeOf<z.input<typeof setPayoutMethodInputSchema>>();
  });

  it('RequestPayoutInput is the input of its schema', () => {
    expectTypeOf<RequestPayoutInput>().toEqualTypeOf<z.input<typeof requestPayoutInputSchema>>();
  });

  it('ApprovePayoutInput is the input of its schema', () => {
    expectTypeOf<ApprovePayoutInput>().toEqualTypeOf<z.input<typeof approvePayoutInputSchema>>();
  });

  it('RejectPayoutInput is the input of its schema', () => {
    expectTypeOf<RejectPayoutInput>().toEqualTypeOf<z.input<typeof rejectPayoutInputSchema>>();
  });

  it('MarkPayoutPaidInput is the input of its schema', () => {
    expectTypeOf<MarkPayoutPaidInput>().toEqualTypeOf<z.input<typeof markPayoutPaidInputSchema>>();
  });

  it('the run, send, settle, retry and tax inputs are the inputs of their schemas', () => {
    expectTypeOf<CreatePayoutRunInput>().toEqualTypeOf<z.input<typeof createPayoutRunInputSchema>>();
    expectTypeOf<SendPayoutsInput>().toEqualTypeOf<z.input<typeof sendPayoutsInputSchema>>();
    expectTypeOf<SettlePayoutInput>().toEqualTypeOf<z.input<typeof settlePayoutInputSchema>>();
    expectTypeOf<RetryPayoutInput>().toEqualTypeOf<z.input<typeof retryPayoutInputSchema>>();
    expectTypeOf<SetTaxProfileInput>().toEqualTypeOf<z.input<typeof setTaxProfileInputSchema>>();
    expectTypeOf<TaxYearReportInput>().toEqualTypeOf<z.input<typeof taxYearReportInputSchema>>();
  });
});
