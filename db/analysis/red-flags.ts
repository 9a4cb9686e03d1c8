import type { ServiceContext } from '../core/context.js';
import { addMonths } from '../clocks/months.js';
import { readRules } from '../clocks/statutory.js';
import { invalid } from '../domain/errors.js';
import { requirePermission } from '../core/permissions.js';
import * as v from '../core/validate.js';
import { checkScope, LIVE_TASK, readScope, scopeWhere, type Scope } from './aggregates.js';

/**
 * Signs of fake rectification (虚假整改, DOMAIN.md "Signs of fake rectification worth flagging"),
 * one SQL query each, except the rebound check, which is a text-similarity join run per unit
 * (see similarPairs). A flag is a reason to look, not a finding: every item carries the evidence
 * that raised it so a reviewer can judge. Only live records count (see aggregates.ts: a task
 * counts while it and its problem are live; merged tasks are tombstoned by the task service).
 *
 * Several queries pin their join order (CROSS JOIN, unary +): a fresh ledger has no statistics,
 * and SQLite's guesses would otherwise start from the evidence table on a round's list.
 */

export const RED_FLAG_LABELS = {
  closed_without_evidence: '销号无佐证材料',
  evidence_reused: '同一佐证材料用于不相关任务',
  late_but_on_time: '超期完成却报按期完成',
  evidence_after_deadline: '报按期完成但佐证材料形成于时限之后',
  mass_closure: '报告截止前集中销号',
  rebound: '问题反弹（后续巡视再次出现）',
  repeated_returns: '销号多次被退回',
} as const;
export type RedFlagKind = keyof typeof RED_FLAG_LABELS;
export const RED_FLAG_KINDS = Object.keys(RED_FLAG_LABELS) as RedFlagKind[];

export interface RedFlagOptions {
  scope: Scope;
  /** Items returned per kind (the count is always the full count). */
  limit: number;
  /** mass_closure: at least this many tasks of one unit closed on one day… */
  minTasks: number;
  /** …within this many days before the progress report is due (the due day included). */
  windowDays: number;
  /** rebound: bigram Dice similarity of the normalised descriptions, 0.5..1. */
  minSimilarity: number;
}

export const DEFAULTS = { limit: 100, minTasks: 10, windowDays: 7, minSimilarity: 0.8 } as const;

export interface FlagList<T> {
  kind: RedFlagKind;
  label: string;
  count: number;
  items: T[];
}

/** Where a task sits: enough to show it in a list and open it. */
export interface TaskRef {
  taskId: string;
  taskSeq: number;
  problemId: string;
  problemSeq: number;
  unitId: string;
  unitName: string;
  roundId: string | null;
  roundName: string | null;
  /** The problem's description, cut to 60 characters. */
  excerpt: string;
  measuresExcerpt: string;
  responsibleDepartment: string | null;
  status: string;
}

export interface ClosedWithoutEvidence extends TaskRef {
  closedAt: string | null;
  /** Evidence once cited by the task (or its progress entries) and since deleted. */
  deletedEvidence: number;
}
export interface ReusedEvidence {
  sha256: string;
  problemCount: number;
  taskCount: number;
  fileNames: string[];
  tasks: (TaskRef & { fileName: string })[];
}
export interface LateButOnTime extends TaskRef {
  deadline: string;
  currentDeadline: string;
  completedOn: string;
  daysLate: number;
}
export interface EvidenceAfterDeadline extends TaskRef {
  currentDeadline: string;
  completedOn: string | null;
  latestFormedOn: string;
  files: { fileName: string; formedOn: string; sha256: string }[];
}
export interface MassClosure {
  unitId: string;
  unitName: string;
  roundId: string;
  roundName: string;
  inspectionId: string;
  closedOn: string;
  dueOn: string;
  daysBeforeDue: number;
  count: number;
  taskIds: string[];
}
export interface Rebound {
  problemId: string;
  problemSeq: number;
  unitId: string;
  unitName: string;
  roundId: string | null;
  roundName: string | null;
  excerpt: string;
  earlierProblemId: string;
  earlierRoundId: string | null;
  earlierRoundName: string | null;
  earlierExcerpt: string;
  earlierStatus: string;
  /** 'linked': the problem says so (reboundOfId); otherwise found by its text. */
  match: 'linked' | 'identical' | 'similar';
  similarity: number;
}
export interface RepeatedReturns extends TaskRef {
  returnCount: number;
  /** Returned close-out reviews on record, and the latest reason given. */
  returnsRecorded: number;
  lastReturnComment: string | null;
  lastReturnedAt: string | null;
}

// ---------------------------------------------------------------------------------------------
// Input

