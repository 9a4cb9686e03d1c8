/**
 * 问题清单: the paged, filtered problem list (ARCHITECTURE.md: large lists are paged and filtered in
 * SQL with keyset pagination, indexes and FTS5 trigram search; never whole tables to the renderer).
 *
 * Keyset, never OFFSET: the next page starts strictly after the last row's (sort key, id), so a
 * deep page costs the same as the first and rows inserted meanwhile neither shift nor repeat rows.
 * A nullable sort key (deadline) is walked in two phases, rows with a key first, then rows without
 * one ordered by id: "NULLs last" without an expression in ORDER BY, so the (unit_id, status,
 * deadline) index still delivers rows in order and the query stops after one page.
 *
 * The cursor is opaque to the UI: base64url JSON of {sort, order, phase, key, id} of the last row.
 */
import type { ServiceContext } from '../core/context.js';
import { PROBLEM_SOURCES } from '../domain/enums.js';
import { invalid } from '../domain/errors.js';
import { UUID_RE } from '../core/ids.js';
import { requirePermission } from '../core/permissions.js';
import { PROBLEM_STATUSES } from '../schema/ledger.js';
import * as v from '../core/validate.js';

export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];
export const PROBLEM_SORTS = ['deadline', 'seq', 'updatedAt'] as const;
export type ProblemSort = (typeof PROBLEM_SORTS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

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
}

