import { describe, expect, it } from 'vitest';
import { runQuickstart } from './quickstart';

describe('quickstart demo', () => {
  it('walks the flow and reports every outcome', async () => {
    const report = (await runQuickstart()).join('\n');
    expect(report).toContain('in mock mode');
    expect(report).toMatch(/alice\s+code [2-9A-HJKMNP-Z]{8}\s+\(enrolling again returns \S+, created: false\)/);
    expect(report).toContain('https://app.example/signup?ref=BOBROCKS');
    expect(report).toMatch(/carol signs up with alice's link\s+→ referral to alice, pending/);
    expect(report).toMatch(/dave types bob's code in mixed case\s+→ referral to bob, pending/);
    expect(report).toMatch(/alice tries her own code\s+→ refused: SELF_REFERRAL/);
    expect(report).toMatch(/alice signs up again as a new account\s+→ refused: SELF_REFERRAL/);
    expect(report).toMatch(/carol comes back with bob's code\s+→ refused: DUPLICATE_REFEREE/);
    expect(report).toMatch(/erin clicked 45 days ago\s+→ refused: CLICK_EXPIRED/);
    expect(report).toMatch(/frank types a code that does not exist\s+→ refused: UNKNOWN_CODE/);
    expect(report).toContain('alice  1 referral(s): carol (pending)');
    expect(report).toContain('bob    1 referral(s): dave (pending)');
  });
});