function readOptions(i: v.Input): RedFlagOptions {
  const opt = (x: unknown, field: string, label: string, min: number, max: number, dflt: number) =>
    x === undefined || x === null ? dflt : v.int(x, field, label, min, max);
  const minSimilarity = v.optNumber(i.minSimilarity, 'minSimilarity', '相似度阈值', 0.5, 1) ?? DEFAULTS.minSimilarity;
  return {
    scope: readScope(i),
    limit: opt(i.limit, 'limit', '每类显示条数', 1, 1000, DEFAULTS.limit),
    minTasks: opt(i.minTasks, 'minTasks', '同日销号任务数', 2, 10000, DEFAULTS.minTasks),
    windowDays: opt(i.windowDays, 'windowDays', '截止前天数', 0, 92, DEFAULTS.windowDays),
    minSimilarity,
  };
}

function prepare(ctx: ServiceContext, raw: unknown): RedFlagOptions {
  const o = readOptions(v.object(raw));
  requirePermission(ctx, 'ledger.read');
  checkScope(ctx, o.scope);
  return o;
}

// ---------------------------------------------------------------------------------------------
// Shared SQL

const excerpt = (col: string, n = 60) => `CASE WHEN length(${col}) > ${n} THEN substr(${col}, 1, ${n}) || '…' ELSE ${col} END`;

const TASK_COLUMNS = `t.id AS taskId, t.seq AS taskSeq, t.problem_id AS problemId, p.seq AS problemSeq,
  t.unit_id AS unitId, u.name AS unitName, t.round_id AS roundId, r.name AS roundName,
  ${excerpt('p.description')} AS excerpt, ${excerpt('t.measures')} AS measuresExcerpt,
  t.responsible_department AS responsibleDepartment, t.status AS status`;
/** What a task row (alias t) needs joined for TASK_COLUMNS. */
const TASK_CONTEXT_JOINS = `JOIN problems p ON p.id = t.problem_id JOIN units u ON u.id = t.unit_id
  LEFT JOIN rounds r ON r.id = t.round_id`;
const TASK_FROM = `tasks t ${TASK_CONTEXT_JOINS}`;

/**
 * Task `t` has live evidence of its own / on one of its live progress entries: two plain index
 * lookups, with CROSS JOIN fixing the order task → its progress entries → their evidence, so the
 * planner never starts from the (much larger) evidence table, whatever its statistics say.
 */
const HAS_OWN_EVIDENCE = `EXISTS (SELECT 1 FROM evidence e
    WHERE e.owner_type = 'task' AND e.owner_id = t.id AND e.deleted_at IS NULL)`;
const HAS_PROGRESS_EVIDENCE = `EXISTS (SELECT 1 FROM progress_entries pe CROSS JOIN evidence e
    WHERE pe.task_id = t.id AND pe.deleted_at IS NULL
      AND e.owner_type = 'progress' AND e.owner_id = pe.id AND e.deleted_at IS NULL)`;

type Params = (string | number)[];

/**
 * The full count and the first `limit` items of one flag query, evaluated once: the window count
 * is taken over every row before LIMIT applies.
 */
function run<T>(ctx: ServiceContext, kind: RedFlagKind, sql: string, params: Params, orderBy: string, limit: number, map?: (r: Record<string, unknown>) => T): FlagList<T> {
  const rows = ctx.ledger.prepare(`SELECT *, count(*) OVER () AS rf_total FROM (${sql}) ORDER BY ${orderBy} LIMIT ?`)
    .all(...params, limit) as Record<string, unknown>[];
  const count = rows.length === 0 ? 0 : Number(rows[0]!.rf_total);
  for (const r of rows) delete r.rf_total;
  return { kind, label: RED_FLAG_LABELS[kind], count, items: map ? rows.map(map) : (rows as T[]) };
}

const parseJson = <T>(s: unknown): T => JSON.parse(String(s)) as T;

// ---------------------------------------------------------------------------------------------
// (a) 销号无佐证材料

function closedWithoutEvidenceQuery(ctx: ServiceContext, o: RedFlagOptions): FlagList<ClosedWithoutEvidence> {
  const w = scopeWhere(o.scope, 't.round_id', 't.unit_id');
  const sql = `SELECT ${TASK_COLUMNS}, t.closed_at AS closedAt,
      (SELECT count(*) FROM evidence e WHERE e.owner_type = 'task' AND e.owner_id = t.id)
      + (SELECT count(*) FROM progress_entries pe CROSS JOIN evidence e
         WHERE pe.task_id = t.id AND e.owner_type = 'progress' AND e.owner_id = pe.id) AS deletedEvidence
    FROM ${TASK_FROM}
    WHERE ${LIVE_TASK} AND t.status = 'closed'${w.sql}
      AND NOT ${HAS_OWN_EVIDENCE} AND NOT ${HAS_PROGRESS_EVIDENCE}`;
  return run(ctx, 'closed_without_evidence', sql, w.params, 'closedAt DESC, taskId', o.limit);
}

/**
 * Tasks closed out (已销号) with no live evidence of their own nor on any of their live progress
 * entries. `deletedEvidence` counts the evidence that was cited once and is gone now (deleted, or
 * on a deleted progress entry; with no live evidence left that is all of it): evidence removed
 * after approval is itself worth a look.
 */
export function closedWithoutEvidence(ctx: ServiceContext, raw: unknown): FlagList<ClosedWithoutEvidence> {
  return closedWithoutEvidenceQuery(ctx, prepare(ctx, raw));
}

