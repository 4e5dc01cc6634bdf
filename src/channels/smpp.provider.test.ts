import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import smpp, { type DecodedMessage, type PDU, type PDUOptions, type Session } from 'smpp';
import { smppProvider } from './smpp.provider.js';
import type { OutboundMessage, Provider, SendOutcome } from './provider.js';
import { eventually, listen, recordingEvents, testDeps } from './testing.js';

/** A fake SMSC on loopback: binds, answers submit_sm as told, and sends deliver_sm on demand. */
interface Smsc {
  readonly port: number;
  readonly sessions: Set<Session>;
  readonly submits: PDU[];
  readonly deliverResponses: PDU[];
  binds: number;
  enquireLinks: number;
  /** The answer to the next submit_sm: a status, or 'silent' for none. */
  answer: (pdu: PDU) => number | 'silent';
  answerEnquireLink: boolean;
  /** Sends a deliver_sm on the newest bound session and resolves with its response. */
  deliver(options: PDUOptions): Promise<PDU>;
  /** Cuts every connection, as an SMSC restart does. */
  drop(): void;
  stop(): Promise<void>;
}

async function startSmsc(t: TestContext, password = 'secret'): Promise<Smsc> {
  let nextId = 0;
  const smsc: Smsc = {
    port: 0,
    sessions: new Set(),
    submits: [],
    deliverResponses: [],
    binds: 0,
    enquireLinks: 0,
    answer: () => 0,
    answerEnquireLink: true,
    deliver: (options) =>
      new Promise((resolve, reject) => {
        const session = [...smsc.sessions].at(-1);
        if (!session) return reject(new Error('no bound session'));
        session.deliver_sm(options, (response) => {
          smsc.deliverResponses.push(response);
          resolve(response);
        });
      }),
    drop: () => {
      for (const session of smsc.sessions) session.destroy();
    },
    stop: () =>
      new Promise((resolve) => {
        smsc.drop();
        server.close(() => resolve());
      }),
  };
  const server = smpp.createServer((session) => {
    session.on('error', () => undefined);
    session.on('close', () => smsc.sessions.delete(session));
    session.on('bind_transceiver', (pdu) => {
      if (pdu.system_id !== 'hellohub' || Reflect.get(pdu, 'password') !== password) {
        session.send(pdu.response({ command_status: smpp.errors.ESME_RINVPASWD ?? 0x0e }));
        return;
      }
      smsc.binds += 1;
      smsc.sessions.add(session);
      session.send(pdu.response({ system_id: 'fake-smsc' }));
    });
    session.on('submit_sm', (pdu) => {
      smsc.submits.push(pdu);
      const status = smsc.answer(pdu);
      if (status === 'silent') return;
      nextId += 1;
      session.send(status === 0 ? pdu.response({ message_id: `smsc-${nextId}` }) : pdu.response({ command_status: status }));
    });
    session.on('enquire_link', (pdu) => {
      smsc.enquireLinks += 1;
      if (smsc.answerEnquireLink) session.send(pdu.response());
    });
    session.on('unbind', (pdu) => {
      session.send(pdu.response());
      session.close();
    });
  });
  Object.assign(smsc, { port: await listen(server) });
  t.after(() => smsc.stop());
  return smsc;
}

function provider(t: TestContext, smsc: Smsc, settings: Record<string, unknown> = {}, events = recordingEvents()): Provider {
  const created = smppProvider.create(
    { host: '127.0.0.1', port: smsc.port, systemId: 'hellohub', password: 'secret', systemType: 'hh', timeoutMs: 1_000, reconnectMinMs: 50, reconnectMaxMs: 200, ...settings },
    events,
    testDeps(t),
  );
  t.after(() => created.close());
  return created;
}

function sms(id: number, body: string, overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return { id, technology: 'sms', from: '+34600000001', to: '+34611222333', body, ...overrides };
}

function textOf(value: DecodedMessage | Buffer | string | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  return typeof value.message === 'string' ? value.message : value.message.toString('latin1');
}

function accepted(outcome: SendOutcome): string {
  assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome));
  return outcome.kind === 'accepted' ? outcome.providerId : '';
}

