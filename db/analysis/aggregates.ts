import type { ActingUser, ServiceContext } from '../core/context.js';
import {
  ACCOUNTABILITY_FORMS, CLUE_DISPOSITIONS, GRADES, SECTORS,
} from '../domain/enums.js';
import { can, requirePermission, type Permission } from '../core/permissions.js';
import { rounds, units } from '../schema/index.js';
import * as v from '../core/validate.js';
import { requireRow } from '../core/write.js';

/**
 * 汇总分析 (DOMAIN.md "Aggregate figures people ask for"). Every figure is counted by SQLite
 * (GROUP BY over the indexed columns); JS only merges the few group rows and attaches labels,
 * so the home page stays fast on a million-problem ledger.
 *
 * Counting rules, the same in every function:
 * - soft-deleted rows (deleted_at set) never count. A task counts only while it and its problem
 *   are both live: the problem service refuses to delete a problem with live tasks, but a ledger
 *   merged from another office may still carry a live task under a problem tombstoned there.
 *   A task merged into another is tombstoned by the task service (merged_into_id says where),
 *   so its work is counted once, on the surviving task.
 * - 已完成 (completed): the unit reported a completion date, or the task has been closed out
 *   (销号 implies completion even when no date was entered).
 * - 已销号 (closed): status 'closed'; 销号率 = closed / tasks, null when there are no tasks.
 * - 逾期 (overdue): not closed and the deadline in force (current_deadline, i.e. after an
 *   approved 延期申请) is before today (ctx.clock.today()).
 * - 长期坚持未销号 (longTermOpen): term 'long_term' and not closed.
 * - 分类 (category): a problem counts under its top-level category (the root of the category
 *   tree), because feedback is read by the top-level headings; a category whose chain does not
 *   reach a root (bad data) counts under itself.
 * - 责任部门 (department): the task's responsible_department text as entered; a problem counts
 *   once in every department that has one of its tasks, so department rows do not add up to
 *   the problem total (totals always count each problem once).
 * - 问责 counts records, i.e. 人次 (one person held accountable twice counts twice).
 * - 移交建议: answered means status 已回复 or 已采纳办结.
 * - 整改评估: counts evaluation records of one target type (a unit, by default), each grade once
 *   per record, so an 整改评估 followed by a 回头看 counts twice.
 */

export const SUMMARY_GROUPS = ['round', 'unit', 'sector', 'category', 'department'] as const;
export type SummaryGroupBy = (typeof SUMMARY_GROUPS)[number];

/** Groupings of records that carry round_id/unit_id themselves (clues, 问责, 建议, 评估). */
export const BREAKDOWN_GROUPS = ['round', 'unit', 'sector'] as const;
export type BreakdownGroupBy = (typeof BREAKDOWN_GROUPS)[number];
export const SUGGESTION_GROUPS = ['round', 'unit', 'sector', 'department'] as const;
export type SuggestionGroupBy = (typeof SUGGESTION_GROUPS)[number];

const GROUP_LABELS: Record<SummaryGroupBy, string> = {
  round: '巡视轮次', unit: '被巡视单位', sector: '板块', category: '问题类别', department: '责任部门',
};
/** Shown for records that have no value for the grouping (e.g. a clue with no round). */
const NONE_LABELS: Record<SummaryGroupBy, string> = {
  round: '未关联巡视轮次', unit: '未关联单位', sector: '未分板块', category: '未分类', department: '未填写责任部门',
};

export interface Scope {
  roundId: string | null;
  unitId: string | null;
}

export interface TaskFigures {
  tasks: number;
  completed: number;
  closed: number;
  /** closed / tasks in 0..1; null when there are no tasks. */
  closeRate: number | null;
  overdue: number;
  longTermOpen: number;
}
export interface SummaryFigures extends TaskFigures {
  problems: number;
}
export interface SummaryRow extends SummaryFigures {
  key: string | null;
  label: string;
}
export interface Summary {
  groupBy: SummaryGroupBy;
  groupLabel: string;
  roundId: string | null;
  unitId: string | null;
  today: string;
  rows: SummaryRow[];
  totals: SummaryFigures;
}

