import { createHash } from 'node:crypto';
import type { ServiceContext } from '../../db/core/context.js';
import {
  accountabilityRecords, closeouts, clues, evaluations, evidence, progressEntries, suggestions,
  problems as problemsTable, tasks as tasksTable,
} from '../../db/schema/index.js';
import { insertRow, softDelete } from '../../db/core/write.js';
import type { TestLedger } from './ledger.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxTask, fxUnit, ruleSetId } from './fixtures.js';

/**
 * A small hand-made ledger for the 汇总分析 and 虚假整改 tests (test/engine/aggregates.test.ts and
 * red-flags.test.ts compute every expected figure from the tables below by hand).
 *
 * today = 2024-06-01. Two rounds: R2 is created first but fed back later, so anything ordering
 * rounds by creation instead of by feedback date shows up.
 *   R1 某省委第一轮巡视  feedback 2024-01-31, rules CPC-2022 (progress report due +3 months = 2024-04-30)
 *   R2 某省委第二轮巡视  feedback 2024-03-15, rules CPC-2017 (due +2 months = 2024-05-15)
 * Units: UA 某某集团有限公司 (中管企业), UB 某某能源集团有限公司 (中管企业), UC 某某银行股份有限公司 (中管金融企业).
 * Inspections: R1×UA, R1×UB, R1×UC, R2×UA, R2×UC.
 *
 * Problems (category → top-level category):
 *   R1/UA  P1 推动高质量发展→贯彻落实党中央决策部署   P2 违反中央八项规定精神→履行全面从严治党责任   P3 选人用人→领导班子和干部队伍建设
 *   R1/UB  P4 廉洁风险→从严治党   P5 基层党组织建设 (top-level)   P6 贯彻落实党中央决策部署 (top-level itself)
 *   R1/UC  P7 违反中央八项规定精神→从严治党   P8 选人用人→班子 (no tasks)
 *   R2/UA  P9 廉洁风险→从严治党   P10 基层党组织建设
 *   R2/UC  P11 推动高质量发展→贯彻   P12 违反中央八项规定精神→从严治党
 *   P13 (R1/UA) is soft-deleted but still has a live closed task T21 without evidence.
 *
 * Tasks (cur = deadline in force; "closed" ones all have their own live evidence):
 *   T1  P1  concentrated cur 04-30 closed  done 04-20 on time, closed 04-25, returned once  办公室
 *   T2  P1  long_term    cur 12-31 in_progress                                               战略发展部
 *   T3  P2  immediate    cur 03-31 closed  done 03-30 on time, closed 04-25 (evidence on a progress entry)  办公室
 *   T4  P2  concentrated 04-30 extended to 05-31, closed, done 05-20 on time, closed 05-25  财务部
 *   T5  P3  concentrated cur 04-30 in_progress                                               组织部
 *   T6  P3  concentrated cur 05-31 pending_review done 05-30 on time                          组织部
 *   T7  P3  concentrated cur 04-30 closed  done 04-24 on time, closed 04-25                   组织部
 *   T8  P1  immediate    cur 02-29 closed  done 04-24 reported LATE (honestly), closed 04-25  办公室
 *   T9  P4  concentrated cur 04-30 closed  done 04-28 on time, closed 04-29                   纪检部
 *   T10 P4  long_term    cur 2025-06-30 in_progress                                          纪检部
 *   T11 P5  concentrated cur 04-30 draft                                                     党建工作部
 *   T12 P6  long_term    cur 05-31 in_progress                                               战略发展部
 *   T13 P6  concentrated cur 04-30 closed  done 04-30 on time, closed 05-06, returned once  战略发展部
 *   T14 P7  immediate    cur 03-31 closed  closed 04-02 with no completion date entered       办公室
 *   T15 P7  concentrated cur 04-30 in_progress                                               办公室
 *   T16 P9  concentrated cur 06-01 (today: not yet overdue) pending_review done 05-28 on time  财务部
 *   T17 P10 long_term    cur 12-31 closed  done 05-10 on time, closed 05-12                   党建工作部
 *   T18 P10 concentrated cur 05-15 in_progress                                               党建工作部
 *   T19 P11 concentrated cur 06-15 in_progress                                               (no department)
 *   T20 P12 immediate    cur 04-15 closed  done 04-10 on time, closed 04-12                   办公室
 *   T21 P13 (deleted problem) closed, no evidence;  Tdel P1 in_progress cur 03-31, soft-deleted.
 *
 * Evidence: E1 T1 (formed 04-18), E2 on T3's progress entry PE1 (03-28), E3 T4 (05-18, SAME FILE as E2:
 * both tasks belong to P2, which is legitimate), E4 T7 (04-23), E5 T8 (04-24, after its deadline
 * but T8 was reported late), E6 T9 (04-27), E7 T13 (04-29), E8 T14 (03-20), E9 T17 (05-09),
 * E10 T20 (04-08), and Eprob: E1's file cited by problem P4 itself (not a task: not a reuse).
 */
