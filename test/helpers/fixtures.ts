import { eq } from 'drizzle-orm';
import type { ServiceContext } from '../../db/core/context.js';
import {
  clockRuleSets, feedbacks, inspections, problemCategories, problems, rounds, tasks, teams, units,
} from '../../db/schema/index.js';
import { insertRow, updateRow } from '../../db/core/write.js';

/**
 * Direct fixtures for tests of read-side code (clocks, aggregates, red flags): rows written
 * through the audited write layer but without the services' workflow rules, so a test can set
 * up any state (e.g. a closed task with no evidence) in one line. Tests of the rules themselves
 * go through the services.
 */
export function ruleSetId(ctx: ServiceContext, code = 'CPC-2022'): string {
  const r = ctx.ledger.orm.select().from(clockRuleSets).where(eq(clockRuleSets.code, code)).get();
  if (!r) throw new Error(`rule set ${code} missing`);
  return r.id;
}

export function categoryId(ctx: ServiceContext, name: string): string {
  const r = ctx.ledger.orm.select().from(problemCategories).where(eq(problemCategories.name, name)).get();
  if (!r) throw new Error(`category ${name} missing`);
  return r.id;
}

export function fxRound(ctx: ServiceContext, o: Partial<typeof rounds.$inferInsert> = {}) {
  return insertRow(ctx, rounds, {
    name: '某省委第一轮巡视', level: 'province', form: 'xunshi', kind: 'regular',
    mobilisedOn: '2023-09-01', enteredOn: '2023-09-10', feedbackOn: '2024-01-31',
    ruleSetId: ruleSetId(ctx), ...o,
  });
}

export function fxTeam(ctx: ServiceContext, roundId: string, number = 1) {
  return insertRow(ctx, teams, { roundId, number, name: `第${number}巡视组`, leaderName: '吴某某' });
}

export function fxUnit(ctx: ServiceContext, o: Partial<typeof units.$inferInsert> = {}) {
  return insertRow(ctx, units, { name: '某某集团有限公司', sector: 'central_soe', ...o });
}

/** A unit inspected in a round, with its feedback dated `feedbackDate`. */
export function fxInspection(
  ctx: ServiceContext,
  o: { roundId: string; unitId: string; teamId?: string | null; feedbackDate?: string },
) {
  const insp = insertRow(ctx, inspections, { roundId: o.roundId, unitId: o.unitId, teamId: o.teamId ?? null });
  const fb = insertRow(ctx, feedbacks, {
    inspectionId: insp.id, kind: 'collective', feedbackDate: o.feedbackDate ?? '2024-01-31',
    docNumber: '某巡反〔2024〕1号', body: '巡视组反馈意见正文。',
  });
  return { inspection: insp, feedback: fb };
}

export function fxProblem(
  ctx: ServiceContext,
  o: Partial<typeof problems.$inferInsert> & { unitId: string; categoryId: string },
) {
  return insertRow(ctx, problems, {
    seq: 1, description: '落实党中央决策部署不够到位，推动高质量发展有差距。', source: 'inspection_feedback', ...o,
  });
}

export function fxTask(
  ctx: ServiceContext,
  o: Partial<typeof tasks.$inferInsert> & { problemId: string; unitId: string },
) {
  const deadline = o.deadline ?? '2024-04-30';
  return insertRow(ctx, tasks, {
    seq: 1, measures: '制定专项整改方案，逐项明确责任和时限。', term: 'concentrated', deadline,
    currentDeadline: o.currentDeadline ?? deadline, status: 'in_progress', ...o,
  });
}

/** Set fields on any row directly (fixtures only). */
export function fxSet<T extends typeof tasks | typeof problems>(
  ctx: ServiceContext, table: T, row: T['$inferSelect'], patch: Partial<T['$inferSelect']>,
) {
  return updateRow(ctx, table, row, patch);
}
