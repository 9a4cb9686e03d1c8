import { and, asc, eq, isNull } from 'drizzle-orm';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { invalid } from '../domain/errors.js';
import { requirePermission } from '../core/permissions.js';
import { progressEntries, tasks } from '../schema/index.js';
import * as v from '../core/validate.js';
import { insertRow, requireRow, softDelete, updateRow, type Row } from '../core/write.js';
import { assertTaskEditable } from './evidence.js';

export type ProgressEntry = Row<typeof progressEntries>;

/** 整改进展: a dated entry. A draft task starts being worked on with its first entry. */
export function addProgress(ctx: ServiceContext, raw: unknown): ProgressEntry {
  requirePermission(ctx, 'ledger.write');
  const i = v.object(raw);
  const task = requireRow(ctx, tasks, v.id(i.taskId, 'taskId', '整改任务'), '整改任务', 'taskId');
  const entryDate = v.date(i.entryDate, 'entryDate', '进展日期');
  if (entryDate > ctx.clock.today()) throw invalid('entryDate', '进展日期不能晚于今天。', 'future');
  const content = v.text(i.content, 'content', { max: v.LEN.text, label: '进展情况' });
  assertTaskEditable(task);
  return inTransaction(ctx, () => {
    if (task.status === 'draft') updateRow(ctx, tasks, task, { status: 'in_progress' }, { action: 'start' });
    return insertRow(ctx, progressEntries, { taskId: task.id, entryDate, content });
  });
}

export function listProgress(ctx: ServiceContext, raw: unknown): ProgressEntry[] {
  requirePermission(ctx, 'ledger.read');
  const i = v.object(raw);
  const taskId = v.id(i.taskId, 'taskId', '整改任务');
  return ctx.ledger.orm.select().from(progressEntries)
    .where(and(eq(progressEntries.taskId, taskId), isNull(progressEntries.deletedAt)))
    .orderBy(asc(progressEntries.entryDate), asc(progressEntries.id)).all();
}

export function removeProgress(ctx: ServiceContext, raw: unknown): ProgressEntry {
  requirePermission(ctx, 'ledger.write');
  const i = v.object(raw);
  const entry = requireRow(ctx, progressEntries, v.id(i.id, 'id', '整改进展'), '整改进展');
  const reason = v.text(i.reason, 'reason', { max: v.LEN.short, label: '删除理由' });
  assertTaskEditable(requireRow(ctx, tasks, entry.taskId, '整改任务'));
  return inTransaction(ctx, () => softDelete(ctx, progressEntries, entry, reason));
}
