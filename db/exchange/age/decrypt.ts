/**
 * Decryption of age v1 files (binary or armored), streaming.
 *
 * Order of checks, as in the reference implementation: the whole header parses (strictly,
 * bounded in size) → some identity unwraps the file key → the header MAC matches → the 16-byte
 * nonce is present → the STREAM chunks decrypt one by one.
 *
 * IMPORTANT for callers: a chunk's plaintext is released only after its own tag verified, but a
 * streaming decryption has released earlier chunks by the time a later chunk (or the end of the
 * file) fails. The failure is thrown from the iterator, after the last good chunk. Treat the
 * output as valid only if the iteration finished without throwing: write it to a temporary file
 * and move it into place afterwards, or use decryptBuffer for small payloads.
 */
import { armorDecode } from './armor.js';
import { badInput, corrupt } from './errors.js';
import { checkVersionLine, findHeaderEnd, MAX_HEADER_BYTES, parseHeader, type Header } from './header.js';
import { headerMacMatches } from './primitives.js';
import { ByteReader, type ByteSource } from './reader.js';
import { scryptIdentity, unwrapScrypt, type ScryptIdentity } from './scrypt.js';
import { decryptPayload, NONCE_SIZE, payloadKey } from './stream.js';
import { parseX25519Identity, unwrapX25519, type X25519Identity } from './x25519.js';

/** An `AGE-SECRET-KEY-1…` identity, or a passphrase (scrypt) with an optional work-factor cap. */
export type Identity = string | { passphrase: string; maxWorkFactor?: number };

export interface DecryptOptions {
  /** true: the input must be armored; false: binary; default: armored iff it starts with '-'
   *  after optional whitespace (a binary age file starts with 'age-encryption.org/'). */
  armor?: boolean;
}

type ParsedIdentity = { kind: 'x25519'; id: X25519Identity } | { kind: 'scrypt'; id: ScryptIdentity };

function parseIdentities(identities: readonly Identity[]): ParsedIdentity[] {
  if (identities.length === 0) throw badInput('age_identity', '至少需要一个解密用的私钥或口令。', 'no identities');
  return identities.map((i) =>
    typeof i === 'string'
      ? { kind: 'x25519', id: parseX25519Identity(i) }
      : { kind: 'scrypt', id: scryptIdentity(i.passphrase, i.maxWorkFactor) },
  );
}

/**
 * Decrypts an age file from `source` with the first identity that opens it, as an async iterable
 * of plaintext pieces (about one 64 KiB chunk in memory). Identities are checked now (a
 * 'VALIDATION' DomainError is thrown synchronously); the file's own failures are 'CORRUPT'
 * DomainErrors thrown by the iterator, with a reason from AGE_ERROR_REASONS.
 */
export function decrypt(source: ByteSource, identities: readonly Identity[], options: DecryptOptions = {}): AsyncGenerator<Uint8Array> {
  return decryptGenerator(source, parseIdentities(identities), options.armor);
}

async function* decryptGenerator(source: ByteSource, ids: readonly ParsedIdentity[], armor: boolean | undefined): AsyncGenerator<Uint8Array> {
  const file = new ByteReader(source);
  let reader = file;
  try {
    if (armor ?? (await startsWithDash(file))) reader = new ByteReader(armorDecode(file));
    const header = await readHeader(reader);
    const fileKey = await unwrapFileKey(header, ids);
    if (!headerMacMatches(fileKey, header.macInput, header.mac)) throw corrupt('age_header_mac', 'header MAC does not match');
    const nonce = await readExactly(reader, NONCE_SIZE);
    if (nonce === null) throw corrupt('age_header', 'file ends before the payload nonce');
    yield* decryptPayload(payloadKey(fileKey, nonce), reader);
  } finally {
    await reader.close();
    await file.close();
  }
}

/** Peeks past leading whitespace (at most 1 KiB, as the armor allows) for a '-'. */
async function startsWithDash(reader: ByteReader): Promise<boolean> {
  const seen: Uint8Array[] = [];
  let found = false;
  while (seen.reduce((n, p) => n + p.length, 0) <= 1024) {
    const piece = await reader.next();
    if (piece === null) break;
    seen.push(piece);
    const i = piece.findIndex((b) => b !== 0x20 && (b < 0x09 || b > 0x0d));
    if (i !== -1) {
      found = piece[i] === 0x2d;
      break;
    }
  }
  for (let i = seen.length - 1; i >= 0; i--) reader.unread(seen[i]!);
  return found;
}

/** Reads the header: checks the version line first, then buffers up to the MAC line only. */
async function readHeader(reader: ByteReader): Promise<Header> {
  let buf = Buffer.alloc(0);
  let length = 0;
  let versionChecked = false;
  for (;;) {
    const acc = buf.subarray(0, length);
    versionChecked ||= checkVersionLine(acc);
    const end = versionChecked ? findHeaderEnd(acc) : -1;
    if (end !== -1) {
      reader.unread(acc.subarray(end));
      return parseHeader(acc.subarray(0, end));
    }
    if (length > MAX_HEADER_BYTES) throw corrupt('age_header', 'header too large');
    const piece = await reader.next();
    if (piece === null) throw corrupt('age_header', length === 0 ? 'empty file' : 'file ends inside the header');
    // Grow by doubling: a source of tiny pieces must not make this quadratic.
    if (length + piece.length > buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(2 * buf.length, length + piece.length, 4096));
      buf.copy(grown, 0, 0, length);
      buf = grown;
    }
    buf.set(piece, length);
    length += piece.length;
  }
}

async function unwrapFileKey(header: Header, ids: readonly ParsedIdentity[]): Promise<Buffer> {
  // Spec (scrypt recipient type): "The identity implementation MUST reject headers where an
  // scrypt stanza is present alongside any other stanza." Checked for every file, whatever
  // identities we hold: no conforming encoder writes such a header.
  if (header.stanzas.length > 1 && header.stanzas.some((s) => s.type === 'scrypt')) {
    throw corrupt('age_header', 'scrypt stanza not alone in the header');
  }
  // Identities in the caller's order, each against every stanza (as the reference does).
  for (const i of ids) {
    for (const stanza of header.stanzas) {
      const fileKey = i.kind === 'x25519' ? unwrapX25519(stanza, i.id) : await unwrapScrypt(stanza, i.id);
      if (fileKey !== null) return fileKey;
    }
  }
  throw corrupt('age_no_identity', 'no identity matched any stanza');
}

async function readExactly(reader: ByteReader, n: number): Promise<Buffer | null> {
  const parts: Uint8Array[] = [];
  let have = 0;
  while (have < n) {
    const piece = await reader.next();
    if (piece === null) return null;
    const take = Math.min(n - have, piece.length);
    parts.push(piece.subarray(0, take));
    if (take < piece.length) reader.unread(piece.subarray(take));
    have += take;
  }
  return Buffer.concat(parts, n);
}
