/**
 * 导出范围 (the scope of an export): which records a package starts from. collectChanges
 * (db/exchange/changes.ts) applies it as a filter; minimisation by the recipient's kind (mayReceive)
 * and the closure under references (a task brings its problem, a problem its inspection…) still
 * apply on top, so a scoped package imports on its own.
 *
 * - 自上次确认以来 (`since`, default): what changed since the newest package the partner confirmed.
 * - 全部 (`full`): every record.
 * - 按轮次 (`round`): the round, its teams and inspections, their feedbacks, reports and ratings, the
 *   units' records of that round (clues, suggestions, petitions, supervision activities and
 *   programmes, accountability), its problems, and what hangs off them (below).
 * - 按被巡视单位 (`units`): per unit the same, over every round, plus the unit's leaders, handovers,
 *   escalation notices and ratings.
 * - 按问题 (`problems`): those problems and what hangs off them.
 * - 按日期范围 (`dates`): records whose updated time falls on a local calendar day from `from` to
 *   `to`, both included (the day as the ledger's clock reads it, db/core/clock.ts).
 *
 * What hangs off problems: their tasks with stages, extension requests, progress entries and
 * close-outs; the supervision activities citing them (activity_problems) and the accountability
 * records linked to them or their tasks; ratings and escalation notices of those tasks; and the
 * evidence of every selected record.
 *
 * Partial scopes (all but `since` and `full`) carry everything in their scope whatever was
 * confirmed before, and do not cover everything up to their version: their receipt must not move
 * the partner's "since last confirmed" point (COMPLETE_SCOPE_SQL).
 */
import type { ServiceContext } from '../core/context.js';
import { DomainError } from '../domain/errors.js';
import { isDate } from '../domain/fields.js';
import { EVIDENCE_PARENT } from './changes.js';
import { exchangeTables } from './tables.js';

export const SCOPE_MODES = ['since', 'full', 'round', 'units', 'problems', 'dates'] as const;
export type ScopeMode = (typeof SCOPE_MODES)[number];

/**
 * At most this many units or problems in one package's scope: the ids are in the plaintext header,
 * whose `scope` may hold 16 KiB (docs/exchange-format.md §4.2); 200 ids take under 8 KiB.
 */
export const MAX_SCOPE_IDS = 200;

/**
 * The sent packages whose receipt moves "since last confirmed" (exchange_packages.scope is the
 * header's scope): `since`, `full` and `first_contact` (a full snapshot under a passphrase,
 * db/exchange/first-contact.ts) cover every record up to their untilVersion, a partial one does not.
 * A row without a mode predates scopes: it was a `since` or `full` package.
 */
export const COMPLETE_SCOPE_SQL = "coalesce(json_extract(scope, '$.mode'), 'since') IN ('since', 'full', 'first_contact')";

/** What the caller asks for; only the fields of its mode are read. */
export interface ScopeInput {
  mode?: ScopeMode | null;
  roundId?: string | null;
  unitIds?: readonly string[] | null;
  problemIds?: readonly string[] | null;
  /** 'YYYY-MM-DD', local calendar days, both included. */
  from?: string | null;
  to?: string | null;
}

/** Ids to start from, per table (SQL name). */
export type Selection = Map<string, Set<string>>;

export interface ResolvedScope {
  mode: ScopeMode;
  /** The mode and what it names, for the package header and exchange_packages.scope. */
  header: { mode: ScopeMode; roundId?: string; unitIds?: string[]; problemIds?: string[]; from?: string; to?: string };
  /** null: every record (`since`, `full`). */
  only: Selection | null;
}

const invalid = (field: string, reason: string, message: string) => new DomainError('VALIDATION', message, { field, reason });

