import { and, eq, isNull } from 'drizzle-orm';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { conflict, forbidden, illegal, invalid } from '../domain/errors.js';
import { requirePermission } from '../core/permissions.js';
import { extensionRequests, tasks } from '../schema/index.js';
import * as v from '../core/validate.js';
import { insertRow, requireRow, updateRow, type Row } from '../core/write.js';
import { refreshProblemRollup } from './problems.js';

export type ExtensionRequest = Row<typeof extensionRequests>;

/** 延期申请: with a reason, for a later date than the deadline in force; one open request at a time. */
export function requestExtension(ctx: ServiceContext, raw: unknown): ExtensionRequest {
  const user = requirePermission(ctx, 'ledger.write');
  const i = v.object(raw);
  const task = requireRow(ctx, tasks, v.id(i.taskId, 'taskId', '整改任务'), '整改任务', 'taskId');
  const requestedDeadline = v.date(i.requestedDeadline, 'requestedDeadline', '申请延期至');
  const reason = v.text(i.reason, 'reason', { max: v.LEN.text, label: '延期理由' });
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
}

/**
 * Approve or refuse. Approval moves the deadline in force; the original deadline stays on the
 * task and the previous one on the request, so the ledger shows both.
 */
export function decideExtension(ctx: ServiceContext, raw: unknown): ExtensionRequest {
  const user = requirePermission(ctx, 'extension.decide');
  const i = v.object(raw);
  const req = requireRow(ctx, extensionRequests, v.id(i.id, 'id', '延期申请'), '延期申请');
  if (typeof i.approve !== 'boolean') throw invalid('approve', '请选择同意或不同意。', 'required');
  const approve = i.approve;
  const comment = v.optText(i.comment, 'comment', { max: v.LEN.text, label: '审批意见' });
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
}
