/**
 * The key file (钥匙文件) beside each encrypted ledger: `<ledger file>.keys`, a small JSON file.
 *
 * Why a separate file: SQLCipher encrypts every page of the ledger, header included, so nothing
 * inside it can be read before the data key is known — and the data key is what the password has
 * to produce. The wrapped keys therefore live outside the database, next to it, and every backup
 * and archive carries a copy of the key file as it was at that moment.
 *
 * What it holds (nothing in it opens the ledger without a password or the recovery key):
 * - `ledgerId`: the random id of the ledger this file belongs to (also stored inside the ledger,
 *   so a key file next to another ledger is recognised);
 * - `wraps`: the 256-bit data key, wrapped once per user (key derived from the user's password)
 *   and once by the recovery key. Each wrap stores its own KDF parameters (scrypt N, r, p, salt),
 *   so the cost can be raised later wrap by wrap (at the next password change) without touching
 *   the others. Wrapping: AES-256-GCM (Node's crypto) with the ledger id, wrap id, kind and user
 *   id as additional authenticated data, so a wrap cannot be moved to another user or ledger;
 * - `anchor`: the audit chain's head (sequence number and hash) with an HMAC under a key derived
 *   from the data key: someone holding the ledger file cannot shorten the audit trail, or put an
 *   older copy of the ledger in place, without the next start-up noticing (db/core/anchor.ts);
 * - `throttle` and `pending`: failed log-ins counted per user name (lock-out with growing delay)
 *   and the log-in events that happened while the ledger was closed (they are written to the
 *   audit trail when it next opens). User names are stored as keyed digests only where a wrong
 *   name could otherwise be recorded in the clear.
 *
 * Writes are atomic: a temporary file in the same folder, fsync, rename, fsync of the folder.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, randomUUID, scryptSync } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { DomainError } from '../domain/errors.js';
import { KEY_BYTES } from './cipher.js';

export const KEYSTORE_FORMAT = 'xz-ledger-keys';
export const KEYSTORE_VERSION = 1;

/** scrypt parameters, stored with each wrap. */
export interface KdfParams {
  name: 'scrypt';
  /** CPU/memory cost (a power of two). */
  N: number;
  r: number;
  p: number;
  /** base64, 16 bytes. */
  salt: string;
}

/**
 * OWASP's password-storage guidance (2025): scrypt N=2^17, r=8, p=1 (128 MiB, about 0.3 s here).
 * Tests pass cheaper parameters explicitly (KeyOptions.kdf); the ledgers the app writes use these.
 */
export const DEFAULT_KDF: Omit<KdfParams, 'salt'> = { name: 'scrypt', N: 1 << 17, r: 8, p: 1 };
/** Cheap parameters for tests only (the parameters are stored per wrap, so both open the same way). */
export const TEST_KDF: Omit<KdfParams, 'salt'> = { name: 'scrypt', N: 1 << 10, r: 8, p: 1 };

export interface Wrap {
  id: string;
  kind: 'user' | 'recovery';
  /** The user's id and log-in name (user wraps only). */
  userId?: string;
  username?: string;
  kdf: KdfParams;
  /** AES-256-GCM: base64 iv (12 bytes), ciphertext (32 bytes), tag (16 bytes). */
  iv: string;
  ct: string;
  tag: string;
  createdAt: string;
}

export interface Anchor {
  seq: number;
  hash: string;
  at: string;
  /** hex HMAC-SHA-256 over ledger id, seq and hash, under the anchor key. */
  mac: string;
}

export interface ThrottleEntry {
  failures: number;
  lastFailureAt: string;
}

export interface PendingEvent {
  at: string;
  action: 'login_failed' | 'login_refused_locked_out';
  /** The name typed (a known user's name, or a keyed digest of an unknown one). */
  username: string;
  userId: string | null;
}

export interface Keystore {
  format: typeof KEYSTORE_FORMAT;
  version: number;
  ledgerId: string;
  createdAt: string;
  wraps: Wrap[];
  anchor: Anchor | null;
  throttle: Record<string, ThrottleEntry>;
  pending: PendingEvent[];
}

export function keystorePath(ledgerPath: string): string {
  return `${ledgerPath}.keys`;
}

// ---------------------------------------------------------------------------------------------
// Reading and writing the file

export function readKeystore(path: string): Keystore | null {
  if (!existsSync(path)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new DomainError('CORRUPT', '钥匙文件已损坏，无法读取。请从备份恢复钥匙文件，或使用恢复密钥。', { reason: 'keystore_damaged' });
  }
  const k = parsed as Partial<Keystore>;
  if (!k || k.format !== KEYSTORE_FORMAT || typeof k.ledgerId !== 'string' || !Array.isArray(k.wraps)) {
    throw new DomainError('CORRUPT', '钥匙文件格式不正确，无法读取。', { reason: 'keystore_damaged' });
  }
  if ((k.version ?? 0) > KEYSTORE_VERSION) {
    throw new DomainError('UNAVAILABLE', '钥匙文件由更新版本的程序写入，请升级本程序后再打开。', { reason: 'keystore_newer' });
  }
  return { anchor: null, throttle: {}, pending: [], ...k } as Keystore;
}

/** Write atomically: never a half-written key file, even on power loss. */
export function writeKeystore(path: string, k: Keystore): void {
  writeFileAtomic(path, JSON.stringify(k, null, 1));
}

export function writeFileAtomic(path: string, text: string | Buffer): void {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  syncDir(dirname(path));
}

function syncDir(dir: string): void {
  // Folders cannot be opened for fsync on Windows; the rename is still atomic there.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function newKeystore(): Keystore {
  return {
    format: KEYSTORE_FORMAT, version: KEYSTORE_VERSION, ledgerId: randomUUID(), createdAt: new Date().toISOString(),
    wraps: [], anchor: null, throttle: {}, pending: [],
  };
}

