import { PayoutOutcomeUnknownError, payoutMethodSchema, ValidationError } from '@onehop/core';
import * as z from 'zod';
import type { PayoutMethod, PayoutProvider, PayoutSendOutcome, PayoutSendRequest } from '../contract';
import { methodOf, parseOptions } from '../send-request';
import { creditTransferFile, type SepaTransfer } from './credit-transfer-file';
import { sepaIdOf, sepaTextOf } from './sepa-ids';

/** A credit transfer file, handed to {@link SepaProviderOptions.deliver}. */
export interface SepaFile {
  /** A file name: the message id and `.xml`. */
  name: string;
  /** The pain.001.001.03 document, UTF-8. */
  xml: string;
  /** The run (or, for a single payout, the idempotency key) the file pays. */
  batchId: string;
  /** The group header's `MsgId`: the same for every file made for this batch id. */
  messageId: string;
  /** `NbOfTxs` and `CtrlSum` of the group header: the number of transfers and their sum in euros. */
  transactions: number;
  controlSum: string;
}

/** A SEPA provider: `sendBatch` makes one file for a run. */
export interface SepaPayoutProvider extends PayoutProvider {
  sendBatch(requests: readonly PayoutSendRequest[], batch: { batchId: string }): Promise<readonly PayoutSendOutcome[]>;
}

export interface SepaProviderOptions {
  /** The program's account the transfers are paid from. Its IBAN and BIC are checked. */
  debtor: { name: string; iban: string; bic?: string };
  /** The program's currency: SEPA credit transfers are in euros, so it must be `EUR`. */
  currency: string;
  /**
   * Hands a file to the bank: uploads it, stores it for the admin, mails it.
   * When it throws, the payouts of the file stay processing and the next
   * attempt makes the file again with the same message id and end-to-end
   * ids, which banks use to refuse a file they already executed.
   */
  deliver(file: SepaFile): Promise<void> | void;
  /** The requested execution date of a file made at `created` (default: that day). */
  executionDate?: (created: Date) => Date;
  /** The initiating party's name in the group header (default: the debtor's). */
  initiatorName?: string;
  /** The unstructured remittance line a payee sees (default `Payout <payout id>`), at most 140 characters of the SEPA character set. */
  remittanceInformation?: (request: PayoutSendRequest) => string;
  /** The clock (default `() => new Date()`). */
  now?: () => Date;
}

const optionsSchema = z
  .object({
    debtor: z.object({ name: z.string().trim().min(1).max(70), iban: z.string(), bic: z.string().optional() }).strict(),
    currency: z.literal('EUR', { error: 'must be EUR: SEPA credit transfers are in euros' }),
    deliver: z.custom<SepaProviderOptions['deliver']>((value) => typeof value === 'function', 'must be a function that hands the file to the bank'),
    executionDate: z.custom<(created: Date) => Date>((value) => typeof value === 'function', 'must be a function').optional(),
    initiatorName: z.string().trim().min(1).max(70).optional(),
    remittanceInformation: z.custom<(request: PayoutSendRequest) => string>((value) => typeof value === 'function', 'must be a function').optional(),
    now: z.custom<() => Date>((value) => typeof value === 'function', 'must be a function').optional(),
  })
  .strict();

const batchSchema = z.object({ batchId: z.string().min(1).max(255) });

type BankAccount = Extract<PayoutMethod, { type: 'bank_transfer' }>;

/**
 * A bank account checked by core's payout method rule (ibantools: the IBAN's
 * country, length, format and check digits; the BIC's form and country),
 * the IBAN without spaces and in capitals; or the zod error.
 */
function bankAccountOf(account: { accountHolder: string; iban: string; bic?: string | undefined }): { account: BankAccount } | { error: z.ZodError } {
  const result = payoutMethodSchema.safeParse({ type: 'bank_transfer', ...account });
  if (!result.success) return { error: result.error };
  if (result.data.type !== 'bank_transfer') throw new TypeError('A bank_transfer method parsed as another type.');
  return { account: result.data };
}

/** `MsgId` leaves room for the library's `.0` (payment block) and `.0.n` (instruction ids) within 35 characters. */
const MESSAGE_ID_LENGTH = 24;
const END_TO_END_ID_LENGTH = 35;

