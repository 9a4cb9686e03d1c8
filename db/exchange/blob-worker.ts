/**
 * The worker thread that reads evidence files out of the ledger for an export (started by
 * db/exchange/blob-reader.ts). On an encrypted ledger every page of a file is decrypted and
 * checked by SQLCipher as it is read, about as much work as the package's own encryption: done
 * here, on its own read-only connection, it runs beside the main thread's encryption instead of
 * before it.
 *
 * The connection reads the pages without checking their MACs (the check in software is two thirds
 * of the cost of reading: db/core/cipher.ts); instead each file's bytes are hashed here as they
 * are read (OpenSSL's SHA-256, several times faster) and checked against the SHA-256 that names
 * the file: a damaged or altered file ends in an error at its end, and the export that asked for
 * it is abandoned. The data key arrives in workerData (a structured-clone copy, never on a command
 * line or in a file) and is zeroed once the connection is keyed. Each request names one file by its SHA-256;
 * the answers carry its pieces in order (moved, not copied, when the buffer allows), then its end,
 * or say the ledger has no such file. Requests are answered one file after the other, a piece only
 * while the reader has given credit (db/exchange/blob-reader.ts).
 */
import type Database from 'better-sqlite3';
import { createHash, type Hash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { blobPieces } from '../core/blobs.js';
import { BLOB_DAMAGED } from './blob-reader.js';
import { errorFields, movable, openWorkerConnection, type WorkerConnectionData } from './worker-connection.js';

export type BlobWorkerData = WorkerConnectionData;
export type BlobRequest = { type: 'read'; id: number; sha256: string } | { type: 'more'; n: number };
export type BlobAnswer =
  | { type: 'ready' }
  | { type: 'piece'; id: number; data: Uint8Array }
  | { type: 'end'; id: number }
  | { type: 'missing'; id: number }
  | { type: 'error'; id: number; message: string; code: string };

const port = parentPort!;
const job = workerData as BlobWorkerData;
let db: Database.Database | null = null;
try {
  db = openWorkerConnection(job, { pageMacs: false });
  const ledger = db;
  const queue: { id: number; sha256: string }[] = [];
  let current: { id: number; sha256: string; pieces: Iterator<Buffer>; hash: Hash } | null = null;
  let credit = 0;
  const send = (id: number, piece: Buffer) => {
    const data = new Uint8Array(piece.buffer, piece.byteOffset, piece.length);
    try {
      port.postMessage({ type: 'piece', id, data } satisfies BlobAnswer, movable(data));
    } catch {
      port.postMessage({ type: 'piece', id, data } satisfies BlobAnswer); // a buffer that cannot move is copied
    }
  };
  const pump = () => {
    while (credit > 0) {
      if (!current) {
        const next = queue.shift();
        if (!next) return;
        try {
          const b = blobPieces(ledger, next.sha256);
          if (!b) {
            port.postMessage({ type: 'missing', id: next.id } satisfies BlobAnswer);
            continue;
          }
          current = { id: next.id, sha256: next.sha256, pieces: b.pieces[Symbol.iterator](), hash: createHash('sha256') };
        } catch (e) {
          port.postMessage({ type: 'error', id: next.id, ...errorFields(e) } satisfies BlobAnswer);
          continue;
        }
      }
      const { id, sha256, pieces, hash } = current;
      try {
        const r = pieces.next();
        if (r.done) {
          current = null;
          if (hash.digest('hex') !== sha256) {
            port.postMessage({ type: 'error', id, message: `evidence file ${sha256} does not match its SHA-256`, code: BLOB_DAMAGED } satisfies BlobAnswer);
            continue;
          }
          port.postMessage({ type: 'end', id } satisfies BlobAnswer);
          continue;
        }
        credit--;
        hash.update(r.value);
        send(id, r.value);
      } catch (e) {
        current = null;
        port.postMessage({ type: 'error', id, ...errorFields(e) } satisfies BlobAnswer);
      }
    }
  };
  port.on('message', (m: BlobRequest) => {
    if (m.type === 'read') queue.push({ id: m.id, sha256: m.sha256 });
    else credit += m.n;
    pump();
  });
  port.postMessage({ type: 'ready' } satisfies BlobAnswer);
} catch (e) {
  db?.close();
  port.postMessage({ type: 'error', id: -1, ...errorFields(e) } satisfies BlobAnswer);
}