export interface Choice {
  code: string;
  label: string;
}
export interface BreakdownRow {
  key: string | null;
  label: string;
  /** One count per code of `categories`, zero included, so a stacked chart needs no filling. */
  counts: Record<string, number>;
  total: number;
}
export interface Breakdown<G extends string = BreakdownGroupBy> {
  groupBy: G;
  roundId: string | null;
  unitId: string | null;
  categories: Choice[];
  rows: BreakdownRow[];
  totals: { counts: Record<string, number>; total: number };
}

export interface MoneyRow {
  key: string | null;
  label: string;
  /** 追赃挽损 in fen (integer, exact). */
  fen: number;
  /** Clues that recovered any money. */
  clues: number;
}
export interface MoneyRecovered {
  groupBy: BreakdownGroupBy;
  roundId: string | null;
  unitId: string | null;
  rows: MoneyRow[];
  totals: { fen: number; clues: number };
}

export interface SuggestionFigures {
  total: number;
  /** 已回复 or 已采纳办结. */
  answered: number;
  adopted: number;
  pending: number;
  /** answered / total, null when there are none. */
  answerRate: number | null;
}
export interface SuggestionRow extends SuggestionFigures {
  key: string | null;
  label: string;
}
export interface SuggestionsAnswered {
  groupBy: SuggestionGroupBy;
  roundId: string | null;
  unitId: string | null;
  rows: SuggestionRow[];
  totals: SuggestionFigures;
}

export interface Overview {
  roundId: string | null;
  unitId: string | null;
  today: string;
  ledger: SummaryFigures;
  /** null when the user may not see 问题线索 (clue.read): never a zero that hides data. */
  clues: { counts: Record<string, number>; total: number; moneyRecoveredFen: number } | null;
  accountability: { counts: Record<string, number>; total: number };
  suggestions: SuggestionFigures;
  evaluations: { counts: Record<string, number>; total: number };
}

type Params = (string | number)[];
type Key = string | null;

// ---------------------------------------------------------------------------------------------
// Input

/** Reads the optional round/unit filter (the ids' format only: see checkScope). */
export function readScope(i: v.Input): Scope {
  return { roundId: v.optId(i.roundId, 'roundId', '巡视轮次'), unitId: v.optId(i.unitId, 'unitId', '被巡视单位') };
}

/**
 * A filter naming a round or unit that does not exist is NOT_FOUND on its field (rather than an
 * empty chart that looks like "no problems"). Checked after the permission, so a user without
 * the right learns nothing about which ids exist.
 */
export function checkScope(ctx: ServiceContext, s: Scope): void {
  if (s.roundId) requireRow(ctx, rounds, s.roundId, '巡视轮次', 'roundId');
  if (s.unitId) requireRow(ctx, units, s.unitId, '被巡视单位', 'unitId');
}

/** Permission first, then the filter's ids. */
function allow(ctx: ServiceContext, s: Scope, ...perms: Permission[]): ActingUser {
  let user: ActingUser | undefined;
  for (const p of perms) user = requirePermission(ctx, p);
  checkScope(ctx, s);
  return user!;
}

function readGroup<T extends string>(raw: unknown, codes: readonly T[], dflt: T): T {
  if (raw === undefined || raw === null || raw === '') return dflt;
  return v.oneOf(raw, 'groupBy', codes, '汇总方式');
}

/** `alias.round_id = ? AND alias.unit_id = ?` for the filters that are set. */
export function scopeWhere(s: Scope, roundCol: string, unitCol: string): { sql: string; params: Params } {
  const parts: string[] = [];
  const params: Params = [];
  if (s.roundId) {
    parts.push(`${roundCol} = ?`);
    params.push(s.roundId);
  }
  if (s.unitId) {
    parts.push(`${unitCol} = ?`);
    params.push(s.unitId);
  }
  return { sql: parts.map((p) => ` AND ${p}`).join(''), params };
}

/** Live tasks of live problems (alias t, with problems p joined): what every task figure counts. */
export const LIVE_TASK = 't.deleted_at IS NULL AND p.deleted_at IS NULL';

/**
 * The same population plus the scope, without joining problems: the few deleted problems in scope
 * are collected once (an in-memory list) instead of looking every task's problem up in the big
 * problems table, which halves the cost of a round's figures.
 */
