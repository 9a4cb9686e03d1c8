import { and, asc, eq, isNull } from 'drizzle-orm';
import { inTransaction } from '../core/context.js';
import { deleteReasonField } from '../core/lifecycle.js';
import { defineCall } from '../core/call.js';
import { invalid } from '../domain/errors.js';
import * as f from '../domain/fields.js';
import { progressEntries, tasks } from '../schema/index.js';
import { insertRow, requireRow, softDelete, updateRow, type Row } from '../core/write.js';
import { assertTaskEditable } from './evidence.js';

export type ProgressEntry = Row<typeof progressEntries>;

/** 整改进展: a dated entry. A draft task starts being worked on with its first entry. */
export const addProgress = defineCall({
  permission: 'ledger.write',
  arg: f.args({ taskId: f.id('整改任务'), entryDate: f.date('进展日期'), content: f.text('进展情况') }),
}, (ctx, a): ProgressEntry => {
  const task = requireRow(ctx, tasks, a.taskId, '整改任务', 'taskId');
  const { entryDate, content } = a;
  if (entryDate > ctx.clock.today()) throw invalid('entryDate', '进展日期不能晚于今天。', 'future');
  assertTaskEditable(task);
  return inTransaction(ctx, () => {
    if (task.status === 'draft') updateRow(ctx, tasks, task, { status: 'in_progress' }, { action: 'start' });
    return insertRow(ctx, progressEntries, { taskId: task.id, entryDate, content });
  });
});

export const listProgress = defineCall({ permission: 'ledger.read', arg: f.args({ taskId: f.id('整改任务') }) }, (ctx, a): ProgressEntry[] =>
  ctx.ledger.orm.select().from(progressEntries)
    .where(and(eq(progressEntries.taskId, a.taskId), isNull(progressEntries.deletedAt)))
    .orderBy(asc(progressEntries.entryDate), asc(progressEntries.id)).all());

export const removeProgress = defineCall({
  permission: 'ledger.write',
  arg: f.args({ id: f.id('整改进展'), reason: deleteReasonField }),
}, (ctx, a): ProgressEntry => {
  const entry = requireRow(ctx, progressEntries, a.id, '整改进展');
  assertTaskEditable(requireRow(ctx, tasks, entry.taskId, '整改任务'));
  return inTransaction(ctx, () => softDelete(ctx, progressEntries, entry, a.reason));
});
