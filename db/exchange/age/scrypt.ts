/**
 * The scrypt (passphrase) recipient type (spec: "The scrypt recipient type"):
 *
 *   wrap key = scrypt(N = 2^logN, r = 8, p = 1, dkLen = 32,
 *                     S = "age-encryption.org/v1/scrypt" || 16-byte salt, P = passphrase)
 *   body     = ChaCha20-Poly1305(wrap key, zero nonce, file key)
 *
 * Stanza: `-> scrypt <base64 salt> <logN>`, logN in decimal without leading zeros.
 *
 * scrypt needs 128·r·N bytes: 256 MiB at our default logN 18 (age's own default), 1 GiB at 20,
 * 4 GiB at age's decryption limit of 22. A received file chooses N, so the work factor we accept
 * is capped (DEFAULT_MAX_WORK_FACTOR, configurable per identity); a desktop app that allocates
 * 4 GiB because a file asked it to is a denial of service.
 */
import { randomBytes, scrypt } from 'node:crypto';
import { decodeBase64, encodeBase64 } from './base64.js';
import { badInput, corrupt } from './errors.js';
import type { Stanza } from './header.js';
import { openFileKey, sealFileKey, WRAPPED_KEY_SIZE } from './primitives.js';

const LABEL = 'age-encryption.org/v1/scrypt';
const SALT_SIZE = 16;
const R = 8;
const DIGITS = /^[1-9][0-9]*$/;

export const DEFAULT_WORK_FACTOR = 18;
export const DEFAULT_MAX_WORK_FACTOR = 20;
/** Bounds for caller-chosen work factors (encrypting or capping). */
const MIN_LOG_N = 1;
const MAX_LOG_N = 30;

export interface ScryptIdentity {
  passphrase: string;
  maxWorkFactor: number;
}

function checkPassphrase(passphrase: string, reason: 'age_recipient' | 'age_identity'): void {
  if (typeof passphrase !== 'string' || passphrase.length === 0) throw badInput(reason, '口令不能为空。', 'empty passphrase');
}

function checkLogN(logN: number, reason: 'age_recipient' | 'age_identity'): void {
  if (!Number.isInteger(logN) || logN < MIN_LOG_N || logN > MAX_LOG_N) {
    throw badInput(reason, `口令加密强度参数应为 ${MIN_LOG_N}–${MAX_LOG_N} 之间的整数。`, `work factor ${logN} out of range`);
  }
}

function deriveKey(passphrase: string, salt: Uint8Array, logN: number): Promise<Buffer> {
  const N = 2 ** logN;
  // Node refuses scrypt above `maxmem` (32 MiB by default); allow exactly what this N needs.
  const maxmem = 128 * R * N + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(passphrase, Buffer.concat([Buffer.from(LABEL, 'latin1'), salt]), 32, { N, r: R, p: 1, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export function scryptIdentity(passphrase: string, maxWorkFactor = DEFAULT_MAX_WORK_FACTOR): ScryptIdentity {
  checkPassphrase(passphrase, 'age_identity');
  checkLogN(maxWorkFactor, 'age_identity');
  return { passphrase, maxWorkFactor };
}

/** Checks a passphrase recipient up front, so a bad one fails before any output. */
export function checkScryptRecipient(passphrase: string, logN: number): void {
  checkPassphrase(passphrase, 'age_recipient');
  checkLogN(logN, 'age_recipient');
}

export async function wrapScrypt(fileKey: Uint8Array, passphrase: string, logN = DEFAULT_WORK_FACTOR): Promise<Stanza> {
  checkScryptRecipient(passphrase, logN);
  const salt = randomBytes(SALT_SIZE);
  const key = await deriveKey(passphrase, salt, logN);
  return { type: 'scrypt', args: [encodeBase64(salt), String(logN)], body: sealFileKey(key, fileKey) };
}

/**
 * The file key if `stanza` is a scrypt stanza that `identity`'s passphrase opens; null if it is
 * another type or the passphrase is wrong. Malformed scrypt stanzas and work factors above the
 * identity's cap are refused. (That an scrypt stanza is alone is checked on the whole header.)
 */
export async function unwrapScrypt(stanza: Stanza, identity: ScryptIdentity): Promise<Buffer | null> {
  if (stanza.type !== 'scrypt') return null;
  const [saltText, logNText] = stanza.args;
  const salt = stanza.args.length === 2 ? decodeBase64(saltText!) : null;
  if (salt === null || salt.length !== SALT_SIZE) throw corrupt('age_header', 'malformed scrypt salt');
  if (!DIGITS.test(logNText!)) throw corrupt('age_header', 'malformed scrypt work factor');
  const logN = Number(logNText);
  if (logN > identity.maxWorkFactor) throw corrupt('age_scrypt_work_factor', `scrypt work factor ${logNText} above ${identity.maxWorkFactor}`);
  // Checked before the (expensive) derivation and decryption, against partitioning oracles (spec).
  if (stanza.body.length !== WRAPPED_KEY_SIZE) throw corrupt('age_header', 'scrypt stanza body is not 32 bytes');
  const key = await deriveKey(identity.passphrase, salt, logN);
  return openFileKey(key, stanza.body);
}