/** Distinct ids, each an existing record of `table` (a deleted one too: its tombstone travels). */
function existing(ctx: ServiceContext, table: string, raw: readonly string[] | null | undefined, field: string, what: string): string[] {
  const ids = [...new Set(raw ?? [])];
  if (ids.length === 0) throw invalid(field, 'required', `请选择${what}。`);
  if (ids.length > MAX_SCOPE_IDS) throw invalid(field, 'too_many', `一个交换包最多按${MAX_SCOPE_IDS}个${what}导出，请分几次导出。`);
  const found = new Set(rowsOf(ctx, `SELECT id FROM "${table}" WHERE id IN (SELECT value FROM json_each(?))`, JSON.stringify(ids)));
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) throw new DomainError('NOT_FOUND', `找不到所选的${what}（编号 ${missing}）。`, { field, reason: 'not_found' });
  return ids.sort();
}

function rowsOf(ctx: ServiceContext, sql: string, ...params: unknown[]): string[] {
  return (ctx.ledger.prepare(sql).all(...params) as { id: string }[]).map((r) => r.id);
}

/** The UTC instants at which the local days `from` and the day after `to` begin. */
function instants(from: string, to: string): [string, string] {
  const start = (day: string, plus: number) => {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    return new Date(y, m - 1, d + plus).toISOString();
  };
  return [start(from, 0), start(to, 1)];
}

/** The checked scope, with the records it starts from; refusals name the field at fault. */
export function resolveScope(ctx: ServiceContext, s: ScopeInput | null | undefined): ResolvedScope {
  const mode = s?.mode ?? 'since';
  if (!(SCOPE_MODES as readonly string[]).includes(mode)) throw invalid('scope', 'bad_scope', '导出范围的取值无效。');
  if (mode === 'since' || mode === 'full') return { mode, header: { mode }, only: null };
  if (mode === 'round') {
    const [roundId] = existing(ctx, 'rounds', s?.roundId ? [s.roundId] : [], 'roundId', '巡视轮次');
    return { mode, header: { mode, roundId: roundId! }, only: roundSelection(ctx, roundId!) };
  }
  if (mode === 'units') {
    const unitIds = existing(ctx, 'units', s?.unitIds, 'unitIds', '被巡视单位');
    return { mode, header: { mode, unitIds }, only: unitSelection(ctx, unitIds) };
  }
  if (mode === 'problems') {
    const problemIds = existing(ctx, 'problems', s?.problemIds, 'problemIds', '问题');
    return { mode, header: { mode, problemIds }, only: hangingOff(ctx, new Map([['problems', new Set(problemIds)]])) };
  }
  const from = s?.from ?? '';
  const to = s?.to ?? '';
  if (!isDate(from)) throw invalid('from', from ? 'bad_date' : 'required', from ? '起始日期不是有效日期（格式如 2024-03-29）。' : '请填写起始日期。');
  if (!isDate(to)) throw invalid('to', to ? 'bad_date' : 'required', to ? '截止日期不是有效日期（格式如 2024-03-29）。' : '请填写截止日期。');
  if (to < from) throw invalid('to', 'date_order', '截止日期不能早于起始日期。');
  return { mode, header: { mode, from, to }, only: dateSelection(ctx, from, to) };
}

/** The round's own records; then what hangs off them. */
function roundSelection(ctx: ServiceContext, roundId: string): Selection {
  const sel: Selection = new Map([['rounds', new Set([roundId])]]);
  const by = (table: string) => sel.set(table, new Set(rowsOf(ctx, `SELECT id FROM "${table}" WHERE round_id = ?`, roundId)));
  for (const t of ['teams', 'inspections', 'clues', 'suggestions', 'petitions', 'supervision_activities', 'supervision_programmes', 'accountability']) by(t);
  const inspections = JSON.stringify([...sel.get('inspections')!]);
  sel.set('problems', new Set(rowsOf(ctx, 'SELECT id FROM problems WHERE round_id = ? OR inspection_id IN (SELECT value FROM json_each(?))', roundId, inspections)));
  return hangingOff(ctx, sel);
}