export const TODAY = '2024-06-01';

export type ProblemRow = typeof problemsTable.$inferSelect;
export type TaskRow = typeof tasksTable.$inferSelect;

export const TEXTS = {
  P1: '贯彻新发展理念不够到位，主业发展质量不高，科技创新投入不足。',
  P2: '违规发放津贴补贴，公务接待超标准问题仍有发生。',
  P3: '选人用人把关不严，干部档案管理不规范。',
  P4: '工程招投标领域廉洁风险突出，“靠企吃企”问题仍有发生。',
  P5: '基层党组织软弱涣散，党员教育管理不严格。',
  P6: '服务国家战略站位不高，重大项目推进缓慢。',
  P7: '违规使用公务用车，节假日违规收受礼品礼金。',
  P8: '干部监督管理宽松软，对下属企业管控不力。',
  P9: '财务管理不规范，大额资金使用未经集体决策。',
  P10: '基层党建工作责任落实不到位，“三会一课”流于形式。',
  P11: '金融服务实体经济不够有力，信贷投放结构不优。',
  P12: '公务接待管理不严，存在超标准接待和违规宴请。',
  P13: '已删除的重复录入问题。',
} as const;

/** A closing instant at 14:0x Beijing time (06:0x UTC): the same calendar day in either zone. */
export const closedAtOn = (day: string, n = 0) => `${day}T06:${String(n).padStart(2, '0')}:00.000Z`;

