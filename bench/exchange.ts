/**
 * Bench (h): exchange packages between offices (issue 10), on encrypted ledger files.
 *  1. Export of EXCH_RECORDS records (problems with one task each, through the services) and
 *     EXCH_EVIDENCE_MB of evidence files (EXCH_FILE_MB each) from an inspected unit to the
 *     inspection office, against raw ChaCha20-Poly1305 over the same number of bytes in this
 *     process (the cipher alone): MB/s and the ratio; peak RSS while exporting (in a fresh process).
 *  2. Import of that package at the inspection office (a fresh process): time and peak RSS; and the import of a
 *     package with the same records but no files (a fresh process on a fresh copy of the receiving
 *     ledger), against a raw prepared INSERT of the same rows into another copy (target ≤ 2×).
 * Each export run is followed by the disk alone writing as many bytes into the same folder (flushed as
 * the package writer flushes), and by the same export into memory (tmpfs, /dev/shm) where the disk
 * cannot be what it waits for.
 * The export, the records import and the raw INSERT run RUNS times each, in turn, and their medians
 * are compared (this machine's speed varies by up to 40% between runs: one run of each decided
 * by chance whether a target was met); every run's figure is kept in the results.
 *  3. Aggregation: the inspection office imports EXCH_UNITS unit packages of EXCH_UNIT_PROBLEMS
 *     problems each: time per package, then the whole-ledger queries.
 * Defaults are the issue's sizes (100,000 records, 1 GB of files, 200 × 1,000); EXCH_* shrink them.
 * Results also in bench/out/exchange.json. Run: tsx bench/exchange.ts (npm run bench runs it too).
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, fdatasyncSync, fsyncSync, mkdirSync, openSync, rmSync, statSync, statfsSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixedClock } from '../db/core/clock.js';
import type { ActingUser, ServiceContext } from '../db/core/context.js';
import { inTransaction } from '../db/core/context.js';
import { uuidv7Source } from '../db/core/ids.js';
import { openLedger, type Ledger } from '../db/core/open.js';
import { insertRow } from '../db/core/write.js';
import { storeBlob } from '../db/core/blobs.js';
import type { OfficeKind } from '../db/domain/enums.js';
import { exportPackage, importPackage } from '../db/exchange/transfer.js';
import { listProblems, countProblems } from '../db/queries/problem-list.js';
import { evidence } from '../db/schema/index.js';
import { login, setupLedger } from '../db/services/office.js';
import { addPartner, exportCard } from '../db/services/partners.js';
import { createProblem } from '../db/services/problems.js';
import { createTask } from '../db/services/tasks.js';
import { fxInspection, fxRound, fxUnit, categoryId } from '../test/helpers/fixtures.js';
import { inChild } from './exchange-child.js';
import { readRows, timedInsert, type TableRows } from './raw-insert.js';
import { round, summarize } from './stats.js';

const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');
const env = (k: string, d: number) => Number(process.env[k] ?? d);
const RECORDS = env('EXCH_RECORDS', 100_000);
const EVIDENCE_MB = env('EXCH_EVIDENCE_MB', 1024);
const FILE_MB = env('EXCH_FILE_MB', 16);
const UNITS = env('EXCH_UNITS', 200);
const UNIT_PROBLEMS = env('EXCH_UNIT_PROBLEMS', 1000);
const PASSWORD = 'bench-jiaohuan-2024';
/** Runs of the export, the records import and the raw INSERT (medians compared). */
const RUNS = env('EXCH_RUNS', 3);

interface Office { ledger: Ledger; ctx: ServiceContext; id: string; path: string; key: Buffer }

function office(dir: string, name: string, kind: OfficeKind, clock: ReturnType<typeof fixedClock>): Office {
  const path = join(dir, `${name}.sqlite`);
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
  const key = randomBytes(32);
  const ledger = openLedger(path, { key });
  const ids = uuidv7Source(() => clock.now());
  const as = (user: ActingUser | null): ServiceContext => ({ ledger, clock, ids, user });
  const { officeId } = setupLedger(as(null), { officeName: name, officeKind: kind, level: 'province', adminUsername: 'admin', adminDisplayName: '管理员', adminPassword: PASSWORD });
  return { ledger, ctx: as(login(as(null), { username: 'admin', password: PASSWORD })), id: officeId, path, key };
}

