import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { TASK_TERMS, type TaskStatus } from '../domain/enums.js';
import { DomainError, illegal, invalid, notFound } from '../domain/errors.js';
import {
  closeouts, evidence, extensionRequests, progressEntries, taskStages, tasks,
} from '../schema/index.js';
import { defineCall } from '../core/call.js';
import * as f from '../domain/fields.js';
import { insertRow, requireRow, softDelete, updateRow, type Row } from '../core/write.js';
import { refreshProblemRollup, rollupNewTask } from './problems.js';

export type Task = Row<typeof tasks>;

/**
 * Task state machine (DOMAIN.md "Workflow details"):
 *   草稿 draft → 推进中 in_progress → 待审核 pending_review → 已销号 closed
 *   待审核 → 推进中 when the reviewer returns it (退回, reason required)
 *   已销号 → 推进中 when a material change re-opens it (the approval no longer covers it)
 */
export const TRANSITIONS: Record<TaskStatus, readonly TaskStatus[]> = {
  draft: ['in_progress'],
  in_progress: ['pending_review'],
  pending_review: ['in_progress', 'closed'],
  closed: ['in_progress'],
};

const STATUS_LABEL: Record<TaskStatus, string> = { draft: '草稿', in_progress: '推进中', pending_review: '待审核', closed: '已销号' };

export function assertTransition(task: Task, to: TaskStatus): void {
  if (!TRANSITIONS[task.status].includes(to)) {
    throw illegal(`任务当前为“${STATUS_LABEL[task.status]}”，不能变为“${STATUS_LABEL[to]}”。`, `${task.status}->${to}`);
  }
}

/** Fields whose change alters what a close-out approved (整改措施、责任、时限、完成情况). */
export const MATERIAL_FIELDS = [
  'measures', 'responsibleLeader', 'responsibleDepartment', 'responsiblePerson', 'term', 'deadline', 'completedOn',
] as const;

const measuresField = f.text('整改措施');
const termField = f.oneOf(TASK_TERMS.codes, '整改类型');
const deadlineField = f.date('整改时限');
const responsibleFields = {
  responsibleLeader: f.optText('责任领导', f.LEN.name),
  responsibleDepartment: f.optText('责任部门', f.LEN.name),
  responsiblePerson: f.optText('责任人', f.LEN.name),
};
const remarkField = f.optText('备注');
const taskId = f.args({ id: f.id('整改任务') });

/** What a task needs of its problem (read narrowly: this runs for every task created). */
interface ProblemRef { id: string; unitId: string; roundId: string | null; inspectionId: string | null }

function problemRef(ctx: ServiceContext, id: string): ProblemRef {
  const p = ctx.ledger.prepare('SELECT id, unit_id AS unitId, round_id AS roundId, inspection_id AS inspectionId FROM problems WHERE id = ? AND deleted_at IS NULL')
    .get(id) as ProblemRef | undefined;
  if (!p) throw notFound('问题', id, 'problemId');
  return p;
}

/** The earliest feedback date of the problem's inspection: no deadline may precede it. */
function feedbackFloor(ctx: ServiceContext, problem: ProblemRef): string | null {
  if (!problem.inspectionId) return null;
  const r = ctx.ledger.prepare('SELECT min(feedback_date) AS d FROM feedbacks WHERE inspection_id = ? AND deleted_at IS NULL')
    .get(problem.inspectionId) as { d: string | null };
  return r.d;
}

function checkDeadline(ctx: ServiceContext, problem: ProblemRef, deadline: string, field: string) {
  const floor = feedbackFloor(ctx, problem);
  if (floor && deadline < floor) throw invalid(field, `整改时限不能早于反馈日期（${floor}）。`, 'before_feedback');
}

const stageField = f.args({ goal: f.text('阶段目标', f.LEN.short * 5), dueDate: f.date('阶段完成时间') });

/** Stages run in date order and end by the task's deadline. */
function checkStages(stages: readonly { dueDate: string }[], deadline: string): void {
  let prev = '';
  stages.forEach((s, k) => {
    if (s.dueDate < prev) throw invalid(`stages[${k}].dueDate`, '各阶段完成时间应按先后顺序排列。', 'order');
    if (s.dueDate > deadline) throw invalid(`stages[${k}].dueDate`, '阶段完成时间不能晚于整改时限。', 'after_deadline');
    prev = s.dueDate;
  });
}

