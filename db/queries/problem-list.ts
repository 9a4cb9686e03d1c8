/**
 * 问题清单: the paged, filtered problem list (ARCHITECTURE.md: large lists are paged and filtered in
 * SQL with keyset pagination, indexes and FTS5 trigram search; never whole tables to the renderer).
 * The paging itself (cursors, the two-phase walk of a nullable key) is db/queries/keyset.ts.
 */
import type { ServiceContext } from '../core/context.js';
import { defineCall } from '../core/call.js';
import { PROBLEM_SOURCES } from '../domain/enums.js';
import * as f from '../domain/fields.js';
import { PROBLEM_STATUSES } from '../schema/ledger.js';
import { conflictedSql, conflictedWhere } from './conflicted.js';
import { choiceFilter, conflictedFilter, flagFilter, idFilter, originFilter, searchClauses, searchFilter, textFilter } from './filters.js';
import { explainPage, pagingFields, readPaging, runPage, type ListPage, type PageQuery, type SortSpec } from './keyset.js';

export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];
export const PROBLEM_SORTS = ['deadline', 'seq', 'updatedAt'] as const;
export type ProblemSort = (typeof PROBLEM_SORTS)[number];

export interface ProblemListRow {
  id: string;
  seq: number;
  unitId: string;
  unitName: string | null;
  roundId: string | null;
  categoryId: string;
  categoryName: string | null;
  description: string;
  isKey: boolean;
  source: string;
  status: ProblemStatus;
  /** Earliest current deadline among the problem's unfinished tasks. */
  deadline: string | null;
  taskCount: number;
  closedTaskCount: number;
  /** Not closed and its deadline is before today (red light). */
  overdue: boolean;
  updatedAt: string;
  /** The office that created the problem (来源单位) and its name from `offices` (null if unknown here). */
  originOfficeId: string;
  originOfficeName: string | null;
  /** 冲突: a field of the problem (or of its evidence) is in conflict after an exchange import. */
  conflicted: boolean;
}

/**
 * The filters of the problem list, shared by problems:list and problems:count. Every key may be
 * left out (absent, null or '' = no filter).
 */
const problemFilters = {
  unitId: idFilter('被巡视单位'),
  roundId: idFilter('巡视轮次'),
  status: choiceFilter(PROBLEM_STATUSES, '问题状态'),
  overdue: flagFilter('逾期'),
  categoryId: idFilter('问题类别'),
  isKey: flagFilter('重点难点问题'),
  source: choiceFilter(PROBLEM_SOURCES.codes, '问题来源'),
  /** Problems with at least one live task of this department / leader (exact match). */
  responsibleDepartment: textFilter('责任部门'),
  responsibleLeader: textFilter('责任领导'),
  originOfficeId: originFilter,
  conflicted: conflictedFilter,
  q: searchFilter,
};

/** problems:count's argument; absent = every problem. */
export const problemFilterArg = f.v.nullish(f.args(problemFilters), {});
/** problems:list's argument: the same filters and the paging keys. */
export const problemListArg = f.v.nullish(f.args({ ...problemFilters, ...pagingFields(PROBLEM_SORTS) }), {});

export type ProblemFilters = f.Out<typeof problemFilterArg>;

const SORT_SPECS: Record<ProblemSort, SortSpec> = {
  deadline: { column: 'pr.deadline', field: 'deadline', nullable: true, kind: 'date' },
  seq: { column: 'pr.seq', field: 'seq', nullable: false, kind: 'int' },
  updatedAt: { column: 'pr.updated_at', field: 'updatedAt', nullable: false, kind: 'text' },
};

/** WHERE clauses over `problems pr` for the filters; today comes from the injected clock. */
function problemWhere(flt: ProblemFilters, today: string): { where: string[]; params: unknown[] } {
  const where = ['pr.deleted_at IS NULL'];
  const params: unknown[] = [];
  if (flt.unitId) {
    where.push('pr.unit_id = ?');
    params.push(flt.unitId);
  }
  if (flt.roundId) {
    where.push('pr.round_id = ?');
    params.push(flt.roundId);
  }
  if (flt.overdue === true) {
    // Overdue = not closed and the earliest open deadline has passed. With a status chosen the
    // status test is an equality, which keeps the (unit_id, status, deadline) index usable.
    if (flt.status === 'closed') where.push('0');
    else if (flt.status) {
      where.push('pr.status = ?');
      params.push(flt.status);
    } else where.push("pr.status IN ('open', 'pending_review')");
    where.push('pr.deadline < ?');
    params.push(today);
  } else {
    if (flt.status) {
      where.push('pr.status = ?');
      params.push(flt.status);
    }
    if (flt.overdue === false) {
      where.push("(pr.status = 'closed' OR pr.deadline IS NULL OR pr.deadline >= ?)");
      params.push(today);
    }
  }
  if (flt.categoryId) {
    // A top-level category includes its sub-categories (problems are usually filed under a leaf).
    where.push('pr.category_id IN (SELECT id FROM problem_categories WHERE id = ? OR parent_id = ?)');
    params.push(flt.categoryId, flt.categoryId);
  }
  if (flt.isKey !== null) {
    where.push('pr.is_key = ?');
    params.push(flt.isKey ? 1 : 0);
  }
  for (const [col, val] of [['responsible_department', flt.responsibleDepartment], ['responsible_leader', flt.responsibleLeader]] as const) {
    if (val === null) continue;
    // IN over the (department|leader, problem_id) partial index: an EXISTS per problem would visit
    // every problem's tasks (minutes on a 1M-problem ledger).
    where.push(`pr.id IN (SELECT t.problem_id FROM tasks t WHERE t.${col} = ? AND t.deleted_at IS NULL)`);
    params.push(val);
  }
  if (flt.source) {
    where.push('pr.source = ?');
    params.push(flt.source);
  }
  if (flt.originOfficeId) {
    // Alone, it reads problems_origin_idx / problems_origin_updated_idx (by deadline / last change);
    // beside a unit or round, those indexes lead and this is checked per row.
    where.push('pr.origin_office_id = ?');
    params.push(flt.originOfficeId);
  }
  const c = conflictedWhere('problems', 'pr.id', flt.conflicted);
  if (c) where.push(c);
  const s = searchClauses(flt.q, 'problems_fts', 'pr.rowid', 'pr.description', flt.unitId !== null);
  return { where: [...where, ...s.where], params: [...params, ...s.params] };
}

