import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createAddressPolicy } from '../net/address-policy.js';
import { smtpProvider } from './smtp.provider.js';
import type { OutboundMessage, Provider, SendOutcome } from './provider.js';
import { closedPort, listen, recordingEvents, testDeps } from './testing.js';

interface Received {
  readonly mail: ParsedMail;
  readonly envelopeFrom: string;
  readonly user: string | undefined;
}

interface Sink {
  readonly port: number;
  readonly received: Received[];
  /** Connections the server accepted so far. */
  connections: number;
}

/** A real SMTP server on loopback, parsing every mail it takes with mailparser. */
async function startSink(t: TestContext, options: Partial<SMTPServerOptions> = {}): Promise<Sink> {
  const sink = { port: 0, received: [] as Received[], connections: 0 };
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    closeTimeout: 100,
    onAuth(auth, _session, callback) {
      if (auth.username === 'mailer' && auth.password === 's3cret') callback(null, { user: auth.username });
      else callback(Object.assign(new Error('bad credentials'), { responseCode: 535 }));
    },
    onConnect(_session, callback) {
      sink.connections += 1;
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          const from = session.envelope.mailFrom;
          sink.received.push({ mail, envelopeFrom: from === false ? '' : from.address, user: typeof session.user === 'string' ? session.user : undefined });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
    ...options,
  });
  const port = await new Promise<number>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.server.address();
      resolve(address !== null && typeof address === 'object' ? address.port : 0);
    });
  });
  sink.port = port;
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return sink;
}

function provider(t: TestContext, settings: Record<string, unknown>, deps = testDeps(t)): Provider {
  const created = smtpProvider.create({ host: '127.0.0.1', from: 'bounces@acme.test', timeoutMs: 3_000, ...settings }, recordingEvents(), deps);
  // Registered after the sink, so it runs first: the pool says QUIT before the server closes.
  t.after(() => created.close());
  return created;
}

function email(id: number, overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return { id, technology: 'email', from: 'Acme <news@acme.test>', to: 'ana@example.test', subject: `Hello ${id}`, body: `Plain ${id}`, ...overrides };
}

function assertAccepted(outcome: SendOutcome): asserts outcome is Extract<SendOutcome, { kind: 'accepted' }> {
  assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome));
}

test('delivers a mail with text, html, headers, attachments (bytes and URL) and a Message-ID derived from our id', { timeout: 15_000 }, async (t) => {
  const sink = await startSink(t);
  const files = createHttpServer((_request, response) => response.writeHead(200, { 'content-type': 'text/csv' }).end('a,b\n1,2\n'));
  const filesPort = await listen(files);
  t.after(() => {
    files.closeAllConnections();
    files.close();
  });
  const smtp = provider(t, { port: sink.port, user: 'mailer', pass: 's3cret' });

  const outcome = await smtp.send(
    email(41, {
      html: '<p>Rich <b>41</b></p>',
      headers: { 'List-Unsubscribe': '<https://acme.test/u/41>' },
      attachments: [
        { content: Buffer.from('hello file'), contentType: 'text/plain', filename: 'note.txt' },
        { url: `http://127.0.0.1:${filesPort}/report.csv`, contentType: 'text/csv', filename: 'report.csv' },
      ],
    }),
  );

  assertAccepted(outcome);
  assert.equal(outcome.providerId, '<41.hellohub@acme.test>');
  assert.equal(sink.received.length, 1);
  const [{ mail, envelopeFrom, user }] = sink.received as [Received];
  assert.equal(user, 'mailer', 'authenticated with the settings');
  assert.equal(envelopeFrom, 'bounces@acme.test', 'MAIL FROM is the settings address, where bounces go');
  assert.equal(mail.from?.text, '"Acme" <news@acme.test>');
  assert.equal(mail.messageId, '<41.hellohub@acme.test>');
  assert.equal(mail.subject, 'Hello 41');
  assert.equal(mail.text?.trim(), 'Plain 41');
  assert.equal(mail.html, '<p>Rich <b>41</b></p>');
  assert.ok(mail.headerLines.some((h) => h.line === 'List-Unsubscribe: <https://acme.test/u/41>'), 'extra headers kept');
  assert.deepEqual(
    mail.attachments.map((a) => [a.filename, a.contentType, a.content.toString()]),
    [
      ['note.txt', 'text/plain', 'hello file'],
      ['report.csv', 'text/csv', 'a,b\n1,2\n'],
    ],
  );
});

test('a retry of the same message carries the same Message-ID, so receivers can drop the duplicate', { timeout: 15_000 }, async (t) => {
  const sink = await startSink(t);
  const smtp = provider(t, { port: sink.port });
  assertAccepted(await smtp.send(email(7)));
  assertAccepted(await smtp.send(email(7)));
  assertAccepted(await smtp.send(email(8)));
  assertAccepted(await smtp.send(email(9, { headers: { 'message-id': '<given@acme.test>' } })));
  assert.deepEqual(
    sink.received.map((r) => r.mail.messageId),
    ['<7.hellohub@acme.test>', '<7.hellohub@acme.test>', '<8.hellohub@acme.test>', '<given@acme.test>'],
  );
});

