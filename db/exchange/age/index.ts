/**
 * age v1 (https://age-encryption.org/v1, C2SP "age") over Node's native crypto: the payload
 * format of the exchange packages between offices.
 *
 * Interoperates with the reference tools (the Go `age` CLI, the `age-encryption` npm package):
 * test/exchange/age-interop.test.ts, and passes the C2SP test kit: test/exchange/age-vectors.test.ts.
 * Supported: X25519 recipients (`age1…` / `AGE-SECRET-KEY-1…`), scrypt passphrases, the ASCII
 * armor. Not supported: the post-quantum hybrid (`age1pq…`, needs ML-KEM, which Node 22 lacks),
 * the tagged hardware-key types, SSH keys and plugins: stanzas of those types are ignored, so
 * such a file decrypts only if it also carries a stanza for one of our identities.
 *
 * Errors: caller mistakes are 'VALIDATION' DomainErrors thrown synchronously by encrypt/decrypt;
 * a damaged or foreign file gives 'CORRUPT' DomainErrors from the iterator. Both carry a
 * `reason` from AGE_ERROR_REASONS.
 */
import type { ByteSource } from './reader.js';
import { decrypt, type DecryptOptions, type Identity } from './decrypt.js';
import { encrypt, type EncryptOptions, type Recipient } from './encrypt.js';
import { generateX25519Identity, x25519RecipientOf } from './x25519.js';

export { AGE_ERROR_REASONS, AgeError, type AgeErrorReason } from './errors.js';
export { encodeHeader, MAX_HEADER_BYTES, MAX_STANZAS, parseHeader, type Header, type Stanza } from './header.js';
export { DEFAULT_MAX_WORK_FACTOR, DEFAULT_WORK_FACTOR } from './scrypt.js';
export { CHUNK_SIZE } from './stream.js';
export { decrypt, encrypt };
export type { ByteSource, DecryptOptions, EncryptOptions, Identity, Recipient };

/** A new X25519 identity: `AGE-SECRET-KEY-1…` (keep it secret; give out its recipient). */
export function generateIdentity(): string {
  return generateX25519Identity();
}

/** The `age1…` recipient (public key) of an `AGE-SECRET-KEY-1…` identity. */
export function identityToRecipient(identity: string): string {
  return x25519RecipientOf(identity);
}

async function collect(pieces: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const p of pieces) parts.push(p);
  return Buffer.concat(parts);
}

/** encrypt() for data that fits in memory. */
export function encryptBuffer(plaintext: Uint8Array, recipients: readonly Recipient[], options?: EncryptOptions): Promise<Buffer> {
  return collect(encrypt([plaintext], recipients, options));
}

/** decrypt() for data that fits in memory: resolves only if the whole file authenticated. */
export function decryptBuffer(file: Uint8Array, identities: readonly Identity[], options?: DecryptOptions): Promise<Buffer> {
  return collect(decrypt([file], identities, options));
}