/** Create a task (整改任务) under a problem; it starts as a draft. */
export const createTask = defineCall({
  permission: 'ledger.write',
  arg: f.args({
    problemId: f.id('问题'), measures: measuresField, term: termField, deadline: deadlineField,
    ...responsibleFields, remark: remarkField, stages: f.list(stageField, '分阶段目标', 50),
  }),
}, (ctx, a): Task => {
  const problem = problemRef(ctx, a.problemId);
  const { measures, term, deadline, responsibleLeader, responsibleDepartment, responsiblePerson, remark, stages } = a;
  checkStages(stages, deadline);
  if (stages.length > 0 && term !== 'long_term') throw invalid('stages', '只有“长期坚持”的任务才设分阶段目标。', 'not_long_term');
  checkDeadline(ctx, problem, deadline, 'deadline');
  return inTransaction(ctx, () => {
    const seq = (ctx.ledger.prepare('SELECT coalesce(max(seq), 0) + 1 AS n FROM tasks WHERE problem_id = ?').get(problem.id) as { n: number }).n;
    const task = insertRow(ctx, tasks, {
      problemId: problem.id, unitId: problem.unitId, roundId: problem.roundId, seq, measures, term, deadline,
      currentDeadline: deadline, status: 'draft', responsibleLeader, responsibleDepartment, responsiblePerson, remark,
      returnCount: 0, materialRevision: 1, secondRound: false, notForDisclosure: false,
    });
    stages.forEach((s, k) => insertRow(ctx, taskStages, { taskId: task.id, seq: k + 1, goal: s.goal, dueDate: s.dueDate }));
    rollupNewTask(ctx, problem.id, deadline);
    return task;
  });
});

/** The live accepted close-out of a task, if any. */
function acceptedCloseout(ctx: ServiceContext, taskId: string) {
  return ctx.ledger.orm.select().from(closeouts)
    .where(and(eq(closeouts.taskId, taskId), eq(closeouts.decision, 'accepted'), isNull(closeouts.supersededAt), isNull(closeouts.deletedAt)))
    .get();
}

/**
 * Put a closed (or pending) task back to 推进中 because what was approved no longer holds.
 * The old close-out stays on record, marked superseded with the reason. Internal: callers check rights.
 */
function reopen(ctx: ServiceContext, task: Task, reason: string, extra: Partial<Task> = {}): Task {
  const co = acceptedCloseout(ctx, task.id);
  if (co) updateRow(ctx, closeouts, co, { supersededAt: new Date(ctx.clock.now()).toISOString(), supersededReason: reason }, { action: 'supersede' });
  if (task.status === 'pending_review') {
    const pending = pendingCloseout(ctx, task.id);
    if (pending) updateRow(ctx, closeouts, pending, { decision: 'returned', comment: reason, decidedAt: new Date(ctx.clock.now()).toISOString() }, { action: 'return' });
  }
  return updateRow(ctx, tasks, task, { status: 'in_progress', closedAt: null, ...extra }, { action: 'reopen' });
}

export function pendingCloseout(ctx: ServiceContext, taskId: string) {
  return ctx.ledger.orm.select().from(closeouts)
    .where(and(eq(closeouts.taskId, taskId), eq(closeouts.decision, 'pending'), isNull(closeouts.deletedAt)))
    .get();
}

/**
 * Edit a task. While it awaits review it is frozen (LOCKED). After close-out, a material change
 * needs a reason and re-opens the task: the approval covered the old content, not the new one.
 * The deadline itself only changes before the task starts; afterwards through a 延期申请.
 */
