/**
 * The worker thread that reads evidence files out of the ledger for an export (started by
 * db/exchange/blob-reader.ts). On an encrypted ledger every page of a file is decrypted and
 * checked by SQLCipher as it is read, about as much work as the package's own encryption: done
 * here, on its own read-only connection, it runs beside the main thread's encryption instead of
 * before it.
 *
 * The data key arrives in workerData (a structured-clone copy, never on a command line or in a
 * file) and is zeroed once the connection is keyed. Each request names one file by its SHA-256;
 * the answer carries its bytes (moved, not copied, when the buffer allows) or null if the ledger
 * has no such file.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { applyKey } from '../core/cipher.js';
import { readBlob } from '../core/blobs.js';

export interface BlobWorkerData { path: string; key: Uint8Array | null; cacheKib: number }
export type BlobRequest = { type: 'read'; id: number; sha256: string };
export type BlobAnswer =
  | { type: 'ready' }
  | { type: 'blob'; id: number; data: Uint8Array | null }
  | { type: 'error'; id: number; message: string; code: string };

const port = parentPort!;
const job = workerData as BlobWorkerData;
let db: Database.Database | null = null;
try {
  db = new Database(job.path, { readonly: true, fileMustExist: true });
  if (job.key) {
    const key = Buffer.from(job.key);
    applyKey(db, key);
    key.fill(0);
    job.key.fill(0);
  }
  db.pragma(`cache_size = -${job.cacheKib}`);
  const ledger = db;
  port.on('message', (m: BlobRequest) => {
    try {
      const bytes = readBlob(ledger, m.sha256);
      const data = bytes ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) : null;
      const whole = data !== null && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
      try {
        port.postMessage({ type: 'blob', id: m.id, data } satisfies BlobAnswer, whole ? [data.buffer as ArrayBuffer] : []);
      } catch {
        port.postMessage({ type: 'blob', id: m.id, data } satisfies BlobAnswer); // a buffer that cannot move is copied
      }
    } catch (e) {
      port.postMessage({ type: 'error', id: m.id, message: e instanceof Error ? e.message : String(e), code: (e as { code?: string }).code ?? 'ERROR' } satisfies BlobAnswer);
    }
  });
  port.postMessage({ type: 'ready' } satisfies BlobAnswer);
} catch (e) {
  db?.close();
  port.postMessage({ type: 'error', id: -1, message: e instanceof Error ? e.message : String(e), code: (e as { code?: string }).code ?? 'ERROR' } satisfies BlobAnswer);
}
