import { type ClickResult, keyedHash } from '@onehop/core';
import { expect, it } from 'vitest';
import { TEST_HASH_KEY } from './fraud-suite';
import type { Setup } from './money-suite';

const MINUTE = 60_000;

function recorded(result: ClickResult) {
  if (result.status !== 'recorded') throw new Error(`expected a recorded click, got ${result.status}: ${result.message}`);
  return result.click;
}

/** Clicks on referral links: what the click endpoint stores for funnel statistics, and the flood rule. */
export function clicksSuite(setup: Setup): void {
  it('records a click under the normalised code, with its landing URL, source and keyed IP hash', async () => {
    const { onehop, clock } = await setup();
    await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    const click = recorded(
      await onehop.recordClick({ code: ' alice-123 ', landingUrl: 'https://shop.example/?ref=alice-123&utm_source=news', source: 'news', ip: '198.51.100.7' }),
    );
    expect(click).toMatchObject({
      code: 'ALICE123',
      referrerId: 'alice',
      landingUrl: 'https://shop.example/?ref=alice-123&utm_source=news',
      source: 'news',
      ipHash: keyedHash(TEST_HASH_KEY, 'ip', '198.51.100.7'),
      at: clock.now(),
    });
    expect(JSON.stringify(click)).not.toContain('198.51.100.7');
    expect(await onehop.listClicks({ userId: 'alice' })).toEqual([click]);
  });

  it('ignores a click on an unknown code and stores nothing', async () => {
    const { onehop } = await setup();
    await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    expect(await onehop.recordClick({ code: 'NOBODY99', ip: '198.51.100.7' })).toMatchObject({ status: 'ignored', reason: 'UNKNOWN_CODE' });
    expect(await onehop.listClicks({ userId: 'alice' })).toEqual([]);
  });

  it('counts a click on a retired code for the code’s owner, as attribution does', async () => {
    const { onehop } = await setup();
    await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    await onehop.replaceCode({ userId: 'alice', adminId: 'admin', reason: 'rebrand', newCode: 'ALICENEW' });
    expect(recorded(await onehop.recordClick({ code: 'ALICE123' }))).toMatchObject({ code: 'ALICE123', referrerId: 'alice' });
  });

  it('refuses a flood from one IP address within the window, stores nothing for it, and lets other addresses through', async () => {
    const { onehop, clock } = await setup({ fraud: { clickVelocity: { max: 3, windowMinutes: 10 } } });
    await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    for (let i = 0; i < 3; i++) recorded(await onehop.recordClick({ code: 'ALICE123', ip: '203.0.113.9' }));
    expect(await onehop.recordClick({ code: 'ALICE123', ip: '203.0.113.9' })).toMatchObject({ status: 'refused', reason: 'CLICK_VELOCITY' });
    // The IPv4-mapped IPv6 form is the same address.
    expect(await onehop.recordClick({ code: 'ALICE123', ip: '::ffff:203.0.113.9' })).toMatchObject({ status: 'refused' });
    recorded(await onehop.recordClick({ code: 'ALICE123', ip: '203.0.113.10' }));
    expect(await onehop.listClicks({ userId: 'alice' })).toHaveLength(4);
    clock.advance(10 * MINUTE + 1);
    recorded(await onehop.recordClick({ code: 'ALICE123', ip: '203.0.113.9' }));
  });

  it('counts the addresses of one IPv6 /64 as one address for the click limit', async () => {
    const { onehop } = await setup({ fraud: { clickVelocity: { max: 2, windowMinutes: 10 } } });
    await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    recorded(await onehop.recordClick({ code: 'ALICE123', ip: '2001:db8:5:6:1::1' }));
    recorded(await onehop.recordClick({ code: 'ALICE123', ip: '2001:db8:5:6:2::2' }));
    expect(await onehop.recordClick({ code: 'ALICE123', ip: '2001:db8:5:6:ffff:ffff:ffff:fffe' })).toMatchObject({ status: 'refused', reason: 'CLICK_VELOCITY' });
    recorded(await onehop.recordClick({ code: 'ALICE123', ip: '2001:db8:5:7::1' }));
  });

  it('pages a referrer’s clicks by cursor, oldest first', async () => {
    const { onehop } = await setup();
    await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    await onehop.enroll({ userId: 'bob', code: 'BOBCODE1' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(recorded(await onehop.recordClick({ code: 'ALICE123', source: `s${i}` })).id);
      await onehop.recordClick({ code: 'BOBCODE1' });
    }
    const first = await onehop.listClicks({ userId: 'alice', limit: 2 });
    const rest = await onehop.listClicks({ userId: 'alice', limit: 10, cursor: first[1]!.id });
    expect([...first, ...rest].map((c) => c.id)).toEqual(ids);
  });
}
