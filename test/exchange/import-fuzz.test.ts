/**
 * Mutated packages through the ledger's import (package-fuzz.test.ts does the container alone).
 * Two offices on encrypted ledger files, partners confirmed; the unit exports one real package
 * (problems, tasks, an evidence file) to the inspection office. Then RUNS mutated copies
 * (test/helpers/package-mutations.ts, shared with bench/exchange-fuzz.ts): bytes flipped, cut,
 * inserted or deleted in the prefix, header, signature, age header or payload; payload bytes
 * changed under a header the real sender re-signed; and structured packages (re-signed by an
 * unconfirmed or unknown key, naming an unconfirmed or unknown office, a lying header, a spliced
 * header, a receipt, records from the sender that break the ledger's rules, the original again).
 * Each goes to previewPackage and importPackage at the receiver that has not imported the original
 * or the one that has. Only the original succeeds (a preview; a no-op where already applied);
 * everything else is refused by both calls with one DomainError of a known reason, and the
 * receiver's fingerprint (every row of every table and the engine's counters) is unchanged. Where
 * the original was applied, a replay is a no-op only for that very file (its digest, its payload
 * read through); a sender-signed header keeping its id but not its content is package_replay_mismatch.
 *
 * RUNS = 1000 (IMPORT_FUZZ_RUNS to change): measured 15.5–19 ms a package (preview + import +
 * two fingerprints) on the 2-core development VM, so this file takes about 20 s with set-up; with
 * the 500 container-level mutations of package-fuzz.test.ts that is 1,500 in npm test.
 * bench/exchange-fuzz.ts runs 10,000.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseKind, checkCase, checkStructured, fuzzCase, makeImportFuzzWorld, type ImportFuzzWorld } from '../helpers/package-mutations.js';

const RUNS = Number(process.env.IMPORT_FUZZ_RUNS ?? 1000);

let w: ImportFuzzWorld;
beforeAll(async () => {
  w = await makeImportFuzzWorld();
});
afterAll(() => w?.close());

describe('mutated packages given to the ledger’s import', () => {
  it('each structured package, at each receiver: refused with its reason; the original previewed, and a no-op where applied', async () => {
    const outcomes = await checkStructured(w);
    console.log(Object.entries(outcomes).map(([k, v]) => `${k}: ${v}`).join('\n'));
    // checkCase threw on anything else; the original was given to both.
    expect(Object.values(outcomes).filter((o) => o.startsWith('original'))).toHaveLength(2);
  });

  it(`${RUNS} mutated packages: only known DomainErrors (one reason from preview and import), and no ledger changed`, { timeout: 300_000 }, async () => {
    const seen = new Map<string, number>();
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(fuzzCase(w), async (c) => {
        const key = `${caseKind(c)}: ${await checkCase(w, c)}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }),
      { numRuns: RUNS },
    );
    const ms = performance.now() - started;
    console.log(`${RUNS} packages in ${Math.round(ms / 100) / 10} s (${Math.round((ms / RUNS) * 10) / 10} ms each); outcomes: ${[...seen].sort().map(([k, n]) => `${k} ${n}`).join(', ')}`);
    // The generator reaches every layer: the container, age, and the ledger's own checks.
    const reasons = [...seen.keys()].join('\n');
    for (const r of ['package_signature', 'package_truncated', 'age_', 'package_record']) expect(reasons).toContain(r);
  });
});
