/**
 * Streaming behaviour of our age implementation: bounded memory on a large payload, every kind
 * of damage refused with the right reason (and never a plaintext handed out as a success), the
 * header's size bounds, Node stream plumbing, and the throughput against raw ChaCha20-Poly1305.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../db/domain/errors.js';
import {
  CHUNK_SIZE, decrypt, decryptBuffer, encrypt, encryptBuffer, generateIdentity, identityToRecipient, parseHeader, type AgeErrorReason, type Identity,
} from '../../db/exchange/age/index.js';

const MiB = 1024 * 1024;
const ENCRYPTED_CHUNK = CHUNK_SIZE + 16;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Lets the garbage collector free what nothing references any more. V8 releases ArrayBuffer
 * backing stores on a background sweeper after a collection, so a second collection after a
 * short pause is needed before memoryUsage() shows only what is still reachable: what is measured
 * is what the pipeline holds, not what the collector has yet to get to.
 */
async function settle(): Promise<void> {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 10));
  gc();
}

const identity = generateIdentity();
const recipient = identityToRecipient(identity);
const bystander = identityToRecipient(generateIdentity());

/** Pieces of `total` bytes cut from one random block in varying sizes (no per-piece allocation). */
function* generated(total: number, block: Buffer): Generator<Buffer> {
  const sizes = [1, 1000, 65_536, 65_537, 200_000, 7, 131_072];
  let i = 0;
  for (let sent = 0; sent < total; i++) {
    const n = Math.min(sizes[i % sizes.length]!, total - sent, block.length);
    const at = (sent * 7) % (block.length - n + 1);
    yield block.subarray(at, at + n);
    sent += n;
  }
}

/** Whatever decryption released, and the error it ended with (null on success). */
async function attempt(file: Uint8Array, ids: Identity[] = [identity]): Promise<{ released: Buffer; error: unknown }> {
  const parts: Uint8Array[] = [];
  try {
    for await (const p of decrypt([file], ids)) parts.push(p);
    return { released: Buffer.concat(parts), error: null };
  } catch (e) {
    return { released: Buffer.concat(parts), error: e };
  }
}

function reasonOf(error: unknown): AgeErrorReason {
  if (!(error instanceof DomainError)) throw new Error(`not a DomainError: ${String(error)}`);
  expect(error.code).toBe('CORRUPT');
  return error.reason as AgeErrorReason;
}

