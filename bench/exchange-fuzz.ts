/**
 * Bench (i): the exchange fuzz and merge properties at sizes too large for npm test.
 *  1. FUZZ_IMPORT_RUNS (default 10,000) mutated packages through the ledger's import: the
 *     property of test/exchange/import-fuzz.test.ts (1,500 there), one declaration in
 *     test/helpers/package-mutations.ts. Every structured package is first given once to both
 *     receivers. Only the original succeeds (previewed; a no-op where already applied); everything
 *     else is refused by preview and import with the same DomainError of a known reason, and the
 *     receiving ledger's fingerprint is unchanged after each call.
 *  2. FUZZ_MERGE_RUNS (default 1,000) runs of the three-office merge property of
 *     test/exchange/merge.test.ts (60 runs of 5–25 edits there) with FUZZ_MERGE_MIN_EDITS to
 *     FUZZ_MERGE_EDITS edits each (default 25–200), one declaration in test/helpers/merge-world.ts:
 *     random edits, lost, repeated and reordered partial deliveries, then full delivery; every
 *     ledger equal, no note lost, delivering again changes nothing.
 * fast-check shrinks a failure to a short counterexample, printed and kept in the JSON. FUZZ_SEED
 * fixes the seed (default: random, reported). Results in bench/out/exchange-fuzz.json; the process
 * exits 1 if either property failed. Run: tsx bench/exchange-fuzz.ts (npm run bench runs it too).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { checkConverged, closeTemplate, edit, open, run, world } from '../test/helpers/merge-world.js';
import { caseKind, checkCase, checkStructured, fuzzCase, makeImportFuzzWorld } from '../test/helpers/package-mutations.js';
import { round } from './stats.js';

const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');
const env = (k: string, d: number) => Number(process.env[k] ?? d);
const IMPORT_RUNS = env('FUZZ_IMPORT_RUNS', 10_000);
const MERGE_RUNS = env('FUZZ_MERGE_RUNS', 1000);
const MERGE_MIN_EDITS = env('FUZZ_MERGE_MIN_EDITS', 25);
const MERGE_MAX_EDITS = env('FUZZ_MERGE_EDITS', 200);
const SEED = process.env.FUZZ_SEED === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED);
const log = (s: string) => console.log(`[exchange-fuzz] ${s}`);

interface Failure { counterexample: string; error: string; shrinks: number; path: string | null }

function failureOf<T>(d: fc.RunDetails<T>): Failure | null {
  if (!d.failed) return null;
  const error = d.errorInstance instanceof Error ? (d.errorInstance.stack ?? d.errorInstance.message) : String(d.errorInstance);
  return { counterexample: fc.stringify(d.counterexample), error, shrinks: d.numShrinks, path: d.counterexamplePath };
}

async function importFuzz() {
  log(`import: building the two offices and the package…`);
  const w = await makeImportFuzzWorld();
  try {
    // Every structured package once at each receiver, whatever the sampling picks.
    let structured: Record<string, string> = {};
    try {
      structured = await checkStructured(w);
    } catch (e) {
      const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
      log(`import: a structured package FAILED: ${error}`);
      return { runs: IMPORT_RUNS, checked: 0, seed: SEED, packageBytes: w.original.length, regions: w.regions, seconds: 0, perPackageMs: 0, refused: 0, replayNoop: 0, original: 0, outcomes: {}, structured, failures: 1, failure: { counterexample: 'structured packages', error, shrinks: 0, path: null } };
    }
    log(`import: ${w.structured.length} structured packages checked at both receivers; ${IMPORT_RUNS} mutated packages (seed ${SEED})…`);
    const outcomes: Record<string, Record<string, number>> = {};
    let done = 0;
    let failing = false;
    const started = performance.now();
    const details = await fc.check(fc.asyncProperty(fuzzCase(w), async (c) => {
      try {
        const reason = await checkCase(w, c);
        if (!failing) {
          const k = (outcomes[caseKind(c)] ??= {});
          k[reason] = (k[reason] ?? 0) + 1;
          if (++done % 1000 === 0) log(`  ${done} packages, ${round((performance.now() - started) / done, 1)} ms each`);
        }
      } catch (e) {
        failing = true;
        throw e;
      }
    }), { numRuns: IMPORT_RUNS, seed: SEED });
    const ms = performance.now() - started;
    const failure = failureOf(details);
    const all = Object.values(outcomes).flatMap((o) => Object.entries(o));
    const sum = (p: (r: string) => boolean) => all.filter(([r]) => p(r)).reduce((n, [, x]) => n + x, 0);
    const original = sum((r) => r.startsWith('original'));
    const replayNoop = sum((r) => r.startsWith('no-op'));
    const refused = done - original - replayNoop;
    log(`import: ${done} packages in ${round(ms / 1000, 1)} s (${round(ms / Math.max(1, done), 1)} ms each): ${refused} refused by both calls, `
      + `${replayNoop} no-op replays other than the original (must be 0), ${original} the original; failures ${failure ? 1 : 0}`);
    return {
      runs: IMPORT_RUNS, checked: done, seed: SEED, packageBytes: w.original.length, regions: w.regions,
      seconds: round(ms / 1000, 1), perPackageMs: round(ms / Math.max(1, done), 2), refused, replayNoop, original, outcomes, structured,
      failures: failure ? 1 : 0, failure,
    };
  } finally {
    w.close();
  }
}

function mergeFuzz() {
  log(`merge: ${MERGE_RUNS} runs of ${MERGE_MIN_EDITS}–${MERGE_MAX_EDITS} edits between three offices (seed ${SEED})…`);
  let done = 0;
  let edits = 0;
  let failing = false;
  const perRun: number[] = [];
  // The template world (three set-ups, seconds of password hashing) is built once, outside the timing.
  world();
  open.splice(0).forEach((l) => l.close());
  const started = performance.now();
  // size 'max': lengths up to maxLength (fast-check's default size would stop at 2 × minLength + 10).
  const details = fc.check(fc.property(fc.array(edit, { minLength: MERGE_MIN_EDITS, maxLength: MERGE_MAX_EDITS, size: 'max' }), (es) => {
    const t = performance.now();
    const w = world();
    try {
      run(w, es);
      checkConverged(w);
    } catch (e) {
      failing = true;
      throw e;
    } finally {
      open.splice(0).forEach((l) => l.close());
    }
    if (!failing) {
      done++;
      edits += es.length;
      perRun.push(performance.now() - t);
      if (done % 50 === 0) log(`  ${done} runs, ${round((performance.now() - started) / done, 0)} ms each`);
    }
  }), { numRuns: MERGE_RUNS, seed: SEED });
  const ms = performance.now() - started;
  closeTemplate();
  const failure = failureOf(details);
  perRun.sort((a, b) => a - b);
  log(`merge: ${done} runs, ${edits} edits in ${round(ms / 1000, 1)} s (median ${round(perRun[perRun.length >> 1] ?? 0, 0)} ms a run), failures ${failure ? 1 : 0}`);
  return {
    runs: MERGE_RUNS, checked: done, seed: SEED, minEdits: MERGE_MIN_EDITS, maxEdits: MERGE_MAX_EDITS, edits,
    seconds: round(ms / 1000, 1), perRunMs: { median: round(perRun[perRun.length >> 1] ?? 0, 0), max: round(perRun.at(-1) ?? 0, 0) },
    failures: failure ? 1 : 0, failure,
  };
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const started = performance.now();
  const imp = await importFuzz();
  const merge = mergeFuzz();
  const result = { at: new Date().toISOString(), node: process.version, cpus: cpus().length, seconds: round((performance.now() - started) / 1000, 1), import: imp, merge };
  writeFileSync(join(OUT, 'exchange-fuzz.json'), JSON.stringify(result, null, 2));
  for (const [name, f] of [['import', imp.failure], ['merge', merge.failure]] as const) {
    if (f) log(`${name} property FAILED after ${f.shrinks} shrinks: ${f.counterexample}\n${f.error}`);
  }
  log(`written ${join(OUT, 'exchange-fuzz.json')}`);
  if (imp.failures || merge.failures) process.exitCode = 1;
  return result;
}

export { main as benchExchangeFuzz };
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
