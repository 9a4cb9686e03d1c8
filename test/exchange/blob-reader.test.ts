/**
 * The evidence reader of exports (db/exchange/blob-reader.ts): from an encrypted ledger file it
 * reads in a worker thread with its own connection; in memory, or when the worker cannot open the
 * file, on the calling thread: the same bytes either way.
 */
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLedger, type Ledger } from '../../db/core/open.js';
import { blobReader } from '../../db/exchange/blob-reader.js';
import { tempDir } from '../helpers/exchange-offices.js';

const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((f) => f()));

function withFiles(ledger: Ledger, sizes: number[]): { sha: string; bytes: Buffer }[] {
  const put = ledger.sqlite.prepare('INSERT INTO evidence_blobs (sha256, size, data, created_at) VALUES (?, ?, ?, ?)');
  return sizes.map((n) => {
    const bytes = randomBytes(n);
    const sha = createHash('sha256').update(bytes).digest('hex');
    put.run(sha, n, bytes, '2024-09-01T00:00:00.000Z');
    return { sha, bytes };
  });
}

describe('evidence reader', () => {
  it('reads from an encrypted file in a worker: every file whole, in the order asked, unknown ones null', async () => {
    const key = randomBytes(32);
    const ledger = openLedger(join(tempDir(cleanup, 'xz-blobs-'), 'l.sqlite'), { key });
    cleanup.push(() => ledger.close());
    const files = withFiles(ledger, [1, 65_536, 3 * 2 ** 20 + 7]);
    const access = ledger.readerAccess();
    expect(access?.key && Buffer.from(access.key).equals(key)).toBe(true);
    const r = blobReader(ledger);
    // All asked at once: the answers still pair with their questions.
    const got = await Promise.all([...files.map((f) => r.read(f.sha)), r.read('0'.repeat(64))]);
    files.forEach((f, i) => expect(Buffer.from(got[i]!).equals(f.bytes)).toBe(true));
    expect(got[3]).toBeNull();
    await r.close();
    await expect(r.read(files[0]!.sha)).rejects.toThrow(/evidence reader/);
  });

  it('falls back to this thread when the worker cannot open the file (wrong key), with the same bytes', async () => {
    const ledger = openLedger(join(tempDir(cleanup, 'xz-blobs-'), 'l.sqlite'), { key: randomBytes(32) });
    cleanup.push(() => ledger.close());
    const files = withFiles(ledger, [10_000, 20_000]);
    const r = blobReader(ledger, { access: { path: ledger.path, key: randomBytes(32) } });
    for (const f of files) expect(Buffer.from((await r.read(f.sha))!).equals(f.bytes)).toBe(true);
    await r.close();
  });

  it('an in-memory ledger has no file for a worker: read on this thread', async () => {
    const ledger = openLedger(':memory:');
    cleanup.push(() => ledger.close());
    expect(ledger.readerAccess()).toBeNull();
    const [f] = withFiles(ledger, [4096]);
    const r = blobReader(ledger);
    expect(Buffer.from((await r.read(f!.sha))!).equals(f!.bytes)).toBe(true);
    await r.close();
  });
});
