/**
 * Reads the evidence files of an export, in a worker thread with its own read-only connection
 * (db/exchange/blob-worker.ts) when the ledger is a file, so that SQLCipher's page decryption runs
 * beside the package's encryption on the main thread (bench (h): about half the time of a 1 GB
 * export went to reading the files out of the ledger). An in-memory ledger, or a worker that
 * cannot start (a packaging that cannot load it), reads on this thread instead: slower, same bytes.
 *
 * The caller asks for the file it is about to write and the one after it: at most two files are
 * held at a time (the one being encrypted and the one being read).
 */
import { Worker } from 'node:worker_threads';
import type { Ledger } from '../core/open.js';
import { readBlob } from '../core/blobs.js';
import type { BlobAnswer, BlobRequest, BlobWorkerData } from './blob-worker.js';

/** The worker's page cache: each file page is read once, a large cache would only hold memory. */
const WORKER_CACHE_KIB = 2048;

export interface BlobReader {
  /** The file's bytes, or null if the ledger has none with this SHA-256. */
  read(sha256: string): Promise<Uint8Array | null>;
  /** Stops the worker; pending reads are rejected. */
  close(): Promise<void>;
}

function workerScript(): { url: URL; execArgv: string[] } {
  // From source (tests, tsx) the worker is TypeScript too: load it through tsx.
  return import.meta.url.endsWith('.ts')
    ? { url: new URL('./blob-worker.ts', import.meta.url), execArgv: ['--import', 'tsx'] }
    : { url: new URL('./blob-worker.js', import.meta.url), execArgv: [] };
}

/** Reads on the calling thread, through the ledger's own connection. */
export function inThreadReader(ledger: Ledger): BlobReader {
  return {
    read: async (sha256) => readBlob(ledger, sha256),
    close: async () => undefined,
  };
}

interface Pending { sha256: string; resolve: (d: Uint8Array | null) => void; reject: (e: Error) => void }

export interface BlobReaderOptions {
  /** false: read on this thread even from a file. */
  useWorker?: boolean;
  /** What the worker opens instead of the ledger's own file and key (tests of the fall-back). */
  access?: { path: string; key: Uint8Array | null };
}

/**
 * A reader for `ledger`'s files: a worker if the ledger is a file (and `useWorker` is not false),
 * else on this thread. The worker starts at the first read.
 */
export function blobReader(ledger: Ledger, o: BlobReaderOptions = {}): BlobReader {
  const access = o.useWorker === false ? null : (o.access ?? ledger.readerAccess());
  if (!access) return inThreadReader(ledger);
  let worker: Worker | null = null;
  let fallback: BlobReader | null = null;
  let ready = false;
  let closed = false;
  let nextId = 0;
  const pending = new Map<number, Pending>();

  // A worker that never got ready: what was asked of it is read here instead.
  const fallBack = () => {
    fallback = inThreadReader(ledger);
    const waiting = [...pending.values()];
    pending.clear();
    worker?.terminate().catch(() => undefined);
    worker = null;
    for (const p of waiting) fallback.read(p.sha256).then(p.resolve, p.reject);
  };
  const failAll = (e: Error) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  const start = (): Worker | null => {
    if (worker || fallback) return worker;
    const script = workerScript();
    const data: BlobWorkerData = { ...access, cacheKib: WORKER_CACHE_KIB };
    try {
      worker = new Worker(script.url, { workerData: data, execArgv: script.execArgv });
    } catch {
      fallBack();
      return null;
    } finally {
      access.key?.fill(0);
    }
    worker.on('message', (m: BlobAnswer) => {
      if (m.type === 'ready') {
        ready = true;
        return;
      }
      if (m.type === 'error' && m.id < 0) {
        fallBack(); // the worker could not open the file: read it here
        return;
      }
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.type === 'blob') p.resolve(m.data);
      else p.reject(Object.assign(new Error(m.message), { code: m.code }));
    });
    worker.on('error', (e) => (ready ? failAll(e) : fallBack()));
    worker.on('exit', (code) => {
      worker = null;
      if (!ready && !fallback) fallBack();
      else failAll(new Error(`evidence reader stopped (exit code ${code})`));
    });
    return worker;
  };

  return {
    read(sha256) {
      if (closed) return Promise.reject(new Error('evidence reader closed'));
      const w = start();
      if (!w) return fallback!.read(sha256);
      return new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { sha256, resolve, reject });
        w.postMessage({ type: 'read', id, sha256 } satisfies BlobRequest);
      });
    },
    async close() {
      closed = true;
      const w = worker;
      worker = null;
      failAll(new Error('evidence reader closed'));
      if (w) await w.terminate();
    },
  };
}