const PROBLEM_SELECT = `SELECT pr.id AS id, pr.seq AS seq, pr.unit_id AS unitId, pr.round_id AS roundId,
  pr.category_id AS categoryId, pr.description AS description, pr.is_key AS isKey, pr.source AS source,
  pr.status AS status, pr.deadline AS deadline, pr.task_count AS taskCount,
  pr.closed_task_count AS closedTaskCount, pr.updated_at AS updatedAt, pr.origin_office_id AS originOfficeId
FROM problems pr`;

// The page is cut first (inner query, on problems alone, so LIMIT stops the index walk early),
// then the names and the 冲突 flag are added to those few rows.
const wrapProblems = (inner: string, orderBy: string) => `SELECT pg.*, u.name AS unitName, c.name AS categoryName,
  o.name AS originOfficeName, ${conflictedSql('problems', 'pg.id')} AS conflicted
FROM (${inner}) pg
LEFT JOIN units u ON u.id = pg.unitId
LEFT JOIN problem_categories c ON c.id = pg.categoryId
LEFT JOIN offices o ON o.id = pg.originOfficeId
ORDER BY ${orderBy}`;

interface RawProblem extends Omit<ProblemListRow, 'isKey' | 'overdue' | 'conflicted'> {
  isKey: number;
  conflicted: number;
}

function problemQuery(flt: ProblemFilters, today: string): PageQuery {
  const { where, params } = problemWhere(flt, today);
  return { select: PROBLEM_SELECT, idColumn: 'pr.id', where, params, wrap: wrapProblems };
}

/** One page of the problem list. Input: filters, sort/order, limit, cursor, withTotal. */
export const listProblems = defineCall({ permission: 'ledger.read', arg: problemListArg }, (ctx, a): ListPage<ProblemListRow> => {
  const paging = readPaging(a, SORT_SPECS, 'deadline');
  const today = ctx.clock.today();
  // Overdue rows always have a deadline: skip the NULL phase.
  const nullsPossible = a.overdue !== true;
  const page = runPage<RawProblem>(ctx, problemQuery(a, today), SORT_SPECS[paging.sort], paging, nullsPossible);
  const rows = page.rows.map((r) => ({
    ...r,
    isKey: r.isKey === 1,
    conflicted: r.conflicted === 1,
    overdue: r.status !== 'closed' && r.deadline !== null && r.deadline < today,
  }));
  const out: ListPage<ProblemListRow> = { rows, nextCursor: page.nextCursor };
  if (paging.withTotal) out.total = countWhere(ctx, a, today);
  return out;
});

function countWhere(ctx: ServiceContext, flt: ProblemFilters, today: string): number {
  const { where, params } = problemWhere(flt, today);
  return (ctx.ledger.prepare(`SELECT count(*) AS n FROM problems pr WHERE ${where.join(' AND ')}`).get(...params) as { n: number }).n;
}

/** How many problems match the filters (the list's filters; paging keys are ignored). */
export const countProblems = defineCall({ permission: 'ledger.read', arg: problemFilterArg }, (ctx, a): { total: number } =>
  ({ total: countWhere(ctx, a, ctx.clock.today()) }));

/**
 * EXPLAIN QUERY PLAN of the first page's main (phase 0) query for this input: one line per plan
 * step. For tests and bench notes: the common lists must SEARCH an index, not SCAN problems.
 */
export const explainProblemList = defineCall({ permission: 'ledger.read', arg: problemListArg }, (ctx, a): string[] => {
  const paging = readPaging(a, SORT_SPECS, 'deadline');
  return explainPage(ctx, problemQuery(a, ctx.clock.today()), SORT_SPECS[paging.sort], paging);
});
