import { createHash } from 'node:crypto';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { conflict, forbidden, illegal, invalid } from '../domain/errors.js';
import { defineCall } from '../core/call.js';
import * as f from '../domain/fields.js';
import { closeouts, taskStages, tasks } from '../schema/index.js';
import { insertRow, requireRow, updateRow } from '../core/write.js';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { taskEvidence } from './evidence.js';
import { refreshProblemRollup } from './problems.js';
import { readSettings } from './settings.js';
import { assertTransition, pendingCloseout, type Task } from './tasks.js';

/**
 * 销号: the unit submits a finished task with its evidence (推进中 → 待审核); a reviewer of the
 * supervising side who is not the submitter (four eyes) accepts it (→ 已销号) or returns it with a
 * reason (→ 推进中). Acceptance freezes a snapshot of what was approved.
 */
export const submitCloseout = defineCall({
  permission: 'ledger.write',
  arg: f.args({
    taskId: f.id('整改任务'),
    completedOn: f.date('完成日期'),
    // Absent or null: on time when completed by the deadline in force.
    reportedOnTime: f.v.nullish(f.v.boolean('按期完成应为是或否。')),
    note: f.optText('销号说明'),
  }),
}, (ctx, a): Task => {
  const user = ctx.user!;
  const task = requireRow(ctx, tasks, a.taskId, '整改任务', 'taskId');
  assertTransition(task, 'pending_review');
  const { completedOn, note } = a;
  if (completedOn > ctx.clock.today()) throw invalid('completedOn', '完成日期不能晚于今天。', 'future');
  const reportedOnTime = a.reportedOnTime ?? completedOn <= task.currentDeadline;
  const need = readSettings(ctx).closeoutMinEvidence;
  const have = taskEvidence(ctx, task.id).length;
  if (have < need) {
    throw invalid('evidence', `申请销号前须上传至少${need}份佐证材料（目前${have}份）。`, 'evidence_required');
  }
  return inTransaction(ctx, () => {
    const next = updateRow(ctx, tasks, task, {
      status: 'pending_review', completedOn, reportedOnTime, submittedBy: user.id, submittedAt: new Date(ctx.clock.now()).toISOString(),
      materialRevision: completedOn !== task.completedOn ? task.materialRevision + 1 : task.materialRevision,
    }, { action: 'submit' });
    insertRow(ctx, closeouts, {
      taskId: task.id, materialRevision: next.materialRevision, submittedBy: user.id, submittedAt: next.submittedAt!,
      decision: 'pending', comment: note,
    });
    refreshProblemRollup(ctx, task.problemId);
    return next;
  });
});

/** The canonical frozen record of what a reviewer approved. */
function snapshotOf(ctx: ServiceContext, task: Task, reviewerId: string, decidedAt: string, comment: string | null) {
  const files = taskEvidence(ctx, task.id).map((e) => ({ id: e.id, sha256: e.sha256, fileName: e.fileName, formedOn: e.formedOn }));
  const stages = ctx.ledger.orm.select().from(taskStages).where(and(eq(taskStages.taskId, task.id), isNull(taskStages.deletedAt)))
    .orderBy(asc(taskStages.seq)).all().map((s) => ({ goal: s.goal, dueDate: s.dueDate, doneOn: s.doneOn }));
  const snapshot = {
    task: {
      id: task.id, problemId: task.problemId, measures: task.measures, term: task.term,
      responsibleLeader: task.responsibleLeader, responsibleDepartment: task.responsibleDepartment,
      responsiblePerson: task.responsiblePerson, deadline: task.deadline, currentDeadline: task.currentDeadline,
      completedOn: task.completedOn, reportedOnTime: task.reportedOnTime, materialRevision: task.materialRevision,
    },
    stages,
    evidence: files,
    submittedBy: task.submittedBy,
    reviewerId,
    decidedAt,
    comment,
  };
  const text = JSON.stringify(snapshot);
  return { text, hash: createHash('sha256').update(text).digest('hex') };
}

export const reviewCloseout = defineCall({
  permission: 'task.review',
  arg: f.args({ taskId: f.id('整改任务'), decision: f.oneOf(['accept', 'return'], '审核结论'), comment: f.optText('审核意见') }),
}, (ctx, a): Task => {
  const reviewer = ctx.user!;
  const task = requireRow(ctx, tasks, a.taskId, '整改任务', 'taskId');
  const { decision, comment } = a;
  if (decision === 'return' && !comment) throw invalid('comment', '退回时须写明退回理由。', 'required');
  if (task.status !== 'pending_review') throw illegal('该任务不在待审核状态，无法审核。', `${task.status}->review`);
  if (task.submittedBy === reviewer.id) throw forbidden('不能审核自己提交的销号申请，请由其他审核人员审核。', 'four_eyes');
  const pending = pendingCloseout(ctx, task.id);
  if (!pending) throw conflict('找不到待审核的销号申请。', 'no_pending');
  const decidedAt = new Date(ctx.clock.now()).toISOString();
  return inTransaction(ctx, () => {
    let next: Task;
    if (decision === 'accept') {
      const snap = snapshotOf(ctx, task, reviewer.id, decidedAt, comment);
      updateRow(ctx, closeouts, pending, { decision: 'accepted', reviewerId: reviewer.id, decidedAt, comment: comment ?? pending.comment, snapshot: snap.text, snapshotHash: snap.hash }, { action: 'accept' });
      next = updateRow(ctx, tasks, task, { status: 'closed', closedAt: decidedAt }, { action: 'close' });
    } else {
      updateRow(ctx, closeouts, pending, { decision: 'returned', reviewerId: reviewer.id, decidedAt, comment }, { action: 'return' });
      next = updateRow(ctx, tasks, task, { status: 'in_progress', returnCount: task.returnCount + 1 }, { action: 'return' });
    }
    refreshProblemRollup(ctx, task.problemId);
    return next;
  });
});