test('closing waits for sends in flight, then refuses new ones as retryable', { timeout: 15_000 }, async (t) => {
  const sink = await startSink(t);
  const smtp = provider(t, { port: sink.port });
  const inFlight = smtp.send(email(1));
  await smtp.close();
  assertAccepted(await inFlight);
  assert.equal(sink.received.length, 1);
  assert.equal((await smtp.send(email(2))).kind, 'retryable');
});

test('signs with DKIM when configured', { timeout: 15_000 }, async (t) => {
  const sink = await startSink(t);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const smtp = provider(t, {
    port: sink.port,
    dkim: { domainName: 'acme.test', keySelector: 'hh2024', privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() },
  });
  assertAccepted(await smtp.send(email(3)));
  const signature = sink.received[0]?.mail.headerLines.find((h) => h.key === 'dkim-signature')?.line ?? '';
  assert.match(signature, /d=acme\.test;/);
  assert.match(signature, /s=hh2024;/);
  assert.match(signature, /bh=[^;]+;/);
});

test('the pool reuses its connections: many mails, as many connections as maxConnections', { timeout: 15_000 }, async (t) => {
  const sink = await startSink(t);
  const smtp = provider(t, { port: sink.port, maxConnections: 2 });
  const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => smtp.send(email(100 + i))));
  for (const outcome of outcomes) assertAccepted(outcome);
  assert.equal(sink.received.length, 12);
  assert.ok(sink.connections >= 1 && sink.connections <= 2, `opened ${sink.connections} connections`);
  assertAccepted(await smtp.send(email(200)));
  assert.ok(sink.connections <= 2, 'a later mail reuses an open connection');
});

test('4xx answers are retryable, 5xx answers permanent', { timeout: 15_000 }, async (t) => {
  const sink = await startSink(t, {
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('gone@')) callback(Object.assign(new Error('5.1.1 no such user'), { responseCode: 550 }));
      else if (address.address.startsWith('later@')) callback(Object.assign(new Error('4.2.1 mailbox busy'), { responseCode: 451 }));
      else callback();
    },
  });
  const smtp = provider(t, { port: sink.port });
  const gone = await smtp.send(email(1, { to: 'gone@example.test' }));
  assert.equal(gone.kind, 'permanent');
  assert.equal(gone.kind === 'permanent' && gone.code, '550');
  const later = await smtp.send(email(2, { to: 'later@example.test' }));
  assert.equal(later.kind, 'retryable');
  assert.match(later.kind === 'retryable' ? later.reason : '', /451/);
  assertAccepted(await smtp.send(email(3)));
});

test('wrong credentials are a permanent failure (535)', { timeout: 15_000 }, async (t) => {
  const sink = await startSink(t);
  const smtp = provider(t, { port: sink.port, user: 'mailer', pass: 'wrong' });
  const outcome = await smtp.send(email(1));
  assert.equal(outcome.kind, 'permanent');
  assert.equal(sink.received.length, 0);
});

test('a server that is down is retryable', { timeout: 15_000 }, async (t) => {
  const port = await closedPort();
  const smtp = provider(t, { port });
  const outcome = await smtp.send(email(1));
  assert.equal(outcome.kind, 'retryable', JSON.stringify(outcome));
});

test('a server that never greets is retryable once the time limit passes', { timeout: 15_000 }, async (t) => {
  const sockets = new Set<Socket>();
  const silent = createTcpServer((socket) => sockets.add(socket));
  const port = await listen(silent);
  t.after(() => {
    for (const socket of sockets) socket.destroy();
    silent.close();
  });
  const smtp = provider(t, { port, timeoutMs: 1_000 });
  const started = Date.now();
  const outcome = await smtp.send(email(1));
  assert.equal(outcome.kind, 'retryable', JSON.stringify(outcome));
  assert.ok(Date.now() - started < 5_000, 'bounded by timeoutMs');
});

test('a host the address policy refuses is never connected to', { timeout: 15_000 }, async (t) => {
  const sink = await startSink(t);
  const smtp = provider(t, { port: sink.port }, testDeps(t, { addressPolicy: createAddressPolicy({ allowPrivateUrls: false }) }));
  const outcome = await smtp.send(email(1));
  assert.deepEqual(outcome.kind === 'permanent' && outcome.code, 'blocked_address');
  assert.equal(sink.connections, 0);
});

test('refuses messages of another technology', { timeout: 5_000 }, async (t) => {
  const smtp = provider(t, { port: 25 });
  const outcome = await smtp.send(email(1, { technology: 'sms' }));
  assert.equal(outcome.kind, 'permanent');
});
