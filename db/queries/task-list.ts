/**
 * 任务清单 / 责任清单: the paged, filtered task list. Same paging contract as the problem list
 * (db/queries/problem-list.ts): keyset on (sort key, id), opaque cursor, optional total, FTS5
 * trigram search over measures with a LIKE fallback for 1–2 character terms.
 */
import type { ServiceContext } from '../core/context.js';
import { TASK_STATUSES, TASK_TERMS, type TaskStatus, type TaskTerm } from '../domain/enums.js';
import { requirePermission } from '../core/permissions.js';
import * as v from '../core/validate.js';
import {
  decodeCursor, optFlag, phaseSql, readPaging, runPage, searchClauses, type ListPage, type SortSpec,
} from './problem-list.js';

export const TASK_SORTS = ['currentDeadline', 'updatedAt'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];

export interface TaskListRow {
  id: string;
  seq: number;
  problemId: string;
  problemSeq: number | null;
  unitId: string;
  unitName: string | null;
  roundId: string | null;
  measures: string;
  responsibleLeader: string | null;
  responsibleDepartment: string | null;
  responsiblePerson: string | null;
  term: TaskTerm;
  /** The deadline first set. */
  deadline: string;
  /** The deadline in force (after an approved extension). */
  currentDeadline: string;
  /** An approved extension moved the deadline (the ledger shows both). */
  extended: boolean;
  status: TaskStatus;
  completedOn: string | null;
  overdue: boolean;
  updatedAt: string;
}

export interface TaskFilters {
  unitId: string | null;
  roundId: string | null;
  problemId: string | null;
  status: TaskStatus | null;
  term: TaskTerm | null;
  /** Exact match (the 责任清单 picks from the values in use). */
  responsibleDepartment: string | null;
  responsibleLeader: string | null;
  overdue: boolean | null;
  /** Of the task's problem: its category (a top-level one includes its sub-categories) and key flag. */
  categoryId: string | null;
  isKey: boolean | null;
  /** Unfinished and due on or before this day (overdue or due soon: the home page's to-do list). */
  dueBy: string | null;
  q: string | null;
}

const SORT_SPECS: Record<TaskSort, SortSpec> = {
  currentDeadline: { column: 't.current_deadline', field: 'currentDeadline', nullable: false, kind: 'date' },
  updatedAt: { column: 't.updated_at', field: 'updatedAt', nullable: false, kind: 'text' },
};

const OPEN_STATUSES = TASK_STATUSES.codes.filter((s) => s !== 'closed');

export function readTaskFilters(i: v.Input): TaskFilters {
  return {
    unitId: v.optId(i.unitId, 'unitId', '被巡视单位'),
    roundId: v.optId(i.roundId, 'roundId', '巡视轮次'),
    problemId: v.optId(i.problemId, 'problemId', '问题'),
    status: v.optOneOf(i.status, 'status', TASK_STATUSES.codes, '任务状态'),
    term: v.optOneOf(i.term, 'term', TASK_TERMS.codes, '整改类型'),
    responsibleDepartment: v.optText(i.responsibleDepartment, 'responsibleDepartment', { max: v.LEN.name, label: '责任部门' }),
    responsibleLeader: v.optText(i.responsibleLeader, 'responsibleLeader', { max: v.LEN.name, label: '责任领导' }),
    overdue: optFlag(i.overdue, 'overdue', '逾期'),
    categoryId: v.optId(i.categoryId, 'categoryId', '问题类别'),
    isKey: optFlag(i.isKey, 'isKey', '重点难点问题'),
    dueBy: v.optDate(i.dueBy, 'dueBy', '到期日'),
    q: v.optText(i.q, 'q', { max: 100, label: '搜索词' }),
  };
}

