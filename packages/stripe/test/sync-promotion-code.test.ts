/**
 * syncPromotionCode against a local HTTP server that stands in for Stripe's
 * API (test/stripe-api-stand-in.ts: Stripe cannot be reached from where
 * these tests run; the stand-in is not part of anything onehop ships). The
 * assertions are the requests Stripe's API reference describes: retrieve
 * and create a coupon (`GET /v1/coupons/:id`, `POST /v1/coupons`), list
 * promotion codes by code (`GET /v1/promotion_codes?code=…&active=true`),
 * create one on the coupon (`POST /v1/promotion_codes` with
 * `promotion[type]=coupon`) and deactivate one (`POST /v1/promotion_codes/:id`
 * with `active=false`).
 */
import { parseProgramConfig } from '@onehop/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { syncPromotionCode } from '../src/index';
import { list, type StripeStandIn, startStripeStandIn } from './stripe-api-stand-in';

const program = (refereeDiscount?: unknown) =>
  parseProgramConfig({ id: 'shop', currency: 'EUR', mode: 'mock', ...(refereeDiscount ? { refereeDiscount } : {}) }) as ReturnType<typeof parseProgramConfig>;

describe('syncPromotionCode', () => {
  let api: StripeStandIn;
  /** Promotion codes the stand-in holds, as Stripe would list them. */
  let codes: { id: string; object: 'promotion_code'; code: string; active: boolean; promotion: { type: 'coupon'; coupon: string }; metadata: Record<string, string> }[];
  let coupons: Set<string>;

  beforeAll(async () => {
    api = await startStripeStandIn();
  });
  afterAll(() => api.close());
  beforeEach(() => {
    api.requests.length = 0;
    api.routes.length = 0;
    codes = [];
    coupons = new Set();
    api.routes.push((r) => {
      const coupon = /^\/v1\/coupons\/(.+)$/.exec(r.path);
      if (r.method === 'GET' && coupon) return coupons.has(coupon[1]!) ? { body: { id: coupon[1], object: 'coupon' } } : undefined;
      if (r.method === 'POST' && r.path === '/v1/coupons') {
        coupons.add(r.body.id!);
        return { body: { id: r.body.id, object: 'coupon' } };
      }
      if (r.method === 'GET' && r.path === '/v1/promotion_codes') {
        return {
          body: list(
            '/v1/promotion_codes',
            codes.filter((c) => c.active && c.code.toUpperCase() === r.query.code?.toUpperCase()),
          ),
        };
      }
      if (r.method === 'POST' && r.path === '/v1/promotion_codes') {
        const created = {
          id: `promo_${codes.length + 1}`,
          object: 'promotion_code' as const,
          code: r.body.code!,
          active: true,
          promotion: { type: 'coupon' as const, coupon: r.body['promotion[coupon]']! },
          metadata: { onehopReferrerId: r.body['metadata[onehopReferrerId]']! },
        };
        codes.push(created);
        return { body: created };
      }
      const update = /^\/v1\/promotion_codes\/(.+)$/.exec(r.path);
      if (r.method === 'POST' && update) {
        const found = codes.find((c) => c.id === update[1]);
        if (found) found.active = r.body.active !== 'false';
        return found ? { body: found } : undefined;
      }
      return undefined;
    });
  });

  const calls = () => api.requests.map((r) => `${r.method} ${r.path}`);

  it('creates the program’s coupon and the referrer’s promotion code, then changes nothing when run again', async () => {
    const shop = program({ type: 'percentage', rateBps: 1500, duration: { type: 'months', months: 3 } });
    const first = await syncPromotionCode(api.stripe, { program: shop, referrerId: 'alice', code: 'ALICE123' });
    expect(first).toEqual({
      couponId: 'onehop_shop_pct1500_m3',
      couponCreated: true,
      promotionCodeId: 'promo_1',
      promotionCodeCreated: true,
      deactivated: [],
    });
    expect(calls()).toEqual(['GET /v1/coupons/onehop_shop_pct1500_m3', 'POST /v1/coupons', 'GET /v1/promotion_codes', 'POST /v1/promotion_codes']);
    expect(api.requests[1]!.body).toEqual({
      id: 'onehop_shop_pct1500_m3',
      name: 'Referral discount',
      percent_off: '15',
      duration: 'repeating',
      duration_in_months: '3',
      'metadata[onehopProgram]': 'shop',
    });
    expect(api.requests[2]!.query).toMatchObject({ code: 'ALICE123', active: 'true' });
    expect(api.requests[3]!.body).toEqual({
      'promotion[type]': 'coupon',
      'promotion[coupon]': 'onehop_shop_pct1500_m3',
      code: 'ALICE123',
      'metadata[onehopReferrerId]': 'alice',
      'metadata[onehopProgram]': 'shop',
    });
    api.requests.length = 0;
    expect(await syncPromotionCode(api.stripe, { program: shop, referrerId: 'alice', code: 'ALICE123' })).toMatchObject({
      couponCreated: false,
      promotionCodeId: 'promo_1',
      promotionCodeCreated: false,
      deactivated: [],
    });
    expect(calls()).toEqual(['GET /v1/coupons/onehop_shop_pct1500_m3', 'GET /v1/promotion_codes']);
  });

  it('moves the code to a new coupon when the discount changes, and deactivates it when asked', async () => {
    await syncPromotionCode(api.stripe, { program: program({ type: 'percentage', rateBps: 1000 }), referrerId: 'alice', code: 'ALICE123' });
    api.requests.length = 0;
    const changed = await syncPromotionCode(api.stripe, { program: program({ type: 'amount', amount: 500 }), referrerId: 'alice', code: 'ALICE123' });
    expect(changed).toMatchObject({ couponId: 'onehop_shop_amt500eur_once', couponCreated: true, promotionCodeId: 'promo_2', deactivated: ['promo_1'] });
    expect(api.requests.find((r) => r.path === '/v1/coupons' && r.method === 'POST')!.body).toMatchObject({ amount_off: '500', currency: 'eur', duration: 'once' });
    expect(api.requests.find((r) => r.path === '/v1/promotion_codes/promo_1')!.body).toEqual({ active: 'false' });
    const off = await syncPromotionCode(api.stripe, { program: program({ type: 'amount', amount: 500 }), referrerId: 'alice', code: 'ALICE123', active: false });
    expect(off).toMatchObject({ promotionCodeId: null, deactivated: ['promo_2'] });
    expect(codes.filter((c) => c.active)).toEqual([]);
  });

  it('refuses a program without a referee discount, asking Stripe nothing', async () => {
    await expect(syncPromotionCode(api.stripe, { program: program(), referrerId: 'alice', code: 'ALICE123' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'program.refereeDiscount',
    });
    expect(api.requests).toEqual([]);
  });

  it('reports Stripe refusing a request as a BillingProviderError', async () => {
    api.routes.unshift((r) =>
      r.method === 'POST' ? { status: 400, body: { error: { type: 'invalid_request_error', message: 'refused by the stand-in' } } } : undefined,
    );
    await expect(syncPromotionCode(api.stripe, { program: program({ type: 'percentage', rateBps: 1000 }), referrerId: 'alice', code: 'ALICE123' })).rejects.toMatchObject(
      { code: 'BILLING_PROVIDER_ERROR', retryable: false },
    );
  });
});
