/**
 * Nothing lost in a crash: 10 trials of a child process killed with SIGKILL at a random moment
 * while it creates records in bulk and uploads evidence through the services (test/crash/trial.ts
 * says what is checked), plus probes proving the checker catches each kind of damage.
 * `npm run soak` runs 100 trials (bench/crash-soak.ts).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, openSync, closeSync, writeSync, statSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyKey } from '../../db/core/cipher.js';
import {
  checkLedger, copyLedger, createCrashLedger, runChild, runTrial, type CrashSetup, type Report, type TrialResult,
} from './trial.js';

const TRIALS = 10;

describe('a SIGKILLed writer loses nothing and leaves nothing half-written', () => {
  it(`${TRIALS} trials: integrity ok, audit chain ok, every transaction whole, every reported commit present`, async () => {
    const results: TrialResult[] = [];
    for (let seed = 1; seed <= TRIALS; seed++) results.push(await runTrial({ seed }));
    const failed = results.filter((r) => !r.ok).map((r) => `seed ${r.seed} (killed after ${r.killAfterMs} ms): ${r.failures.join(' | ')}`);
    expect(failed).toEqual([]);
    for (const r of results) {
      expect(r.killAfterMs, `seed ${r.seed} was killed`).not.toBeNull();
      expect(r.partial).toBe(0);
      expect(r.present - r.reported).toBe(r.presentUnreported);
    }
    // The trials did real work of both kinds before the kills.
    const sum = (f: (r: TrialResult) => number) => results.reduce((s, r) => s + f(r), 0);
    expect(sum((r) => r.reportedBulk)).toBeGreaterThan(TRIALS);
    expect(sum((r) => r.reportedEvidence)).toBeGreaterThan(TRIALS);
    console.info(`[crash] ${TRIALS} trials: ${sum((r) => r.reported)} transactions reported committed `
      + `(${sum((r) => r.reportedProblems)} problems, ${(sum((r) => r.reportedBytes) / 1048576).toFixed(0)} MB of evidence), `
      + `${sum((r) => r.presentUnreported)} committed just before the kill, kills at ${results.map((r) => r.killAfterMs).join(', ')} ms`);
  }, 240_000);
});

describe('the crash checker catches damage (so the trials can fail)', () => {
  let dir: string;
  let path: string;
  let key: Buffer;
  let setup: CrashSetup;
  let reports: Report[];

  // A ledger after four whole transactions (tx 1: 3 problems + 6 tasks; tx 2: an upload; then two more).
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crash-probe-'));
    path = join(dir, 'ledger.sqlite');
    key = randomBytes(32);
    setup = createCrashLedger(path, key);
    const run = await runChild({ path, key, setup, seed: 5, killAfterMs: null, maxTx: 4 });
    expect(run.code, run.stderr).toBe(0);
    reports = run.reports;
    expect(reports.map((r) => r.kind).slice(0, 2)).toEqual(['bulk', 'evidence']);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let n = 0;
  /** A copy of the probe ledger, with raw SQL (no audit, no services) applied to it. */
  function damaged(sql: string | ((db: Database.Database) => void)): string {
    const copy = join(dir, `copy-${++n}.sqlite`);
    copyLedger(path, copy);
    const db = new Database(copy);
    applyKey(db, key);
    db.pragma('foreign_keys = OFF');
    if (typeof sql === 'string') db.exec(sql);
    else sql(db);
    db.close();
    return copy;
  }
  const bulk = () => reports[0] as Extract<Report, { kind: 'bulk' }>;
  const upload = () => reports[1] as Extract<Report, { kind: 'evidence' }>;
  const check = (file: string, r: readonly Report[] = reports) => checkLedger(file, key, r, { setup, writeAfter: false });

  it('passes the undamaged ledger, and it takes a new write after reopening', () => {
    expect(check(damaged(() => {})).failures).toEqual([]);
    const res = checkLedger(damaged(() => {}), key, reports, { setup });
    expect(res.failures).toEqual([]);
    expect(res.present).toBe(4);
    expect(res.presentUnreported).toBe(0);
  });

  it('one task of a committed problem gone', () => {
    const r = check(damaged(`DELETE FROM tasks WHERE id = '${bulk().tasks[3]}'`));
    expect(r.ok).toBe(false);
    expect(r.failures.join('\n')).toMatch(/tx 1: problem 2\/3 \(.*\) has 1 of its 2 tasks/);
    expect(r.failures.join('\n')).toMatch(/reported task .* absent/);
  });

  it('one problem (with its tasks) of a three-problem transaction gone', () => {
    const p = bulk().problems[2]!;
    const r = check(damaged(`DELETE FROM tasks WHERE problem_id = '${p}'; DELETE FROM problems WHERE id = '${p}'`));
    expect(r.failures.join('\n')).toMatch(/tx 1: bulk item 3\/3 missing/);
    expect(r.failures.join('\n')).toMatch(/audit rows for problems .* not in the ledger/);
  });

  it('the roll-up of a problem not written with its tasks', () => {
    const r = check(damaged(`UPDATE problems SET task_count = 0 WHERE id = '${bulk().problems[0]}'`));
    expect(r.failures.join('\n')).toMatch(/tx 1: problem 1\/3 roll-up says 0 tasks, 2 present/);
  });

  it("an upload's bytes damaged, its evidence row gone, or its task update missing", () => {
    const f = upload().files[0]!;
    let r = check(damaged(`UPDATE evidence_blobs SET data = randomblob(size) WHERE sha256 = '${f.sha256}'`));
    expect(r.failures.join('\n')).toMatch(/tx 2: evidence 1\/\d \(.*\): blob bytes do not hash/);
    r = check(damaged(`DELETE FROM evidence WHERE id = '${f.id}'`));
    expect(r.failures.join('\n')).toMatch(/blob .* cited by no evidence/);
    expect(r.failures.join('\n')).toMatch(/reported evidence .* absent|tx 2 \(evidence\) was reported committed but is absent/);
    r = check(damaged(`UPDATE tasks SET material_revision = material_revision - 1 WHERE id = '${f.taskId}'`));
    expect(r.failures.join('\n')).toMatch(/material_revision .* \(an upload's task update is missing or extra\)/);
  });

  // The trail's append-only triggers are dropped first, as someone editing the file would.
  it('a row without its audit entry, and an edited audit entry', () => {
    let r = check(damaged('DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)'));
    expect(r.ok).toBe(false);
    expect(r.failures.join('\n')).toMatch(/audit (create|update) rows/);
    r = check(damaged(`DROP TRIGGER audit_log_no_update; UPDATE audit_log SET after = replace(after, '措施', '举措') WHERE seq = (SELECT min(seq) FROM audit_log WHERE entity = 'tasks')`));
    expect(r.failures.join('\n')).toMatch(/audit chain: hash_mismatch/);
  });

  it('a reported commit missing, a lost earlier commit, an unreported surplus', () => {
    const fake: Report = { tx: 5, marker: 'crash tx=5', kind: 'bulk', problems: ['00000000-0000-7000-8000-000000000000'], tasks: [] };
    const file = damaged(() => {});
    expect(check(file, [...reports, fake]).failures.join('\n')).toMatch(/tx 5 \(bulk\) was reported committed but is absent/);
    expect(check(file, reports.slice(0, 2)).failures.join('\n')).toMatch(/present but never reported: tx 3, 4/);
    const lost = damaged(`DELETE FROM tasks WHERE remark LIKE 'crash tx=1 %'; DELETE FROM problems WHERE remark LIKE 'crash tx=1 %'; DELETE FROM evidence; DELETE FROM evidence_chunks; DELETE FROM evidence_blobs;`);
    expect(check(lost).failures.join('\n')).toMatch(/tx 1 \(bulk\) was reported committed but is absent/);
  });

  it('damaged pages of the encrypted file', () => {
    const copy = damaged(() => {});
    const fd = openSync(copy, 'r+');
    const pages = Math.floor(statSync(copy).size / 1024);
    for (const at of [0.3, 0.5, 0.7]) writeSync(fd, randomBytes(64), 0, 64, Math.floor(pages * at) * 1024 + 100);
    closeSync(fd);
    const r = check(copy);
    expect(r.ok).toBe(false);
    expect(r.failures.join('\n')).toMatch(/integrity_check|reopen failed|check threw|blob bytes|malformed|corrupt/i);
  });
});
