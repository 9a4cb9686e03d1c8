/**
 * The worker thread that reads the records of an export out of the ledger and frames them
 * (started by db/exchange/record-batches.ts): its own read-only connection on the same file, the
 * same stream as the main thread would read (db/exchange/changes.ts streamFrom, at the version
 * the export fixed), framed by the same code. The data key arrives in workerData (a structured
 * clone, never on a command line or in a file) and is zeroed once the connection is keyed. A batch
 * goes out only while the main thread has given credit; at the end, the tally and the offices the
 * records name.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { applyKey } from '../core/cipher.js';
import { streamFrom, type ChangeSource } from './changes.js';
import { recordFrames, type ChangesAnswer, type ChangesRequest, type ChangesWorkerData, type Tally } from './record-batches.js';

const port = parentPort!;
const job = workerData as ChangesWorkerData;
let db: Database.Database | null = null;
const fail = (e: unknown) => port.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e), code: (e as { code?: string }).code ?? 'ERROR' } satisfies ChangesAnswer);
try {
  db = new Database(job.path, { readonly: true, fileMustExist: true });
  if (job.key) {
    const key = Buffer.from(job.key);
    applyKey(db, key);
    key.fill(0);
    job.key.fill(0);
  }
  db.pragma(`cache_size = -${job.cacheKib}`);
  const sqlite = db;
  const cache = new Map<string, Database.Statement>();
  const source: ChangeSource = {
    ledger: {
      prepare(sql) {
        let s = cache.get(sql);
        if (!s) cache.set(sql, (s = sqlite.prepare(sql)));
        return s;
      },
    },
  };
  const { only, ...rest } = job.options;
  const stream = streamFrom(source, { ...rest, only: only ? new Map(only.map(([t, ids]) => [t, new Set(ids)])) : null });
  const tally: Tally = { records: 0, tables: {} };
  const batches = recordFrames(stream.records, tally);
  let credit = 0;
  let done = false;
  const pump = () => {
    try {
      while (credit > 0 && !done) {
        const r = batches.next();
        if (r.done) {
          done = true;
          port.postMessage({ type: 'end', tally, officeIds: [...stream.officeIds] } satisfies ChangesAnswer);
          return;
        }
        credit--;
        const b = r.value;
        const frames = b.frames;
        const whole = frames.byteOffset === 0 && frames.byteLength === frames.buffer.byteLength;
        port.postMessage({ type: 'batch', ...b } satisfies ChangesAnswer, whole ? [frames.buffer as ArrayBuffer] : []);
      }
    } catch (e) {
      done = true;
      fail(e);
    }
  };
  port.on('message', (m: ChangesRequest) => {
    credit += m.n;
    pump();
  });
  port.postMessage({ type: 'ready' } satisfies ChangesAnswer);
} catch (e) {
  db?.close();
  fail(e);
}
