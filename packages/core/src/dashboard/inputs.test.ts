import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type {
  FunnelInput,
  funnelInputSchema,
  HistoryInput,
  historyInputSchema,
  PayoutsByStatusInput,
  PerformanceInput,
  PeriodInput,
  payoutsByStatusInputSchema,
  performanceInputSchema,
  periodInputSchema,
  RefereeInput,
  ReferralOfferInput,
  ReferralsByStatusInput,
  refereeInputSchema,
  referralOfferInputSchema,
  referralsByStatusInputSchema,
  StatementInput,
  statementInputSchema,
  TaxExportInput,
  TopReferrersInput,
  taxExportInputSchema,
  topReferrersInputSchema,
  UserInput,
  userInputSchema,
} from './inputs';

// The documented input interfaces are what the schemas accept: the same fields,
// each way (a field added to one and not the other fails the typecheck).
describe('dashboard input types', () => {
  it('UserInput is the input of its schema', () => {
    expectTypeOf<UserInput>().toEqualTypeOf<z.input<typeof userInputSchema>>();
  });

  it('HistoryInput is the input of its schema', () => {
    expectTypeOf<HistoryInput>().toEqualTypeOf<z.input<typeof historyInputSchema>>();
  });

  it('PerformanceInput is the input of its schema', () => {
    expectTypeOf<PerformanceInput>().toEqualTypeOf<z.input<typeof performanceInputSchema>>();
  });

  it('RefereeInput is the input of its schema', () => {
    expectTypeOf<RefereeInput>().toEqualTypeOf<z.input<typeof refereeInputSchema>>();
  });

  it('ReferralOfferInput is the input of its schema', () => {
    expectTypeOf<ReferralOfferInput>().toEqualTypeOf<z.input<typeof referralOfferInputSchema>>();
  });

  it('PeriodInput is the input of its schema', () => {
    expectTypeOf<PeriodInput>().toEqualTypeOf<z.input<typeof periodInputSchema>>();
  });

  it('TopReferrersInput is the input of its schema', () => {
    expectTypeOf<TopReferrersInput>().toEqualTypeOf<z.input<typeof topReferrersInputSchema>>();
  });

  it('FunnelInput is the input of its schema', () => {
    expectTypeOf<FunnelInput>().toEqualTypeOf<z.input<typeof funnelInputSchema>>();
  });

  it('ReferralsByStatusInput is the input of its schema', () => {
    expectTypeOf<ReferralsByStatusInput>().toEqualTypeOf<z.input<typeof referralsByStatusInputSchema>>();
  });

  it('PayoutsByStatusInput is the input of its schema', () => {
    expectTypeOf<PayoutsByStatusInput>().toEqualTypeOf<z.input<typeof payoutsByStatusInputSchema>>();
  });

  it('StatementInput is the input of its schema', () => {
    expectTypeOf<StatementInput>().toEqualTypeOf<z.input<typeof statementInputSchema>>();
  });

  it('TaxExportInput is the input of its schema', () => {
    expectTypeOf<TaxExportInput>().toEqualTypeOf<z.input<typeof taxExportInputSchema>>();
  });
});
