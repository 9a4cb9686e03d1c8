/**
 * 任务清单 / 责任清单: the paged, filtered task list. Same paging contract as the problem list
 * (db/queries/keyset.ts): keyset on (sort key, id), opaque cursor, optional total, FTS5
 * trigram search over measures with a LIKE fallback for 1–2 character terms.
 */
import type { ServiceContext } from '../core/context.js';
import { defineCall } from '../core/call.js';
import { TASK_STATUSES, TASK_TERMS, type TaskStatus, type TaskTerm } from '../domain/enums.js';
import * as f from '../domain/fields.js';
import { conflictedSql, conflictedWhere } from './conflicted.js';
import { choiceFilter, conflictedFilter, dateFilter, flagFilter, idFilter, originFilter, searchClauses, searchFilter, textFilter } from './filters.js';
import { explainPage, pagingFields, readPaging, runPage, type ListPage, type PageQuery, type SortSpec } from './keyset.js';

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
  /** The office that created the task (来源单位) and its name from `offices` (null if unknown here). */
  originOfficeId: string;
  originOfficeName: string | null;
  /** 冲突: a field of the task or of a part of it (stage, progress, extension, close-out, evidence) is in conflict. */
  conflicted: boolean;
}

/**
 * The filters of the task list, shared by tasks:list and tasks:count. Every key may be left out
 * (absent, null or '' = no filter).
 */
const taskFilters = {
  unitId: idFilter('被巡视单位'),
  roundId: idFilter('巡视轮次'),
  problemId: idFilter('问题'),
  status: choiceFilter(TASK_STATUSES.codes, '任务状态'),
  term: choiceFilter(TASK_TERMS.codes, '整改类型'),
  /** Exact match (the 责任清单 picks from the values in use). */
  responsibleDepartment: textFilter('责任部门'),
  responsibleLeader: textFilter('责任领导'),
  overdue: flagFilter('逾期'),
  /** Of the task's problem: its category (a top-level one includes its sub-categories) and key flag. */
  categoryId: idFilter('问题类别'),
  isKey: flagFilter('重点难点问题'),
  /** Unfinished and due on or before this day (overdue or due soon: the home page's to-do list). */
  dueBy: dateFilter('到期日'),
  originOfficeId: originFilter,
  conflicted: conflictedFilter,
  q: searchFilter,
};

/** tasks:count's argument; absent = every task. */
export const taskFilterArg = f.v.nullish(f.args(taskFilters), {});
/** tasks:list's argument: the same filters and the paging keys. */
export const taskListArg = f.v.nullish(f.args({ ...taskFilters, ...pagingFields(TASK_SORTS) }), {});

export type TaskFilters = f.Out<typeof taskFilterArg>;

const SORT_SPECS: Record<TaskSort, SortSpec> = {
  currentDeadline: { column: 't.current_deadline', field: 'currentDeadline', nullable: false, kind: 'date' },
  updatedAt: { column: 't.updated_at', field: 'updatedAt', nullable: false, kind: 'text' },
};

const OPEN_STATUSES = TASK_STATUSES.codes.filter((s) => s !== 'closed');

function taskWhere(flt: TaskFilters, today: string): { where: string[]; params: unknown[] } {
  // A task of a deleted problem is hidden with it (deleteProblem requires its tasks dropped first,
  // but a package from another office may tombstone the problem alone).
  const onProblem: string[] = [];
  const params: unknown[] = [];
  if (flt.categoryId) {
    onProblem.push('p.category_id IN (SELECT id FROM problem_categories WHERE id = ? OR parent_id = ?)');
    params.push(flt.categoryId, flt.categoryId);
  }
  if (flt.isKey !== null) {
    onProblem.push('p.is_key = ?');
    params.push(flt.isKey ? 1 : 0);
  }
  // With no filter on the problem (onProblem empty), "its problem is not deleted" is asked of the
  // few deleted problems (listed once per query from problems_deleted_idx), not looked up in the
  // problems table for every task: at 2,000,000 tasks the count went from 40 s to about 1 s. The
  // foreign key (a task's problem exists) makes the two forms the same.
  const where = ['t.deleted_at IS NULL', onProblem.length > 0
    ? `EXISTS (SELECT 1 FROM problems p WHERE ${['p.id = t.problem_id', 'p.deleted_at IS NULL', ...onProblem].join(' AND ')})`
    : 't.problem_id NOT IN (SELECT id FROM problems WHERE deleted_at IS NOT NULL)'];
  const eq = (col: string, val: unknown) => {
    if (val === null) return;
    where.push(`${col} = ?`);
    params.push(val);
  };
  eq('t.unit_id', flt.unitId);
  eq('t.round_id', flt.roundId);
  eq('t.problem_id', flt.problemId);
  if (flt.overdue === true) {
    // Equality on status where possible keeps the (unit_id, status, current_deadline) index usable.
    if (flt.status === 'closed') where.push('0');
    else if (flt.status) eq('t.status', flt.status);
    else where.push(`t.status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`);
    where.push('t.current_deadline < ?');
    params.push(today);
  } else {
    eq('t.status', flt.status);
    if (flt.overdue === false) {
      where.push("(t.status = 'closed' OR t.current_deadline >= ?)");
      params.push(today);
    }
  }
  if (flt.dueBy !== null) {
    where.push(`t.status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`, 't.current_deadline <= ?');
    params.push(flt.dueBy);
  }
  eq('t.term', flt.term);
  eq('t.responsible_department', flt.responsibleDepartment);
  eq('t.responsible_leader', flt.responsibleLeader);
  eq('t.origin_office_id', flt.originOfficeId);
  const c = conflictedWhere('tasks', 't.id', flt.conflicted);
  if (c) where.push(c);
  const s = searchClauses(flt.q, 'tasks_fts', 't.rowid', 't.measures', flt.unitId !== null || flt.problemId !== null);
  return { where: [...where, ...s.where], params: [...params, ...s.params] };
}

