/**
 * The worker thread of backups (started by db/backup/run.ts): the long synchronous SQLite work —
 * VACUUM INTO of the whole ledger, integrity_check, the audit chain walk, the SHA-256 — runs here so
 * the main process (Electron's, which also answers the window) never blocks on it.
 *
 * The data key arrives in workerData (a structured-clone copy, never on a command line or in a
 * file) and is zeroed when the job ends. The worker opens its own connections: SQLite connections
 * are not shared between threads.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorCode } from './errors.js';
import { inspectFile, openKeyed, sha256File, writeVerifiedCopy } from './inspect.js';
import { DomainError } from '../domain/errors.js';

export type WorkerJob =
  | { job: 'backup'; source: string; dest: string; key: Uint8Array }
  | { job: 'inspect'; file: string; key: Uint8Array; integrity: boolean; writable: boolean; sha256: boolean };

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'phase'; phase: 'copy' | 'verify' }
  | { type: 'done'; result: unknown }
  | { type: 'error'; error: SerializedError };

export interface SerializedError {
  message: string;
  code: string;
  domain: { code: DomainError['code']; reason: string | null } | null;
}

export function serializeError(e: unknown): SerializedError {
  return {
    message: e instanceof Error ? e.message : String(e),
    code: errorCode(e),
    domain: e instanceof DomainError ? { code: e.code, reason: e.reason ?? null } : null,
  };
}

/** Run one job synchronously (also used in-thread when no worker can start). */
export function runJob(j: WorkerJob, post: (m: WorkerMessage) => void): unknown {
  const key = Buffer.from(j.key.buffer, j.key.byteOffset, j.key.byteLength);
  try {
    if (j.job === 'backup') {
      const src = openKeyed(j.source, key);
      try {
        return writeVerifiedCopy(src, j.dest, key, (phase) => post({ type: 'phase', phase }));
      } finally {
        src.close();
      }
    }
    // The hash first: a backup whose bytes differ from its manifest is damaged, whatever SQLite
    // would make of it (a flipped byte on page 1 looks like a wrong key to SQLite).
    const sha256 = j.sha256 ? sha256File(j.file) : null;
    try {
      return { inspection: inspectFile(j.file, key, { integrity: j.integrity, writable: j.writable }), sha256, refusal: null };
    } catch (e) {
      if (e instanceof DomainError && (e.reason === 'not_this_key' || e.reason === 'file_damaged')) return { inspection: null, sha256, refusal: e.reason };
      throw e;
    }
  } finally {
    key.fill(0);
  }
}

if (parentPort && workerData && typeof workerData === 'object' && 'job' in workerData) {
  const port = parentPort;
  port.postMessage({ type: 'ready' } satisfies WorkerMessage);
  try {
    const result = runJob(workerData as WorkerJob, (m) => port.postMessage(m));
    port.postMessage({ type: 'done', result } satisfies WorkerMessage);
  } catch (e) {
    port.postMessage({ type: 'error', error: serializeError(e) } satisfies WorkerMessage);
  }
}