test('binds as transceiver and submits a GSM message with a delivery receipt requested', { timeout: 10_000 }, async (t) => {
  const smsc = await startSmsc(t);
  const sender = provider(t, smsc);
  const providerId = accepted(await sender.send(sms(1, 'Hola {name}, 20€ off!')));
  assert.equal(providerId, 'smsc-1');
  assert.equal(smsc.binds, 1);
  const [pdu] = smsc.submits;
  assert.ok(pdu);
  assert.equal(pdu.data_coding, 0, 'GSM 03.38 is the SMSC default alphabet');
  assert.equal(textOf(pdu.short_message), 'Hola {name}, 20€ off!');
  assert.equal(pdu.registered_delivery, 1);
  assert.deepEqual([pdu.source_addr_ton, pdu.source_addr_npi, pdu.source_addr], [1, 1, '34600000001']);
  assert.deepEqual([pdu.dest_addr_ton, pdu.dest_addr_npi, pdu.destination_addr], [1, 1, '34611222333']);
  assert.equal(pdu.message_payload, undefined);
});

test('UCS-2 for text outside GSM, message_payload for text longer than one SMS', { timeout: 10_000 }, async (t) => {
  const smsc = await startSmsc(t);
  const sender = provider(t, smsc);
  accepted(await sender.send(sms(1, 'Привет 😀', { from: 'ACME' })));
  accepted(await sender.send(sms(2, 'x'.repeat(161))));
  accepted(await sender.send(sms(3, 'ж'.repeat(71))));
  accepted(await sender.send(sms(4, 'y'.repeat(160))));
  const [unicode, longGsm, longUcs2, fullGsm] = smsc.submits;
  assert.equal(unicode?.data_coding, 8);
  assert.equal(textOf(unicode?.short_message), 'Привет 😀');
  assert.deepEqual([unicode?.source_addr_ton, unicode?.source_addr_npi, unicode?.source_addr], [5, 0, 'ACME'], 'alphanumeric sender');
  assert.equal(longGsm?.data_coding, 0);
  assert.equal(textOf(longGsm?.short_message), '');
  assert.equal(textOf(longGsm?.message_payload), 'x'.repeat(161));
  assert.equal(longUcs2?.data_coding, 8);
  assert.equal(textOf(longUcs2?.message_payload), 'ж'.repeat(71));
  assert.equal(textOf(fullGsm?.short_message), 'y'.repeat(160), '160 GSM characters still fit one SMS');
  assert.equal(fullGsm?.message_payload, undefined);
});

test('delivery receipts become Receipts, answered only after they are stored', { timeout: 10_000 }, async (t) => {
  const smsc = await startSmsc(t);
  const events = recordingEvents();
  const sender = provider(t, smsc, {}, events);
  const providerId = accepted(await sender.send(sms(1, 'hello')));

  const ok = await smsc.deliver({
    source_addr: '34611222333',
    destination_addr: '34600000001',
    esm_class: 0x04,
    short_message: `id:${providerId} sub:001 dlvrd:001 submit date:2401011200 done date:2401011201 stat:DELIVRD err:000 text:hello`,
  });
  assert.equal(ok.command_status, 0);
  assert.deepEqual(
    events.receipts.map(({ providerId: id, state }) => [id, state]),
    [[providerId, 'delivered']],
  );

  await smsc.deliver({ esm_class: 0x04, receipted_message_id: 'smsc-77', message_state: 5, short_message: 'id:smsc-77 stat:UNDELIV err:034' });
  assert.equal(events.receipts[1]?.state, 'failed');
  assert.equal(events.receipts[1]?.providerId, 'smsc-77');
  assert.match(events.receipts[1]?.reason ?? '', /UNDELIV err:034/);

  events.fail = true;
  const refused = await smsc.deliver({ esm_class: 0x04, short_message: 'id:smsc-78 stat:DELIVRD err:000' });
  assert.equal(refused.command_status, smpp.errors.ESME_RX_T_APPN, 'the SMSC is asked to deliver it again');
  assert.equal(events.receipts.length, 2);
});

test('handset messages become InboundMessages, concatenated parts joined into one', { timeout: 10_000 }, async (t) => {
  const smsc = await startSmsc(t);
  const events = recordingEvents();
  const sender = provider(t, smsc, {}, events);
  accepted(await sender.send(sms(1, 'warm up the bind')));

  const answer = await smsc.deliver({ source_addr_ton: 1, source_addr: '34611222333', destination_addr: '34600000001', short_message: 'STOP' });
  assert.equal(answer.command_status, 0);
  assert.equal(events.messages.length, 1);
  assert.deepEqual({ ...events.messages[0], providerId: undefined, at: undefined }, { providerId: undefined, from: '+34611222333', to: '34600000001', body: 'STOP', at: undefined });
  assert.match(events.messages[0]?.providerId ?? '', /^smpp-/);

  // Second part first: order comes from the UDH, not from arrival.
  const udh = (index: number) => Buffer.from([0x05, 0x00, 0x03, 0x2a, 0x02, index]);
  const second = smsc.deliver({ source_addr_ton: 1, source_addr: '34611222333', destination_addr: '34600000001', short_message: { udh: udh(2), message: 'world' } });
  const first = smsc.deliver({ source_addr_ton: 1, source_addr: '34611222333', destination_addr: '34600000001', short_message: { udh: udh(1), message: 'hello ' } });
  const responses = await Promise.all([second, first]);
  assert.deepEqual(responses.map((r) => r.command_status), [0, 0]);
  assert.equal(events.messages.length, 2);
  assert.equal(events.messages[1]?.body, 'hello world');
});

