/**
 * Bench (b): the problem list on a 1,000,000-problem / 2,000,000-task ledger written by
 * bench/scale.ts. The file is built once and cached under bench/out/ (reused while its
 * parameters and the generator's format are unchanged).
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock } from '../db/core/clock.js';
import type { ServiceContext } from '../db/core/context.js';
import { uuidv7Source } from '../db/core/ids.js';
import { openLedger, type Ledger } from '../db/core/open.js';
import { countProblems, explainProblemList, listProblems } from '../db/queries/problem-list.js';
import { countTasks, explainTaskList, listTasks } from '../db/queries/task-list.js';
import { users } from '../db/schema/index.js';
import { SCALE_AS_OF, SCALE_FORMAT, writeScaleLedger, type ScaleSummary } from './scale.js';
import { round, summarize, timeMs, type Summary } from './stats.js';

export interface ScaleParams {
  problems: number;
  tasksPerProblem: number;
  seed: number;
}

export interface ListCase {
  name: string;
  input: Record<string, unknown>;
  stats: Summary;
  /** Rows returned (average per call), or the count for count queries. */
  rows: number;
  rawStats?: Summary;
  ratio?: number;
  plan?: string[];
}

export interface ListResult {
  file: string;
  params: ScaleParams;
  built: boolean;
  buildSeconds: number | null;
  fileMB: number;
  openMs: number;
  units: number;
  cases: ListCase[];
}

/** Build the scale ledger unless a file with the same parameters is already there. */
export function ensureScaleLedger(outDir: string, p: ScaleParams, log: (s: string) => void): { path: string; built: boolean; summary: ScaleSummary | null } {
  const path = join(outDir, `scale-${p.problems}-t${p.tasksPerProblem}-s${p.seed}.sqlite`);
  const sidecar = `${path}.json`;
  const want = { ...p, format: SCALE_FORMAT };
  if (existsSync(path) && existsSync(sidecar)) {
    const have = JSON.parse(readFileSync(sidecar, 'utf8')) as { params: unknown };
    if (JSON.stringify(have.params) === JSON.stringify(want)) return { path, built: false, summary: null };
  }
  for (const s of ['', '-wal', '-shm', '.json']) rmSync(path + s, { force: true });
  log(`[list] building ${path} (${p.problems.toLocaleString('en-US')} problems) — cached for later runs`);
  const summary = writeScaleLedger(path, { ...p, log });
  writeFileSync(sidecar, JSON.stringify({ params: want, summary }, null, 2));
  return { path, built: true, summary };
}

function readerCtx(ledger: Ledger): ServiceContext {
  const admin = ledger.orm.select().from(users).get()!;
  return {
    ledger, clock: fixedClock(SCALE_AS_OF), ids: uuidv7Source(),
    user: { id: admin.id, role: 'admin', canViewClues: false, displayName: admin.displayName },
  };
}

/** The same first page as listProblems(unit + open + overdue, by deadline), hand-written. */
const RAW_UNIT_OVERDUE = `SELECT p.id, p.seq, u.name AS unitName, c.name AS categoryName, p.description, p.is_key, p.status,
  p.deadline, p.task_count, p.closed_task_count
FROM problems p JOIN units u ON u.id = p.unit_id LEFT JOIN problem_categories c ON c.id = p.category_id
WHERE p.unit_id = ? AND p.status = 'open' AND p.deadline < ? AND p.deleted_at IS NULL
ORDER BY p.deadline, p.id LIMIT 50`;

