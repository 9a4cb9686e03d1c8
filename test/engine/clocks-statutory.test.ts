import { afterEach, describe, expect, it } from 'vitest';
import { trafficLight, worstLight } from '../../db/domain/lights.js';
import {
  clueClocks, inspectionClocks, readRules, roundClocks, roundClueClocks, taskLight, type ClockKind, type ClockView,
} from '../../db/clocks/statutory.js';
import type { ServiceContext } from '../../db/core/context.js';
import { REPORT_KINDS, type ClueDisposition, type ReportKind } from '../../db/domain/enums.js';
import { DomainError } from '../../db/domain/errors.js';
import type { Ledger } from '../../db/core/open.js';
import { createRuleSetVersion, setCalendarDay, setRoundRuleSet } from '../../db/services/calendar.js';
import { clockRuleSets, clueDispositions, clues, feedbacks, inspections, reports, tasks } from '../../db/schema/index.js';
import { insertRow, softDelete, updateRow } from '../../db/core/write.js';
import { expectError, UNKNOWN_ID } from '../helpers/expect.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxTask, fxUnit, ruleSetId } from '../helpers/fixtures.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';

let t: TestLedger;
afterEach(() => t?.close());

const pick = (list: ClockView[], kind: ClockKind): ClockView => {
  const c = list.find((k) => k.kind === kind);
  if (!c) throw new Error(`no ${kind} clock`);
  return c;
};

function report(ctx: ServiceContext, inspectionId: string, kind: ReportKind, reportDate: string, receivedOn: string | null = null) {
  return insertRow(ctx, reports, { inspectionId, kind, title: REPORT_KINDS.labels[kind], reportDate, receivedOn });
}

/** One unit inspected in one round, feedback on 2024-01-31 (so 3 months end on 2024-04-30). */
function setup(o: { today?: string; code?: string; feedbackDate?: string } = {}) {
  t = makeTestLedger({ today: o.today ?? '2024-03-01' });
  const admin = t.as(t.users.admin);
  const round = fxRound(admin, { ruleSetId: ruleSetId(admin, o.code ?? 'CPC-2022') });
  const unit = fxUnit(admin);
  const { inspection, feedback } = fxInspection(admin, {
    roundId: round.id, unitId: unit.id, feedbackDate: o.feedbackDate ?? '2024-01-31',
  });
  const reader = t.as(t.users.readonly);
  const at = (today: string) => inspectionClocks(reader, inspection.id, today);
  return { admin, reader, round, unit, inspection, feedback, at };
}

describe('traffic lights at their boundaries', () => {
  const base = { startsOn: '2024-01-31', dueOn: '2024-04-30', doneOn: null, warnDays: 7 };

  it('is green before the warning window, yellow exactly warnDays before and on the due day, red the day after', () => {
    expect(trafficLight({ ...base, today: '2024-04-22' })).toMatchObject({ light: 'green', daysLeft: 8, late: false });
    expect(trafficLight({ ...base, today: '2024-04-23' })).toMatchObject({ light: 'yellow', daysLeft: 7, word: '临近期限' });
    expect(trafficLight({ ...base, today: '2024-04-30' })).toMatchObject({ light: 'yellow', daysLeft: 0 });
    expect(trafficLight({ ...base, today: '2024-05-01' })).toMatchObject({ light: 'red', daysLeft: -1, late: true, word: '已逾期' });
  });

  it('is done on time on the due day and done late the day after, whatever today is', () => {
    expect(trafficLight({ ...base, doneOn: '2024-04-30', today: '2024-12-31' }))
      .toMatchObject({ light: 'done', late: false, daysLeft: 0, word: '按期完成', doneOn: '2024-04-30' });
    expect(trafficLight({ ...base, doneOn: '2024-05-02', today: '2024-05-02' }))
      .toMatchObject({ light: 'done', late: true, daysLeft: -2, word: '逾期完成' });
  });

  it('is not started without a start event or before it, unless already done', () => {
    expect(trafficLight({ ...base, startsOn: null, dueOn: null, today: '2024-03-01' }))
      .toMatchObject({ light: 'not_started', daysLeft: null, dueOn: null });
    expect(trafficLight({ ...base, today: '2024-01-30' })).toMatchObject({ light: 'not_started', dueOn: '2024-04-30' });
    expect(trafficLight({ ...base, today: '2024-01-31' }).light).toBe('green');
    expect(trafficLight({ ...base, startsOn: null, dueOn: null, doneOn: '2024-01-15', today: '2024-03-01' }))
      .toMatchObject({ light: 'done', late: false, daysLeft: null });
  });

  it('with no warning window turns yellow only on the due day', () => {
    expect(trafficLight({ ...base, warnDays: 0, today: '2024-04-29' }).light).toBe('green');
    expect(trafficLight({ ...base, warnDays: 0, today: '2024-04-30' }).light).toBe('yellow');
  });

  it('summarises several clocks by the worst light', () => {
    expect(worstLight(['done', 'green', 'yellow'])).toBe('yellow');
    expect(worstLight(['done', 'red', 'not_started'])).toBe('red');
    expect(worstLight(['done', 'not_started'])).toBe('not_started');
    expect(worstLight([])).toBeNull();
  });
});

