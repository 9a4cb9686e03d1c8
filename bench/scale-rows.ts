/**
 * The rows of a synthetic scale ledger (bench/scale.ts): dates, weights and the problem and task
 * rows of one problem, exactly as bench/scale-bulk.ts inserts them (column order of PROBLEM_COLS
 * and TASK_COLS). Everything random comes from the seeded generator, in a fixed order, so a seed
 * gives the same rows.
 */
import type { Clock } from '../db/core/clock.js';
import { encodeHlc } from '../db/core/hlc.js';
import type { uuidv7Source } from '../db/core/ids.js';
import {
  DELETE_REASONS, DEPARTMENTS, intBetween, leaderWithPost, measureText, personName, pick, problemDescription, taskTerm, type Rng,
} from '../db/seed/vocabulary.js';

// ---------------------------------------------------------------- dates (UTC day numbers)

export const DAY = 86_400_000;
export const dayOf = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY);
const isoCache = new Map<number, string>();
export function iso(day: number): string {
  let s = isoCache.get(day);
  if (!s) {
    s = new Date(day * DAY).toISOString().slice(0, 10);
    isoCache.set(day, s);
  }
  return s;
}
/** Calendar month arithmetic, clamped to the month's last day (2024-01-31 + 1 month = 2024-02-29). */
export function addMonths(day: number, months: number): number {
  const d = new Date(day * DAY);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Math.floor(Date.UTC(y, m, Math.min(d.getUTCDate(), last)) / DAY);
}
/** 09:00 Beijing time of a day, plus `offsetMs`. */
export const msAt = (day: number, offsetMs = 0) => day * DAY + 3600_000 + offsetMs;

// ---------------------------------------------------------------- columns

export const PROBLEM_COLS = [
  'id', 'origin_office_id', 'created_at', 'created_by', 'updated_at', 'updated_by', 'version', 'hlc',
  'deleted_at', 'deleted_by', 'deleted_reason', 'round_id', 'unit_id', 'inspection_id', 'feedback_id', 'seq',
  'category_id', 'description', 'is_key', 'lead_leader', 'source', 'not_for_disclosure', 'not_for_disclosure_reason',
  'rebound_of_id', 'remark', 'status', 'deadline', 'task_count', 'closed_task_count',
] as const;
export const TASK_COLS = [
  'id', 'origin_office_id', 'created_at', 'created_by', 'updated_at', 'updated_by', 'version', 'hlc',
  'deleted_at', 'deleted_by', 'deleted_reason', 'problem_id', 'unit_id', 'round_id', 'seq', 'measures',
  'responsible_leader', 'responsible_department', 'responsible_person', 'term', 'deadline', 'current_deadline',
  'status', 'completed_on', 'reported_on_time', 'submitted_by', 'submitted_at', 'closed_at', 'return_count',
  'material_revision', 'second_round', 'not_for_disclosure', 'not_for_disclosure_reason', 'remark', 'merged_into_id',
] as const;

// ---------------------------------------------------------------- generation

const SOURCES: readonly (readonly [string, number])[] = [
  ['inspection_feedback', 80], ['personnel_check', 7], ['transferred_suggestion', 4], ['petition', 4],
  ['lookback', 2], ['daily_supervision', 3],
];

export function weighted<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = rng() * total;
  for (const [v, w] of items) {
    x -= w;
    if (x < 0) return v;
  }
  return items[items.length - 1]![0];
}

export interface Category { id: string; top: string }

export interface InspectionPlan {
  roundId: string;
  unitId: string;
  inspectionId: string;
  feedbackId: string;
  feedbackDay: number;
  problems: number;
}

export type GeneratorClock = Clock & { to(ms: number): number; ms: number };

