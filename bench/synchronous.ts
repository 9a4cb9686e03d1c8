/**
 * tsx bench/synchronous.ts: what PRAGMA synchronous = FULL costs against NORMAL on an encrypted
 * WAL ledger (the pragmas of db/core/open.ts, then synchronous set for the run).
 *
 * In WAL mode, NORMAL syncs the WAL only at checkpoints: a process crash loses nothing, but a
 * power loss or OS crash can lose the last commits (never corrupts). FULL syncs the WAL at every
 * commit, so a commit that returned survives a power loss too. The cost is one fsync per commit;
 * this measures it on the app's own unit of work:
 *  (a) SYNC_TX (2,000) small service transactions, each one problem + one task in its own
 *      transaction (as one user action commits one);
 *  (b) SYNC_UPLOADS (20) evidence uploads of 2 MB, each its own transaction.
 * SYNC_REPS (3) repetitions, the order of the two settings alternating; medians reported.
 * Files go to bench/out/ (the project's disk) unless SYNC_DIR says otherwise. Results also in
 * bench/out/synchronous.json.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../db/core/clock.js';
import type { ServiceContext } from '../db/core/context.js';
import { inTransaction } from '../db/core/context.js';
import { uuidv7Source } from '../db/core/ids.js';
import { openLedger } from '../db/core/open.js';
import { addEvidence } from '../db/services/evidence.js';
import { createProblem } from '../db/services/problems.js';
import { createTask } from '../db/services/tasks.js';
import { copyLedger, createCrashLedger, removeLedger, type CrashSetup } from '../test/crash/trial.js';
import { round, summarize, table } from './stats.js';

const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');
type Mode = 'NORMAL' | 'FULL';

interface Run { mode: Mode; rep: number; txMs: number; uploadMs: number }

function runOnce(template: string, path: string, key: Buffer, setup: CrashSetup, mode: Mode, n: number, uploads: string[]): { txMs: number; uploadMs: number } {
  copyLedger(template, path);
  const ledger = openLedger(path, { key });
  try {
    ledger.sqlite.pragma(`synchronous = ${mode}`);
    const got = ledger.sqlite.pragma('synchronous', { simple: true });
    if (got !== (mode === 'FULL' ? 2 : 1)) throw new Error(`synchronous is ${String(got)}, wanted ${mode}`);
    if (ledger.sqlite.pragma('journal_mode', { simple: true }) !== 'wal') throw new Error('not in WAL mode');
    const ctx: ServiceContext = { ledger, clock: systemClock, ids: uuidv7Source(), user: setup.user };
    const today = systemClock.today();
    let firstTask = '';
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      inTransaction(ctx, () => {
        const p = createProblem(ctx, {
          unitId: setup.unitId, roundId: setup.roundId, categoryId: setup.categoryId,
          description: `落实全面从严治党主体责任不够到位（第${i + 1}项）。`,
        });
        const t = createTask(ctx, { problemId: p.id, measures: '制定专项整改方案，明确责任和时限。', term: 'immediate', deadline: '2099-06-30' });
        if (!firstTask) firstTask = t.id;
      });
    }
    const txMs = performance.now() - t0;
    const t1 = performance.now();
    uploads.forEach((dataBase64, k) => {
      addEvidence(ctx, {
        ownerType: 'task', ownerId: firstTask, fileName: `材料${k + 1}.pdf`, mimeType: 'application/pdf', formedOn: today, dataBase64,
      });
    });
    const uploadMs = performance.now() - t1;
    return { txMs, uploadMs };
  } finally {
    ledger.close();
    removeLedger(path);
  }
}

function main() {
  const n = Number(process.env.SYNC_TX ?? 2000);
  const reps = Number(process.env.SYNC_REPS ?? 3);
  const uploadCount = Number(process.env.SYNC_UPLOADS ?? 20);
  const dir = process.env.SYNC_DIR ?? OUT;
  mkdirSync(dir, { recursive: true });
  const template = join(dir, 'sync-template.sqlite');
  const path = join(dir, 'sync-run.sqlite');
  const key = randomBytes(32);
  const setup = createCrashLedger(template, key);
  // Each upload its own random 2 MB file (the store is content-addressed: equal files are stored once).
  const uploads = Array.from({ length: uploadCount }, () => randomBytes(2 * 1024 * 1024).toString('base64'));
  console.log(`[synchronous] ${n} transactions (1 problem + 1 task each) and ${uploadCount} uploads of 2 MB, `
    + `${reps} repetitions, encrypted WAL ledger in ${dir}; ${cpus().length} cores, Node ${process.version}`);
  // Warm-up (module loading, statement preparation, page cache) outside the measurement.
  runOnce(template, path, key, setup, 'NORMAL', Math.min(200, n), uploads.slice(0, 2));
  const runs: Run[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const order: Mode[] = rep % 2 === 0 ? ['NORMAL', 'FULL'] : ['FULL', 'NORMAL'];
    for (const mode of order) {
      const r = runOnce(template, path, key, setup, mode, n, uploads);
      runs.push({ mode, rep, ...r });
      console.log(`  rep ${rep + 1} ${mode.padEnd(6)}: ${n} transactions ${round(r.txMs, 0)} ms (${round(r.txMs / n, 3)} ms each); `
        + `${uploadCount} uploads ${round(r.uploadMs, 0)} ms (${round(r.uploadMs / Math.max(1, uploadCount), 1)} ms each)`);
    }
  }
  removeLedger(template);
  const of = (mode: Mode, f: (r: Run) => number) => summarize(runs.filter((r) => r.mode === mode).map(f)).median;
  const normalTx = of('NORMAL', (r) => r.txMs);
  const fullTx = of('FULL', (r) => r.txMs);
  const normalUp = of('NORMAL', (r) => r.uploadMs);
  const fullUp = of('FULL', (r) => r.uploadMs);
  const per = (ms: number, k: number) => round(ms / Math.max(1, k), 3);
  const result = {
    date: new Date().toISOString(), node: process.version, cores: cpus().length, dir, transactions: n, uploads: uploadCount, reps, runs,
    small: {
      normalMs: normalTx, fullMs: fullTx, normalPerCommitMs: per(normalTx, n), fullPerCommitMs: per(fullTx, n),
      extraPerCommitMs: per(fullTx - normalTx, n), ratio: round(fullTx / normalTx, 2),
    },
    upload2mb: {
      normalMs: normalUp, fullMs: fullUp, normalPerCommitMs: per(normalUp, uploadCount), fullPerCommitMs: per(fullUp, uploadCount),
      extraPerCommitMs: per(fullUp - normalUp, uploadCount), ratio: round(fullUp / normalUp, 2),
    },
  };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'synchronous.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log('');
  console.log(table(['work (median of ' + reps + ')', 'NORMAL', 'FULL', 'per commit NORMAL → FULL', 'FULL / NORMAL'], [
    [`${n} × (1 problem + 1 task), one transaction each`, `${normalTx} ms`, `${fullTx} ms`,
      `${result.small.normalPerCommitMs} → ${result.small.fullPerCommitMs} ms (+${result.small.extraPerCommitMs})`, result.small.ratio],
    [`${uploadCount} × 2 MB evidence upload, one transaction each`, `${normalUp} ms`, `${fullUp} ms`,
      `${result.upload2mb.normalPerCommitMs} → ${result.upload2mb.fullPerCommitMs} ms (+${result.upload2mb.extraPerCommitMs})`, result.upload2mb.ratio],
  ]));
}

main();
