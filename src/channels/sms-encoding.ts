/**
 * How SMS text goes on the wire: GSM 03.38 (7-bit default alphabet, one septet per octet as
 * SMPP carries it unpacked) when every character has a GSM code, UCS-2 otherwise. One SMS
 * holds 160 septets or 70 UCS-2 units; an extension character (€, [, {, …) takes two septets.
 */

// Index = GSM code. ESC (0x1B) is left out: it only introduces an extension character.
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u0000ÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENSION: Readonly<Record<string, number>> = { '\f': 0x0a, '^': 0x14, '{': 0x28, '}': 0x29, '\\': 0x2f, '[': 0x3c, '~': 0x3d, ']': 0x3e, '|': 0x40, '€': 0x65 };
const ESC = 0x1b;

const basicCodes = new Map<string, number>([...BASIC].map((char, code) => [char, code] as const).filter(([, code]) => code !== ESC));

export const GSM_SINGLE_SEPTETS = 160;
export const UCS2_SINGLE_UNITS = 70;

/** SMPP data_coding: 0 = the SMSC's default alphabet (GSM 03.38), 8 = UCS-2. */
export type DataCoding = 0 | 8;

export interface EncodedSms {
  readonly dataCoding: DataCoding;
  readonly bytes: Buffer;
  /** Septets (GSM) or UTF-16 units (UCS-2): what the single-part limits count. */
  readonly units: number;
  /** Fits one SMS: 160 GSM septets or 70 UCS-2 units. */
  readonly singlePart: boolean;
}

/** The GSM codes of `text`, or undefined when some character has none. */
function gsmCodes(text: string): number[] | undefined {
  const codes: number[] = [];
  for (const char of text) {
    const basic = basicCodes.get(char);
    if (basic !== undefined) {
      codes.push(basic);
      continue;
    }
    const extension = EXTENSION[char];
    if (extension === undefined) return undefined;
    codes.push(ESC, extension);
  }
  return codes;
}

export function encodeSms(text: string): EncodedSms {
  const gsm = gsmCodes(text);
  if (gsm) return { dataCoding: 0, bytes: Buffer.from(gsm), units: gsm.length, singlePart: gsm.length <= GSM_SINGLE_SEPTETS };
  // UTF-16 big-endian: characters beyond the BMP (emoji) travel as surrogate pairs, which phones read.
  const bytes = Buffer.from(text, 'utf16le').swap16();
  const units = bytes.length / 2;
  return { dataCoding: 8, bytes, units, singlePart: units <= UCS2_SINGLE_UNITS };
}
