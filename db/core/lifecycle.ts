/**
 * Delete (a tombstone with a reason) and restore, declared once for every kind of record. Each
 * service states only what differs: the right, the label, what must be checked first (still in use,
 * parent deleted, a duplicate) and what to return or recompute; the argument schemas, the reading
 * of the row, the transaction and the write path are the same everywhere.
 */
import type { ServiceContext } from './context.js';
import { inTransaction } from './context.js';
import { defineCall } from './call.js';
import type { Permission } from './permissions.js';
import { getRow, requireRow, restoreRow, softDelete, type Row, type SyncTable } from './write.js';
import { conflict, notFound } from '../domain/errors.js';
import * as f from '../domain/fields.js';

/** 删除原因: why a record is removed (kept on the tombstone or in the audit trail). */
export const deleteReasonField = f.text('删除原因', f.LEN.short);

/** The argument of every delete: the record and why. */
export const deleteArg = (label: string) => f.args({ id: f.id(label), reason: deleteReasonField });

/** The argument of every restore. */
export const restoreArg = (label: string) => f.args({ id: f.id(label) });

/** `SELECT count(*) AS n …` as a number (in-use checks before a delete). */
export function count(ctx: ServiceContext, sql: string, ...params: unknown[]): number {
  return (ctx.ledger.prepare(sql).get(...params) as { n: number }).n;
}

export interface LifecycleOptions<T extends SyncTable, V> {
  table: T;
  /** What the record is called in messages: 巡视轮次, 问题线索 … */
  label: string;
  permission: Permission;
  /** Checks before the tombstone is written (throw CONFLICT when the record is still in use). */
  beforeDelete?(ctx: ServiceContext, row: Row<T>): void;
  /** Checks before a restore (parent deleted, a live duplicate); runs only on a deleted row. */
  beforeRestore?(ctx: ServiceContext, row: Row<T>): void;
  /** Work in the same transaction after either change (roll-ups, caches). */
  after?(ctx: ServiceContext, row: Row<T>): void;
  /** What the call returns (default: the changed row). */
  view?(ctx: ServiceContext, row: Row<T>): V;
  /** Refuse to restore a record that is not deleted (CONFLICT not_deleted) instead of doing nothing. */
  strictRestore?: boolean;
  /** Reads the live row for a delete (default: requireRow); e.g. a clue checks its own visibility. */
  read?(ctx: ServiceContext, id: string): Row<T>;
}

export function defineLifecycle<T extends SyncTable, V = Row<T>>(o: LifecycleOptions<T, V>) {
  const view = (ctx: ServiceContext, row: Row<T>): V => (o.view ? o.view(ctx, row) : (row as unknown as V));
  const remove = defineCall({ permission: o.permission, arg: deleteArg(o.label) }, (ctx, a): V => {
    const cur = o.read ? o.read(ctx, a.id) : requireRow(ctx, o.table, a.id, o.label);
    o.beforeDelete?.(ctx, cur);
    return inTransaction(ctx, () => {
      const next = softDelete(ctx, o.table, cur, a.reason);
      o.after?.(ctx, next);
      return view(ctx, next);
    });
  });
  const restore = defineCall({ permission: o.permission, arg: restoreArg(o.label) }, (ctx, a): V => {
    const cur = getRow(ctx, o.table, a.id);
    if (!cur) throw notFound(o.label, a.id, 'id');
    const deleted = (cur as { deletedAt: string | null }).deletedAt !== null;
    if (!deleted && o.strictRestore) throw conflict(`该${o.label}未被删除。`, 'not_deleted');
    if (deleted) o.beforeRestore?.(ctx, cur);
    return inTransaction(ctx, () => {
      const next = restoreRow(ctx, o.table, cur);
      o.after?.(ctx, next);
      return view(ctx, next);
    });
  });
  return { remove, restore };
}
