/**
 * The records of an export as framed batches (docs/exchange-format.md §4.4 entries, 256 KiB or so
 * each), read in a worker thread with its own read-only connection when the ledger is a file
 * (db/exchange/changes-worker.ts): reading the rows out of the encrypted ledger, building each
 * change and its JSON is then off the thread that encrypts and hashes the package (bench (h)). An
 * in-memory ledger, or a worker that cannot start, builds them on this thread: the same bytes.
 *
 * Flow control as for files (db/exchange/blob-reader.ts): the worker sends a batch only while it
 * has credit, one credit given back for each batch consumed, so at most WINDOW batches wait.
 */
import { Worker } from 'node:worker_threads';
import type { Ledger } from '../core/open.js';
import { workerScript } from './blob-reader.js';
import type { ChangeStream, RecordChange, StreamOptions } from './changes.js';
import { jsonFrame } from './package/index.js';
import type { WorkerConnectionData } from './worker-connection.js';

/** What the header counts: records per table (and tombstones among them). */
export type Tally = { records: number; tables: Record<string, { records: number; deleted: number }> };

/** `count` records framed one after the other; the files the evidence among them cites. */
export interface RecordBatch {
  frames: Uint8Array;
  count: number;
  evidence: string[];
}

/** A batch is closed once its frames reach this size. */
const BATCH_BYTES = 256 * 1024;
/**
 * Batches the worker may send ahead of what has been consumed: enough for it to go on while this
 * thread writes a 16 MB file (about 30 ms) between two batches.
 */
const WINDOW = 10;

/** The stream's records framed into batches, counted into `tally`. */
export function* recordFrames(records: Iterable<RecordChange>, tally: Tally): Generator<RecordBatch> {
  let parts: Buffer[] = [];
  let bytes = 0;
  let evidence: string[] = [];
  for (const c of records) {
    const t = (tally.tables[c.table] ??= { records: 0, deleted: 0 });
    t.records++;
    tally.records++;
    if (c.deleted) t.deleted++;
    if (c.table === 'evidence' && typeof c.row.sha256 === 'string') evidence.push(c.row.sha256);
    const frame = jsonFrame({ t: 'record', ...c });
    parts.push(frame);
    bytes += frame.length;
    if (bytes >= BATCH_BYTES) {
      yield { frames: Buffer.concat(parts, bytes), count: parts.length, evidence };
      parts = [];
      bytes = 0;
      evidence = [];
    }
  }
  if (parts.length > 0) yield { frames: Buffer.concat(parts, bytes), count: parts.length, evidence };
}

/** The stream's options as they cross to the worker (plain data: `only` as arrays). */
export interface WireOptions extends Omit<StreamOptions, 'only' | 'tables'> {
  only: [string, string[]][] | null;
}

export interface ChangesWorkerData extends WorkerConnectionData { options: WireOptions }
export type ChangesRequest = { type: 'more'; n: number };
export type ChangesAnswer =
  | { type: 'ready' }
  | ({ type: 'batch' } & RecordBatch)
  | { type: 'end'; tally: Tally; officeIds: string[] }
  | { type: 'error'; message: string; code: string };

/** The worker's page cache: it reads each record page once; the main connection keeps its own. */
const WORKER_CACHE_KIB = 2048;
/** The worker's heap: its records are garbage as soon as framed; a small young generation keeps the process's peak down. */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 4 };

export interface RecordBatchOptions {
  /** false: build the batches on this thread even from a file. */
  useWorker?: boolean;
  /** What the worker opens instead of the ledger's own file and key (tests of the fall-back). */
  access?: { path: string; key: Uint8Array | null };
  /** Told once where the batches are built (tests). */
  onStart?: (where: 'worker' | 'this thread') => void;
}

/** The batches of an export, one at a time. */
export interface BatchSource {
  /** A batch (or the end) has arrived from the worker: take it before anything else. */
  readonly available: boolean;
  /** The next batch, or null at the end: `tally` and `stream.officeIds` are complete then. */
  next(): Promise<RecordBatch | null>;
  /** Stops the worker (at the end, or when the export is abandoned). */
  close(): void;
}

/** Built on this thread as they are asked for: never "waiting", so a file already read goes first. */
function inThread(stream: ChangeStream, tally: Tally): BatchSource {
  const it = recordFrames(stream.records, tally);
  return {
    available: false,
    next: async () => {
      const r = it.next();
      return r.done ? null : r.value;
    },
    close: () => undefined,
  };
}

/**
 * The batches of `stream`, from a worker reading `ledger`'s file when it can, else on this thread.
 * Once the source has said its end, `tally` and `stream.officeIds` are complete as if the stream
 * had been read here.
 */
export function recordBatches(ledger: Ledger, stream: ChangeStream, tally: Tally, o: RecordBatchOptions = {}): BatchSource {
  const access = o.useWorker === false ? null : (o.access ?? ledger.readerAccess());
  const here = () => {
    o.onStart?.('this thread');
    return inThread(stream, tally);
  };
  if (!access) return here();
  const { only, tables: _tables, ...rest } = stream.options;
  const options: WireOptions = { ...rest, only: only ? [...only].map(([t, ids]) => [t, [...ids]]) : null };
  const script = workerScript('changes-worker');
  let worker: Worker;
  try {
    worker = new Worker(script.url, { workerData: { ...access, cacheKib: WORKER_CACHE_KIB, options } satisfies ChangesWorkerData, execArgv: script.execArgv, resourceLimits: WORKER_LIMITS });
  } catch {
    return here();
  } finally {
    access.key?.fill(0);
  }
  const queue: ChangesAnswer[] = [];
  let failed: Error | null = null;
  let started = false;
  let fallback: BatchSource | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const stop = () => void worker.terminate().catch(() => undefined);
  worker.on('message', (m: ChangesAnswer) => {
    if (m.type === 'ready') {
      started = true;
      o.onStart?.('worker');
    } else if (m.type === 'error' && !started) {
      failed ??= new Error(m.message); // could not open the file: built here instead
    } else queue.push(m);
    notify();
  });
  worker.on('error', (e) => {
    failed ??= e;
    notify();
  });
  worker.on('exit', (code) => {
    failed ??= new Error(`records reader stopped (exit code ${code})`);
    notify();
  });
  worker.postMessage({ type: 'more', n: WINDOW } satisfies ChangesRequest);
  return {
    get available() {
      return fallback ? fallback.available : queue.length > 0 || failed !== null;
    },
    async next() {
      for (;;) {
        if (fallback) return fallback.next();
        const m = queue.shift();
        if (m?.type === 'batch') {
          worker.postMessage({ type: 'more', n: 1 } satisfies ChangesRequest);
          return { frames: m.frames, count: m.count, evidence: m.evidence };
        }
        if (m?.type === 'end') {
          // The worker counted every record (none was counted here): its tally is the export's.
          Object.assign(tally, m.tally);
          for (const id of m.officeIds) stream.officeIds.add(id);
          stop();
          return null;
        }
        if (m?.type === 'error') throw Object.assign(new Error(m.message), { code: m.code });
        if (failed) {
          if (started) throw failed;
          stop();
          fallback = here(); // never started (a packaging that cannot load it)
          continue;
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    close: stop,
  };
}