describe('the clocks of one inspection', () => {
  it('starts every feedback clock at the feedback and runs three months under the 2022 rules', () => {
    const { at } = setup();
    const c = at('2024-03-01');
    expect(c.map((k) => k.kind)).toEqual([
      'concentrated', 'progress_report', 'dlm', 'disclosure', 'supervision_discipline', 'supervision_organisation',
    ]);
    expect(pick(c, 'concentrated')).toMatchObject({ label: '集中整改期', startsOn: '2024-01-31', dueOn: '2024-04-30', light: 'green', daysLeft: 60 });
    expect(pick(c, 'progress_report')).toMatchObject({ label: '集中整改进展情况报告', dueOn: '2024-04-30', light: 'green', rule: '反馈后3个月内' });
    expect(pick(c, 'dlm')).toMatchObject({ label: '专题民主生活会', dueOn: '2024-04-30', light: 'green' });
    expect(pick(c, 'disclosure')).toMatchObject({ light: 'not_started', startsOn: null, dueOn: null });
    expect(pick(c, 'supervision_discipline')).toMatchObject({ light: 'not_started', startsOn: '2024-04-30', dueOn: '2024-07-30' });
    expect(pick(c, 'supervision_organisation')).toMatchObject({ light: 'not_started', startsOn: '2024-04-30', dueOn: '2024-07-30' });
  });

  it('uses two months in a round on the 2017 rules and three in a round on the 2022 rules', () => {
    const { admin, unit, at } = setup({ code: 'CPC-2022' });
    const old = fxRound(admin, { name: '某省委第九轮巡视', ruleSetId: ruleSetId(admin, 'CPC-2017') });
    const oldInsp = fxInspection(admin, { roundId: old.id, unitId: unit.id, feedbackDate: '2024-01-31' }).inspection;
    const c2017 = inspectionClocks(admin, oldInsp.id, '2024-03-25');
    const c2022 = at('2024-03-25');
    expect(pick(c2017, 'progress_report')).toMatchObject({ dueOn: '2024-03-31', light: 'yellow', daysLeft: 6, rule: '反馈后2个月内' });
    expect(pick(c2017, 'concentrated').dueOn).toBe('2024-03-31');
    expect(pick(c2017, 'supervision_discipline').dueOn).toBe('2024-06-30');
    expect(pick(c2022, 'progress_report')).toMatchObject({ dueOn: '2024-04-30', light: 'green', daysLeft: 36 });
  });

  it('moves every due date when the round is switched to another rule set', () => {
    const { admin, round, at } = setup();
    expect(pick(at('2024-04-05'), 'progress_report')).toMatchObject({ dueOn: '2024-04-30', light: 'green' });
    setRoundRuleSet(admin, { roundId: round.id, ruleSetId: ruleSetId(admin, 'CPC-2017') });
    const c = at('2024-04-05');
    expect(pick(c, 'progress_report')).toMatchObject({ dueOn: '2024-03-31', light: 'red', daysLeft: -5 });
    expect(pick(c, 'concentrated')).toMatchObject({ light: 'done', word: '已期满', doneOn: '2024-03-31' });
    expect(pick(c, 'supervision_organisation')).toMatchObject({ startsOn: '2024-03-31', dueOn: '2024-06-30', light: 'green' });
  });

  it('turns the progress report yellow exactly 7 days before its due date and red the day after', () => {
    const { at } = setup();
    expect(pick(at('2024-04-22'), 'progress_report')).toMatchObject({ light: 'green', daysLeft: 8 });
    expect(pick(at('2024-04-23'), 'progress_report')).toMatchObject({ light: 'yellow', daysLeft: 7 });
    expect(pick(at('2024-04-30'), 'progress_report')).toMatchObject({ light: 'yellow', daysLeft: 0 });
    expect(pick(at('2024-05-01'), 'progress_report')).toMatchObject({ light: 'red', daysLeft: -1, late: true });
  });

  it('counts the earliest live progress report: late, then on time, then late again when that one is deleted', () => {
    const { admin, inspection, at } = setup();
    report(admin, inspection.id, 'progress', '2024-05-02');
    expect(pick(at('2024-05-10'), 'progress_report')).toMatchObject({ light: 'done', late: true, doneOn: '2024-05-02', daysLeft: -2 });
    const early = report(admin, inspection.id, 'progress', '2024-04-30');
    expect(pick(at('2024-05-10'), 'progress_report')).toMatchObject({ light: 'done', late: false, doneOn: '2024-04-30' });
    softDelete(admin, reports, early, '重复录入');
    expect(pick(at('2024-05-10'), 'progress_report')).toMatchObject({ light: 'done', late: true, doneOn: '2024-05-02' });
  });

  it('ignores a report dated before the feedback and other kinds of report', () => {
    const { admin, inspection, at } = setup();
    report(admin, inspection.id, 'progress', '2024-01-15');
    report(admin, inspection.id, 'plan', '2024-02-20');
    expect(pick(at('2024-03-01'), 'progress_report')).toMatchObject({ light: 'green', doneOn: null });
  });

  it('starts at the earliest live feedback (a one-to-one feedback may come first)', () => {
    const { admin, inspection, at } = setup();
    const early = insertRow(admin, feedbacks, {
      inspectionId: inspection.id, kind: 'one_to_one', feedbackDate: '2024-01-20', docNumber: null, body: '一对一反馈。',
    });
    expect(pick(at('2024-03-01'), 'concentrated')).toMatchObject({ startsOn: '2024-01-20', dueOn: '2024-04-20' });
    softDelete(admin, feedbacks, early, '录入错误');
    expect(pick(at('2024-03-01'), 'concentrated')).toMatchObject({ startsOn: '2024-01-31', dueOn: '2024-04-30' });
  });

  it('ends the concentrated period on its last day and shows it as run out the day after', () => {
    const { at } = setup();
    expect(pick(at('2024-04-30'), 'concentrated')).toMatchObject({ light: 'yellow', daysLeft: 0 });
    expect(pick(at('2024-05-01'), 'concentrated')).toMatchObject({ light: 'done', word: '已期满', doneOn: '2024-04-30', late: false });
  });

  it('requires the special democratic-life meeting inside the concentrated period', () => {
    const { admin, inspection, at } = setup();
    expect(pick(at('2024-05-01'), 'dlm')).toMatchObject({ light: 'red', dueOn: '2024-04-30' });
    const held = report(admin, inspection.id, 'dlm', '2024-05-06');
    expect(pick(at('2024-05-10'), 'dlm')).toMatchObject({ light: 'done', late: true, word: '逾期完成' });
    softDelete(admin, reports, held, '日期有误');
    report(admin, inspection.id, 'dlm', '2024-04-30');
    expect(pick(at('2024-05-10'), 'dlm')).toMatchObject({ light: 'done', late: false, doneOn: '2024-04-30' });
  });

  it('starts the disclosure clock at the review opinion: its received date, else its own date', () => {
    const { admin, inspection, at } = setup();
    expect(pick(at('2024-05-20'), 'disclosure').light).toBe('not_started');
    const first = report(admin, inspection.id, 'review_opinion', '2024-05-10');
    expect(pick(at('2024-05-20'), 'disclosure')).toMatchObject({ startsOn: '2024-05-10', dueOn: '2024-06-10', light: 'green' });
    softDelete(admin, reports, first, '换成正式文本');
    report(admin, inspection.id, 'review_opinion', '2024-05-10', '2024-05-15');
    expect(pick(at('2024-06-07'), 'disclosure')).toMatchObject({ startsOn: '2024-05-15', dueOn: '2024-06-15', light: 'green', daysLeft: 8 });
    expect(pick(at('2024-06-08'), 'disclosure')).toMatchObject({ light: 'yellow', daysLeft: 7 });
    expect(pick(at('2024-06-16'), 'disclosure')).toMatchObject({ light: 'red', daysLeft: -1 });
    report(admin, inspection.id, 'disclosure', '2024-06-12');
    expect(pick(at('2024-06-16'), 'disclosure')).toMatchObject({ light: 'done', late: false, doneOn: '2024-06-12' });
  });

  it('starts both supervision-report clocks when the concentrated period ends and closes each by its own report', () => {
    const { admin, inspection, at } = setup();
    expect(pick(at('2024-04-29'), 'supervision_discipline').light).toBe('not_started');
    expect(pick(at('2024-04-30'), 'supervision_discipline')).toMatchObject({ light: 'green', daysLeft: 91 });
    report(admin, inspection.id, 'supervision_discipline', '2024-07-01');
    const c = at('2024-07-25');
    expect(pick(c, 'supervision_discipline')).toMatchObject({ light: 'done', late: false, doneOn: '2024-07-01' });
    expect(pick(c, 'supervision_organisation')).toMatchObject({ light: 'yellow', daysLeft: 5 });
    expect(pick(at('2024-07-31'), 'supervision_organisation')).toMatchObject({ light: 'red', daysLeft: -1 });
  });

  it('leaves every clock not started while no feedback is recorded', () => {
    const { admin, round } = setup();
    const unit2 = fxUnit(admin, { name: '某某银行股份有限公司', sector: 'central_finance' });
    const insp = insertRow(admin, inspections, { roundId: round.id, unitId: unit2.id, teamId: null });
    const c = inspectionClocks(admin, insp.id, '2024-03-01');
    expect(c.map((k) => k.light)).toEqual(Array(6).fill('not_started'));
    expect(c.every((k) => k.dueOn === null)).toBe(true);
  });

  it('uses the clock\'s today when none is given', () => {
    const { reader, inspection } = setup({ today: '2024-04-23' });
    expect(pick(inspectionClocks(reader, inspection.id), 'progress_report')).toMatchObject({ light: 'yellow', daysLeft: 7 });
  });

  it('refuses an unknown or deleted inspection with NOT_FOUND and a caller who is not logged in', () => {
    const { admin, inspection, reader } = setup();
    expectError(() => inspectionClocks(reader, UNKNOWN_ID), 'NOT_FOUND');
    expectError(() => inspectionClocks(t.as(null), inspection.id), 'FORBIDDEN');
    softDelete(admin, inspections, inspection, '录入错误');
    expectError(() => inspectionClocks(reader, inspection.id), 'NOT_FOUND', 'inspectionId');
  });

  it('reports a damaged rule set as CORRUPT instead of guessing', () => {
    const { admin, round, inspection, reader } = setup();
    const rs = admin.ledger.orm.select().from(clockRuleSets).all().find((r) => r.id === round.ruleSetId)!;
    updateRow(admin, clockRuleSets, rs, { rules: JSON.stringify({ ...JSON.parse(rs.rules), concentratedMonths: 'three' }) });
    expectError(() => inspectionClocks(reader, inspection.id), 'CORRUPT');
    expect(() => readRules('not json')).toThrow(DomainError);
    expect(readRules(JSON.stringify({ ...JSON.parse(rs.rules), concentratedMonths: 3, warnDays: undefined })).warnDays).toBe(7);
  });
});