// ---------------------------------------------------------------------------------------------
// (b) 同一佐证材料用于不相关任务

/**
 * Citations (sha256 → live task) among `hashes`: evidence on a task, or on a live progress entry
 * of a task, resolved to live tasks of live problems; one row per (hash, task). The unary + keeps
 * SQLite on the sha256 index: left to guess, it may walk every task's evidence by owner type.
 */
const CITATIONS = `cited_raw AS (
    SELECT e.sha256, e.owner_id AS task_id, e.file_name FROM evidence e
      WHERE +e.owner_type = 'task' AND e.deleted_at IS NULL AND e.sha256 IN (SELECT sha256 FROM hashes)
    UNION ALL
    SELECT e.sha256, pe.task_id, e.file_name FROM evidence e
      JOIN progress_entries pe ON pe.id = e.owner_id AND pe.deleted_at IS NULL
      WHERE +e.owner_type = 'progress' AND e.deleted_at IS NULL AND e.sha256 IN (SELECT sha256 FROM hashes)
  ),
  cited AS (
    SELECT c.sha256, c.task_id, min(c.file_name) AS file_name, t.problem_id
    FROM cited_raw c JOIN tasks t ON t.id = c.task_id JOIN problems p ON p.id = t.problem_id
    WHERE ${LIVE_TASK}
    GROUP BY c.sha256, c.task_id
  )`;

function evidenceReusedQuery(ctx: ServiceContext, o: RedFlagOptions): FlagList<ReusedEvidence> {
  const w = scopeWhere(o.scope, 't.round_id', 't.unit_id');
  // Scoped: start from the tasks in scope (index on round/unit) and take their files' hashes
  // (CROSS JOIN keeps that order: without statistics SQLite would rather walk all the evidence).
  // Whole ledger: start from the hashes cited more than once (index on sha256), far fewer.
  const hashes = o.scope.roundId || o.scope.unitId
    ? `hashes AS (
        SELECT e.sha256 FROM tasks t CROSS JOIN problems p CROSS JOIN evidence e
          WHERE p.id = t.problem_id AND ${LIVE_TASK}${w.sql}
            AND e.owner_type = 'task' AND e.owner_id = t.id AND e.deleted_at IS NULL
        UNION
        SELECT e.sha256 FROM tasks t CROSS JOIN problems p CROSS JOIN progress_entries pe CROSS JOIN evidence e
          WHERE p.id = t.problem_id AND ${LIVE_TASK}${w.sql} AND pe.task_id = t.id AND pe.deleted_at IS NULL
            AND e.owner_type = 'progress' AND e.owner_id = pe.id AND e.deleted_at IS NULL
      )`
    : `hashes AS (
        SELECT sha256 FROM evidence WHERE deleted_at IS NULL AND owner_type IN ('task', 'progress')
        GROUP BY sha256 HAVING count(*) > 1
      )`;
  const params = o.scope.roundId || o.scope.unitId ? [...w.params, ...w.params] : [];
  const sql = `WITH ${hashes}, ${CITATIONS},
    flagged AS (
      SELECT sha256, count(DISTINCT problem_id) AS problemCount, count(*) AS taskCount
      FROM cited GROUP BY sha256 HAVING count(DISTINCT problem_id) > 1
    )
    SELECT f.sha256, f.problemCount, f.taskCount,
      (SELECT json_group_array(DISTINCT c.file_name) FROM cited c WHERE c.sha256 = f.sha256) AS fileNames,
      (SELECT json_group_array(json_object(
          'taskId', t.id, 'taskSeq', t.seq, 'problemId', t.problem_id, 'problemSeq', p.seq,
          'unitId', t.unit_id, 'unitName', u.name, 'roundId', t.round_id, 'roundName', r.name,
          'excerpt', ${excerpt('p.description')}, 'measuresExcerpt', ${excerpt('t.measures')},
          'responsibleDepartment', t.responsible_department, 'status', t.status, 'fileName', c.file_name))
        FROM cited c JOIN tasks t ON t.id = c.task_id ${TASK_CONTEXT_JOINS}
        WHERE c.sha256 = f.sha256) AS tasks
    FROM flagged f`;
  return run(ctx, 'evidence_reused', sql, params, 'problemCount DESC, sha256', o.limit, (r) => ({
    sha256: String(r.sha256),
    problemCount: Number(r.problemCount),
    taskCount: Number(r.taskCount),
    fileNames: parseJson<string[]>(r.fileNames),
    tasks: parseJson<ReusedEvidence['tasks']>(r.tasks).sort((a, b) => a.taskId.localeCompare(b.taskId)),
  }));
}

/**
 * The same file (same SHA-256) cited by tasks of different problems. Two tasks of one problem
 * sharing a file are normal (one measure serving both); across problems the file can prove at
 * most one of them. Reported per hash with every live task citing it, in or out of scope (a hash
 * is in scope when a task in scope cites it).
 */
