import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { GRADES } from '../domain/enums.js';
import { conflict, invalid } from '../domain/errors.js';
import { requirePermission } from '../core/permissions.js';
import { evaluations, feedbacks, inspections, tasks } from '../schema/index.js';
import * as v from '../core/validate.js';
import { insertRow, requireRow, restoreRow, softDelete, updateRow, type Row } from '../core/write.js';
import { deletedRow, deleteReason, eqIf, listArgs, notBefore, page, rowForRead, type ListResult } from './supervision-common.js';
import { reopenTaskForSecondRound } from './tasks.js';

/**
 * 整改评估 and 回头看 (isLookback): a grade 好/较好/一般/差 for a unit (per inspection) or for one of
 * its tasks. A 差 grade opens 二次整改 (DOMAIN.md "Workflow details"): for the unit the inspection
 * records from when (inspections.secondRoundFrom); for a task, the task goes back to 推进中 flagged
 * as second round and its approved close-out is superseded (tasks.ts reopenTaskForSecondRound).
 * Those consequences are real-world decisions, so an evaluation that opened a second round keeps
 * its grade and date: it can be annotated but not withdrawn.
 */
export type Evaluation = Row<typeof evaluations>;

const TARGET_TYPES = ['unit', 'task'] as const;

const read = {
  grade: (x: unknown) => v.oneOf(x, 'grade', GRADES.codes, '评估等次'),
  score: (x: unknown) => v.optNumber(x, 'score', '评估分数', 0, 100),
  findings: (x: unknown) => v.optText(x, 'findings', { max: v.LEN.text, label: '评估意见' }),
  evaluatedOn: (x: unknown) => v.date(x, 'evaluatedOn', '评估日期'),
  isLookback: (x: unknown) => v.bool(x, 'isLookback', '回头看'),
};

/** Rectification is rated after feedback started it, never before. */
function checkAfterFeedback(ctx: ServiceContext, inspectionId: string, evaluatedOn: string): void {
  const first = ctx.ledger.orm.select({ d: feedbacks.feedbackDate }).from(feedbacks)
    .where(and(eq(feedbacks.inspectionId, inspectionId), isNull(feedbacks.deletedAt)))
    .orderBy(asc(feedbacks.feedbackDate)).get();
  if (first) notBefore(evaluatedOn, first.d, 'evaluatedOn', `评估日期不能早于反馈日期（${first.d}）。`, 'before_feedback');
}

/** Open 二次整改 for the evaluation's target (inside the caller's transaction). */
function openSecondRound(ctx: ServiceContext, e: Pick<Evaluation, 'inspectionId' | 'targetType' | 'targetId' | 'evaluatedOn' | 'isLookback'>): void {
  if (e.targetType === 'unit') {
    const insp = requireRow(ctx, inspections, e.inspectionId, '巡视对象', 'inspectionId');
    // The second round runs from the first poor rating; a later one does not move its start.
    if (insp.secondRoundFrom === null || e.evaluatedOn < insp.secondRoundFrom) {
      updateRow(ctx, inspections, insp, { secondRoundFrom: e.evaluatedOn }, { action: 'second_round' });
    }
  } else {
    const what = e.isLookback ? '回头看评估' : '整改评估';
    reopenTaskForSecondRound(ctx, e.targetId, `${what}等次为“差”（${e.evaluatedOn}），开展二次整改。`);
  }
}

/**
 * {inspectionId, targetType: 'unit'|'task', targetId, grade, score?, findings?, evaluatedOn, isLookback?}.
 * For a unit, targetId is the inspection's unit (it may be omitted); for a task, a live task of
 * that unit.
 */
export function createEvaluation(ctx: ServiceContext, raw: unknown): Evaluation {
  requirePermission(ctx, 'rating.write');
  const i = v.object(raw);
  const insp = requireRow(ctx, inspections, v.id(i.inspectionId, 'inspectionId', '巡视对象'), '巡视对象', 'inspectionId');
  const targetType = v.oneOf(i.targetType, 'targetType', TARGET_TYPES, '评估对象类型');
  let targetId: string;
  if (targetType === 'unit') {
    targetId = v.optId(i.targetId, 'targetId', '被评估单位') ?? insp.unitId;
    if (targetId !== insp.unitId) throw invalid('targetId', '被评估单位与巡视对象不一致。', 'mismatch');
  } else {
    const task = requireRow(ctx, tasks, v.id(i.targetId, 'targetId', '整改任务'), '整改任务', 'targetId');
    if (task.unitId !== insp.unitId || (task.roundId !== null && task.roundId !== insp.roundId)) {
      throw invalid('targetId', '该整改任务不属于此巡视对象。', 'mismatch');
    }
    targetId = task.id;
  }
  const values = {
    inspectionId: insp.id, targetType, targetId,
    grade: read.grade(i.grade), score: read.score(i.score), findings: read.findings(i.findings),
    evaluatedOn: read.evaluatedOn(i.evaluatedOn), isLookback: read.isLookback(i.isLookback),
  };
  checkAfterFeedback(ctx, insp.id, values.evaluatedOn);
  const opens = values.grade === 'poor';
  return inTransaction(ctx, () => {
    const e = insertRow(ctx, evaluations, { ...values, opensSecondRound: opens });
    if (opens) openSecondRound(ctx, e);
    return e;
  });
}