/** `variant`: another file of the same content and how to open it (the encrypted copy, bench/encryption.ts). */
export function benchList(outDir: string, p: ScaleParams, log: (s: string) => void, unitSample = 200, variant?: { path: string; open: (path: string) => Ledger }, mainOnly = false): ListResult {
  const started = Date.now();
  const built = variant ? { path: variant.path, built: false } : ensureScaleLedger(outDir, p, log);
  const buildSeconds = built.built ? round((Date.now() - started) / 1000, 1) : null;
  const fileMB = round(readFileSizeMB(built.path), 0);
  const opened = timeMs(() => (variant ? variant.open(built.path) : openLedger(built.path)));
  const ledger = opened.value;
  try {
    const ctx = readerCtx(ledger);
    const today = ctx.clock.today();
    // Units in a fixed order, spread over the whole set (every k-th unit by id).
    const allUnits = (ledger.sqlite.prepare('SELECT DISTINCT unit_id AS id FROM inspections ORDER BY unit_id').all() as { id: string }[]).map((r) => r.id);
    const step = Math.max(1, Math.floor(allUnits.length / unitSample));
    const sample = allUnits.filter((_, i) => i % step === 0).slice(0, unitSample);
    const cases: ListCase[] = [];
    type Run = (input: Record<string, unknown>) => { rows: unknown[]; total?: number };
    const problemsRun: Run = (i) => listProblems(ctx, i);
    // One timed call per sampled unit (each unit touched once, as when a user switches units).
    const many = (name: string, mk: (unitId: string) => Record<string, unknown>, run: Run = problemsRun) => {
      const times: number[] = [];
      let rows = 0;
      for (const unitId of sample) {
        const input = mk(unitId);
        const r = timeMs(() => run(input));
        times.push(r.ms);
        rows += r.value.total ?? r.value.rows.length;
      }
      const c: ListCase = { name, input: mk('<unit>'), stats: summarize(times), rows: Math.round(rows / sample.length) };
      cases.push(c);
      return c;
    };
    // The same call repeated (whole-ledger queries: few, slow, and the first one pays the I/O).
    const repeat = (name: string, input: Record<string, unknown>, times = 5, run: Run = problemsRun) => {
      const ms: number[] = [];
      let rows = 0;
      for (let k = 0; k < times; k++) {
        const r = timeMs(() => run(input));
        ms.push(r.ms);
        rows = r.value.total ?? r.value.rows.length;
      }
      const c: ListCase = { name, input, stats: summarize(ms), rows };
      cases.push(c);
      return c;
    };
    const tasksRun: Run = (i) => listTasks(ctx, i);
    const countRun: Run = (i) => ({ rows: [], total: countProblems(ctx, i).total });
    const countTasksRun: Run = (i) => ({ rows: [], total: countTasks(ctx, i).total });

    log(`[list] ${sample.length} units: unit + open + overdue, by deadline, 50 a page`);
    const main = many('unit+open+overdue, deadline, page 1', (unitId) => ({ unitId, status: 'open', overdue: true, sort: 'deadline', limit: 50 }));
    main.plan = explainProblemList(ctx, { unitId: sample[0], status: 'open', overdue: true, sort: 'deadline', limit: 50 });
    if (mainOnly) return { file: built.path, params: p, built: built.built, buildSeconds, fileMB, openMs: round(opened.ms, 0), units: sample.length, cases };

    // Page 2 through the cursor, for units whose red list is longer than one page.
    const cursors = sample.map((unitId) => ({ unitId, c: listProblems(ctx, { unitId, status: 'open', overdue: true, limit: 50 }).nextCursor }))
      .filter((x): x is { unitId: string; c: string } => x.c !== null);
    const t2: number[] = [];
    let rows2 = 0;
    for (const { unitId, c } of cursors) {
      const r = timeMs(() => listProblems(ctx, { unitId, status: 'open', overdue: true, limit: 50, cursor: c }));
      t2.push(r.ms);
      rows2 += r.value.rows.length;
    }
    if (t2.length > 0) {
      cases.push({ name: `same, page 2 via cursor (${t2.length} units)`, input: { cursor: '<page 1 nextCursor>' }, stats: summarize(t2), rows: Math.round(rows2 / t2.length) });
    }

    // The hand-written SQL of the same page: the floor the engine is compared against.
    const rawStmt = ledger.sqlite.prepare(RAW_UNIT_OVERDUE);
    const rawTimes = sample.map((unitId) => timeMs(() => rawStmt.all(unitId, today)).ms);
    main.rawStats = summarize(rawTimes);
    main.ratio = round(main.stats.median / Math.max(main.rawStats.median, 0.001), 2);

    many('unit, all statuses, deadline', (unitId) => ({ unitId, limit: 50 }));
    many('unit + 2-char search (LIKE)', (unitId) => ({ unitId, q: '用车', limit: 50 }));
    many('unit + 5-char search (LIKE in the unit)', (unitId) => ({ unitId, q: '招投标管理', limit: 50 }));
    many('tasks: unit + overdue', (unitId) => ({ unitId, overdue: true, limit: 50 }), tasksRun);
    many('count: unit + open + overdue', (unitId) => ({ unitId, status: 'open', overdue: true }), countRun);

    log('[list] whole-ledger queries');
    for (const q of ['公务用车', '专项资金闲置', '围标串标']) {
      const c = repeat(`FTS '${q}', whole ledger, page 1`, { q, limit: 50 });
      c.plan = explainProblemList(ctx, { q, limit: 50 });
    }
    const round1 = (ledger.sqlite.prepare('SELECT id FROM rounds ORDER BY feedback_on DESC LIMIT 1').get() as { id: string }).id;
    const rc = repeat('latest round + open, deadline', { roundId: round1, status: 'open', limit: 50 });
    rc.plan = explainProblemList(ctx, { roundId: round1, status: 'open', limit: 50 });
    const ov = repeat('whole ledger: open + overdue, deadline', { status: 'open', overdue: true, limit: 50 }, 3);
    ov.plan = explainProblemList(ctx, { status: 'open', overdue: true, limit: 50 });
    const all = repeat('whole ledger, no filter, deadline', { limit: 50 }, 3);
    all.plan = explainProblemList(ctx, { limit: 50 });
    repeat('whole ledger, updatedAt desc', { sort: 'updatedAt', order: 'desc', limit: 50 }, 3);
    repeat('count: whole ledger, overdue', { overdue: true }, 3, countRun);
    const tov = repeat('tasks: whole ledger overdue', { overdue: true, limit: 50 }, 3, tasksRun);
    tov.plan = explainTaskList(ctx, tov.input);
    const dept = repeat("tasks: dept '审计部' + overdue", { responsibleDepartment: '审计部', overdue: true, limit: 50 }, 3, tasksRun);
    dept.plan = explainTaskList(ctx, dept.input);
    repeat("count tasks: dept '审计部' + overdue", { responsibleDepartment: '审计部', overdue: true }, 3, countTasksRun);
    const pd = repeat("problems with a task of '审计部', deadline", { responsibleDepartment: '审计部', limit: 50 }, 3);
    pd.plan = explainProblemList(ctx, pd.input);
    repeat("count problems with a task of '审计部'", { responsibleDepartment: '审计部' }, 3, countRun);
    // The task list's own screen without a round (its count runs on every filter change), and the
    // 来源单位 filter of an aggregating office (migration 0013's indexes; before them: 40 s, 70 s,
    // 30 s and 25 s on this ledger).
    repeat('count: whole ledger, problems', {}, 3, countRun);
    repeat('count tasks: whole ledger', {}, 3, countTasksRun);
    const tu = repeat('tasks: whole ledger, updatedAt desc', { sort: 'updatedAt', order: 'desc', limit: 50 }, 3, tasksRun);
    tu.plan = explainTaskList(ctx, tu.input);
    repeat('count tasks: whole ledger, 待审核', { status: 'pending_review' }, 3, countTasksRun);
    const own = (ledger.sqlite.prepare('SELECT origin_office_id AS o FROM problems LIMIT 1').get() as { o: string }).o;
    const og = repeat('tasks: 来源单位 (this office), updatedAt desc', { originOfficeId: own, sort: 'updatedAt', order: 'desc', limit: 50 }, 3, tasksRun);
    og.plan = explainTaskList(ctx, og.input);
    repeat('count tasks: 来源单位 (this office)', { originOfficeId: own }, 3, countTasksRun);
    return {
      file: built.path, params: p, built: built.built, buildSeconds, fileMB, openMs: round(opened.ms, 0), units: sample.length, cases,
    };
  } finally {
    ledger.close();
  }
}

function readFileSizeMB(path: string): number {
  let bytes = 0;
  for (const suffix of ['', '-wal']) if (existsSync(path + suffix)) bytes += statSync(path + suffix).size;
  return bytes / 1024 / 1024;
}