export function evidenceReused(ctx: ServiceContext, raw: unknown): FlagList<ReusedEvidence> {
  return evidenceReusedQuery(ctx, prepare(ctx, raw));
}

// ---------------------------------------------------------------------------------------------
// (c) 超期完成却报按期完成

function lateButOnTimeQuery(ctx: ServiceContext, o: RedFlagOptions): FlagList<LateButOnTime> {
  const w = scopeWhere(o.scope, 't.round_id', 't.unit_id');
  const sql = `SELECT ${TASK_COLUMNS}, t.deadline AS deadline, t.current_deadline AS currentDeadline,
      t.completed_on AS completedOn,
      CAST(julianday(t.completed_on) - julianday(t.current_deadline) AS INTEGER) AS daysLate
    FROM ${TASK_FROM}
    WHERE ${LIVE_TASK} AND t.reported_on_time = 1 AND t.completed_on > t.current_deadline${w.sql}`;
  return run(ctx, 'late_but_on_time', sql, w.params, 'daysLate DESC, taskId', o.limit);
}

/**
 * Reported completed on time (按期完成) with a completion date after the deadline in force.
 * "Deadline" is current_deadline: an approved 延期申请 legitimately moves it, and the original
 * deadline is shown beside it.
 */
export function lateButOnTime(ctx: ServiceContext, raw: unknown): FlagList<LateButOnTime> {
  return lateButOnTimeQuery(ctx, prepare(ctx, raw));
}

function evidenceAfterDeadlineQuery(ctx: ServiceContext, o: RedFlagOptions): FlagList<EvidenceAfterDeadline> {
  const w = scopeWhere(o.scope, 't.round_id', 't.unit_id');
  const late = `p.id = t.problem_id AND ${LIVE_TASK}${w.sql} AND t.reported_on_time = 1`;
  // Task → its evidence (and task → progress → evidence), in that order (see HAS_PROGRESS_EVIDENCE).
  const sql = `WITH ev AS (
      SELECT t.id AS task_id, e.sha256, e.file_name, e.formed_on FROM tasks t CROSS JOIN problems p CROSS JOIN evidence e
        WHERE ${late} AND e.owner_type = 'task' AND e.owner_id = t.id AND e.deleted_at IS NULL AND e.formed_on > t.current_deadline
      UNION ALL
      SELECT t.id, e.sha256, e.file_name, e.formed_on FROM tasks t CROSS JOIN problems p CROSS JOIN progress_entries pe CROSS JOIN evidence e
        WHERE ${late} AND pe.task_id = t.id AND pe.deleted_at IS NULL
          AND e.owner_type = 'progress' AND e.owner_id = pe.id AND e.deleted_at IS NULL AND e.formed_on > t.current_deadline
    )
    SELECT ${TASK_COLUMNS}, t.current_deadline AS currentDeadline, t.completed_on AS completedOn,
      max(ev.formed_on) AS latestFormedOn,
      json_group_array(json_object('fileName', ev.file_name, 'formedOn', ev.formed_on, 'sha256', ev.sha256)) AS files
    FROM ev JOIN tasks t ON t.id = ev.task_id ${TASK_CONTEXT_JOINS}
    GROUP BY t.id`;
  return run(ctx, 'evidence_after_deadline', sql, [...w.params, ...w.params], 'latestFormedOn DESC, taskId', o.limit, (r) => ({
    ...(r as unknown as EvidenceAfterDeadline),
    files: parseJson<EvidenceAfterDeadline['files']>(r.files).sort((a, b) => a.formedOn.localeCompare(b.formedOn) || a.fileName.localeCompare(b.fileName)),
  }));
}

/**
 * Reported on time, yet some of its evidence was formed (形成日期, not the upload date) after the
 * deadline in force: the work the file records happened late, whatever the completion date says.
 */
export function evidenceAfterDeadline(ctx: ServiceContext, raw: unknown): FlagList<EvidenceAfterDeadline> {
  return evidenceAfterDeadlineQuery(ctx, prepare(ctx, raw));
}

// ---------------------------------------------------------------------------------------------
// (d) 报告截止前集中销号

interface InspectionDue {
  inspectionId: string;
  roundId: string;
  unitId: string;
  dueOn: string;
}

/**
 * The 集中整改进展情况报告 due date of each inspection in scope: first live feedback +
 * progressReportMonths of the round's rule set, with the same arithmetic and rule parsing as the
 * statutory clocks (clocks/statutory.ts), so the flag and the traffic light agree.
 */
