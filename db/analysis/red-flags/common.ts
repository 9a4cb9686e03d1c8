import type { ServiceContext } from '../../core/context.js';
import { defineCall } from '../../core/call.js';
import * as f from '../../domain/fields.js';
import { checkScope, scopeFields, scopeOf, type Params, type Scope } from '../scope.js';

/**
 * What every red-flag detector shares: the kinds and their names, the options (declared once as
 * schema fields), the shape of a flag list and the SQL of a task's context.
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

/** Where a problem sits: enough to show it in a list and open it. */
export interface ProblemRef {
  problemId: string;
  problemSeq: number;
  unitId: string;
  unitName: string;
  roundId: string | null;
  roundName: string | null;
  /** The problem's description, cut to 60 characters. */
  excerpt: string;
}

/** Where a task sits: its problem's place, and the task itself. */
export interface TaskRef extends ProblemRef {
  taskId: string;
  taskSeq: number;
  measuresExcerpt: string;
  responsibleDepartment: string | null;
  status: string;
}

// ---------------------------------------------------------------------------------------------
// Arguments

/** The scope and the thresholds of every detector (absent or null: the DEFAULTS). */
export const optionFields = {
  ...scopeFields,
  limit: f.optInt('每类显示条数', 1, 1000),
  minTasks: f.optInt('同日销号任务数', 2, 10000),
  windowDays: f.optInt('截止前天数', 0, 92),
  minSimilarity: f.optNumber('相似度阈值', 0.5, 1),
};
export const flagArg = f.args(optionFields);
export type FlagArg = f.Out<typeof flagArg>;

/** The options of a parsed argument, defaults filled in, its scope's ids checked against the ledger. */
export function checkedOptions(ctx: ServiceContext, a: FlagArg): RedFlagOptions {
  const o: RedFlagOptions = {
    scope: scopeOf(a),
    limit: a.limit ?? DEFAULTS.limit,
    minTasks: a.minTasks ?? DEFAULTS.minTasks,
    windowDays: a.windowDays ?? DEFAULTS.windowDays,
    minSimilarity: a.minSimilarity ?? DEFAULTS.minSimilarity,
  };
  checkScope(ctx, o.scope);
  return o;
}

/** One detector's query over checked options. */
export type Detector<T> = (ctx: ServiceContext, o: RedFlagOptions) => FlagList<T>;

/** A detector as a call of its own: the ledger.read right, then the options, then the query. */
export function detectorCall<T>(query: Detector<T>) {
  return defineCall({ permission: 'ledger.read', arg: flagArg }, (ctx, a): FlagList<T> => query(ctx, checkedOptions(ctx, a)));
}

// ---------------------------------------------------------------------------------------------
// Shared SQL

export const excerpt = (col: string, n = 60) => `CASE WHEN length(${col}) > ${n} THEN substr(${col}, 1, ${n}) || '…' ELSE ${col} END`;

export const TASK_COLUMNS = `t.id AS taskId, t.seq AS taskSeq, t.problem_id AS problemId, p.seq AS problemSeq,
  t.unit_id AS unitId, u.name AS unitName, t.round_id AS roundId, r.name AS roundName,
  ${excerpt('p.description')} AS excerpt, ${excerpt('t.measures')} AS measuresExcerpt,
  t.responsible_department AS responsibleDepartment, t.status AS status`;
/** What a task row (alias t) needs joined for TASK_COLUMNS. */
export const TASK_CONTEXT_JOINS = `JOIN problems p ON p.id = t.problem_id JOIN units u ON u.id = t.unit_id
  LEFT JOIN rounds r ON r.id = t.round_id`;
export const TASK_FROM = `tasks t ${TASK_CONTEXT_JOINS}`;

/**
 * Task `t` has live evidence of its own / on one of its live progress entries: two plain index
 * lookups, with CROSS JOIN fixing the order task → its progress entries → their evidence, so the
 * planner never starts from the (much larger) evidence table, whatever its statistics say.
 */
export const HAS_OWN_EVIDENCE = `EXISTS (SELECT 1 FROM evidence e
    WHERE e.owner_type = 'task' AND e.owner_id = t.id AND e.deleted_at IS NULL)`;
export const HAS_PROGRESS_EVIDENCE = `EXISTS (SELECT 1 FROM progress_entries pe CROSS JOIN evidence e
    WHERE pe.task_id = t.id AND pe.deleted_at IS NULL
      AND e.owner_type = 'progress' AND e.owner_id = pe.id AND e.deleted_at IS NULL)`;

/**
 * The full count and the first `limit` items of one flag query, evaluated once: the window count
 * is taken over every row before LIMIT applies.
 */
export function run<T>(ctx: ServiceContext, kind: RedFlagKind, sql: string, params: Params, orderBy: string, limit: number, map?: (r: Record<string, unknown>) => T): FlagList<T> {
  const rows = ctx.ledger.prepare(`SELECT *, count(*) OVER () AS rf_total FROM (${sql}) ORDER BY ${orderBy} LIMIT ?`)
    .all(...params, limit) as Record<string, unknown>[];
  const count = rows.length === 0 ? 0 : Number(rows[0]!.rf_total);
  for (const r of rows) delete r.rf_total;
  return { kind, label: RED_FLAG_LABELS[kind], count, items: map ? rows.map(map) : (rows as T[]) };
}

export const parseJson = <T>(s: unknown): T => JSON.parse(String(s)) as T;
