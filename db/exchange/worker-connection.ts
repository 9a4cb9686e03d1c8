/**
 * What the export's two worker threads share (db/exchange/blob-worker.ts reads the files,
 * db/exchange/changes-worker.ts the records): their own read-only connection on the ledger file,
 * keyed from workerData (the key zeroed once applied), and the form of what they send back.
 */
import Database from 'better-sqlite3';
import { applyKey } from '../core/cipher.js';

/** How a worker opens the ledger: the file, its data key (null: a plaintext ledger), its page cache. */
export interface WorkerConnectionData {
  path: string;
  key: Uint8Array | null;
  cacheKib: number;
}

/** The worker's read-only connection (`pageMacs: false`: see db/core/cipher.ts applyKey). */
export function openWorkerConnection(job: WorkerConnectionData, o: { pageMacs?: boolean } = {}): Database.Database {
  const db = new Database(job.path, { readonly: true, fileMustExist: true });
  try {
    if (job.key) {
      const key = Buffer.from(job.key);
      try {
        applyKey(db, key, o);
      } finally {
        key.fill(0);
        job.key.fill(0);
      }
    }
    db.pragma(`cache_size = -${job.cacheKib}`);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** An error as a worker reports it to the main thread. */
export function errorFields(e: unknown): { message: string; code: string } {
  return { message: e instanceof Error ? e.message : String(e), code: (e as { code?: string }).code ?? 'ERROR' };
}

/** The transfer list that moves `data`'s memory to the other thread: only a buffer it fills whole (else it is copied). */
export function movable(data: Uint8Array): ArrayBuffer[] {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? [data.buffer as ArrayBuffer] : [];
}
