/**
 * Encryption to age v1 (spec: "Encrypted file format"): a fresh 16-byte file key wrapped once per
 * recipient, the header with its MAC, a fresh 16-byte nonce, then the STREAM payload.
 */
import { randomBytes } from 'node:crypto';
import { armorEncode } from './armor.js';
import { badInput } from './errors.js';
import { encodeBase64 } from './base64.js';
import { encodeHeaderWithoutMac, MAX_STANZAS, type Stanza } from './header.js';
import { FILE_KEY_SIZE, headerMac } from './primitives.js';
import { ByteReader, type ByteSource } from './reader.js';
import { checkScryptRecipient, DEFAULT_WORK_FACTOR, wrapScrypt } from './scrypt.js';
import { encryptPayload, NONCE_SIZE, payloadKey } from './stream.js';
import { parseX25519Recipient, wrapX25519 } from './x25519.js';

/** An `age1…` X25519 recipient, or a passphrase (scrypt; work factor as log2 N, default 18). */
export type Recipient = string | { passphrase: string; workFactor?: number };

export interface EncryptOptions {
  /** Wrap the output in the ASCII armor (PEM). Default: binary. */
  armor?: boolean;
}

type Wrapper = (fileKey: Buffer) => Stanza | Promise<Stanza>;

/** Checks every recipient before any output, so a bad argument never yields a partial file. */
function wrappers(recipients: readonly Recipient[]): Wrapper[] {
  if (recipients.length === 0) throw badInput('age_recipient', '至少需要一个收件人。', 'no recipients');
  if (recipients.length > MAX_STANZAS) throw badInput('age_recipient', `收件人不能超过 ${MAX_STANZAS} 个。`, 'too many recipients');
  const hasPassphrase = recipients.some((r) => typeof r !== 'string');
  // Spec: an scrypt stanza MUST be the only stanza (a passphrase file is implicitly authenticated).
  if (hasPassphrase && recipients.length > 1) {
    throw badInput('age_recipient', '口令加密只能单独使用，不能与其他收件人或口令同时使用。', 'scrypt recipient mixed with others');
  }
  return recipients.map((r): Wrapper => {
    if (typeof r === 'string') {
      const point = parseX25519Recipient(r);
      return (fileKey) => wrapX25519(fileKey, point);
    }
    const logN = r.workFactor ?? DEFAULT_WORK_FACTOR;
    checkScryptRecipient(r.passphrase, logN);
    return (fileKey) => wrapScrypt(fileKey, r.passphrase, logN);
  });
}

/**
 * Encrypts `source` (any iterable of byte pieces, e.g. a Node Readable) to `recipients`, as an
 * async iterable of the age file's bytes; memory stays at about one 64 KiB chunk. Recipients
 * are checked now (a 'VALIDATION' DomainError is thrown synchronously); the source is read only
 * while the result is consumed. Use with `stream.pipeline(source, (s) => encrypt(s, r), sink)` or
 * `Readable.from(encrypt(...))`.
 */
export function encrypt(source: ByteSource, recipients: readonly Recipient[], options: EncryptOptions = {}): AsyncGenerator<Uint8Array> {
  const wrap = wrappers(recipients);
  const binary = encryptBinary(source, wrap);
  return options.armor ? armorEncode(binary) : binary;
}

async function* encryptBinary(source: ByteSource, wrap: readonly Wrapper[]): AsyncGenerator<Uint8Array> {
  const reader = new ByteReader(source);
  try {
    const fileKey = randomBytes(FILE_KEY_SIZE);
    const stanzas = await Promise.all(wrap.map((w) => w(fileKey)));
    const withoutMac = encodeHeaderWithoutMac(stanzas);
    const nonce = randomBytes(NONCE_SIZE);
    const macLine = Buffer.from(` ${encodeBase64(headerMac(fileKey, withoutMac))}\n`, 'latin1');
    yield Buffer.concat([withoutMac, macLine, nonce]);
    yield* encryptPayload(payloadKey(fileKey, nonce), reader);
  } finally {
    await reader.close();
  }
}
