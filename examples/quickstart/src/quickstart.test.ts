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
    expect(report).toMatch(/gina signs up with alice's code\s+→ referral to alice, pending/);
    expect(report).toMatch(/alice tries her own code\s+→ refused: SELF_REFERRAL/);
    expect(report).toMatch(/alice signs up again as a new account\s+→ refused: SELF_REFERRAL/);
    expect(report).toMatch(/carol comes back with bob's code\s+→ refused: DUPLICATE_REFEREE/);
    expect(report).toMatch(/erin clicked 45 days ago\s+→ refused: CLICK_EXPIRED/);
    expect(report).toMatch(/frank types a code that does not exist\s+→ refused: UNKNOWN_CODE/);
    // Everyone who buys later was seen signing up: the report tells the whole story.
    // Carol's referral comes from the link printed above: its code, and its utm_source as the referral's source.
    expect(report).toMatch(/alice {2}https:\/\/app\.example\/signup\?ref=([2-9A-HJKMNP-Z]{8})&utm_source=newsletter\n/);
    expect(report).toContain('alice  2 referral(s): carol (pending, via newsletter), gina (pending)');
    expect(report).toContain('bob    1 referral(s): dave (pending)');
  });

  it('runs the money cycle: tiered accruals, a tier change, a refund, approval and a payout', async () => {
    const report = (await runQuickstart()).join('\n');
    expect(report).toMatch(/pi_1 carol\s+pays\s+\$49\.00 \(qualifies\) → alice \+\$4\.90 \(referral 10 %\), carol \+\$5\.00 \(welcome_reward\)/);
    expect(report).toMatch(/pi_3 carol\s+pays\s+\$25\.00\s+→ alice \+\$3\.75 \(referral 15 %\)/);
    expect(report).toContain('pi_1 delivered again → replayed, nothing changes');
    expect(report).toContain('alice moved from tier 0 to tier 1 with pi_2');
    expect(report).toMatch(/reverses \$3\.75 of com_/);
    expect(report).toContain('approveDue() approved 6 commission(s)');
    expect(report).toContain('alice: pending $0.00, withdrawable $0.00, requested $0.00, paid $16.90');
    expect(report).toContain('carol: pending $0.00, withdrawable $5.00, requested $0.00, paid $0.00');
    expect(report).toMatch(/payout_paid\s+paid\s+\+\$16\.90\s+payout:PP-0001/);
  });
});
