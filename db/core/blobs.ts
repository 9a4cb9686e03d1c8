/**
 * Evidence file bytes in the ledger. A file of up to CHUNK_BYTES is one evidence_blobs row's
 * `data`; a larger one has an empty `data` and its bytes in evidence_chunks, CHUNK_BYTES a row, in
 * order (`seq` from 0). So a large file is written and read piece by piece (an import of 1 GB of
 * evidence stores each file as it decrypts, never whole), and SQLite never builds a record (nor
 * copies a bound value) the size of the file. Ledgers written before chunks existed hold every
 * file whole: both forms are read everywhere.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

export const CHUNK_BYTES = 1024 * 1024;

type Db = { prepare(sql: string): Database.Statement<unknown[], unknown> };

interface BlobRow { size: number; data: Buffer }

const EMPTY = Buffer.alloc(0);
const prepared = new WeakMap<Db, ReturnType<typeof prepare>>();

function prepare(db: Db) {
  return {
    row: db.prepare('SELECT size, data FROM evidence_blobs WHERE sha256 = ?'),
    has: db.prepare('SELECT 1 FROM evidence_blobs WHERE sha256 = ?'),
    chunk: db.prepare('SELECT data FROM evidence_chunks WHERE sha256 = ? AND seq = ?'),
    putRow: db.prepare('INSERT OR IGNORE INTO evidence_blobs (sha256, size, data, created_at) VALUES (?, ?, ?, ?)'),
    putChunk: db.prepare('INSERT INTO evidence_chunks (sha256, seq, data) VALUES (?, ?, ?)'),
  };
}

function statements(db: Db): ReturnType<typeof prepare> {
  let s = prepared.get(db);
  if (!s) prepared.set(db, (s = prepare(db)));
  return s;
}

/**
 * Writes one file as its bytes arrive (`write` any number of times, then `end`); the size is
 * declared first and checked at the end. A file already stored (same SHA-256) is left as it is.
 * Runs inside the caller's transaction: the caller checks the bytes' SHA-256 and rolls back on a
 * mismatch. `buffer`: one to reuse (at least min(size, CHUNK_BYTES) bytes), else one is made.
 */
export class BlobWriter {
  /** The ledger holds this file already: its bytes are counted, not stored. */
  readonly present: boolean;
  private readonly s;
  private readonly buf: Buffer;
  private fill = 0;
  private seq = 0;
  private total = 0;

  constructor(db: Db, private readonly sha256: string, private readonly size: number, private readonly createdAt: string, buffer?: Buffer) {
    this.s = statements(db);
    const need = Math.min(size, CHUNK_BYTES);
    this.buf = buffer && buffer.length >= need ? buffer.subarray(0, need) : Buffer.allocUnsafe(need);
    this.present = this.s.has.get(sha256) !== undefined;
    // A large file: its row first (evidence_chunks refers to it), its bytes in the chunks.
    if (!this.present && size > CHUNK_BYTES) this.s.putRow.run(sha256, size, EMPTY, createdAt);
  }

  write(piece: Uint8Array): void {
    this.total += piece.length;
    if (this.total > this.size) throw new Error(`evidence file ${this.sha256}: more bytes than its size`);
    if (this.present) return;
    for (let off = 0; off < piece.length;) {
      const n = Math.min(this.buf.length - this.fill, piece.length - off);
      this.buf.set(piece.subarray(off, off + n), this.fill);
      this.fill += n;
      off += n;
      if (this.fill === this.buf.length && this.size > CHUNK_BYTES) this.flush();
    }
  }

  private flush(): void {
    // SQLite copies a bound value: the buffer is reused for the next chunk.
    this.s.putChunk.run(this.sha256, this.seq++, this.buf.subarray(0, this.fill));
    this.fill = 0;
  }

  end(): void {
    if (this.total !== this.size) throw new Error(`evidence file ${this.sha256}: ${this.total} bytes, not ${this.size}`);
    if (this.present) return;
    if (this.size > CHUNK_BYTES) {
      if (this.fill > 0) this.flush();
    } else {
      this.s.putRow.run(this.sha256, this.size, this.buf.subarray(0, this.fill), this.createdAt);
    }
  }
}

/** Stores a file whose bytes are in memory (an upload); one already stored is left as it is. */
export function storeBlob(db: Db, sha256: string, bytes: Buffer, createdAt: string): void {
  if (bytes.length <= CHUNK_BYTES) {
    statements(db).putRow.run(sha256, bytes.length, bytes, createdAt);
    return;
  }
  const w = new BlobWriter(db, sha256, bytes.length, createdAt);
  w.write(bytes);
  w.end();
}

/** A file's bytes piece by piece (whole, or its chunks in order); null if the ledger lacks it. */
export function blobPieces(db: Db, sha256: string): { size: number; pieces: Iterable<Buffer> } | null {
  const s = statements(db);
  const row = s.row.get(sha256) as BlobRow | undefined;
  if (!row) return null;
  if (row.data.length > 0 || row.size === 0) return { size: row.size, pieces: [row.data] };
  // One statement per piece, none left open between them: the connection stays free for writes
  // while a reader waits between two pieces.
  return { size: row.size, pieces: (function* () {
    for (let seq = 0; ; seq++) {
      const c = s.chunk.get(sha256, seq) as { data: Buffer } | undefined;
      if (!c) return;
      yield c.data;
    }
  })() };
}

/** A file's bytes in one buffer (a download, a preview); null if the ledger lacks it. */
export function readBlob(db: Db, sha256: string): Buffer | null {
  const b = blobPieces(db, sha256);
  if (!b) return null;
  const parts = [...b.pieces];
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/** Whether the stored bytes are the file they are named by: their SHA-256 and their size. */
export function blobIntact(db: Db, sha256: string): boolean {
  const b = blobPieces(db, sha256);
  if (!b) return false;
  const h = createHash('sha256');
  let n = 0;
  for (const p of b.pieces) {
    h.update(p);
    n += p.length;
  }
  return n === b.size && h.digest('hex') === sha256;
}
