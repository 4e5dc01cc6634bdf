/**
 * SMS over SMPP 3.4: one transceiver bind per channel (src/channels/smpp-link.ts), submit_sm
 * with a final delivery receipt requested, receipts and handset messages from deliver_sm.
 *
 * Long messages travel whole in the message_payload TLV rather than as UDH parts: one
 * submit_sm is one SMSC message id, one receipt, and one outcome. With parts, a retry after
 * part 2 of 3 was throttled would send part 1 again, and receipts would come per part.
 * An SMSC that does not take message_payload answers with a TLV error, which is permanent.
 *
 * SMPP has no idempotency key: a submit whose response is lost (timeout, dropped connection)
 * is reported retryable, and if the SMSC had taken it the handset gets it twice.
 */

import { randomUUID } from 'node:crypto';
import type { PDU, PDUOptions, Session } from 'smpp';
import smpp from 'smpp';
import { Type, type Static } from 'typebox';
import { withDeadline } from './deadline.js';
import { classifyDeliver, type Part } from './smpp-deliver.js';
import { SmppLink, statusName } from './smpp-link.js';
import { encodeSms } from './sms-encoding.js';
import { defineProvider } from './provider-definition.js';
import type { InboundMessage, OutboundMessage, Provider, ProviderDeps, ProviderEvents, SendOutcome } from './provider.js';

const SmppSettings = Type.Object(
  {
    host: Type.String({ minLength: 1 }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 2775 }),
    systemId: Type.String({ minLength: 1, maxLength: 15 }),
    password: Type.String({ writeOnly: true }),
    systemType: Type.String({ maxLength: 12, default: '' }),
    sourceTon: Type.Optional(Type.Integer({ minimum: 0, maximum: 6, description: 'Overrides the TON guessed from the origin.' })),
    sourceNpi: Type.Optional(Type.Integer({ minimum: 0, maximum: 18, description: 'Overrides the NPI guessed from the origin.' })),
    timeoutMs: Type.Integer({ minimum: 500, maximum: 120_000, default: 10_000, description: 'Longest one send waits: for the bind, a window slot and submit_sm_resp.' }),
    enquireLinkMs: Type.Integer({ minimum: 1_000, maximum: 600_000, default: 30_000 }),
    reconnectMinMs: Type.Integer({ minimum: 10, maximum: 600_000, default: 1_000 }),
    reconnectMaxMs: Type.Integer({ minimum: 10, maximum: 3_600_000, default: 60_000 }),
    window: Type.Integer({ minimum: 1, maximum: 1_000, default: 10, description: 'submit_sm awaiting a response at once.' }),
  },
  { additionalProperties: false },
);
export type SmppSettings = Static<typeof SmppSettings>;

const REGISTERED_DELIVERY_FINAL = 0x01;
// Peers hold PDUs to 16 KiB or less; the payload has to fit with the rest of the submit_sm.
const MAX_PAYLOAD_BYTES = 16_000;
/** How long the parts of a concatenated inbound message are awaited before what came is stored. */
const ASSEMBLY_TIMEOUT_MS = 30_000;
const THROTTLED = new Set(['ESME_RTHROTTLED', 'ESME_RMSGQFUL']);
// Not a verdict on the message: the SMSC's own trouble (RSYSERR, temporary application error)
// or a bind that it no longer sees (RINVBNDSTS) — the same message passes later.
const TRANSIENT = new Set(['ESME_RSYSERR', 'ESME_RX_T_APPN', 'ESME_RINVBNDSTS']);
const THROTTLE_PAUSE_MS = 1_000;

/** TON/NPI and digits of our origin: `+` number international/ISDN, digits unknown/ISDN, anything else alphanumeric. */
function sourceAddress(from: string, settings: SmppSettings): { source_addr_ton: number; source_addr_npi: number; source_addr: string } {
  const guessed = /^\+\d+$/.test(from) ? [1, 1] : /^\d+$/.test(from) ? [0, 1] : [5, 0];
  return { source_addr_ton: settings.sourceTon ?? guessed[0] ?? 0, source_addr_npi: settings.sourceNpi ?? guessed[1] ?? 0, source_addr: from.replace(/^\+/, '') };
}

export function submitOptions(message: OutboundMessage, settings: SmppSettings): { readonly options: PDUOptions } | { readonly refused: SendOutcome } {
  if (!/^\+\d{6,15}$/.test(message.to)) return { refused: { kind: 'permanent', reason: `destination ${message.to} is not an E.164 number` } };
  const encoded = encodeSms(message.body);
  if (encoded.bytes.length > MAX_PAYLOAD_BYTES) return { refused: { kind: 'permanent', reason: `message of ${encoded.units} characters is too long for SMPP` } };
  const options = {
    ...sourceAddress(message.from, settings),
    dest_addr_ton: 1,
    dest_addr_npi: 1,
    destination_addr: message.to.slice(1),
    registered_delivery: REGISTERED_DELIVERY_FINAL,
    data_coding: encoded.dataCoding,
    ...(encoded.singlePart ? { short_message: encoded.bytes } : { short_message: Buffer.alloc(0), message_payload: encoded.bytes }),
  };
  return { options };
}

