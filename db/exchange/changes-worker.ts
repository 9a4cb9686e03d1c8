/**
 * The worker thread that reads the records of an export out of the ledger and frames them
 * (started by db/exchange/record-batches.ts): its own read-only connection on the same file, the
 * same stream as the main thread would read (db/exchange/changes.ts streamFrom, at the version
 * the export fixed), framed by the same code. The data key arrives in workerData (a structured
 * clone, never on a command line or in a file) and is zeroed once the connection is keyed. A batch
 * goes out only while the main thread has given credit; at the end, the tally and the offices the
 * records name.
 */
import type Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { statementCache } from '../core/open.js';
import { streamFrom } from './changes.js';
import { recordFrames, type ChangesAnswer, type ChangesRequest, type ChangesWorkerData, type Tally } from './record-batches.js';
import { errorFields, movable, openWorkerConnection } from './worker-connection.js';

const port = parentPort!;
const job = workerData as ChangesWorkerData;
let db: Database.Database | null = null;
const fail = (e: unknown) => port.postMessage({ type: 'error', ...errorFields(e) } satisfies ChangesAnswer);
try {
  db = openWorkerConnection(job);
  const { only, ...rest } = job.options;
  const stream = streamFrom({ ledger: statementCache(db) }, { ...rest, only: only ? new Map(only.map(([t, ids]) => [t, new Set(ids)])) : null });
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
        port.postMessage({ type: 'batch', ...r.value } satisfies ChangesAnswer, movable(r.value.frames));
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