describe('task deadlines', () => {
  function taskSetup(today = '2024-04-01') {
    const s = setup({ today });
    const problem = fxProblem(s.admin, { unitId: s.unit.id, roundId: s.round.id, categoryId: categoryId(s.admin, '廉洁风险') });
    const task = (o: Partial<Parameters<typeof fxTask>[1]> = {}) =>
      fxTask(s.admin, { problemId: problem.id, unitId: s.unit.id, roundId: s.round.id, deadline: '2024-04-30', ...o });
    return { ...s, problem, task };
  }

  it('warns 7 days before under the default rules and goes red the day after the deadline', () => {
    const { reader, task } = taskSetup();
    const k = task();
    expect(taskLight(reader, k.id, '2024-04-22')).toMatchObject({ kind: 'task', light: 'green', daysLeft: 8, dueOn: '2024-04-30' });
    expect(taskLight(reader, k.id, '2024-04-23')).toMatchObject({ light: 'yellow', daysLeft: 7 });
    expect(taskLight(reader, k.id, '2024-05-01')).toMatchObject({ light: 'red', daysLeft: -1 });
  });

  it('takes the warning window from the round\'s rule set', () => {
    const { admin, reader, round, task } = taskSetup();
    const v2 = createRuleSetVersion(admin, {
      code: 'CPC-2022', name: '2022年意见（提前10天预警）', basis: '本单位要求提前10天预警',
      rules: { concentratedMonths: 3, progressReportMonths: 3, disclosureMonths: 1,
        supervisionReportMonths: 3, clueFeedbackMonths: 3, inquiryReplyWorkingDays: 15, warnDays: 10 },
    });
    setRoundRuleSet(admin, { roundId: round.id, ruleSetId: v2.id });
    const k = task();
    expect(taskLight(reader, k.id, '2024-04-19')).toMatchObject({ light: 'green', daysLeft: 11 });
    expect(taskLight(reader, k.id, '2024-04-20')).toMatchObject({ light: 'yellow', daysLeft: 10 });
  });

  it('warns 7 days before for a task outside any round', () => {
    const { admin, reader, problem, unit } = taskSetup();
    const k = fxTask(admin, { problemId: problem.id, unitId: unit.id, roundId: null, deadline: '2024-04-30' });
    expect(taskLight(reader, k.id, '2024-04-23').light).toBe('yellow');
    expect(taskLight(reader, k.id, '2024-04-22').light).toBe('green');
  });

  it('is done only when closed out, on time or late by its completion date', () => {
    const { reader, task } = taskSetup();
    const waiting = task({ status: 'pending_review', completedOn: '2024-04-28' });
    expect(taskLight(reader, waiting.id, '2024-05-03')).toMatchObject({ light: 'red', late: true });
    const onTime = task({ status: 'closed', completedOn: '2024-04-30', closedAt: '2024-05-06T02:00:00.000Z' });
    expect(taskLight(reader, onTime.id, '2024-05-10')).toMatchObject({ light: 'done', late: false, doneOn: '2024-04-30' });
    const late = task({ status: 'closed', completedOn: '2024-05-03', closedAt: '2024-05-06T02:00:00.000Z' });
    expect(taskLight(reader, late.id, '2024-05-10')).toMatchObject({ light: 'done', late: true, daysLeft: -3, word: '逾期完成' });
    const noDate = task({ status: 'closed', completedOn: null, closedAt: '2024-04-20T06:00:00.000Z' });
    expect(taskLight(reader, noDate.id, '2024-05-10')).toMatchObject({ light: 'done', doneOn: '2024-04-20', late: false });
  });

  it('runs to the extended deadline and still shows the original one', () => {
    const { reader, task } = taskSetup();
    const k = task({ deadline: '2024-04-30', currentDeadline: '2024-05-31' });
    expect(taskLight(reader, k.id, '2024-05-05')).toMatchObject({ light: 'green', dueOn: '2024-05-31', originalDueOn: '2024-04-30' });
    const plain = task();
    expect(taskLight(reader, plain.id, '2024-05-05')).not.toHaveProperty('originalDueOn');
  });

  it('refuses an unknown or deleted task with NOT_FOUND', () => {
    const { admin, reader, task } = taskSetup();
    const k = task();
    expect(taskLight(reader, k.id, '2024-04-01').light).toBe('green');
    softDelete(admin, tasks, k, '合并到其他任务');
    expectError(() => taskLight(reader, k.id), 'NOT_FOUND', 'taskId');
    expectError(() => taskLight(reader, UNKNOWN_ID), 'NOT_FOUND');
  });
});

