/**
 * The part of the `smpp` package (0.5, CommonJS, untyped) hellohub uses: client sessions,
 * the server used by tests, PDUs and the command status table. Read from lib/smpp.js,
 * lib/pdu.js and lib/defs.js; nothing here is declared that those files do not do.
 */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer } from 'node:net';

  namespace smpp {
    /**
     * A received short_message or message_payload after the library's decoding: the text
     * decoded by data_coding (a Buffer when the coding has no decoder, e.g. binary), and the
     * information elements of the user data header when esm_class has the UDHI bit, each as
     * `[IEI, length, ...data]`.
     */
    interface DecodedMessage {
      message: string | Buffer;
      udh?: Buffer[];
    }

    /**
     * Values a PDU field takes when building one. A Buffer is sent as is; a string is encoded
     * by data_coding (detected when null); `{ message, udh }` prefixes a whole user data header
     * (length octet included) and sets the UDHI bit of esm_class.
     */
    type PDUValue = string | number | Buffer | null | { readonly message: string | Buffer; readonly udh?: Buffer };
    type PDUOptions = Readonly<Record<string, PDUValue>>;

    /** A PDU as received: header fields always, body fields and TLVs as the command has them. */
    class PDU {
      constructor(command: string, options?: PDUOptions);
      /** Decodes a whole PDU from its bytes, as a session does with what it reads. */
      constructor(bytes: Buffer);
      command: string;
      command_id: number;
      command_status: number;
      sequence_number: number;
      system_id?: string;
      message_id?: string;
      source_addr_ton?: number;
      source_addr_npi?: number;
      source_addr?: string;
      dest_addr_ton?: number;
      dest_addr_npi?: number;
      destination_addr?: string;
      esm_class?: number;
      data_coding?: number | null;
      registered_delivery?: number;
      short_message?: DecodedMessage | Buffer | string;
      message_payload?: DecodedMessage | Buffer | string;
      receipted_message_id?: string;
      message_state?: number;
      sar_msg_ref_num?: number;
      sar_total_segments?: number;
      sar_segment_seqnum?: number;
      isResponse(): boolean;
      /** The PDU's bytes on the wire. */
      toBuffer(): Buffer;
      /** The matching `<command>_resp` (generic_nack for an unknown command), same sequence number. */
      response(options?: PDUOptions): PDU;
    }

    type ResponseCallback = (pdu: PDU) => void;

    class Session extends EventEmitter {
      /** Each command method sends one PDU; false (and no callback ever) when the socket is not writable. */
      bind_transceiver(options: PDUOptions, callback?: ResponseCallback): boolean;
      submit_sm(options: PDUOptions, callback?: ResponseCallback): boolean;
      deliver_sm(options: PDUOptions, callback?: ResponseCallback): boolean;
      enquire_link(callback?: ResponseCallback): boolean;
      unbind(callback?: ResponseCallback): boolean;
      send(pdu: PDU, callback?: ResponseCallback): boolean;
      /** Ends the socket (FIN); `callback` on close. */
      close(callback?: () => void): void;
      destroy(callback?: () => void): void;
      on(event: 'connect' | 'close', listener: () => void): this;
      on(event: 'error', listener: (error: Error) => void): this;
      /** Every received PDU by command name, e.g. 'deliver_sm', 'bind_transceiver', 'enquire_link'. */
      on(event: string, listener: (pdu: PDU) => void): this;
    }

    interface ConnectOptions {
      host: string;
      port: number;
    }

    /** A net.Server whose connections arrive as sessions. */
    interface Server extends NetServer {
      sessions: Session[];
    }

    /** Opens a plain TCP session; 'connect' once the socket is up, nothing is bound yet. */
    function connect(options: ConnectOptions): Session;
    function createServer(listener: (session: Session) => void): Server;

    /** Command status names (ESME_R…) to their codes. */
    const errors: Readonly<Record<string, number>>;
  }

  export = smpp;
}