function reportDueDates(ctx: ServiceContext, s: Scope): InspectionDue[] {
  const w = scopeWhere(s, 'i.round_id', 'i.unit_id');
  const rows = ctx.ledger.prepare(
    `SELECT i.id AS inspectionId, i.round_id AS roundId, i.unit_id AS unitId, rs.id AS ruleSetId, rs.code AS code, rs.rules AS rules,
       (SELECT min(f.feedback_date) FROM feedbacks f WHERE f.inspection_id = i.id AND f.deleted_at IS NULL) AS feedbackOn
     FROM inspections i JOIN rounds r ON r.id = i.round_id JOIN clock_rule_sets rs ON rs.id = r.rule_set_id
     WHERE i.deleted_at IS NULL${w.sql}`,
  ).all(...w.params) as { inspectionId: string; roundId: string; unitId: string; ruleSetId: string; code: string; rules: string; feedbackOn: string | null }[];
  const months = new Map<string, number>();
  const out: InspectionDue[] = [];
  for (const r of rows) {
    if (!r.feedbackOn) continue;
    let m = months.get(r.ruleSetId);
    if (m === undefined) months.set(r.ruleSetId, (m = readRules(r.rules, r.code).progressReportMonths));
    out.push({ inspectionId: r.inspectionId, roundId: r.roundId, unitId: r.unitId, dueOn: addMonths(r.feedbackOn, m) });
  }
  return out;
}

function massClosureQuery(ctx: ServiceContext, o: RedFlagOptions): FlagList<MassClosure> {
  const dues = reportDueDates(ctx, o.scope);
  const w = scopeWhere(o.scope, 't.round_id', 't.unit_id');
  // closed_at is an instant (ISO, UTC); the day that matters is the local calendar day.
  const sql = `WITH due AS (
      SELECT json_extract(value, '$.inspectionId') AS inspection_id, json_extract(value, '$.roundId') AS round_id,
        json_extract(value, '$.unitId') AS unit_id, json_extract(value, '$.dueOn') AS due_on
      FROM json_each(?)
    ),
    closed_days AS (
      SELECT t.round_id, t.unit_id, date(t.closed_at, 'localtime') AS day, count(*) AS n,
        json_group_array(t.id) AS task_ids
      FROM tasks t JOIN problems p ON p.id = t.problem_id
      WHERE ${LIVE_TASK} AND t.status = 'closed' AND t.closed_at IS NOT NULL AND t.round_id IS NOT NULL${w.sql}
      GROUP BY t.round_id, t.unit_id, day
    )
    SELECT c.unit_id AS unitId, u.name AS unitName, c.round_id AS roundId, r.name AS roundName,
      d.inspection_id AS inspectionId, c.day AS closedOn, d.due_on AS dueOn,
      CAST(julianday(d.due_on) - julianday(c.day) AS INTEGER) AS daysBeforeDue, c.n AS count, c.task_ids AS taskIds
    FROM closed_days c
    JOIN due d ON d.round_id = c.round_id AND d.unit_id = c.unit_id
    JOIN units u ON u.id = c.unit_id JOIN rounds r ON r.id = c.round_id
    WHERE c.n >= ? AND c.day <= d.due_on AND c.day >= date(d.due_on, '-' || ? || ' days')`;
  const params = [JSON.stringify(dues), ...w.params, o.minTasks, o.windowDays];
  return run(ctx, 'mass_closure', sql, params, 'count DESC, closedOn, unitId', o.limit, (r) => ({
    ...(r as unknown as MassClosure),
    taskIds: parseJson<string[]>(r.taskIds).sort(),
  }));
}

/**
 * N or more tasks (default 10) of one unit closed out on the same local day, within D days
 * (default 7) before that inspection's 集中整改进展情况报告 is due (the due day itself included):
 * a rush to make the report look complete. Only tasks of the inspection's round count.
 */
export function massClosure(ctx: ServiceContext, raw: unknown): FlagList<MassClosure> {
  return massClosureQuery(ctx, prepare(ctx, raw));
}

// ---------------------------------------------------------------------------------------------
// (e) 问题反弹

/** NFKC, lower case, and no whitespace, punctuation or symbols: wording, not layout. */
export function normaliseText(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '');
}

/**
 * A text's character bigrams as a sorted array of distinct numeric tokens: bigram (c1, c2) is
 * c1·2²¹ + c2 (code points have 21 bits), times 64 plus its occurrence number, so the k-th
 * occurrence of a bigram is its own token and set operations on tokens are multiset operations
 * on bigrams. Numbers, not strings: hashing and comparing them is what the similarity join does
 * most (a bigram repeated more than 63 times in one text counts 63 times).
 */
function bigramTokens(norm: string): Float64Array {
  const cps: number[] = [];
  for (let k = 0; k < norm.length; k++) {
    const c = norm.codePointAt(k)!;
    cps.push(c);
    if (c > 0xffff) k++;
  }
  const out = new Float64Array(Math.max(0, cps.length - 1));
  for (let k = 0; k + 1 < cps.length; k++) out[k] = cps[k]! * 2097152 + cps[k + 1]!;
  out.sort();
  // Number the occurrences within each run of equal bigrams (sorting keeps the result sorted).
  for (let k = 0, run = 0; k < out.length; k++) {
    run = k > 0 && Math.floor(out[k - 1]! / 64) === out[k] ? Math.min(run + 1, 63) : 1;
    out[k] = out[k]! * 64 + run;
  }
  let m = 0;
  for (let k = 0; k < out.length; k++) if (k === 0 || out[k] !== out[m - 1]) out[m++] = out[k]!;
  return out.subarray(0, m);
}

