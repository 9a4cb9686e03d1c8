import type { ServiceContext } from '../core/context.js';
import * as f from '../domain/fields.js';
import { offices, rounds, units } from '../schema/index.js';
import { requireRow } from '../core/write.js';

/**
 * The scope every figure and every red flag is read in: the whole ledger, one round, one unit,
 * or one unit in one round; the figures (not the red flags) also by 来源单位, the office that
 * created the records (aggregation upward: an inspection office sees the units' packages side by
 * side). Declared once as schema fields (the ids' format), checked against the ledger by
 * checkScope (the ids exist), and turned into SQL by scopeWhere.
 */

export interface Scope {
  roundId: string | null;
  unitId: string | null;
  /** 来源单位: only records this office created (origin_office_id); the figures only. */
  originOfficeId?: string | null;
}

/** The optional round/unit filter of an analysis call (spread into its `f.args({...})`). */
export const scopeFields = { roundId: f.optId('巡视轮次'), unitId: f.optId('被巡视单位') };

/** The optional 来源单位 filter of a figure (spread beside scopeFields). */
export const originFields = { originOfficeId: f.optId('来源单位') };

/** The scope of a parsed argument that carries the scope fields (and perhaps the origin field). */
export const scopeOf = (a: Scope): Scope => ({ roundId: a.roundId, unitId: a.unitId, originOfficeId: a.originOfficeId ?? null });

/**
 * A filter naming a round or unit that does not exist is NOT_FOUND on its field (rather than an
 * empty chart that looks like "no problems"). Checked after the permission, so a user without
 * the right learns nothing about which ids exist.
 */
export function checkScope(ctx: ServiceContext, s: Scope): void {
  if (s.roundId) requireRow(ctx, rounds, s.roundId, '巡视轮次', 'roundId');
  if (s.unitId) requireRow(ctx, units, s.unitId, '被巡视单位', 'unitId');
  if (s.originOfficeId) requireRow(ctx, offices, s.originOfficeId, '来源单位', 'originOfficeId');
}

export type Params = (string | number)[];

/**
 * `alias.round_id = ? AND alias.unit_id = ? AND alias.origin_office_id = ?` for the filters that
 * are set. A query that is given an origin must name the column it filters.
 */
export function scopeWhere(s: Scope, roundCol: string, unitCol: string, originCol?: string): { sql: string; params: Params } {
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
  if (s.originOfficeId) {
    if (!originCol) throw new Error('scopeWhere: an origin filter needs the origin column');
    parts.push(`${originCol} = ?`);
    params.push(s.originOfficeId);
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
export function liveTasksWhere(s: Scope, problemJoined: boolean): { sql: string; params: Params } {
  const w = scopeWhere(s, 't.round_id', 't.unit_id', 't.origin_office_id');
  if (problemJoined) return { sql: `${LIVE_TASK}${w.sql}`, params: w.params };
  // Whatever office created a deleted problem, its tasks are hidden with it.
  const pw = scopeWhere({ ...s, originOfficeId: null }, 'round_id', 'unit_id');
  return {
    sql: `t.deleted_at IS NULL AND t.problem_id NOT IN (SELECT id FROM problems WHERE deleted_at IS NOT NULL${pw.sql})${w.sql}`,
    params: [...pw.params, ...w.params],
  };
}
