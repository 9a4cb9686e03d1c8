import { and, asc, eq, isNull } from 'drizzle-orm';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { PROBLEM_SOURCES } from '../domain/enums.js';
import { conflict, invalid, notFound } from '../domain/errors.js';
import { requirePermission } from '../core/permissions.js';
import { feedbacks, problems, rounds, tasks, units } from '../schema/index.js';
import * as v from '../core/validate.js';
import { assertLive, insertRow, requireRow, restoreRow, softDelete, updateRow, type Row } from '../core/write.js';

export type Problem = Row<typeof problems>;

function disclosure(i: v.Input, current?: Problem) {
  const flagged = i.notForDisclosure === undefined ? (current?.notForDisclosure ?? false) : v.bool(i.notForDisclosure, 'notForDisclosure', '不予公开');
  const reason = i.notForDisclosureReason === undefined
    ? (current?.notForDisclosureReason ?? null)
    : v.optText(i.notForDisclosureReason, 'notForDisclosureReason', { max: v.LEN.short, label: '不予公开的理由' });
  // 整改情况公开: an item left out of the disclosure must say why (state secret, case under investigation…).
  if (flagged && !reason) throw invalid('notForDisclosureReason', '标记为不予公开时，请填写不予公开的理由。', 'required');
  return { notForDisclosure: flagged, notForDisclosureReason: flagged ? reason : null };
}

function keyLeader(i: v.Input, current?: Problem) {
  const isKey = i.isKey === undefined ? (current?.isKey ?? false) : v.bool(i.isKey, 'isKey', '重点难点问题');
  const leadLeader = i.leadLeader === undefined
    ? (current?.leadLeader ?? null)
    : v.optText(i.leadLeader, 'leadLeader', { max: v.LEN.name, label: '领办领导' });
  // 重点难点问题由主要负责人等领导带头领办: a key problem names its leading leader.
  if (isKey && !leadLeader) throw invalid('leadLeader', '重点难点问题须填写领办领导。', 'required');
  return { isKey, leadLeader };
}

function checkCategory(ctx: ServiceContext, id: string) {
  const c = ctx.ledger.prepare('SELECT active FROM problem_categories WHERE id = ? AND deleted_at IS NULL').get(id) as { active: number } | undefined;
  if (!c) throw notFound('问题类别', id, 'categoryId');
  if (!c.active) throw invalid('categoryId', '该问题类别已停用，请选择其他类别。', 'inactive');
}

/** Record a problem of a unit's problem list (问题清单). */
export function createProblem(ctx: ServiceContext, raw: unknown): Problem {
  requirePermission(ctx, 'ledger.write');
  const i = v.object(raw);
  let unitId = v.optId(i.unitId, 'unitId', '被巡视单位');
  let roundId = v.optId(i.roundId, 'roundId', '巡视轮次');
  const inspectionId = v.optId(i.inspectionId, 'inspectionId', '巡视对象');
  const feedbackId = v.optId(i.feedbackId, 'feedbackId', '反馈意见');
  const categoryId = v.id(i.categoryId, 'categoryId', '问题类别');
  const description = v.text(i.description, 'description', { max: v.LEN.text, label: '问题描述' });
  const source = v.oneOf(i.source ?? 'inspection_feedback', 'source', PROBLEM_SOURCES.codes, '问题来源');
  const remark = v.optText(i.remark, 'remark', { max: v.LEN.text, label: '备注' });
  const reboundOfId = v.optId(i.reboundOfId, 'reboundOfId', '反弹的原问题');
  const key = keyLeader(i);
  const disc = disclosure(i);
  if (inspectionId) {
    const insp = ctx.ledger.prepare('SELECT unit_id AS unitId, round_id AS roundId FROM inspections WHERE id = ? AND deleted_at IS NULL')
      .get(inspectionId) as { unitId: string; roundId: string } | undefined;
    if (!insp) throw notFound('巡视对象', inspectionId, 'inspectionId');
    if (unitId && unitId !== insp.unitId) throw invalid('unitId', '被巡视单位与巡视对象不一致。', 'mismatch');
    if (roundId && roundId !== insp.roundId) throw invalid('roundId', '巡视轮次与巡视对象不一致。', 'mismatch');
    unitId = insp.unitId;
    roundId = insp.roundId;
  }
  if (!unitId) throw invalid('unitId', '请选择被巡视单位。', 'required');
  assertLive(ctx, units, unitId, '被巡视单位', 'unitId');
  if (roundId) assertLive(ctx, rounds, roundId, '巡视轮次', 'roundId');
  if (feedbackId) {
    const fb = requireRow(ctx, feedbacks, feedbackId, '反馈意见', 'feedbackId');
    if (!inspectionId || fb.inspectionId !== inspectionId) throw invalid('feedbackId', '反馈意见不属于该巡视对象。', 'mismatch');
  }
  checkCategory(ctx, categoryId);
  if (reboundOfId) assertLive(ctx, problems, reboundOfId, '反弹的原问题', 'reboundOfId');
  return inTransaction(ctx, () => {
    const seq = nextSeq(ctx, unitId, roundId);
    return insertRow(ctx, problems, {
      roundId, unitId, inspectionId, feedbackId, seq, categoryId, description, source, remark, reboundOfId,
      ...key, ...disc, status: 'open', deadline: null, taskCount: 0, closedTaskCount: 0,
    });
  });
}

