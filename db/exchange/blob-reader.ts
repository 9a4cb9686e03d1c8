/**
 * Reads the evidence files of an export, in a worker thread with its own read-only connection
 * (db/exchange/blob-worker.ts) when the ledger is a file, so that SQLCipher's page decryption runs
 * beside the package's encryption on the main thread (bench (h): about half the time of a 1 GB
 * export went to reading the files out of the ledger). An in-memory ledger, or a worker that
 * cannot start (a packaging that cannot load it), reads on this thread instead: slower, same bytes.
 *
 * Files come piece by piece (whole, or their 1 MiB pieces: db/core/blobs.ts), never whole: the
 * worker sends a piece only while it has credit, one credit given back for each piece consumed, so
 * at most WINDOW pieces wait between the threads whatever the files' sizes. The caller may ask for
 * the next file before the current one is read through: it is read ahead within the same window.
 */
import { Worker } from 'node:worker_threads';
import type { Ledger } from '../core/open.js';
import { blobPieces } from '../core/blobs.js';
import type { BlobAnswer, BlobRequest, BlobWorkerData } from './blob-worker.js';

/** The code of the worker's error for a file whose bytes do not hash to its name (db/exchange/blob-worker.ts). */
export const BLOB_DAMAGED = 'BLOB_DAMAGED';

/** The worker's page cache: each file page is read once, a large cache would only hold memory. */
const WORKER_CACHE_KIB = 2048;
/** Pieces (up to 1 MiB each) the worker may send ahead of what the caller has consumed, by default. */
const WINDOW = 4;

/** The ledger's bytes for this file do not hash to its SHA-256 (damaged or altered on disk). */
export class DamagedBlob extends Error {
  constructor(readonly sha256: string) {
    super(`evidence file ${sha256} does not match its SHA-256`);
  }
}

/** The ledger holds no file with this SHA-256 (deleted since it was cited). */
export class MissingBlob extends Error {
  constructor(readonly sha256: string) {
    super(`no evidence file ${sha256}`);
  }
}

/** One file asked for: its bytes piece by piece, in order; the iteration throws MissingBlob if the ledger has none with this SHA-256. */
export interface BlobRead extends AsyncIterable<Uint8Array> {
  /**
   * True when iterating it now would not wait for the reader: all of the file has arrived (or its
   * error). A file larger than the window never is before it is iterated. A reader on this thread
   * is always ready.
   */
  readonly ready: boolean;
}

export interface BlobReader {
  /** Asks for a file; files are read in the order asked, ahead of their iteration within the window. */
  read(sha256: string): BlobRead;
  /** Stops the worker; pending reads are rejected. */
  close(): Promise<void>;
}

/** A worker module of this folder (`name` without extension), as source under tsx (tests) or compiled. */
export function workerScript(name: string): { url: URL; execArgv: string[] } {
  // From source (tests, tsx) the worker is TypeScript too: load it through tsx.
  return import.meta.url.endsWith('.ts')
    ? { url: new URL(`./${name}.ts`, import.meta.url), execArgv: ['--import', 'tsx'] }
    : { url: new URL(`./${name}.js`, import.meta.url), execArgv: [] };
}

/** Reads on the calling thread, through the ledger's own connection (one file at a time: iterate each through before the next). */
export function inThreadReader(ledger: Ledger): BlobReader {
  async function* pieces(sha256: string) {
    const b = blobPieces(ledger, sha256);
    if (!b) throw new MissingBlob(sha256);
    yield* b.pieces;
  }
  return {
    read: (sha256) => ({ [Symbol.asyncIterator]: () => pieces(sha256), ready: true }),
    close: async () => undefined,
  };
}

/** One file being received from the worker. */
interface Incoming {
  sha256: string;
  pieces: Uint8Array[];
  end: boolean;
  error: Error | null;
  wake: (() => void) | null;
}

export interface BlobReaderOptions {
  /** false: read on this thread even from a file. */
  useWorker?: boolean;
  /** What the worker opens instead of the ledger's own file and key (tests of the fall-back). */
  access?: { path: string; key: Uint8Array | null };
  /** Pieces (up to 1 MiB each) read ahead of what has been consumed, across the files asked for (default 4). */
  window?: number;
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
  const window = o.window ?? WINDOW;
  const incoming = new Map<number, Incoming>();
  const wake = (f: Incoming) => {
    const w = f.wake;
    f.wake = null;
    w?.();
  };

  // A worker that never got ready: what was asked of it is read here instead (no piece came yet).
  const fallBack = () => {
    fallback = inThreadReader(ledger);
    worker?.terminate().catch(() => undefined);
    worker = null;
    for (const f of incoming.values()) wake(f);
  };
  const failAll = (e: Error) => {
    for (const f of incoming.values()) {
      f.error ??= e;
      wake(f);
    }
  };
  const start = (): Worker | null => {
    if (worker || fallback) return worker;
    const script = workerScript('blob-worker');
    const data: BlobWorkerData = { ...access, cacheKib: WORKER_CACHE_KIB };
    try {
      worker = new Worker(script.url, { workerData: data, execArgv: script.execArgv });
    } catch {
      fallBack();
      return null;
    } finally {
      access.key?.fill(0);
    }
    worker.postMessage({ type: 'more', n: window } satisfies BlobRequest);
    worker.on('message', (m: BlobAnswer) => {
      if (m.type === 'ready') {
        ready = true;
        return;
      }
      if (m.type === 'error' && m.id < 0) {
        fallBack(); // the worker could not open the file: read it here
        return;
      }
      const f = incoming.get(m.id);
      if (!f) {
        // A file given up on (its reader stopped early): the credit comes back all the same.
        if (m.type === 'piece') worker?.postMessage({ type: 'more', n: 1 } satisfies BlobRequest);
        return;
      }
      if (m.type === 'piece') f.pieces.push(m.data);
      else if (m.type === 'end') f.end = true;
      else if (m.type === 'missing') f.error = new MissingBlob(f.sha256);
      else if (m.code === BLOB_DAMAGED) f.error = new DamagedBlob(f.sha256);
      else f.error = Object.assign(new Error(m.message), { code: m.code });
      wake(f);
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
      if (closed) throw new Error('evidence reader closed');
      const w = start();
      if (!w) return fallback!.read(sha256);
      const id = nextId++;
      const f: Incoming = { sha256, pieces: [], end: false, error: null, wake: null };
      incoming.set(id, f);
      w.postMessage({ type: 'read', id, sha256 } satisfies BlobRequest);
      const pieces = (async function* () {
        try {
          for (;;) {
            const piece = f.pieces.shift();
            if (piece) {
              worker?.postMessage({ type: 'more', n: 1 } satisfies BlobRequest);
              yield piece;
              continue;
            }
            if (f.error) throw f.error;
            if (f.end) return;
            if (fallback) {
              yield* fallback.read(sha256);
              return;
            }
            await new Promise<void>((resolve) => (f.wake = resolve));
          }
        } finally {
          // Pieces left unread give their credit back (the file was given up on).
          if (f.pieces.length > 0) {
            worker?.postMessage({ type: 'more', n: f.pieces.length } satisfies BlobRequest);
            f.pieces = [];
          }
          incoming.delete(id);
        }
      })();
      const read: BlobRead = {
        [Symbol.asyncIterator]: () => pieces,
        get ready() {
          return f.end || f.error !== null || fallback !== null;
        },
      };
      return read;
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