describe('a large payload streams in bounded memory', () => {
  it('encrypts and decrypts 200 MiB generated on the fly with live buffers a few MiB above baseline', { timeout: 180_000 }, async () => {
    const total = 200 * MiB;
    const block = randomBytes(MiB);
    const sourceHash = createHash('sha256');
    const source = (function* () {
      for (const piece of generated(total, block)) {
        sourceHash.update(piece);
        yield piece;
      }
    })();
    await settle();
    const baseline = process.memoryUsage();
    let peakBuffers = 0;
    let received = 0;
    let nextSample = 0;
    const outHash = createHash('sha256');
    for await (const piece of decrypt(encrypt(source, [recipient]), [identity])) {
      outHash.update(piece);
      received += piece.length;
      if (received >= nextSample) {
        await settle();
        peakBuffers = Math.max(peakBuffers, process.memoryUsage().arrayBuffers - baseline.arrayBuffers);
        nextSample += 8 * MiB;
      }
    }
    const rssDelta = process.memoryUsage().rss - baseline.rss;
    console.log(`200 MiB stream: peak live ArrayBuffers +${(peakBuffers / MiB).toFixed(2)} MiB, rss +${(rssDelta / MiB).toFixed(1)} MiB`);
    expect(received).toBe(total);
    expect(outHash.digest('hex')).toBe(sourceHash.digest('hex'));
    expect(peakBuffers).toBeLessThan(4 * MiB);
  });

  it('plugs into Node streams: file → encrypt → file → decrypt → file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'age-stream-'));
    try {
      const plaintext = randomBytes(3 * CHUNK_SIZE + 123);
      writeFileSync(join(dir, 'plain'), plaintext);
      await pipeline(createReadStream(join(dir, 'plain')), (s) => encrypt(s, [recipient]), createWriteStream(join(dir, 'file.age')));
      await pipeline(createReadStream(join(dir, 'file.age')), (s) => decrypt(s, [identity]), createWriteStream(join(dir, 'out')));
      expect(readFileSync(join(dir, 'out')).equals(plaintext)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('closes the source when the consumer stops early', async () => {
    let closed = false;
    const file = await encryptBuffer(randomBytes(5 * CHUNK_SIZE), [recipient]);
    const source = (function* () {
      try {
        for (let i = 0; i < file.length; i += 1000) yield file.subarray(i, i + 1000);
      } finally {
        closed = true;
      }
    })();
    for await (const _piece of decrypt(source, [identity])) break;
    expect(closed).toBe(true);
  });
});

describe('damage is refused with the right reason', () => {
  // Three full chunks and a short one, to two recipients (so a damaged stanza can still leave
  // the other one intact and reach the MAC check).
  const plaintext = randomBytes(3 * CHUNK_SIZE + 1000);
  let file: Buffer;
  let headerLength: number;
  const payloadStart = () => headerLength + 16;
  const chunkStart = (i: number) => payloadStart() + i * ENCRYPTED_CHUNK;

  beforeAll(async () => {
    file = await encryptBuffer(plaintext, [bystander, recipient]);
    headerLength = parseHeader(file).length;
    expect(file.length).toBe(payloadStart() + plaintext.length + 4 * 16);
  });

  const flipped = (at: number, mask = 0x01) => {
    const copy = Buffer.from(file);
    copy[at]! ^= mask;
    return copy;
  };

  it('decrypts intact', async () => {
    expect((await decryptBuffer(file, [identity])).equals(plaintext)).toBe(true);
  });

  it('a flipped byte in the version line: not an age v1 header', async () => {
    expect(reasonOf((await attempt(flipped(0))).error)).toBe('age_header');
    expect(reasonOf((await attempt(flipped(20, 0x07))).error)).toBe('age_version'); // "v1" → "v6"
  });

  // A changed character of a stanza's base64 that stays valid base64 (a bit flip can leave the
  // alphabet, e.g. 'A' → '@', which is a header format error instead).
  const changedChar = (at: number) => {
    const copy = Buffer.from(file);
    copy[at] = copy[at] === 0x41 ? 0x42 : 0x41;
    return copy;
  };

  it('a changed character in our stanza: no identity matches; in the other stanza: the MAC fails', async () => {
    const text = file.toString('latin1', 0, headerLength);
    const ourStanza = text.lastIndexOf('-> X25519 ');
    const r1 = await attempt(changedChar(ourStanza + 20)); // inside our ephemeral share
    expect(reasonOf(r1.error)).toBe('age_no_identity');
    const r2 = await attempt(changedChar(text.indexOf('-> X25519 ') + 20)); // the bystander's share
    expect(reasonOf(r2.error)).toBe('age_header_mac');
  });

  it('a changed character in the MAC: the MAC fails', async () => {
    const r = await attempt(changedChar(headerLength - 10));
    expect(reasonOf(r.error)).toBe('age_header_mac');
    expect(r.released.length).toBe(0);
  });

  it.each([
    ['first', 0],
    ['middle', 1],
    ['last', 3],
  ] as const)('a flipped byte in the %s chunk: that chunk fails, only the chunks before it came out', async (_name, chunk) => {
    const r = await attempt(flipped(chunkStart(chunk) + 100));
    expect(reasonOf(r.error)).toBe('age_payload');
    expect(r.released.equals(plaintext.subarray(0, chunk * CHUNK_SIZE))).toBe(true);
    await expect(decryptBuffer(flipped(chunkStart(chunk) + 100), [identity])).rejects.toBeInstanceOf(DomainError);
  });

  it('cut at a chunk boundary: truncated, after the chunks that authenticated', async () => {
    const r = await attempt(file.subarray(0, chunkStart(2)));
    expect(reasonOf(r.error)).toBe('age_truncated');
    expect(r.released.equals(plaintext.subarray(0, 2 * CHUNK_SIZE))).toBe(true);
    expect(reasonOf((await attempt(file.subarray(0, payloadStart()))).error)).toBe('age_truncated');
    expect(reasonOf((await attempt(file.subarray(0, payloadStart() - 1))).error)).toBe('age_header'); // no nonce
  });

  it('trailing bytes: after a short final chunk the chunk fails; after a full final chunk, trailing data', async () => {
    expect(reasonOf((await attempt(Buffer.concat([file, Buffer.from([0])]))).error)).toBe('age_payload');
    const full = await encryptBuffer(randomBytes(2 * CHUNK_SIZE), [recipient]);
    const r = await attempt(Buffer.concat([full, Buffer.from('x')]));
    expect(reasonOf(r.error)).toBe('age_trailing_data');
  });

  it('the wrong identity or passphrase: no identity matches', async () => {
    expect(reasonOf((await attempt(file, [generateIdentity()])).error)).toBe('age_no_identity');
    expect(reasonOf((await attempt(file, [{ passphrase: 'guess' }])).error)).toBe('age_no_identity');
    const pw = await encryptBuffer(Buffer.from('秘密'), [{ passphrase: 'right', workFactor: 10 }]);
    expect(reasonOf((await attempt(pw, [{ passphrase: 'wrong' }, identity])).error)).toBe('age_no_identity');
    expect((await decryptBuffer(pw, [identity, { passphrase: 'right' }])).toString()).toBe('秘密');
  });

  it('a passphrase file above the work-factor cap is refused before any scrypt work', async () => {
    const pw = await encryptBuffer(Buffer.from('x'), [{ passphrase: 'p', workFactor: 12 }]);
    expect(reasonOf((await attempt(pw, [{ passphrase: 'p', maxWorkFactor: 11 }])).error)).toBe('age_scrypt_work_factor');
  });

  /** What any damage may legitimately produce, by where it is. */
  const headerReasons: AgeErrorReason[] = ['age_header', 'age_version', 'age_no_identity', 'age_header_mac'];

  it('truncation anywhere: always refused, with a reason for where the cut is, and only authentic chunks released', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: file.length - 1 }), async (cut) => {
        const r = await attempt(file.subarray(0, cut));
        const reason = reasonOf(r.error);
        if (cut < payloadStart()) expect(reason).toBe('age_header');
        else expect(['age_truncated', 'age_payload']).toContain(reason);
        expect(r.released.length % CHUNK_SIZE).toBe(0);
        expect(r.released.equals(plaintext.subarray(0, r.released.length))).toBe(true);
        await expect(decryptBuffer(file.subarray(0, cut), [identity])).rejects.toBeInstanceOf(DomainError);
      }),
      { numRuns: 300 },
    );
  });

  it('a flipped byte anywhere: always refused, with a reason for where it is, and only authentic chunks released', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: file.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, mask) => {
        const r = await attempt(flipped(at, mask));
        const reason = reasonOf(r.error);
        // A first byte flipped to '-' makes the file look armored (auto-detection): armor failure.
        if (at === 0 && reason === 'age_armor') expect(file[0]! ^ mask).toBe(0x2d);
        else if (at < headerLength) expect(headerReasons).toContain(reason);
        else expect(reason).toBe('age_payload');
        expect(r.released.equals(plaintext.subarray(0, r.released.length))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('bytes appended: always refused, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 100 }), async (extra) => {
        const r = await attempt(Buffer.concat([file, extra]));
        expect(['age_payload', 'age_trailing_data']).toContain(reasonOf(r.error));
      }),
      { numRuns: 100 },
    );
  });
});

