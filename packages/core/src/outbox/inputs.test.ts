import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type {
  DispatcherOptions,
  dispatcherOptionsSchema,
  ListEventsInput,
  listEventsInputSchema,
  PurgeEventsInput,
  purgeEventsInputSchema,
  RetryEventInput,
  retryEventInputSchema,
} from './inputs';

// The documented input interfaces are what the schemas accept: the same fields,
// each way (a field added to one and not the other fails the typecheck).
describe('outbox input types', () => {
  it('DispatcherOptions is the input of its schema', () => {
    expectTypeOf<DispatcherOptions>().toEqualTypeOf<z.input<typeof dispatcherOptionsSchema>>();
  });

  it('ListEventsInput is the input of its schema (or nothing: every field has a default)', () => {
    expectTypeOf<ListEventsInput | undefined>().toEqualTypeOf<z.input<typeof listEventsInputSchema>>();
  });

  it('RetryEventInput is the input of its schema', () => {
    expectTypeOf<RetryEventInput>().toEqualTypeOf<z.input<typeof retryEventInputSchema>>();
  });

  it('PurgeEventsInput is the input of its schema', () => {
    expectTypeOf<PurgeEventsInput>().toEqualTypeOf<z.input<typeof purgeEventsInputSchema>>();
  });
});
