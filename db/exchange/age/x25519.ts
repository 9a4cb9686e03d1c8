/**
 * The X25519 recipient type (spec: "The X25519 recipient type").
 *
 * Keys travel as Bech32: identities `AGE-SECRET-KEY-1…` (uppercase), recipients `age1…`. The
 * Diffie-Hellman runs in OpenSSL through Node's KeyObjects, built from the raw 32-byte values
 * with the fixed DER prefixes of RFC 8410 (PKCS#8 private key, SubjectPublicKeyInfo public key).
 */
import { createPrivateKey, createPublicKey, diffieHellman, randomBytes, type KeyObject } from 'node:crypto';
import { decodeBase64, encodeBase64 } from './base64.js';
import { bech32Decode, bech32Encode } from './bech32.js';
import { badInput, corrupt } from './errors.js';
import type { Stanza } from './header.js';
import { hkdf32, openFileKey, sealFileKey, WRAPPED_KEY_SIZE } from './primitives.js';

const IDENTITY_HRP = 'AGE-SECRET-KEY-';
const RECIPIENT_HRP = 'age';
const LABEL = 'age-encryption.org/v1/X25519';
const KEY_SIZE = 32;
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

export interface X25519Identity {
  privateKey: KeyObject;
  /** Our public key (the recipient), part of the HKDF salt. */
  publicKey: Buffer;
}

function privateKeyObject(scalar: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, scalar]), format: 'der', type: 'pkcs8' });
}

function publicKeyObject(point: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, point]), format: 'der', type: 'spki' });
}

function rawPublicKey(privateKey: KeyObject): Buffer {
  return createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
}

/** X25519(scalar, point), or null when the result is all zeros (OpenSSL refuses to derive it). */
function x25519(privateKey: KeyObject, point: Uint8Array): Buffer | null {
  let shared: Buffer;
  try {
    shared = diffieHellman({ privateKey, publicKey: publicKeyObject(point) });
  } catch {
    return null;
  }
  return shared.every((b) => b === 0) ? null : shared;
}

export function parseX25519Identity(text: string): X25519Identity {
  const d = bech32Decode(text.trim());
  if (d === null || d.hrp !== IDENTITY_HRP || d.data.length !== KEY_SIZE) {
    throw badInput('age_identity', '私钥格式不正确：应为 AGE-SECRET-KEY-1 开头的完整私钥。', 'malformed X25519 identity');
  }
  const privateKey = privateKeyObject(d.data);
  return { privateKey, publicKey: rawPublicKey(privateKey) };
}

export function parseX25519Recipient(text: string): Buffer {
  const d = bech32Decode(text.trim());
  if (d === null || d.hrp !== RECIPIENT_HRP || d.data.length !== KEY_SIZE) {
    throw badInput('age_recipient', `收件人公钥格式不正确：${text.slice(0, 80)}`, 'malformed X25519 recipient');
  }
  return Buffer.from(d.data);
}

/** A new identity, as the `AGE-SECRET-KEY-1…` string (the secret is 32 bytes from the CSPRNG). */
export function generateX25519Identity(): string {
  return bech32Encode(IDENTITY_HRP, randomBytes(KEY_SIZE));
}

/** The `age1…` recipient of an identity string. */
export function x25519RecipientOf(identity: string): string {
  return bech32Encode(RECIPIENT_HRP, parseX25519Identity(identity).publicKey);
}

/** One stanza wrapping `fileKey` for `recipient`, with a fresh ephemeral key. */
export function wrapX25519(fileKey: Uint8Array, recipient: Uint8Array): Stanza {
  const ephemeral = privateKeyObject(randomBytes(KEY_SIZE));
  const share = rawPublicKey(ephemeral);
  const shared = x25519(ephemeral, recipient);
  // Only a low-order recipient point gives zero; refuse rather than wrap under a known key.
  if (shared === null) throw badInput('age_recipient', '收件人公钥无效（低阶点）。', 'low-order X25519 recipient');
  const wrapKey = hkdf32(shared, Buffer.concat([share, recipient]), LABEL);
  return { type: 'X25519', args: [encodeBase64(share)], body: sealFileKey(wrapKey, fileKey) };
}

/**
 * The file key if this stanza is addressed to `identity`; null if it is not (other type, or the
 * tag does not verify). A malformed X25519 stanza is refused outright, as the spec requires.
 */
export function unwrapX25519(stanza: Stanza, identity: X25519Identity): Buffer | null {
  if (stanza.type !== 'X25519') return null;
  const share = stanza.args.length === 1 ? decodeBase64(stanza.args[0]!) : null;
  if (share === null || share.length !== KEY_SIZE) throw corrupt('age_header', 'malformed X25519 stanza arguments');
  // Checked before decrypting, against partitioning-oracle attacks (spec).
  if (stanza.body.length !== WRAPPED_KEY_SIZE) throw corrupt('age_header', 'X25519 stanza body is not 32 bytes');
  const shared = x25519(identity.privateKey, share);
  if (shared === null) throw corrupt('age_header', 'X25519 shared secret is all zeros');
  const wrapKey = hkdf32(shared, Buffer.concat([share, identity.publicKey]), LABEL);
  return openFileKey(wrapKey, stanza.body);
}