/** 2·|a ∩ b| / (|a| + |b|) of two sorted arrays of distinct tokens. */
function dice(a: Float64Array | Int32Array, b: Float64Array | Int32Array): number {
  if (a.length + b.length === 0) return 0;
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return (2 * shared) / (a.length + b.length);
}

/**
 * Similarity of two problem descriptions: the Dice coefficient of their character-bigram
 * multisets after normalisation (2·shared bigrams / all bigrams). Bigrams suit Chinese, whose
 * words are mostly two characters; 1 means the same wording, 0.8 (the default threshold) keeps
 * rewordings of a phrase or two and drops problems that merely share the stock phrases.
 */
export function textSimilarity(a: string, b: string): number {
  const na = normaliseText(a);
  const nb = normaliseText(b);
  if (na !== '' && na === nb) return 1;
  return dice(bigramTokens(na), bigramTokens(nb));
}

/** One problem of a unit's history, as the similarity join sees it. */
export interface HistoryText {
  id: string;
  /** Sort key of its round (later rounds sort higher). */
  ord: string;
  /** In scope: looked at as a possible rebound (everything else only as an earlier problem). */
  later: boolean;
  text: string;
}

interface Doc extends Omit<HistoryText, 'text'> {
  norm: string;
  /** Its tokens as ranks in the unit's rarity order, ascending: the rarest come first. */
  ranks: Int32Array;
  /** How many of the first ranks any match above the threshold must share one of. */
  prefix: number;
}

/**
 * Pairs (later problem in scope, earlier problem of the same unit in an earlier round) with
 * similarity >= t, best earlier match per later problem. A similarity join with prefix
 * filtering (Chaudhuri et al. 2006; Xiao et al., PPJoin, 2008): Dice >= t needs an overlap of
 * at least t·|x|/(2−t) tokens, so two such texts must share one of the |x| − ⌈t·|x|/(2−t)⌉ + 1
 * rarest tokens of each; only pairs sharing a rare token are compared. The common phrases of
 * feedback (落实, 不到位, 整改…) never make a candidate by themselves, so the cost stays close to
 * linear in a unit's problems instead of quadratic.
 */
export function similarPairs(history: readonly HistoryText[], t: number): Map<string, { eid: string; ord: string; sim: number }> {
  const norms = history.map((h) => normaliseText(h.text));
  const tokens = norms.map(bigramTokens);
  // Rarity order: tokens by document frequency, then by value. Rank = position in that order,
  // so each text's ranks sorted ascending start with its rarest tokens (and Dice on ranks equals
  // Dice on tokens: the ranking is one-to-one). Sorting typed arrays, no hashing: this is the
  // inner loop of the join.
  let total = 0;
  for (const ts of tokens) total += ts.length;
  const all = new Float64Array(total);
  let at = 0;
  for (const ts of tokens) {
    all.set(ts, at);
    at += ts.length;
  }
  all.sort();
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let k = 0; k < all.length; k++) {
    if (k > 0 && all[k] === all[k - 1]) counts[counts.length - 1]!++;
    else {
      distinct.push(all[k]!);
      counts.push(1);
    }
  }
  const byCount: number[][] = [];
  counts.forEach((n, u) => (byCount[n] ??= []).push(u));
  const rankOf = new Int32Array(distinct.length);
  let next = 0;
  for (const us of byCount) for (const u of us ?? []) rankOf[u] = next++;
  const rankOfToken = (g: number): number => {
    let lo = 0;
    let hi = distinct.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (distinct[mid]! < g) lo = mid + 1;
      else hi = mid;
    }
    return rankOf[lo]!;
  };
  const need = (n: number) => Math.ceil((t * n) / (2 - t) - 1e-9);
  const docs: Doc[] = history.map((h, i) => {
    const ts = tokens[i]!;
    const ranks = new Int32Array(ts.length);
    for (let k = 0; k < ts.length; k++) ranks[k] = rankOfToken(ts[k]!);
    ranks.sort();
    return { id: h.id, ord: h.ord, later: h.later, norm: norms[i]!, ranks, prefix: Math.min(ranks.length, ranks.length - need(ranks.length) + 1) };
  });
  // Inverted index of prefix tokens, packed (rank r's texts are postings[start[r]..start[r+1]]):
  // one array per distinct token would be tens of thousands of small arrays per unit.
  const start = new Int32Array(distinct.length + 1);
  for (const d of docs) for (let i = 0; i < d.prefix; i++) start[d.ranks[i]! + 1]!++;
  for (let r = 0; r < distinct.length; r++) start[r + 1]! += start[r]!;
  const postings = new Int32Array(start[distinct.length]!);
  const fill = start.slice(0, distinct.length);
  docs.forEach((d, k) => {
    for (let i = 0; i < d.prefix; i++) postings[fill[d.ranks[i]!]!++] = k;
  });
  // A one-character text has no bigram: such texts can only match by being the same.
  const short = new Map<string, number[]>();
  docs.forEach((d, k) => {
    if (d.ranks.length > 0 || d.norm === '') return;
    let list = short.get(d.norm);
    if (!list) short.set(d.norm, (list = []));
    list.push(k);
  });

  const best = new Map<string, { eid: string; ord: string; sim: number }>();
  const seenBy = new Int32Array(docs.length).fill(-1);
  const consider = (xk: number, yk: number) => {
    const x = docs[xk]!;
    const y = docs[yk]!;
    if (seenBy[yk] === xk || y.ord >= x.ord) return;
    seenBy[yk] = xk;
    const sim = x.ranks.length > 0 ? dice(x.ranks, y.ranks) : 1;
    if (sim < t) return;
    const cur = best.get(x.id);
    // Best match; on a tie the most recent earlier round, then the id, so results are stable.
    if (!cur || sim > cur.sim || (sim === cur.sim && (y.ord > cur.ord || (y.ord === cur.ord && y.id > cur.eid)))) {
      best.set(x.id, { eid: y.id, ord: y.ord, sim });
    }
  };
  docs.forEach((x, xk) => {
    if (!x.later) return;
    if (x.ranks.length === 0) {
      for (const yk of short.get(x.norm) ?? []) consider(xk, yk);
      return;
    }
    for (let i = 0; i < x.prefix; i++) {
      const r = x.ranks[i]!;
      for (let p = start[r]!; p < start[r + 1]!; p++) consider(xk, postings[p]!);
    }
  });
  return best;
}

