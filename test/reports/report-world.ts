import { createAccountability } from '../../db/services/accountability.js';
import { createActivity } from '../../db/services/activities.js';
import { reviewCloseout, submitCloseout } from '../../db/services/closeout.js';
import { createClue } from '../../db/services/clues.js';
import { issueEscalation } from '../../db/services/escalations.js';
import { createEvaluation } from '../../db/services/evaluations.js';
import { decideExtension, requestExtension } from '../../db/services/extensions.js';
import { addProgress } from '../../db/services/progress.js';
import { createProblem } from '../../db/services/problems.js';
import { createReport } from '../../db/services/reports.js';
import { createTask, getTask, setStageDone, startTask, updateTask } from '../../db/services/tasks.js';
import { categoryId, fxInspection, fxRound, fxUnit } from '../helpers/fixtures.js';
import { makeTestLedger } from '../helpers/ledger.js';
import { attach } from '../helpers/workflow.js';

/**
 * A ledger with a known mix for the report drafts, built through the services (the real workflow:
 * submissions, reviews, returns, extensions) on 2024-04-20, then read on 2024-06-01 (TODAY).
 *
 * Round 某省委第一轮巡视 (feedback 2024-01-31). Units UA 某某集团有限公司, UB 某某能源集团有限公司.
 * UA: plan report 2024-02-20, 专题民主生活会 2024-03-15.
 *   P1 (key, led by 陈某某)
 *     T1 concentrated 04-30: completed 04-10, closed.
 *     T2 long_term 12-31, stages 完成制度修订 (05-31, done 04-18) and 建立长效机制 (12-31), in progress.
 *   P2
 *     T3 concentrated 04-30, extension approved to 05-20 (reason below): overdue on 06-01.
 *     T4 concentrated 06-30: close-out returned once (RETURN_REASON), in progress.
 *   P3 NOT FOR DISCLOSURE (problem flag)
 *     T5 immediate 03-31: completed 03-20, closed.
 *   P4
 *     T6 concentrated 05-31, NOT FOR DISCLOSURE (task flag): completed 04-19, pending review (so overdue by the aggregates' rule).
 *     T7 concentrated 07-31: draft.
 * UB: P5 / T8 concentrated 04-30, in progress, no progress entry: overdue.
 * Supervision: 2 activities (UA), an evaluation (UA, 较好), a 通知书 on T8, one accountability (UB, 约谈提醒),
 * and a clue about UA whose content must never appear in a draft.
 *
 * Expected at TODAY, round + UA: problems 4, tasks 7, completed 3 (T1, T5, T6), closed 2, close rate
 * 2/7 = 28.6%, overdue 2 (T3, T6), long-term open 1 (T2). Round only: problems 5, tasks 8,
 * completed 3, closed 2 (25%), overdue 3, long-term open 1.
 * Disclosure of UA: shown problems 3, tasks 5 (T1 T2 T3 T4 T7); left out 1 problem and 2 tasks.
 */
export const BUILT = '2024-04-20';
export const TODAY = '2024-06-01';

export const TEXT = {
  P1: '贯彻新发展理念不够到位，科技创新投入不足。',
  P2: '违规发放津贴补贴，公务接待超标准问题仍有发生。',
  P3: '某项目招投标中存在利益输送问题线索正在审查调查。',
  P4: '干部档案管理不规范，档案审核把关不严。',
  P5: '基层党组织软弱涣散，党员教育管理不严格。',
  T1: '制定科技创新投入专项规划并印发实施。',
  T2: '健全科技创新考核评价机制，持续加大研发投入。',
  T3: '全面清退违规发放的津贴补贴。',
  T4: '修订公务接待管理办法，开展专项检查。',
  T5: '对涉案项目开展专项审计。',
  T6: '对涉密档案开展专项核查。',
  T7: '全面复核干部人事档案。',
  T8: '开展软弱涣散基层党组织集中整顿。',
  STAGE1: '完成制度修订',
  STAGE2: '建立长效机制并开展评估',
  EXTENSION_REASON: '涉及人员多，清退金额需逐人核算',
  RETURN_REASON: '佐证材料不足，缺少整改台账。',
  PROGRESS_T3: '已清退津贴补贴涉及人员42人中的30人。',
  PROGRESS_T2: '已修订科技创新管理制度3项。',
  CLUE_SUBJECT: '钱某某',
  CLUE_SUMMARY: '反映其违规接受管理服务对象宴请。',
  HIDDEN_REASON: '涉及正在审查调查的案件',
  HIDDEN_TASK_REASON: '涉及国家秘密',
} as const;

const DAY = 86_400_000;

