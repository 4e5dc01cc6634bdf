import { test } from 'node:test';
import assert from 'node:assert/strict';
import smpp, { type PDUOptions } from 'smpp';
import { classifyDeliver } from './smpp-deliver.js';

/** A deliver_sm as a session reads it: encoded to bytes and decoded again. */
function received(options: PDUOptions) {
  return new smpp.PDU(new smpp.PDU('deliver_sm', options).toBuffer());
}

test('a receipt without the receipt esm_class is still read from its text', () => {
  const result = classifyDeliver(received({ short_message: 'id:AB12 sub:001 dlvrd:000 submit date:2401011200 done date:2401011300 stat:EXPIRED err:000' }), 5);
  assert.deepEqual(result, { kind: 'receipt', receipt: { providerId: 'AB12', state: 'failed', at: 5, reason: 'EXPIRED' } });
});

test('a customer who writes "stat:" is a customer', () => {
  const result = classifyDeliver(received({ source_addr: '600111222', destination_addr: '7777', short_message: 'my order id:55 stat:LATE' }), 5);
  assert.deepEqual(result, { kind: 'inbound', message: { from: '600111222', to: '7777', body: 'my order id:55 stat:LATE', at: 5 } });
});

test('concatenation by SAR TLVs is recognised like the UDH kind', () => {
  const result = classifyDeliver(received({ source_addr_ton: 1, source_addr: '34600111222', short_message: 'part two', sar_msg_ref_num: 9, sar_total_segments: 2, sar_segment_seqnum: 2 }), 5);
  assert.equal(result.kind, 'part');
  assert.deepEqual(result.kind === 'part' && result.part, { key: '+34600111222||9|2', total: 2, index: 2, text: 'part two' });
});

test('an accepted-but-not-final receipt state reads as sent', () => {
  const result = classifyDeliver(received({ esm_class: 0x04, receipted_message_id: 'Z9', message_state: 6, short_message: '' }), 5);
  assert.deepEqual(result, { kind: 'receipt', receipt: { providerId: 'Z9', state: 'sent', at: 5 } });
});
