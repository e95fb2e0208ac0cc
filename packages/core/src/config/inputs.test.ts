import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { CommissionConfigInput, CommissionRuleInput, commissionConfigSchema, commissionRuleSchema } from './commission';
import type { FraudConfigInput, fraudConfigSchema } from './fraud';
import type { GroupConfigInput, groupConfigSchema, RewardConditionInput, RewardInput, rewardConditionSchema, rewardSchema } from './group';
import type { programConfigSchema } from './program';
import type { ProgramConfigInput } from './program-input';

// The documented configuration interfaces are what the schemas accept: the
// same fields, each way (a field added to one and not the other fails the typecheck).
describe('program configuration input types', () => {
  it('ProgramConfigInput is the input of its schema', () => {
    expectTypeOf<ProgramConfigInput>().toEqualTypeOf<z.input<typeof programConfigSchema>>();
  });

  it('CommissionConfigInput is the input of its schema', () => {
    expectTypeOf<CommissionConfigInput>().toEqualTypeOf<z.input<typeof commissionConfigSchema>>();
  });

  it('CommissionRuleInput is the input of its schema', () => {
    expectTypeOf<CommissionRuleInput>().toEqualTypeOf<z.input<typeof commissionRuleSchema>>();
  });

  it('FraudConfigInput is the input of its schema', () => {
    expectTypeOf<FraudConfigInput>().toEqualTypeOf<z.input<typeof fraudConfigSchema>>();
  });

  it('GroupConfigInput, RewardInput and RewardConditionInput are the inputs of their schemas', () => {
    expectTypeOf<GroupConfigInput>().toEqualTypeOf<z.input<typeof groupConfigSchema>>();
    expectTypeOf<RewardInput>().toEqualTypeOf<z.input<typeof rewardSchema>>();
    expectTypeOf<RewardConditionInput>().toEqualTypeOf<z.input<typeof rewardConditionSchema>>();
  });
});
