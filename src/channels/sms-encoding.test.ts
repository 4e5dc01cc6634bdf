import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeSms } from './sms-encoding.js';

test('GSM 03.38 text is one octet per septet, extension characters two', () => {
  const plain = encodeSms('@Hello £1');
  assert.equal(plain.dataCoding, 0);
  assert.deepEqual([...plain.bytes], [0x00, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x01, 0x31]);
  const euro = encodeSms('20€ [x]');
  assert.deepEqual([...euro.bytes], [0x32, 0x30, 0x1b, 0x65, 0x20, 0x1b, 0x3c, 0x78, 0x1b, 0x3e]);
  assert.equal(euro.units, 10);
});

test('single-part limits: 160 septets, 70 UCS-2 units', () => {
  assert.equal(encodeSms('a'.repeat(160)).singlePart, true);
  assert.equal(encodeSms('a'.repeat(161)).singlePart, false);
  assert.equal(encodeSms('€'.repeat(80)).singlePart, true, '80 extension characters are 160 septets');
  assert.equal(encodeSms('€'.repeat(81)).singlePart, false);
  assert.equal(encodeSms('ж'.repeat(70)).singlePart, true);
  assert.equal(encodeSms('ж'.repeat(71)).singlePart, false);
});

test('anything outside GSM goes UCS-2 big-endian, emoji as surrogate pairs', () => {
  const text = encodeSms('ça 😀');
  assert.equal(text.dataCoding, 8);
  assert.deepEqual([...text.bytes], [0x00, 0xe7, 0x00, 0x61, 0x00, 0x20, 0xd8, 0x3d, 0xde, 0x00]);
  assert.equal(text.units, 5);
  assert.equal(encodeSms('\u0000').dataCoding, 8, 'NUL has no GSM code');
  assert.equal(encodeSms('\u001b').dataCoding, 8, 'a bare ESC is not text');
});
