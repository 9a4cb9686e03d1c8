/**
 * Reading a package: the header without keys (inspect), the signature and payload hash against
 * trusted keys (verify), and the decrypted entries (open).
 *
 * The importer verifies first, then opens with `verified` set to the header verify returned:
 * open then refuses a file whose header differs from the one verified, and checks the payload's
 * SHA-256 again while decrypting, so what it yields is what was verified even if the file on the
 * stick changed in between. Every failure is a DomainError with a reason (errors.ts).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { decrypt, type Identity } from '../age/index.js';
import { bech32Encode } from '../age/bech32.js';
import { verifyBytes } from '../identity.js';
import { containerDigest, payloadBytes, readContainer, type Container } from './container.js';
import { decodeEntries, resolveLimits, type Limits, type ReadEntry } from './entries.js';
import { badInput, fail, toPackageError } from './errors.js';
import { encodeHeader, signedMessage, type PackageHeader } from './header.js';

/** Our X25519 secret keys (raw 32 bytes each), or the passphrase of a first-contact package. */
export type PackageIdentities = readonly Uint8Array[] | { passphrase: string; maxWorkFactor?: number };

/** Ed25519 public keys (raw 32 bytes) trusted for this sender; none if the office is unknown. */
export type TrustedKeys = (senderOfficeId: string, fingerprint: string) => readonly Uint8Array[] | Promise<readonly Uint8Array[]>;

function checkPath(path: unknown): void {
  if (typeof path !== 'string' || path === '') throw badInput('path', '应指定交换包文件。');
}

async function withFile<T>(path: string, f: (fh: FileHandle) => Promise<T>): Promise<T> {
  let fh: FileHandle | undefined;
  try {
    checkPath(path);
    fh = await open(path, 'r');
    return await f(fh);
  } catch (e) {
    throw toPackageError(e, 'package_header');
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** The header, checked in form (not in signature): for `inspect` and to choose the key. */
export function readHeader(path: string): Promise<PackageHeader> {
  return withFile(path, async (fh) => (await readContainer(fh)).header);
}

/** A key that is not a valid curve point makes verify throw: it verifies nothing. */
function signedBy(keys: readonly Uint8Array[], c: Container): boolean {
  const message = signedMessage(c.version, c.headerBytes);
  return keys.some((k) => {
    try {
      return k instanceof Uint8Array && k.length === 32 && verifyBytes(Buffer.from(k), message, c.signature);
    } catch {
      return false;
    }
  });
}

async function checkSignature(c: Container, trusted: TrustedKeys): Promise<void> {
  let keys: readonly Uint8Array[];
  try {
    keys = await trusted(c.header.sender.officeId, c.header.sender.fingerprint);
  } catch (e) {
    throw toPackageError(e, 'package_input');
  }
  if (!Array.isArray(keys) || keys.length === 0) throw fail('package_unknown_sender', `no trusted key for ${c.header.sender.officeId}`);
  if (!signedBy(keys, c)) throw fail('package_signature', 'no trusted key verifies the header');
}

/**
 * Checks the signature against the keys `trusted` gives for the claimed sender (none:
 * package_unknown_sender, none verifies: package_signature), then reads the payload once and
 * checks its length and SHA-256. Returns the header.
 */
export function verifyPackage(path: string, trusted: TrustedKeys): Promise<PackageHeader> {
  return withFile(path, async (fh) => {
    const c = await readContainer(fh);
    await checkSignature(c, trusted);
    for await (const _piece of payloadBytes(fh, c));
    return c.header;
  });
}

/**
 * The signature only (as verifyPackage, without the pass over the payload), and the package
 * digest. For a single-pass import: openPackage with `verified` set to this header checks the
 * payload's length and SHA-256 at the end of its stream, and nothing it yielded counts before.
 */
export function verifySignature(path: string, trusted: TrustedKeys): Promise<{ header: PackageHeader; digest: string }> {
  return withFile(path, async (fh) => {
    const c = await readContainer(fh);
    await checkSignature(c, trusted);
    return { header: c.header, digest: containerDigest(c) };
  });
}

function ageIdentities(ids: PackageIdentities): Identity[] {
  if (Array.isArray(ids)) {
    return ids.map((k: unknown) => {
      if (!(k instanceof Uint8Array) || k.length !== 32) throw badInput('identities', '解密用的私钥应为 32 字节。');
      return bech32Encode('AGE-SECRET-KEY-', k);
    });
  }
  const p = ids as { passphrase?: unknown; maxWorkFactor?: number };
  if (typeof p.passphrase !== 'string') throw badInput('identities', '应提供私钥或口令。');
  return [p.maxWorkFactor === undefined ? { passphrase: p.passphrase } : { passphrase: p.passphrase, maxWorkFactor: p.maxWorkFactor }];
}

export interface OpenOptions {
  identities: PackageIdentities;
  limits?: Partial<Limits>;
  /** The header verifyPackage returned: the file must still carry exactly this header. */
  verified?: PackageHeader;
}

/**
 * The entries, decrypted and parsed as they stream. Consume a blob's `data` before asking for
 * the next entry (unread data is skipped and still verified). Everything yielded is void
 * unless the iteration completes without throwing: the end marker, the age stream's end and
 * the payload hash are checked last. Errors are thrown by the iteration, never by this call.
 */
export async function* openPackage(path: string, o: OpenOptions): AsyncGenerator<ReadEntry> {
  let fh: FileHandle | undefined;
  let plaintext: AsyncGenerator<Uint8Array> | undefined;
  try {
    checkPath(path);
    const limits = resolveLimits(o.limits);
    const identities = ageIdentities(o.identities);
    fh = await open(path, 'r');
    const c = await readContainer(fh);
    if (o.verified && !encodeHeader(o.verified).equals(encodeHeader(c.header))) {
      throw fail('package_signature', 'the header differs from the one verified');
    }
    plaintext = decrypt(payloadBytes(fh, c), identities, { armor: false });
    yield* decodeEntries(plaintext, limits);
  } catch (e) {
    throw toPackageError(e, 'package_entry');
  } finally {
    await plaintext?.return(undefined).catch(() => undefined);
    await fh?.close().catch(() => undefined);
  }
}

export type ReadAllEntry = { type: 'json'; value: unknown } | { type: 'blob'; sha256: string; size: number; data: Buffer };

/**
 * For tests and small packages: the header and every entry in memory, blobs included. Pass the
 * header verifyPackage returned as `verified` (see openPackage).
 */
export async function readAll(
  path: string,
  identities: PackageIdentities,
  o: Omit<OpenOptions, 'identities'> = {},
): Promise<{ header: PackageHeader; entries: ReadAllEntry[] }> {
  const header = o.verified ?? (await readHeader(path));
  const entries: ReadAllEntry[] = [];
  for await (const e of openPackage(path, { ...o, identities })) {
    if (e.type === 'json') {
      entries.push({ type: 'json', value: e.value });
      continue;
    }
    const parts: Buffer[] = [];
    for await (const p of e.data) parts.push(p);
    entries.push({ type: 'blob', sha256: e.sha256, size: e.size, data: Buffer.concat(parts) });
  }
  return { header, entries };
}