function liveTasksWhere(s: Scope, problemJoined: boolean): { sql: string; params: Params } {
  const w = scopeWhere(s, 't.round_id', 't.unit_id');
  if (problemJoined) return { sql: `${LIVE_TASK}${w.sql}`, params: w.params };
  const pw = scopeWhere(s, 'round_id', 'unit_id');
  return {
    sql: `t.deleted_at IS NULL AND t.problem_id NOT IN (SELECT id FROM problems WHERE deleted_at IS NOT NULL${pw.sql})${w.sql}`,
    params: [...pw.params, ...w.params],
  };
}

/**
 * Every category mapped to the root of its tree. Walks down from the roots, so a cycle or a
 * dangling parent in bad data cannot loop (such categories are simply absent and count as
 * themselves).
 */
const CATEGORY_ROOTS = `cat_root(id, root_id) AS (
  SELECT id, id FROM problem_categories WHERE parent_id IS NULL
  UNION ALL
  SELECT c.id, r.root_id FROM problem_categories c JOIN cat_root r ON c.parent_id = r.id
)`;

// ---------------------------------------------------------------------------------------------
// Labels and order of group keys

interface Label {
  label: string;
  /** Sort key; groups are shown in this order, "none" last. */
  order: string | number;
}

function labelsFor(ctx: ServiceContext, groupBy: SummaryGroupBy, keys: Key[]): Map<Key, Label> {
  const out = new Map<Key, Label>();
  const ids = keys.filter((k): k is string => k !== null);
  const json = JSON.stringify(ids);
  if (groupBy === 'round') {
    // Rounds in time order: feedback first, the other dates for rounds not yet fed back.
    const rows = ctx.ledger.prepare(
      `SELECT id, name, coalesce(feedback_on, entered_on, mobilised_on, substr(created_at, 1, 10)) AS ord
       FROM rounds WHERE id IN (SELECT value FROM json_each(?))`,
    ).all(json) as { id: string; name: string; ord: string }[];
    for (const r of rows) out.set(r.id, { label: r.name, order: `${r.ord} ${r.id}` });
  } else if (groupBy === 'unit') {
    const rows = ctx.ledger.prepare('SELECT id, name FROM units WHERE id IN (SELECT value FROM json_each(?))')
      .all(json) as { id: string; name: string }[];
    for (const r of rows) out.set(r.id, { label: r.name, order: r.name });
  } else if (groupBy === 'category') {
    const rows = ctx.ledger.prepare(
      'SELECT id, name, sort_order FROM problem_categories WHERE id IN (SELECT value FROM json_each(?))',
    ).all(json) as { id: string; name: string; sort_order: number }[];
    for (const r of rows) out.set(r.id, { label: r.name, order: r.sort_order });
  } else if (groupBy === 'sector') {
    for (const k of ids) {
      const idx = (SECTORS.codes as readonly string[]).indexOf(k);
      out.set(k, { label: SECTORS.labels[k as keyof typeof SECTORS.labels] ?? k, order: idx < 0 ? 999 : idx });
    }
  } else {
    for (const k of ids) out.set(k, { label: k, order: k });
  }
  for (const k of keys) {
    if (!out.has(k)) out.set(k, { label: k === null ? NONE_LABELS[groupBy] : k, order: k ?? '' });
  }
  return out;
}

const collator = new Intl.Collator('zh-CN');

function orderRows<R extends { key: Key }>(rows: R[], labels: Map<Key, Label>): R[] {
  return rows.sort((a, b) => {
    if (a.key === null || b.key === null) return a.key === b.key ? 0 : a.key === null ? 1 : -1;
    const x = labels.get(a.key)!.order;
    const y = labels.get(b.key)!.order;
    if (typeof x === 'number' && typeof y === 'number') return x - y || collator.compare(a.key, b.key);
    return collator.compare(String(x), String(y)) || collator.compare(a.key, b.key);
  });
}

function labelled<R extends { key: Key }>(ctx: ServiceContext, groupBy: SummaryGroupBy, rows: Omit<R, 'label'>[]): R[] {
  const labels = labelsFor(ctx, groupBy, rows.map((r) => r.key));
  const withLabels = rows.map((r) => ({ ...r, label: labels.get(r.key)!.label }) as unknown as R);
  return orderRows(withLabels, labels);
}

