/**
 * Reading the container from an open file: the prefix, header and signature (no key needed),
 * and the payload bytes as a stream that checks their length and SHA-256 against the header.
 * Everything is read from one file handle at explicit positions, so the bytes checked and the
 * bytes decrypted are those of one file even if the path is replaced meanwhile.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { fail } from './errors.js';
import { encodePrefix, MAGIC, READABLE_VERSIONS, MAX_HEADER_BYTES, parseHeaderBytes, PREFIX_BYTES, SIGNATURE_BYTES, type PackageHeader } from './header.js';

export interface Container {
  version: number;
  header: PackageHeader;
  headerBytes: Buffer;
  signature: Buffer;
  payloadOffset: number;
}

const READ_PIECE = 1024 * 1024;

/** Up to n bytes at `position` (fewer only at the end of the file). */
export async function readAt(fh: FileHandle, position: number, n: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(n);
  let have = 0;
  while (have < n) {
    const { bytesRead } = await fh.read(buf, have, n - have, position + have);
    if (bytesRead === 0) break;
    have += bytesRead;
  }
  return have === n ? buf : buf.subarray(0, have);
}

async function readExactAt(fh: FileHandle, position: number, n: number, what: string): Promise<Buffer> {
  const buf = await readAt(fh, position, n);
  if (buf.length < n) throw fail('package_truncated', `file ends inside the ${what}`);
  return buf;
}

/**
 * The package digest: SHA-256 of everything before the payload (magic, version, header, signature;
 * `prefix` as header.ts encodePrefix makes it). The signed header carries the payload's length and
 * SHA-256, so the digest names exactly one file, and reading it costs no pass over the payload.
 */
export function packageDigest(prefix: Uint8Array): string {
  return createHash('sha256').update(prefix).digest('hex');
}

/** The digest of a container read from a file (see packageDigest). */
export function containerDigest(c: Container): string {
  return packageDigest(encodePrefix(c.headerBytes, c.signature, c.version));
}

/** Magic, version, header and signature, in that order of checks; then the file's size. */
export async function readContainer(fh: FileHandle): Promise<Container> {
  const start = await readAt(fh, 0, PREFIX_BYTES);
  const magicPart = start.subarray(0, Math.min(start.length, MAGIC.length));
  if (!magicPart.equals(MAGIC.subarray(0, magicPart.length))) throw fail('package_magic', 'magic does not match');
  if (start.length < PREFIX_BYTES) throw fail('package_truncated', 'file ends inside the prefix');
  const version = start[MAGIC.length]!;
  if (!READABLE_VERSIONS.includes(version)) {
    throw fail('package_version', `format version ${version}`, `此交换包的格式版本为 ${version}，本软件只能读取版本 ${READABLE_VERSIONS.join('、')}：它可能由更新版本的软件生成，请升级本软件后再导入。`);
  }
  const headerLength = start.readUInt32BE(MAGIC.length + 1);
  if (headerLength === 0 || headerLength > MAX_HEADER_BYTES) throw fail('package_header', `header length ${headerLength}`);
  const headerBytes = await readExactAt(fh, PREFIX_BYTES, headerLength, 'header');
  const sigAt = PREFIX_BYTES + headerLength;
  const signatureLength = (await readExactAt(fh, sigAt, 2, 'signature length')).readUInt16BE(0);
  if (signatureLength !== SIGNATURE_BYTES) throw fail('package_signature', `signature length ${signatureLength}`);
  const signature = await readExactAt(fh, sigAt + 2, SIGNATURE_BYTES, 'signature');
  const header = parseHeaderBytes(headerBytes);
  if (header.version !== version) throw fail('package_header', `header says version ${header.version}, the prefix ${version}`);
  const payloadOffset = sigAt + 2 + SIGNATURE_BYTES;
  const { size } = await fh.stat();
  const expected = payloadOffset + header.payload.length;
  if (size < expected) throw fail('package_truncated', `file has ${size} bytes, header says ${expected}`);
  if (size > expected) throw fail('package_trailing_data', `file has ${size} bytes, header says ${expected}`);
  return { version, header, headerBytes, signature, payloadOffset };
}

/**
 * The payload's bytes in pieces of up to 1 MiB. After the last one it checks that the file
 * ends exactly there and that the bytes hash to the header's SHA-256, and throws otherwise:
 * a consumer that reached the end without an error has read exactly the signed payload.
 */
export async function* payloadBytes(fh: FileHandle, c: Container): AsyncGenerator<Buffer> {
  const { length, sha256 } = c.header.payload;
  const hash = createHash('sha256');
  for (let done = 0; done < length; ) {
    const piece = await readAt(fh, c.payloadOffset + done, Math.min(READ_PIECE, length - done));
    if (piece.length === 0) throw fail('package_truncated', `payload ends after ${done} of ${length} bytes`);
    hash.update(piece);
    done += piece.length;
    yield piece;
  }
  if ((await readAt(fh, c.payloadOffset + length, 1)).length > 0) throw fail('package_trailing_data', 'bytes after the payload');
  if (hash.digest('hex') !== sha256) throw fail('package_payload_hash', 'payload SHA-256 does not match the header');
}
