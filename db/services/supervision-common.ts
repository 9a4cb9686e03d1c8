import { and, count, eq, isNull, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { ServiceContext } from '../core/context.js';
import { conflict, invalid, notFound } from '../domain/errors.js';
import { rounds, units } from '../schema/index.js';
import * as v from '../core/validate.js';
import { getRow, requireRow, type Row, type SyncTable } from '../core/write.js';

/**
 * Small pieces shared by the supervision-side services (clues, suggestions, petitions, activities,
 * programmes, reports, evaluations, escalations, accountability). No rules live here: only input
 * plumbing that would otherwise be copied nine times.
 */

/** A paged list: `total` counts every matching row so the UI can page without guessing. */
export interface ListResult<T> {
  items: T[];
  total: number;
}

export interface ListArgs {
  includeDeleted: boolean;
  limit: number;
  offset: number;
}

export const MAX_PAGE = 1000;

/** includeDeleted / limit / offset of a list request (lists never show tombstones unless asked). */
export function listArgs(i: v.Input): ListArgs {
  return {
    includeDeleted: v.bool(i.includeDeleted, 'includeDeleted', '包含已删除记录'),
    limit: i.limit === undefined || i.limit === null ? MAX_PAGE : v.int(i.limit, 'limit', '每页条数', 1, MAX_PAGE),
    offset: i.offset === undefined || i.offset === null ? 0 : v.int(i.offset, 'offset', '起始位置', 0, Number.MAX_SAFE_INTEGER),
  };
}

/** Run a filtered, ordered, paged select on one table. */
export function page<T extends SyncTable>(
  ctx: ServiceContext,
  table: T,
  conds: (SQL | undefined)[],
  order: SQL[] | SQLiteColumn[],
  a: ListArgs,
): ListResult<Row<T>> {
  const all = [...conds];
  if (!a.includeDeleted) all.push(isNull((table as unknown as { deletedAt: SQLiteColumn }).deletedAt));
  const where = and(...all);
  const orm = ctx.ledger.orm;
  const items = orm.select().from(table).where(where).orderBy(...order).limit(a.limit).offset(a.offset).all() as Row<T>[];
  const total = (orm.select({ n: count() }).from(table).where(where).get() as { n: number }).n;
  return { items, total };
}

/** An optional equality filter. */
export const eqIf = (col: SQLiteColumn, val: string | null): SQL | undefined => (val === null ? undefined : eq(col, val));

/** Optional reference to a live row: null when absent, NOT_FOUND naming the field when dangling. */
export function optRef<T extends SyncTable>(
  ctx: ServiceContext, table: T, raw: unknown, field: string, label: string,
): Row<T> | null {
  const id = v.optId(raw, field, label);
  return id === null ? null : requireRow(ctx, table, id, label, field);
}

export function ref<T extends SyncTable>(ctx: ServiceContext, table: T, raw: unknown, field: string, label: string): Row<T> {
  return requireRow(ctx, table, v.id(raw, field, label), label, field);
}

/** roundId / unitId scope columns most supervision records carry (both optional). */
export function scope(ctx: ServiceContext, i: v.Input): { roundId: string | null; unitId: string | null } {
  return {
    roundId: optRef(ctx, rounds, i.roundId, 'roundId', '巡视轮次')?.id ?? null,
    unitId: optRef(ctx, units, i.unitId, 'unitId', '被巡视单位')?.id ?? null,
  };
}

/** The same on update: only the keys that are present in the input are read. */
export function scopePatch(ctx: ServiceContext, i: v.Input): { roundId?: string | null; unitId?: string | null } {
  const p: { roundId?: string | null; unitId?: string | null } = {};
  if (i.roundId !== undefined) p.roundId = optRef(ctx, rounds, i.roundId, 'roundId', '巡视轮次')?.id ?? null;
  if (i.unitId !== undefined) p.unitId = optRef(ctx, units, i.unitId, 'unitId', '被巡视单位')?.id ?? null;
  return p;
}

/** Filters of a list by scope: ids are checked for shape only (an unknown id simply matches nothing). */
export function scopeFilter(i: v.Input): { roundId: string | null; unitId: string | null } {
  return { roundId: v.optId(i.roundId, 'roundId', '巡视轮次'), unitId: v.optId(i.unitId, 'unitId', '被巡视单位') };
}

/** The reason every deletion must give (EXCHANGE.md 6: a tombstone carries its reason). */
export const deleteReason = (i: v.Input) => v.text(i.reason, 'reason', { max: v.LEN.short, label: '删除理由' });

/** A row by id for get/delete: live, or also deleted when `includeDeleted`. */
export function rowForRead<T extends SyncTable>(
  ctx: ServiceContext, table: T, id: string, what: string, includeDeleted: boolean, field = 'id',
): Row<T> {
  const row = includeDeleted ? getRow(ctx, table, id) : requireRow(ctx, table, id, what, field);
  if (!row) throw notFound(what, id, field);
  return row;
}

/** The deleted row to restore: NOT_FOUND if unknown, CONFLICT if it is not deleted. */
export function deletedRow<T extends SyncTable>(ctx: ServiceContext, table: T, id: string, what: string): Row<T> {
  const row = getRow(ctx, table, id);
  if (!row) throw notFound(what, id, 'id');
  if (!(row as { deletedAt: string | null }).deletedAt) throw conflict(`该${what}未被删除。`, 'not_deleted');
  return row;
}

/** `later` must not be before `earlier` (both 'YYYY-MM-DD', so string order is date order). */
export function notBefore(later: string | null, earlier: string | null, field: string, message: string, reason: string): void {
  if (later !== null && earlier !== null && later < earlier) throw invalid(field, message, reason);
}

/** A list of ids (deduplicated, order kept), each with the field name of its first position. */
export function idList(raw: unknown, field: string, label: string, max = 500): { id: string; field: string }[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw invalid(field, `${label}格式不正确。`, 'type');
  if (raw.length > max) throw invalid(field, `${label}不能超过${max}项。`, 'too_many');
  const out: { id: string; field: string }[] = [];
  raw.forEach((x: unknown, k) => {
    const f = `${field}.${k}`;
    const id = v.id(x, f, label);
    if (!out.some((o) => o.id === id)) out.push({ id, field: f });
  });
  return out;
}