const rate = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

// ---------------------------------------------------------------------------------------------
// summarize: problems and tasks

interface TaskGroupRow {
  key: Key;
  tasks: number;
  problems: number | null;
  completed: number;
  closed: number;
  overdue: number;
  long_term_open: number;
}

/** Group-key expression and joins of the task query per grouping (alias t = tasks, p = problems). */
function taskGrouping(groupBy: SummaryGroupBy): { key: string; joins: string } {
  switch (groupBy) {
    case 'round': return { key: 't.round_id', joins: '' };
    case 'unit': return { key: 't.unit_id', joins: '' };
    case 'sector': return { key: 'u.sector', joins: 'JOIN units u ON u.id = t.unit_id' };
    case 'category': return {
      key: 'coalesce(cr.root_id, p.category_id)',
      joins: 'JOIN problems p ON p.id = t.problem_id LEFT JOIN cat_root cr ON cr.id = p.category_id',
    };
    case 'department': return { key: 't.responsible_department', joins: '' };
  }
}

function problemGrouping(groupBy: Exclude<SummaryGroupBy, 'department'>): { key: string; joins: string } {
  switch (groupBy) {
    case 'round': return { key: 'p.round_id', joins: '' };
    case 'unit': return { key: 'p.unit_id', joins: '' };
    case 'sector': return { key: 'u.sector', joins: 'JOIN units u ON u.id = p.unit_id' };
    case 'category': return { key: 'coalesce(cr.root_id, p.category_id)', joins: 'LEFT JOIN cat_root cr ON cr.id = p.category_id' };
  }
}

function taskQuery(ctx: ServiceContext, groupBy: SummaryGroupBy, s: Scope, today: string): TaskGroupRow[] {
  const g = taskGrouping(groupBy);
  const w = liveTasksWhere(s, groupBy === 'category');
  const sql = `${groupBy === 'category' ? `WITH RECURSIVE ${CATEGORY_ROOTS}` : ''}
    SELECT ${g.key} AS key,
      count(*) AS tasks,
      ${groupBy === 'department' ? 'count(DISTINCT t.problem_id)' : 'NULL'} AS problems,
      count(*) FILTER (WHERE t.completed_on IS NOT NULL OR t.status = 'closed') AS completed,
      count(*) FILTER (WHERE t.status = 'closed') AS closed,
      count(*) FILTER (WHERE t.status <> 'closed' AND t.current_deadline < ?) AS overdue,
      count(*) FILTER (WHERE t.status <> 'closed' AND t.term = 'long_term') AS long_term_open
    FROM tasks t ${g.joins}
    WHERE ${w.sql}
    GROUP BY 1`;
  return ctx.ledger.prepare(sql).all(today, ...w.params) as TaskGroupRow[];
}

function problemQuery(ctx: ServiceContext, groupBy: Exclude<SummaryGroupBy, 'department'>, s: Scope): { key: Key; n: number }[] {
  const g = problemGrouping(groupBy);
  const w = scopeWhere(s, 'p.round_id', 'p.unit_id');
  const sql = `${groupBy === 'category' ? `WITH RECURSIVE ${CATEGORY_ROOTS}` : ''}
    SELECT ${g.key} AS key, count(*) AS n
    FROM problems p ${g.joins}
    WHERE p.deleted_at IS NULL${w.sql}
    GROUP BY 1`;
  return ctx.ledger.prepare(sql).all(...w.params) as { key: Key; n: number }[];
}

function countProblems(ctx: ServiceContext, s: Scope): number {
  const w = scopeWhere(s, 'p.round_id', 'p.unit_id');
  return (ctx.ledger.prepare(`SELECT count(*) AS n FROM problems p WHERE p.deleted_at IS NULL${w.sql}`)
    .get(...w.params) as { n: number }).n;
}

function emptyFigures(): SummaryFigures {
  return { problems: 0, tasks: 0, completed: 0, closed: 0, closeRate: null, overdue: 0, longTermOpen: 0 };
}

