import { and, count, eq, getTableName, isNull, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { ServiceContext } from '../core/context.js';
import { invalid, notFound } from '../domain/errors.js';
import { rounds, units } from '../schema/index.js';
import * as f from '../domain/fields.js';
import { getRow, requireRow, type Row, type SyncTable } from '../core/write.js';
import { conflictedWhere, withConflicts, type Flagged } from '../queries/conflicted.js';
import { conflictedFilter, originFilter } from '../queries/filters.js';

/**
 * Small pieces shared by the supervision-side services (clues, suggestions, petitions, activities,
 * programmes, reports, evaluations, escalations, accountability). No rules live here: only the
 * argument fields and the plumbing that would otherwise be copied nine times.
 */

/**
 * A paged list: `total` counts every matching row so the UI can page without guessing; each item
 * carries its 冲突 flag (a field of it or of a part of it in conflict after an exchange import).
 */
export interface ListResult<T> {
  items: Flagged<T>[];
  total: number;
}

export const MAX_PAGE = 1000;

/**
 * includeDeleted / limit / offset of every list request (lists never show tombstones unless asked),
 * and the two filters every list has since offices exchange (aggregation upward, EXCHANGE.md): 来源单位
 * (the office that created the record) and 只看有冲突的.
 */
export const listFields = {
  includeDeleted: f.bool('包含已删除记录'),
  limit: f.optInt('每页条数', 1, MAX_PAGE),
  offset: f.optInt('起始位置', 0, Number.MAX_SAFE_INTEGER),
  originOfficeId: originFilter,
  conflicted: conflictedFilter,
};

export interface ListArgs {
  includeDeleted: boolean;
  limit: number | null;
  offset: number | null;
  originOfficeId: string | null;
  conflicted: boolean | null;
}

/** roundId / unitId scope most supervision records carry (both optional); also the list filters by scope. */
export const scopeFields = {
  roundId: f.optId('巡视轮次'),
  unitId: f.optId('被巡视单位'),
};

/** The same on update: an absent key keeps the record's value, null clears it. */
export const scopePatchFields = {
  roundId: f.patch(scopeFields.roundId),
  unitId: f.patch(scopeFields.unitId),
};

/** The argument of a get: the record, and whether a deleted one may be read. */
export const readArg = (label: string) => f.args({ id: f.id(label), includeDeleted: f.bool('包含已删除记录') });

/** Run a filtered, ordered, paged select on one table; each row with its 冲突 flag (db/queries/conflicted.ts). */
export function page<T extends SyncTable>(
  ctx: ServiceContext,
  table: T,
  conds: (SQL | undefined)[],
  order: SQL[] | SQLiteColumn[],
  a: ListArgs,
): ListResult<Row<T>> {
  const all = [...conds];
  const name = getTableName(table);
  const cols = table as unknown as { deletedAt: SQLiteColumn; originOfficeId: SQLiteColumn };
  if (!a.includeDeleted) all.push(isNull(cols.deletedAt));
  if (a.originOfficeId) all.push(eq(cols.originOfficeId, a.originOfficeId));
  const conflicted = conflictedWhere(name, `"${name}"."id"`, a.conflicted);
  if (conflicted) all.push(sql.raw(conflicted));
  const where = and(...all);
  const orm = ctx.ledger.orm;
  const items = orm.select().from(table).where(where).orderBy(...order)
    .limit(a.limit ?? MAX_PAGE).offset(a.offset ?? 0).all() as Row<T>[];
  const total = (orm.select({ n: count() }).from(table).where(where).get() as { n: number }).n;
  // Every SyncTable row has an id (syncColumns); the generic row type does not say so.
  return { items: withConflicts(ctx, name, items as (Row<T> & { id: string })[]), total };
}

/** An optional equality filter. */
export const eqIf = (col: SQLiteColumn, val: string | null): SQL | undefined => (val === null ? undefined : eq(col, val));

/** Optional reference to a live row: null when absent, NOT_FOUND naming the field when dangling. */
function optRef<T extends SyncTable>(ctx: ServiceContext, table: T, id: string | null, field: string, label: string): Row<T> | null {
  return id === null ? null : requireRow(ctx, table, id, label, field);
}

/** The scope of a new record: each id, when given, must be a live round / unit. */
export function scope(ctx: ServiceContext, a: { roundId: string | null; unitId: string | null }): { roundId: string | null; unitId: string | null } {
  return {
    roundId: optRef(ctx, rounds, a.roundId, 'roundId', '巡视轮次')?.id ?? null,
    unitId: optRef(ctx, units, a.unitId, 'unitId', '被巡视单位')?.id ?? null,
  };
}

/** The same on update: only the keys that are present in the argument are read. */
export function scopePatch(
  ctx: ServiceContext, a: { roundId?: string | null; unitId?: string | null },
): { roundId?: string | null; unitId?: string | null } {
  const p: { roundId?: string | null; unitId?: string | null } = {};
  if (a.roundId !== undefined) p.roundId = optRef(ctx, rounds, a.roundId, 'roundId', '巡视轮次')?.id ?? null;
  if (a.unitId !== undefined) p.unitId = optRef(ctx, units, a.unitId, 'unitId', '被巡视单位')?.id ?? null;
  return p;
}

/** A row by id for get: live, or also deleted when `includeDeleted`. */
export function rowForRead<T extends SyncTable>(
  ctx: ServiceContext, table: T, id: string, what: string, includeDeleted: boolean, field = 'id',
): Row<T> {
  const row = includeDeleted ? getRow(ctx, table, id) : requireRow(ctx, table, id, what, field);
  if (!row) throw notFound(what, id, field);
  return row;
}

/** `later` must not be before `earlier` (both 'YYYY-MM-DD', so string order is date order). */
export function notBefore(later: string | null, earlier: string | null, field: string, message: string, reason: string): void {
  if (later !== null && earlier !== null && later < earlier) throw invalid(field, message, reason);
}

/** A list of ids in an argument (at most 500, each a well-formed id; absent or null is none). */
export const idListField = (label: string, max = 500) => f.list(f.id(label), label, max);

/** The ids of such a list deduplicated (order kept), each with the field path of its first position. */
export function uniqueIds(ids: readonly string[], field: string): { id: string; field: string }[] {
  const out: { id: string; field: string }[] = [];
  ids.forEach((id, k) => {
    if (!out.some((o) => o.id === id)) out.push({ id, field: `${field}[${k}]` });
  });
  return out;
}

/** The keys of a parsed argument that the caller gave (a patch's absent keys stay undefined). */
export const givenKeys = (a: object): Set<string> =>
  new Set(Object.entries(a).filter(([, x]) => x !== undefined).map(([k]) => k));
