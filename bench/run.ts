/**
 * npm run bench: one report on the console and in bench/out/results.json.
 *  (a) creating problems (+1 task each) through the services vs a raw prepared INSERT;
 *  (b) the problem list on a 1,000,000-problem ledger (built once, cached under bench/out/).
 *  (c) the same list in the browser preview;
 *  (d) the cost of encryption at rest: bulk creation and the list on encrypted files against plaintext ones;
 *  (e) a backup of the encrypted 1,000,000-problem ledger against `cp` of the same file;
 *  (f) synchronous=FULL against NORMAL (bench/synchronous.ts, run as a child process);
 *  (g) the 100-trial crash soak (bench/crash-soak.ts, run as a child process);
 *  (h) exchange packages: export/import of 100,000 records and 1 GB of files, aggregation of 200
 *      unit packages (bench/exchange.ts, run as a child process);
 *  (i) exchange fuzz: 10,000 mutated packages through the ledger's import, and the three-office
 *      merge property at 1,000 runs of 25–200 edits (bench/exchange-fuzz.ts, run as a child process;
 *      FUZZ_* shrink it).
 *  (j) Excel: a 100,000-row sheet imported (dry run, then import) against LibreOffice headless
 *      converting it to CSV, and 导出台账 of the same rows (bench/excel.ts, run as a child process).
 *  (k) a 1,000-row statutory 巡视整改台账 to PDF through the 法定台账 screen and Chromium's print engine
 *      against LibreOffice converting the same ledger's .xlsx to PDF (bench/print.ts, child process).
 * Options (environment): BENCH_PROBLEMS (scale size, default 1000000), BENCH_BULK (default 20000),
 * BENCH_SKIP=bulk|list|ui|enc|backup|sync|soak|exchange|fuzz|excel|print (ui needs list and a built renderer).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchBulk, type BulkResult } from './bulk.js';
import { benchList, ensureScaleLedger, type ListResult } from './list.js';
import { round, summarize, table } from './stats.js';
import { benchUi, type UiResult } from './ui.js';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { benchEncryptionBulk, benchEncryptionList, encryptedScaleCopy, ENCRYPTION_TARGETS, type EncryptionResult } from './encryption.js';
import { benchBackup, type BackupBench } from './backup.js';

const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');
const TARGETS = { bulkRatio: 0.4, listMedianMs: 20, uiFirstPageMs: 1000, uiFilterMs: 200, uiHeapMb: 300 };

async function main() {
  mkdirSync(OUT, { recursive: true });
  const skip = process.env.BENCH_SKIP ?? '';
  const problems = Number(process.env.BENCH_PROBLEMS ?? 1_000_000);
  const bulkN = Number(process.env.BENCH_BULK ?? 20_000);
  const log = (s: string) => console.log(s);
  const started = Date.now();
  let bulk: BulkResult | null = null;
  let list: ListResult | null = null;
  if (!skip.includes('bulk')) {
    log(`[bulk] ${bulkN} problems with one task each, engine then raw…`);
    bulk = benchBulk(OUT, bulkN, 1000, log);
  }
  if (!skip.includes('list')) list = benchList(OUT, { problems, tasksPerProblem: 2, seed: 1 }, log);
  let ui: UiResult | null = null;
  if (!skip.includes('ui') && list) {
    // The app's ledgers are encrypted: the page runs over the encrypted copy of the same ledger.
    log('[ui] problem list in the browser preview (Chromium), encrypted ledger…');
    ui = await benchUi(encryptedScaleCopy(list.file, log).path, log);
  }
  const enc: EncryptionResult = { bulk: null, list: null };
  if (!skip.includes('enc')) {
    enc.bulk = benchEncryptionBulk(OUT, bulkN, log);
    enc.list = benchEncryptionList(OUT, { problems, tasksPerProblem: 2, seed: 1 }, log);
  }
  let backup: BackupBench | null = null;
  if (!skip.includes('backup')) {
    const scale = ensureScaleLedger(OUT, { problems, tasksPerProblem: 2, seed: 1 }, log);
    backup = await benchBackup(encryptedScaleCopy(scale.path, log).path, OUT, log);
  }
  // The two child benchmarks write their own JSON; the report reads it back.
  const child = (script: string) => execFileSync(process.execPath, ['--import', 'tsx', script], { stdio: 'inherit', env: process.env });
  type SyncJson = { small: Record<string, number>; upload2mb: Record<string, number> };
  type SoakJson = { summary: Record<string, unknown> & { trials: number; failures: number; partialTransactions: number; committedTotal: number; totalSeconds: number } };
  let sync: SyncJson | null = null;
  if (!skip.includes('sync')) {
    log('[sync] synchronous FULL vs NORMAL…');
    child(join(dirname(fileURLToPath(import.meta.url)), 'synchronous.ts'));
    sync = JSON.parse(readFileSync(join(OUT, 'synchronous.json'), 'utf8')) as SyncJson;
  }
  let soak: SoakJson | null = null;
  if (!skip.includes('soak')) {
    log('[soak] 100 crash trials…');
    try {
      child(join(dirname(fileURLToPath(import.meta.url)), 'crash-soak.ts'));
    } catch {
      log('[soak] some trials FAILED (see above)');
    }
    soak = JSON.parse(readFileSync(join(OUT, 'crash-soak.json'), 'utf8')) as SoakJson;
  }
  type ExchangeJson = {
    export: { packageMb: number; seconds: number; mbPerS: number; cipherMbPerS: number; ratioToCipher: number; peakRssMb: number; baseRssMb: number };
    import: { seconds: number; mbPerS: number; peakRssMb: number; baseRssMb: number };
    importRecords: { records: number; seconds: number; rawSeconds: number; ratio: number };
    aggregation: { units: number; problemsEach: number; perPackageMs: { median: number; max: number }; totalProblems: number; queries: { name: string; ms: number }[] };
  };
  let exchange: ExchangeJson | null = null;
  if (!skip.includes('exchange')) {
    log('[exchange] packages between offices…');
    child(join(dirname(fileURLToPath(import.meta.url)), 'exchange.ts'));
    exchange = JSON.parse(readFileSync(join(OUT, 'exchange.json'), 'utf8')) as ExchangeJson;
  }
  type FuzzJson = {
    import: { runs: number; checked: number; seed: number; seconds: number; perPackageMs: number; refused: number; replayNoop: number; original: number; outcomes: Record<string, Record<string, number>>; structured: Record<string, string>; failures: number };
    merge: { runs: number; checked: number; minEdits: number; maxEdits: number; edits: number; seconds: number; perRunMs: { median: number; max: number }; failures: number };
  };
  let fuzz: FuzzJson | null = null;
  if (!skip.includes('fuzz')) {
    log('[fuzz] mutated packages through import; three-office merge…');
    const file = join(OUT, 'exchange-fuzz.json');
    rmSync(file, { force: true });
    try {
      child(join(dirname(fileURLToPath(import.meta.url)), 'exchange-fuzz.ts'));
    } catch {
      log('[fuzz] a property FAILED or the run stopped (see above)');
    }
    if (existsSync(file)) fuzz = JSON.parse(readFileSync(file, 'utf8')) as FuzzJson;
  }
  type ExcelJson = { rows: number; fileMb: number; libreOfficeCsvSeconds: number | null; dryRunSeconds: number; importSeconds: number; ratioToLibreOffice: number | null; export: { seconds: number; rowsPerSecond: number; peakRssMb: number; baseRssMb: number } };
  let excel: ExcelJson | null = null;
  if (!skip.includes('excel')) {
    log('[excel] a 100,000-row sheet in and out…');
    child(join(dirname(fileURLToPath(import.meta.url)), 'excel.ts'));
    excel = JSON.parse(readFileSync(join(OUT, 'excel.json'), 'utf8')) as ExcelJson;
  }
  type PrintJson = { rows: number; oursMs: number; oursPages: number; oursRunsMs: number[]; libreOfficeMs: number | null; libreOfficePages: number | null; libreOfficeRunsMs: number[]; ratio: number | null };
  let print: PrintJson | null = null;
  if (!skip.includes('print')) {
    log('[print] a 1,000-row 巡视整改台账 to PDF…');
    child(join(dirname(fileURLToPath(import.meta.url)), 'print.ts'));
    print = JSON.parse(readFileSync(join(OUT, 'print.json'), 'utf8')) as PrintJson;
  }
  const seconds = Math.round((Date.now() - started) / 1000);

  const lines: string[] = ['', `=== 巡视整改监督台账 bench — ${new Date().toISOString()} — node ${process.version}, ${cpus().length} cpu, ${Math.round(totalmem() / 2 ** 30)} GB ===`];
  if (bulk) {
    lines.push('', `(a) bulk creation: ${bulk.problems} problems + 1 task each, one transaction per ${bulk.perTransaction}`);
    lines.push(table(['path', 'seconds', 'problems/s', 'rows written', 'audit rows'], [
      ['engine (createProblem + createTask)', bulk.engine.seconds, bulk.engine.problemsPerSecond, bulk.engine.rowsWritten, bulk.engine.auditRows],
      ['raw prepared INSERT, same rows', bulk.raw.seconds, bulk.raw.problemsPerSecond, bulk.raw.rowsWritten, '-'],
    ]));
    lines.push(`ratio engine/raw = ${bulk.ratio} (target ≥ ${TARGETS.bulkRatio}: ${bulk.ratio >= TARGETS.bulkRatio ? 'met' : 'NOT met'})`);
    lines.push(`of the engine's time, argument validation (valibot schemas, the same ${2 * bulk.problems} arguments parsed alone): `
      + `${bulk.validation.seconds} s = ${Math.round(bulk.validation.shareOfEngine * 1000) / 10}% (${bulk.validation.microsecondsPerCall} µs per call)`);
  }
  if (list) {
    lines.push('', `(b) problem list on ${list.file.split('/').pop()} (${list.params.problems.toLocaleString('en-US')} problems, `
      + `${(list.params.problems * list.params.tasksPerProblem).toLocaleString('en-US')} tasks, ${list.fileMB} MB; `
      + `${list.built ? `built in ${list.buildSeconds} s` : 'cached'}; openLedger ${list.openMs} ms; ${list.units} units sampled)`);
    lines.push(table(['query', 'runs', 'median ms', 'p95 ms', 'max ms', 'rows'],
      list.cases.map((c) => [c.name, c.stats.runs, c.stats.median, c.stats.p95, c.stats.max, c.rows])));
    const main = list.cases[0]!;
    if (main.rawStats) {
      lines.push(`raw SQL of the same page: median ${main.rawStats.median} ms, p95 ${main.rawStats.p95} ms → engine/raw ${main.ratio}×`);
    }
    lines.push(`main list median ${main.stats.median} ms (target < ${TARGETS.listMedianMs} ms: ${main.stats.median < TARGETS.listMedianMs ? 'met' : 'NOT met'})`);
    lines.push('', 'query plans (EXPLAIN QUERY PLAN, inner page query):');
    for (const c of list.cases.filter((x) => x.plan)) lines.push(`  ${c.name}:`, ...c.plan!.map((d) => `      ${d}`));
  }
  if (ui) {
    const fp = summarize(ui.firstPageMs);
    const fpApi = summarize(ui.firstPageApiMs);
    const fl = summarize(ui.filterMs);
    const flApi = summarize(ui.filterApiMs);
    lines.push('', '(c) problem list in the browser preview (Chromium, 1366×768) on the encrypted copy of the same ledger; baseline: the same engine call by fetch from the page');
    lines.push(table(['measure', 'runs', 'median ms', 'max ms', 'baseline median ms', 'ratio', 'target'], [
      ['navigation → first page of rows', fp.runs, fp.median, fp.max, fpApi.median, Math.round((fp.median / fpApi.median) * 10) / 10, `< ${TARGETS.uiFirstPageMs} ms: ${fp.median < TARGETS.uiFirstPageMs ? 'met' : 'NOT met'}`],
      ['round filter change → new rows', fl.runs, fl.median, fl.max, flApi.median, Math.round((fl.median / flApi.median) * 10) / 10, `< ${TARGETS.uiFilterMs} ms: ${fl.median < TARGETS.uiFilterMs ? 'met' : 'NOT met'}`],
    ]));
    lines.push(`JS heap after scrolling ${ui.rowsScrolled} rows: ${ui.heapMbAfterScroll} MB (target < ${TARGETS.uiHeapMb} MB: ${ui.heapMbAfterScroll < TARGETS.uiHeapMb ? 'met' : 'NOT met'})`);
  }
  if (enc.bulk || enc.list) {
    lines.push('', '(d) encryption at rest (SQLCipher 3 format, 4096-byte pages) against plaintext, same work');
    const rows: (string | number)[][] = [];
    if (enc.bulk) {
      rows.push([`bulk creation, engine (${enc.bulk.plain.problems} problems + 1 task; median of ${enc.bulk.pairs.length} pairs: ${enc.bulk.pairs.map((x) => x.engine).join(', ')})`, enc.bulk.plain.engine.seconds, enc.bulk.encrypted.engine.seconds, enc.bulk.engineRatio, `≤ ${ENCRYPTION_TARGETS.bulkRatio}: ${enc.bulk.engineRatio <= ENCRYPTION_TARGETS.bulkRatio ? 'met' : 'NOT met'}`]);
      rows.push(['bulk creation, raw prepared INSERT', enc.bulk.plain.raw.seconds, enc.bulk.encrypted.raw.seconds, enc.bulk.rawRatio, '-']);
    }
    if (enc.list) {
      const mid = enc.list.pairs.find((x) => x.ratio === enc.list!.medianRatio)!;
      rows.push([`problem list, unit+open+overdue, median ms (both files read through; median of ${enc.list.pairs.length} pairs: ${enc.list.pairs.map((x) => x.ratio).join(', ')})`, mid.plainMedian, mid.encMedian, enc.list.medianRatio, `≤ ${ENCRYPTION_TARGETS.listRatio}: ${enc.list.medianRatio <= ENCRYPTION_TARGETS.listRatio ? 'met' : 'NOT met'}`]);
      rows.push(['problem list, same, p95 ms', mid.plainP95, mid.encP95, enc.list.p95Ratio, '-']);
      const a = enc.list.plain.cases[0]!.stats;
      const b = enc.list.encrypted.cases[0]!.stats;
      rows.push(['  the same, one run each before the read-through, median ms', a.median, b.median, round(b.median / a.median, 2), '-']);
      for (let i = 1; i < enc.list.plain.cases.length; i++) {
        const x = enc.list.plain.cases[i]!;
        const y = enc.list.encrypted.cases[i]!;
        rows.push([`  ${x.name}, median ms`, x.stats.median, y.stats.median, Math.round((y.stats.median / x.stats.median) * 100) / 100, '-']);
      }
      if (enc.list.encryptSeconds !== null) lines.push(`encrypted copy of the scale ledger made in ${enc.list.encryptSeconds} s (cached)`);
    }
    lines.push(table(['measure', 'plaintext', 'encrypted', 'encrypted/plaintext', 'target'], rows));
  }
  if (backup) {
    lines.push('', `(e) backup of the encrypted ${backup.fileMB} MB ledger (encrypted VACUUM INTO in a worker, then verified) vs cp of the same file`);
    lines.push(table(['path', 'seconds', 'MB/s'], [
      ['cp + sync', backup.cp.seconds, backup.cp.mbPerSecond],
      [`backup (copy ${backup.backup.copySeconds} s, the rest verification; backup file ${backup.backup.backupMB} MB)`, backup.backup.seconds, backup.backup.mbPerSecond],
    ]));
    lines.push(`backup speed / cp speed = ${backup.ratio}`);
  }
  if (sync) {
    lines.push('', '(f) synchronous=FULL (the app\'s choice) vs NORMAL, encrypted WAL ledger, medians');
    lines.push(table(['work', 'NORMAL ms/commit', 'FULL ms/commit', 'extra ms/commit', 'FULL/NORMAL'], [
      ['1 problem + 1 task, one transaction', sync.small.normalPerCommitMs!, sync.small.fullPerCommitMs!, sync.small.extraPerCommitMs!, sync.small.ratio!],
      ['2 MB evidence upload, one transaction', sync.upload2mb.normalPerCommitMs!, sync.upload2mb.fullPerCommitMs!, sync.upload2mb.extraPerCommitMs!, sync.upload2mb.ratio!],
    ]));
  }
  if (soak) {
    const x = soak.summary;
    lines.push('', `(g) crash soak: ${x.trials} trials, failures ${x.failures}, partly present transactions ${x.partialTransactions}, `
      + `${x.committedTotal} reported commits all checked, ${x.totalSeconds} s`);
  }
  if (exchange) {
    const x = exchange;
    lines.push('', '(h) exchange packages (encrypted ledgers; targets: export ≥ 200 MB/s, peak RSS < 300 MB, import ≤ 2× raw INSERT)');
    lines.push(table(['measure', 'value', 'baseline', 'ratio'], [
      [`export, ${x.export.packageMb} MB package`, `${x.export.seconds} s = ${x.export.mbPerS} MB/s`, `ChaCha20-Poly1305 alone ${x.export.cipherMbPerS} MB/s`, x.export.ratioToCipher],
      ['export peak RSS', `${x.export.peakRssMb} MB (at start ${x.export.baseRssMb} MB)`, '-', '-'],
      ['import of that package', `${x.import.seconds} s = ${x.import.mbPerS} MB/s; peak RSS ${x.import.peakRssMb} MB (at start ${x.import.baseRssMb} MB)`, '-', '-'],
      [`import of ${x.importRecords.records} records (no files)`, `${x.importRecords.seconds} s`, `raw INSERT ${x.importRecords.rawSeconds} s`, x.importRecords.ratio],
      [`aggregation: ${x.aggregation.units} unit packages × ${x.aggregation.problemsEach} problems`, `median ${Math.round(x.aggregation.perPackageMs.median)} ms per package (max ${Math.round(x.aggregation.perPackageMs.max)})`, '-', '-'],
      ...x.aggregation.queries.map((q) => [`  then: ${q.name}`, `${Math.round(q.ms * 10) / 10} ms`, '-', '-'] as (string | number)[]),
    ]));
  }
  if (fuzz) {
    const i = fuzz.import;
    const m = fuzz.merge;
    const byReason = new Map<string, number>();
    for (const o of Object.values(i.outcomes)) for (const [r, n] of Object.entries(o)) byReason.set(r, (byReason.get(r) ?? 0) + n);
    lines.push('', `(i) exchange fuzz (seed ${i.seed}): no crash, no internal error, no ledger changed by a refused package; every replica equal after full delivery`);
    lines.push(table(['property', 'runs', 'failures', 'seconds', 'per run'], [
      [`mutated packages through preview + import (${Object.keys(i.structured).length} structured ones first)`, i.checked, i.failures, i.seconds, `${i.perPackageMs} ms`],
      [`three-office merge, ${m.minEdits}–${m.maxEdits} edits a run (${m.edits} edits)`, m.checked, m.failures, m.seconds, `median ${m.perRunMs.median} ms, max ${m.perRunMs.max} ms`],
    ]));
    lines.push(`of the packages: ${i.refused} refused by preview and import, ${i.replayNoop} answered "already applied" by import at the receiver that had applied the original, ${i.original} the original itself`);
    lines.push(`outcomes: ${[...byReason].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ${n}`).join(', ')}`);
  }
  if (excel) {
    lines.push('', `(j) Excel: a ${excel.rows.toLocaleString('en-US')}-row sheet (${excel.fileMb} MB .xlsx) in and out`);
    lines.push(table(['step', 'seconds', 'note'], [
      ['LibreOffice headless → CSV (baseline)', excel.libreOfficeCsvSeconds ?? '-', excel.libreOfficeCsvSeconds === null ? 'soffice not installed' : ''],
      ['dry run (read, header, rows, dates, matching)', excel.dryRunSeconds, ''],
      ['import (dry run + writes through the services, one transaction)', excel.importSeconds, excel.ratioToLibreOffice === null ? '' : `${excel.ratioToLibreOffice}× the baseline (target ≤ 1×: ${excel.ratioToLibreOffice <= 1 ? 'met' : 'NOT met'})`],
      ['导出台账 to .xlsx (fresh process)', excel.export.seconds, `${excel.export.rowsPerSecond} rows/s, peak RSS ${excel.export.peakRssMb} MB`],
    ]));
  }
  if (print) {
    lines.push('', `(k) a ${print.rows.toLocaleString('en-US')}-row statutory 巡视整改台账 to PDF (median of ${print.oursRunsMs.length})`);
    lines.push(table(['way', 'ms', 'pages', 'note'], [
      ['LibreOffice headless: the same ledger as .xlsx → PDF (baseline)', print.libreOfficeMs ?? '-', print.libreOfficePages ?? '-', print.libreOfficeMs === null ? 'soffice not installed' : `runs ${print.libreOfficeRunsMs.join(', ')}`],
      ['ours: 生成预览 (engine rows, page layout) + Chromium print engine → PDF', print.oursMs, print.oursPages, `runs ${print.oursRunsMs.join(', ')}${print.ratio === null ? '' : `; ${print.ratio}× the baseline (target ≤ 1×: ${print.ratio <= 1 ? 'met' : 'NOT met'})`}`],
    ]));
  }
  lines.push('', `total ${seconds} s`);
  const report = lines.join('\n');
  console.log(report);
  writeFileSync(join(OUT, 'results.json'), JSON.stringify({
    at: new Date().toISOString(), node: process.version, cpus: cpus().length, seconds, targets: TARGETS, bulk, list, ui,
    encryption: { bulk: enc.bulk && { plain: enc.bulk.plain.engine, encrypted: enc.bulk.encrypted.engine, engineRatio: enc.bulk.engineRatio, rawRatio: enc.bulk.rawRatio, pairs: enc.bulk.pairs },
      list: enc.list && { plain: enc.list.plain.cases, encrypted: enc.list.encrypted.cases, medianRatio: enc.list.medianRatio, pairs: enc.list.pairs } },
    backup, sync: sync && { small: sync.small, upload2mb: sync.upload2mb }, soak: soak?.summary ?? null, exchange, exchangeFuzz: fuzz, excel, print,
  }, null, 2));
  console.log(`\nwritten ${join(OUT, 'results.json')}`);
}

await main();
