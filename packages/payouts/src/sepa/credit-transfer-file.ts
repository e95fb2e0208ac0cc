import { decimalAmount } from '@onehop/core';
import SEPA from 'sepa';

/** The payer of a credit transfer file: the program's account. */
export interface SepaDebtor {
  name: string;
  iban: string;
  bic?: string | undefined;
}

/** One transfer of a file. `amount` is in euro cents. */
export interface SepaTransfer {
  endToEndId: string;
  amount: number;
  creditorName: string;
  creditorIban: string;
  creditorBic?: string | undefined;
  remittanceInformation: string;
}

/** The largest amount of one transfer the pain.001 schema and the `sepa` library take: 999,999,999.99 EUR. */
const MAX_TRANSFER_CENTS = 99_999_999_999;

/**
 * A transfer as the `sepa` library's transaction, or why it cannot go into a
 * file. The library's own message is not passed on: it quotes the IBAN or
 * name it refused, which must not end up in a payout's reason.
 */
function transactionOf(info: SEPA.SepaPaymentInfo, transfer: SepaTransfer): { transaction: SEPA.SepaTransaction } | { refused: string } {
  if (transfer.amount > MAX_TRANSFER_CENTS) return { refused: 'A SEPA credit transfer is at most 999,999,999.99 EUR.' };
  const transaction = info.createTransaction();
  transaction.end2endId = transfer.endToEndId;
  // The library takes euros as a number and prints them with toFixed(2): for a
  // whole number of cents up to MAX_TRANSFER_CENTS (below 2^53), cents / 100 is
  // the double nearest the decimal, and toFixed(2) prints that decimal exactly.
  transaction.amount = transfer.amount / 100;
  transaction.creditorName = transfer.creditorName;
  transaction.creditorIBAN = transfer.creditorIban;
  transaction.creditorBIC = transfer.creditorBic ?? '';
  transaction.remittanceInfo = transfer.remittanceInformation;
  try {
    transaction.validate();
  } catch {
    return { refused: "The payee's bank details cannot go into a SEPA file (the BIC's country differs from the IBAN's, or a field is too long)." };
  }
  return { transaction };
}

/**
 * A pain.001.001.03 customer credit transfer initiation: one group header,
 * one payment information block (the debtor's account, the requested
 * execution date, service level SEPA, charges SLEV) and a credit transfer
 * per transfer the library's checks accept (the others are returned in
 * `refused`, by index, with the reason). The group header's and the block's `NbOfTxs` and `CtrlSum`
 * are the count and the sum of the transfers; the sum is written from the
 * integer total of the cents (the library adds euros as floats, which can be
 * off by a cent over enough transfers).
 */
export function creditTransferFile(input: {
  messageId: string;
  created: Date;
  executionDate: Date;
  debtor: SepaDebtor;
  initiatorName: string;
  transfers: readonly SepaTransfer[];
}): { file: { xml: string; controlSum: string; transactions: number } | undefined; refused: Map<number, string> } {
  const doc = new SEPA.Document('pain.001.001.03');
  doc.grpHdr.id = input.messageId;
  doc.grpHdr.created = input.created;
  doc.grpHdr.initiatorName = input.initiatorName;
  const info = doc.createPaymentInfo();
  info.requestedExecutionDate = input.executionDate;
  info.debtorName = input.debtor.name;
  info.debtorIBAN = input.debtor.iban;
  info.debtorBIC = input.debtor.bic ?? '';
  doc.addPaymentInfo(info);
  let total = 0;
  let transactions = 0;
  const refused = new Map<number, string>();
  for (const [index, transfer] of input.transfers.entries()) {
    const made = transactionOf(info, transfer);
    if ('refused' in made) {
      refused.set(index, made.refused);
      continue;
    }
    info.addTransaction(made.transaction);
    total += transfer.amount;
    transactions++;
  }
  if (transactions === 0) return { file: undefined, refused };
  if (!Number.isSafeInteger(total)) throw new RangeError('The transfers of one SEPA file add up to more than 2^53 cents.');
  const controlSum = decimalAmount(total, 'EUR');
  let sums = 0;
  const xml = doc.toString().replace(/<CtrlSum>[^<]*<\/CtrlSum>/g, () => {
    sums++;
    return `<CtrlSum>${controlSum}</CtrlSum>`;
  });
  // One group header and one payment information block: exactly two control sums.
  if (sums !== 2) throw new Error(`A pain.001.001.03 file of one payment block has two CtrlSum elements, this one has ${sums}.`);
  return { file: { xml, controlSum, transactions }, refused };
}