function computeSummary(ctx: ServiceContext, groupBy: SummaryGroupBy, s: Scope, today: string): { rows: SummaryRow[]; totals: SummaryFigures } {
  const byKey = new Map<Key, SummaryFigures>();
  const row = (k: Key) => {
    let r = byKey.get(k);
    if (!r) byKey.set(k, (r = emptyFigures()));
    return r;
  };
  for (const t of taskQuery(ctx, groupBy, s, today)) {
    const r = row(t.key);
    r.tasks = t.tasks;
    r.completed = t.completed;
    r.closed = t.closed;
    r.overdue = t.overdue;
    r.longTermOpen = t.long_term_open;
    if (t.problems !== null) r.problems = t.problems;
  }
  if (groupBy !== 'department') for (const p of problemQuery(ctx, groupBy, s)) row(p.key).problems = p.n;
  const totals = emptyFigures();
  for (const r of byKey.values()) {
    r.closeRate = rate(r.closed, r.tasks);
    totals.tasks += r.tasks;
    totals.completed += r.completed;
    totals.closed += r.closed;
    totals.overdue += r.overdue;
    totals.longTermOpen += r.longTermOpen;
    totals.problems += r.problems;
  }
  // Department rows count a problem once per department: the total counts it once.
  if (groupBy === 'department') totals.problems = countProblems(ctx, s);
  totals.closeRate = rate(totals.closed, totals.tasks);
  const rows = labelled<SummaryRow>(ctx, groupBy, [...byKey].map(([key, f]) => ({ key, ...f })));
  return { rows, totals };
}

/**
 * 汇总: problems, tasks, completed, closed out (销号率), overdue and long-term tasks still open,
 * grouped by round, unit, sector, top-level category or responsible department.
 */
export function summarize(ctx: ServiceContext, raw: unknown): Summary {
  const i = v.object(raw);
  const groupBy = readGroup(i.groupBy, SUMMARY_GROUPS, 'unit');
  const s = readScope(i);
  allow(ctx, s, 'ledger.read');
  const today = ctx.clock.today();
  const { rows, totals } = computeSummary(ctx, groupBy, s, today);
  return { groupBy, groupLabel: GROUP_LABELS[groupBy], roundId: s.roundId, unitId: s.unitId, today, rows, totals };
}

// ---------------------------------------------------------------------------------------------
// Breakdowns of records that carry round_id / unit_id (clues, 问责, 移交建议)

function recordGrouping(groupBy: SuggestionGroupBy, alias: string, roundCol: string, unitCol: string): { key: string; joins: string } {
  switch (groupBy) {
    case 'round': return { key: roundCol, joins: '' };
    case 'unit': return { key: unitCol, joins: '' };
    case 'sector': return { key: 'u.sector', joins: `LEFT JOIN units u ON u.id = ${unitCol}` };
    case 'department': return { key: `${alias}.department`, joins: '' };
  }
}

/**
 * Counts per (group, code) of one vocabulary column, reshaped into one row per group with a
 * count for every code. `from` names the table (alias x) and any join the scope needs.
 */
function breakdown<G extends BreakdownGroupBy>(
  ctx: ServiceContext,
  o: { groupBy: G; scope: Scope; from: string; roundCol: string; unitCol: string; codeCol: string; where?: string; params?: Params; vocab: { codes: readonly string[]; labels: Record<string, string> } },
): Breakdown<G> {
  const g = recordGrouping(o.groupBy, 'x', o.roundCol, o.unitCol);
  const w = scopeWhere(o.scope, o.roundCol, o.unitCol);
  const sql = `SELECT ${g.key} AS key, ${o.codeCol} AS code, count(*) AS n
    FROM ${o.from} ${g.joins}
    WHERE x.deleted_at IS NULL${o.where ?? ''}${w.sql}
    GROUP BY 1, 2`;
  const found = ctx.ledger.prepare(sql).all(...(o.params ?? []), ...w.params) as { key: Key; code: string; n: number }[];
  const zero = () => Object.fromEntries(o.vocab.codes.map((c) => [c, 0])) as Record<string, number>;
  const byKey = new Map<Key, { key: Key; counts: Record<string, number>; total: number }>();
  const totals = { counts: zero(), total: 0 };
  for (const f of found) {
    let r = byKey.get(f.key);
    if (!r) byKey.set(f.key, (r = { key: f.key, counts: zero(), total: 0 }));
    r.counts[f.code] = (r.counts[f.code] ?? 0) + f.n;
    r.total += f.n;
    totals.counts[f.code] = (totals.counts[f.code] ?? 0) + f.n;
    totals.total += f.n;
  }
  return {
    groupBy: o.groupBy, roundId: o.scope.roundId, unitId: o.scope.unitId,
    categories: o.vocab.codes.map((code) => ({ code, label: o.vocab.labels[code] ?? code })),
    rows: labelled<BreakdownRow>(ctx, o.groupBy, [...byKey.values()]),
    totals,
  };
}