/** Rounds in time order: feedback date, else entry/mobilisation/creation; the id breaks ties. */
const ROUND_ORDER = `coalesce(feedback_on, entered_on, mobilised_on, substr(created_at, 1, 10)) || ' ' || id`;

function reboundQuery(ctx: ServiceContext, o: RedFlagOptions): FlagList<Rebound> {
  const ords = new Map((ctx.ledger.prepare(`SELECT id, ${ROUND_ORDER} AS ord FROM rounds`).all() as { id: string; ord: string }[])
    .map((r) => [r.id, r.ord]));
  const w = scopeWhere(o.scope, 'round_id', 'unit_id');
  const unitIds = o.scope.unitId
    ? [o.scope.unitId]
    : (ctx.ledger.prepare(`SELECT DISTINCT unit_id AS id FROM problems WHERE deleted_at IS NULL${w.sql}`).all(...w.params) as { id: string }[]).map((r) => r.id);
  // One unit at a time: a rebound never crosses units, and memory stays bounded by one unit's history.
  const perUnit = ctx.ledger.prepare(
    'SELECT id, round_id AS roundId, description FROM problems WHERE unit_id = ? AND deleted_at IS NULL AND round_id IS NOT NULL',
  );
  const found = new Map<string, { eid: string; sim: number; linked: boolean }>();
  for (const unitId of unitIds) {
    const rows = perUnit.all(unitId) as { id: string; roundId: string; description: string }[];
    const history = rows.filter((r) => ords.has(r.roundId)).map((r) => ({
      id: r.id, ord: ords.get(r.roundId)!, later: !o.scope.roundId || r.roundId === o.scope.roundId, text: r.description,
    }));
    for (const [pid, m] of similarPairs(history, o.minSimilarity)) found.set(pid, { eid: m.eid, sim: m.sim, linked: false });
  }
  // Problems the ledger itself links to an earlier one: flagged whatever their wording.
  const linked = ctx.ledger.prepare(
    `SELECT l.id AS pid, l.description AS a, e.id AS eid, e.description AS b FROM problems l JOIN problems e ON e.id = l.rebound_of_id
     WHERE l.deleted_at IS NULL${scopeWhere(o.scope, 'l.round_id', 'l.unit_id').sql}`,
  ).all(...w.params) as { pid: string; a: string; eid: string; b: string }[];
  for (const l of linked) found.set(l.pid, { eid: l.eid, sim: textSimilarity(l.a, l.b), linked: true });

  const ranked = [...found].sort(([p, a], [q, b]) => b.sim - a.sim || (p < q ? -1 : p > q ? 1 : 0)).slice(0, o.limit);
  const pairs = JSON.stringify(ranked.map(([pid, m]) => ({ pid, eid: m.eid, sim: m.sim, linked: m.linked ? 1 : 0 })));
  const items = ctx.ledger.prepare(
    `SELECT p.id AS problemId, p.seq AS problemSeq, p.unit_id AS unitId, u.name AS unitName,
       p.round_id AS roundId, r.name AS roundName, ${excerpt('p.description')} AS excerpt,
       e.id AS earlierProblemId, e.round_id AS earlierRoundId, er.name AS earlierRoundName,
       ${excerpt('e.description')} AS earlierExcerpt, e.status AS earlierStatus,
       json_extract(j.value, '$.linked') AS linked, json_extract(j.value, '$.sim') AS similarity
     FROM json_each(?) j
     JOIN problems p ON p.id = json_extract(j.value, '$.pid') JOIN problems e ON e.id = json_extract(j.value, '$.eid')
     JOIN units u ON u.id = p.unit_id LEFT JOIN rounds r ON r.id = p.round_id LEFT JOIN rounds er ON er.id = e.round_id
     ORDER BY j.key`,
  ).all(pairs) as (Omit<Rebound, 'match'> & { linked: number })[];
  return {
    kind: 'rebound', label: RED_FLAG_LABELS.rebound, count: found.size,
    items: items.map(({ linked: isLinked, ...r }) => ({
      ...r,
      match: isLinked ? 'linked' : r.similarity >= 1 ? 'identical' : 'similar',
      similarity: Math.round(r.similarity * 1000) / 1000,
    })),
  };
}

