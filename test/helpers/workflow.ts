import type { ServiceContext } from '../../db/core/context.js';
import { addEvidence } from '../../db/services/evidence.js';
import { createProblem } from '../../db/services/problems.js';
import { createTask } from '../../db/services/tasks.js';
import type { TestLedger } from './ledger.js';
import { categoryId, fxInspection, fxRound, fxUnit } from './fixtures.js';

/** A unit inspected in a round with feedback on 2024-01-31, ready for problems and tasks. */
export function stage(t: TestLedger) {
  const admin = t.as(t.users.admin);
  const round = fxRound(admin);
  const unit = fxUnit(admin);
  const { inspection, feedback } = fxInspection(admin, { roundId: round.id, unitId: unit.id, feedbackDate: '2024-01-31' });
  const cat = categoryId(admin, '违反中央八项规定精神');
  return { round, unit, inspection, feedback, cat };
}

export function newProblemAndTask(ctx: ServiceContext, s: ReturnType<typeof stage>, o: Record<string, unknown> = {}) {
  const problem = createProblem(ctx, {
    inspectionId: s.inspection.id, categoryId: s.cat, description: '公务接待超标准问题仍有发生。', source: 'inspection_feedback',
  });
  const task = createTask(ctx, {
    problemId: problem.id, measures: '修订公务接待管理办法，开展专项检查。', term: 'concentrated', deadline: '2024-04-30',
    responsibleLeader: '陈某某', responsibleDepartment: '办公室', responsiblePerson: '刘某', ...o,
  });
  return { problem, task };
}

export function pdfBytes(text = '佐证材料'): string {
  return Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`, 'utf8').toString('base64');
}

export function attach(ctx: ServiceContext, taskId: string, text = '会议纪要', formedOn = '2024-02-20') {
  return addEvidence(ctx, { ownerType: 'task', ownerId: taskId, fileName: `${text}.pdf`, mimeType: 'application/pdf', formedOn, dataBase64: pdfBytes(text) });
}
