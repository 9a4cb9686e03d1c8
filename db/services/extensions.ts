import { and, eq, isNull } from 'drizzle-orm';
import { inTransaction } from '../core/context.js';
import { defineCall } from '../core/call.js';
import { conflict, forbidden, illegal, invalid } from '../domain/errors.js';
import * as f from '../domain/fields.js';
import { extensionRequests, tasks } from '../schema/index.js';
import { insertRow, requireRow, updateRow, type Row } from '../core/write.js';
import { refreshProblemRollup } from './problems.js';

export type ExtensionRequest = Row<typeof extensionRequests>;

/** 延期申请: with a reason, for a later date than the deadline in force; one open request at a time. */
export const requestExtension = defineCall({
  permission: 'ledger.write',
  arg: f.args({ taskId: f.id('整改任务'), requestedDeadline: f.date('申请延期至'), reason: f.text('延期理由') }),
}, (ctx, a): ExtensionRequest => {
  const user = ctx.user!;
  const task = requireRow(ctx, tasks, a.taskId, '整改任务', 'taskId');
  const { requestedDeadline, reason } = a;
  if (task.status === 'closed') throw illegal('已销号的任务不能申请延期。', 'closed');
  if (task.status === 'pending_review') throw illegal('任务正在审核中，不能申请延期。', 'pending_review');
  if (requestedDeadline <= task.currentDeadline) {
    throw invalid('requestedDeadline', `申请的新时限须晚于现行整改时限（${task.currentDeadline}）。`, 'not_later');
  }
  const open = ctx.ledger.orm.select({ id: extensionRequests.id }).from(extensionRequests)
    .where(and(eq(extensionRequests.taskId, task.id), eq(extensionRequests.status, 'pending'), isNull(extensionRequests.deletedAt))).get();
  if (open) throw conflict('该任务已有待审批的延期申请。', 'pending_exists');
  return inTransaction(ctx, () => insertRow(ctx, extensionRequests, {
    taskId: task.id, previousDeadline: task.currentDeadline, requestedDeadline, reason, requestedBy: user.id, status: 'pending',
  }));
});

/**
 * Approve or refuse. Approval moves the deadline in force; the original deadline stays on the
 * task and the previous one on the request, so the ledger shows both.
 */
export const decideExtension = defineCall({
  permission: 'extension.decide',
  arg: f.args({
    id: f.id('延期申请'),
    approve: f.v.boolean('请选择同意或不同意。'),
    comment: f.optText('审批意见'),
  }),
}, (ctx, a): ExtensionRequest => {
  const user = ctx.user!;
  const req = requireRow(ctx, extensionRequests, a.id, '延期申请');
  const { approve, comment } = a;
  if (!approve && !comment) throw invalid('comment', '不同意延期时须写明理由。', 'required');
  if (req.status !== 'pending') throw conflict('该延期申请已经审批过。', 'already_decided');
  if (req.requestedBy === user.id) throw forbidden('不能审批自己提出的延期申请。', 'four_eyes');
  const task = requireRow(ctx, tasks, req.taskId, '整改任务');
  return inTransaction(ctx, () => {
    const decided = updateRow(ctx, extensionRequests, req, {
      status: approve ? 'approved' : 'refused', decidedBy: user.id, decidedAt: new Date(ctx.clock.now()).toISOString(), decisionComment: comment,
    }, { action: approve ? 'approve' : 'refuse' });
    if (approve) {
      updateRow(ctx, tasks, task, { currentDeadline: req.requestedDeadline, materialRevision: task.materialRevision + 1 }, { action: 'extend' });
      refreshProblemRollup(ctx, task.problemId);
    }
    return decided;
  });
});
