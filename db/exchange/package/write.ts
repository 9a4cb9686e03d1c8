/**
 * Writing a package (docs/exchange-format.md §4.3), never a half-written one at the target:
 *
 * 1. everything the caller gave is checked before the first byte is written (header schema,
 *    signing key by a test signature, recipients by age);
 * 2. into a temporary file beside the target (same folder, so the final rename is atomic on
 *    that volume), room is left for the prefix, header and signature, and the age payload is
 *    written after it as it is produced, hashed on the way;
 * 3. the header (now with the payload's length and SHA-256) is signed and written into the room
 *    left for it: JSON padded with spaces to the reserved size, so the payload is written once,
 *    in place, with no second temporary file and no copy (a 1 GB package on a slow stick);
 * 4. fsync, rename into place and fsync the folder. The returned `sha256` is the package's
 *    digest (packageDigest in container.ts): the SHA-256 of everything before the payload, whose
 *    signed header carries the payload's own SHA-256, so it names exactly one file and needs no
 *    second pass over a 1 GB payload.
 * On any failure the temporary file is removed and the error is a DomainError (errors.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { encrypt, type Recipient } from '../age/index.js';
import { bech32Encode } from '../age/bech32.js';
import { signBytes, verifyBytes } from '../identity.js';
import { packageDigest } from './container.js';
import { encodeEntries, type Entry } from './entries.js';
import { badInput, toPackageError } from './errors.js';
import {
  checkHeader, encodeHeader, encodePrefix, FORMAT_NAME, FORMAT_VERSION, MAX_HEADER_BYTES, READABLE_VERSIONS, type FormatVersion, PREFIX_BYTES, SIGNATURE_BYTES, signedMessage,
  type Encryption, type PackageHeader, type PackageHeaderInput,
} from './header.js';
import { parseJson } from './json.js';

export interface WriteOptions {
  /** Where the package goes; an existing file there is replaced atomically. */
  path: string;
  header: PackageHeaderInput;
  /** The sender's Ed25519 key pair, raw 32-byte halves. */
  sign: { publicKey: Uint8Array; secretKey: Uint8Array };
  /** Recipients' X25519 public keys (raw 32 bytes), or a passphrase (first contact). */
  to: { x25519: readonly Uint8Array[] } | { passphrase: string; workFactor?: number };
  entries: AsyncIterable<Entry> | Iterable<Entry>;
  /**
   * Called once the entries are consumed: the header to sign, for what is known only then (counts
   * of records streamed). It must encode within `headerRoom` bytes more than `header` did.
   */
  completeHeader?: () => PackageHeaderInput;
  /** Room reserved for what completeHeader adds (bytes, default 0). */
  headerRoom?: number;
  /**
   * The format version to write (default FORMAT_VERSION). 1 is for a reader that knows only it:
   * the caller must then put no record after a file (the container does not look inside records).
   */
  version?: FormatVersion;
}

export interface WrittenPackage {
  path: string;
  bytes: number;
  /** The package digest (container.ts packageDigest), hex: what receipts and the audit trail name. */
  sha256: string;
}

/** The room reserved for `payload.length`: its placeholder is "0", a safe integer has ≤ 16 digits. */
const LENGTH_DIGITS_ROOM = 15;
const WRITE_BATCH = 1024 * 1024;

function recipientsOf(to: WriteOptions['to']): { recipients: Recipient[]; encryption: Encryption } {
  if ('x25519' in to) {
    if (!Array.isArray(to.x25519) || to.x25519.length === 0) throw badInput('to', '至少需要一个收件单位的公钥。');
    const recipients = to.x25519.map((k: unknown) => {
      if (!(k instanceof Uint8Array) || k.length !== 32) throw badInput('to', '收件单位的公钥应为 32 字节。');
      return bech32Encode('age', k);
    });
    return { recipients, encryption: 'x25519' };
  }
  if (typeof to?.passphrase !== 'string') throw badInput('to', '应提供收件单位的公钥或口令。');
  const r = to.workFactor === undefined ? { passphrase: to.passphrase } : { passphrase: to.passphrase, workFactor: to.workFactor };
  return { recipients: [r], encryption: 'scrypt' };
}

/** The header as the caller gave it, through a JSON round trip (what a reader will see) and the schema. */
function baseHeader(input: PackageHeaderInput, encryption: Encryption, version: FormatVersion): PackageHeader {
  let json: unknown;
  try {
    json = parseJson(JSON.stringify({ ...input, format: FORMAT_NAME, version, encryption, payload: { length: 0, sha256: '0'.repeat(64) } }));
  } catch (e) {
    throw badInput('header', '包头无法转换为 JSON。', String(e));
  }
  const r = checkHeader(json);
  if (!r.ok) throw badInput('header', '包头内容不完整或格式不正确。', r.detail);
  return r.header;
}

function checkSigningKey(sign: WriteOptions['sign']): void {
  const { publicKey, secretKey } = sign ?? {};
  if (!(publicKey instanceof Uint8Array) || !(secretKey instanceof Uint8Array) || publicKey.length !== 32 || secretKey.length !== 32) {
    throw badInput('sign', '签名密钥应为 32 字节的公钥和私钥。');
  }
  // A secret that does not belong to the public key would sign packages nobody can verify.
  const probe = Buffer.from('xz-package-key-probe');
  let ok = false;
  try {
    ok = verifyBytes(Buffer.from(publicKey), probe, signBytes(Buffer.from(publicKey), Buffer.from(secretKey), probe));
  } catch {
    ok = false;
  }
  if (!ok) throw badInput('sign', '签名私钥与公钥不匹配。');
}