function confirmBoth(a: Office, b: Office): void {
  const ca = exportCard(a.ctx);
  const cb = exportCard(b.ctx);
  addPartner(b.ctx, { card: ca.text, fingerprint: ca.fingerprint });
  addPartner(a.ctx, { card: cb.text, fingerprint: cb.fingerprint });
}

/** The cipher alone: ChaCha20-Poly1305 over `bytes` in 64 KiB chunks (age's STREAM chunk size). */
function rawCipherMbPerS(bytes: number): number {
  const key = randomBytes(32);
  const chunk = randomBytes(64 * 1024);
  const t0 = performance.now();
  for (let done = 0, n = 0; done < bytes; done += chunk.length, n++) {
    const nonce = Buffer.alloc(12);
    nonce.writeUInt32BE(n, 7);
    const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
    c.update(chunk);
    c.final();
    c.getAuthTag();
  }
  return bytes / 2 ** 20 / ((performance.now() - t0) / 1000);
}

/**
 * The disk alone: `bytes` written sequentially into `dir` in 1 MiB writes, flushed (fdatasync) every
 * 64 MiB and at the end, as the package writer does: the most any export into that folder can reach.
 */
function rawDiskMbPerS(dir: string, bytes: number): number {
  const path = join(dir, 'disk-baseline.bin');
  const piece = randomBytes(2 ** 20);
  spawnSync('sync');
  const t0 = performance.now();
  const fd = openSync(path, 'w');
  try {
    for (let done = 0, since = 0; done < bytes; done += piece.length, since += piece.length) {
      writeSync(fd, piece);
      if (since >= 64 * 2 ** 20) {
        fdatasyncSync(fd);
        since = 0;
      }
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  const mbs = bytes / 2 ** 20 / ((performance.now() - t0) / 1000);
  rmSync(path, { force: true });
  return mbs;
}

/** The inspection office sends a round, a unit and its inspection down; returns their ids. */
async function sendBase(insp: Office, unit: Office, dir: string, n = 1) {
  const base = inTransaction(insp.ctx, () => {
    const rd = fxRound(insp.ctx);
    const us = Array.from({ length: n }, (_, i) => {
      const u = fxUnit(insp.ctx, { name: `某某集团第${i + 1}子公司` });
      const { inspection, feedback } = fxInspection(insp.ctx, { roundId: rd.id, unitId: u.id });
      return { unit: u, inspection, feedback };
    });
    return { round: rd, units: us };
  });
  await importPackage(unit.ctx, (await exportPackage(insp.ctx, { partnerId: unit.id, dir, full: true })).path);
  return base;
}

function fileProblems(unit: Office, base: { round: { id: string }; unit: { id: string }; inspection: { id: string }; feedback: { id: string } }, n: number, tag: string): void {
  const cat = categoryId(unit.ctx, '廉洁风险');
  for (let s = 0; s < n; s += 1000) {
    inTransaction(unit.ctx, () => {
      for (let k = s; k < Math.min(n, s + 1000); k++) {
        const p = createProblem(unit.ctx, {
          unitId: base.unit.id, roundId: base.round.id, inspectionId: base.inspection.id, feedbackId: base.feedback.id, categoryId: cat,
          description: `${tag}：落实全面从严治党主体责任不够到位，第${k + 1}项问题的具体表现和整改要求。`,
        });
        createTask(unit.ctx, { problemId: p.id, measures: `制定专项整改方案，明确责任和时限（第${k + 1}项）。`, term: 'concentrated', deadline: '2025-06-30' });
      }
    });
  }
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  // EXCH_DIR: somewhere else for the ledgers and packages (two runs must not share a folder).
  const dir = process.env.EXCH_DIR ?? join(OUT, 'exchange');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const clock = fixedClock('2024-09-01');
  const log = (s: string) => console.log(`[exchange] ${s}`);

  // 1–2. One unit, RECORDS records (problems + tasks), EVIDENCE_MB of files.
  const insp = office(dir, 'inspection', 'inspection_office', clock);
  const unit = office(dir, 'unit', 'inspected_unit', clock);
  confirmBoth(insp, unit);
  const base = await sendBase(insp, unit, dir);
  const b0 = base.units[0]!;
  const problems = Math.floor(RECORDS / 2);
  log(`unit files ${problems} problems + ${problems} tasks…`);
  fileProblems(unit, { round: base.round, unit: b0.unit, inspection: b0.inspection, feedback: b0.feedback }, problems, '单位');
  // Records-only package first (the import comparison with raw INSERT), then the files.
  log('export without files…');
  const recOnly = await exportPackage(unit.ctx, { partnerId: insp.id, dir });
  const files = Math.round(EVIDENCE_MB / FILE_MB);
  log(`unit attaches ${files} files of ${FILE_MB} MB…`);
  const someTask = (unit.ledger.sqlite.prepare('SELECT id FROM tasks LIMIT 1').get() as { id: string }).id;
  for (let i = 0; i < files; i++) {
    const bytes = randomBytes(FILE_MB * 2 ** 20);
    const sha = createHash('sha256').update(bytes).digest('hex');
    inTransaction(unit.ctx, () => {
      storeBlob(unit.ledger, sha, bytes, new Date(clock.now()).toISOString());
      insertRow(unit.ctx, evidence, { ownerType: 'task', ownerId: someTask, sha256: sha, fileName: `佐证材料${i + 1}.pdf`, mimeType: 'application/pdf', size: bytes.length, formedOn: '2024-08-30', description: null });
    });
  }
  // Two copies of the receiver before any import: one imports the records-only package, one takes
  // the raw INSERT of the same rows.
  const copyOfInsp = join(dir, 'inspection-copy.sqlite');
  const rawPath = join(dir, 'raw.sqlite');
  insp.ledger.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  insp.ledger.sqlite.prepare('VACUUM INTO ?').run(copyOfInsp);
  insp.ledger.sqlite.prepare('VACUUM INTO ?').run(rawPath);

  // The export and the import with files each run alone in a fresh process (bench/exchange-child.ts):
  // their peak RSS is the operation's, not this benchmark's, which holds what it built so far.
  const at = new Date(clock.now()).toISOString();
  for (const o of [unit, insp]) {
    o.ledger.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    o.ledger.close();
  }
  const exportJob = { op: 'export' as const, ledger: unit.path, keyHex: unit.key.toString('hex'), password: PASSWORD, partnerId: insp.id, dir, full: true, at };
  if (process.env.EXCH_KEEP) {
    // EXCH_KEEP=1: keep the folder and write the two child jobs (and a copy of the receiver before
    // the import) so that `tsx bench/exchange-child.ts "$(jq -c .export DIR/jobs.json)"` repeats one.
    copyFileSync(insp.path, join(dir, 'inspection-before.sqlite'));
    writeFileSync(join(dir, 'jobs.json'), JSON.stringify({ export: exportJob, import: { op: 'import', ledger: insp.path, keyHex: insp.key.toString('hex'), password: PASSWORD, at } }));
  }
  const exRuns: { ms: number; peakMb: number; baseMb: number; value: { bytes: number; path: string }; diskMbS: number; memMbS: number | null }[] = [];
  // The same export into memory (tmpfs), where the disk cannot be what it waits for: the engine's own speed.
  const shm = '/dev/shm';
  const memDir = existsSync(shm) && statfsSync(shm).bavail * statfsSync(shm).bsize > (EVIDENCE_MB + 512) * 2 ** 20 * 1.2 ? join(shm, `xz-bench-${process.pid}`) : null;
  for (let k = 1; k <= RUNS; k++) {
    log(`export with files (fresh process), run ${k} of ${RUNS}…`);
    const exC = inChild(exportJob);
    const value = exC.result as { bytes: number; path: string };
    // Each run writes a package of its own: all but the last go (a gigabyte each).
    if (exRuns.length) rmSync(exRuns.at(-1)!.value.path, { force: true });
    const diskMbS = rawDiskMbPerS(dir, value.bytes);
    let memMbS: number | null = null;
    if (memDir) {
      mkdirSync(memDir, { recursive: true });
      const m = inChild({ ...exportJob, dir: memDir });
      memMbS = (m.result as { bytes: number }).bytes / 2 ** 20 / (m.ms / 1000);
      rmSync(memDir, { recursive: true, force: true });
    }
    const run = { ms: exC.ms, peakMb: exC.peakRssMb, baseMb: exC.rssBeforeMb, value, diskMbS, memMbS };
    exRuns.push(run);
    const mbs = value.bytes / 2 ** 20 / (run.ms / 1000);
    log(`  ${round(value.bytes / 2 ** 20, 0)} MB in ${round(run.ms / 1000, 2)} s = ${round(mbs, 0)} MB/s (the disk alone ${round(diskMbS, 0)} MB/s: ${round(mbs / diskMbS, 2)}×)${memMbS ? `; into memory ${round(memMbS, 0)} MB/s` : ''}, RSS before ${run.baseMb} MB, peak ${run.peakMb} MB`);
  }
  const diskMbS = summarize(exRuns.map((r) => r.diskMbS)).median;
  const memRuns = exRuns.map((r) => r.memMbS).filter((x): x is number => x !== null);
  const memMbS = memRuns.length ? summarize(memRuns).median : null;
  const ex = { ...exRuns.at(-1)!, ms: summarize(exRuns.map((r) => r.ms)).median, peakMb: Math.max(...exRuns.map((r) => r.peakMb)) };
  const pkgMb = ex.value.bytes / 2 ** 20;
  const exportMbS = pkgMb / (ex.ms / 1000);
  const cipherMbS = rawCipherMbPerS(ex.value.bytes);
  log(`export ${round(pkgMb, 0)} MB: median ${round(ex.ms / 1000, 2)} s = ${round(exportMbS, 0)} MB/s (cipher alone ${round(cipherMbS, 0)} MB/s; the disk alone ${round(diskMbS, 0)} MB/s)${memMbS ? `, into memory ${round(memMbS, 0)} MB/s` : ''}, peak RSS ${ex.peakMb} MB (highest of ${RUNS})`);

  log('import with files (fresh process)…');
  const imC = inChild({ op: 'import', ledger: insp.path, keyHex: insp.key.toString('hex'), password: PASSWORD, path: ex.value.path, at });
  const im = { ms: imC.ms, peakMb: imC.peakRssMb, baseMb: imC.rssBeforeMb, value: imC.result as { preview: { counts: { new: number } } } };
  const importMbS = pkgMb / (im.ms / 1000);
  log(`import ${round(im.ms / 1000, 1)} s = ${round(importMbS, 0)} MB/s, RSS before ${im.baseMb} MB, peak ${im.peakMb} MB, new ${im.value.preview.counts.new}`);

  // Records only: the package without files into a fresh copy of the receiver as it was before
  // (a fresh process on the compiled engine, as the app runs it), then the raw INSERT of the rows
  // it wrote into another fresh copy (this process; the disk flushed first too); RUNS times, in turn.
  const fresh = (from: string, to: string) => {
    for (const x of ['', '-wal', '-shm']) rmSync(to + x, { force: true });
    copyFileSync(from, to);
    return to;
  };
  const riMs: number[] = [];
  const rawRuns: number[] = [];
  let importedRows: TableRows[] | null = null;
  for (let k = 1; k <= RUNS; k++) {
    const target = fresh(copyOfInsp, join(dir, 'inspection-records.sqlite'));
    const r = inChild({ op: 'import', ledger: target, keyHex: insp.key.toString('hex'), password: PASSWORD, path: recOnly.path, at });
    riMs.push(r.ms);
    if (!importedRows) {
      const recCopy = openLedger(target, { key: insp.key });
      importedRows = ['problems', 'tasks'].map((name) => readRows(recCopy.sqlite, name));
      recCopy.close();
    }
    const raw = openLedger(fresh(rawPath, join(dir, 'raw-run.sqlite')), { key: insp.key });
    rawRuns.push(timedInsert(raw.sqlite, importedRows));
    raw.close();
    log(`  run ${k} of ${RUNS}: import of ${recOnly.records} records ${round(r.ms / 1000, 2)} s; raw INSERT ${round(rawRuns.at(-1)! / 1000, 2)} s → ${round(r.ms / rawRuns.at(-1)!, 2)}×`);
  }
  const ri = { ms: summarize(riMs).median };
  const rawMs = summarize(rawRuns).median;
  const rowCount = importedRows!.reduce((n, x) => n + x.rows.length, 0);
  log(`import of ${recOnly.records} records: median ${round(ri.ms / 1000, 2)} s; raw INSERT of the same ${rowCount} rows median ${round(rawMs / 1000, 2)} s → ${round(ri.ms / rawMs, 2)}×`);

  // 3. Aggregation: UNITS unit offices, UNIT_PROBLEMS problems each, imported by one inspection office.
  const hub = office(dir, 'hub', 'inspection_office', clock);
  const agg: number[] = [];
  log(`aggregation: ${UNITS} units × ${UNIT_PROBLEMS} problems…`);
  const unitPkgs: string[] = [];
  for (let u = 0; u < UNITS; u++) {
    const uo = office(dir, `unit-${u}`, 'inspected_unit', clock);
    confirmBoth(hub, uo);
    const b = await sendBase(hub, uo, dir);
    const x = b.units[0]!;
    fileProblems(uo, { round: b.round, unit: x.unit, inspection: x.inspection, feedback: x.feedback }, UNIT_PROBLEMS, `单位${u + 1}`);
    unitPkgs.push((await exportPackage(uo.ctx, { partnerId: hub.id, dir })).path);
    uo.ledger.close();
    for (const s of ['', '-wal', '-shm']) rmSync(uo.path + s, { force: true });
    if ((u + 1) % 20 === 0) log(`  ${u + 1} unit ledgers written`);
  }
  for (const p of unitPkgs) {
    const t = performance.now();
    await importPackage(hub.ctx, p);
    agg.push(performance.now() - t);
  }
  const perPkg = summarize(agg);
  const q = (name: string, f: () => unknown) => {
    const ms: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      f();
      ms.push(performance.now() - t);
    }
    return { name, ms: summarize(ms).median };
  };
  const queries = [
    q('whole ledger, open + overdue, first page', () => listProblems(hub.ctx, { status: 'open', overdue: true, limit: 50 })),
    q('count of all problems', () => countProblems(hub.ctx, {})),
    q('one unit, first page', () => listProblems(hub.ctx, { unitId: (hub.ledger.sqlite.prepare('SELECT unit_id AS u FROM problems LIMIT 1').get() as { u: string }).u, limit: 50 })),
  ];
  const total = (hub.ledger.sqlite.prepare('SELECT count(*) AS n FROM problems').get() as { n: number }).n;
  log(`aggregation: ${UNITS} packages, median ${round(perPkg.median, 0)} ms each (max ${round(perPkg.max, 0)}), ${total} problems; ${queries.map((x) => `${x.name} ${round(x.ms, 1)} ms`).join('; ')}`);

  const result = {
    at: new Date().toISOString(), records: RECORDS, evidenceMb: EVIDENCE_MB,
    export: {
      packageMb: round(pkgMb, 0), seconds: round(ex.ms / 1000, 2), mbPerS: round(exportMbS, 0), cipherMbPerS: round(cipherMbS, 0), ratioToCipher: round(exportMbS / cipherMbS, 3),
      diskMbPerS: round(diskMbS, 0), ratioToDisk: round(exportMbS / diskMbS, 2), memoryMbPerS: memMbS === null ? null : round(memMbS, 0),
      peakRssMb: ex.peakMb, baseRssMb: ex.baseMb,
      runs: exRuns.map((r) => ({ seconds: round(r.ms / 1000, 2), mbPerS: round(pkgMb / (r.ms / 1000), 0), diskMbPerS: round(r.diskMbS, 0), memoryMbPerS: r.memMbS === null ? null : round(r.memMbS, 0), peakRssMb: r.peakMb })),
    },
    import: { seconds: round(im.ms / 1000, 1), mbPerS: round(importMbS, 0), peakRssMb: im.peakMb, baseRssMb: im.baseMb },
    importRecords: {
      records: recOnly.records, seconds: round(ri.ms / 1000, 2), rawSeconds: round(rawMs / 1000, 2), ratio: round(ri.ms / rawMs, 2), rows: rowCount,
      runs: riMs.map((m, i) => ({ seconds: round(m / 1000, 2), rawSeconds: round(rawRuns[i]! / 1000, 2), ratio: round(m / rawRuns[i]!, 2) })),
    },
    aggregation: { units: UNITS, problemsEach: UNIT_PROBLEMS, perPackageMs: perPkg, totalProblems: total, queries },
    sizes: { package: statSync(ex.value.path).size },
  };
  writeFileSync(join(OUT, 'exchange.json'), JSON.stringify(result, null, 2));
  hub.ledger.close();
  if (!process.env.EXCH_KEEP) rmSync(dir, { recursive: true, force: true });
  return result;
}

export { main as benchExchange };
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
