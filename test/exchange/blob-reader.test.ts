/**
 * The evidence reader of exports (db/exchange/blob-reader.ts): from an encrypted ledger file it
 * reads in a worker thread with its own connection; in memory, or when the worker cannot open the
 * file, on the calling thread: the same bytes either way.
 */
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLedger, type Ledger } from '../../db/core/open.js';
import { blobReader, DamagedBlob, MissingBlob } from '../../db/exchange/blob-reader.js';
import { CHUNK_BYTES, storeBlob } from '../../db/core/blobs.js';
import { tempDir } from '../helpers/exchange-offices.js';

const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((f) => f()));

function withFiles(ledger: Ledger, sizes: number[]): { sha: string; bytes: Buffer }[] {
  return sizes.map((n) => {
    const bytes = randomBytes(n);
    const sha = createHash('sha256').update(bytes).digest('hex');
    ledger.sqlite.transaction(() => storeBlob(ledger, sha, bytes, '2024-09-01T00:00:00.000Z'))();
    return { sha, bytes };
  });
}

/** A file read through: its pieces (each at most 1 MiB) joined, or the error its iteration threw. */
async function whole(pieces: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of pieces) {
    expect(p.length).toBeLessThanOrEqual(CHUNK_BYTES);
    parts.push(Buffer.from(p));
  }
  return Buffer.concat(parts);
}

describe('evidence reader', () => {
  it('reads from an encrypted file in a worker: every file piece by piece, in the order asked, unknown ones refused', async () => {
    const key = randomBytes(32);
    const ledger = openLedger(join(tempDir(cleanup, 'xz-blobs-'), 'l.sqlite'), { key });
    cleanup.push(() => ledger.close());
    // Whole in one row, and in pieces (over 1 MiB: db/core/blobs.ts).
    const files = withFiles(ledger, [1, 65_536, 3 * 2 ** 20 + 7, 9 * 2 ** 20]);
    const access = ledger.readerAccess();
    expect(access?.key && Buffer.from(access.key).equals(key)).toBe(true);
    const r = blobReader(ledger);
    // All asked at once (read ahead within the window): each still gets its own bytes.
    const streams = [...files.map((f) => r.read(f.sha)), r.read('0'.repeat(64))];
    for (let i = 0; i < files.length; i++) expect((await whole(streams[i]!)).equals(files[i]!.bytes)).toBe(true);
    await expect(whole(streams[4]!)).rejects.toBeInstanceOf(MissingBlob);
    // And again after a missing one: the worker goes on.
    expect((await whole(r.read(files[2]!.sha))).equals(files[2]!.bytes)).toBe(true);
    await r.close();
    expect(() => r.read(files[0]!.sha)).toThrow(/evidence reader/);
  });

  it('says when a file can be read without waiting (all of it arrived); a file given up on gives its window back', async () => {
    const ledger = openLedger(join(tempDir(cleanup, 'xz-blobs-'), 'l.sqlite'), { key: randomBytes(32) });
    cleanup.push(() => ledger.close());
    const files = withFiles(ledger, [5000, 5 * CHUNK_BYTES, 3 * CHUNK_BYTES]);
    const r = blobReader(ledger, { window: 2 });
    const until = async (f: () => boolean, ms = 5000) => {
      for (let i = 0; i < ms / 10 && !f(); i++) await new Promise((ok) => setTimeout(ok, 10));
      return f();
    };
    const small = r.read(files[0]!.sha);
    const big = r.read(files[1]!.sha);
    expect(await until(() => small.ready)).toBe(true); // one piece, then its end
    expect((await whole(small)).equals(files[0]!.bytes)).toBe(true);
    // Five pieces through a window of two: never all there before it is read.
    expect(await until(() => big.ready, 300)).toBe(false);
    const it = big[Symbol.asyncIterator]();
    expect(Buffer.from((await it.next()).value as Uint8Array).equals(files[1]!.bytes.subarray(0, CHUNK_BYTES))).toBe(true);
    await it.return!(undefined); // given up on with a piece still waiting
    // The window is whole again: the next file comes through (it would wait for ever otherwise).
    expect((await whole(r.read(files[2]!.sha))).equals(files[2]!.bytes)).toBe(true);
    await r.close();
    // A reader on this thread is always ready.
    const mem = openLedger(':memory:');
    cleanup.push(() => mem.close());
    const [m] = withFiles(mem, [10]);
    const rm = blobReader(mem);
    const read = rm.read(m!.sha);
    expect(read.ready).toBe(true);
    expect((await whole(read)).equals(m!.bytes)).toBe(true);
  });

  it('the worker reads pages without their MACs and checks each file against its SHA-256 instead: altered bytes are DamagedBlob', async () => {
    const ledger = openLedger(join(tempDir(cleanup, 'xz-blobs-'), 'l.sqlite'), { key: randomBytes(32) });
    cleanup.push(() => ledger.close());
    const [small, big] = withFiles(ledger, [5000, 2 * CHUNK_BYTES + 9]);
    // Written through SQLite (so every page MAC is valid): only the content no longer matches its name.
    ledger.sqlite.prepare('UPDATE evidence_blobs SET data = ? WHERE sha256 = ?').run(randomBytes(5000), small!.sha);
    const piece = ledger.sqlite.prepare('SELECT data FROM evidence_chunks WHERE sha256 = ? AND seq = 1').get(big!.sha) as { data: Buffer };
    piece.data[77]! ^= 1;
    ledger.sqlite.prepare('UPDATE evidence_chunks SET data = ? WHERE sha256 = ? AND seq = 1').run(piece.data, big!.sha);
    const r = blobReader(ledger);
    await expect(whole(r.read(small!.sha))).rejects.toBeInstanceOf(DamagedBlob);
    await expect(whole(r.read(big!.sha))).rejects.toBeInstanceOf(DamagedBlob);
    await r.close();
  });

  it('falls back to this thread when the worker cannot open the file (wrong key), with the same bytes', async () => {
    const ledger = openLedger(join(tempDir(cleanup, 'xz-blobs-'), 'l.sqlite'), { key: randomBytes(32) });
    cleanup.push(() => ledger.close());
    const files = withFiles(ledger, [10_000, 20_000]);
    const r = blobReader(ledger, { access: { path: ledger.path, key: randomBytes(32) } });
    for (const f of files) expect((await whole(r.read(f.sha))).equals(f.bytes)).toBe(true);
    await r.close();
  });

  it('an in-memory ledger has no file for a worker: read on this thread', async () => {
    const ledger = openLedger(':memory:');
    cleanup.push(() => ledger.close());
    expect(ledger.readerAccess()).toBeNull();
    const [f] = withFiles(ledger, [4096]);
    const r = blobReader(ledger);
    expect((await whole(r.read(f!.sha))).equals(f!.bytes)).toBe(true);
    await r.close();
  });
});
