import type { ServiceContext } from '../../core/context.js';
import { ACCOUNTABILITY_FORMS, CLUE_DISPOSITIONS, GRADES } from '../../domain/enums.js';
import { defineCall } from '../../core/call.js';
import * as f from '../../domain/fields.js';
import { checkScope, originFields, scopeFields, scopeOf, scopeWhere, type Params, type Scope } from '../scope.js';
import {
  BREAKDOWN_GROUPS, labelled, rate, SUGGESTION_GROUPS, type BreakdownGroupBy, type Key, type SuggestionGroupBy,
} from './groups.js';

/**
 * Breakdowns of the records that carry round_id / unit_id (问题线索, 问责, 移交建议, 整改评估):
 * one count per code of a vocabulary, per round, unit or sector (counting rules: ../aggregates.ts).
 */

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

// ---------------------------------------------------------------------------------------------
// Arguments

const groupField = <T extends readonly [string, ...string[]]>(groups: T) => f.optOneOf(groups, '汇总方式');
/** groupBy (default: by round) and the scope (with the 来源单位). */
const breakdownArg = f.args({ groupBy: groupField(BREAKDOWN_GROUPS), ...scopeFields, ...originFields });
const suggestionArg = f.args({ groupBy: groupField(SUGGESTION_GROUPS), ...scopeFields, ...originFields });
const evaluationArg = f.args({
  groupBy: groupField(BREAKDOWN_GROUPS), ...scopeFields, ...originFields, targetType: f.optOneOf(['unit', 'task'] as const, '评估对象'),
});

/** The scope of a parsed argument, its ids checked against the ledger (after the right). */
function inScope(ctx: ServiceContext, a: Scope): Scope {
  const scope = scopeOf(a);
  checkScope(ctx, scope);
  return scope;
}

// ---------------------------------------------------------------------------------------------
// Breakdowns of records that carry round_id / unit_id (clues, 问责, 移交建议)