/** Each unit's own records, over every round; then what hangs off them. */
function unitSelection(ctx: ServiceContext, unitIds: string[]): Selection {
  const units = JSON.stringify(unitIds);
  const sel: Selection = new Map([['units', new Set(unitIds)]]);
  const by = (table: string) => sel.set(table, new Set(rowsOf(ctx, `SELECT id FROM "${table}" WHERE unit_id IN (SELECT value FROM json_each(?))`, units)));
  for (const t of ['unit_leaders', 'handovers', 'inspections', 'problems', 'clues', 'suggestions', 'petitions', 'supervision_activities', 'supervision_programmes', 'accountability', 'escalation_notices']) by(t);
  sel.set('evaluations', new Set(rowsOf(ctx, "SELECT id FROM evaluations WHERE target_type = 'unit' AND target_id IN (SELECT value FROM json_each(?))", units)));
  return hangingOff(ctx, sel);
}

/**
 * Adds to `sel` what hangs off its inspections, problems, activities, programmes, clues and
 * accountability records. Links are followed from the records selected directly, never back from
 * one reached through a link (an activity citing one of our problems does not bring its other
 * problems' links, so nothing of another problem travels but what the references need).
 */
function hangingOff(ctx: ServiceContext, sel: Selection): Selection {
  const ids = (table: string) => JSON.stringify([...(sel.get(table) ?? [])]);
  const add = (table: string, found: string[]) => {
    const set = sel.get(table) ?? new Set<string>();
    for (const id of found) set.add(id);
    sel.set(table, set);
  };
  const q = (sql: string, ...params: unknown[]) => rowsOf(ctx, sql, ...params);
  const IN = 'IN (SELECT value FROM json_each(?))';
  for (const t of ['feedbacks', 'reports', 'evaluations']) add(t, q(`SELECT id FROM "${t}" WHERE inspection_id ${IN}`, ids('inspections')));
  add('tasks', q(`SELECT id FROM tasks WHERE problem_id ${IN}`, ids('problems')));
  for (const t of ['task_stages', 'extension_requests', 'progress_entries', 'closeouts']) add(t, q(`SELECT id FROM "${t}" WHERE task_id ${IN}`, ids('tasks')));
  for (const t of ['evaluations', 'escalation_notices']) add(t, q(`SELECT id FROM "${t}" WHERE target_type = 'task' AND target_id ${IN}`, ids('tasks')));
  add('clue_dispositions', q(`SELECT id FROM clue_dispositions WHERE clue_id ${IN}`, ids('clues')));
  for (const t of ['programme_stages', 'programme_measures']) add(t, q(`SELECT id FROM "${t}" WHERE programme_id ${IN}`, ids('supervision_programmes')));
  // Supervision records citing the problems, and the links of the activities selected directly.
  const citing = ctx.ledger.prepare(`SELECT id, activity_id AS parent FROM activity_problems WHERE activity_id ${IN} OR problem_id ${IN}`)
    .all(ids('supervision_activities'), ids('problems')) as { id: string; parent: string }[];
  add('activity_problems', citing.map((r) => r.id));
  add('supervision_activities', citing.map((r) => r.parent));
  const linked = ctx.ledger.prepare(`SELECT id, accountability_id AS parent FROM accountability_links WHERE accountability_id ${IN} OR problem_id ${IN} OR task_id ${IN}`)
    .all(ids('accountability'), ids('problems'), ids('tasks')) as { id: string; parent: string }[];
  add('accountability_links', linked.map((r) => r.id));
  add('accountability', linked.map((r) => r.parent));
  // The evidence of every selected record that may carry evidence.
  for (const [ownerType, table] of Object.entries(EVIDENCE_PARENT)) {
    add('evidence', q(`SELECT id FROM evidence WHERE owner_type = ? AND owner_id ${IN}`, ownerType, ids(table)));
  }
  return sel;
}

/** Every exchanged record whose updated time falls on a local day from `from` to `to`. */
function dateSelection(ctx: ServiceContext, from: string, to: string): Selection {
  const [start, end] = instants(from, to);
  const sel: Selection = new Map();
  // updated_at is an ISO instant in UTC (db/core/write.ts stamp), so the text compares in time order.
  for (const t of exchangeTables().keys()) sel.set(t, new Set(rowsOf(ctx, `SELECT id FROM "${t}" WHERE updated_at >= ? AND updated_at < ?`, start, end)));
  return sel;
}
