import type { ServiceContext } from '../../db/core/context.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxTask, fxUnit } from '../helpers/fixtures.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';

/**
 * A small ledger for the supervision-side tests: one round, two inspected units (feedback on
 * 2024-01-31), two problems and a task of the first unit, one problem and task of the second.
 */
export function makeWorld(today = '2024-06-01') {
  const t = makeTestLedger({ today });
  const fx = t.as(t.users.admin);
  const round = fxRound(fx);
  const round2 = fxRound(fx, { name: '某省委第二轮巡视' });
  const unit = fxUnit(fx);
  const unit2 = fxUnit(fx, { name: '某某银行股份有限公司', sector: 'central_finance' });
  const { inspection, feedback } = fxInspection(fx, { roundId: round.id, unitId: unit.id, feedbackDate: '2024-01-31' });
  const inspection2 = fxInspection(fx, { roundId: round.id, unitId: unit2.id, feedbackDate: '2024-02-05' }).inspection;
  const cat = categoryId(fx, '廉洁风险');
  const base = { roundId: round.id, unitId: unit.id, inspectionId: inspection.id, categoryId: cat };
  const problem = fxProblem(fx, { ...base, seq: 1 });
  const problem2 = fxProblem(fx, { ...base, seq: 2, description: '违反中央八项规定精神问题仍有发生。' });
  const task = fxTask(fx, { problemId: problem.id, unitId: unit.id, roundId: round.id });
  const otherProblem = fxProblem(fx, {
    roundId: round.id, unitId: unit2.id, inspectionId: inspection2.id, categoryId: cat, seq: 1,
  });
  const otherTask = fxTask(fx, { problemId: otherProblem.id, unitId: unit2.id, roundId: round.id });
  return {
    t, fx, round, round2, unit, unit2, inspection, inspection2, feedback, problem, problem2, task, otherProblem, otherTask,
    /** 审核员 with every supervision right and clue permission. */
    sup: t.as(t.users.reviewer),
    /** 录入员: writes the unit's ledger, no supervision rights, no clue permission. */
    entry: t.as(t.users.entry),
    readonly: t.as(t.users.readonly),
  };
}
export type World = ReturnType<typeof makeWorld>;

export function rowCount(t: TestLedger, table: string): number {
  return (t.ledger.sqlite.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
}

export type Ctx = ServiceContext;