export function submitOutcome(pdu: PDU): SendOutcome {
  if (pdu.command_status === 0) return { kind: 'accepted', providerId: pdu.message_id ?? '' };
  const name = statusName(pdu.command_status);
  if (THROTTLED.has(name)) return { kind: 'retryable', reason: `SMSC throttled: ${name}`, retryAfterMs: THROTTLE_PAUSE_MS };
  if (TRANSIENT.has(name)) return { kind: 'retryable', reason: `SMSC answered ${name}` };
  return { kind: 'permanent', reason: `SMSC refused: ${name}`, code: name };
}

interface Held {
  readonly session: Session;
  readonly pdu: PDU;
}

/** Parts of concatenated inbound messages, kept until all have come or the wait ends. */
class PartAssembler {
  private readonly open = new Map<string, { texts: Map<number, string>; held: Held[]; base: Omit<InboundMessage, 'providerId' | 'body'>; timer: NodeJS.Timeout }>();

  constructor(private readonly complete: (message: Omit<InboundMessage, 'providerId'>, held: Held[]) => void) {}

  add(part: Part, base: Omit<InboundMessage, 'providerId' | 'body'>, held: Held): void {
    let entry = this.open.get(part.key);
    if (!entry) {
      entry = { texts: new Map(), held: [], base, timer: setTimeout(() => this.finish(part.key), ASSEMBLY_TIMEOUT_MS) };
      this.open.set(part.key, entry);
    }
    entry.texts.set(part.index, part.text);
    entry.held.push(held);
    if (entry.texts.size >= part.total) this.finish(part.key);
  }

  private finish(key: string): void {
    const entry = this.open.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.open.delete(key);
    const body = [...entry.texts.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, text]) => text)
      .join('');
    this.complete({ ...entry.base, body }, entry.held);
  }

  /** Drops what is half assembled, unanswered: the SMSC delivers those parts again on the next bind. */
  clear(): void {
    for (const entry of this.open.values()) clearTimeout(entry.timer);
    this.open.clear();
  }
}

function createSmppProvider(settings: SmppSettings, events: ProviderEvents, deps: ProviderDeps): Provider {
  const logger = deps.logger.child({ provider: 'smpp', host: settings.host });

  /** Stores, then acknowledges: a deliver_sm is answered only once the engine has it. */
  const store = (work: () => Promise<void>, held: readonly Held[]): void => {
    work().then(
      () => {
        for (const { session, pdu } of held) session.send(pdu.response());
      },
      (error: unknown) => {
        logger.error({ err: error }, 'storing a deliver_sm failed; asking the SMSC to deliver it again');
        for (const { session, pdu } of held) session.send(pdu.response({ command_status: smpp.errors.ESME_RX_T_APPN ?? 0x64 }));
      },
    );
  };
  // SMPP gives handset messages no id; a fresh one lets the engine store each (a redelivery after a lost response is stored twice).
  const inbound = (message: Omit<InboundMessage, 'providerId'>, held: Held[]) => store(() => events.inbound({ providerId: `smpp-${randomUUID()}`, ...message }), held);
  const assembler = new PartAssembler(inbound);

  const link = new SmppLink(
    {
      host: settings.host,
      port: settings.port,
      systemId: settings.systemId,
      password: settings.password,
      systemType: settings.systemType,
      timeoutMs: settings.timeoutMs,
      enquireLinkMs: settings.enquireLinkMs,
      reconnectMinMs: settings.reconnectMinMs,
      reconnectMaxMs: Math.max(settings.reconnectMaxMs, settings.reconnectMinMs),
      window: settings.window,
    },
    deps,
    (session, pdu) => {
      const deliver = classifyDeliver(pdu, deps.clock.now());
      const held = { session, pdu };
      switch (deliver.kind) {
        case 'receipt':
          return store(() => events.receipt(deliver.receipt), [held]);
        case 'inbound':
          return inbound(deliver.message, [held]);
        case 'part':
          return assembler.add(deliver.part, deliver.message, held);
        default: {
          const unhandled: never = deliver;
          throw new Error(`unhandled deliver_sm kind ${String(unhandled)}`);
        }
      }
    },
  );

  return {
    async send(message) {
      if (message.technology !== 'sms') return { kind: 'permanent', reason: `smpp cannot send ${message.technology} messages` };
      const built = submitOptions(message, settings);
      if ('refused' in built) return built.refused;
      const result = await withDeadline(settings.timeoutMs, (signal) => link.submit(built.options, signal, String(message.id)));
      if (result.kind === 'response') return submitOutcome(result.pdu);
      return { kind: 'retryable', reason: `smpp: ${result.reason}` };
    },
    async close() {
      assembler.clear();
      await link.close();
    },
  };
}

export const smppProvider = defineProvider({
  name: 'smpp',
  technologies: ['sms'],
  settings: SmppSettings,
  create: createSmppProvider,
});