test('reconnects and binds again after the SMSC drops the connection; sends while down are retryable', { timeout: 10_000 }, async (t) => {
  const smsc = await startSmsc(t);
  const sender = provider(t, smsc);
  accepted(await sender.send(sms(1, 'before')));
  smsc.drop();
  await eventually(() => smsc.binds === 2, 3_000, 'a new bind');
  accepted(await sender.send(sms(2, 'after a drop')));

  await smsc.stop();
  // The provider may not have seen the close yet: that send goes out and is lost, retryable too.
  assert.equal((await sender.send(sms(3, 'as it closes'))).kind, 'retryable');
  const started = Date.now();
  const down = await sender.send(sms(3, 'while down'));
  assert.equal(down.kind, 'retryable', JSON.stringify(down));
  assert.match(down.kind === 'retryable' ? down.reason : '', /not bound/);
  assert.ok(Date.now() - started < 3_000, 'bounded by timeoutMs, never hangs');
});

test('throttling is retryable with a pause, other refusals permanent', { timeout: 10_000 }, async (t) => {
  const smsc = await startSmsc(t);
  const sender = provider(t, smsc);
  smsc.answer = () => smpp.errors.ESME_RTHROTTLED ?? 0x58;
  const throttled = await sender.send(sms(1, 'a'));
  assert.equal(throttled.kind, 'retryable');
  assert.ok(throttled.kind === 'retryable' && throttled.retryAfterMs !== undefined);
  smsc.answer = () => smpp.errors.ESME_RMSGQFUL ?? 0x14;
  assert.equal((await sender.send(sms(2, 'b'))).kind, 'retryable');
  smsc.answer = () => smpp.errors.ESME_RINVDSTADR ?? 0x0b;
  const refused = await sender.send(sms(3, 'c'));
  assert.deepEqual(refused, { kind: 'permanent', reason: 'SMSC refused: ESME_RINVDSTADR', code: 'ESME_RINVDSTADR' });
  const notE164 = await sender.send(sms(4, 'd', { to: 'nobody' }));
  assert.equal(notE164.kind, 'permanent');
});

test('a submit the SMSC never answers is retryable once the time limit passes', { timeout: 10_000 }, async (t) => {
  const smsc = await startSmsc(t);
  const sender = provider(t, smsc);
  accepted(await sender.send(sms(1, 'bind first')));
  smsc.answer = () => 'silent';
  const started = Date.now();
  const outcome = await sender.send(sms(2, 'lost'));
  assert.equal(outcome.kind, 'retryable');
  assert.ok(Date.now() - started < 3_000);
});

test('keeps the link alive with enquire_link and reconnects when it goes unanswered', { timeout: 10_000 }, async (t) => {
  const smsc = await startSmsc(t);
  const sender = provider(t, smsc, { enquireLinkMs: 1_000, timeoutMs: 500 });
  accepted(await sender.send(sms(1, 'bind')));
  await eventually(() => smsc.enquireLinks >= 1, 3_000, 'an enquire_link');
  smsc.answerEnquireLink = false;
  await eventually(() => smsc.binds >= 2, 5_000, 'a new bind after the unanswered enquire_link');
  smsc.answerEnquireLink = true;
  accepted(await sender.send(sms(2, 'still works')));
});

test('a refused bind makes sends retryable with the reason, and closing unbinds', { timeout: 10_000 }, async (t) => {
  const smsc = await startSmsc(t, 'other');
  const sender = provider(t, smsc);
  const outcome = await sender.send(sms(1, 'x'));
  assert.equal(outcome.kind, 'retryable');
  assert.match(outcome.kind === 'retryable' ? outcome.reason : '', /ESME_RINVPASWD/);
  await sender.close();
  const afterClose = await sender.send(sms(2, 'y'));
  assert.equal(afterClose.kind, 'retryable');
});