describe('a hostile header cannot make us buffer much', () => {
  it('refuses a file that is not age at all after its first bytes', async () => {
    let pulled = 0;
    const zip = (function* () {
      for (;;) {
        pulled++;
        yield Buffer.from('PK\x03\x04 not an age file', 'latin1');
      }
    })();
    await expect(decryptBuffer(Buffer.from('PK\x03\x04', 'latin1'), [identity])).rejects.toMatchObject({ reason: 'age_header' });
    const error = await (async () => {
      try {
        for await (const _p of decrypt(zip, [identity])) break;
      } catch (e) {
        return e;
      }
    })();
    expect(reasonOf(error)).toBe('age_header');
    expect(pulled).toBe(1);
  });

  it('refuses an endless header after 64 KiB', async () => {
    let pulled = 0;
    const endless = (function* () {
      yield Buffer.from('age-encryption.org/v1\n', 'latin1');
      for (;;) {
        const piece = Buffer.from('-> stanza\n\n'.repeat(100), 'latin1');
        pulled += piece.length;
        yield piece;
      }
    })();
    const parts: Uint8Array[] = [];
    const error = await (async () => {
      try {
        for await (const p of decrypt(endless, [identity])) parts.push(p);
      } catch (e) {
        return e;
      }
    })();
    expect(reasonOf(error)).toBe('age_header');
    expect(pulled).toBeLessThan(70 * 1024);
  });

  it('refuses more than 256 stanzas', async () => {
    const header = `age-encryption.org/v1\n${'-> grease\n\n'.repeat(257)}--- ${'A'.repeat(43)}\n`;
    expect(reasonOf((await attempt(Buffer.from(header, 'latin1'))).error)).toBe('age_header');
  });
});

