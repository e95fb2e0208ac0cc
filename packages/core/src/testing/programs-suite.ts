import { createOnehop } from '@onehop/core';
import { expect, it } from 'vitest';
import { LIVE_MODE_SKIPPED, type Setup } from './money-suite';

/** Programs and modes kept apart on one store; the mode taken from NODE_ENV. */
export function programsSuite(setup: Setup, options: { supportsLiveMode: boolean }): void {
  it('keeps programs apart on one store', async () => {
    const { onehop, store } = await setup();
    const other = createOnehop({ store, program: { id: `${onehop.program.id}-other`, currency: 'EUR', mode: 'mock' } });
    await onehop.enroll({ userId: 'alice', code: 'SAMECODE' });
    expect(await other.getParticipant('alice')).toBeNull();
    expect(await other.resolveCode('SAMECODE')).toBeNull();
    expect((await other.enroll({ userId: 'zed', code: 'SAMECODE' })).created).toBe(true);
  });

  it.skipIf(options.supportsLiveMode === false)(
    `takes the default mode from NODE_ENV when createOnehop runs: changing it later does not switch an engine${options.supportsLiveMode === false ? LIVE_MODE_SKIPPED : ''}`,
    async () => {
      const { onehop, store } = await setup();
      const saved = process.env.NODE_ENV;
      try {
        process.env.NODE_ENV = 'production';
        const created = createOnehop({ store, program: { id: `${onehop.program.id}-env`, currency: 'USD' } });
        expect(created.mode).toBe('live');
        process.env.NODE_ENV = 'development';
        expect(created.mode).toBe('live');
        expect(createOnehop({ store, program: { id: `${onehop.program.id}-env`, currency: 'USD' } }).mode).toBe('mock');
        // The env option, when given, is read instead of process.env.
        expect(createOnehop({ store, program: { id: `${onehop.program.id}-env`, currency: 'USD' }, env: { NODE_ENV: 'production' } }).mode).toBe('live');
      } finally {
        if (saved === undefined) delete process.env.NODE_ENV;
        else process.env.NODE_ENV = saved;
      }
    },
  );

  it.skipIf(options.supportsLiveMode === false)(`keeps mock rows out of live mode${options.supportsLiveMode === false ? LIVE_MODE_SKIPPED : ''}`, async () => {
    const { onehop: mock, store } = await setup({ mode: 'mock' });
    const live = createOnehop({ store, program: { id: mock.program.id, currency: 'USD', mode: 'live' } });
    expect(live.mode).toBe('live');
    await mock.enroll({ userId: 'alice', code: 'MOCKCODE' });
    await mock.attribute({ refereeId: 'bob', code: 'MOCKCODE' });
    expect(await live.getParticipant('alice')).toBeNull();
    expect(await live.resolveCode('MOCKCODE')).toBeNull();
    expect(await live.getReferralByReferee('bob')).toBeNull();
  });
}
