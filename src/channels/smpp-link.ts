/**
 * One SMPP transceiver bind kept alive: connect, bind, answer and send enquire_link, and
 * reconnect with exponential backoff whenever the connection drops, the bind is refused or a
 * keep-alive goes unanswered. Sends wait for the bind and for a window slot, but never longer
 * than the caller's signal allows: a link that is down makes a send fail fast, never hang.
 */

import smpp, { type PDU, type PDUOptions, type Session } from 'smpp';
import type { Logger } from 'pino';
import { withDeadline } from './deadline.js';
import { resolveAllowedAddress } from './guarded-address.js';
import type { ProviderDeps } from './provider.js';

export interface LinkOptions {
  readonly host: string;
  readonly port: number;
  readonly systemId: string;
  readonly password: string;
  readonly systemType: string;
  /** Bind, keep-alive answer and unbind time limit. */
  readonly timeoutMs: number;
  readonly enquireLinkMs: number;
  readonly reconnectMinMs: number;
  readonly reconnectMaxMs: number;
  /** Submits awaiting their response at once; SMSCs throttle past their own window. */
  readonly window: number;
}

/** A submit_sm's response, or why there is none: `notSent` nothing left us; `unknown` it may have reached the SMSC. */
export type SubmitResult = { readonly kind: 'response'; readonly pdu: PDU } | { readonly kind: 'notSent' | 'unknown'; readonly reason: string };

const statusNames = new Map(Object.entries(smpp.errors).map(([name, code]) => [code, name] as const));

/** ESME_R… name of a command status, or its hex code. */
export function statusName(status: number): string {
  return statusNames.get(status) ?? `0x${status.toString(16).padStart(8, '0')}`;
}

