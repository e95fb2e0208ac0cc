import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoProgram } from '../src/program';
import { DEMO_LOGIN, seedDemoData } from '../src/seed';
import { cookiesOf, postForm, startTestApp } from './helpers';

describe('the app’s data', () => {
  it('lives in a PGlite folder across restarts, migrated on start; the demo data is seeded once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onehop-web-app-'));
    const program = demoProgram({ hashKey: 'web-app-test-hash-key-0123456789abcdef' });
    try {
      const first = await startTestApp({ dataDir: dir });
      expect(first.db.description).toBe(`PGlite in ${dir}`);
      expect(await seedDemoData(first.db, program)).toBe(true);
      const users = await first.count('app.users');
      const ledger = await first.count('onehop.ledger_entries');
      expect(users).toBeGreaterThan(3);
      await first.close();

      const second = await startTestApp({ dataDir: dir });
      expect(await seedDemoData(second.db, program)).toBe(false);
      expect(await second.count('app.users')).toBe(users);
      expect(await second.count('onehop.ledger_entries')).toBe(ledger);
      // The demo login works and Ada's dashboard shows her paid-out history.
      const signIn = await postForm(second.app, '/signin', DEMO_LOGIN);
      expect(signIn.status).toBe(303);
      const page = await (await second.app.request('/dashboard', { headers: { cookie: cookiesOf(signIn) } })).text();
      expect(page).toContain('PAYPAL-DEMO-1');
      expect(page).toMatch(/data-testid="paid">\$[1-9]/);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