function recordGrouping(groupBy: SuggestionGroupBy, alias: string, roundCol: string, unitCol: string): { key: string; joins: string } {
  switch (groupBy) {
    case 'round': return { key: roundCol, joins: '' };
    case 'unit': return { key: unitCol, joins: '' };
    case 'sector': return { key: 'u.sector', joins: `LEFT JOIN units u ON u.id = ${unitCol}` };
    case 'department': return { key: `${alias}.department`, joins: '' };
    case 'origin': return { key: `${alias}.origin_office_id`, joins: '' };
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
  const w = scopeWhere(o.scope, o.roundCol, o.unitCol, 'x.origin_office_id');
  const sql = `SELECT ${g.key} AS key, ${o.codeCol} AS code, count(*) AS n
    FROM ${o.from} ${g.joins}
    WHERE x.deleted_at IS NULL${o.where ?? ''}${w.sql}
    GROUP BY 1, 2`;
  const found = ctx.ledger.prepare(sql).all(...(o.params ?? []), ...w.params) as { key: Key; code: string; n: number }[];
  const zero = () => Object.fromEntries(o.vocab.codes.map((c) => [c, 0])) as Record<string, number>;
  const byKey = new Map<Key, { key: Key; counts: Record<string, number>; total: number }>();
  const totals = { counts: zero(), total: 0 };
  for (const c of found) {
    let r = byKey.get(c.key);
    if (!r) byKey.set(c.key, (r = { key: c.key, counts: zero(), total: 0 }));
    r.counts[c.code] = (r.counts[c.code] ?? 0) + c.n;
    r.total += c.n;
    totals.counts[c.code] = (totals.counts[c.code] ?? 0) + c.n;
    totals.total += c.n;
  }
  return {
    groupBy: o.groupBy, roundId: o.scope.roundId, unitId: o.scope.unitId,
    categories: o.vocab.codes.map((code) => ({ code, label: o.vocab.labels[code] ?? code })),
    rows: labelled<BreakdownRow>(ctx, o.groupBy, [...byKey.values()]),
    totals,
  };
}

export function clueBreakdown(ctx: ServiceContext, groupBy: BreakdownGroupBy, scope: Scope): Breakdown {
  return breakdown(ctx, {
    groupBy, scope, from: 'clues x', roundCol: 'x.round_id', unitCol: 'x.unit_id', codeCol: 'x.disposition', vocab: CLUE_DISPOSITIONS,
  });
}

/**
 * 问题线索 by their current disposition way (四种处置方式 and 立案审查调查). Needs clue.read (every
 * role that has it also reads the ledger).
 */
export const cluesByDisposition = defineCall({ permission: 'clue.read', arg: breakdownArg }, (ctx, a): Breakdown =>
  clueBreakdown(ctx, a.groupBy ?? 'round', inScope(ctx, a)));

export function moneyQuery(ctx: ServiceContext, groupBy: BreakdownGroupBy, scope: Scope): MoneyRecovered {
  const g = recordGrouping(groupBy, 'x', 'x.round_id', 'x.unit_id');
  const w = scopeWhere(scope, 'x.round_id', 'x.unit_id', 'x.origin_office_id');
  // sum() of integers stays an integer in SQLite: fen add up exactly.
  const found = ctx.ledger.prepare(
    `SELECT ${g.key} AS key, sum(x.money_recovered_fen) AS fen, count(*) AS clues
     FROM clues x ${g.joins}
     WHERE x.deleted_at IS NULL AND x.money_recovered_fen > 0${w.sql}
     GROUP BY 1`,
  ).all(...w.params) as { key: Key; fen: number; clues: number }[];
  const totals = { fen: 0, clues: 0 };
  for (const m of found) {
    totals.fen += m.fen;
    totals.clues += m.clues;
  }
  return { groupBy, roundId: scope.roundId, unitId: scope.unitId, rows: labelled<MoneyRow>(ctx, groupBy, found), totals };
}

/** 追赃挽损: money recovered through clue disposition, in fen. Needs clue.read. */
export const moneyRecovered = defineCall({ permission: 'clue.read', arg: breakdownArg }, (ctx, a): MoneyRecovered =>
  moneyQuery(ctx, a.groupBy ?? 'round', inScope(ctx, a)));

export function accountabilityBreakdown(ctx: ServiceContext, groupBy: BreakdownGroupBy, scope: Scope): Breakdown {
  return breakdown(ctx, {
    groupBy, scope, from: 'accountability x', roundCol: 'x.round_id', unitCol: 'x.unit_id', codeCol: 'x.form', vocab: ACCOUNTABILITY_FORMS,
  });
}

/** 问责 by form (约谈提醒, 诫勉, 通报…), counted in 人次. */
export const accountabilityByForm = defineCall({ permission: 'ledger.read', arg: breakdownArg }, (ctx, a): Breakdown =>
  accountabilityBreakdown(ctx, a.groupBy ?? 'round', inScope(ctx, a)));

export function evaluationBreakdown(ctx: ServiceContext, groupBy: BreakdownGroupBy, scope: Scope, targetType: 'unit' | 'task'): Breakdown {
  // An evaluation belongs to an inspection: its round and unit come from there.
  return breakdown(ctx, {
    groupBy, scope, from: 'evaluations x JOIN inspections i ON i.id = x.inspection_id', roundCol: 'i.round_id', unitCol: 'i.unit_id',
    codeCol: 'x.grade', where: ' AND i.deleted_at IS NULL AND x.target_type = ?', params: [targetType], vocab: GRADES,
  });
}

/** 整改评估/回头看 ratings by grade (好/较好/一般/差), of units (default) or of tasks. */
export const evaluationsByGrade = defineCall({ permission: 'ledger.read', arg: evaluationArg }, (ctx, a): Breakdown & { targetType: 'unit' | 'task' } => {
  const targetType = a.targetType ?? 'unit';
  return { ...evaluationBreakdown(ctx, a.groupBy ?? 'round', inScope(ctx, a), targetType), targetType };
});

export function suggestionQuery(ctx: ServiceContext, groupBy: SuggestionGroupBy, scope: Scope): SuggestionsAnswered {
  const g = recordGrouping(groupBy, 'x', 'x.round_id', 'x.unit_id');
  const w = scopeWhere(scope, 'x.round_id', 'x.unit_id', 'x.origin_office_id');
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
  const rows = found.map((s) => {
    totals.total += s.total;
    totals.answered += s.answered;
    totals.adopted += s.adopted;
    totals.pending += s.pending;
    return { ...s, answerRate: rate(s.answered, s.total) };
  });
  totals.answerRate = rate(totals.answered, totals.total);
  return { groupBy, roundId: scope.roundId, unitId: scope.unitId, rows: labelled<SuggestionRow>(ctx, groupBy, rows), totals };
}

/** 移交建议 answered (已回复/已采纳办结) against the total, by round, unit, sector or department. */
export const suggestionsAnswered = defineCall({ permission: 'ledger.read', arg: suggestionArg }, (ctx, a): SuggestionsAnswered =>
  suggestionQuery(ctx, a.groupBy ?? 'round', inScope(ctx, a)));
