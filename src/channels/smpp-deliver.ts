/**
 * What a deliver_sm carries: a delivery receipt for a message we submitted, or a message from
 * a handset (possibly one part of a concatenated one). Pure functions over the decoded PDU.
 */

import type { PDU, DecodedMessage } from 'smpp';
import type { InboundMessage, Receipt, ReceiptState } from './provider.js';

// esm_class bits 2–5, the message type: MC delivery receipt, SME delivery/user acknowledgement, intermediate notification.
const RECEIPT_TYPES = new Set([0x04, 0x08, 0x10, 0x20]);
const MESSAGE_TYPE_MASK = 0x3c;
const TON_INTERNATIONAL = 1;

// The receipt text format of SMPP 3.4 appendix B: "id:… sub:… dlvrd:… submit date:… done date:… stat:… err:… text:…".
const RECEIPT_TEXT = /\bid:(\S+).*?\bstat:([A-Z]+)(?:.*?\berr:(\w+))?/is;
// Recognising a receipt by its text alone asks more: it must start the way receipts do,
// so a customer who writes "stat:" somewhere is still a customer.
const RECEIPT_SHAPE = /^\s*id:\S+\s.*\bstat:[A-Z]+/is;

// The final states a receipt names, in text (stat:) and in the message_state TLV.
const STAT_STATES: Readonly<Record<string, ReceiptState>> = {
  DELIVRD: 'delivered',
  ACCEPTD: 'sent',
  ENROUTE: 'sent',
  EXPIRED: 'failed',
  DELETED: 'failed',
  UNDELIV: 'failed',
  REJECTD: 'failed',
  UNKNOWN: 'failed',
};
const MESSAGE_STATES: Readonly<Record<number, [ReceiptState, string]>> = {
  1: ['sent', 'ENROUTE'],
  2: ['delivered', 'DELIVRD'],
  3: ['failed', 'EXPIRED'],
  4: ['failed', 'DELETED'],
  5: ['failed', 'UNDELIV'],
  6: ['sent', 'ACCEPTD'],
  7: ['failed', 'UNKNOWN'],
  8: ['failed', 'REJECTD'],
};

export interface Part {
  /** Same for every part of one message. */
  readonly key: string;
  readonly total: number;
  readonly index: number;
  readonly text: string;
}

export type Deliver =
  | { readonly kind: 'receipt'; readonly receipt: Receipt }
  | { readonly kind: 'inbound'; readonly message: Omit<InboundMessage, 'providerId'> }
  | { readonly kind: 'part'; readonly part: Part; readonly message: Omit<InboundMessage, 'providerId' | 'body'> };

function decoded(value: DecodedMessage | Buffer | string | undefined): DecodedMessage | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' || Buffer.isBuffer(value)) return { message: value };
  return value;
}

/** The text of a short_message or message_payload: binary codings (no decoder) are read as Latin-1. */
function textOf(value: DecodedMessage | undefined): string {
  if (!value) return '';
  return typeof value.message === 'string' ? value.message : value.message.toString('latin1');
}

/** `+` and digits for an international number, the address as given otherwise (short codes, alphanumeric). */
function address(value: string | undefined, ton: number | undefined): string {
  const raw = value ?? '';
  return ton === TON_INTERNATIONAL && /^\d+$/.test(raw) ? `+${raw}` : raw;
}

/** Concatenation info from the UDH (IEI 0x00 or 0x08) or the SAR TLVs, when the message is one part of several. */
function concatenation(pdu: PDU, body: DecodedMessage | undefined): { ref: number; total: number; index: number } | undefined {
  for (const element of body?.udh ?? []) {
    if (element[0] === 0x00 && element.length >= 5) return { ref: element[2] ?? 0, total: element[3] ?? 0, index: element[4] ?? 0 };
    if (element[0] === 0x08 && element.length >= 6) return { ref: element.readUInt16BE(2), total: element[4] ?? 0, index: element[5] ?? 0 };
  }
  if (pdu.sar_msg_ref_num !== undefined && pdu.sar_total_segments !== undefined && pdu.sar_segment_seqnum !== undefined) {
    return { ref: pdu.sar_msg_ref_num, total: pdu.sar_total_segments, index: pdu.sar_segment_seqnum };
  }
  return undefined;
}

function receiptOf(pdu: PDU, text: string, at: number): Receipt | undefined {
  const match = RECEIPT_TEXT.exec(text);
  // The TLVs, when the SMSC sends them, are exact; the text is a convention with variants.
  const providerId = pdu.receipted_message_id ?? match?.[1];
  if (!providerId) return undefined;
  const fromTlv = pdu.message_state !== undefined ? MESSAGE_STATES[pdu.message_state] : undefined;
  const stat = fromTlv?.[1] ?? match?.[2]?.toUpperCase() ?? 'UNKNOWN';
  const state = fromTlv?.[0] ?? STAT_STATES[stat] ?? 'failed';
  const error = match?.[3];
  const reason = state === 'failed' ? `${stat}${error && !/^0+$/.test(error) ? ` err:${error}` : ''}` : undefined;
  return { providerId, state, at, ...(reason ? { reason } : {}) };
}

export function classifyDeliver(pdu: PDU, at: number): Deliver {
  const body = decoded(pdu.message_payload) ?? decoded(pdu.short_message);
  const text = textOf(body);
  const messageType = (pdu.esm_class ?? 0) & MESSAGE_TYPE_MASK;
  // Some SMSCs send receipts with esm_class 0; the receipt text or TLV gives them away.
  if (RECEIPT_TYPES.has(messageType) || pdu.receipted_message_id !== undefined || RECEIPT_SHAPE.test(text)) {
    const receipt = receiptOf(pdu, text, at);
    if (receipt) return { kind: 'receipt', receipt };
  }
  const from = address(pdu.source_addr, pdu.source_addr_ton);
  const to = address(pdu.destination_addr, pdu.dest_addr_ton);
  const parts = concatenation(pdu, body);
  if (parts && parts.total > 1) {
    return { kind: 'part', part: { key: `${from}|${to}|${parts.ref}|${parts.total}`, total: parts.total, index: parts.index, text }, message: { from, to, at } };
  }
  return { kind: 'inbound', message: { from, to, body: text, at } };
}