export const updateTask = defineCall({
  permission: 'ledger.write',
  arg: f.args({
    id: f.id('整改任务'),
    measures: f.patch(measuresField),
    term: f.patch(termField),
    deadline: f.patch(deadlineField),
    responsibleLeader: f.patch(responsibleFields.responsibleLeader),
    responsibleDepartment: f.patch(responsibleFields.responsibleDepartment),
    responsiblePerson: f.patch(responsibleFields.responsiblePerson),
    remark: f.patch(remarkField),
    notForDisclosure: f.patch(f.bool('不予公开')),
    notForDisclosureReason: f.patch(f.optText('不予公开的理由', f.LEN.short)),
    reason: f.optText('修改理由', f.LEN.short),
  }),
}, (ctx, i): Task => {
  const cur = requireRow(ctx, tasks, i.id, '整改任务');
  if (cur.status === 'pending_review') throw new DomainError('LOCKED', '任务正在审核中，审核完成前不能修改。', { reason: 'under_review' });
  const patch: Partial<Task> = {};
  if (i.measures !== undefined) patch.measures = i.measures;
  if (i.term !== undefined) patch.term = i.term;
  if (i.responsibleLeader !== undefined) patch.responsibleLeader = i.responsibleLeader;
  if (i.responsibleDepartment !== undefined) patch.responsibleDepartment = i.responsibleDepartment;
  if (i.responsiblePerson !== undefined) patch.responsiblePerson = i.responsiblePerson;
  if (i.remark !== undefined) patch.remark = i.remark;
  if (i.notForDisclosure !== undefined || i.notForDisclosureReason !== undefined) {
    const flagged = i.notForDisclosure ?? cur.notForDisclosure;
    const why = i.notForDisclosureReason === undefined ? cur.notForDisclosureReason : i.notForDisclosureReason;
    if (flagged && !why) throw invalid('notForDisclosureReason', '标记为不予公开时，请填写不予公开的理由。', 'required');
    patch.notForDisclosure = flagged;
    patch.notForDisclosureReason = flagged ? why : null;
  }
  if (i.deadline !== undefined) {
    const d = i.deadline;
    if (d !== cur.deadline) {
      if (cur.status !== 'draft') throw invalid('deadline', '任务已开始推进，调整整改时限请提出延期申请。', 'use_extension');
      checkDeadline(ctx, problemRef(ctx, cur.problemId), d, 'deadline');
      patch.deadline = d;
      patch.currentDeadline = d;
    }
  }
  const material = MATERIAL_FIELDS.some((k) => patch[k] !== undefined && patch[k] !== cur[k]);
  const reason = i.reason;
  if (material && cur.status === 'closed' && !reason) {
    throw invalid('reason', '任务已销号，修改整改内容须说明理由，修改后需重新审核销号。', 'reopen_reason_required');
  }
  return inTransaction(ctx, () => {
    if (material) patch.materialRevision = cur.materialRevision + 1;
    let next = updateRow(ctx, tasks, cur, patch);
    if (material && cur.status === 'closed') next = reopen(ctx, next, reason!);
    refreshProblemRollup(ctx, cur.problemId);
    return next;
  });
});

/** 草稿 → 推进中 */
export const startTask = defineCall({ permission: 'ledger.write', arg: taskId }, (ctx, i): Task => {
  const cur = requireRow(ctx, tasks, i.id, '整改任务');
  if (cur.status !== 'draft') throw illegal('只有草稿状态的任务可以开始推进。', `${cur.status}->in_progress`);
  return inTransaction(ctx, () => {
    const next = updateRow(ctx, tasks, cur, { status: 'in_progress' }, { action: 'start' });
    refreshProblemRollup(ctx, cur.problemId);
    return next;
  });
});

/** Explicit re-opening of a closed task (e.g. the problem rebounded), by a reviewer, with a reason. */
export const reopenTask = defineCall({
  permission: 'task.review',
  arg: f.args({ id: f.id('整改任务'), reason: f.text('重新打开的理由', f.LEN.short) }),
}, (ctx, i): Task => {
  const cur = requireRow(ctx, tasks, i.id, '整改任务');
  const reason = i.reason;
  if (cur.status !== 'closed') throw illegal('只有已销号的任务可以重新打开。', `${cur.status}->in_progress`);
  return inTransaction(ctx, () => {
    const next = reopen(ctx, cur, reason, { materialRevision: cur.materialRevision + 1 });
    refreshProblemRollup(ctx, cur.problemId);
    return next;
  });
});

