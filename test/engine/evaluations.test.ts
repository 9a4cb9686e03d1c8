import { afterEach, describe, expect, it } from 'vitest';
import {
  createEvaluation, deleteEvaluation, getEvaluation, listEvaluations, restoreEvaluation, updateEvaluation,
} from '../../db/services/evaluations.js';
import { closeouts, inspections, tasks } from '../../db/schema/index.js';
import { getRow, insertRow, softDelete } from '../../db/core/write.js';
import { fxSet } from '../helpers/fixtures.js';
import { expectError, expectRefused } from '../helpers/expect.js';
import { makeWorld, rowCount, type Ctx, type World } from './supervision-world.js';

let w: World;
afterEach(() => w?.t.close());

const rateUnit = (ctx: Ctx, o: Record<string, unknown> = {}) => createEvaluation(ctx, {
  inspectionId: w.inspection.id, targetType: 'unit', targetId: w.unit.id, grade: 'fairly_good', score: 86.5,
  findings: '整改总体到位，个别问题整改成效有待巩固。', evaluatedOn: '2024-06-15', ...o,
});
const rateTask = (ctx: Ctx, o: Record<string, unknown> = {}) => createEvaluation(ctx, {
  inspectionId: w.inspection.id, targetType: 'task', targetId: w.task.id, grade: 'good', evaluatedOn: '2024-06-15', ...o,
});

/** The world's task closed out with an accepted close-out (written directly, as a fixture). */
function closeTask() {
  const closedAt = '2024-05-20T02:00:00.000Z';
  fxSet(w.fx, tasks, w.task, { status: 'closed', completedOn: '2024-05-10', closedAt });
  return insertRow(w.fx, closeouts, {
    taskId: w.task.id, materialRevision: 1, submittedBy: w.t.users.entry.id, submittedAt: '2024-05-12T02:00:00.000Z',
    decision: 'accepted', reviewerId: w.t.users.reviewer.id, decidedAt: closedAt, comment: '同意销号。',
  });
}