function readBreakdownInput(ctx: ServiceContext, raw: unknown): { groupBy: BreakdownGroupBy; scope: Scope; i: v.Input } {
  const i = v.object(raw);
  const groupBy = readGroup(i.groupBy, BREAKDOWN_GROUPS, 'round');
  return { groupBy, scope: readScope(i), i };
}

function clueBreakdown(ctx: ServiceContext, groupBy: BreakdownGroupBy, scope: Scope): Breakdown {
  return breakdown(ctx, {
    groupBy, scope, from: 'clues x', roundCol: 'x.round_id', unitCol: 'x.unit_id', codeCol: 'x.disposition', vocab: CLUE_DISPOSITIONS,
  });
}

/** 问题线索 by their current disposition way (四种处置方式 and 立案审查调查). Needs clue.read. */
export function cluesByDisposition(ctx: ServiceContext, raw: unknown): Breakdown {
  const { groupBy, scope } = readBreakdownInput(ctx, raw);
  allow(ctx, scope, 'ledger.read', 'clue.read');
  return clueBreakdown(ctx, groupBy, scope);
}

function moneyQuery(ctx: ServiceContext, groupBy: BreakdownGroupBy, scope: Scope): MoneyRecovered {
  const g = recordGrouping(groupBy, 'x', 'x.round_id', 'x.unit_id');
  const w = scopeWhere(scope, 'x.round_id', 'x.unit_id');
  // sum() of integers stays an integer in SQLite: fen add up exactly.
  const found = ctx.ledger.prepare(
    `SELECT ${g.key} AS key, sum(x.money_recovered_fen) AS fen, count(*) AS clues
     FROM clues x ${g.joins}
     WHERE x.deleted_at IS NULL AND x.money_recovered_fen > 0${w.sql}
     GROUP BY 1`,
  ).all(...w.params) as { key: Key; fen: number; clues: number }[];
  const totals = { fen: 0, clues: 0 };
  for (const f of found) {
    totals.fen += f.fen;
    totals.clues += f.clues;
  }
  return { groupBy, roundId: scope.roundId, unitId: scope.unitId, rows: labelled<MoneyRow>(ctx, groupBy, found), totals };
}

/** 追赃挽损: money recovered through clue disposition, in fen. Needs clue.read. */
export function moneyRecovered(ctx: ServiceContext, raw: unknown): MoneyRecovered {
  const { groupBy, scope } = readBreakdownInput(ctx, raw);
  allow(ctx, scope, 'ledger.read', 'clue.read');
  return moneyQuery(ctx, groupBy, scope);
}

function accountabilityBreakdown(ctx: ServiceContext, groupBy: BreakdownGroupBy, scope: Scope): Breakdown {
  return breakdown(ctx, {
    groupBy, scope, from: 'accountability x', roundCol: 'x.round_id', unitCol: 'x.unit_id', codeCol: 'x.form', vocab: ACCOUNTABILITY_FORMS,
  });
}

/** 问责 by form (约谈提醒, 诫勉, 通报…), counted in 人次. */
export function accountabilityByForm(ctx: ServiceContext, raw: unknown): Breakdown {
  const { groupBy, scope } = readBreakdownInput(ctx, raw);
  allow(ctx, scope, 'ledger.read');
  return accountabilityBreakdown(ctx, groupBy, scope);
}

