/**
 * Bench (a): creating problems with one task each through the services (validation, permission
 * check, version + HLC stamps, hash-chained audit, problem rollup) against a raw better-sqlite3
 * prepared INSERT of exactly the same final rows into a copy of the same starting ledger.
 * Both run on files with the pragmas of db/open.ts, FTS triggers on, one transaction per 1,000.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock } from '../db/core/clock.js';
import type { ActingUser, ServiceContext } from '../db/core/context.js';
import { inTransaction } from '../db/core/context.js';
import { seededRandom, uuidv7Source } from '../db/core/ids.js';
import { openLedger } from '../db/core/open.js';
import { feedbacks, inspections, problemCategories, rounds, clockRuleSets, units, users } from '../db/schema/index.js';
import { setupLedger } from '../db/services/office.js';
import { createProblem } from '../db/services/problems.js';
import { createTask } from '../db/services/tasks.js';
import {
  DEPARTMENTS, leaderWithPost, makeRng, measureText, personName, pick, problemDescription, taskTerm, unitName,
} from '../db/seed/vocabulary.js';
import { insertRow } from '../db/core/write.js';
import { parse } from '../db/domain/fields.js';
import { round, timeMs } from './stats.js';

export interface BulkResult {
  problems: number;
  tasksPerProblem: 1;
  perTransaction: number;
  engine: { seconds: number; problemsPerSecond: number; rowsWritten: number; auditRows: number };
  /** The argument schemas alone (valibot), parsing the same 2 × n arguments: part of the engine's time. */
  validation: { seconds: number; shareOfEngine: number; microsecondsPerCall: number };
  raw: { seconds: number; problemsPerSecond: number; rowsWritten: number };
  ratio: number;
  note: string;
}

const FILES = ['', '-wal', '-shm'];
const clean = (p: string) => FILES.forEach((s) => rmSync(p + s, { force: true }));

/** A set-up ledger with 10 rounds × 35 inspected units (~57 problems each at 20,000). */
function prepare(path: string, key: Buffer | undefined) {
  const clock = fixedClock('2025-03-01');
  const ledger = openLedger(path, key ? { key } : {});
  const ids = uuidv7Source(() => clock.now(), seededRandom(3));
  const ctx0: ServiceContext = { ledger, clock, ids, user: null };
  setupLedger(ctx0, {
    officeName: '某某集团有限公司巡视整改工作领导小组办公室', officeKind: 'inspected_unit', level: 'central',
    adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: 'bench-admin-2025',
  });
  const admin = ledger.orm.select().from(users).get()!;
  const adminUser: ActingUser = { id: admin.id, role: 'admin', canViewClues: false, displayName: admin.displayName };
  const actx: ServiceContext = { ...ctx0, user: adminUser };
  const entryRow = inTransaction(actx, () => insertRow(actx, users, {
    officeId: ledger.state.officeId!, username: 'luru', displayName: '张某某', role: 'entry', canViewClues: false, passwordHash: null, active: true,
  }));
  const ruleSetId = ledger.orm.select().from(clockRuleSets).all().find((r) => r.code === 'CPC-2022')!.id;
  const insp: { id: string; feedbackDate: string }[] = [];
  inTransaction(actx, () => {
    for (let r = 0; r < 10; r++) {
      const rd = insertRow(actx, rounds, {
        name: `某省委2024年第${r + 1}轮巡视`, level: 'province', form: 'xunshi', kind: 'regular',
        mobilisedOn: '2024-03-01', enteredOn: '2024-03-10', feedbackOn: '2024-07-31', ruleSetId,
      });
      for (let u = 0; u < 35; u++) {
        const unit = insertRow(actx, units, { name: unitName('central_soe', r * 35 + u), sector: 'central_soe' });
        const i = insertRow(actx, inspections, { roundId: rd.id, unitId: unit.id, teamId: null });
        insertRow(actx, feedbacks, { inspectionId: i.id, kind: 'collective', feedbackDate: '2024-07-31', docNumber: `某巡反〔2024〕${u + 1}号`, body: '反馈意见。' });
        insp.push({ id: i.id, feedbackDate: '2024-07-31' });
      }
    }
  });
  const cats = ledger.orm.select().from(problemCategories).all();
  const parents = new Set(cats.map((c) => c.parentId));
  const leaves = cats.filter((c) => !parents.has(c.id)).map((c) => ({ id: c.id, top: c.parentId ? cats.find((p) => p.id === c.parentId)!.name : c.name }));
  const entry: ActingUser = { id: entryRow.id, role: 'entry', canViewClues: false, displayName: entryRow.displayName };
  return { ledger, clock, ids, entry, insp, leaves };
}

/**
 * `key`: run both sides on encrypted files (SQLCipher, the app's format) instead of plaintext ones
 * (bench/encryption.ts compares the two).
 */
