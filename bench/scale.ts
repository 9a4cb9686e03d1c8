/**
 * Synthetic scale ledgers (benchmarks, scale tests): a real ledger file with real migrations,
 * first-run set-up and reference data, then rounds/teams/units/inspections/feedbacks written
 * through the audited write layer, then problems and tasks bulk-inserted with raw prepared
 * statements.
 *
 * The bulk part is the ONE place allowed to bypass db/core/write.ts, because the data is synthetic and
 * the audited path would triple the time and the file size (one audit row with JSON per change).
 * It still keeps every invariant the engine relies on:
 * - every sync column is filled: UUIDv7 ids (db/ids.ts, seeded), origin office, created/updated
 *   at/by, a fresh ledger version per row (taken from the same counter the write layer uses) and an
 *   HLC stamp of the row's last write;
 * - problems.status / deadline / task_count / closed_task_count follow the same rule as
 *   refreshProblemRollup (db/services/problems.ts) over the problem's live tasks;
 * - meta 'bulk_version' records the highest version used, which db/open.ts reads at open, so a later
 *   audited write never reuses a version;
 * - a soft-deleted problem has no live tasks (deleteProblem refuses otherwise), and both carry a
 *   reason.
 * Deterministic for a seed: same ids, same rows (password hashes excepted: scrypt salts are random).
 *
 * CLI: npx tsx bench/scale.ts <file> [problems] [seed]
 */
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../db/core/clock.js';
import type { ActingUser, ServiceContext } from '../db/core/context.js';
import { inTransaction } from '../db/core/context.js';
import type { SECTORS } from '../db/domain/enums.js';
import { encodeHlc } from '../db/core/hlc.js';
import { seededRandom, uuidv7Source } from '../db/core/ids.js';
import { openLedger, type Ledger } from '../db/core/open.js';
import { clockRuleSets, feedbacks, inspections, problemCategories, rounds, teams, units, users } from '../db/schema/index.js';
import { setupLedger } from '../db/services/office.js';
import { insertRow } from '../db/core/write.js';
import {
  DELETE_REASONS, DEPARTMENTS, SECTOR_WEIGHTS, docNumber, intBetween, leaderWithPost, makeRng, measureText, personName,
  pick, problemDescription, roundName, taskTerm, teamName, unitName, type Rng,
} from '../db/seed/vocabulary.js';

type Sector = (typeof SECTORS.codes)[number];

/** Bumped whenever the generator's output changes, so cached bench files are rebuilt. */
export const SCALE_FORMAT = 1;
/** The date the synthetic ledger is "as of": overdue flags in benches are computed against it. */
export const SCALE_AS_OF = '2025-06-30';
/** Password of the generated administrator: synthetic data, local files only. */
export const SCALE_PASSWORD = 'scale-bench-2025';

export interface ScaleOptions {
  problems: number;
  /** Average tasks per problem (each problem gets this ±1, the total is exact). Default 2. */
  tasksPerProblem?: number;
  seed?: number;
  /** Default 30 rounds of 35 units each (DOMAIN.md: "a round has ~15 teams and 30-40 units"). */
  rounds?: number;
  unitsPerRound?: number;
  /** Problems per transaction. */
  batch?: number;
  log?: (line: string) => void;
}

export interface ScaleSummary {
  path: string;
  problems: number;
  tasks: number;
  deletedProblems: number;
  rounds: number;
  units: number;
  inspections: number;
  bulkVersion: number;
  officeId: string;
  asOf: string;
  ms: number;
}

// ---------------------------------------------------------------- dates (UTC day numbers)

const DAY = 86_400_000;
const dayOf = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY);
const isoCache = new Map<number, string>();
function iso(day: number): string {
  let s = isoCache.get(day);
  if (!s) {
    s = new Date(day * DAY).toISOString().slice(0, 10);
    isoCache.set(day, s);
  }
  return s;
}
/** Calendar month arithmetic, clamped to the month's last day (2024-01-31 + 1 month = 2024-02-29). */
function addMonths(day: number, months: number): number {
  const d = new Date(day * DAY);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Math.floor(Date.UTC(y, m, Math.min(d.getUTCDate(), last)) / DAY);
}
/** 09:00 Beijing time of a day, plus `offsetMs`. */
const msAt = (day: number, offsetMs = 0) => day * DAY + 3600_000 + offsetMs;