function evaluationBreakdown(ctx: ServiceContext, groupBy: BreakdownGroupBy, scope: Scope, targetType: 'unit' | 'task'): Breakdown {
  // An evaluation belongs to an inspection: its round and unit come from there.
  return breakdown(ctx, {
    groupBy, scope, from: 'evaluations x JOIN inspections i ON i.id = x.inspection_id', roundCol: 'i.round_id', unitCol: 'i.unit_id',
    codeCol: 'x.grade', where: ' AND i.deleted_at IS NULL AND x.target_type = ?', params: [targetType], vocab: GRADES,
  });
}

/** 整改评估/回头看 ratings by grade (好/较好/一般/差), of units (default) or of tasks. */
export function evaluationsByGrade(ctx: ServiceContext, raw: unknown): Breakdown & { targetType: 'unit' | 'task' } {
  const { groupBy, scope, i } = readBreakdownInput(ctx, raw);
  const targetType = i.targetType === undefined || i.targetType === null
    ? 'unit'
    : v.oneOf(i.targetType, 'targetType', ['unit', 'task'] as const, '评估对象');
  allow(ctx, scope, 'ledger.read');
  return { ...evaluationBreakdown(ctx, groupBy, scope, targetType), targetType };
}

function suggestionQuery(ctx: ServiceContext, groupBy: SuggestionGroupBy, scope: Scope): SuggestionsAnswered {
  const g = recordGrouping(groupBy, 'x', 'x.round_id', 'x.unit_id');
  const w = scopeWhere(scope, 'x.round_id', 'x.unit_id');
  const found = ctx.ledger.prepare(
    `SELECT ${g.key} AS key, count(*) AS total,
       count(*) FILTER (WHERE x.status IN ('replied', 'adopted')) AS answered,
       count(*) FILTER (WHERE x.status = 'adopted') AS adopted,
       count(*) FILTER (WHERE x.status = 'pending') AS pending
     FROM suggestions x ${g.joins}
     WHERE x.deleted_at IS NULL${w.sql}
     GROUP BY 1`,
  ).all(...w.params) as Omit<SuggestionRow, 'label' | 'answerRate'>[];
  const totals: SuggestionFigures = { total: 0, answered: 0, adopted: 0, pending: 0, answerRate: null };
  const rows = found.map((f) => {
    totals.total += f.total;
    totals.answered += f.answered;
    totals.adopted += f.adopted;
    totals.pending += f.pending;
    return { ...f, answerRate: rate(f.answered, f.total) };
  });
  totals.answerRate = rate(totals.answered, totals.total);
  return { groupBy, roundId: scope.roundId, unitId: scope.unitId, rows: labelled<SuggestionRow>(ctx, groupBy, rows), totals };
}

/** 移交建议 answered (已回复/已采纳办结) against the total, by round, unit, sector or department. */
export function suggestionsAnswered(ctx: ServiceContext, raw: unknown): SuggestionsAnswered {
  const i = v.object(raw);
  const groupBy = readGroup(i.groupBy, SUGGESTION_GROUPS, 'round');
  const scope = readScope(i);
  allow(ctx, scope, 'ledger.read');
  return suggestionQuery(ctx, groupBy, scope);
}

/**
 * The home page's figures for a round (or a unit, or the whole ledger) in one call. Clue figures
 * are null for a user without clue.read: the page shows nothing rather than a misleading zero.
 */
export function aggregateOverview(ctx: ServiceContext, raw: unknown): Overview {
  const i = v.object(raw);
  const scope = readScope(i);
  const user = allow(ctx, scope, 'ledger.read');
  const today = ctx.clock.today();
  // Grouped by round (few groups) and summed: the totals are the same for any grouping.
  const ledger = computeSummary(ctx, 'round', scope, today).totals;
  let clues: Overview['clues'] = null;
  if (can(user, 'clue.read')) {
    const b = clueBreakdown(ctx, 'round', scope);
    clues = { ...b.totals, moneyRecoveredFen: moneyQuery(ctx, 'round', scope).totals.fen };
  }
  return {
    roundId: scope.roundId, unitId: scope.unitId, today, ledger, clues,
    accountability: accountabilityBreakdown(ctx, 'round', scope).totals,
    suggestions: suggestionQuery(ctx, 'round', scope).totals,
    evaluations: evaluationBreakdown(ctx, 'round', scope, 'unit').totals,
  };
}