const TASK_SELECT = `SELECT t.id AS id, t.seq AS seq, t.problem_id AS problemId, t.unit_id AS unitId, t.round_id AS roundId,
  t.measures AS measures, t.responsible_leader AS responsibleLeader, t.responsible_department AS responsibleDepartment,
  t.responsible_person AS responsiblePerson, t.term AS term, t.deadline AS deadline, t.current_deadline AS currentDeadline,
  t.status AS status, t.completed_on AS completedOn, t.updated_at AS updatedAt, t.origin_office_id AS originOfficeId
FROM tasks t`;

const wrapTasks = (inner: string, orderBy: string) => `SELECT pg.*, u.name AS unitName, p.seq AS problemSeq,
  o.name AS originOfficeName, ${conflictedSql('tasks', 'pg.id')} AS conflicted
FROM (${inner}) pg
LEFT JOIN units u ON u.id = pg.unitId
LEFT JOIN problems p ON p.id = pg.problemId
LEFT JOIN offices o ON o.id = pg.originOfficeId
ORDER BY ${orderBy}`;

type RawTask = Omit<TaskListRow, 'overdue' | 'extended' | 'conflicted'> & { conflicted: number };

function taskQuery(flt: TaskFilters, today: string): PageQuery {
  const { where, params } = taskWhere(flt, today);
  return { select: TASK_SELECT, idColumn: 't.id', where, params, wrap: wrapTasks };
}

/** One page of the task list. Input: filters, sort ('currentDeadline' | 'updatedAt'), order, limit, cursor, withTotal. */
export const listTasks = defineCall({ permission: 'ledger.read', arg: taskListArg }, (ctx, a): ListPage<TaskListRow> => {
  const paging = readPaging(a, SORT_SPECS, 'currentDeadline');
  const today = ctx.clock.today();
  const page = runPage<RawTask>(ctx, taskQuery(a, today), SORT_SPECS[paging.sort], paging, false);
  const rows = page.rows.map((r) => ({
    ...r,
    conflicted: r.conflicted === 1,
    extended: r.currentDeadline !== r.deadline,
    overdue: r.status !== 'closed' && r.currentDeadline < today,
  }));
  const out: ListPage<TaskListRow> = { rows, nextCursor: page.nextCursor };
  if (paging.withTotal) out.total = countWhere(ctx, a, today);
  return out;
});

function countWhere(ctx: ServiceContext, flt: TaskFilters, today: string): number {
  const { where, params } = taskWhere(flt, today);
  return (ctx.ledger.prepare(`SELECT count(*) AS n FROM tasks t WHERE ${where.join(' AND ')}`).get(...params) as { n: number }).n;
}

/** How many tasks match the filters (the list's filters; paging keys are ignored). */
export const countTasks = defineCall({ permission: 'ledger.read', arg: taskFilterArg }, (ctx, a): { total: number } =>
  ({ total: countWhere(ctx, a, ctx.clock.today()) }));

/** EXPLAIN QUERY PLAN of the first page's query (tests, bench notes). */
export const explainTaskList = defineCall({ permission: 'ledger.read', arg: taskListArg }, (ctx, a): string[] => {
  const paging = readPaging(a, SORT_SPECS, 'currentDeadline');
  return explainPage(ctx, taskQuery(a, ctx.clock.today()), SORT_SPECS[paging.sort], paging);
});