export function sha(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

/** A file cited by a record: the blob (content-addressed, once) and the evidence row. */
export function fxEvidence(
  ctx: ServiceContext,
  o: { ownerType: 'task' | 'progress' | 'problem'; ownerId: string; content: string; formedOn: string; fileName?: string },
) {
  const bytes = Buffer.from(o.content, 'utf8');
  const hash = sha(o.content);
  ctx.ledger.prepare('INSERT OR IGNORE INTO evidence_blobs (sha256, size, data, created_at) VALUES (?, ?, ?, ?)')
    .run(hash, bytes.length, bytes, new Date(ctx.clock.now()).toISOString());
  return insertRow(ctx, evidence, {
    ownerType: o.ownerType, ownerId: o.ownerId, sha256: hash, fileName: o.fileName ?? `${o.content}.pdf`,
    mimeType: 'application/pdf', size: bytes.length, formedOn: o.formedOn,
  });
}

export function fxProgress(ctx: ServiceContext, taskId: string, entryDate: string, content = '已完成阶段性整改。') {
  return insertRow(ctx, progressEntries, { taskId, entryDate, content });
}

/** A decided close-out review on record (e.g. a 退回 with its reason). */
export function fxReturn(ctx: ServiceContext, taskId: string, decidedAt: string, comment: string, by: string) {
  return insertRow(ctx, closeouts, {
    taskId, materialRevision: 1, submittedBy: by, submittedAt: decidedAt, decision: 'returned', reviewerId: by, decidedAt, comment,
  });
}

interface TaskSpec {
  term: 'immediate' | 'concentrated' | 'long_term';
  deadline: string;
  cur?: string;
  status: 'draft' | 'in_progress' | 'pending_review' | 'closed';
  done?: string;
  onTime?: boolean;
  closed?: string;
  returns?: number;
  dept: string | null;
}

const TASKS: [string, keyof typeof TEXTS, TaskSpec][] = [
  ['T1', 'P1', { term: 'concentrated', deadline: '2024-04-30', status: 'closed', done: '2024-04-20', onTime: true, closed: closedAtOn('2024-04-25', 0), returns: 1, dept: '办公室' }],
  ['T2', 'P1', { term: 'long_term', deadline: '2024-12-31', status: 'in_progress', dept: '战略发展部' }],
  ['T3', 'P2', { term: 'immediate', deadline: '2024-03-31', status: 'closed', done: '2024-03-30', onTime: true, closed: closedAtOn('2024-04-25', 1), dept: '办公室' }],
  ['T4', 'P2', { term: 'concentrated', deadline: '2024-04-30', cur: '2024-05-31', status: 'closed', done: '2024-05-20', onTime: true, closed: closedAtOn('2024-05-25'), dept: '财务部' }],
  ['T5', 'P3', { term: 'concentrated', deadline: '2024-04-30', status: 'in_progress', dept: '组织部' }],
  ['T6', 'P3', { term: 'concentrated', deadline: '2024-05-31', status: 'pending_review', done: '2024-05-30', onTime: true, dept: '组织部' }],
  ['T7', 'P3', { term: 'concentrated', deadline: '2024-04-30', status: 'closed', done: '2024-04-24', onTime: true, closed: closedAtOn('2024-04-25', 2), dept: '组织部' }],
  ['T8', 'P1', { term: 'immediate', deadline: '2024-02-29', status: 'closed', done: '2024-04-24', onTime: false, closed: closedAtOn('2024-04-25', 3), dept: '办公室' }],
  ['T9', 'P4', { term: 'concentrated', deadline: '2024-04-30', status: 'closed', done: '2024-04-28', onTime: true, closed: closedAtOn('2024-04-29'), dept: '纪检部' }],
  ['T10', 'P4', { term: 'long_term', deadline: '2025-06-30', status: 'in_progress', dept: '纪检部' }],
  ['T11', 'P5', { term: 'concentrated', deadline: '2024-04-30', status: 'draft', dept: '党建工作部' }],
  ['T12', 'P6', { term: 'long_term', deadline: '2024-05-31', status: 'in_progress', dept: '战略发展部' }],
  ['T13', 'P6', { term: 'concentrated', deadline: '2024-04-30', status: 'closed', done: '2024-04-30', onTime: true, closed: closedAtOn('2024-05-06'), returns: 1, dept: '战略发展部' }],
  ['T14', 'P7', { term: 'immediate', deadline: '2024-03-31', status: 'closed', closed: closedAtOn('2024-04-02'), dept: '办公室' }],
  ['T15', 'P7', { term: 'concentrated', deadline: '2024-04-30', status: 'in_progress', dept: '办公室' }],
  ['T16', 'P9', { term: 'concentrated', deadline: '2024-06-01', status: 'pending_review', done: '2024-05-28', onTime: true, dept: '财务部' }],
  ['T17', 'P10', { term: 'long_term', deadline: '2024-12-31', status: 'closed', done: '2024-05-10', onTime: true, closed: closedAtOn('2024-05-12'), dept: '党建工作部' }],
  ['T18', 'P10', { term: 'concentrated', deadline: '2024-05-15', status: 'in_progress', dept: '党建工作部' }],
  ['T19', 'P11', { term: 'concentrated', deadline: '2024-06-15', status: 'in_progress', dept: null }],
  ['T20', 'P12', { term: 'immediate', deadline: '2024-04-15', status: 'closed', done: '2024-04-10', onTime: true, closed: closedAtOn('2024-04-12'), dept: '办公室' }],
  ['T21', 'P13', { term: 'immediate', deadline: '2024-03-31', status: 'closed', done: '2024-03-30', onTime: true, closed: closedAtOn('2024-04-25', 9), dept: '办公室' }],
  ['Tdel', 'P1', { term: 'concentrated', deadline: '2024-03-31', status: 'in_progress', dept: '办公室' }],
];

export function buildAnalysisFixture(t: TestLedger) {
  const ctx = t.as(t.users.admin);
  // R2 first: creation order must not decide which round is "later".
  const R2 = fxRound(ctx, {
    name: '某省委第二轮巡视', mobilisedOn: '2024-01-05', enteredOn: '2024-01-10', feedbackOn: '2024-03-15', ruleSetId: ruleSetId(ctx, 'CPC-2017'),
  });
  const R1 = fxRound(ctx, { name: '某省委第一轮巡视', feedbackOn: '2024-01-31', ruleSetId: ruleSetId(ctx, 'CPC-2022') });
  const UA = fxUnit(ctx, { name: '某某集团有限公司', sector: 'central_soe' });
  const UB = fxUnit(ctx, { name: '某某能源集团有限公司', sector: 'central_soe' });
  const UC = fxUnit(ctx, { name: '某某银行股份有限公司', sector: 'central_finance' });
  const insp = {
    R1UA: fxInspection(ctx, { roundId: R1.id, unitId: UA.id, feedbackDate: '2024-01-31' }).inspection,
    R1UB: fxInspection(ctx, { roundId: R1.id, unitId: UB.id, feedbackDate: '2024-01-31' }).inspection,
    R1UC: fxInspection(ctx, { roundId: R1.id, unitId: UC.id, feedbackDate: '2024-01-31' }).inspection,
    R2UA: fxInspection(ctx, { roundId: R2.id, unitId: UA.id, feedbackDate: '2024-03-15' }).inspection,
    R2UC: fxInspection(ctx, { roundId: R2.id, unitId: UC.id, feedbackDate: '2024-03-15' }).inspection,
  };
  const cat = {
    decisions: categoryId(ctx, '贯彻落实党中央决策部署'),
    quality: categoryId(ctx, '推动高质量发展'),
    discipline: categoryId(ctx, '履行全面从严治党责任'),
    eightRules: categoryId(ctx, '违反中央八项规定精神'),
    integrity: categoryId(ctx, '廉洁风险'),
    leadership: categoryId(ctx, '领导班子和干部队伍建设'),
    personnel: categoryId(ctx, '选人用人'),
    grassroots: categoryId(ctx, '基层党组织建设'),
  };
  const where: Record<keyof typeof TEXTS, [typeof insp.R1UA, string]> = {
    P1: [insp.R1UA, cat.quality], P2: [insp.R1UA, cat.eightRules], P3: [insp.R1UA, cat.personnel],
    P4: [insp.R1UB, cat.integrity], P5: [insp.R1UB, cat.grassroots], P6: [insp.R1UB, cat.decisions],
    P7: [insp.R1UC, cat.eightRules], P8: [insp.R1UC, cat.personnel],
    P9: [insp.R2UA, cat.integrity], P10: [insp.R2UA, cat.grassroots],
    P11: [insp.R2UC, cat.quality], P12: [insp.R2UC, cat.eightRules],
    P13: [insp.R1UA, cat.eightRules],
  };
  const P = {} as Record<keyof typeof TEXTS, ProblemRow>;
  let seq = 0;
  for (const [name, [i, categoryIdOf]] of Object.entries(where) as [keyof typeof TEXTS, [typeof insp.R1UA, string]][]) {
    P[name] = fxProblem(ctx, {
      roundId: i.roundId, unitId: i.unitId, inspectionId: i.id, seq: ++seq, categoryId: categoryIdOf, description: TEXTS[name],
    });
  }
  const T: Record<string, TaskRow> = {};
  let tseq = 0;
  for (const [name, pn, s] of TASKS) {
    const p = P[pn];
    T[name] = fxTask(ctx, {
      problemId: p.id, unitId: p.unitId, roundId: p.roundId, seq: ++tseq, term: s.term, deadline: s.deadline,
      currentDeadline: s.cur ?? s.deadline, status: s.status, completedOn: s.done ?? null, reportedOnTime: s.onTime ?? null,
      closedAt: s.closed ?? null, returnCount: s.returns ?? 0, responsibleDepartment: s.dept,
    });
  }
  P.P13 = softDelete(ctx, problemsTable, P.P13, '重复录入');
  T.Tdel = softDelete(ctx, tasksTable, T.Tdel!, '误录');

  const pe1 = fxProgress(ctx, T.T3!.id, '2024-03-28');
  const E = {
    E1: fxEvidence(ctx, { ownerType: 'task', ownerId: T.T1!.id, content: '科技创新专项规划', formedOn: '2024-04-18' }),
    E2: fxEvidence(ctx, { ownerType: 'progress', ownerId: pe1.id, content: '津贴补贴清理台账', formedOn: '2024-03-28' }),
    E3: fxEvidence(ctx, { ownerType: 'task', ownerId: T.T4!.id, content: '津贴补贴清理台账', formedOn: '2024-05-18', fileName: '清理台账（终稿）.pdf' }),
    E4: fxEvidence(ctx, { ownerType: 'task', ownerId: T.T7!.id, content: '干部档案专项审核报告', formedOn: '2024-04-23' }),
    E5: fxEvidence(ctx, { ownerType: 'task', ownerId: T.T8!.id, content: '党委会会议纪要', formedOn: '2024-04-24' }),
    E6: fxEvidence(ctx, { ownerType: 'task', ownerId: T.T9!.id, content: '招投标制度修订稿', formedOn: '2024-04-27' }),
    E7: fxEvidence(ctx, { ownerType: 'task', ownerId: T.T13!.id, content: '重大项目推进清单', formedOn: '2024-04-29' }),
    E8: fxEvidence(ctx, { ownerType: 'task', ownerId: T.T14!.id, content: '公务用车清查报告', formedOn: '2024-03-20' }),
    E9: fxEvidence(ctx, { ownerType: 'task', ownerId: T.T17!.id, content: '三会一课记录', formedOn: '2024-05-09' }),
    E10: fxEvidence(ctx, { ownerType: 'task', ownerId: T.T20!.id, content: '公务接待管理办法', formedOn: '2024-04-08' }),
    Eprob: fxEvidence(ctx, { ownerType: 'problem', ownerId: P.P4.id, content: '科技创新专项规划', formedOn: '2024-02-01' }),
  };

  const clue = (o: Partial<typeof clues.$inferInsert>) => insertRow(ctx, clues, {
    subjectName: '某某某', subjectPost: '副总经理', summary: '反映其违规问题。', receivedOn: '2024-02-05', receivingOrgan: 'ccdi',
    disposition: 'received', moneyRecoveredFen: 0, roundId: R1.id, unitId: UA.id, ...o,
  });
  const C = {
    C1: clue({ disposition: 'talk_inquiry' }),
    C2: clue({ disposition: 'preliminary_verification', moneyRecoveredFen: 1_234_500 }),
    C3: clue({ unitId: UB.id, disposition: 'case_filed', outcome: 'party_discipline', moneyRecoveredFen: 50_000_000 }),
    C4: clue({ unitId: UC.id, disposition: 'shelved' }),
    C5: clue({ roundId: R2.id, disposition: 'closed_out', outcome: 'cleared' }),
    C6: clue({ roundId: R2.id, unitId: UC.id, disposition: 'case_filed', moneyRecoveredFen: 300_000 }),
    C7: clue({ roundId: null, unitId: UB.id, disposition: 'received' }),
    C8: clue({ disposition: 'case_filed', moneyRecoveredFen: 999_999 }),
  };
  C.C8 = softDelete(ctx, clues, C.C8, '重复录入');

  const acc = (o: Partial<typeof accountabilityRecords.$inferInsert>) => insertRow(ctx, accountabilityRecords, {
    personName: '张某某', post: '部门负责人', reason: 'perfunctory', form: 'talk_reminder', decidedOn: '2024-05-10',
    roundId: R1.id, unitId: UA.id, ...o,
  });
  const A = {
    A1: acc({}),
    A2: acc({ personName: '李某', form: 'admonishment', reason: 'fake' }),
    A3: acc({ personName: '王某', unitId: UB.id, form: 'circular', reason: 'ineffective' }),
    A4: acc({ personName: '赵某', roundId: R2.id, form: 'talk_reminder' }),
    A5: acc({ personName: '钱某某', roundId: R2.id, unitId: UC.id, form: 'party_discipline' }),
    A6: acc({ personName: '孙某', unitId: UB.id, form: 'organisational' }),
  };
  A.A6 = softDelete(ctx, accountabilityRecords, A.A6, '录入错误');

  const sug = (o: Partial<typeof suggestions.$inferInsert>) => insertRow(ctx, suggestions, {
    department: '某省发展改革委', content: '建议加强行业监管。', issuedOn: '2024-02-10', status: 'pending', roundId: R1.id, unitId: UA.id, ...o,
  });
  const S = {
    S1: sug({ status: 'replied' }),
    S2: sug({ department: '某省国资委' }),
    S3: sug({ department: '某省国资委', unitId: UB.id, status: 'adopted' }),
    S4: sug({ department: '某省财政厅', unitId: UC.id, status: 'replied' }),
    S5: sug({ department: '某省财政厅', roundId: R2.id }),
    S6: sug({ roundId: R2.id, unitId: UC.id, status: 'adopted' }),
    S7: sug({ status: 'replied' }),
  };
  S.S7 = softDelete(ctx, suggestions, S.S7, '重复录入');

  const ev = (inspectionId: string, targetId: string, grade: 'good' | 'fairly_good' | 'average' | 'poor', o: Partial<typeof evaluations.$inferInsert> = {}) =>
    insertRow(ctx, evaluations, { inspectionId, targetType: 'unit', targetId, grade, evaluatedOn: '2024-05-20', ...o });
  const V = {
    V1: ev(insp.R1UA.id, UA.id, 'good'),
    V2: ev(insp.R1UB.id, UB.id, 'average'),
    V3: ev(insp.R1UC.id, UC.id, 'fairly_good'),
    V4: ev(insp.R2UA.id, UA.id, 'poor', { opensSecondRound: true }),
    V5: ev(insp.R1UA.id, UA.id, 'good', { isLookback: true, evaluatedOn: '2024-05-30' }),
    V6: ev(insp.R1UA.id, T.T1!.id, 'poor', { targetType: 'task' }),
    V7: ev(insp.R1UC.id, UC.id, 'poor'),
  };
  V.V7 = softDelete(ctx, evaluations, V.V7, '评估撤销');

  return { ctx, R1, R2, UA, UB, UC, insp, cat, P, T, E, pe1, C, A, S, V };
}

export type AnalysisFixture = ReturnType<typeof buildAnalysisFixture>;
