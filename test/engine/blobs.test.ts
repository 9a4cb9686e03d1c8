/**
 * Evidence bytes stored whole (up to 1 MiB) or in 1 MiB pieces (db/core/blobs.ts): written whole or
 * streamed, read back equal, a damaged piece found by the ledger check and by the download.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobWriter, blobIntact, CHUNK_BYTES, readBlob, storeBlob } from '../../db/core/blobs.js';
import { verifyLedger } from '../../db/core/verify.js';
import { inTransaction } from '../../db/core/context.js';
import { addEvidence, getEvidenceContent } from '../../db/services/evidence.js';
import { expectRefused } from '../helpers/expect.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';
import { newProblemAndTask, stage } from '../helpers/workflow.js';

let t: TestLedger;
beforeEach(() => {
  t = makeTestLedger({ today: '2024-03-15' });
});
afterEach(() => t.close());

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const AT = '2024-03-15T00:00:00.000Z';
const pieces = (s: string) => t.ledger.sqlite.prepare('SELECT seq, length(data) AS n FROM evidence_chunks WHERE sha256 = ? ORDER BY seq').all(s);
const rowOf = (s: string) => t.ledger.sqlite.prepare('SELECT size, length(data) AS n FROM evidence_blobs WHERE sha256 = ?').get(s);

describe('evidence bytes in the ledger', () => {
  it('keeps a file of up to 1 MiB in one row and a larger one in 1 MiB pieces, and reads both back equal', () => {
    const small = randomBytes(CHUNK_BYTES);
    const large = randomBytes(2 * CHUNK_BYTES + 5);
    inTransaction(t.as(t.users.admin), () => {
      storeBlob(t.ledger, sha(small), small, AT);
      storeBlob(t.ledger, sha(large), large, AT);
      storeBlob(t.ledger, sha(large), large, AT); // again: left as it is
    });
    expect(rowOf(sha(small))).toEqual({ size: CHUNK_BYTES, n: CHUNK_BYTES });
    expect(pieces(sha(small))).toEqual([]);
    expect(rowOf(sha(large))).toEqual({ size: large.length, n: 0 });
    expect(pieces(sha(large))).toEqual([{ seq: 0, n: CHUNK_BYTES }, { seq: 1, n: CHUNK_BYTES }, { seq: 2, n: 5 }]);
    expect(readBlob(t.ledger, sha(small))!.equals(small)).toBe(true);
    expect(readBlob(t.ledger, sha(large))!.equals(large)).toBe(true);
    expect(readBlob(t.ledger, 'f'.repeat(64))).toBeNull();
    expect(verifyLedger(t.ledger).severity).toBe('ok');
  });

  it('stores a file streamed in pieces of any size, and refuses a stream longer or shorter than declared', () => {
    const bytes = randomBytes(3 * CHUNK_BYTES - 7);
    const ctx = t.as(t.users.admin);
    inTransaction(ctx, () => {
      const w = new BlobWriter(t.ledger, sha(bytes), bytes.length, AT, Buffer.allocUnsafe(CHUNK_BYTES));
      for (let off = 0, n = 1; off < bytes.length; off += n, n = (n * 7 + 13) % 300_000 + 1) w.write(bytes.subarray(off, Math.min(off + n, bytes.length)));
      w.end();
    });
    expect(readBlob(t.ledger, sha(bytes))!.equals(bytes)).toBe(true);
    expect(pieces(sha(bytes)).map((p) => (p as { n: number }).n)).toEqual([CHUNK_BYTES, CHUNK_BYTES, CHUNK_BYTES - 7]);
    const other = randomBytes(2 * CHUNK_BYTES);
    expect(() => inTransaction(ctx, () => {
      const w = new BlobWriter(t.ledger, sha(other), other.length, AT);
      w.write(other.subarray(0, CHUNK_BYTES));
      w.end();
    })).toThrow(/bytes, not/);
    expect(() => inTransaction(ctx, () => new BlobWriter(t.ledger, sha(other), 10, AT).write(other))).toThrow(/more bytes/);
    expect(rowOf(sha(other))).toBeUndefined();
    expect(pieces(sha(other))).toEqual([]);
  });

  it('finds a damaged piece: the ledger check names the file, the download refuses it', () => {
    const s = stage(t);
    const entry = t.as(t.users.entry);
    const { task } = newProblemAndTask(entry, s);
    const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(CHUNK_BYTES + 100)]);
    const ev = addEvidence(entry, { ownerType: 'task', ownerId: task.id, fileName: '大文件.pdf', mimeType: 'application/pdf', formedOn: '2024-02-20', dataBase64: bytes.toString('base64') });
    expect(pieces(ev.sha256)).toHaveLength(2);
    expect(Buffer.from(getEvidenceContent(entry, { id: ev.id }).dataBase64, 'base64').equals(bytes)).toBe(true);
    expect(blobIntact(t.ledger, ev.sha256)).toBe(true);
    t.ledger.sqlite.prepare('UPDATE evidence_chunks SET data = randomblob(length(data)) WHERE sha256 = ? AND seq = 1').run(ev.sha256);
    expect(blobIntact(t.ledger, ev.sha256)).toBe(false);
    expectRefused(t, () => getEvidenceContent(entry, { id: ev.id }), 'CORRUPT');
    const v = verifyLedger(t.ledger);
    expect(v.severity).not.toBe('ok');
    expect(JSON.stringify(v)).toContain(ev.sha256);
    // A piece missing is found the same way.
    t.ledger.sqlite.prepare('DELETE FROM evidence_chunks WHERE sha256 = ? AND seq = 1').run(ev.sha256);
    expect(blobIntact(t.ledger, ev.sha256)).toBe(false);
  });
});