// ---------------------------------------------------------------- SQL

const PROBLEM_COLS = [
  'id', 'origin_office_id', 'created_at', 'created_by', 'updated_at', 'updated_by', 'version', 'hlc',
  'deleted_at', 'deleted_by', 'deleted_reason', 'round_id', 'unit_id', 'inspection_id', 'feedback_id', 'seq',
  'category_id', 'description', 'is_key', 'lead_leader', 'source', 'not_for_disclosure', 'not_for_disclosure_reason',
  'rebound_of_id', 'remark', 'status', 'deadline', 'task_count', 'closed_task_count',
] as const;
const TASK_COLS = [
  'id', 'origin_office_id', 'created_at', 'created_by', 'updated_at', 'updated_by', 'version', 'hlc',
  'deleted_at', 'deleted_by', 'deleted_reason', 'problem_id', 'unit_id', 'round_id', 'seq', 'measures',
  'responsible_leader', 'responsible_department', 'responsible_person', 'term', 'deadline', 'current_deadline',
  'status', 'completed_on', 'reported_on_time', 'submitted_by', 'submitted_at', 'closed_at', 'return_count',
  'material_revision', 'second_round', 'not_for_disclosure', 'not_for_disclosure_reason', 'remark', 'merged_into_id',
] as const;
const insertSql = (table: string, cols: readonly string[]) =>
  `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;

// ---------------------------------------------------------------- generation

const SOURCES: readonly (readonly [string, number])[] = [
  ['inspection_feedback', 80], ['personnel_check', 7], ['transferred_suggestion', 4], ['petition', 4],
  ['lookback', 2], ['daily_supervision', 3],
];

function weighted<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = rng() * total;
  for (const [v, w] of items) {
    x -= w;
    if (x < 0) return v;
  }
  return items[items.length - 1]![0];
}

interface Category { id: string; top: string }

interface InspectionPlan {
  roundId: string;
  unitId: string;
  inspectionId: string;
  feedbackId: string;
  feedbackDay: number;
  problems: number;
}

/** A mutable clock for the generator: time only moves forward. */
function generatorClock(asOf: string, startMs: number): Clock & { to(ms: number): number; ms: number } {
  const c = {
    ms: startMs,
    now: () => c.ms,
    today: () => asOf,
    to(ms: number) {
      if (ms > c.ms) c.ms = ms;
      return c.ms;
    },
  };
  return c;
}

/** Split `total` over `n` parts with random weights in [0.4, 1.6]; parts sum to `total` exactly. */
function spread(rng: Rng, total: number, n: number): number[] {
  const w = Array.from({ length: n }, () => 0.4 + rng() * 1.2);
  const sum = w.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  let acc = 0;
  let prev = 0;
  for (const x of w) {
    acc += x;
    const cut = Math.round((total * acc) / sum);
    out.push(cut - prev);
    prev = cut;
  }
  return out;
}

export function writeScaleLedger(path: string, opts: ScaleOptions): ScaleSummary {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  const total = opts.problems;
  const tpp = opts.tasksPerProblem ?? 2;
  const seed = opts.seed ?? 1;
  const roundCount = opts.rounds ?? 30;
  const perRound = opts.unitsPerRound ?? 35;
  const batch = opts.batch ?? 10_000;
  if (!Number.isInteger(total) || total < 0) throw new Error('problems must be a non-negative integer');
  if (!Number.isInteger(tpp) || tpp < 1) throw new Error('tasksPerProblem must be a positive integer');
  if (existsSync(path)) throw new Error(`${path} already exists: a scale ledger is always written to a new file`);

  const rng = makeRng(seed);
  const asOfDay = dayOf(SCALE_AS_OF);
  const firstFeedback = dayOf('2021-03-15');
  const lastFeedback = asOfDay - 45;
  const clock = generatorClock(SCALE_AS_OF, msAt(dayOf('2020-12-01')));
  const ids = uuidv7Source(() => clock.ms, seededRandom(seed));

  const ledger = openLedger(path);
  let ok = false;
  try {
    const ctx0: ServiceContext = { ledger, clock, ids, user: null };
    setupLedger(ctx0, {
      officeName: '某省委巡视工作领导小组办公室', officeKind: 'inspection_office', level: 'province',
      adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: SCALE_PASSWORD,
    });
    const officeId = ledger.state.officeId!;
    const admin = ledger.orm.select().from(users).get()!;
    const adminUser: ActingUser = { id: admin.id, role: 'admin', canViewClues: false, displayName: admin.displayName };
    // Accounts written directly (createUser would hash a password per account): the bench never logs in as them.
    const ctx: ServiceContext = { ledger, clock, ids, user: adminUser };
    const entry = inTransaction(ctx, () => insertRow(ctx, users, {
      officeId, username: 'luru', displayName: '张某某', role: 'entry', canViewClues: false, passwordHash: null, active: true,
    }));
    const reviewer = inTransaction(ctx, () => insertRow(ctx, users, {
      officeId, username: 'shenhe', displayName: '赵某', role: 'reviewer', canViewClues: false, passwordHash: null, active: true,
    }));

    const categories = loadCategories(ledger);
    const ruleSets = Object.fromEntries(ledger.orm.select().from(clockRuleSets).all().map((r) => [r.code, r.id]));

    // Units: a pool somewhat smaller than rounds × units, so some units are inspected twice (回头看).
    const poolSize = Math.max(perRound, Math.ceil(roundCount * perRound * 0.8));
    const sectorCounters = new Map<Sector, number>();
    const unitPool = Array.from({ length: poolSize }, () => {
      const sector = weighted(rng, SECTOR_WEIGHTS);
      const k = sectorCounters.get(sector) ?? 0;
      sectorCounters.set(sector, k + 1);
      return { sector, name: unitName(sector, k), id: null as string | null };
    });
    const order = unitPool.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }

    const perInspection = spread(rng, total, roundCount * perRound);
    const plans: InspectionPlan[][] = [];
    let inspectionCount = 0;
    for (let r = 0; r < roundCount; r++) {
      const feedbackDay = firstFeedback + Math.floor(((lastFeedback - firstFeedback) * r) / Math.max(1, roundCount - 1));
      const year = new Date(feedbackDay * DAY).getUTCFullYear();
      const level = r % 3 === 2 ? 'city' : 'province';
      const mobilised = addMonths(feedbackDay, -4);
      clock.to(msAt(mobilised));
      const roundPlans = inTransaction(ctx, () => {
        const round = insertRow(ctx, rounds, {
          name: roundName(level, year, (r % 3) + 1 + Math.floor(r / 9)), level, form: level === 'city' ? 'xuncha' : 'xunshi',
          kind: r % 10 === 9 ? 'lookback' : r % 7 === 6 ? 'special' : 'regular',
          mobilisedOn: iso(mobilised), enteredOn: iso(mobilised + 10), feedbackOn: iso(feedbackDay),
          ruleSetId: (year >= 2022 ? ruleSets['CPC-2022'] : ruleSets['CPC-2017'])!,
        });
        const teamIds = Array.from({ length: Math.min(15, perRound) }, (_, n) =>
          insertRow(ctx, teams, { roundId: round.id, number: n + 1, name: teamName(n + 1), leaderName: personName(rng) }).id);
        const out: InspectionPlan[] = [];
        for (let j = 0; j < perRound; j++) {
          const u = unitPool[order[(r * perRound + j) % poolSize]!]!;
          if (!u.id) u.id = insertRow(ctx, units, { name: u.name, sector: u.sector, parentUnitId: null, underOverhaul: false }).id;
          const insp = insertRow(ctx, inspections, { roundId: round.id, teamId: teamIds[j % teamIds.length]!, unitId: u.id });
          const fbDay = feedbackDay + intBetween(rng, 0, 4);
          const fb = insertRow(ctx, feedbacks, {
            inspectionId: insp.id, kind: j % 4 === 0 ? 'one_to_one' : 'collective', feedbackDate: iso(fbDay),
            docNumber: docNumber(year, j + 1), body: '巡视组反馈意见（合成数据）。',
          });
          out.push({ roundId: round.id, unitId: u.id, inspectionId: insp.id, feedbackId: fb.id, feedbackDay: fbDay,
            problems: perInspection[r * perRound + j]! });
        }
        return out;
      });
      plans.push(roundPlans);
      inspectionCount += roundPlans.length;
    }
    log(`[scale] 设置完成：${roundCount} 轮巡视，${unitPool.filter((u) => u.id).length} 个单位，${inspectionCount} 个巡视对象`);

    const result = bulkProblems(ledger, {
      rng, ids, clock, officeId, entryId: entry.id, reviewerId: reviewer.id, categories, plans, tpp, batch, asOfDay, total, log,
    });
    ledger.prepare("INSERT INTO meta (key, value) VALUES ('bulk_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .run(String(result.bulkVersion));
    ok = true;
    return {
      path, problems: total, tasks: result.tasks, deletedProblems: result.deleted, rounds: roundCount,
      units: unitPool.filter((u) => u.id).length, inspections: inspectionCount, bulkVersion: result.bulkVersion, officeId,
      asOf: SCALE_AS_OF, ms: Date.now() - started,
    };
  } finally {
    ledger.close();
    // A half-written synthetic ledger is worthless: remove it.
    if (!ok) for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  }
}

function loadCategories(ledger: Ledger): Category[] {
  const all = ledger.orm.select().from(problemCategories).all();
  const byId = new Map(all.map((c) => [c.id, c]));
  const hasChildren = new Set(all.map((c) => c.parentId).filter((x): x is string => !!x));
  // Problems are filed under leaf categories; the description borrows the wording of the top one.
  return all.filter((c) => !hasChildren.has(c.id)).map((c) => ({ id: c.id, top: c.parentId ? byId.get(c.parentId)!.name : c.name }));
}

interface BulkInput {
  rng: Rng;
  ids: ReturnType<typeof uuidv7Source>;
  clock: ReturnType<typeof generatorClock>;
  officeId: string;
  entryId: string;
  reviewerId: string;
  categories: Category[];
  plans: InspectionPlan[][];
  tpp: number;
  batch: number;
  asOfDay: number;
  total: number;
  log: (line: string) => void;
}

type TaskStatus = 'draft' | 'in_progress' | 'pending_review' | 'closed';

function bulkProblems(ledger: Ledger, b: BulkInput): { tasks: number; deleted: number; bulkVersion: number } {
  const { rng, ids, clock, officeId, asOfDay } = b;
  const db = ledger.sqlite;
  const st = ledger.state;
  // Speed over durability while writing synthetic data: a crash leaves a file to delete anyway.
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -524288');
  db.pragma('temp_store = MEMORY');
  // The FTS triggers index row by row, four times slower than one 'rebuild' at the end. The table
  // starts empty, so drop them for the load and put back exactly the SQL the migrations created.
  const ftsTriggers = db.prepare(
    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('problems', 'tasks') AND sql LIKE '%\\_fts%' ESCAPE '\\'",
  ).all() as { name: string; sql: string }[];
  for (const t of ftsTriggers) db.exec(`DROP TRIGGER "${t.name}"`);
  const insP = db.prepare(insertSql('problems', PROBLEM_COLS));
  const insT = db.prepare(insertSql('tasks', TASK_COLS));
  const lastDay = asOfDay - 1;
  // One ledger version per row, from the counter the write layer uses. The HLC stamp is that of
  // the row's last write (its updated_at), as if the office had typed the changes in over time.
  const nextVersion = () => ++st.version;
  const isoMs = (ms: number) => new Date(ms).toISOString();

  let done = 0;
  let taskTotal = 0;
  let deleted = 0;
  let pendingDelta = 0; // pairs task counts so the total is exactly problems × tpp
  const started = Date.now();
  const pRow: unknown[] = new Array(PROBLEM_COLS.length);

  const flat = b.plans.flat();
  let planIdx = 0;
  let left = flat[0]?.problems ?? 0;
  let seq = 0;
  while (done < b.total) {
    db.transaction(() => {
      const end = Math.min(b.total, done + b.batch);
      for (; done < end; done++) {
        while (left === 0) {
          planIdx++;
          left = flat[planIdx]!.problems;
          seq = 0;
        }
        left--;
        seq++;
        const plan = flat[planIdx]!;
        const fb = plan.feedbackDay;
        const year = new Date(fb * DAY).getUTCFullYear();
        // Problems are entered from a week after the feedback on, a second apart.
        const createdMs = clock.to(Math.max(clock.ms + 1000, msAt(fb + 7)));
        const createdAt = isoMs(createdMs);
        const cat = pick(rng, b.categories);
        let k = b.tpp;
        if (done % 2 === 0) {
          const d = b.tpp > 1 && done + 1 < b.total ? intBetween(rng, -1, 1) : 0;
          k += d;
          pendingDelta = -d;
        } else {
          k += pendingDelta;
          pendingDelta = 0;
        }
        const isDeleted = rng() < 0.001;
        const problemId = ids.next();
        const pVersion = nextVersion();
        // Tasks first (in memory): the problem row carries their rollup.
        let live = 0;
        let closed = 0;
        let pending = 0;
        let nextDeadline: number | null = null;
        const taskRows: unknown[][] = [];
        for (let s = 1; s <= k; s++) {
          const term = taskTerm(rng);
          const deadline = term === 'immediate' ? addMonths(fb, 1) - intBetween(rng, 0, 10)
            : term === 'concentrated' ? addMonths(fb, 3) - intBetween(rng, 0, 20)
              : addMonths(fb, rng() < 0.5 ? 12 : 24);
          const current = term !== 'immediate' && rng() < 0.08 ? addMonths(deadline, intBetween(rng, 1, 3)) : deadline;
          const status = taskStatus(rng, current, createdMs, asOfDay);
          const tCreatedMs = createdMs + s * 10;
          let completedOn: number | null = null;
          let submittedMs: number | null = null;
          let closedMs: number | null = null;
          let returns = 0;
          if (status === 'pending_review' || status === 'closed') {
            const createdDay = Math.floor(tCreatedMs / DAY);
            completedOn = rng() < 0.12 ? current + intBetween(rng, 1, 40) : current - intBetween(rng, 0, 60);
            completedOn = Math.min(lastDay - 2, Math.max(createdDay + 1, completedOn));
            submittedMs = msAt(Math.min(lastDay - 1, completedOn + intBetween(rng, 0, 10)), 3600_000);
            if (status === 'closed') closedMs = msAt(Math.min(lastDay, Math.floor(submittedMs / DAY) + intBetween(rng, 1, 20)), 5 * 3600_000);
            const x = rng();
            returns = x < 0.02 ? 2 : x < 0.1 ? 1 : 0;
          }
          const updatedMs = closedMs ?? submittedMs ?? (status === 'in_progress' ? Math.max(tCreatedMs, Math.min(msAt(lastDay), tCreatedMs + 3 * DAY)) : tCreatedMs);
          const taskId = ids.next();
          const tVersion = nextVersion();
          const reportedOnTime = completedOn === null ? null : completedOn <= current ? 1 : rng() < 0.15 ? 1 : 0;
          taskRows.push([
            taskId, officeId, isoMs(tCreatedMs), b.entryId, isoMs(updatedMs), status === 'closed' ? b.reviewerId : b.entryId,
            tVersion, encodeHlc({ wall: updatedMs, counter: 0 }, officeId),
            null, null, null, problemId, plan.unitId, plan.roundId, s, measureText(rng),
            leaderWithPost(rng), pick(rng, DEPARTMENTS), personName(rng), term, iso(deadline), iso(current),
            status, completedOn === null ? null : iso(completedOn), reportedOnTime,
            submittedMs === null ? null : b.entryId, submittedMs === null ? null : isoMs(submittedMs),
            closedMs === null ? null : isoMs(closedMs), returns, 1, 0, 0, null, null, null,
          ]);
          live++;
          if (status === 'closed') closed++;
          else {
            if (status === 'pending_review') pending++;
            if (nextDeadline === null || current < nextDeadline) nextDeadline = current;
          }
        }
        let deletedAt: string | null = null;
        let updatedMs = createdMs;
        if (isDeleted) {
          // deleteProblem refuses while tasks are live: its tasks were dropped first, with the reason.
          updatedMs = createdMs + DAY;
          deletedAt = isoMs(updatedMs);
          const reason = pick(rng, DELETE_REASONS);
          for (const t of taskRows) {
            t[8] = deletedAt;
            t[9] = b.entryId;
            t[10] = reason;
            t[4] = deletedAt;
            t[5] = b.entryId;
            t[7] = encodeHlc({ wall: updatedMs, counter: 1 }, officeId);
          }
          live = closed = pending = 0;
          nextDeadline = null;
          deleted++;
        }
        // Same rule as refreshProblemRollup (db/services/problems.ts).
        const status = live > 0 && closed === live ? 'closed' : pending > 0 && pending + closed === live ? 'pending_review' : 'open';
        const isKey = rng() < 0.06;
        const hidden = rng() < 0.01;
        const p = pRow;
        p[0] = problemId; p[1] = officeId; p[2] = createdAt; p[3] = b.entryId; p[4] = isoMs(updatedMs); p[5] = b.entryId;
        p[6] = pVersion; p[7] = encodeHlc({ wall: updatedMs, counter: isDeleted ? 1 : 0 }, officeId);
        p[8] = deletedAt; p[9] = deletedAt ? b.entryId : null; p[10] = deletedAt ? '问题重复录入，已撤销其整改任务' : null;
        p[11] = plan.roundId; p[12] = plan.unitId; p[13] = plan.inspectionId; p[14] = plan.feedbackId; p[15] = seq;
        p[16] = cat.id; p[17] = problemDescription(rng, cat.top, year); p[18] = isKey ? 1 : 0;
        p[19] = isKey ? leaderWithPost(rng) : null; p[20] = weighted(rng, SOURCES); p[21] = hidden ? 1 : 0;
        p[22] = hidden ? '涉及正在审查调查的案件' : null; p[23] = null; p[24] = null; p[25] = status;
        p[26] = nextDeadline === null ? null : iso(nextDeadline); p[27] = live; p[28] = closed;
        insP.run(p);
        for (const t of taskRows) insT.run(t);
        taskTotal += k;
      }
    })();
    const secs = (Date.now() - started) / 1000;
    b.log(`[scale] ${done.toLocaleString('en-US')} / ${b.total.toLocaleString('en-US')} 个问题，${taskTotal.toLocaleString('en-US')} 个任务，${secs.toFixed(1)} 秒（${Math.round(done / Math.max(secs, 0.001)).toLocaleString('en-US')} 问题/秒）`);
  }
  const bulkVersion = st.version;
  b.log('[scale] 重建全文索引…');
  db.transaction(() => {
    for (const t of ftsTriggers) db.exec(t.sql);
    db.exec("INSERT INTO problems_fts(problems_fts) VALUES ('rebuild')");
    db.exec("INSERT INTO tasks_fts(tasks_fts) VALUES ('rebuild')");
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  // Back to the settings db/open.ts uses for everyday work.
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -2000');
  return { tasks: taskTotal, deleted, bulkVersion };
}

/**
 * A task's state as of `asOf`: long past its deadline → almost surely closed; just past → mostly
 * closed, some overdue; still running → mostly in progress (drafts only when freshly entered).
 */
function taskStatus(rng: Rng, current: number, createdMs: number, asOfDay: number): TaskStatus {
  const x = rng();
  if (current < asOfDay - 180) return x < 0.96 ? 'closed' : x < 0.97 ? 'pending_review' : 'in_progress';
  if (current < asOfDay) return x < 0.75 ? 'closed' : x < 0.83 ? 'pending_review' : 'in_progress';
  if (createdMs > (asOfDay - 60) * DAY) return x < 0.3 ? 'draft' : x < 0.9 ? 'in_progress' : x < 0.95 ? 'pending_review' : 'closed';
  return x < 0.25 ? 'closed' : x < 0.35 ? 'pending_review' : 'in_progress';
}

// ---------------------------------------------------------------- CLI

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, n, s] = process.argv.slice(2);
  if (!file) {
    console.error('用法：npx tsx bench/scale.ts <台账文件> [问题数，默认 1000000] [随机种子，默认 1]');
    process.exit(2);
  }
  const problems = n ? Number(n) : 1_000_000;
  if (existsSync(file)) {
    console.error(`${file} 已存在，请先删除或换一个文件名。`);
    process.exit(2);
  }
  const r = writeScaleLedger(file, { problems, seed: s ? Number(s) : 1, log: (l) => console.log(l) });
  console.log(`[scale] 完成：${r.problems} 个问题，${r.tasks} 个任务，${r.units} 个单位，用时 ${(r.ms / 1000).toFixed(1)} 秒；`
    + `截至日期 ${r.asOf}；管理员 admin / ${SCALE_PASSWORD}`);
}