export interface ListPage<R> {
  rows: R[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  /** Only when asked for with `withTotal: true` (a count over a million rows is not free). */
  total?: number;
}

// ---------------------------------------------------------------- shared paging helpers

/** One key of a sort: the SQL column (of the inner query's table alias) and how to check cursor keys. */
export interface SortSpec {
  column: string;
  /** The row field carrying the key. */
  field: string;
  nullable: boolean;
  kind: 'date' | 'int' | 'text';
}

interface CursorState {
  s: string;
  o: SortOrder;
  /** 0 = rows with a sort key; 1 = rows whose (nullable) key is null, walked by id. */
  n: 0 | 1;
  k: string | number | null;
  id: string;
}

export function encodeCursor(c: CursorState): string {
  return Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

const badCursor = () => invalid('cursor', '翻页位置无效或已过期，请从第一页重新开始。', 'bad_cursor');

/** Decode and check a cursor against the requested sort; anything off is VALIDATION 'cursor'. */
export function decodeCursor(raw: unknown, sort: string, order: SortOrder, spec: SortSpec): CursorState | null {
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw !== 'string' || raw.length > 1000 || !/^[A-Za-z0-9_-]+$/.test(raw)) throw badCursor();
  let c: unknown;
  try {
    c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (typeof c !== 'object' || c === null || Array.isArray(c)) throw badCursor();
  const o = c as Record<string, unknown>;
  if (o.s !== sort || o.o !== order) {
    throw invalid('cursor', '排序方式已改变，请从第一页重新开始。', 'cursor_sort_mismatch');
  }
  if (typeof o.id !== 'string' || !UUID_RE.test(o.id)) throw badCursor();
  if (o.n !== 0 && o.n !== 1) throw badCursor();
  if (o.n === 1) {
    if (!spec.nullable || o.k !== null) throw badCursor();
  } else {
    const ok = spec.kind === 'int' ? Number.isInteger(o.k)
      : typeof o.k === 'string' && o.k.length <= 40 && (spec.kind !== 'date' || /^\d{4}-\d{2}-\d{2}$/.test(o.k));
    if (!ok) throw badCursor();
  }
  return { s: sort, o: order, n: o.n, k: o.k as string | number | null, id: o.id };
}

/** Escape LIKE wildcards so '%' or '_' typed by a user match themselves (ESCAPE '\'). */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

/**
 * Search terms (split on blanks, all must match). FTS5 trigram finds substrings of 3+ characters
 * from the index; it silently matches nothing for 1–2 characters, so those terms use LIKE instead
 * (db/migrations/0001_fts.sql).
 *
 * `narrow`: the other filters already pin the rows to one unit (or one problem). Then every term
 * uses LIKE: the FTS subquery would list every match in the whole ledger first (40 ms for a common
 * term on 1,000,000 problems), while LIKE only reads the unit's own rows (about 1.5 ms). Both
 * match the same substrings (ASCII case-insensitively, like the trigram tokenizer's default).
 */
export function searchClauses(
  q: string | null, ftsTable: string, rowidColumn: string, textColumn: string, narrow = false,
): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (!q) return { where, params };
  const terms = q.split(/\s+/).filter((t) => t.length > 0).slice(0, 8);
  const long = narrow ? [] : terms.filter((t) => [...t].length >= 3);
  const short = narrow ? terms : terms.filter((t) => [...t].length < 3);
  if (long.length > 0) {
    // Each term as an FTS5 string ("…" with quotes doubled): no operator or column syntax leaks through.
    where.push(`${rowidColumn} IN (SELECT rowid FROM ${ftsTable} WHERE ${ftsTable} MATCH ?)`);
    params.push(long.map((t) => `"${t.replace(/"/g, '""')}"`).join(' AND '));
  }
  for (const t of short) {
    where.push(`${textColumn} LIKE ? ESCAPE '\\'`);
    params.push(likePattern(t));
  }
  return { where, params };
}

/** Tri-state flag filter: absent/null = no filter; true/false = only rows with that value. */
export function optFlag(x: unknown, field: string, label: string): boolean | null {
  if (x === undefined || x === null) return null;
  return v.bool(x, field, label);
}

export function readPaging<S extends string>(
  i: v.Input, sorts: readonly S[], dflt: S,
): { sort: S; order: SortOrder; limit: number; withTotal: boolean } {
  const sort = v.optOneOf(i.sort, 'sort', sorts, '排序方式') ?? dflt;
  const order = v.optOneOf(i.order, 'order', SORT_ORDERS, '排序方向') ?? 'asc';
  const limit = i.limit === undefined || i.limit === null ? DEFAULT_LIMIT : v.int(i.limit, 'limit', '每页条数', 1, MAX_LIMIT);
  const withTotal = v.bool(i.withTotal, 'withTotal', '统计总数');
  return { sort, order, limit, withTotal };
}

interface PageQuery {
  /** Inner SELECT list and FROM (one table, aliased), without WHERE. */
  select: string;
  idColumn: string;
  where: string[];
  params: unknown[];
  /** Wraps the inner page query to add joined names; gets the inner SQL, returns the outer SQL. */
  wrap: (inner: string, orderBy: string) => string;
}

/** SQL and parameters of one phase of a keyset page (exported for EXPLAIN QUERY PLAN checks). */
export function phaseSql(
  q: PageQuery, spec: SortSpec, order: SortOrder, phase: 0 | 1, cursor: CursorState | null, take: number,
): { sql: string; params: unknown[] } {
  const where = [...q.where];
  const params = [...q.params];
  const dir = order === 'asc' ? 'ASC' : 'DESC';
  const cmp = order === 'asc' ? '>' : '<';
  let innerOrder: string;
  let outerOrder: string;
  if (phase === 0) {
    if (spec.nullable) where.push(`${spec.column} IS NOT NULL`);
    if (cursor && cursor.n === 0) {
      // (key, id) > (k, id0), written so the key's range can use an index.
      where.push(`${spec.column} ${cmp}= ? AND (${spec.column} ${cmp} ? OR ${q.idColumn} ${cmp} ?)`);
      params.push(cursor.k, cursor.k, cursor.id);
    }
    innerOrder = `${spec.column} ${dir}, ${q.idColumn} ${dir}`;
    outerOrder = `pg.${spec.field} ${dir}, pg.id ${dir}`;
  } else {
    where.push(`${spec.column} IS NULL`);
    if (cursor && cursor.n === 1) {
      where.push(`${q.idColumn} ${cmp} ?`);
      params.push(cursor.id);
    }
    innerOrder = `${q.idColumn} ${dir}`;
    outerOrder = `pg.id ${dir}`;
  }
  const inner = `${q.select} WHERE ${where.join(' AND ')} ORDER BY ${innerOrder} LIMIT ?`;
  params.push(take);
  return { sql: q.wrap(inner, outerOrder), params };
}

/**
 * Run a keyset page: phase 0 (rows with a key), then, if the page is not full and the key is
 * nullable, phase 1 (rows without one). Fetches one row more than asked to know whether a next
 * page exists.
 */
export function runPage<Raw extends { id: string }>(
  ctx: ServiceContext, q: PageQuery, spec: SortSpec, sort: string, order: SortOrder, limit: number,
  cursor: CursorState | null, nullsPossible: boolean,
): { rows: Raw[]; nextCursor: string | null } {
  const rows: (Raw & { _phase: 0 | 1 })[] = [];
  const want = limit + 1;
  if (!cursor || cursor.n === 0) {
    const { sql, params } = phaseSql(q, spec, order, 0, cursor, want);
    for (const r of ctx.ledger.prepare(sql).all(...params) as Raw[]) rows.push({ ...r, _phase: 0 });
  }
  if (spec.nullable && nullsPossible && rows.length < want) {
    const c = cursor && cursor.n === 1 ? cursor : null;
    const { sql, params } = phaseSql(q, spec, order, 1, c, want - rows.length);
    for (const r of ctx.ledger.prepare(sql).all(...params) as Raw[]) rows.push({ ...r, _phase: 1 });
  }
  const page = rows.slice(0, limit);
  let nextCursor: string | null = null;
  if (rows.length > limit) {
    const last = page[page.length - 1]!;
    const k = last._phase === 1 ? null : ((last as Record<string, unknown>)[spec.field] as string | number);
    nextCursor = encodeCursor({ s: sort, o: order, n: last._phase, k, id: last.id });
  }
  return { rows: page.map(({ _phase, ...r }) => r as unknown as Raw), nextCursor };
}

// ---------------------------------------------------------------- problems

export interface ProblemFilters {
  unitId: string | null;
  roundId: string | null;
  status: ProblemStatus | null;
  overdue: boolean | null;
  categoryId: string | null;
  isKey: boolean | null;
  source: string | null;
  /** Problems with at least one live task of this department / leader (exact match). */
  responsibleDepartment: string | null;
  responsibleLeader: string | null;
  q: string | null;
}

const SORT_SPECS: Record<ProblemSort, SortSpec> = {
  deadline: { column: 'pr.deadline', field: 'deadline', nullable: true, kind: 'date' },
  seq: { column: 'pr.seq', field: 'seq', nullable: false, kind: 'int' },
  updatedAt: { column: 'pr.updated_at', field: 'updatedAt', nullable: false, kind: 'text' },
};

export function readProblemFilters(i: v.Input): ProblemFilters {
  return {
    unitId: v.optId(i.unitId, 'unitId', '被巡视单位'),
    roundId: v.optId(i.roundId, 'roundId', '巡视轮次'),
    status: v.optOneOf(i.status, 'status', PROBLEM_STATUSES, '问题状态'),
    overdue: optFlag(i.overdue, 'overdue', '逾期'),
    categoryId: v.optId(i.categoryId, 'categoryId', '问题类别'),
    isKey: optFlag(i.isKey, 'isKey', '重点难点问题'),
    source: v.optOneOf(i.source, 'source', PROBLEM_SOURCES.codes, '问题来源'),
    responsibleDepartment: v.optText(i.responsibleDepartment, 'responsibleDepartment', { max: v.LEN.name, label: '责任部门' }),
    responsibleLeader: v.optText(i.responsibleLeader, 'responsibleLeader', { max: v.LEN.name, label: '责任领导' }),
    q: v.optText(i.q, 'q', { max: 100, label: '搜索词' }),
  };
}

/** WHERE clauses over `problems pr` for the filters; today comes from the injected clock. */
function problemWhere(f: ProblemFilters, today: string): { where: string[]; params: unknown[] } {
  const where = ['pr.deleted_at IS NULL'];
  const params: unknown[] = [];
  if (f.unitId) {
    where.push('pr.unit_id = ?');
    params.push(f.unitId);
  }
  if (f.roundId) {
    where.push('pr.round_id = ?');
    params.push(f.roundId);
  }
  if (f.overdue === true) {
    // Overdue = not closed and the earliest open deadline has passed. With a status chosen the
    // status test is an equality, which keeps the (unit_id, status, deadline) index usable.
    if (f.status === 'closed') where.push('0');
    else if (f.status) {
      where.push('pr.status = ?');
      params.push(f.status);
    } else where.push("pr.status IN ('open', 'pending_review')");
    where.push('pr.deadline < ?');
    params.push(today);
  } else {
    if (f.status) {
      where.push('pr.status = ?');
      params.push(f.status);
    }
    if (f.overdue === false) {
      where.push("(pr.status = 'closed' OR pr.deadline IS NULL OR pr.deadline >= ?)");
      params.push(today);
    }
  }
  if (f.categoryId) {
    // A top-level category includes its sub-categories (problems are usually filed under a leaf).
    where.push('pr.category_id IN (SELECT id FROM problem_categories WHERE id = ? OR parent_id = ?)');
    params.push(f.categoryId, f.categoryId);
  }
  if (f.isKey !== null) {
    where.push('pr.is_key = ?');
    params.push(f.isKey ? 1 : 0);
  }
  for (const [col, val] of [['responsible_department', f.responsibleDepartment], ['responsible_leader', f.responsibleLeader]] as const) {
    if (val === null) continue;
    // IN over the (department|leader, problem_id) partial index: an EXISTS per problem would visit
    // every problem's tasks (minutes on a 1M-problem ledger).
    where.push(`pr.id IN (SELECT t.problem_id FROM tasks t WHERE t.${col} = ? AND t.deleted_at IS NULL)`);
    params.push(val);
  }
  if (f.source) {
    where.push('pr.source = ?');
    params.push(f.source);
  }
  const s = searchClauses(f.q, 'problems_fts', 'pr.rowid', 'pr.description', f.unitId !== null);
  return { where: [...where, ...s.where], params: [...params, ...s.params] };
}

const PROBLEM_SELECT = `SELECT pr.id AS id, pr.seq AS seq, pr.unit_id AS unitId, pr.round_id AS roundId,
  pr.category_id AS categoryId, pr.description AS description, pr.is_key AS isKey, pr.source AS source,
  pr.status AS status, pr.deadline AS deadline, pr.task_count AS taskCount,
  pr.closed_task_count AS closedTaskCount, pr.updated_at AS updatedAt
FROM problems pr`;

// The page is cut first (inner query, on problems alone, so LIMIT stops the index walk early),
// then the names are joined to those few rows.
const wrapProblems = (inner: string, orderBy: string) => `SELECT pg.*, u.name AS unitName, c.name AS categoryName
FROM (${inner}) pg
LEFT JOIN units u ON u.id = pg.unitId
LEFT JOIN problem_categories c ON c.id = pg.categoryId
ORDER BY ${orderBy}`;

interface RawProblem extends Omit<ProblemListRow, 'isKey' | 'overdue'> {
  isKey: number;
}

function problemQuery(f: ProblemFilters, today: string): PageQuery {
  const { where, params } = problemWhere(f, today);
  return { select: PROBLEM_SELECT, idColumn: 'pr.id', where, params, wrap: wrapProblems };
}

interface ProblemListInput extends ReturnType<typeof readPaging<ProblemSort>> {
  filters: ProblemFilters;
  cursor: CursorState | null;
}

function readProblemList(raw: unknown): ProblemListInput {
  const i = v.object(raw ?? {});
  const filters = readProblemFilters(i);
  const paging = readPaging(i, PROBLEM_SORTS, 'deadline');
  const cursor = decodeCursor(i.cursor, paging.sort, paging.order, SORT_SPECS[paging.sort]);
  return { ...paging, filters, cursor };
}

/** One page of the problem list. Input: filters, sort/order, limit, cursor, withTotal. */
export function listProblems(ctx: ServiceContext, raw: unknown): ListPage<ProblemListRow> {
  requirePermission(ctx, 'ledger.read');
  const inp = readProblemList(raw);
  const today = ctx.clock.today();
  const q = problemQuery(inp.filters, today);
  const spec = SORT_SPECS[inp.sort];
  // Overdue rows always have a deadline: skip the NULL phase.
  const nullsPossible = inp.filters.overdue !== true;
  const page = runPage<RawProblem>(ctx, q, spec, inp.sort, inp.order, inp.limit, inp.cursor, nullsPossible);
  const rows = page.rows.map((r) => ({
    ...r,
    isKey: r.isKey === 1,
    overdue: r.status !== 'closed' && r.deadline !== null && r.deadline < today,
  }));
  const out: ListPage<ProblemListRow> = { rows, nextCursor: page.nextCursor };
  if (inp.withTotal) out.total = countWhere(ctx, inp.filters, today);
  return out;
}

function countWhere(ctx: ServiceContext, f: ProblemFilters, today: string): number {
  const { where, params } = problemWhere(f, today);
  return (ctx.ledger.prepare(`SELECT count(*) AS n FROM problems pr WHERE ${where.join(' AND ')}`).get(...params) as { n: number }).n;
}

/** How many problems match the filters (same input as listProblems; paging fields are ignored). */
export function countProblems(ctx: ServiceContext, raw: unknown): { total: number } {
  requirePermission(ctx, 'ledger.read');
  const i = v.object(raw ?? {});
  return { total: countWhere(ctx, readProblemFilters(i), ctx.clock.today()) };
}

/**
 * EXPLAIN QUERY PLAN of the first page's main (phase 0) query for this input: one line per plan
 * step. For tests and bench notes: the common lists must SEARCH an index, not SCAN problems.
 */
export function explainProblemList(ctx: ServiceContext, raw: unknown): string[] {
  requirePermission(ctx, 'ledger.read');
  const inp = readProblemList(raw);
  const { sql, params } = phaseSql(problemQuery(inp.filters, ctx.clock.today()), SORT_SPECS[inp.sort], inp.order, 0, inp.cursor, inp.limit + 1);
  return (ctx.ledger.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
}