describe('throughput (printed, not asserted)', () => {
  it('encrypts and decrypts 256 MiB, against raw ChaCha20-Poly1305 over the same bytes', { timeout: 300_000 }, async () => {
    const total = 256 * MiB;
    const block = randomBytes(4 * MiB);
    const pieces = () => {
      const out: Buffer[] = [];
      for (let i = 0; i < total / block.length; i++) out.push(block);
      return out;
    };
    const rate = (ms: number) => `${(total / MiB / (ms / 1000)).toFixed(0)} MB/s`;

    // The raw baseline: one cipher over the same bytes, fed in 64 KiB slices (as a file stream
    // would), no framing, no per-chunk keys or tags.
    const slices = function* () {
      for (const p of pieces()) for (let i = 0; i < p.length; i += CHUNK_SIZE) yield p.subarray(i, i + CHUNK_SIZE);
    };
    const key = randomBytes(32);
    const iv = randomBytes(12);
    let t = performance.now();
    const c = createCipheriv('chacha20-poly1305', key, iv, { authTagLength: 16 });
    for (const p of slices()) c.update(p);
    c.final();
    const tag = c.getAuthTag();
    const rawEncrypt = performance.now() - t;
    t = performance.now();
    const d = createDecipheriv('chacha20-poly1305', key, iv, { authTagLength: 16 });
    d.setAuthTag(tag);
    for (const p of slices()) d.update(p); // the "plaintext" is garbage: the work is the same
    const rawDecrypt = performance.now() - t;

    t = performance.now();
    for await (const _p of encrypt(pieces(), [recipient])); // consumed and dropped, as a file sink would
    const ourEncrypt = performance.now() - t;
    const encrypted: Uint8Array[] = [];
    for await (const p of encrypt(pieces(), [recipient])) encrypted.push(p);
    let n = 0;
    t = performance.now();
    for await (const p of decrypt(encrypted, [identity])) n += p.length;
    const ourDecrypt = performance.now() - t;
    expect(n).toBe(total);

    console.log(
      `age over 256 MiB: encrypt ${rate(ourEncrypt)}, decrypt ${rate(ourDecrypt)}; ` +
        `raw chacha20-poly1305 (one stream): encrypt ${rate(rawEncrypt)}, decrypt ${rate(rawDecrypt)}`,
    );
  });
});
