/**
 * The primitives the age spec names, each a thin call into Node's native crypto (OpenSSL):
 * HKDF-SHA-256 with 32-byte output ("Conventions"), and ChaCha20-Poly1305 (RFC 7539) with the
 * fixed all-zero nonce that the X25519 and scrypt stanzas use to wrap the 16-byte file key (safe
 * there because each wrap key is derived from fresh randomness and used once), and the header MAC.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

export const FILE_KEY_SIZE = 16;
export const TAG_SIZE = 16;
/** A wrapped file key: 16 bytes of ciphertext and a 16-byte tag. */
export const WRAPPED_KEY_SIZE = FILE_KEY_SIZE + TAG_SIZE;

const ZERO_NONCE = Buffer.alloc(12);

/** HKDF-SHA-256(ikm, salt, info) → 32 bytes (RFC 5869 Extract then Expand). */
export function hkdf32(ikm: Uint8Array, salt: Uint8Array, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, 32));
}

/** ChaCha20-Poly1305 with the zero nonce: ciphertext || tag. */
export function sealFileKey(key: Uint8Array, fileKey: Uint8Array): Buffer {
  const c = createCipheriv('chacha20-poly1305', key, ZERO_NONCE, { authTagLength: TAG_SIZE });
  return Buffer.concat([c.update(fileKey), c.final(), c.getAuthTag()]);
}

/** Opens a wrapped file key; null if the tag does not verify. The caller checks the length first. */
export function openFileKey(key: Uint8Array, body: Uint8Array): Buffer | null {
  const d = createDecipheriv('chacha20-poly1305', key, ZERO_NONCE, { authTagLength: TAG_SIZE });
  d.setAuthTag(body.subarray(FILE_KEY_SIZE));
  const fileKey = d.update(body.subarray(0, FILE_KEY_SIZE));
  try {
    d.final();
  } catch {
    return null;
  }
  return fileKey;
}

/**
 * Spec "Header MAC": HMAC-SHA-256 under HKDF(ikm = file key, salt = empty, info = "header"), over
 * the header up to and including `---`. Compared in constant time.
 */
export function headerMacMatches(fileKey: Uint8Array, macInput: Uint8Array, mac: Uint8Array): boolean {
  const expected = headerMac(fileKey, macInput);
  return mac.length === expected.length && timingSafeEqual(expected, mac);
}

export function headerMac(fileKey: Uint8Array, macInput: Uint8Array): Buffer {
  return createHmac('sha256', hkdf32(fileKey, Buffer.alloc(0), 'header')).update(macInput).digest();
}
