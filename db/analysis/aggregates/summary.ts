import type { ServiceContext } from '../../core/context.js';
import { can } from '../../core/permissions.js';
import { defineCall } from '../../core/call.js';
import * as f from '../../domain/fields.js';
import { checkScope, liveTasksWhere, originFields, scopeFields, scopeOf, scopeWhere, type Scope } from '../scope.js';
import {
  accountabilityBreakdown, clueBreakdown, evaluationBreakdown, moneyQuery, suggestionQuery, type SuggestionFigures,
} from './breakdowns.js';
import { CATEGORY_ROOTS, GROUP_LABELS, labelled, rate, SUMMARY_GROUPS, type Key, type SummaryGroupBy } from './groups.js';

/**
 * 汇总: problems and tasks per group (summarize), and the home page's figures of a scope in one
 * call (aggregateOverview). Counting rules: ../aggregates.ts.
 */

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
  originOfficeId: string | null;
  today: string;
  rows: SummaryRow[];
  totals: SummaryFigures;
}

export interface Overview {
  roundId: string | null;
  unitId: string | null;
  originOfficeId: string | null;
  today: string;
  ledger: SummaryFigures;
  /** null when the user may not see 问题线索 (clue.read): never a zero that hides data. */
  clues: { counts: Record<string, number>; total: number; moneyRecoveredFen: number } | null;
  accountability: { counts: Record<string, number>; total: number };
  suggestions: SuggestionFigures;
  evaluations: { counts: Record<string, number>; total: number };
}

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
    case 'origin': return { key: 't.origin_office_id', joins: '' };
  }
}

function problemGrouping(groupBy: Exclude<SummaryGroupBy, 'department'>): { key: string; joins: string } {
  switch (groupBy) {
    case 'round': return { key: 'p.round_id', joins: '' };
    case 'unit': return { key: 'p.unit_id', joins: '' };
    case 'sector': return { key: 'u.sector', joins: 'JOIN units u ON u.id = p.unit_id' };
    case 'category': return { key: 'coalesce(cr.root_id, p.category_id)', joins: 'LEFT JOIN cat_root cr ON cr.id = p.category_id' };
    case 'origin': return { key: 'p.origin_office_id', joins: '' };
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
  const w = scopeWhere(s, 'p.round_id', 'p.unit_id', 'p.origin_office_id');
  const sql = `${groupBy === 'category' ? `WITH RECURSIVE ${CATEGORY_ROOTS}` : ''}
    SELECT ${g.key} AS key, count(*) AS n
    FROM problems p ${g.joins}
    WHERE p.deleted_at IS NULL${w.sql}
    GROUP BY 1`;
  return ctx.ledger.prepare(sql).all(...w.params) as { key: Key; n: number }[];
}

function countProblems(ctx: ServiceContext, s: Scope): number {
  const w = scopeWhere(s, 'p.round_id', 'p.unit_id', 'p.origin_office_id');
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
  const rows = labelled<SummaryRow>(ctx, groupBy, [...byKey].map(([key, fig]) => ({ key, ...fig })));
  return { rows, totals };
}

/**
 * 汇总: problems, tasks, completed, closed out (销号率), overdue and long-term tasks still open,
 * grouped by round, unit, sector, top-level category, responsible department or 来源单位.
 */
export const summarize = defineCall({
  permission: 'ledger.read',
  arg: f.args({ groupBy: f.optOneOf(SUMMARY_GROUPS, '汇总方式'), ...scopeFields, ...originFields }),
}, (ctx, a): Summary => {
  const groupBy = a.groupBy ?? 'unit';
  const s = scopeOf(a);
  checkScope(ctx, s);
  const today = ctx.clock.today();
  const { rows, totals } = computeSummary(ctx, groupBy, s, today);
  return { groupBy, groupLabel: GROUP_LABELS[groupBy], roundId: s.roundId, unitId: s.unitId, originOfficeId: s.originOfficeId ?? null, today, rows, totals };
});

/**
 * The home page's figures for a round (or a unit, or the whole ledger) in one call. Clue figures
 * are null for a user without clue.read: the page shows nothing rather than a misleading zero.
 */
export const aggregateOverview = defineCall({ permission: 'ledger.read', arg: f.args({ ...scopeFields, ...originFields }) }, (ctx, a): Overview => {
  const scope = scopeOf(a);
  checkScope(ctx, scope);
  const today = ctx.clock.today();
  // Grouped by round (few groups) and summed: the totals are the same for any grouping.
  const ledger = computeSummary(ctx, 'round', scope, today).totals;
  let clues: Overview['clues'] = null;
  if (can(ctx.user, 'clue.read')) {
    const b = clueBreakdown(ctx, 'round', scope);
    clues = { ...b.totals, moneyRecoveredFen: moneyQuery(ctx, 'round', scope).totals.fen };
  }
  return {
    roundId: scope.roundId, unitId: scope.unitId, originOfficeId: scope.originOfficeId ?? null, today, ledger, clues,
    accountability: accountabilityBreakdown(ctx, 'round', scope).totals,
    suggestions: suggestionQuery(ctx, 'round', scope).totals,
    evaluations: evaluationBreakdown(ctx, 'round', scope, 'unit').totals,
  };
});