/**
 * {id, grade?, score?, findings?, evaluatedOn?, isLookback?}. Target and inspection are fixed.
 * Raising to 差 opens the second round; an evaluation that opened one keeps grade and date.
 */
export function updateEvaluation(ctx: ServiceContext, raw: unknown): Evaluation {
  requirePermission(ctx, 'rating.write');
  const i = v.object(raw);
  const cur = requireRow(ctx, evaluations, v.id(i.id, 'id', '评估'), '评估');
  for (const k of ['inspectionId', 'targetType', 'targetId'] as const) {
    if (i[k] !== undefined && i[k] !== cur[k]) throw invalid(k, '评估对象不能修改；如有误，请删除后重新录入。', 'immutable');
  }
  const patch: Partial<Evaluation> = {};
  for (const k of ['grade', 'score', 'findings', 'evaluatedOn', 'isLookback'] as const) {
    if (i[k] !== undefined) (patch as Record<string, unknown>)[k] = read[k](i[k]);
  }
  if (cur.opensSecondRound) {
    if (patch.grade !== undefined && patch.grade !== cur.grade) {
      throw conflict('该评估已启动二次整改，等次不能修改；如有新情况，请录入新的评估。', 'opened_second_round');
    }
    if (patch.evaluatedOn !== undefined && patch.evaluatedOn !== cur.evaluatedOn) {
      throw conflict('该评估已启动二次整改，评估日期不能修改。', 'opened_second_round');
    }
  }
  const next = { ...cur, ...patch };
  if (patch.evaluatedOn !== undefined) checkAfterFeedback(ctx, cur.inspectionId, next.evaluatedOn);
  const opens = !cur.opensSecondRound && next.grade === 'poor';
  if (opens && cur.targetType === 'task') requireRow(ctx, tasks, cur.targetId, '整改任务', 'targetId');
  return inTransaction(ctx, () => {
    const e = updateRow(ctx, evaluations, cur, opens ? { ...patch, opensSecondRound: true } : patch);
    if (opens) openSecondRound(ctx, e);
    return e;
  });
}

/** Filters: inspectionId, roundId/unitId (through the inspection), targetType, targetId, grade, isLookback. */
export function listEvaluations(ctx: ServiceContext, raw: unknown = {}): ListResult<Evaluation> {
  requirePermission(ctx, 'ledger.read');
  const i = v.object(raw);
  const inspectionId = v.optId(i.inspectionId, 'inspectionId', '巡视对象');
  const roundId = v.optId(i.roundId, 'roundId', '巡视轮次');
  const unitId = v.optId(i.unitId, 'unitId', '被巡视单位');
  const targetType = v.optOneOf(i.targetType, 'targetType', TARGET_TYPES, '评估对象类型');
  const targetId = v.optId(i.targetId, 'targetId', '评估对象');
  const grade = v.optOneOf(i.grade, 'grade', GRADES.codes, '评估等次');
  const lookback = i.isLookback === undefined || i.isLookback === null ? null : v.bool(i.isLookback, 'isLookback', '回头看');
  const e = evaluations;
  const scoped = roundId === null && unitId === null ? undefined : inArray(e.inspectionId, ctx.ledger.orm
    .select({ id: inspections.id }).from(inspections)
    .where(and(eqIf(inspections.roundId, roundId), eqIf(inspections.unitId, unitId))));
  return page(ctx, e, [
    eqIf(e.inspectionId, inspectionId), scoped, eqIf(e.targetType, targetType), eqIf(e.targetId, targetId),
    eqIf(e.grade, grade), lookback === null ? undefined : eq(e.isLookback, lookback),
  ], [asc(e.evaluatedOn), asc(e.id)], listArgs(i));
}

export function getEvaluation(ctx: ServiceContext, raw: unknown): Evaluation {
  requirePermission(ctx, 'ledger.read');
  const i = v.object(raw);
  const incl = v.bool(i.includeDeleted, 'includeDeleted', '包含已删除记录');
  return rowForRead(ctx, evaluations, v.id(i.id, 'id', '评估'), '评估', incl);
}

/** Withdraw a mistaken evaluation; one that opened 二次整改 is refused (CONFLICT). */
export function deleteEvaluation(ctx: ServiceContext, raw: unknown): Evaluation {
  requirePermission(ctx, 'rating.write');
  const i = v.object(raw);
  const cur = requireRow(ctx, evaluations, v.id(i.id, 'id', '评估'), '评估');
  const reason = deleteReason(i);
  if (cur.opensSecondRound) throw conflict('该评估已启动二次整改，不能删除；如评估有误，请录入新的评估并说明。', 'opened_second_round');
  return inTransaction(ctx, () => softDelete(ctx, evaluations, cur, reason));
}

export function restoreEvaluation(ctx: ServiceContext, raw: unknown): Evaluation {
  requirePermission(ctx, 'rating.write');
  const i = v.object(raw);
  const cur = deletedRow(ctx, evaluations, v.id(i.id, 'id', '评估'), '评估');
  requireRow(ctx, inspections, cur.inspectionId, '巡视对象', 'inspectionId');
  return inTransaction(ctx, () => restoreRow(ctx, evaluations, cur));
}