/**
 * 问题反弹: a problem of a later round (or 回头看) in the same unit whose description is the same
 * or nearly the same (textSimilarity >= minSimilarity, default 0.8) as a problem of an earlier
 * round, or one the ledger links to an earlier problem (reboundOfId). One item per later problem,
 * with its best match; `earlierStatus` shows whether the earlier one had been closed out (the
 * worst case: closed, and back). "Later" is by the rounds' feedback dates, not by record order.
 *
 * Candidates come from the same unit's own history (index on unit_id), not from problems_fts:
 * a trigram of the stock phrases of feedback matches a large part of any ledger, whereas a unit's
 * history is small and the prefix filter (similarPairs) compares only texts sharing a rare bigram.
 */
export function rebound(ctx: ServiceContext, raw: unknown): FlagList<Rebound> {
  return reboundQuery(ctx, prepare(ctx, raw));
}

// ---------------------------------------------------------------------------------------------
// (f) 多次退回

function repeatedReturnsQuery(ctx: ServiceContext, o: RedFlagOptions): FlagList<RepeatedReturns> {
  const w = scopeWhere(o.scope, 't.round_id', 't.unit_id');
  const returned = `FROM closeouts c WHERE c.task_id = t.id AND c.decision = 'returned' AND c.deleted_at IS NULL`;
  const sql = `SELECT ${TASK_COLUMNS}, t.return_count AS returnCount,
      (SELECT count(*) ${returned}) AS returnsRecorded,
      (SELECT c.comment ${returned} ORDER BY c.decided_at DESC LIMIT 1) AS lastReturnComment,
      (SELECT max(c.decided_at) ${returned}) AS lastReturnedAt
    FROM ${TASK_FROM}
    WHERE ${LIVE_TASK} AND t.return_count >= 2${w.sql}`;
  return run(ctx, 'repeated_returns', sql, w.params, 'returnCount DESC, taskId', o.limit);
}

/** A close-out returned (退回) twice or more: the unit keeps submitting work that is not done. */
export function repeatedReturns(ctx: ServiceContext, raw: unknown): FlagList<RepeatedReturns> {
  return repeatedReturnsQuery(ctx, prepare(ctx, raw));
}

// ---------------------------------------------------------------------------------------------
// All flags

type AnyFlag =
  | FlagList<ClosedWithoutEvidence> | FlagList<ReusedEvidence> | FlagList<LateButOnTime> | FlagList<EvidenceAfterDeadline>
  | FlagList<MassClosure> | FlagList<Rebound> | FlagList<RepeatedReturns>;

const QUERIES: Record<RedFlagKind, (ctx: ServiceContext, o: RedFlagOptions) => AnyFlag> = {
  closed_without_evidence: closedWithoutEvidenceQuery,
  evidence_reused: evidenceReusedQuery,
  late_but_on_time: lateButOnTimeQuery,
  evidence_after_deadline: evidenceAfterDeadlineQuery,
  mass_closure: massClosureQuery,
  rebound: reboundQuery,
  repeated_returns: repeatedReturnsQuery,
};

export interface RedFlagReport {
  roundId: string | null;
  unitId: string | null;
  /** In the order of RED_FLAG_KINDS, only the kinds asked for. */
  flags: AnyFlag[];
  /** Sum of the counts. */
  total: number;
}

/**
 * Every sign of fake rectification (or the `kinds` asked for) in one call, each with its full
 * count and its first `limit` items.
 */
export function listRedFlags(ctx: ServiceContext, raw: unknown): RedFlagReport {
  const i = v.object(raw);
  let kinds = RED_FLAG_KINDS;
  if (i.kinds !== undefined && i.kinds !== null) {
    if (!Array.isArray(i.kinds) || i.kinds.length === 0) throw invalid('kinds', '请选择要检查的疑点类型。', 'type');
    const asked = i.kinds.map((k) => v.oneOf(k, 'kinds', RED_FLAG_KINDS, '疑点类型'));
    kinds = RED_FLAG_KINDS.filter((k) => asked.includes(k));
  }
  const o = readOptions(i);
  requirePermission(ctx, 'ledger.read');
  checkScope(ctx, o.scope);
  const flags = kinds.map((k) => QUERIES[k](ctx, o));
  return { roundId: o.scope.roundId, unitId: o.scope.unitId, flags, total: flags.reduce((n, f) => n + f.count, 0) };
}