/**
 * 二次整改: a poor rating sends the task back to 推进中, flagged as second-round rectification.
 * Called by the evaluation service, which has checked the rater's rights.
 */
export function reopenTaskForSecondRound(ctx: ServiceContext, taskId: string, reason: string): Task {
  const cur = requireRow(ctx, tasks, taskId, '整改任务', 'targetId');
  return inTransaction(ctx, () => {
    const next = cur.status === 'in_progress' || cur.status === 'draft'
      ? updateRow(ctx, tasks, cur, { secondRound: true, status: 'in_progress' }, { action: 'second_round' })
      : reopen(ctx, cur, reason, { secondRound: true, materialRevision: cur.materialRevision + 1 });
    refreshProblemRollup(ctx, cur.problemId);
    return next;
  });
}

/** Drop a task (撤销) or merge it into another, always with a reason; it stays on record. */
export const dropTask = defineCall({
  permission: 'ledger.write',
  arg: f.args({ id: f.id('整改任务'), reason: f.text('撤销或合并的理由', f.LEN.short), mergedIntoId: f.optId('合并到的任务') }),
}, (ctx, i): Task => {
  const cur = requireRow(ctx, tasks, i.id, '整改任务');
  const { reason, mergedIntoId } = i;
  if (mergedIntoId) {
    if (mergedIntoId === cur.id) throw invalid('mergedIntoId', '任务不能合并到自身。', 'self');
    requireRow(ctx, tasks, mergedIntoId, '合并到的任务', 'mergedIntoId');
  }
  if (cur.status === 'pending_review') throw new DomainError('LOCKED', '任务正在审核中，不能撤销。', { reason: 'under_review' });
  return inTransaction(ctx, () => {
    const withMerge = mergedIntoId ? updateRow(ctx, tasks, cur, { mergedIntoId }) : cur;
    const next = softDelete(ctx, tasks, withMerge, reason);
    refreshProblemRollup(ctx, cur.problemId);
    return next;
  });
});

/** Everything about one task for its detail view. */
export const getTask = defineCall({ permission: 'ledger.read', arg: taskId }, (ctx, i) => {
  const t = requireRow(ctx, tasks, i.id, '整改任务');
  const orm = ctx.ledger.orm;
  const progress = orm.select().from(progressEntries).where(and(eq(progressEntries.taskId, t.id), isNull(progressEntries.deletedAt)))
    .orderBy(asc(progressEntries.entryDate), asc(progressEntries.id)).all();
  const progressIds = new Set(progress.map((p) => p.id));
  const files = orm.select().from(evidence).where(isNull(evidence.deletedAt)).all()
    .filter((e) => (e.ownerType === 'task' && e.ownerId === t.id) || (e.ownerType === 'progress' && progressIds.has(e.ownerId)));
  return {
    task: t,
    stages: orm.select().from(taskStages).where(and(eq(taskStages.taskId, t.id), isNull(taskStages.deletedAt))).orderBy(asc(taskStages.seq)).all(),
    progress,
    evidence: files,
    extensions: orm.select().from(extensionRequests).where(eq(extensionRequests.taskId, t.id)).orderBy(desc(extensionRequests.createdAt)).all(),
    closeouts: orm.select().from(closeouts).where(eq(closeouts.taskId, t.id)).orderBy(desc(closeouts.createdAt)).all(),
  };
});

/** Mark a stage of a long-term task done (or not). */
export const setStageDone = defineCall({
  permission: 'ledger.write',
  arg: f.args({ id: f.id('阶段目标'), doneOn: f.optDate('完成日期') }),
}, (ctx, i) => {
  const stage = requireRow(ctx, taskStages, i.id, '阶段目标');
  const doneOn = i.doneOn;
  if (doneOn && doneOn > ctx.clock.today()) throw invalid('doneOn', '完成日期不能晚于今天。', 'future');
  const task = requireRow(ctx, tasks, stage.taskId, '整改任务');
  if (task.status === 'pending_review' || task.status === 'closed') {
    throw new DomainError('LOCKED', '任务已提交审核或已销号，不能修改阶段目标。', { reason: 'locked' });
  }
  return inTransaction(ctx, () => updateRow(ctx, taskStages, stage, { doneOn }));
});
