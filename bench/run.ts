/**
 * npm run bench: one report on the console and in bench/out/results.json.
 *  (a) creating problems (+1 task each) through the services vs a raw prepared INSERT;
 *  (b) the problem list on a 1,000,000-problem ledger (built once, cached under bench/out/).
 * Options (environment): BENCH_PROBLEMS (scale size, default 1000000), BENCH_BULK (default 20000),
 * BENCH_SKIP=bulk|list|ui (ui needs list and a built renderer: npm run build:renderer).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchBulk, type BulkResult } from './bulk.js';
import { benchList, type ListResult } from './list.js';
import { summarize, table } from './stats.js';
import { benchUi, type UiResult } from './ui.js';

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
    log('[ui] problem list in the browser preview (Chromium)…');
    ui = await benchUi(list.file, log);
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
    lines.push('', '(c) problem list in the browser preview (Chromium, 1366×768) on the same ledger; baseline: the same engine call by fetch from the page');
    lines.push(table(['measure', 'runs', 'median ms', 'max ms', 'baseline median ms', 'ratio', 'target'], [
      ['navigation → first page of rows', fp.runs, fp.median, fp.max, fpApi.median, Math.round((fp.median / fpApi.median) * 10) / 10, `< ${TARGETS.uiFirstPageMs} ms: ${fp.median < TARGETS.uiFirstPageMs ? 'met' : 'NOT met'}`],
      ['round filter change → new rows', fl.runs, fl.median, fl.max, flApi.median, Math.round((fl.median / flApi.median) * 10) / 10, `< ${TARGETS.uiFilterMs} ms: ${fl.median < TARGETS.uiFilterMs ? 'met' : 'NOT met'}`],
    ]));
    lines.push(`JS heap after scrolling ${ui.rowsScrolled} rows: ${ui.heapMbAfterScroll} MB (target < ${TARGETS.uiHeapMb} MB: ${ui.heapMbAfterScroll < TARGETS.uiHeapMb ? 'met' : 'NOT met'})`);
  }
  lines.push('', `total ${seconds} s`);
  const report = lines.join('\n');
  console.log(report);
  writeFileSync(join(OUT, 'results.json'), JSON.stringify({
    at: new Date().toISOString(), node: process.version, cpus: cpus().length, seconds, targets: TARGETS, bulk, list, ui,
  }, null, 2));
  console.log(`\nwritten ${join(OUT, 'results.json')}`);
}

await main();