/** A mutable clock for the generator: time only moves forward. */
export function generatorClock(asOf: string, startMs: number): GeneratorClock {
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
export function spread(rng: Rng, total: number, n: number): number[] {
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

type TaskStatus = 'draft' | 'in_progress' | 'pending_review' | 'closed';

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

// ---------------------------------------------------------------- one problem and its tasks

export interface GeneratorInput {
  rng: Rng;
  ids: ReturnType<typeof uuidv7Source>;
  clock: GeneratorClock;
  officeId: string;
  entryId: string;
  reviewerId: string;
  categories: Category[];
  /** Average tasks per problem. */
  tpp: number;
  /** Problems in all. */
  total: number;
  asOfDay: number;
  /** The next ledger version (the counter the write layer uses). */
  nextVersion: () => number;
}

export interface ProblemRows {
  /** In PROBLEM_COLS order; the array is reused from one problem to the next. */
  problem: unknown[];
  /** In TASK_COLS order. */
  tasks: unknown[][];
  deleted: boolean;
}

/**
 * The generator of problems: call it with the inspection, the problem's number in it and how
 * many problems came before (`done`), once per problem in order.
 */
export function problemGenerator(g: GeneratorInput): (plan: InspectionPlan, seq: number, done: number) => ProblemRows {
  const { rng, ids, clock, officeId, asOfDay } = g;
  const lastDay = asOfDay - 1;
  const isoMs = (ms: number) => new Date(ms).toISOString();
  let pendingDelta = 0; // pairs task counts so the total is exactly problems × tpp
  const pRow: unknown[] = new Array(PROBLEM_COLS.length);

  return (plan, seq, done) => {
    const fb = plan.feedbackDay;
    const year = new Date(fb * DAY).getUTCFullYear();
    // Problems are entered from a week after the feedback on, a second apart.
    const createdMs = clock.to(Math.max(clock.ms + 1000, msAt(fb + 7)));
    const createdAt = isoMs(createdMs);
    const cat = pick(rng, g.categories);
    let k = g.tpp;
    if (done % 2 === 0) {
      const d = g.tpp > 1 && done + 1 < g.total ? intBetween(rng, -1, 1) : 0;
      k += d;
      pendingDelta = -d;
    } else {
      k += pendingDelta;
      pendingDelta = 0;
    }
    const isDeleted = rng() < 0.001;
    const problemId = ids.next();
    const pVersion = g.nextVersion();
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
      const tVersion = g.nextVersion();
      const reportedOnTime = completedOn === null ? null : completedOn <= current ? 1 : rng() < 0.15 ? 1 : 0;
      taskRows.push([
        taskId, officeId, isoMs(tCreatedMs), g.entryId, isoMs(updatedMs), status === 'closed' ? g.reviewerId : g.entryId,
        tVersion, encodeHlc({ wall: updatedMs, counter: 0 }, officeId),
        null, null, null, problemId, plan.unitId, plan.roundId, s, measureText(rng),
        leaderWithPost(rng), pick(rng, DEPARTMENTS), personName(rng), term, iso(deadline), iso(current),
        status, completedOn === null ? null : iso(completedOn), reportedOnTime,
        submittedMs === null ? null : g.entryId, submittedMs === null ? null : isoMs(submittedMs),
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
        t[9] = g.entryId;
        t[10] = reason;
        t[4] = deletedAt;
        t[5] = g.entryId;
        t[7] = encodeHlc({ wall: updatedMs, counter: 1 }, officeId);
      }
      live = closed = pending = 0;
      nextDeadline = null;
    }
    // Same rule as refreshProblemRollup (db/services/problems.ts).
    const status = live > 0 && closed === live ? 'closed' : pending > 0 && pending + closed === live ? 'pending_review' : 'open';
    const isKey = rng() < 0.06;
    const hidden = rng() < 0.01;
    const p = pRow;
    p[0] = problemId; p[1] = officeId; p[2] = createdAt; p[3] = g.entryId; p[4] = isoMs(updatedMs); p[5] = g.entryId;
    p[6] = pVersion; p[7] = encodeHlc({ wall: updatedMs, counter: isDeleted ? 1 : 0 }, officeId);
    p[8] = deletedAt; p[9] = deletedAt ? g.entryId : null; p[10] = deletedAt ? '问题重复录入，已撤销其整改任务' : null;
    p[11] = plan.roundId; p[12] = plan.unitId; p[13] = plan.inspectionId; p[14] = plan.feedbackId; p[15] = seq;
    p[16] = cat.id; p[17] = problemDescription(rng, cat.top, year); p[18] = isKey ? 1 : 0;
    p[19] = isKey ? leaderWithPost(rng) : null; p[20] = weighted(rng, SOURCES); p[21] = hidden ? 1 : 0;
    p[22] = hidden ? '涉及正在审查调查的案件' : null; p[23] = null; p[24] = null; p[25] = status;
    p[26] = nextDeadline === null ? null : iso(nextDeadline); p[27] = live; p[28] = closed;
    return { problem: p, tasks: taskRows, deleted: isDeleted };
  };
}