/** Resolves `true` when `ready` calls back, `false` when the signal aborts first. */
function waitFor(signal: AbortSignal, register: (ready: () => void) => () => void): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      unregister();
      resolve(false);
    };
    const unregister = register(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export class SmppLink {
  private session: Session | undefined;
  private bound = false;
  private closed = false;
  private attempt = 0;
  private lastError = 'not connected yet';
  private reconnectTimer: NodeJS.Timeout | undefined;
  private bindTimer: NodeJS.Timeout | undefined;
  private enquireTimer: NodeJS.Timeout | undefined;
  private enquireDeadline: NodeJS.Timeout | undefined;
  private readonly boundWaiters = new Set<() => void>();
  private readonly slotWaiters: Array<() => void> = [];
  private readonly idleWaiters = new Set<() => void>();
  private inflight = 0;
  /** Settles every submit awaiting its response when the connection they went out on is lost. */
  private readonly awaiting = new Set<(reason: string) => void>();
  private readonly logger: Logger;

  constructor(
    private readonly options: LinkOptions,
    private readonly deps: ProviderDeps,
    private readonly onDeliver: (session: Session, pdu: PDU) => void,
  ) {
    this.logger = deps.logger.child({ provider: 'smpp', host: options.host, port: options.port });
    void this.connect();
  }

  private async connect(): Promise<void> {
    this.reconnectTimer = undefined;
    if (this.closed) return;
    let address: string;
    try {
      address = await resolveAllowedAddress(this.options.host, this.deps);
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      this.logger.error({ err: error }, 'smpp host refused or unresolvable');
      this.scheduleReconnect();
      return;
    }
    if (this.closed) return;
    const session = smpp.connect({ host: address, port: this.options.port });
    this.session = session;
    // One limit for connecting and binding: an SMSC that accepts TCP but never answers the bind
    // would otherwise leave the link unbound forever without ever reconnecting.
    this.bindTimer = setTimeout(() => {
      this.lastError = `no bind within ${this.options.timeoutMs} ms`;
      session.destroy();
    }, this.options.timeoutMs);
    session.on('connect', () => {
      session.bind_transceiver({ system_id: this.options.systemId, password: this.options.password, system_type: this.options.systemType }, (pdu) => {
        if (this.session !== session) return;
        clearTimeout(this.bindTimer);
        if (pdu.command_status !== 0) {
          this.lastError = `bind refused: ${statusName(pdu.command_status)}`;
          this.logger.error({ status: statusName(pdu.command_status) }, 'smpp bind refused');
          session.destroy();
          return;
        }
        this.bound = true;
        this.attempt = 0;
        this.logger.info('smpp bound as transceiver');
        this.startEnquireLink(session);
        this.wakeBoundWaiters();
      });
    });
    session.on('deliver_sm', (pdu) => this.onDeliver(session, pdu));
    session.on('enquire_link', (pdu) => session.send(pdu.response()));
    session.on('unbind', (pdu) => {
      this.bound = false;
      session.send(pdu.response());
      session.close();
    });
    session.on('error', (error) => {
      this.lastError = error.message;
      this.logger.warn({ err: error }, 'smpp connection error');
    });
    session.on('close', () => this.onClose(session));
  }

  private onClose(session: Session): void {
    if (this.session !== session) return;
    this.session = undefined;
    this.bound = false;
    clearTimeout(this.bindTimer);
    this.stopEnquireLink();
    for (const settle of [...this.awaiting]) settle('connection lost before submit_sm_resp');
    if (this.closed) return;
    this.logger.warn({ reason: this.lastError }, 'smpp connection closed');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    const ceiling = Math.min(this.options.reconnectMaxMs, this.options.reconnectMinMs * 2 ** this.attempt);
    this.attempt += 1;
    // Half fixed, half random: never sooner than half the ceiling, and links that dropped
    // together (an SMSC restart) come back spread out.
    const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
  }

  private startEnquireLink(session: Session): void {
    this.enquireTimer = setInterval(() => {
      if (this.enquireDeadline) return;
      this.enquireDeadline = setTimeout(() => {
        this.lastError = `no enquire_link_resp within ${this.options.timeoutMs} ms`;
        session.destroy();
      }, this.options.timeoutMs);
      session.enquire_link(() => {
        clearTimeout(this.enquireDeadline);
        this.enquireDeadline = undefined;
      });
    }, this.options.enquireLinkMs);
  }

  private stopEnquireLink(): void {
    clearInterval(this.enquireTimer);
    clearTimeout(this.enquireDeadline);
    this.enquireTimer = undefined;
    this.enquireDeadline = undefined;
  }

  private waitBound(signal: AbortSignal): Promise<boolean> {
    if (this.bound) return Promise.resolve(true);
    if (this.closed) return Promise.resolve(false);
    return waitFor(signal, (ready) => {
      this.boundWaiters.add(ready);
      return () => this.boundWaiters.delete(ready);
    });
  }

  /** Bound, or closed: either way the waiting sends look again. */
  private wakeBoundWaiters(): void {
    const waiters = [...this.boundWaiters];
    this.boundWaiters.clear();
    for (const ready of waiters) ready();
  }

  private acquireSlot(signal: AbortSignal): Promise<boolean> {
    if (this.inflight < this.options.window) {
      this.inflight += 1;
      return Promise.resolve(true);
    }
    return waitFor(signal, (ready) => {
      this.slotWaiters.push(ready);
      return () => this.slotWaiters.splice(this.slotWaiters.indexOf(ready), 1);
    });
  }

  private releaseSlot(): void {
    const next = this.slotWaiters.shift();
    // The slot passes straight to the next waiter, so the count stays as it is.
    if (next) return next();
    this.inflight -= 1;
    if (this.inflight === 0) for (const idle of [...this.idleWaiters]) idle();
  }

  /** Sends one submit_sm and waits for its response, all within `signal`. */
  async submit(options: PDUOptions, signal: AbortSignal, label: string): Promise<SubmitResult> {
    const bound = await this.waitBound(signal);
    if (this.closed) return { kind: 'notSent', reason: 'smpp provider closed' };
    if (!bound) return { kind: 'notSent', reason: `not bound to ${this.options.host}:${this.options.port} (${this.lastError})` };
    if (!(await this.acquireSlot(signal))) return { kind: 'notSent', reason: `window of ${this.options.window} submits stayed full` };
    try {
      const session = this.session;
      if (!session || !this.bound) return { kind: 'notSent', reason: 'connection lost' };
      return await new Promise<SubmitResult>((resolve) => {
        let settled = false;
        const finish = (result: SubmitResult) => {
          if (settled) return;
          settled = true;
          this.awaiting.delete(lost);
          signal.removeEventListener('abort', onAbort);
          resolve(result);
        };
        const lost = (reason: string) => finish({ kind: 'unknown', reason });
        const onAbort = () => finish({ kind: 'unknown', reason: 'no submit_sm_resp in time' });
        this.awaiting.add(lost);
        signal.addEventListener('abort', onAbort, { once: true });
        const written = session.submit_sm(options, (pdu) => {
          // Accepted after we gave up: the engine will send it again, and the handset get it twice.
          if (settled && pdu.command_status === 0) this.logger.warn({ message: label, smscId: pdu.message_id }, 'submit_sm_resp arrived after the time limit; the message may be sent twice');
          finish({ kind: 'response', pdu });
        });
        if (!written) finish({ kind: 'notSent', reason: 'connection not writable' });
      });
    } finally {
      this.releaseSlot();
    }
  }

  /** Stops reconnecting, waits for submits in flight (bounded), unbinds and closes the socket. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.wakeBoundWaiters();
    if (this.inflight > 0) {
      await withDeadline(this.options.timeoutMs, (signal) =>
        waitFor(signal, (idle) => {
          this.idleWaiters.add(idle);
          return () => this.idleWaiters.delete(idle);
        }),
      );
    }
    const session = this.session;
    // No session: never connected or already closed ('close' clears it), nothing to wait for.
    if (!session) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        session.destroy();
        resolve();
      }, this.options.timeoutMs);
      session.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      // Unbind politely when bound; the SMSC's unbind_resp (or its silence) ends the socket.
      if (!(this.bound && session.unbind(() => session.destroy()))) session.destroy();
    });
  }
}