describe('整改评估 ratings', () => {
  it('rates a unit and a task of the inspection', () => {
    w = makeWorld();
    const u = rateUnit(w.sup);
    expect(u).toMatchObject({ targetType: 'unit', targetId: w.unit.id, grade: 'fairly_good', score: 86.5, opensSecondRound: false, isLookback: false });
    const implicit = rateUnit(w.sup, { targetId: undefined, isLookback: true, grade: 'good' });
    expect(implicit).toMatchObject({ targetId: w.unit.id, isLookback: true });
    expect(rateTask(w.sup).targetId).toBe(w.task.id);
    expect(getRow(w.fx, inspections, w.inspection.id)!.secondRoundFrom).toBeNull();
  });

  it('opens 二次整改 for the unit when it is rated poor', () => {
    w = makeWorld();
    const e = rateUnit(w.sup, { grade: 'poor', evaluatedOn: '2024-06-20' });
    expect(e.opensSecondRound).toBe(true);
    expect(getRow(w.fx, inspections, w.inspection.id)!.secondRoundFrom).toBe('2024-06-20');
    // A later poor rating does not move the start of the second round.
    rateUnit(w.sup, { grade: 'poor', evaluatedOn: '2024-09-01', isLookback: true });
    expect(getRow(w.fx, inspections, w.inspection.id)!.secondRoundFrom).toBe('2024-06-20');
    expect(getRow(w.fx, inspections, w.inspection2.id)!.secondRoundFrom).toBeNull();
  });

  it('reopens a closed task for second-round rectification when the task is rated poor', () => {
    w = makeWorld();
    const co = closeTask();
    const e = rateTask(w.sup, { grade: 'poor', evaluatedOn: '2024-06-20' });
    expect(e.opensSecondRound).toBe(true);
    const t = getRow(w.fx, tasks, w.task.id)!;
    expect(t).toMatchObject({ status: 'in_progress', secondRound: true });
    expect(getRow(w.fx, closeouts, co.id)!.supersededAt).not.toBeNull();
    expect(getRow(w.fx, inspections, w.inspection.id)!.secondRoundFrom).toBeNull();
  });

  it('opens the second round when an existing rating is lowered to poor, and then keeps its grade and date', () => {
    w = makeWorld();
    const e = rateUnit(w.sup, { grade: 'average' });
    expect(updateEvaluation(w.sup, { id: e.id, grade: 'fairly_good' }).opensSecondRound).toBe(false);
    const poor = updateEvaluation(w.sup, { id: e.id, grade: 'poor' });
    expect(poor.opensSecondRound).toBe(true);
    expect(getRow(w.fx, inspections, w.inspection.id)!.secondRoundFrom).toBe('2024-06-15');
    expectRefused(w.t, () => updateEvaluation(w.sup, { id: e.id, grade: 'good' }), 'CONFLICT', undefined, 'opened_second_round');
    expectRefused(w.t, () => updateEvaluation(w.sup, { id: e.id, evaluatedOn: '2024-06-16' }), 'CONFLICT', undefined, 'opened_second_round');
    expectRefused(w.t, () => deleteEvaluation(w.sup, { id: e.id, reason: '录错。' }), 'CONFLICT', undefined, 'opened_second_round');
    expect(updateEvaluation(w.sup, { id: e.id, findings: '整改不力，责令二次整改。' }).findings).toBe('整改不力，责令二次整改。');
  });

  it('refuses bad input naming the field and changes nothing', () => {
    w = makeWorld();
    expectRefused(w.t, () => rateUnit(w.sup, { grade: '差' }), 'VALIDATION', 'grade');
    expectRefused(w.t, () => rateUnit(w.sup, { score: 101 }), 'VALIDATION', 'score');
    expectRefused(w.t, () => rateUnit(w.sup, { evaluatedOn: '2024-06-31' }), 'VALIDATION', 'evaluatedOn');
    expectRefused(w.t, () => rateUnit(w.sup, { evaluatedOn: '2024-01-30' }), 'VALIDATION', 'evaluatedOn', 'before_feedback');
    expectRefused(w.t, () => rateUnit(w.sup, { targetType: 'team' }), 'VALIDATION', 'targetType');
    expectRefused(w.t, () => rateUnit(w.sup, { targetId: w.unit2.id }), 'VALIDATION', 'targetId', 'mismatch');
    expectRefused(w.t, () => rateUnit(w.sup, { inspectionId: w.unit.id }), 'NOT_FOUND', 'inspectionId');
    expectRefused(w.t, () => rateTask(w.sup, { targetId: w.problem.id }), 'NOT_FOUND', 'targetId');
    expectRefused(w.t, () => rateTask(w.sup, { targetId: w.otherTask.id, grade: 'poor' }), 'VALIDATION', 'targetId', 'mismatch');
    softDelete(w.fx, tasks, w.task, '合并。');
    expectRefused(w.t, () => rateTask(w.sup, { grade: 'poor' }), 'NOT_FOUND', 'targetId');
    expectRefused(w.t, () => rateUnit(w.entry), 'FORBIDDEN');
    expectRefused(w.t, () => rateUnit(w.t.as(w.t.users.admin)), 'FORBIDDEN');
    const e = rateUnit(w.sup);
    expectRefused(w.t, () => updateEvaluation(w.sup, { id: e.id, targetType: 'task' }), 'VALIDATION', 'targetType', 'immutable');
    expect(rowCount(w.t, 'evaluations')).toBe(1);
    expect(getRow(w.fx, inspections, w.inspection.id)!.secondRoundFrom).toBeNull();
  });

  it('lists by unit, target and look-back in date order, without deleted ones unless asked', () => {
    w = makeWorld();
    const later = rateUnit(w.sup, { evaluatedOn: '2024-09-01', isLookback: true });
    const first = rateUnit(w.sup, { evaluatedOn: '2024-06-01' });
    const task = rateTask(w.sup, { evaluatedOn: '2024-07-01' });
    const other = createEvaluation(w.sup, { inspectionId: w.inspection2.id, targetType: 'unit', grade: 'good', evaluatedOn: '2024-06-10' });
    expect(listEvaluations(w.readonly, { unitId: w.unit.id }).items.map((e) => e.id)).toEqual([first.id, task.id, later.id]);
    expect(listEvaluations(w.readonly, { roundId: w.round.id, targetType: 'unit' }).items.map((e) => e.id)).toEqual([first.id, other.id, later.id]);
    expect(listEvaluations(w.readonly, { isLookback: true }).items.map((e) => e.id)).toEqual([later.id]);
    expect(listEvaluations(w.readonly, { targetId: w.task.id }).items.map((e) => e.id)).toEqual([task.id]);
    deleteEvaluation(w.sup, { id: first.id, reason: '录入有误。' });
    expect(listEvaluations(w.readonly, { unitId: w.unit.id }).total).toBe(2);
    expect(listEvaluations(w.readonly, { unitId: w.unit.id, includeDeleted: true }).total).toBe(3);
    expectError(() => getEvaluation(w.readonly, { id: first.id }), 'NOT_FOUND', 'id');
    restoreEvaluation(w.sup, { id: first.id });
    expect(getEvaluation(w.readonly, { id: first.id }).deletedAt).toBeNull();
  });
});