export function makeReportWorld() {
  const t = makeTestLedger({ today: BUILT });
  const admin = t.as(t.users.admin);
  const entry = t.as(t.users.entry);
  const reviewer = t.as(t.users.reviewer);
  const round = fxRound(admin);
  const ua = fxUnit(admin, { name: '某某集团有限公司' });
  const ub = fxUnit(admin, { name: '某某能源集团有限公司' });
  const ia = fxInspection(admin, { roundId: round.id, unitId: ua.id, feedbackDate: '2024-01-31' }).inspection;
  const ib = fxInspection(admin, { roundId: round.id, unitId: ub.id, feedbackDate: '2024-01-31' }).inspection;
  const cat = categoryId(admin, '违反中央八项规定精神');
  const cat2 = categoryId(admin, '廉洁风险');

  createReport(entry, { inspectionId: ia.id, kind: 'plan', title: '某某集团有限公司党委落实巡视反馈意见整改方案', docNumber: '某集团党〔2024〕8号', reportDate: '2024-02-20' });
  createReport(entry, { inspectionId: ia.id, kind: 'dlm', title: '巡视整改专题民主生活会', reportDate: '2024-03-15' });

  const problem = (inspectionId: string, description: string, o: Record<string, unknown> = {}) =>
    createProblem(entry, { inspectionId, categoryId: o.categoryId ?? cat, description, source: 'inspection_feedback', ...o });
  const task = (problemId: string, measures: string, term: string, deadline: string, o: Record<string, unknown> = {}) =>
    createTask(entry, { problemId, measures, term, deadline, responsibleLeader: '陈某某', responsibleDepartment: '办公室', responsiblePerson: '刘某', ...o });
  const closeOut = (id: string, completedOn: string) => {
    startTask(entry, { id });
    attach(entry, id);
    submitCloseout(entry, { taskId: id, completedOn });
    reviewCloseout(reviewer, { taskId: id, decision: 'accept', comment: '材料齐全，同意销号。' });
  };

  const p1 = problem(ia.id, TEXT.P1, { isKey: true, leadLeader: '陈某某', categoryId: cat2 });
  const t1 = task(p1.id, TEXT.T1, 'concentrated', '2024-04-30');
  closeOut(t1.id, '2024-04-10');
  const t2 = task(p1.id, TEXT.T2, 'long_term', '2024-12-31', {
    responsibleDepartment: '科技创新部',
    stages: [{ goal: TEXT.STAGE1, dueDate: '2024-05-31' }, { goal: TEXT.STAGE2, dueDate: '2024-12-31' }],
  });
  addProgress(entry, { taskId: t2.id, entryDate: '2024-04-18', content: TEXT.PROGRESS_T2 });
  setStageDone(entry, { id: getTask(entry, { id: t2.id }).stages[0]!.id, doneOn: '2024-04-18' });

  const p2 = problem(ia.id, TEXT.P2);
  const t3 = task(p2.id, TEXT.T3, 'concentrated', '2024-04-30', { responsibleDepartment: '财务部' });
  addProgress(entry, { taskId: t3.id, entryDate: '2024-04-15', content: TEXT.PROGRESS_T3 });
  const ext = requestExtension(entry, { taskId: t3.id, requestedDeadline: '2024-05-20', reason: TEXT.EXTENSION_REASON });
  decideExtension(reviewer, { id: ext.id, approve: true, comment: '同意延期。' });
  const t4 = task(p2.id, TEXT.T4, 'concentrated', '2024-06-30');
  startTask(entry, { id: t4.id });
  attach(entry, t4.id, '接待办法');
  submitCloseout(entry, { taskId: t4.id, completedOn: '2024-04-18' });
  reviewCloseout(reviewer, { taskId: t4.id, decision: 'return', comment: TEXT.RETURN_REASON });

  const p3 = problem(ia.id, TEXT.P3, { notForDisclosure: true, notForDisclosureReason: TEXT.HIDDEN_REASON, categoryId: cat2 });
  const t5 = task(p3.id, TEXT.T5, 'immediate', '2024-03-31', { responsibleDepartment: '审计部' });
  closeOut(t5.id, '2024-03-20');

  const p4 = problem(ia.id, TEXT.P4, { categoryId: cat2 });
  const t6 = task(p4.id, TEXT.T6, 'concentrated', '2024-05-31', { responsibleDepartment: '组织部' });
  updateTask(entry, { id: t6.id, notForDisclosure: true, notForDisclosureReason: TEXT.HIDDEN_TASK_REASON });
  startTask(entry, { id: t6.id });
  attach(entry, t6.id, '核查报告');
  submitCloseout(entry, { taskId: t6.id, completedOn: '2024-04-19' });
  const t7 = task(p4.id, TEXT.T7, 'concentrated', '2024-07-31', { responsibleDepartment: '组织部' });

  const p5 = problem(ib.id, TEXT.P5);
  const t8 = task(p5.id, TEXT.T8, 'concentrated', '2024-04-30', { responsibleDepartment: '党建工作部' });
  startTask(entry, { id: t8.id });

  createActivity(reviewer, { roundId: round.id, unitId: ua.id, kind: 'plan_review', activityDate: '2024-02-18', title: '审核整改方案', findings: '整改措施针对性有待加强。' });
  createActivity(reviewer, { roundId: round.id, unitId: ua.id, kind: 'field_research', activityDate: '2024-04-12', title: '赴某某集团有限公司调研督导整改', findings: '部分整改任务进度滞后。' });
  createEvaluation(reviewer, { inspectionId: ia.id, targetType: 'unit', grade: 'fairly_good', evaluatedOn: '2024-04-19', findings: '整改总体推进有力。' });
  issueEscalation(reviewer, { targetType: 'task', targetId: t8.id, level: 'notice', issuedOn: '2024-04-19', docNumber: '某纪督〔2024〕3号', reason: '整改进度滞后，未按期报送进展。' });
  createAccountability(reviewer, { roundId: round.id, unitId: ub.id, personName: '赵某', post: '党建工作部部长', reason: 'ineffective', form: 'talk_reminder', decidedOn: '2024-04-19' });
  createClue(reviewer, {
    roundId: round.id, unitId: ua.id, subjectName: TEXT.CLUE_SUBJECT, subjectPost: '副总经理', summary: TEXT.CLUE_SUMMARY,
    receivedOn: '2024-02-01', receivingOrgan: 'ccdi',
  });

  // Read on TODAY: 42 days later.
  t.clock.advance(42 * DAY);
  if (t.clock.today() !== TODAY) throw new Error(`clock at ${t.clock.today()}`);
  return { t, round, ua, ub, tasks: { t1, t2, t3, t4, t5, t6, t7, t8 }, problems: { p1, p2, p3, p4, p5 } };
}
