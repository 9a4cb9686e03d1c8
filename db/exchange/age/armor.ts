/**
 * The optional ASCII armor (spec: "ASCII armor"): strict PEM (RFC 7468 §3, Figure 3) with the
 * case-sensitive label "AGE ENCRYPTED FILE", padded base64 in 64-column lines, no PEM headers.
 *
 * Decoding follows the reference reader (age/armor): whitespace is allowed only before and after
 * the block (at most 1 KiB each side), lines may end in LF or CRLF, every line but the last is
 * exactly 64 columns, the last is shorter (or full, then directly followed by the end line), and
 * base64 must be canonical. Anything else fails with 'age_armor': armored files are otherwise
 * malleable (spec).
 */
import { corrupt } from './errors.js';
import type { ByteReader } from './reader.js';

const BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
const END = '-----END AGE ENCRYPTED FILE-----';
const COLUMNS = 64;
const BYTES_PER_LINE = 48;
const MAX_WHITESPACE = 1024;
/** No valid line is longer than a full base64 line; beyond this a "line" is garbage. */
const MAX_LINE = 1200;
const FULL_LINE = /^[A-Za-z0-9+/]{64}$/;
const LAST_LINE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const WHITESPACE = /^[ \t\n\v\f\r]*$/;
const OUT_BATCH = 64 * 1024;

const armorError = (detail: string) => corrupt('age_armor', detail);

/** Lines of the input, without their LF or CRLF. */
class LineReader {
  private pending: Buffer = Buffer.alloc(0);
  private eof = false;

  constructor(private readonly reader: ByteReader) {}

  /** The next line, or null at the end of the input. A last line without LF is still a line. */
  async line(): Promise<string | null> {
    for (;;) {
      const lf = this.pending.indexOf(0x0a);
      if (lf !== -1) return this.take(lf, lf + 1);
      if (this.pending.length > MAX_LINE) throw armorError('line too long');
      if (this.eof) return this.pending.length === 0 ? null : this.take(this.pending.length, this.pending.length);
      const piece = await this.reader.next();
      if (piece === null) this.eof = true;
      else this.pending = Buffer.concat([this.pending, piece]);
    }
  }

  /** Everything after the end line: only whitespace, and not much of it. */
  async trailing(): Promise<void> {
    let seen = this.pending.length;
    if (!WHITESPACE.test(this.pending.toString('latin1'))) throw armorError('data after the end line');
    for (let piece = await this.reader.next(); piece !== null; piece = await this.reader.next()) {
      seen += piece.length;
      if (seen >= MAX_WHITESPACE) throw armorError('too much trailing whitespace');
      if (!WHITESPACE.test(Buffer.from(piece).toString('latin1'))) throw armorError('data after the end line');
    }
  }

  private take(end: number, next: number): string {
    let line = this.pending.toString('latin1', 0, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    this.pending = this.pending.subarray(next);
    return line;
  }
}

function decodeLine(line: string): Buffer {
  if (line.length === 0) throw armorError('empty line');
  if (line.length > COLUMNS) throw armorError('line longer than 64 columns');
  if (line.length === COLUMNS && FULL_LINE.test(line)) return Buffer.from(line, 'base64');
  if (!LAST_LINE.test(line)) throw armorError('invalid base64');
  const bytes = Buffer.from(line, 'base64');
  if (bytes.toString('base64') !== line) throw armorError('non-canonical base64');
  return bytes;
}

/** The bytes inside an armored file. Throws 'age_armor' DomainErrors. */
export async function* armorDecode(reader: ByteReader): AsyncGenerator<Buffer> {
  const lines = new LineReader(reader);
  let whitespace = 0;
  for (;;) {
    const line = await lines.line();
    if (line === null) throw armorError('no armor begin line');
    if (WHITESPACE.test(line)) {
      whitespace += line.length + 1;
      if (whitespace > MAX_WHITESPACE) throw armorError('too much leading whitespace');
      continue;
    }
    if (line !== BEGIN) throw armorError('invalid armor begin line');
    break;
  }
  let out: Buffer[] = [];
  let outLength = 0;
  for (;;) {
    const line = await lines.line();
    if (line === null) throw armorError('no armor end line');
    if (line === END) break;
    const bytes = decodeLine(line);
    out.push(bytes);
    outLength += bytes.length;
    if (bytes.length < BYTES_PER_LINE) {
      // Only the last line is short, and the end line follows it directly.
      if ((await lines.line()) !== END) throw armorError('short line not followed by the end line');
      break;
    }
    if (outLength >= OUT_BATCH) {
      yield Buffer.concat(out, outLength);
      out = [];
      outLength = 0;
    }
  }
  await lines.trailing();
  if (outLength > 0) yield Buffer.concat(out, outLength);
}

/** Wraps an age file's bytes in the armor, as the reference writer does (LF line endings). */
export async function* armorEncode(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  yield Buffer.from(`${BEGIN}\n`, 'latin1');
  let carry: Buffer = Buffer.alloc(0);
  for await (const piece of source) {
    const data = Buffer.concat([carry, piece]);
    const whole = data.length - (data.length % BYTES_PER_LINE);
    if (whole > 0) yield Buffer.from(wrapLines(data.toString('base64', 0, whole)), 'latin1');
    carry = data.subarray(whole);
  }
  if (carry.length > 0) yield Buffer.from(`${carry.toString('base64')}\n`, 'latin1');
  yield Buffer.from(`${END}\n`, 'latin1');
}

function wrapLines(b64: string): string {
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += COLUMNS) lines.push(b64.slice(i, i + COLUMNS));
  return `${lines.join('\n')}\n`;
}
