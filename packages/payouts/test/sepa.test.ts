/**
 * The SEPA provider's credit transfer files, parsed back with an XML parser
 * and held against what the pain.001.001.03 schema requires: the elements in
 * the schema's order, the group header's and the payment block's NbOfTxs and
 * CtrlSum equal to the transfers' count and sum, and each transfer's
 * end-to-end id, amount, currency and IBAN. No bank is involved: `deliver`
 * is the application's callback, here one that keeps the files.
 */
import { decimalAmount, PayoutOutcomeUnknownError, ValidationError } from '@onehop/core';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { PayoutMethod, PayoutSendRequest } from '../src/contract';
import { createSepaProvider, type SepaFile, type SepaProviderOptions } from '../src/sepa';
import { sendRequest } from './send-requests';

const DEBTOR = { name: 'Example Program GmbH', iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX' };
const CREATED = new Date('2026-12-01T10:00:00Z');

function sepa(options: Partial<SepaProviderOptions> = {}) {
  const files: SepaFile[] = [];
  const provider = createSepaProvider({ debtor: DEBTOR, currency: 'EUR', deliver: (file) => void files.push(file), now: () => CREATED, ...options });
  return { provider, files };
}

function bank(payoutId: string, amount: number, account: { iban: string; bic?: string; accountHolder?: string }, key?: string): PayoutSendRequest {
  const method: PayoutMethod = { type: 'bank_transfer', accountHolder: account.accountHolder ?? `Payee ${payoutId}`, iban: account.iban, bic: account.bic };
  return sendRequest({ payoutId, amount, method, ...(key === undefined ? {} : { idempotencyKey: key }) });
}

/** Element order of pain.001.001.03 (ISO 20022 schema), for the elements these files may hold. */
const ORDER: Record<string, readonly string[]> = {
  Document: ['CstmrCdtTrfInitn'],
  CstmrCdtTrfInitn: ['GrpHdr', 'PmtInf'],
  GrpHdr: ['MsgId', 'CreDtTm', 'Authstn', 'NbOfTxs', 'CtrlSum', 'InitgPty', 'FwdgAgt'],
  PmtInf: [
    'PmtInfId',
    'PmtMtd',
    'BtchBookg',
    'NbOfTxs',
    'CtrlSum',
    'PmtTpInf',
    'ReqdExctnDt',
    'PoolgAdjstmntDt',
    'Dbtr',
    'DbtrAcct',
    'DbtrAgt',
    'DbtrAgtAcct',
    'InstrForDbtrAgt',
    'UltmtDbtr',
    'ChrgBr',
    'ChrgsAcct',
    'ChrgsAcctAgt',
    'CdtTrfTxInf',
  ],
  CdtTrfTxInf: [
    'PmtId',
    'PmtTpInf',
    'Amt',
    'XchgRateInf',
    'ChrgBr',
    'ChqInstr',
    'UltmtDbtr',
    'IntrmyAgt1',
    'CdtrAgt',
    'CdtrAgtAcct',
    'Cdtr',
    'CdtrAcct',
    'UltmtCdtr',
    'InstrForCdtrAgt',
    'Purp',
    'RgltryRptg',
    'Tax',
    'RltdRmtInf',
    'RmtInf',
  ],
  PmtId: ['InstrId', 'EndToEndId'],
};
/** Elements the schema (or the EPC's SEPA rulebook, for PmtTpInf and ChrgBr) requires. */
const REQUIRED: Record<string, readonly string[]> = {
  GrpHdr: ['MsgId', 'CreDtTm', 'NbOfTxs', 'CtrlSum', 'InitgPty'],
  PmtInf: ['PmtInfId', 'PmtMtd', 'NbOfTxs', 'CtrlSum', 'PmtTpInf', 'ReqdExctnDt', 'Dbtr', 'DbtrAcct', 'DbtrAgt', 'ChrgBr', 'CdtTrfTxInf'],
  CdtTrfTxInf: ['PmtId', 'Amt', 'Cdtr', 'CdtrAcct'],
  PmtId: ['EndToEndId'],
};

type Ordered = Record<string, unknown>[];

/** Checks every element named in ORDER has its children in the schema's order, and the required ones. */
function checkOrder(nodes: Ordered): void {
  for (const node of nodes) {
    const name = Object.keys(node).find((key) => key !== ':@' && key !== '#text');
    if (!name) continue;
    const children = node[name] as Ordered;
    const names = children.map((child) => Object.keys(child).find((key) => key !== ':@')!).filter((n) => n !== '#text');
    const order = ORDER[name];
    if (order) {
      const positions = names.map((n) => order.indexOf(n));
      expect(positions, `children of ${name}: ${names.join(', ')}`).not.toContain(-1);
      expect(positions, `order of the children of ${name}`).toEqual([...positions].sort((a, b) => a - b));
      for (const required of REQUIRED[name] ?? []) expect(names, `${name} needs ${required}`).toContain(required);
    }
    checkOrder(children);
  }
}

/** A decimal amount string as integer cents (the test never goes through a float either). */
function cents(decimal: string): number {
  expect(decimal).toMatch(/^\d{1,18}\.\d{2}$/);
  return Number(decimal.replace('.', ''));
}

interface Transaction {
  PmtId: { InstrId: string; EndToEndId: string };
  Amt: { InstdAmt: { '#text': string; '@_Ccy': string } };
  CdtrAgt?: { FinInstnId: { BIC: string } };
  Cdtr: { Nm: string };
  CdtrAcct: { Id: { IBAN: string } };
  RmtInf?: { Ustrd: string };
}

/** Parses a file and checks what pain.001.001.03 requires of it; returns its parts. */
function parsePain001(xml: string) {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  checkOrder(new XMLParser({ preserveOrder: true, ignoreAttributes: false, parseTagValue: false }).parse(xml) as Ordered);
  const parsed = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (name) => name === 'CdtTrfTxInf' || name === 'PmtInf' }).parse(xml);
  const document = parsed.Document;
  expect(document['@_xmlns']).toBe('urn:iso:std:iso:20022:tech:xsd:pain.001.001.03');
  const { GrpHdr: header, PmtInf: blocks } = document.CstmrCdtTrfInitn;
  expect(blocks).toHaveLength(1);
  const block = blocks[0];
  const transactions = block.CdtTrfTxInf as Transaction[];
  const sum = transactions.reduce((total, tx) => total + cents(tx.Amt.InstdAmt['#text']), 0);

  expect(header.MsgId).toMatch(/^[A-Za-z0-9/?:().,'+ -]{1,35}$/);
  expect(header.CreDtTm).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
  expect(Number(header.NbOfTxs)).toBe(transactions.length);
  expect(cents(header.CtrlSum)).toBe(sum);
  expect(header.InitgPty.Nm.length).toBeGreaterThan(0);

  expect(block.PmtInfId.length).toBeLessThanOrEqual(35);
  expect(block.PmtMtd).toBe('TRF');
  expect(Number(block.NbOfTxs)).toBe(transactions.length);
  expect(cents(block.CtrlSum)).toBe(sum);
  expect(block.PmtTpInf.SvcLvl.Cd).toBe('SEPA');
  expect(block.ReqdExctnDt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(block.ChrgBr).toBe('SLEV');
  expect(block.DbtrAcct.Id.IBAN).toMatch(/^[A-Z]{2}[0-9]{2}[A-Za-z0-9]{1,30}$/);

  const endToEndIds = transactions.map((tx) => tx.PmtId.EndToEndId);
  expect(new Set(endToEndIds).size).toBe(endToEndIds.length);
  for (const tx of transactions) {
    expect(tx.PmtId.EndToEndId).toMatch(/^[A-Za-z0-9/?:().,'+ -]{1,35}$/);
    expect(tx.PmtId.InstrId.length).toBeLessThanOrEqual(35);
    expect(tx.Amt.InstdAmt['@_Ccy']).toBe('EUR');
    expect(tx.CdtrAcct.Id.IBAN).toMatch(/^[A-Z]{2}[0-9]{2}[A-Za-z0-9]{1,30}$/);
    if (tx.CdtrAgt) expect(tx.CdtrAgt.FinInstnId.BIC).toMatch(/^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$/);
    expect(tx.Cdtr.Nm.length).toBeLessThanOrEqual(70);
  }
  return { header, block, transactions };
}

describe('SEPA provider', () => {
  it('pays a run with one pain.001.001.03 file: counts, sums, IBANs, amounts and end-to-end ids as the schema requires', async () => {
    const { provider, files } = sepa({ executionDate: (created) => new Date(created.getTime() + 2 * 86_400_000) });
    expect(provider).toMatchObject({ name: 'sepa', methodType: 'bank_transfer' });
    const requests = [
      bank('pay_1', 1999, { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', accountHolder: 'Jürgen Müller' }),
      bank('pay_2', 1, { iban: 'fr14 2004 1010 0505 0001 3m02 606' }),
      bank('pay_3', 123_456_789, { iban: 'AT611904300234573201', bic: 'BKAUATWW' }),
    ];

    const outcomes = await provider.sendBatch(requests, { batchId: 'run-2026-12-01' });

    expect(files).toHaveLength(1);
    const file = files[0]!;
    expect(file).toMatchObject({ name: 'run-2026-12-01.xml', batchId: 'run-2026-12-01', messageId: 'run-2026-12-01', transactions: 3, controlSum: '1234587.89' });
    const { header, block, transactions } = parsePain001(file.xml);
    expect(header.MsgId).toBe('run-2026-12-01');
    expect(header.CtrlSum).toBe('1234587.89');
    expect(block.ReqdExctnDt).toBe('2026-12-03');
    expect(block.Dbtr.Nm).toBe('Example Program GmbH');
    expect(block.DbtrAcct.Id.IBAN).toBe('DE89370400440532013000');
    expect(block.DbtrAgt.FinInstnId.BIC).toBe('COBADEFFXXX');
    expect(transactions.map((tx) => [tx.CdtrAcct.Id.IBAN, tx.Amt.InstdAmt['#text'], tx.CdtrAgt?.FinInstnId.BIC, tx.Cdtr.Nm, tx.RmtInf?.Ustrd])).toEqual([
      ['DE89370400440532013000', '19.99', 'COBADEFFXXX', 'Jurgen Muller', 'Payout pay 1'],
      ['FR1420041010050500013M02606', '0.01', undefined, 'Payee pay 2', 'Payout pay 2'],
      ['AT611904300234573201', '1234567.89', 'BKAUATWW', 'Payee pay 3', 'Payout pay 3'],
    ]);
    // Each payout is processing until the admin confirms the bank executed the file.
    expect(outcomes).toEqual(transactions.map((tx) => ({ status: 'processing', externalReference: `run-2026-12-01/${tx.PmtId.EndToEndId}` })));
  });

  it('keeps the same message and end-to-end ids when the file is made again for the same run', async () => {
    const { provider, files } = sepa();
    const requests = [bank('pay_1', 500, { iban: 'DE89370400440532013000' }, 'pay_1:attempt:1'), bank('pay_2', 700, { iban: 'DE89370400440532013000' })];
    await provider.sendBatch(requests, { batchId: 'prun_V1StGXR8_Z5jdHi6B-myT' });
    await provider.sendBatch(requests, { batchId: 'prun_V1StGXR8_Z5jdHi6B-myT' });

    const [first, again] = files.map((file) => parsePain001(file.xml));
    expect(again!.header.MsgId).toBe(first!.header.MsgId);
    expect(again!.transactions.map((tx) => tx.PmtId.EndToEndId)).toEqual(first!.transactions.map((tx) => tx.PmtId.EndToEndId));
    // A key that is a valid SEPA id is used as it is; others become a digest that fits.
    expect(first!.transactions[0]!.PmtId.EndToEndId).toMatch(/^OH[0-9a-f]{33}$/);
    expect(first!.header.MsgId).toMatch(/^OH[0-9a-f]{22}$/);
  });

  it('fails the payouts it cannot pay, on their own and without quoting the bank details; the others go into the file', async () => {
    const { provider, files } = sepa();
    const outcomes = await provider.sendBatch(
      [
        bank('pay_ok', 1000, { iban: 'DE89370400440532013000' }),
        bank('pay_checksum', 1000, { iban: 'DE00370400440532013000', accountHolder: 'Erika Mustermann' }),
        bank('pay_country', 1000, { iban: 'FR1420041010050500013M02606', bic: 'COBADEFFXXX', accountHolder: 'Erika Mustermann' }),
        sendRequest({ payoutId: 'pay_paypal', amount: 1000, method: { type: 'paypal', email: 'erika@example.com' } }),
        { ...bank('pay_erased', 1000, { iban: 'DE89370400440532013000' }), method: { type: 'erased', was: 'bank_transfer' } as unknown as PayoutMethod },
        bank('pay_huge', 100_000_000_000, { iban: 'DE89370400440532013000' }),
        bank('pay_name', 1000, { iban: 'DE89370400440532013000', accountHolder: '张伟' }),
      ],
      { batchId: 'run-2' },
    );

    expect(outcomes.map((o) => o.status)).toEqual(['processing', 'failed', 'failed', 'failed', 'failed', 'failed', 'failed']);
    for (const outcome of outcomes.slice(1)) {
      expect(outcome).toMatchObject({ retryable: false });
      const { reason } = outcome as { reason: string };
      for (const personal of ['DE00370400440532013000', 'FR1420041010050500013M02606', 'Mustermann', 'erika@example.com', '张伟']) {
        expect(reason).not.toContain(personal);
      }
    }
    expect((outcomes[1] as { reason: string }).reason).toBe("The payout method's iban has wrong check digits (mistyped?).");
    const { transactions } = parsePain001(files[0]!.xml);
    expect(transactions).toHaveLength(1);
    expect(files[0]!.controlSum).toBe('10.00');
  });

  it('delivers no file when no payout of the run can be paid', async () => {
    const { provider, files } = sepa();
    const outcomes = await provider.sendBatch([bank('pay_bad', 1000, { iban: 'DE00370400440532013000' })], { batchId: 'run-3' });
    expect(outcomes).toMatchObject([{ status: 'failed' }]);
    expect(files).toHaveLength(0);
  });

  it('throws when the file cannot be delivered: the payouts stay processing, and the next attempt makes the same file', async () => {
    let fail = true;
    const delivered: SepaFile[] = [];
    const provider = createSepaProvider({
      debtor: DEBTOR,
      currency: 'EUR',
      now: () => CREATED,
      deliver: async (file) => {
        if (fail) throw new Error('SFTP upload timed out');
        delivered.push(file);
      },
    });
    const requests = [bank('pay_1', 1000, { iban: 'DE89370400440532013000' })];

    const error = await provider.sendBatch(requests, { batchId: 'run-4' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayoutOutcomeUnknownError);
    expect(error).toMatchObject({ code: 'PAYOUT_OUTCOME_UNKNOWN', provider: 'sepa' });

    fail = false;
    await provider.sendBatch(requests, { batchId: 'run-4' });
    expect(delivered).toHaveLength(1);
    expect(parsePain001(delivered[0]!.xml).header.MsgId).toBe('run-4');
  });

  it('writes CtrlSum exactly, where adding the amounts as floats would be off', async () => {
    const { provider, files } = sepa();
    // 689 transfers of 999,999,999.99 EUR and one of 0.01: added as floats, they print as 688999999993.11.
    const requests = Array.from({ length: 689 }, (_, i) => bank(`pay_${i}`, 99_999_999_999, { iban: 'DE89370400440532013000' }));
    requests.push(bank('pay_last', 1, { iban: 'DE89370400440532013000' }));
    let floats = 0;
    for (const request of requests) floats += request.payout.amount / 100;
    expect(floats.toFixed(2)).toBe('688999999993.11');

    await provider.sendBatch(requests, { batchId: 'run-5' });

    const { header, block } = parsePain001(files[0]!.xml);
    expect(header.CtrlSum).toBe('688999999993.12');
    expect(block.CtrlSum).toBe('688999999993.12');
  }, 30_000);

  it('writes every amount and sum exactly (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 99_999_999_999 }), { minLength: 1, maxLength: 30 }), async (amounts) => {
        const { provider, files } = sepa();
        await provider.sendBatch(
          amounts.map((amount, i) => bank(`pay_${i}`, amount, { iban: 'DE89370400440532013000' })),
          { batchId: 'run-p' },
        );
        const { header, transactions } = parsePain001(files[0]!.xml);
        expect(transactions.map((tx) => tx.Amt.InstdAmt['#text'])).toEqual(amounts.map((amount) => decimalAmount(amount, 'EUR')));
        expect(header.CtrlSum).toBe(
          decimalAmount(
            amounts.reduce((a, b) => a + b, 0),
            'EUR',
          ),
        );
      }),
      { numRuns: 50 },
    );
  });

  it('sends a single payout as a file of its own, named by its key', async () => {
    const { provider, files } = sepa();
    const outcome = await provider.send(bank('pay_1', 4200, { iban: 'DE89370400440532013000' }, 'single-1'));
    expect(outcome).toEqual({ status: 'processing', externalReference: 'single-1/single-1' });
    expect(files.map((f) => f.name)).toEqual(['single-1.xml']);
    expect(parsePain001(files[0]!.xml).transactions).toHaveLength(1);
  });

  it("refuses options it cannot pay from: another currency, the program's own bank details", () => {
    expect(() => sepa({ currency: 'USD' })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'options.currency' }));
    expect(() => sepa({ debtor: { ...DEBTOR, iban: 'DE00370400440532013000' } })).toThrow(expect.objectContaining({ field: 'options.debtor.iban' }));
    expect(() => sepa({ debtor: { ...DEBTOR, bic: 'NOTABIC' } })).toThrow(ValidationError);
    expect(() => createSepaProvider({ debtor: DEBTOR, currency: 'EUR' } as unknown as SepaProviderOptions)).toThrow(
      expect.objectContaining({ field: 'options.deliver' }),
    );
  });
});
