import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock, createOnehop } from '@onehop/core';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { checkoutCompleted, sign } from '../src/pretend-stripe';
import { openStore } from '../src/store';

describe('the app’s default store', () => {
  it('keeps its data in a PGlite folder across restarts, migrated on start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onehop-web-app-'));
    const clock = createManualClock('2026-06-01T12:00:00Z');
    const program = { id: 'web', currency: 'USD', mode: 'mock' as const, commission: { rule: { type: 'percentage' as const, rateBps: 2000, scope: { type: 'lifetime' as const } } } };
    try {
      const first = await openStore({ dataDir: dir });
      expect(first.description).toBe(`PGlite in ${dir}`);
      const onehop = createOnehop({ store: first.store, clock, program });
      const { participant } = await onehop.enroll({ userId: 'alice' });
      await onehop.attribute({ refereeId: 'bob', code: participant.code });
      const signed = sign(checkoutCompleted('bob', 4900, 'usd', clock.now()).event, 'whsec_x');
      const res = await createApp({ onehop, stripeWebhookSecret: 'whsec_x' }).request('/webhooks/stripe', { method: 'POST', body: signed.payload, headers: { 'stripe-signature': signed.signature } });
      expect(res.status).toBe(200);
      await first.close();

      const second = await openStore({ dataDir: dir });
      const again = createOnehop({ store: second.store, clock, program });
      expect((await again.getBalances('alice')).pending).toBe(980);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