export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

// ---------------------------------------------------------------------------------------------
// Wrapping

function deriveKek(secret: string, kdf: KdfParams): Buffer {
  // maxmem must exceed 128·N·r bytes; leave room for the parameters to be raised later.
  return scryptSync(secret.normalize('NFC'), Buffer.from(kdf.salt, 'base64'), 32, {
    N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 1024 * 1024,
  });
}

function aad(ledgerId: string, w: Pick<Wrap, 'id' | 'kind' | 'userId'>): Buffer {
  return Buffer.from(`xz-wrap-v1|${ledgerId}|${w.id}|${w.kind}|${w.userId ?? ''}`, 'utf8');
}

export function makeWrap(
  ledgerId: string,
  dataKey: Buffer,
  secret: string,
  who: { kind: 'user'; userId: string; username: string } | { kind: 'recovery' },
  kdfBase: Omit<KdfParams, 'salt'> = DEFAULT_KDF,
): Wrap {
  const kdf: KdfParams = { ...kdfBase, salt: randomBytes(16).toString('base64') };
  const head = { id: randomUUID(), kind: who.kind, ...(who.kind === 'user' ? { userId: who.userId, username: who.username } : {}) };
  const kek = deriveKek(secret, kdf);
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', kek, iv);
  c.setAAD(aad(ledgerId, head));
  const ct = Buffer.concat([c.update(dataKey), c.final()]);
  return { ...head, kdf, iv: iv.toString('base64'), ct: ct.toString('base64'), tag: c.getAuthTag().toString('base64'), createdAt: new Date().toISOString() };
}

/** The data key, or null when the secret is wrong (the GCM tag does not verify). */
export function unwrap(ledgerId: string, w: Wrap, secret: string): Buffer | null {
  const kek = deriveKek(secret, w.kdf);
  try {
    const d = createDecipheriv('aes-256-gcm', kek, Buffer.from(w.iv, 'base64'));
    d.setAAD(aad(ledgerId, w));
    d.setAuthTag(Buffer.from(w.tag, 'base64'));
    const key = Buffer.concat([d.update(Buffer.from(w.ct, 'base64')), d.final()]);
    return key.length === KEY_BYTES ? key : null;
  } catch {
    return null;
  }
}

/**
 * The same work as an unwrap, for a user name that has no wrap: log-in must not answer faster for
 * an unknown name than for a wrong password. Uses the default parameters (those of real wraps).
 */
export function dummyUnwrap(kdfBase: Omit<KdfParams, 'salt'>): void {
  deriveKek('unknown-user', { ...kdfBase, salt: randomBytes(16).toString('base64') });
}

export function userWrap(k: Keystore, username: string): Wrap | undefined {
  return k.wraps.find((w) => w.kind === 'user' && w.username === username);
}

export function recoveryWrap(k: Keystore): Wrap | undefined {
  return k.wraps.find((w) => w.kind === 'recovery');
}

// ---------------------------------------------------------------------------------------------
// Keys derived from the data key

function subkey(dataKey: Buffer, ledgerId: string, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.from(ledgerId, 'utf8'), Buffer.from(info, 'utf8'), 32));
}

/** The key under which the audit chain's head is anchored (HKDF-SHA-256 of the data key). */
export function anchorKey(dataKey: Buffer, ledgerId: string): Buffer {
  return subkey(dataKey, ledgerId, 'xz-audit-anchor-v1');
}

/** A keyed digest of a typed user name (for throttling names that are not users, without storing them). */
export function nameDigest(ledgerId: string, username: string): string {
  return 'h:' + createHmac('sha256', ledgerId).update(username.normalize('NFC')).digest('hex').slice(0, 24);
}

export function anchorMac(key: Buffer, ledgerId: string, seq: number, hash: string): string {
  return createHmac('sha256', key).update(`xz-anchor-v1|${ledgerId}|${seq}|${hash}`).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// The recovery key: 28 random base32 characters (140 bits) and a 4-character check group,
// printed in 8 groups of 4 (e.g. 7K3M-…-Q2ZD). Crockford's alphabet: no I, L, O, U; when typed
// back, O reads as 0 and I/L as 1, case and separators do not matter.

const B32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const DATA_CHARS = 28;
const CHECK_CHARS = 4;

function checkGroup(data: string): string {
  const h = createHash('sha256').update(`xz-recovery-v1|${data}`).digest();
  let out = '';
  for (let i = 0; i < CHECK_CHARS; i++) out += B32[h[i]! & 31];
  return out;
}

export function newRecoveryKey(): string {
  const bytes = randomBytes(DATA_CHARS);
  let data = '';
  for (const b of bytes) data += B32[b & 31];
  return formatRecoveryKey(data + checkGroup(data));
}

function formatRecoveryKey(chars: string): string {
  return chars.match(/.{4}/g)!.join('-');
}

export type RecoveryParse = { ok: true; key: string } | { ok: false; reason: 'recovery_key_format' | 'recovery_key_typo' };

/** Normalise what a person typed; a wrong check group means a typing error, not a wrong key. */
export function parseRecoveryKey(typed: string): RecoveryParse {
  const s = typed.toUpperCase().replace(/[\s\-_.]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== DATA_CHARS + CHECK_CHARS || [...s].some((c) => !B32.includes(c))) return { ok: false, reason: 'recovery_key_format' };
  const data = s.slice(0, DATA_CHARS);
  if (checkGroup(data) !== s.slice(DATA_CHARS)) return { ok: false, reason: 'recovery_key_typo' };
  return { ok: true, key: formatRecoveryKey(s) };
}
