/**
 * Keyset paging of the big lists (ARCHITECTURE.md: large lists are paged and filtered in SQL with
 * keyset pagination and indexes; never whole tables to the renderer).
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
import { invalid } from '../domain/errors.js';
import * as f from '../domain/fields.js';

export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

export interface ListPage<R> {
  rows: R[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  /** Only when asked for with `withTotal: true` (a count over a million rows is not free). */
  total?: number;
}

/** One key of a sort: the SQL column (of the inner query's table alias) and how to check cursor keys. */
export interface SortSpec {
  column: string;
  /** The row field carrying the key. */
  field: string;
  nullable: boolean;
  kind: 'date' | 'int' | 'text';
}

export interface CursorState {
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

const BAD_CURSOR = '翻页位置无效或已过期，请从第一页重新开始。';
const badCursor = () => invalid('cursor', BAD_CURSOR, 'bad_cursor');

/** A cursor as the UI passes it back: absent, null or '' for the first page, else base64url text. */
export const cursorField = f.v.nullish(f.v.pipe(
  f.v.string(BAD_CURSOR),
  f.rule('bad_cursor', (s: string) => s.length <= 1000 && /^[A-Za-z0-9_-]*$/.test(s), BAD_CURSOR),
), null);

/** The paging keys of a list's argument: sort, order, limit (default 50), withTotal, cursor. */
export function pagingFields<const S extends readonly [string, ...string[]]>(sorts: S) {
  return {
    sort: f.v.optional(f.optOneOf(sorts, '排序方式')),
    order: f.v.optional(f.optOneOf(SORT_ORDERS, '排序方向')),
    limit: f.optInt('每页条数', 1, MAX_LIMIT),
    withTotal: f.bool('统计总数'),
    cursor: cursorField,
  };
}

interface PagingInput<S extends string> {
  sort?: S | null;
  order?: SortOrder | null;
  limit: number | null;
  withTotal: boolean;
  cursor: string | null;
}

export interface Paging<S extends string> {
  sort: S;
  order: SortOrder;
  limit: number;
  withTotal: boolean;
  cursor: CursorState | null;
}

/** The parsed paging keys with their defaults, and the cursor decoded against the requested sort. */
export function readPaging<S extends string>(a: PagingInput<S>, specs: Record<S, SortSpec>, dflt: S): Paging<S> {
  const sort = a.sort ?? dflt;
  const order = a.order ?? 'asc';
  return { sort, order, limit: a.limit ?? DEFAULT_LIMIT, withTotal: a.withTotal, cursor: decodeCursor(a.cursor, sort, order, specs[sort]) };
}

/** Decode and check a cursor against the requested sort; anything off is VALIDATION 'cursor'. */
export function decodeCursor(raw: string | null, sort: string, order: SortOrder, spec: SortSpec): CursorState | null {
  if (!raw) return null;
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
  if (typeof o.id !== 'string' || !f.UUID_RE.test(o.id)) throw badCursor();
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

export interface PageQuery {
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
  ctx: ServiceContext, q: PageQuery, spec: SortSpec, p: Paging<string>, nullsPossible: boolean,
): { rows: Raw[]; nextCursor: string | null } {
  const { sort, order, limit, cursor } = p;
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

/** EXPLAIN QUERY PLAN of a first phase (tests, bench notes): one line per plan step. */
export function explainPage(ctx: ServiceContext, q: PageQuery, spec: SortSpec, p: Paging<string>): string[] {
  const { sql, params } = phaseSql(q, spec, p.order, 0, p.cursor, p.limit + 1);
  return (ctx.ledger.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
}
