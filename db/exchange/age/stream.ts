/**
 * The age payload (spec: "Payload"): a STREAM of ChaCha20-Poly1305 chunks.
 *
 *   payload key = HKDF-SHA-256(ikm = file key, salt = 16-byte nonce, info = "payload")
 *   chunk i     = ChaCha20-Poly1305(payload key, nonce = 11-byte big-endian i || last flag, 64 KiB)
 *
 * The last flag is 0x01 on the final chunk only. The final chunk may be shorter than 64 KiB, and
 * is empty only when the whole payload is empty. A reader must fail if the input ends without a
 * valid final chunk (truncation) or goes on after one (trailing data).
 *
 * Memory: one 64 KiB (+16) working buffer per direction, plus the chunk being handed out.
 * Throughput: each chunk is one native OpenSSL call; the only copies are into the working buffer
 * and the output Node allocates.
 *
 * Release rule: a chunk's plaintext is handed out only after its tag verified. Earlier chunks are
 * already out when a later one fails, so the generator throws at the end and the caller must
 * treat everything it received as void (see decrypt.ts).
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { corrupt } from './errors.js';
import { hkdf32, TAG_SIZE } from './primitives.js';
import type { ByteReader } from './reader.js';

export const CHUNK_SIZE = 64 * 1024;
export const ENCRYPTED_CHUNK_SIZE = CHUNK_SIZE + TAG_SIZE;
export const NONCE_SIZE = 16;

export function payloadKey(fileKey: Uint8Array, nonce: Uint8Array): Buffer {
  return hkdf32(fileKey, nonce, 'payload');
}

/** The 12-byte chunk nonce: bytes 0–10 the big-endian counter, byte 11 the last-chunk flag. */
function chunkNonce(index: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  // Counters beyond 2^53 chunks (2^69 bytes) are unreachable; the top 3 counter bytes stay 0.
  nonce.writeUInt32BE(Math.floor(index / 2 ** 32), 3);
  nonce.writeUInt32BE(index >>> 0, 7);
  nonce[11] = last ? 1 : 0;
  return nonce;
}

/** The sealed chunk as two pieces, ciphertext then tag (no copy to join them: the writer takes pieces). */
function seal(key: Uint8Array, index: number, last: boolean, plaintext: Uint8Array): [Buffer, Buffer] {
  const c = createCipheriv('chacha20-poly1305', key, chunkNonce(index, last), { authTagLength: TAG_SIZE });
  const ciphertext = c.update(plaintext);
  c.final();
  return [ciphertext, c.getAuthTag()];
}

/** The plaintext if the chunk authenticates under this index and flag, else null. */
function open(key: Uint8Array, index: number, last: boolean, chunk: Uint8Array): Buffer | null {
  if (chunk.length < TAG_SIZE) return null;
  const d = createDecipheriv('chacha20-poly1305', key, chunkNonce(index, last), { authTagLength: TAG_SIZE });
  d.setAuthTag(chunk.subarray(chunk.length - TAG_SIZE));
  const plaintext = d.update(chunk.subarray(0, chunk.length - TAG_SIZE));
  try {
    d.final();
  } catch {
    return null; // the tag did not verify: `plaintext` is dropped unseen
  }
  return plaintext;
}

/** Encrypts everything `reader` yields into STREAM chunks (each as two pieces: ciphertext, tag). */
export async function* encryptPayload(key: Uint8Array, reader: ByteReader): AsyncGenerator<Buffer> {
  const buf = Buffer.allocUnsafe(CHUNK_SIZE);
  let fill = 0;
  let index = 0;
  for (let piece = await reader.next(); piece !== null; piece = await reader.next()) {
    for (let off = 0; off < piece.length; ) {
      // A full buffer is sealed only once more input exists: otherwise it is the final chunk.
      if (fill === CHUNK_SIZE) {
        yield* seal(key, index++, false, buf);
        fill = 0;
      }
      // A whole chunk of a large piece with more bytes after it is sealed where it lies (no copy).
      if (fill === 0 && piece.length - off > CHUNK_SIZE) {
        yield* seal(key, index++, false, piece.subarray(off, off + CHUNK_SIZE));
        off += CHUNK_SIZE;
        continue;
      }
      const n = Math.min(CHUNK_SIZE - fill, piece.length - off);
      buf.set(piece.subarray(off, off + n), fill);
      fill += n;
      off += n;
    }
  }
  yield* seal(key, index, true, buf.subarray(0, fill));
}

/** Fills `buf` from `reader`; returns how many bytes it holds (less than full only at the end). */
async function fillChunk(reader: ByteReader, buf: Buffer): Promise<number> {
  let fill = 0;
  while (fill < buf.length) {
    const piece = await reader.next();
    if (piece === null) break;
    const n = Math.min(buf.length - fill, piece.length);
    buf.set(n === piece.length ? piece : piece.subarray(0, n), fill);
    fill += n;
    if (n < piece.length) reader.unread(piece.subarray(n));
  }
  return fill;
}

/** Decrypts the STREAM chunks `reader` yields (everything after the 16-byte nonce). */
export async function* decryptPayload(key: Uint8Array, reader: ByteReader): AsyncGenerator<Buffer> {
  const buf = Buffer.allocUnsafe(ENCRYPTED_CHUNK_SIZE);
  for (let index = 0; ; index++) {
    const fill = await fillChunk(reader, buf);
    const chunk = buf.subarray(0, fill);
    // Whether this chunk is the last one is known from the input (does anything follow?), so
    // each chunk is opened once with the flag it must carry.
    if (fill === ENCRYPTED_CHUNK_SIZE && (await reader.hasMore())) {
      const plaintext = open(key, index, false, chunk);
      if (plaintext !== null) {
        yield plaintext;
        continue;
      }
      // A valid final chunk followed by more bytes: the file goes on after its end. The final
      // chunk itself is authentic and goes out (as the reference does); the error follows it.
      const final = open(key, index, true, chunk);
      if (final === null) throw corrupt('age_payload', `chunk ${index} failed to authenticate`);
      yield final;
      throw corrupt('age_trailing_data', `data after the final chunk ${index}`);
    }
    yield* finalChunk(key, index, chunk);
    return;
  }
}

/** The chunk the input ends with: it must be a valid final chunk. */
function* finalChunk(key: Uint8Array, index: number, chunk: Buffer): Generator<Buffer> {
  if (chunk.length < TAG_SIZE) throw corrupt('age_truncated', chunk.length === 0 ? 'no payload chunk' : `chunk ${index} is cut short`);
  if (chunk.length === TAG_SIZE && index > 0) throw corrupt('age_payload', 'final chunk is empty but the payload is not');
  const plaintext = open(key, index, true, chunk);
  if (plaintext !== null) {
    if (plaintext.length > 0) yield plaintext;
    return;
  }
  // A full chunk that is valid as a *non*-final one: the file was cut at a chunk boundary. Its
  // plaintext is authentic and goes out as any earlier chunk would; the error follows it.
  const inner = chunk.length === ENCRYPTED_CHUNK_SIZE ? open(key, index, false, chunk) : null;
  if (inner !== null) {
    yield inner;
    throw corrupt('age_truncated', `input ends after non-final chunk ${index}`);
  }
  throw corrupt('age_payload', `final chunk ${index} failed to authenticate`);
}