/**
 * Pays `bank_transfer` payouts with SEPA credit transfer files
 * (pain.001.001.03, built with the `sepa` library): `sendBatch` makes one file
 * for a run, `send` one file for one payout. The file goes to `deliver`; the
 * bank executes it later, so every payout in it is `processing`, with
 * `<MsgId>/<EndToEndId>` as its reference, until the admin confirms the bank
 * executed the file (the engine's settle call).
 *
 * A payout whose bank details cannot be paid (an invalid IBAN or BIC, an
 * erased method) fails on its own; the others still go into the file.
 */
export function createSepaProvider(options: SepaProviderOptions): SepaPayoutProvider {
  const config = parseOptions(optionsSchema, options, 'options');
  const checked = bankAccountOf({ accountHolder: config.debtor.name, iban: config.debtor.iban, bic: config.debtor.bic });
  if ('error' in checked)
    throw ValidationError.fromZod(checked.error, 'options.debtor', { hint: "Pass the program's own account: an IBAN, and a BIC if you give one, that are valid." });
  const debtor = { name: config.debtor.name, iban: checked.account.iban, bic: checked.account.bic };
  const name = 'sepa';
  const now = config.now ?? (() => new Date());

  /** A request as a transfer, or its failed outcome. */
  function transferOf(request: PayoutSendRequest): { transfer: SepaTransfer } | { refused: PayoutSendOutcome } {
    const found = methodOf(name, 'bank_transfer', request);
    if ('refused' in found) return found;
    const { accountHolder, iban, bic } = found.method;
    const account = bankAccountOf({ accountHolder, iban, bic });
    if ('error' in account) {
      // The schema's messages name the field and the rule, never the value.
      const issue = account.error.issues[0]!;
      return { refused: { status: 'failed', reason: `The payout method's ${issue.path.join('.')} ${issue.message}.`, retryable: false } };
    }
    const creditorName = sepaTextOf(account.account.accountHolder, 70);
    if (creditorName === '') {
      return { refused: { status: 'failed', reason: "The account holder's name has no letters of SEPA's Latin character set.", retryable: false } };
    }
    const fallback = `Payout ${request.payout.id}`;
    const remittance = sepaTextOf(config.remittanceInformation?.(request) ?? fallback, 140) || sepaTextOf(fallback, 140);
    return {
      transfer: {
        endToEndId: sepaIdOf(request.idempotencyKey, END_TO_END_ID_LENGTH),
        amount: request.payout.amount,
        creditorName,
        creditorIban: account.account.iban,
        creditorBic: account.account.bic,
        remittanceInformation: remittance,
      },
    };
  }

  async function sendBatch(requests: readonly PayoutSendRequest[], batch: { batchId: string }): Promise<readonly PayoutSendOutcome[]> {
    const { batchId } = parseOptions(batchSchema, batch, 'batch');
    const outcomes: (PayoutSendOutcome | undefined)[] = [];
    const transfers: SepaTransfer[] = [];
    const positions: number[] = [];
    for (const [index, request] of requests.entries()) {
      const made = transferOf(request);
      if ('refused' in made) outcomes[index] = made.refused;
      else {
        transfers.push(made.transfer);
        positions.push(index);
      }
    }
    const created = now();
    const messageId = sepaIdOf(batchId, MESSAGE_ID_LENGTH);
    const { file, refused } = creditTransferFile({
      messageId,
      created,
      executionDate: config.executionDate?.(created) ?? created,
      debtor,
      initiatorName: sepaTextOf(config.initiatorName ?? config.debtor.name, 70),
      transfers,
    });
    for (const [at, reason] of refused) outcomes[positions[at]!] = { status: 'failed', reason, retryable: false };
    if (file) {
      try {
        await config.deliver({ name: `${messageId}.xml`, xml: file.xml, batchId, messageId, transactions: file.transactions, controlSum: file.controlSum });
      } catch (cause) {
        const first = requests[positions.find((_, at) => !refused.has(at))!]!;
        throw new PayoutOutcomeUnknownError(name, first.payout.id, `delivering the SEPA file ${messageId} of ${file.transactions} payouts failed`, { cause });
      }
    }
    for (const [at, index] of positions.entries()) {
      if (!refused.has(at)) outcomes[index] = { status: 'processing', externalReference: `${messageId}/${transfers[at]!.endToEndId}` };
    }
    return outcomes as PayoutSendOutcome[];
  }

  return {
    name,
    methodType: 'bank_transfer',
    sendBatch,
    async send(request: PayoutSendRequest): Promise<PayoutSendOutcome> {
      const [outcome] = await sendBatch([request], { batchId: request.idempotencyKey });
      return outcome!;
    },
  };
}
