/**
 * The age v1 header (spec: "Header", and its ABNF "ABNF definition of file header"):
 *
 *   header     = v1-line 1*stanza end
 *   v1-line    = "age-encryption.org/v1" LF
 *   stanza     = arg-line *full-line final-line
 *   arg-line   = "-> " argument *(SP argument) LF        argument = 1*VCHAR
 *   full-line  = 64base64char LF
 *   final-line = *63base64char LF
 *   end        = "--- " 43base64char LF
 *
 * Parsing is strict on purpose: the header MAC is computed over the raw header bytes, so any
 * leniency (CRLF, spaces, padding, non-canonical base64) would make files malleable. A hostile
 * file cannot make us buffer much: a header is refused past MAX_HEADER_BYTES or MAX_STANZAS.
 */
import { decodeBase64, encodeBase64 } from './base64.js';
import { corrupt } from './errors.js';

export interface Stanza {
  /** The first argument (e.g. 'X25519', 'scrypt'). */
  type: string;
  /** The arguments after the type. */
  args: string[];
  body: Uint8Array;
}

export interface Header {
  stanzas: Stanza[];
  /** The 32-byte HMAC-SHA-256 from the `---` line. */
  mac: Uint8Array;
  /** The bytes the MAC covers: from the start up to and including `---` (spec: "Header MAC"). */
  macInput: Uint8Array;
  /** Length of the header in bytes, through the LF that ends the MAC line; the payload starts here. */
  length: number;
}

/** Far above any real header (one X25519 stanza is ~100 bytes) and small enough to hold in memory. */
export const MAX_HEADER_BYTES = 64 * 1024;
/** A package addressed to every office of a province stays well below this. */
export const MAX_STANZAS = 256;

const VERSION_PREFIX = 'age-encryption.org/';
const V1_LINE = 'age-encryption.org/v1';
const COLUMNS = 64;
const MAC_LINE = /^--- ([A-Za-z0-9+/]{43})$/;
const LF = 0x0a;

function isVchar(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

/**
 * Checks the version line as soon as it can be judged, so that a file of another format or
 * version is refused without reading further. Returns false while more bytes are needed.
 */
export function checkVersionLine(bytes: Uint8Array): boolean {
  const lf = bytes.indexOf(LF);
  const seen = Buffer.from(bytes.buffer, bytes.byteOffset, lf === -1 ? Math.min(bytes.length, 256) : lf).toString('latin1');
  const prefixPart = seen.slice(0, VERSION_PREFIX.length);
  if (!VERSION_PREFIX.startsWith(prefixPart)) throw corrupt('age_header', 'not an age file');
  if (lf === -1) {
    if (seen.length >= 256) throw corrupt('age_header', 'version line too long');
    return false;
  }
  if (seen === V1_LINE) return true;
  const version = seen.slice(VERSION_PREFIX.length);
  if (seen.startsWith(VERSION_PREFIX) && isVchar(version)) throw corrupt('age_version', `unsupported version ${JSON.stringify(version)}`);
  throw corrupt('age_header', 'malformed version line');
}

/**
 * Where the header ends if `bytes` holds all of it: just past the LF of the first line that
 * starts with `---` (no other header line can start so: arg lines start with `->`, body lines
 * are base64). -1 while that line is not complete.
 */
export function findHeaderEnd(bytes: Uint8Array): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const mark = buf.indexOf('\n---', 0, 'latin1');
  const lf = mark === -1 ? -1 : buf.indexOf(LF, mark + 4);
  return lf === -1 ? -1 : lf + 1;
}

/**
 * Parses the header at the start of `bytes` (which may go on with the payload). Throws
 * 'age_header' / 'age_version' DomainErrors for anything the ABNF does not allow.
 */
export function parseHeader(bytes: Uint8Array): Header {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, MAX_HEADER_BYTES));
  let pos = 0;
  const readLine = (): string => {
    const lf = buf.indexOf(LF, pos);
    if (lf === -1) {
      throw corrupt('age_header', bytes.byteLength > MAX_HEADER_BYTES ? 'header too large' : 'header ends without a MAC line');
    }
    const line = buf.toString('latin1', pos, lf);
    pos = lf + 1;
    return line;
  };

  checkVersionLine(buf);
  readLine();
  const stanzas: Stanza[] = [];
  for (;;) {
    const lineStart = pos;
    const line = readLine();
    if (line.startsWith('---')) {
      const m = MAC_LINE.exec(line);
      const mac = m ? decodeBase64(m[1]!) : null;
      if (mac === null) throw corrupt('age_header', 'malformed MAC line');
      if (stanzas.length === 0) throw corrupt('age_header', 'header has no recipient stanza');
      return { stanzas, mac, macInput: bytes.subarray(0, lineStart + 3), length: pos };
    }
    if (!line.startsWith('-> ')) throw corrupt('age_header', 'malformed stanza opening line');
    if (stanzas.length === MAX_STANZAS) throw corrupt('age_header', 'too many stanzas');
    const args = line.slice(3).split(' ');
    if (!args.every(isVchar)) throw corrupt('age_header', 'malformed stanza argument');
    stanzas.push({ type: args[0]!, args: args.slice(1), body: readBody(readLine) });
  }
}

/** A stanza body: full 64-column lines, then one shorter (possibly empty) line. */
function readBody(readLine: () => string): Buffer {
  const parts: Buffer[] = [];
  for (;;) {
    const line = readLine();
    const part = line.length > COLUMNS ? null : decodeBase64(line);
    if (part === null) throw corrupt('age_header', 'malformed stanza body line');
    parts.push(part);
    if (line.length < COLUMNS) return Buffer.concat(parts);
  }
}

function encodeStanza(s: Stanza): string {
  const args = [s.type, ...s.args];
  if (!args.every(isVchar)) throw new Error('age: stanza argument is not 1*VCHAR');
  const b64 = encodeBase64(s.body);
  const lines: string[] = [];
  // Always ends with a line shorter than 64 columns, empty when the body fills whole lines.
  for (let i = 0; i <= b64.length; i += COLUMNS) lines.push(b64.slice(i, i + COLUMNS));
  return `-> ${args.join(' ')}\n${lines.join('\n')}\n`;
}

/** The bytes the header MAC covers: version line, stanzas and the `---` mark. */
export function encodeHeaderWithoutMac(stanzas: readonly Stanza[]): Buffer {
  return Buffer.from(`${V1_LINE}\n${stanzas.map(encodeStanza).join('')}---`, 'latin1');
}

export function encodeHeader(stanzas: readonly Stanza[], mac: Uint8Array): Buffer {
  return Buffer.concat([encodeHeaderWithoutMac(stanzas), Buffer.from(` ${encodeBase64(mac)}\n`, 'latin1')]);
}