/** Writes a package; see the file comment for the steps. */
export async function writePackage(o: WriteOptions): Promise<WrittenPackage> {
  let tmp: string | undefined;
  let fh: FileHandle | undefined;
  try {
    if (typeof o.path !== 'string' || o.path === '') throw badInput('path', '应指定交换包的保存位置。');
    checkSigningKey(o.sign);
    const { recipients, encryption } = recipientsOf(o.to);
    const version = o.version ?? FORMAT_VERSION;
    if (!READABLE_VERSIONS.includes(version)) throw badInput('version', `不能写出格式版本 ${String(version)}。`);
    const base = baseHeader(o.header, encryption, version);
    const room = o.headerRoom ?? 0;
    if (!Number.isSafeInteger(room) || room < 0) throw badInput('headerRoom', '包头预留空间应为非负整数。');
    const reserved = encodeHeader(base).length + LENGTH_DIGITS_ROOM + room;
    if (reserved > MAX_HEADER_BYTES) throw badInput('header', `包头不能超过 ${MAX_HEADER_BYTES / 1024} KiB。`);
    const payloadOffset = PREFIX_BYTES + reserved + 2 + SIGNATURE_BYTES;
    const cipher = encrypt(encodeEntries(o.entries), recipients, { armor: false }); // checks recipients now

    tmp = join(dirname(o.path), `.${basename(o.path)}.${randomBytes(6).toString('hex')}.partial`);
    fh = await open(tmp, 'wx+', 0o600);
    const payload = await writePayload(fh, payloadOffset, cipher);

    const final = o.completeHeader ? baseHeader(o.completeHeader(), encryption, version) : base;
    const header: PackageHeader = { ...final, payload };
    if (encodeHeader(header).length > reserved) throw badInput('header', '包头超出了预留的空间。');
    const headerBytes = encodeHeader(header, reserved);
    if (headerBytes.length !== reserved) throw new Error(`header grew beyond its room: ${headerBytes.length} > ${reserved}`);
    const signature = signBytes(Buffer.from(o.sign.publicKey), Buffer.from(o.sign.secretKey), signedMessage(version, headerBytes));
    const prefix = encodePrefix(headerBytes, signature, version);
    await fh.write(prefix, 0, prefix.length, 0);
    await fh.sync();

    const bytes = payloadOffset + payload.length;
    const sha256 = packageDigest(prefix);
    await fh.close();
    fh = undefined;
    await rename(tmp, o.path);
    tmp = undefined;
    await syncFolder(dirname(o.path));
    return { path: o.path, bytes, sha256 };
  } catch (e) {
    throw toPackageError(e, 'package_input');
  } finally {
    await fh?.close().catch(() => undefined);
    if (tmp !== undefined) await rm(tmp, { force: true }).catch(() => undefined);
  }
}

/** Bytes written between two background flushes to the disk (fdatasync) while a package is written. */
const SYNC_EVERY = 64 * 1024 * 1024;

/**
 * Writes the age file from `offset` in batches of about 1 MiB; its length and SHA-256. One batch is
 * written (in the thread pool) while the next is encrypted, and every SYNC_EVERY bytes the file is
 * flushed to the disk in the background: the disk works while the package is made, instead of
 * receiving all of it at the final fsync.
 */
async function writePayload(fh: FileHandle, offset: number, cipher: AsyncIterable<Uint8Array>): Promise<PackageHeader['payload']> {
  const hash = createHash('sha256');
  let position = offset;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let writing: Promise<void> = Promise.resolve();
  let syncing: Promise<void> | null = null;
  let unsynced = 0;
  // The pieces go out as they are (writev: no copy into one buffer); a short write, rare, falls
  // back to writing the rest from where it stopped.
  const writeAt = async (pieces: Uint8Array[], n: number, at: number) => {
    const { bytesWritten } = await fh.writev(pieces, at);
    if (bytesWritten < n) {
      const rest = Buffer.concat(pieces, n).subarray(bytesWritten);
      for (let w = 0; w < rest.length; ) w += (await fh.write(rest, w, rest.length - w, at + bytesWritten + w)).bytesWritten;
    }
  };
  const flush = async () => {
    if (pendingBytes === 0) return;
    await writing; // one batch in flight at a time (a failed write throws here)
    const pieces = pending;
    const n = pendingBytes;
    writing = writeAt(pieces, n, position);
    writing.catch(() => undefined); // awaited before the next batch and at the end
    position += n;
    unsynced += n;
    pending = [];
    pendingBytes = 0;
    if (unsynced >= SYNC_EVERY && syncing === null) {
      unsynced = 0;
      const s = writing.then(() => fh.datasync());
      syncing = s.then(() => {
        syncing = null;
      });
      syncing.catch(() => undefined);
    }
  };
  try {
    for await (const piece of cipher) {
      hash.update(piece);
      pending.push(piece);
      pendingBytes += piece.length;
      if (pendingBytes >= WRITE_BATCH) await flush();
    }
    await flush();
    await writing;
  } finally {
    // A background flush still running when the payload ends (or fails) is waited for, so the file
    // is not closed under it.
    await writing.catch(() => undefined);
    await (syncing as Promise<void> | null)?.catch(() => undefined);
  }
  return { length: position - offset, sha256: hash.digest('hex') };
}

/** Makes the rename durable; not every platform can open a folder (Windows), so best effort. */
async function syncFolder(folder: string): Promise<void> {
  let d: FileHandle | undefined;
  try {
    d = await open(folder, 'r');
    await d.sync();
  } catch {
    // the rename itself has happened; only its durability across a power cut is unknown
  } finally {
    await d?.close().catch(() => undefined);
  }
}
