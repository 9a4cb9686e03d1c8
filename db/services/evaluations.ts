import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { defineCall } from '../core/call.js';
import { defineLifecycle } from '../core/lifecycle.js';
import { GRADES } from '../domain/enums.js';
import { conflict, invalid } from '../domain/errors.js';
import * as f from '../domain/fields.js';
import { evaluations, feedbacks, inspections, tasks } from '../schema/index.js';
import { insertRow, requireRow, updateRow, type Row } from '../core/write.js';
import { eqIf, listFields, notBefore, page, readArg, rowForRead, scopeFields, type ListResult } from './supervision-common.js';
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

const fields = {
  grade: f.oneOf(GRADES.codes, '评估等次'),
  score: f.optNumber('评估分数', 0, 100),
  findings: f.optText('评估意见', f.LEN.text),
  evaluatedOn: f.date('评估日期'),
  isLookback: f.bool('回头看'),
};
const targetTypeField = f.oneOf(TARGET_TYPES, '评估对象类型');

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
export const createEvaluation = defineCall({
  permission: 'rating.write',
  arg: f.args({ inspectionId: f.id('巡视对象'), targetType: targetTypeField, targetId: f.optId('评估对象'), ...fields }),
}, (ctx, a): Evaluation => {
  const insp = requireRow(ctx, inspections, a.inspectionId, '巡视对象', 'inspectionId');
  const { targetType } = a;
  let targetId: string;
  if (targetType === 'unit') {
    targetId = a.targetId ?? insp.unitId;
    if (targetId !== insp.unitId) throw invalid('targetId', '被评估单位与巡视对象不一致。', 'mismatch');
  } else {
    if (a.targetId === null) throw invalid('targetId', '请选择整改任务。', 'required');
    const task = requireRow(ctx, tasks, a.targetId, '整改任务', 'targetId');
    if (task.unitId !== insp.unitId || (task.roundId !== null && task.roundId !== insp.roundId)) {
      throw invalid('targetId', '该整改任务不属于此巡视对象。', 'mismatch');
    }
    targetId = task.id;
  }
  const { grade, score, findings, evaluatedOn, isLookback } = a;
  const values = { inspectionId: insp.id, targetType, targetId, grade, score, findings, evaluatedOn, isLookback };
  checkAfterFeedback(ctx, insp.id, values.evaluatedOn);
  const opens = values.grade === 'poor';
  return inTransaction(ctx, () => {
    const e = insertRow(ctx, evaluations, { ...values, opensSecondRound: opens });
    if (opens) openSecondRound(ctx, e);
    return e;
  });
});

/**
 * {id, grade?, score?, findings?, evaluatedOn?, isLookback?}. Target and inspection are fixed.
 * Raising to 差 opens the second round; an evaluation that opened one keeps grade and date.
 */
export const updateEvaluation = defineCall({
  permission: 'rating.write',
  arg: f.args({
    id: f.id('评估'),
    inspectionId: f.patch(f.id('巡视对象')),
    targetType: f.patch(targetTypeField),
    targetId: f.patch(f.id('评估对象')),
    grade: f.patch(fields.grade),
    score: f.patch(fields.score),
    findings: f.patch(fields.findings),
    evaluatedOn: f.patch(fields.evaluatedOn),
    isLookback: f.patch(fields.isLookback),
  }),
}, (ctx, a): Evaluation => {
  const cur = requireRow(ctx, evaluations, a.id, '评估');
  for (const k of ['inspectionId', 'targetType', 'targetId'] as const) {
    if (a[k] !== undefined && a[k] !== cur[k]) throw invalid(k, '评估对象不能修改；如有误，请删除后重新录入。', 'immutable');
  }
  const patch: Partial<Evaluation> = {};
  for (const k of ['grade', 'score', 'findings', 'evaluatedOn', 'isLookback'] as const) {
    if (a[k] !== undefined) (patch as Record<string, unknown>)[k] = a[k];
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
});

/** Filters: inspectionId, roundId/unitId (through the inspection), targetType, targetId, grade, isLookback. */
export const listEvaluations = defineCall({
  permission: 'ledger.read',
  arg: f.args({
    inspectionId: f.optId('巡视对象'),
    ...scopeFields,
    targetType: f.optOneOf(TARGET_TYPES, '评估对象类型'),
    targetId: f.optId('评估对象'),
    grade: f.optOneOf(GRADES.codes, '评估等次'),
    // Absent or null: both kinds (unlike f.bool, which would default to false).
    isLookback: f.v.nullish(f.v.boolean('回头看应为是或否。'), null),
    ...listFields,
  }),
}, (ctx, a): ListResult<Evaluation> => {
  const { roundId, unitId, isLookback } = a;
  const e = evaluations;
  const scoped = roundId === null && unitId === null ? undefined : inArray(e.inspectionId, ctx.ledger.orm
    .select({ id: inspections.id }).from(inspections)
    .where(and(eqIf(inspections.roundId, roundId), eqIf(inspections.unitId, unitId))));
  return page(ctx, e, [
    eqIf(e.inspectionId, a.inspectionId), scoped, eqIf(e.targetType, a.targetType), eqIf(e.targetId, a.targetId),
    eqIf(e.grade, a.grade), isLookback === null ? undefined : eq(e.isLookback, isLookback),
  ], [asc(e.evaluatedOn), asc(e.id)], a);
});

export const getEvaluation = defineCall({ permission: 'ledger.read', arg: readArg('评估') }, (ctx, a): Evaluation =>
  rowForRead(ctx, evaluations, a.id, '评估', a.includeDeleted));

/** Withdraw a mistaken evaluation; one that opened 二次整改 is refused (CONFLICT). */
export const { remove: deleteEvaluation, restore: restoreEvaluation } = defineLifecycle({
  table: evaluations,
  label: '评估',
  permission: 'rating.write',
  strictRestore: true,
  beforeDelete(_ctx, cur) {
    if (cur.opensSecondRound) throw conflict('该评估已启动二次整改，不能删除；如评估有误，请录入新的评估并说明。', 'opened_second_round');
  },
  beforeRestore(ctx, cur) {
    requireRow(ctx, inspections, cur.inspectionId, '巡视对象', 'inspectionId');
  },
});
