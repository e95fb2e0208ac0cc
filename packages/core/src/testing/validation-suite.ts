import { OnehopError, ValidationError } from '@onehop/core';
import { expect, it } from 'vitest';
import type { Setup } from './money-suite';
import { snapshot } from './snapshot';

/** Bad input to every public method: a typed error naming the field, nothing written. */
export function validationSuite(setup: Setup): void {
  it('bad input to every public method throws a typed error naming the field, and writes nothing', async () => {
    const { onehop } = await setup();
    await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    const before = await snapshot(onehop, ['alice', 'bob', '']);
    const cases: [() => Promise<unknown>, string][] = [
      [() => onehop.enroll({ userId: '' }), 'userId'],
      [() => onehop.enroll({ userId: 'bob', email: 'not-an-email' }), 'email'],
      [() => onehop.enroll({ userId: 'bob', extra: 1 } as never), ''],
      [() => onehop.acceptTerms({ userId: 'alice', version: '' }), 'version'],
      [() => onehop.getParticipant(42 as never), 'userId'],
      [() => onehop.replaceCode({ userId: 'alice', adminId: 'admin', reason: ' ' }), 'reason'],
      [() => onehop.replaceCode({ userId: 'alice', adminId: '', reason: 'x' }), 'adminId'],
      [() => onehop.suspendParticipant({ userId: 'alice', adminId: 'admin' } as never), 'reason'],
      [() => onehop.resolveCode(''), 'code'],
      [() => onehop.attribute({ refereeId: 'bob', code: '' }), 'code'],
      [() => onehop.attribute({ refereeId: 'bob', code: '---' }), 'code'],
      [() => onehop.attribute({ refereeId: 'bob', code: 'ALICE123', ip: '999.1.1.1' }), 'ip'],
      [() => onehop.attribute({ refereeId: 'bob', code: 'ALICE123', clickedAt: 'yesterday' }), 'clickedAt'],
      [() => onehop.attribute({ refereeId: 'bob', code: 'ALICE123', clickedAt: new Date(Date.parse('2026-03-02T00:00:00Z')) }), 'clickedAt'],
      [() => onehop.attribute({ refereeId: 'bob', code: 'ALICE123', email: 'x' }), 'email'],
      [() => onehop.listReferrals('alice', { limit: 0 }), 'limit'],
      [() => onehop.linkFor({ userId: 'alice', baseUrl: 'javascript:alert(1)' }), 'baseUrl'],
      [() => onehop.auditTrail('nonsense' as never, 'alice'), 'entityType'],
      [() => onehop.recordPurchase({ eventId: '', refereeId: 'bob', amount: 100, currency: 'USD', occurredAt: new Date() }), 'eventId'],
      [() => onehop.recordPurchase({ eventId: 'e', refereeId: 'bob', amount: -5, currency: 'USD', occurredAt: new Date() }), 'amount'],
      [() => onehop.recordPurchase({ eventId: 'e', refereeId: 'bob', amount: 100, currency: 'usd', occurredAt: new Date() }), 'currency'],
      [() => onehop.recordPurchase({ eventId: 'e', refereeId: 'bob', amount: 100, currency: 'USD', occurredAt: 'soon' }), 'occurredAt'],
      [() => onehop.recordRefund({ eventId: 'r', purchaseEventId: 'e', amount: 0 }), 'amount'],
      [() => onehop.recordChargeback({ eventId: 'c', purchaseEventId: '', amount: 1 }), 'purchaseEventId'],
      [() => onehop.approveDue({ limit: 0 }), 'limit'],
      [() => onehop.recordSignIn({ userId: 'alice' }), 'ip'],
      [() => onehop.recordSignIn({ userId: 'alice', ip: 'nope' }), 'ip'],
      [() => onehop.listReviews({ status: 'maybe' as never }), 'status'],
      [() => onehop.decideReview({ reviewId: 'rev_1', decision: 'later' as never, adminId: 'admin', reason: 'x' }), 'decision'],
      [() => onehop.decideReview({ reviewId: 'rev_1', decision: 'approve', adminId: 'admin', reason: '' }), 'reason'],
      [() => onehop.rejectReferral({ referralId: 'rfl_1', adminId: '', reason: 'x' }), 'adminId'],
      [() => onehop.recentActivity({ limit: 0 }), 'limit'],
      [() => onehop.eraseUser({ userId: 'alice', adminId: 'admin' } as never), 'reason'],
      [() => onehop.rejectCommission({ commissionId: 'com_1', adminId: 'admin', reason: '' }), 'reason'],
      [() => onehop.adjustBalance({ userId: 'alice', amount: 1.5, adminId: 'admin', reason: 'x' }), 'amount'],
      [() => onehop.setPayoutMethod({ userId: 'alice', method: { type: 'paypal', email: 'nope' } }), 'method.email'],
      [() => onehop.requestPayout({ userId: 'alice', amount: 0 }), 'amount'],
      [() => onehop.approvePayout({ payoutId: '', adminId: 'admin' }), 'payoutId'],
      [() => onehop.rejectPayout({ payoutId: 'pay_1', adminId: 'admin' } as never), 'reason'],
      [() => onehop.markPayoutPaid({ payoutId: 'pay_1', adminId: 'admin', externalReference: ' ' }), 'externalReference'],
      [() => onehop.getBalances(''), 'userId'],
      [() => onehop.listLedger('alice', { limit: 5000 }), 'limit'],
      [() => onehop.listCommissions(''), 'userId'],
      [() => onehop.getCommission(''), 'commissionId'],
      [() => onehop.getPayout(''), 'payoutId'],
      [() => onehop.listPayouts('alice', { limit: -1 }), 'limit'],
      [() => onehop.getPayoutMethod(''), 'userId'],
      [() => onehop.recordClick({ code: '' }), 'code'],
      [() => onehop.recordClick({ code: 'ALICE123', landingUrl: 'javascript:alert(1)' }), 'landingUrl'],
      [() => onehop.recordClick({ code: 'ALICE123', ip: '10.0.0.300' }), 'ip'],
      [() => onehop.recordClick({ code: 'ALICE123', source: 'x'.repeat(101) }), 'source'],
      [() => onehop.listClicks({ userId: 'alice', limit: 0 }), 'limit'],
      [() => onehop.referrerOverview({ userId: '' }), 'userId'],
      [() => onehop.commissionHistory({ userId: 'alice', status: 'lost' as never }), 'status'],
      [() => onehop.ledgerHistory({ userId: 'alice', from: new Date('2026-03-02'), to: new Date('2026-03-01') }), 'to'],
      [() => onehop.tierProgress({ userId: 42 as never }), 'userId'],
      [() => onehop.performance({ granularity: 'hour' as never, from: new Date('2026-03-01'), to: new Date('2026-03-02') }), 'granularity'],
      [() => onehop.performance({ from: new Date('2020-01-01'), to: new Date('2026-03-02') }), 'to'],
      [() => onehop.refereeStatus({ refereeId: '' }), 'refereeId'],
      [() => onehop.referralOffer({ code: '' }), 'code'],
      [() => onehop.programOverview({ from: 'never' as never, to: new Date() }), 'from'],
      [() => onehop.referralsByStatus({ status: 'maybe' as never }), 'status'],
      [() => onehop.topReferrers({ from: new Date('2026-03-01') }), 'to'],
      [() => onehop.funnel({ from: new Date('2026-03-02'), to: new Date('2026-03-02') }), 'to'],
      [() => onehop.statement({ userId: 'alice', from: new Date('2026-03-01') } as never), 'to'],
      [() => onehop.taxExport({ year: 26 }), 'year'],
      // The NUL character cannot be stored by PostgreSQL: refused on every store alike, naming the field, even deep in metadata.
      [() => onehop.enroll({ userId: 'bob\u0000' }), 'userId'],
      [() => onehop.attribute({ refereeId: 'bob', code: 'ALICE123', source: 'news\u0000letter' }), 'source'],
      [
        () => onehop.recordPurchase({ eventId: 'e', refereeId: 'bob', amount: 100, currency: 'USD', occurredAt: new Date(), metadata: { notes: ['ok', 'x\u0000'] } }),
        'metadata.notes.1',
      ],
      [() => onehop.getParticipant('alice\u0000'), 'userId'],
    ];
    for (const [call, field] of cases) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, `expected ValidationError for ${field}`).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).code).toBe('VALIDATION_FAILED');
      expect((error as ValidationError).field).toBe(field);
      expect(error).toBeInstanceOf(OnehopError);
    }
    expect(await snapshot(onehop, ['alice', 'bob', ''])).toEqual(before);
    expect(await onehop.auditTrail('attribution_attempt', 'bob')).toEqual([]);
    expect(await onehop.listLedger('alice')).toEqual([]);
    expect(await onehop.getPayoutMethod('alice')).toBeNull();
    expect(await onehop.listClicks({ userId: 'alice' })).toEqual([]);
  });
}
