/**
 * In-process peers of the real providers, for the engine's end-to-end suites: an SMTP server
 * parsing what it takes (smtp-server + mailparser), a fake SMSC (smpp in server mode), and
 * signed webhook requests as Twilio-compatible gateways and WhatsApp Cloud send them. The
 * HTTP fakes of the two APIs are src/channels/testing.ts's startFakeApi.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import type { InjectOptions } from 'fastify';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import smpp, { type PDU, type PDUOptions, type Session } from 'smpp';
import { twilioSignature } from '../../src/channels/http-sms.provider.js';
import { listen } from '../../src/channels/testing.js';

export interface SmtpSink {
  readonly port: number;
  readonly received: ParsedMail[];
  /** Decides each recipient: undefined accepts, a number refuses with that reply code. */
  refuse: (address: string) => number | undefined;
  /** While true, mails are read but never answered (a server that hangs after DATA); counted in `held`. */
  hold: boolean;
  held: number;
  close(): Promise<void>;
}

export async function startSmtpSink(options: Partial<SMTPServerOptions> = {}): Promise<SmtpSink> {
  const sink: SmtpSink = { port: 0, received: [], refuse: () => undefined, hold: false, held: 0, close: async () => undefined };
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    closeTimeout: 100,
    onRcptTo(address, _session, callback) {
      const code = sink.refuse(address.address);
      if (code === undefined) callback();
      else callback(Object.assign(new Error(`${code} refused by the test`), { responseCode: code }));
    },
    onData(stream, _session, callback) {
      if (sink.hold) {
        sink.held += 1;
        stream.resume();
        return;
      }
      simpleParser(stream).then(
        (mail) => {
          sink.received.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
    ...options,
  });
  // A client that dies (the crash tests kill one mid-send) resets its connection; that is no failure of the sink.
  server.on('error', () => undefined);
  const port = await new Promise<number>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.server.address();
      resolve(address !== null && typeof address === 'object' ? address.port : 0);
    });
  });
  Object.assign(sink, { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
  return sink;
}

/** A fake SMSC: binds `hellohub`/`secret`, answers submit_sm as told, sends deliver_sm on demand. */
export interface Smsc {
  readonly port: number;
  readonly submits: PDU[];
  readonly sessions: Set<Session>;
  /** The status to answer the next submit_sm with (0: accepted). */
  answer: (pdu: PDU) => number;
  deliver(options: PDUOptions): Promise<PDU>;
  stop(): Promise<void>;
}

export async function startSmsc(): Promise<Smsc> {
  let nextId = 0;
  const smsc: Smsc = {
    port: 0,
    submits: [],
    sessions: new Set(),
    answer: () => 0,
    deliver: (options) =>
      new Promise((resolve, reject) => {
        const session = [...smsc.sessions].at(-1);
        if (!session) return reject(new Error('no bound session'));
        session.deliver_sm(options, (response) => resolve(response));
      }),
    stop: async () => undefined,
  };
  const server = smpp.createServer((session) => {
    session.on('error', () => undefined);
    session.on('close', () => smsc.sessions.delete(session));
    session.on('bind_transceiver', (pdu) => {
      if (pdu.system_id !== 'hellohub' || Reflect.get(pdu, 'password') !== 'secret') {
        session.send(pdu.response({ command_status: smpp.errors.ESME_RINVPASWD ?? 0x0e }));
        return;
      }
      smsc.sessions.add(session);
      session.send(pdu.response({ system_id: 'fake-smsc' }));
    });
    session.on('submit_sm', (pdu) => {
      smsc.submits.push(pdu);
      const status = smsc.answer(pdu);
      nextId += 1;
      session.send(status === 0 ? pdu.response({ message_id: `smsc-${nextId}` }) : pdu.response({ command_status: status }));
    });
    session.on('enquire_link', (pdu) => session.send(pdu.response()));
    session.on('unbind', (pdu) => {
      session.send(pdu.response());
      session.close();
    });
  });
  Object.assign(smsc, {
    port: await listen(server),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const session of smsc.sessions) session.destroy();
        server.close(() => resolve());
      }),
  });
  return smsc;
}

/** The text of a submit_sm (GSM text as latin1 is enough for the ASCII these suites send). */
export function submittedText(pdu: PDU | undefined): string {
  const value = pdu?.short_message;
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  return typeof value.message === 'string' ? value.message : value.message.toString('latin1');
}

/** A Twilio-style webhook to `path`, signed over `publicUrl + path` with `authToken`. */
export function twilioHook(path: string, params: Record<string, string>, authToken: string, publicUrl = 'http://localhost:8080'): InjectOptions {
  const form = new URLSearchParams(params);
  return {
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(authToken, `${publicUrl}${path}`, form) },
    payload: form.toString(),
  };
}

/** A WhatsApp Cloud webhook POST signed with the app secret. */
export function whatsappHook(path: string, value: Record<string, unknown>, appSecret: string): InjectOptions {
  const payload = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'waba', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', ...value } }] }] });
  return {
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', appSecret).update(payload).digest('hex')}` },
    payload,
  };
}

/** A `hellohub worker` process on the test's database, as a second machine would run it. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Resolves once its worker logged that it started. */
  readonly ready: Promise<void>;
  stderr: string;
  /** SIGTERM and wait; SIGKILL after 5 s. */
  stop(): Promise<void>;
  /** SIGKILL now: a crash. */
  kill(): Promise<void>;
}

export function spawnWorkerProcess(database: { dataDir: string; databaseUrl: string | undefined }, env: Record<string, string> = {}): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker'], {
    env: {
      ...process.env,
      DATA_DIR: database.dataDir,
      ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
      LOG_LEVEL: 'info',
      ALLOW_PRIVATE_URLS: 'true',
      WORKER_POLL_MS: '10',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const worker: WorkerProcess = {
    child,
    stderr: '',
    ready: new Promise((resolve, reject) => {
      let seen = '';
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        seen += chunk;
        if (seen.includes('"worker started"')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`worker process exited (${code}) before starting: ${worker.stderr}`)));
    }),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const closed = once(child, 'close');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await closed;
      clearTimeout(timer);
    },
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const closed = once(child, 'close');
      child.kill('SIGKILL');
      await closed;
    },
  };
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (worker.stderr += chunk));
  // Keeps an unawaited rejection (a crash the test causes) from failing the run.
  worker.ready.catch(() => undefined);
  return worker;
}