function nextSeq(ctx: ServiceContext, unitId: string, roundId: string | null): number {
  const r = ctx.ledger
    .prepare('SELECT coalesce(max(seq), 0) + 1 AS n FROM problems WHERE unit_id = ? AND round_id IS ?')
    .get(unitId, roundId) as { n: number };
  return r.n;
}

export function updateProblem(ctx: ServiceContext, raw: unknown): Problem {
  requirePermission(ctx, 'ledger.write');
  const i = v.object(raw);
  const cur = requireRow(ctx, problems, v.id(i.id, 'id', '问题'), '问题');
  const patch: Partial<Problem> = { ...keyLeader(i, cur), ...disclosure(i, cur) };
  if (i.description !== undefined) patch.description = v.text(i.description, 'description', { max: v.LEN.text, label: '问题描述' });
  if (i.categoryId !== undefined) {
    patch.categoryId = v.id(i.categoryId, 'categoryId', '问题类别');
    if (patch.categoryId !== cur.categoryId) checkCategory(ctx, patch.categoryId);
  }
  if (i.source !== undefined) patch.source = v.oneOf(i.source, 'source', PROBLEM_SOURCES.codes, '问题来源');
  if (i.remark !== undefined) patch.remark = v.optText(i.remark, 'remark', { max: v.LEN.text, label: '备注' });
  return inTransaction(ctx, () => updateRow(ctx, problems, cur, patch));
}

/** A problem with live tasks is not deleted: drop or merge its tasks first, each with a reason. */
export function deleteProblem(ctx: ServiceContext, raw: unknown): Problem {
  requirePermission(ctx, 'ledger.write');
  const i = v.object(raw);
  const cur = requireRow(ctx, problems, v.id(i.id, 'id', '问题'), '问题');
  const reason = v.text(i.reason, 'reason', { max: v.LEN.short, label: '删除理由' });
  const live = ctx.ledger.orm.select({ id: tasks.id }).from(tasks).where(and(eq(tasks.problemId, cur.id), isNull(tasks.deletedAt))).get();
  if (live) throw conflict('该问题下还有整改任务，请先撤销或合并这些任务。', 'has_tasks');
  return inTransaction(ctx, () => softDelete(ctx, problems, cur, reason));
}

export function restoreProblem(ctx: ServiceContext, raw: unknown): Problem {
  requirePermission(ctx, 'ledger.write');
  const i = v.object(raw);
  const id = v.id(i.id, 'id', '问题');
  const cur = ctx.ledger.orm.select().from(problems).where(eq(problems.id, id)).get();
  if (!cur) throw invalid('id', `问题不存在：${id}`, 'not_found');
  if (!cur.deletedAt) throw conflict('该问题未被删除。', 'not_deleted');
  return inTransaction(ctx, () => restoreRow(ctx, problems, cur));
}

export function getProblem(ctx: ServiceContext, raw: unknown) {
  requirePermission(ctx, 'ledger.read');
  const i = v.object(raw);
  const p = requireRow(ctx, problems, v.id(i.id, 'id', '问题'), '问题');
  const taskRows = ctx.ledger.orm.select().from(tasks)
    .where(and(eq(tasks.problemId, p.id), isNull(tasks.deletedAt))).orderBy(asc(tasks.seq)).all();
  return { ...p, tasks: taskRows };
}

/**
 * The roll-up after adding one new (draft) task: cheaper than a recount, and exact — a draft
 * task makes the problem open and its deadline competes for the earliest open one.
 */
export function rollupNewTask(ctx: ServiceContext, problemId: string, deadline: string): void {
  ctx.ledger.prepare(`UPDATE problems SET task_count = task_count + 1, status = 'open',
      deadline = CASE WHEN deadline IS NULL OR @deadline < deadline THEN @deadline ELSE deadline END
    WHERE id = @id`).run({ id: problemId, deadline });
}

/**
 * Recompute a problem's derived columns (status, earliest open deadline, task counts) from its
 * live tasks. They are caches for million-row list queries, recomputed by every replica from the
 * tasks themselves, so they are written directly: no version bump, no audit entry, never exchanged.
 */
export function refreshProblemRollup(ctx: ServiceContext, problemId: string): void {
  ctx.ledger.prepare(`
    UPDATE problems SET
      task_count = r.n,
      closed_task_count = r.closed,
      deadline = r.next_deadline,
      status = CASE WHEN r.n > 0 AND r.closed = r.n THEN 'closed'
                    WHEN r.pending > 0 AND r.pending + r.closed = r.n THEN 'pending_review'
                    ELSE 'open' END
    FROM (SELECT count(*) AS n,
                 coalesce(sum(status = 'closed'), 0) AS closed,
                 coalesce(sum(status = 'pending_review'), 0) AS pending,
                 min(CASE WHEN status <> 'closed' THEN current_deadline END) AS next_deadline
          FROM tasks WHERE problem_id = @id AND deleted_at IS NULL) AS r
    WHERE problems.id = @id`).run({ id: problemId });
}