function taskWhere(f: TaskFilters, today: string): { where: string[]; params: unknown[] } {
  // A task of a deleted problem is hidden with it (deleteProblem requires its tasks dropped first,
  // but a package from another office may tombstone the problem alone).
  const onProblem = ['p.id = t.problem_id', 'p.deleted_at IS NULL'];
  const params: unknown[] = [];
  if (f.categoryId) {
    onProblem.push('p.category_id IN (SELECT id FROM problem_categories WHERE id = ? OR parent_id = ?)');
    params.push(f.categoryId, f.categoryId);
  }
  if (f.isKey !== null) {
    onProblem.push('p.is_key = ?');
    params.push(f.isKey ? 1 : 0);
  }
  const where = ['t.deleted_at IS NULL', `EXISTS (SELECT 1 FROM problems p WHERE ${onProblem.join(' AND ')})`];
  const eq = (col: string, val: unknown) => {
    if (val === null) return;
    where.push(`${col} = ?`);
    params.push(val);
  };
  eq('t.unit_id', f.unitId);
  eq('t.round_id', f.roundId);
  eq('t.problem_id', f.problemId);
  if (f.overdue === true) {
    // Equality on status where possible keeps the (unit_id, status, current_deadline) index usable.
    if (f.status === 'closed') where.push('0');
    else if (f.status) eq('t.status', f.status);
    else where.push(`t.status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`);
    where.push('t.current_deadline < ?');
    params.push(today);
  } else {
    eq('t.status', f.status);
    if (f.overdue === false) {
      where.push("(t.status = 'closed' OR t.current_deadline >= ?)");
      params.push(today);
    }
  }
  if (f.dueBy !== null) {
    where.push(`t.status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`, 't.current_deadline <= ?');
    params.push(f.dueBy);
  }
  eq('t.term', f.term);
  eq('t.responsible_department', f.responsibleDepartment);
  eq('t.responsible_leader', f.responsibleLeader);
  const s = searchClauses(f.q, 'tasks_fts', 't.rowid', 't.measures', f.unitId !== null || f.problemId !== null);
  return { where: [...where, ...s.where], params: [...params, ...s.params] };
}

const TASK_SELECT = `SELECT t.id AS id, t.seq AS seq, t.problem_id AS problemId, t.unit_id AS unitId, t.round_id AS roundId,
  t.measures AS measures, t.responsible_leader AS responsibleLeader, t.responsible_department AS responsibleDepartment,
  t.responsible_person AS responsiblePerson, t.term AS term, t.deadline AS deadline, t.current_deadline AS currentDeadline,
  t.status AS status, t.completed_on AS completedOn, t.updated_at AS updatedAt
FROM tasks t`;

const wrapTasks = (inner: string, orderBy: string) => `SELECT pg.*, u.name AS unitName, p.seq AS problemSeq
FROM (${inner}) pg
LEFT JOIN units u ON u.id = pg.unitId
LEFT JOIN problems p ON p.id = pg.problemId
ORDER BY ${orderBy}`;

type RawTask = Omit<TaskListRow, 'overdue' | 'extended'>;

function readTaskList(raw: unknown) {
  const i = v.object(raw ?? {});
  const filters = readTaskFilters(i);
  const paging = readPaging(i, TASK_SORTS, 'currentDeadline');
  const cursor = decodeCursor(i.cursor, paging.sort, paging.order, SORT_SPECS[paging.sort]);
  return { ...paging, filters, cursor };
}

function taskQuery(f: TaskFilters, today: string) {
  const { where, params } = taskWhere(f, today);
  return { select: TASK_SELECT, idColumn: 't.id', where, params, wrap: wrapTasks };
}

/** One page of the task list. Input: filters, sort ('currentDeadline' | 'updatedAt'), order, limit, cursor, withTotal. */
export function listTasks(ctx: ServiceContext, raw: unknown): ListPage<TaskListRow> {
  requirePermission(ctx, 'ledger.read');
  const inp = readTaskList(raw);
  const today = ctx.clock.today();
  const page = runPage<RawTask>(ctx, taskQuery(inp.filters, today), SORT_SPECS[inp.sort], inp.sort, inp.order, inp.limit, inp.cursor, false);
  const rows = page.rows.map((r) => ({
    ...r,
    extended: r.currentDeadline !== r.deadline,
    overdue: r.status !== 'closed' && r.currentDeadline < today,
  }));
  const out: ListPage<TaskListRow> = { rows, nextCursor: page.nextCursor };
  if (inp.withTotal) out.total = countWhere(ctx, inp.filters, today);
  return out;
}

function countWhere(ctx: ServiceContext, f: TaskFilters, today: string): number {
  const { where, params } = taskWhere(f, today);
  return (ctx.ledger.prepare(`SELECT count(*) AS n FROM tasks t WHERE ${where.join(' AND ')}`).get(...params) as { n: number }).n;
}

/** How many tasks match the filters (same input as listTasks; paging fields are ignored). */
export function countTasks(ctx: ServiceContext, raw: unknown): { total: number } {
  requirePermission(ctx, 'ledger.read');
  return { total: countWhere(ctx, readTaskFilters(v.object(raw ?? {})), ctx.clock.today()) };
}

/** EXPLAIN QUERY PLAN of the first page's query (tests, bench notes). */
export function explainTaskList(ctx: ServiceContext, raw: unknown): string[] {
  requirePermission(ctx, 'ledger.read');
  const inp = readTaskList(raw);
  const { sql, params } = phaseSql(taskQuery(inp.filters, ctx.clock.today()), SORT_SPECS[inp.sort], inp.order, 0, inp.cursor, inp.limit + 1);
  return (ctx.ledger.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
}