describe('clue clocks', () => {
  function clueSetup(today: string) {
    const s = setup({ today });
    const clue = (o: { receivedOn: string; disposition?: ClueDisposition; concludedOn?: string | null; roundId?: string | null }) =>
      insertRow(s.admin, clues, {
        roundId: o.roundId === undefined ? s.round.id : o.roundId, unitId: s.unit.id, subjectName: '张某某', subjectPost: '某某集团有限公司副总经理',
        summary: '反映其违规接受管理服务对象宴请。', receivedOn: o.receivedOn, receivingOrgan: 'ccdi',
        disposition: o.disposition ?? 'received', concludedOn: o.concludedOn ?? null,
      });
    const step = (clueId: string, o: { way: ClueDisposition; decidedOn: string; letterSentOn?: string; repliedOn?: string }) =>
      insertRow(s.admin, clueDispositions, {
        clueId, fromWay: 'received', way: o.way, decidedOn: o.decidedOn, note: '按规定处置。',
        letterSentOn: o.letterSentOn ?? null, repliedOn: o.repliedOn ?? null,
      });
    return { ...s, clue, step, cluer: t.as(t.users.reviewer) };
  }

  it('runs three months from receipt while the clue is being handled', () => {
    const { cluer, clue } = clueSetup('2024-03-01');
    const c = clue({ receivedOn: '2024-01-31' });
    expect(clueClocks(cluer, c.id, '2024-03-01').clue)
      .toMatchObject({ kind: 'clue_feedback', label: '线索处置情况反馈', startsOn: '2024-01-31', dueOn: '2024-04-30', light: 'green' });
    expect(clueClocks(cluer, c.id, '2024-05-01').clue).toMatchObject({ light: 'red', daysLeft: -1 });
  });

  it('keeps running for 谈话函询, 初步核实 and 暂存待查, and is done at a final disposition or conclusion', () => {
    const { admin, cluer, clue, step } = clueSetup('2024-03-01');
    for (const way of ['talk_inquiry', 'preliminary_verification', 'shelved'] as const) {
      const c = clue({ receivedOn: '2024-01-31', disposition: way });
      step(c.id, { way, decidedOn: '2024-02-10' });
      expect(clueClocks(cluer, c.id, '2024-05-01').clue.light).toBe('red');
    }
    const closed = clue({ receivedOn: '2024-01-31', disposition: 'closed_out' });
    step(closed.id, { way: 'talk_inquiry', decidedOn: '2024-02-10' });
    step(closed.id, { way: 'closed_out', decidedOn: '2024-05-06' });
    expect(clueClocks(cluer, closed.id, '2024-06-01').clue).toMatchObject({ light: 'done', doneOn: '2024-05-06', late: true });
    const filed = clue({ receivedOn: '2024-01-31', disposition: 'case_filed' });
    expect(clueClocks(cluer, filed.id, '2024-06-01').clue).toMatchObject({ light: 'done', doneOn: null, late: false });
    const concluded = clue({ receivedOn: '2024-01-31', disposition: 'preliminary_verification', concludedOn: '2024-04-20' });
    expect(clueClocks(cluer, concluded.id, '2024-06-01').clue).toMatchObject({ light: 'done', doneOn: '2024-04-20', late: false });
    softDelete(admin, clues, concluded, '录入错误');
    expectError(() => clueClocks(cluer, concluded.id), 'NOT_FOUND');
  });

  it('gives each inquiry letter 15 working days under the holiday calendar, and follows calendar edits', () => {
    const { admin, cluer, clue, step } = clueSetup('2025-10-16');
    const c = clue({ receivedOn: '2025-09-20', disposition: 'talk_inquiry' });
    const letter = step(c.id, { way: 'talk_inquiry', decidedOn: '2025-09-25', letterSentOn: '2025-09-26' });
    let l = clueClocks(cluer, c.id).letters;
    expect(l).toHaveLength(1);
    expect(l[0]).toMatchObject({ kind: 'inquiry_reply', label: '函询回复', refId: letter.id, startsOn: '2025-09-26', dueOn: '2025-10-23', light: 'yellow', daysLeft: 7 });
    setCalendarDay(admin, { day: '2025-10-20', kind: 'holiday', name: '本地放假' });
    l = clueClocks(cluer, c.id).letters;
    expect(l[0]).toMatchObject({ dueOn: '2025-10-24', daysLeft: 8, light: 'green' });
    updateRow(admin, clueDispositions, letter, { repliedOn: '2025-10-27' });
    expect(clueClocks(cluer, c.id, '2025-11-30').letters[0]).toMatchObject({ light: 'done', late: true, doneOn: '2025-10-27' });
  });

  it('uses the 2022 rules for a clue outside any round', () => {
    const { cluer, clue } = clueSetup('2024-03-01');
    const c = clue({ receivedOn: '2024-01-31', roundId: null });
    expect(clueClocks(cluer, c.id).clue.dueOn).toBe('2024-04-30');
  });

  it('lists every clue of a round with its letters', () => {
    const { cluer, clue, step, round } = clueSetup('2025-10-16');
    const a = clue({ receivedOn: '2025-09-01' });
    const b = clue({ receivedOn: '2025-08-01', disposition: 'talk_inquiry' });
    step(b.id, { way: 'talk_inquiry', decidedOn: '2025-08-10', letterSentOn: '2025-09-26' });
    step(b.id, { way: 'talk_inquiry', decidedOn: '2025-08-10', letterSentOn: '2025-08-11', repliedOn: '2025-08-20' });
    const all = roundClueClocks(cluer, round.id);
    expect(all.map((x) => x.clueId)).toEqual([b.id, a.id]);
    expect(all[0]!.letters.map((x) => [x.startsOn, x.light])).toEqual([['2025-08-11', 'done'], ['2025-09-26', 'yellow']]);
    expect(all[0]!.clue).toEqual(clueClocks(cluer, b.id).clue);
  });

  it('is refused to users without the clue permission', () => {
    const { cluer, clue } = clueSetup('2024-03-01');
    const c = clue({ receivedOn: '2024-01-31' });
    expect(clueClocks(cluer, c.id).clue.light).toBe('green');
    for (const u of [t.users.admin, t.users.entry, t.users.reviewer2, t.users.readonly]) {
      expectError(() => clueClocks(t.as(u), c.id), 'FORBIDDEN');
    }
  });
});

