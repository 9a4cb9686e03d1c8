/**
 * npm run soak [-- trials]: the crash trial of test/crash/trial.ts, 100 times by default.
 * Each trial: a fresh encrypted ledger; a child process creating problems and tasks in bulk and
 * uploading 1–8 MB evidence files through the services, one transaction per unit of work;
 * SIGKILL at a seeded random moment 200–2500 ms after it is ready; then reopen with the key and
 * check integrity_check, the FTS indexes, the audit chain, that every transaction is wholly there
 * or wholly absent, that every transaction reported committed is there, and that the ledger takes
 * a new write. Prints each trial, then the figures for the README's benchmark section; writes
 * them to bench/out/crash-soak.json. Exit code 1 if any trial failed.
 * Environment: SOAK_TRIALS (default 100), SOAK_SEED (first seed, default 1001).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTrial, type TrialResult } from '../test/crash/trial.js';
import { summarize, table } from './stats.js';

const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');
const MB = 1024 * 1024;

async function main() {
  const trials = Number(process.argv[2] ?? process.env.SOAK_TRIALS ?? 100);
  const firstSeed = Number(process.env.SOAK_SEED ?? 1001);
  const started = performance.now();
  const results: Omit<TrialResult, 'key' | 'path'>[] = [];
  console.log(`[soak] ${trials} crash trials, seeds ${firstSeed}–${firstSeed + trials - 1}, ${cpus().length} cores, Node ${process.version}`);
  for (let k = 0; k < trials; k++) {
    const { key: _key, path: _path, ...r } = await runTrial({ seed: firstSeed + k });
    results.push(r);
    console.log(
      `${String(k + 1).padStart(3)}. seed ${r.seed}: killed ${String(r.killAfterMs).padStart(4)} ms after ready; `
      + `${String(r.reported).padStart(3)} reported (${r.reportedBulk} bulk / ${r.reportedEvidence} uploads, `
      + `${r.reportedProblems} problems, ${(r.reportedBytes / MB).toFixed(0)} MB)`
      + `${r.presentUnreported ? ' +1 committed before its report' : ''}; WAL ${(r.fileBytes.wal / MB).toFixed(1)} MB; `
      + `${r.ok ? 'ok' : `FAILED: ${r.failures.join(' | ')}`} (${r.ms.total} ms)`,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const failed = results.filter((r) => !r.ok);
  const kills = results.map((r) => r.killAfterMs ?? NaN);
  const reported = results.map((r) => r.reported);
  const buckets = [200, 700, 1200, 1700, 2200];
  const histogram = buckets.map((lo, i) => {
    const hi = buckets[i + 1] ?? Infinity;
    return { range: `${lo}–${hi === Infinity ? 2500 : hi} ms`, trials: kills.filter((x) => x >= lo && x < hi).length };
  });
  const sum = (f: (r: (typeof results)[number]) => number) => results.reduce((s, r) => s + f(r), 0);
  const summary = {
    date: new Date().toISOString(),
    node: process.version,
    cores: cpus().length,
    trials,
    failures: failed.length,
    failed: failed.map((r) => ({ seed: r.seed, killAfterMs: r.killAfterMs, failures: r.failures })),
    partialTransactions: sum((r) => r.partial),
    killAfterMs: summarize(kills),
    killHistogram: histogram,
    committedPerTrial: summarize(reported),
    committedTotal: sum((r) => r.reported),
    bulkTotal: sum((r) => r.reportedBulk),
    uploadsTotal: sum((r) => r.reportedEvidence),
    problemsTotal: sum((r) => r.reportedProblems),
    evidenceMbTotal: Math.round(sum((r) => r.reportedBytes) / MB),
    committedBeforeReport: sum((r) => r.presentUnreported),
    walAtCrashMb: summarize(results.map((r) => r.fileBytes.wal / MB)),
    trialMs: summarize(results.map((r) => r.ms.total)),
    checkMs: summarize(results.map((r) => r.ms.check)),
    totalSeconds: Math.round(seconds * 10) / 10,
  };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'crash-soak.json'), `${JSON.stringify({ summary, results }, null, 2)}\n`);
  const s = summary;
  console.log('');
  console.log(table(['figure', 'value'], [
    ['trials', s.trials],
    ['failures', s.failures],
    ['partly present transactions', s.partialTransactions],
    ['kill time after ready (ms): min / median / p95 / max', `${s.killAfterMs.min} / ${s.killAfterMs.median} / ${s.killAfterMs.p95} / ${s.killAfterMs.max}`],
    ['kill time histogram', histogram.map((h) => `${h.range}: ${h.trials}`).join(', ')],
    ['transactions reported committed per trial: min / median / max', `${s.committedPerTrial.min} / ${s.committedPerTrial.median} / ${s.committedPerTrial.max}`],
    ['transactions reported committed, all trials', `${s.committedTotal} (${s.bulkTotal} bulk with ${s.problemsTotal} problems, ${s.uploadsTotal} uploads with ${s.evidenceMbTotal} MB)`],
    ['committed but killed before its report (found, whole)', s.committedBeforeReport],
    ['WAL at the crash (MB): median / max', `${s.walAtCrashMb.median} / ${s.walAtCrashMb.max}`],
    ['reopen + checks (ms): median / max', `${s.checkMs.median} / ${s.checkMs.max}`],
    ['one trial (ms): median / max', `${s.trialMs.median} / ${s.trialMs.max}`],
    ['total time', `${s.totalSeconds} s`],
  ]));
  console.log(`\n[soak] results in ${join(OUT, 'crash-soak.json')}`);
  if (failed.length > 0) {
    console.log(`[soak] ${failed.length} FAILED: seeds ${failed.map((r) => r.seed).join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