export function benchBulk(outDir: string, n = 20_000, perTx = 1000, log: (s: string) => void = () => {}, key?: Buffer): BulkResult {
  const enginePath = join(outDir, `bulk-engine${key ? '-enc' : ''}.sqlite`);
  const rawPath = join(outDir, `bulk-raw${key ? '-enc' : ''}.sqlite`);
  clean(enginePath);
  clean(rawPath);
  const s = prepare(enginePath, key);
  // The raw side starts from a copy of the same set-up ledger (same units, categories, ids; the
  // copy of an encrypted ledger is encrypted under the same key).
  s.ledger.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  s.ledger.sqlite.prepare('VACUUM INTO ?').run(rawPath);

  // Inputs are built before the clock starts: the bench times the engine, not the generator.
  const rng = makeRng(17);
  const inputs = Array.from({ length: n }, (_, k) => {
    const insp = s.insp[k % s.insp.length]!;
    const cat = pick(rng, s.leaves);
    const isKey = rng() < 0.06;
    return {
      problem: {
        inspectionId: insp.id, categoryId: cat.id, description: problemDescription(rng, cat.top, 2024),
        source: 'inspection_feedback', isKey, leadLeader: isKey ? leaderWithPost(rng) : null,
      },
      task: {
        measures: measureText(rng), term: taskTerm(rng), deadline: pick(rng, ['2024-08-31', '2024-10-31', '2025-07-31']),
        responsibleLeader: leaderWithPost(rng), responsibleDepartment: pick(rng, DEPARTMENTS), responsiblePerson: personName(rng),
      },
    };
  });
  const ctx: ServiceContext = { ledger: s.ledger, clock: s.clock, ids: s.ids, user: s.entry };
  const auditBefore = (s.ledger.sqlite.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
  const engine = timeMs(() => {
    for (let start = 0; start < n; start += perTx) {
      inTransaction(ctx, () => {
        for (let k = start; k < Math.min(n, start + perTx); k++) {
          const inp = inputs[k]!;
          const p = createProblem(ctx, inp.problem);
          createTask(ctx, { ...inp.task, problemId: p.id });
        }
      });
      if ((start + perTx) % 5000 === 0) log(`[bulk] engine ${start + perTx} / ${n}`);
    }
  });
  const auditRows = (s.ledger.sqlite.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n - auditBefore;
  // What the declared argument schemas cost inside that figure: the same arguments, parsed only.
  const someProblem = s.ledger.sqlite.prepare('SELECT id FROM problems LIMIT 1').get() as { id: string };
  const validation = timeMs(() => {
    for (const inp of inputs) {
      parse(createProblem.arg, inp.problem);
      parse(createTask.arg, { ...inp.task, problemId: someProblem.id });
    }
  });

  // The same final rows (after the engine's rollup), column for column.
  const problemRows = s.ledger.sqlite.prepare('SELECT * FROM problems ORDER BY rowid').raw().all() as unknown[][];
  const taskRows = s.ledger.sqlite.prepare('SELECT * FROM tasks ORDER BY rowid').raw().all() as unknown[][];
  const pCols = (s.ledger.sqlite.prepare('SELECT * FROM problems LIMIT 1').columns()).map((c) => c.name);
  const tCols = (s.ledger.sqlite.prepare('SELECT * FROM tasks LIMIT 1').columns()).map((c) => c.name);
  s.ledger.close();

  const raw = openLedger(rawPath, key ? { key } : {});
  const insP = raw.sqlite.prepare(`INSERT INTO problems (${pCols.join(', ')}) VALUES (${pCols.map(() => '?').join(', ')})`);
  const insT = raw.sqlite.prepare(`INSERT INTO tasks (${tCols.join(', ')}) VALUES (${tCols.map(() => '?').join(', ')})`);
  const rawTime = timeMs(() => {
    for (let start = 0; start < n; start += perTx) {
      raw.sqlite.transaction(() => {
        for (let k = start; k < Math.min(n, start + perTx); k++) {
          insP.run(problemRows[k]!);
          insT.run(taskRows[k]!);
        }
      })();
    }
  });
  const rawCount = (raw.sqlite.prepare('SELECT (SELECT count(*) FROM problems) + (SELECT count(*) FROM tasks) AS n').get() as { n: number }).n;
  raw.close();
  clean(enginePath);
  clean(rawPath);
  const eps = n / (engine.ms / 1000);
  const rps = n / (rawTime.ms / 1000);
  return {
    problems: n, tasksPerProblem: 1, perTransaction: perTx,
    engine: { seconds: round(engine.ms / 1000), problemsPerSecond: Math.round(eps), rowsWritten: problemRows.length + taskRows.length, auditRows },
    validation: {
      seconds: round(validation.ms / 1000, 3), shareOfEngine: round(validation.ms / engine.ms, 4),
      microsecondsPerCall: round((validation.ms * 1000) / (2 * n), 2),
    },
    raw: { seconds: round(rawTime.ms / 1000), problemsPerSecond: Math.round(rps), rowsWritten: rawCount },
    ratio: round(eps / rps, 3),
    note: 'engine = createProblem + createTask (db/services) per problem; raw = prepared INSERT of the same final rows',
  };
}