describe('the lights of a whole round', () => {
  it('gives every unit the same clocks as asking unit by unit, plus its task counts', () => {
    const { admin, reader, round, unit, inspection } = setup({ today: '2024-04-25' });
    report(admin, inspection.id, 'progress', '2024-04-20');
    const unitB = fxUnit(admin, { name: '某某能源集团有限公司' });
    const inspB = fxInspection(admin, { roundId: round.id, unitId: unitB.id, feedbackDate: '2024-01-10' }).inspection;
    const unitC = fxUnit(admin, { name: '某某大学', sector: 'university' });
    const inspC = insertRow(admin, inspections, { roundId: round.id, unitId: unitC.id, teamId: null });
    const cat = categoryId(admin, '选人用人');
    const mk = (unitId: string, deadline: string, status: 'in_progress' | 'closed' = 'in_progress') => {
      const p = fxProblem(admin, { unitId, roundId: round.id, categoryId: cat });
      return fxTask(admin, { problemId: p.id, unitId, roundId: round.id, deadline, status });
    };
    const live = [
      mk(unit.id, '2024-04-24'), mk(unit.id, '2024-04-25'), mk(unit.id, '2024-05-02'), mk(unit.id, '2024-05-03'),
      mk(unit.id, '2024-03-01', 'closed'), mk(unitB.id, '2024-04-01'),
    ];
    softDelete(admin, tasks, mk(unit.id, '2024-01-01'), '合并到其他任务');

    const board = roundClocks(reader, round.id);
    expect(board.ruleSet).toMatchObject({ code: 'CPC-2022', ruleVersion: 1 });
    expect(board.today).toBe('2024-04-25');
    expect(board.units.map((u) => u.inspectionId).sort()).toEqual([inspection.id, inspB.id, inspC.id].sort());
    for (const u of board.units) expect(u.clocks).toEqual(inspectionClocks(reader, u.inspectionId, '2024-04-25'));

    const byId = new Map(board.units.map((u) => [u.inspectionId, u]));
    expect(pick(byId.get(inspection.id)!.clocks, 'progress_report').light).toBe('done');
    expect(byId.get(inspection.id)!.worst).toBe('yellow'); // dlm and the period end on 04-30
    expect(pick(byId.get(inspB.id)!.clocks, 'progress_report')).toMatchObject({ dueOn: '2024-04-10', light: 'red' });
    expect(byId.get(inspB.id)!.worst).toBe('red');
    expect(byId.get(inspC.id)!.worst).toBe('not_started');

    // Task counts agree with the per-task light of every live task.
    const tally = (unitId: string) => {
      const out = { total: 0, done: 0, red: 0, yellow: 0, green: 0 };
      for (const k of live.filter((x) => x.unitId === unitId)) {
        out.total += 1;
        out[taskLight(reader, k.id, '2024-04-25').light as 'done' | 'red' | 'yellow' | 'green'] += 1;
      }
      return out;
    };
    expect(byId.get(inspection.id)!.tasks).toEqual(tally(unit.id));
    expect(byId.get(inspection.id)!.tasks).toEqual({ total: 5, done: 1, red: 1, yellow: 2, green: 1 });
    expect(byId.get(inspB.id)!.tasks).toEqual(tally(unitB.id));
    expect(byId.get(inspC.id)!.tasks).toEqual({ total: 0, done: 0, red: 0, yellow: 0, green: 0 });
  });

  it('uses the same number of queries for one unit as for many (no query per unit)', () => {
    const { admin, round } = setup({ today: '2024-04-25' });
    const big = fxRound(admin, { name: '某省委第二轮巡视' });
    for (let i = 0; i < 8; i++) {
      const u = fxUnit(admin, { name: `某某县第${i + 1}人民医院` });
      const { inspection } = fxInspection(admin, { roundId: big.id, unitId: u.id, feedbackDate: '2024-02-0' + ((i % 9) + 1) });
      report(admin, inspection.id, 'progress', '2024-04-01');
    }
    const counting = (ledger: Ledger) => {
      let n = 0;
      const l: Ledger = { ...ledger, prepare: (sql: string) => { n += 1; return ledger.prepare(sql); } };
      return { ctx: { ...t.as(t.users.readonly), ledger: l }, count: () => n };
    };
    const one = counting(t.ledger);
    expect(roundClocks(one.ctx, round.id).units).toHaveLength(1);
    const many = counting(t.ledger);
    expect(roundClocks(many.ctx, big.id).units).toHaveLength(8);
    expect(many.count()).toBe(one.count());
    expect(many.count()).toBeLessThanOrEqual(5);
  });

  it('refuses an unknown round with NOT_FOUND', () => {
    const { reader } = setup();
    expectError(() => roundClocks(reader, UNKNOWN_ID), 'NOT_FOUND', 'roundId');
  });
});
