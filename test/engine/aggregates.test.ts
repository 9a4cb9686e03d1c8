import { afterEach, describe, expect, it } from 'vitest';
import {
  accountabilityByForm, aggregateOverview, cluesByDisposition, evaluationsByGrade, moneyRecovered, summarize,
  suggestionsAnswered, type SummaryFigures,
} from '../../db/analysis/aggregates.js';
import { DomainError } from '../../db/domain/errors.js';
import { clues, problems, tasks } from '../../db/schema/index.js';
import { restoreRow } from '../../db/core/write.js';
import { buildAnalysisFixture, TODAY, type AnalysisFixture } from '../helpers/analysis-fixture.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';

/*
 * Every expected figure below is counted by hand from the fixture's tables
 * (test/helpers/analysis-fixture.ts); the comment next to each figure names the records counted.
 * today = 2024-06-01, so "overdue" = not closed and deadline in force before 2024-06-01.
 * Live tasks T1–T20; never counted: Tdel (deleted), T21 (its problem P13 is deleted), C8, A6, S7, V7.
 * Boundaries: T14 is closed with no completion date and still counts as completed; T16's deadline
 * is today (2024-06-01), so it is not overdue yet.
 */

let t: TestLedger;
let fx: AnalysisFixture;
afterEach(() => t?.close());

function setUp() {
  t = makeTestLedger({ today: TODAY });
  fx = buildAnalysisFixture(t);
  return fx.ctx;
}

/** figures in the order problems, tasks, completed, closed, overdue, longTermOpen. */
function figures(problemsN: number, tasksN: number, completed: number, closed: number, overdue: number, longTermOpen: number): SummaryFigures {
  return { problems: problemsN, tasks: tasksN, completed, closed, closeRate: tasksN === 0 ? null : closed / tasksN, overdue, longTermOpen };
}

function codeOf(e: unknown): { code: string; field?: string; reason?: string } {
  expect(e).toBeInstanceOf(DomainError);
  const d = e as DomainError;
  return { code: d.code, ...(d.field ? { field: d.field } : {}), ...(d.reason ? { reason: d.reason } : {}) };
}
function failure(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    return codeOf(e);
  }
  throw new Error('expected a DomainError');
}

describe('summarize: problems and tasks', () => {
  it('counts every figure per round, rounds in feedback order although R2 was created first', () => {
    const ctx = setUp();
    const s = summarize(ctx, { groupBy: 'round' });
    expect(s.today).toBe('2024-06-01');
    expect(s.rows.map((r) => r.key)).toEqual([fx.R1.id, fx.R2.id]);
    expect(s.rows.map((r) => r.label)).toEqual(['某省委第一轮巡视', '某省委第二轮巡视']);
    const [r1, r2] = s.rows;
    // R1: problems P1–P8 = 8; tasks T1–T15 = 15; closed T1 T3 T4 T7 T8 T9 T13 T14 = 8;
    //     completed = those 8 + T6 (pending review with a completion date) = 9;
    //     overdue T5 (04-30) T6 (05-31) T11 (draft, 04-30) T12 (05-31) T15 (04-30) = 5; long-term open T2 T10 T12 = 3.
    expect(r1).toMatchObject(figures(8, 15, 9, 8, 5, 3));
    // R2: problems P9–P12 = 4; tasks T16–T20 = 5; closed T17 T20 = 2; completed + T16 = 3;
    //     overdue T18 (05-15) = 1; long-term open: T17 is long-term but closed = 0.
    expect(r2).toMatchObject(figures(4, 5, 3, 2, 1, 0));
    expect(r2!.closeRate).toBe(0.4);
    // Totals: 12 problems, 20 tasks, 12 completed, 10 closed (销号率 0.5), 6 overdue, 3 long-term open.
    expect(s.totals).toEqual(figures(12, 20, 12, 10, 6, 3));
    expect(s.totals.closeRate).toBe(0.5);
  });

  it('counts every figure per unit', () => {
    const ctx = setUp();
    const s = summarize(ctx, { groupBy: 'unit' });
    const by = new Map(s.rows.map((r) => [r.key, r]));
    expect(s.rows).toHaveLength(3);
    // UA: P1 P2 P3 P9 P10 = 5; T1–T8 + T16–T18 = 11; closed T1 T3 T4 T7 T8 T17 = 6; completed + T6 T16 = 8;
    //     overdue T5 T6 T18 = 3; long-term open T2 = 1.
    expect(by.get(fx.UA.id)).toMatchObject({ label: '某某集团有限公司', ...figures(5, 11, 8, 6, 3, 1) });
    // UB: P4 P5 P6 = 3; T9–T13 = 5; closed T9 T13 = 2; completed 2; overdue T11 T12 = 2; long-term open T10 T12 = 2.
    expect(by.get(fx.UB.id)).toMatchObject({ label: '某某能源集团有限公司', ...figures(3, 5, 2, 2, 2, 2) });
    // UC: P7 P8 P11 P12 = 4 (P8 has no task); T14 T15 T19 T20 = 4; closed T14 T20 = 2; completed 2;
    //     overdue T15 = 1; long-term open 0.
    expect(by.get(fx.UC.id)).toMatchObject({ label: '某某银行股份有限公司', ...figures(4, 4, 2, 2, 1, 0) });
    expect(s.totals).toEqual(figures(12, 20, 12, 10, 6, 3));
  });

  it('counts every figure per sector, in the vocabulary order', () => {
    const ctx = setUp();
    const s = summarize(ctx, { groupBy: 'sector' });
    expect(s.rows.map((r) => r.key)).toEqual(['central_soe', 'central_finance']);
    // 中管企业 = UA + UB: problems 5+3 = 8; tasks 11+5 = 16; completed 8+2 = 10; closed 6+2 = 8; overdue 3+2 = 5; long-term 1+2 = 3.
    expect(s.rows[0]).toMatchObject({ label: '中管企业', ...figures(8, 16, 10, 8, 5, 3) });
    // 中管金融企业 = UC: 4 problems, 4 tasks, 2 completed, 2 closed, 1 overdue, 0 long-term.
    expect(s.rows[1]).toMatchObject({ label: '中管金融企业', ...figures(4, 4, 2, 2, 1, 0) });
    expect(s.totals).toEqual(figures(12, 20, 12, 10, 6, 3));
  });

  it('counts a problem under its top-level category, sub-categories folded in', () => {
    const ctx = setUp();
    const s = summarize(ctx, { groupBy: 'category' });
    expect(s.rows.map((r) => r.label)).toEqual(['贯彻落实党中央决策部署', '履行全面从严治党责任', '领导班子和干部队伍建设', '基层党组织建设']);
    expect(s.rows.map((r) => r.key)).toEqual([fx.cat.decisions, fx.cat.discipline, fx.cat.leadership, fx.cat.grassroots]);
    // 贯彻落实: P1 (推动高质量发展), P6 (the top level itself), P11 (推动高质量发展) = 3; tasks T1 T2 T8, T12 T13, T19 = 6;
    //   closed T1 T8 T13 = 3; completed 3; overdue T12 = 1; long-term open T2 T12 = 2.
    expect(s.rows[0]).toMatchObject(figures(3, 6, 3, 3, 1, 2));
    // 从严治党: P2 P7 P12 (八项规定), P4 P9 (廉洁风险) = 5; tasks T3 T4, T14 T15, T20, T9 T10, T16 = 8;
    //   closed T3 T4 T9 T14 T20 = 5; completed + T16 = 6; overdue T15 = 1; long-term open T10 = 1.
    expect(s.rows[1]).toMatchObject(figures(5, 8, 6, 5, 1, 1));
    // 班子: P3, P8 (选人用人) = 2; tasks T5 T6 T7 = 3; closed T7 = 1; completed T6 T7 = 2; overdue T5 T6 = 2; long-term 0.
    expect(s.rows[2]).toMatchObject(figures(2, 3, 2, 1, 2, 0));
    // 基层党组织建设: P5, P10 = 2; tasks T11, T17 T18 = 3; closed T17 = 1; completed 1; overdue T11 T18 = 2; long-term 0.
    expect(s.rows[3]).toMatchObject(figures(2, 3, 1, 1, 2, 0));
    expect(s.totals).toEqual(figures(12, 20, 12, 10, 6, 3));
  });

  it('counts per responsible department, a problem once in each department working on it', () => {
    const ctx = setUp();
    const s = summarize(ctx, { groupBy: 'department' });
    const by = new Map(s.rows.map((r) => [r.key, r]));
    expect(s.rows).toHaveLength(7);
    // 办公室: T1 T3 T8 T14 T15 T20 = 6; problems P1 P2 P7 P12 = 4; closed T1 T3 T8 T14 T20 = 5; completed 5; overdue T15 = 1.
    expect(by.get('办公室')).toMatchObject(figures(4, 6, 5, 5, 1, 0));
    // 战略发展部: T2 T12 T13 = 3; problems P1 P6 = 2; closed T13 = 1; completed 1; overdue T12 = 1; long-term open T2 T12 = 2.
    expect(by.get('战略发展部')).toMatchObject(figures(2, 3, 1, 1, 1, 2));
    // 财务部: T4 T16 = 2; problems P2 P9 = 2; closed T4 = 1; completed T4 T16 = 2; overdue 0.
    expect(by.get('财务部')).toMatchObject(figures(2, 2, 2, 1, 0, 0));
    // 组织部: T5 T6 T7 = 3; problem P3 = 1; closed T7 = 1; completed T6 T7 = 2; overdue T5 T6 = 2.
    expect(by.get('组织部')).toMatchObject(figures(1, 3, 2, 1, 2, 0));
    // 纪检部: T9 T10 = 2; problem P4 = 1; closed T9 = 1; completed 1; long-term open T10 = 1.
    expect(by.get('纪检部')).toMatchObject(figures(1, 2, 1, 1, 0, 1));
    // 党建工作部: T11 T17 T18 = 3; problems P5 P10 = 2; closed T17 = 1; completed 1; overdue T11 T18 = 2.
    expect(by.get('党建工作部')).toMatchObject(figures(2, 3, 1, 1, 2, 0));
    // No department: T19 = 1; problem P11 = 1; nothing else. Shown last, with a label.
    expect(by.get(null)).toMatchObject({ label: '未填写责任部门', ...figures(1, 1, 0, 0, 0, 0) });
    expect(s.rows.at(-1)!.key).toBeNull();
    // Rows add up to 4+2+2+1+1+2+1 = 13 problems (P1 and P2 each in two departments, P8 in none),
    // but the total counts each problem once: 12.
    expect(s.rows.reduce((n, r) => n + r.problems, 0)).toBe(13);
    expect(s.totals).toEqual(figures(12, 20, 12, 10, 6, 3));
  });

  it('filters by round and by unit', () => {
    const ctx = setUp();
    const s = summarize(ctx, { groupBy: 'unit', roundId: fx.R1.id });
    const by = new Map(s.rows.map((r) => [r.key, r]));
    // R1 only. UA: P1 P2 P3 = 3; T1–T8 = 8; closed T1 T3 T4 T7 T8 = 5; completed + T6 = 6; overdue T5 T6 = 2; long-term T2 = 1.
    expect(by.get(fx.UA.id)).toMatchObject(figures(3, 8, 6, 5, 2, 1));
    // UB is R1 only: as in the whole ledger.
    expect(by.get(fx.UB.id)).toMatchObject(figures(3, 5, 2, 2, 2, 2));
    // UC in R1: P7 P8 = 2; T14 T15 = 2; closed T14 = 1; completed 1; overdue T15 = 1.
    expect(by.get(fx.UC.id)).toMatchObject(figures(2, 2, 1, 1, 1, 0));
    // Totals = the R1 row of the round grouping.
    expect(s.totals).toEqual(figures(8, 15, 9, 8, 5, 3));

    const u = summarize(ctx, { groupBy: 'round', unitId: fx.UA.id });
    // UA in R2: P9 P10 = 2; T16 T17 T18 = 3; closed T17 = 1; completed T16 T17 = 2; overdue T18 = 1; long-term 0.
    expect(u.rows.map((r) => r.key)).toEqual([fx.R1.id, fx.R2.id]);
    expect(u.rows[1]).toMatchObject(figures(2, 3, 2, 1, 1, 0));
    const both = summarize(ctx, { groupBy: 'category', roundId: fx.R2.id, unitId: fx.UA.id });
    // R2 × UA: P9 (廉洁风险 → 从严治党): T16; P10 (基层): T17 T18.
    expect(both.rows.map((r) => [r.label, r.problems, r.tasks])).toEqual([['履行全面从严治党责任', 1, 1], ['基层党组织建设', 1, 2]]);
  });

  it('does not count soft-deleted problems and tasks, and counts them again once restored', () => {
    const ctx = setUp();
    const before = summarize(ctx, { groupBy: 'unit', unitId: fx.UA.id }).totals;
    // Tdel (deleted, overdue) and T21 (live, but under the deleted problem P13) are not in UA's 11 tasks.
    expect(before).toEqual(figures(5, 11, 8, 6, 3, 1));
    restoreRow(ctx, tasks, fx.T.Tdel!);
    // + Tdel: 12 tasks, overdue + 1 (in progress, deadline 03-31).
    expect(summarize(ctx, { groupBy: 'unit', unitId: fx.UA.id }).totals).toEqual(figures(5, 12, 8, 6, 4, 1));
    restoreRow(ctx, problems, fx.P.P13);
    // + P13 and its closed task T21: 6 problems, 13 tasks, completed and closed + 1.
    expect(summarize(ctx, { groupBy: 'unit', unitId: fx.UA.id }).totals).toEqual(figures(6, 13, 9, 7, 4, 1));
  });

  it('reports a null 销号率 for a group with problems but no tasks', () => {
    const ctx = setUp();
    const s = summarize(ctx, { groupBy: 'category', roundId: fx.R1.id, unitId: fx.UC.id });
    // R1 × UC: P7 (八项规定 → 从严治党) with T14 T15, and P8 (选人用人 → 班子) with no task.
    expect(s.rows.map((r) => [r.label, r.problems, r.tasks, r.closeRate])).toEqual([
      ['履行全面从严治党责任', 1, 2, 0.5], ['领导班子和干部队伍建设', 1, 0, null],
    ]);
  });

  it('rejects a bad grouping, a malformed id and an unknown round, naming the field', () => {
    const ctx = setUp();
    expect(failure(() => summarize(ctx, { groupBy: 'team' }))).toMatchObject({ code: 'VALIDATION', field: 'groupBy' });
    expect(failure(() => summarize(ctx, { groupBy: 'unit', roundId: 'R1' }))).toMatchObject({ code: 'VALIDATION', field: 'roundId' });
    const missing = '01890000-0000-7000-8000-000000000000';
    expect(failure(() => summarize(ctx, { groupBy: 'unit', unitId: missing }))).toMatchObject({ code: 'NOT_FOUND', field: 'unitId' });
    expect(failure(() => summarize(ctx, null))).toMatchObject({ code: 'VALIDATION', field: 'input' });
  });

  it('refuses a caller who is not logged in', () => {
    setUp();
    expect(failure(() => summarize(t.as(null), { groupBy: 'unit' }))).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('clue figures', () => {
  it('counts clues by disposition way per round, unit and sector', () => {
    setUp();
    const ctx = t.as(t.users.reviewer); // 审核员 with the clue permission
    const r = cluesByDisposition(ctx, { groupBy: 'round' });
    expect(r.categories.map((c) => c.label)).toEqual(['待处置', '谈话函询', '初步核实', '暂存待查', '予以了结', '立案审查调查']);
    // R1: C1 谈话函询, C2 初步核实, C3 立案, C4 暂存 = 4. R2: C5 了结, C6 立案 = 2. No round: C7 待处置 = 1. (C8 deleted.)
    expect(r.rows.map((x) => [x.label, x.total])).toEqual([['某省委第一轮巡视', 4], ['某省委第二轮巡视', 2], ['未关联巡视轮次', 1]]);
    expect(r.rows[0]!.counts).toEqual({ received: 0, talk_inquiry: 1, preliminary_verification: 1, shelved: 1, closed_out: 0, case_filed: 1 });
    expect(r.rows[1]!.counts).toEqual({ received: 0, talk_inquiry: 0, preliminary_verification: 0, shelved: 0, closed_out: 1, case_filed: 1 });
    expect(r.rows[2]!.counts).toEqual({ received: 1, talk_inquiry: 0, preliminary_verification: 0, shelved: 0, closed_out: 0, case_filed: 0 });
    // Totals: 7 live clues; 立案 C3 C6 = 2, each other way 1.
    expect(r.totals).toEqual({ total: 7, counts: { received: 1, talk_inquiry: 1, preliminary_verification: 1, shelved: 1, closed_out: 1, case_filed: 2 } });

    const u = cluesByDisposition(ctx, { groupBy: 'unit' });
    const byUnit = new Map(u.rows.map((x) => [x.key, x]));
    // UA: C1 C2 C5 = 3; UB: C3 C7 = 2; UC: C4 C6 = 2.
    expect(byUnit.get(fx.UA.id)!.total).toBe(3);
    expect(byUnit.get(fx.UA.id)!.counts).toMatchObject({ talk_inquiry: 1, preliminary_verification: 1, closed_out: 1 });
    expect(byUnit.get(fx.UB.id)!.counts).toMatchObject({ case_filed: 1, received: 1 });
    expect(byUnit.get(fx.UC.id)!.counts).toMatchObject({ shelved: 1, case_filed: 1 });
    const sec = cluesByDisposition(ctx, { groupBy: 'sector' });
    // 中管企业 = UA + UB = 5; 中管金融企业 = UC = 2.
    expect(sec.rows.map((x) => [x.key, x.total])).toEqual([['central_soe', 5], ['central_finance', 2]]);
    // Filter R2 × UC: C6 only.
    expect(cluesByDisposition(ctx, { roundId: fx.R2.id, unitId: fx.UC.id }).totals.counts.case_filed).toBe(1);
  });

  it('adds up money recovered in fen per round and unit', () => {
    setUp();
    const ctx = t.as(t.users.leader);
    const r = moneyRecovered(ctx, { groupBy: 'round' });
    // R1: C2 1 234 500 + C3 50 000 000 = 51 234 500 fen from 2 clues; R2: C6 300 000 from 1; C8's 999 999 is deleted.
    expect(r.rows.map((x) => [x.key, x.fen, x.clues])).toEqual([[fx.R1.id, 51_234_500, 2], [fx.R2.id, 300_000, 1]]);
    expect(r.totals).toEqual({ fen: 51_534_500, clues: 3 });
    const u = moneyRecovered(ctx, { groupBy: 'unit' });
    // UA: C2; UB: C3; UC: C6.
    expect(new Map(u.rows.map((x) => [x.key, x.fen]))).toEqual(new Map([[fx.UA.id, 1_234_500], [fx.UB.id, 50_000_000], [fx.UC.id, 300_000]]));
    restoreRow(ctx, clues, fx.C.C8);
    expect(moneyRecovered(ctx, {}).totals).toEqual({ fen: 51_534_500 + 999_999, clues: 4 });
  });

  it('gives a user without the clue permission no clue figures at all', () => {
    setUp();
    for (const user of [t.users.entry, t.users.reviewer2, t.users.admin, t.users.readonly]) {
      const ctx = t.as(user);
      expect(failure(() => cluesByDisposition(ctx, { groupBy: 'round' }))).toMatchObject({ code: 'FORBIDDEN', reason: 'clue.read' });
      expect(failure(() => moneyRecovered(ctx, { groupBy: 'unit' }))).toMatchObject({ code: 'FORBIDDEN', reason: 'clue.read' });
      const o = aggregateOverview(ctx, { roundId: fx.R1.id });
      expect(o.clues).toBeNull();
      expect(JSON.stringify(o)).not.toContain('case_filed');
      // The rest of the page is still there.
      expect(o.ledger.tasks).toBe(15);
    }
  });
});

describe('accountability, suggestions and evaluations', () => {
  it('counts people held accountable by form, in 人次', () => {
    const ctx = setUp();
    const r = accountabilityByForm(ctx, { groupBy: 'round' });
    // R1: A1 约谈提醒, A2 诫勉, A3 通报 = 3; R2: A4 约谈提醒, A5 党纪处分 = 2; A6 (组织处理) deleted.
    expect(r.rows.map((x) => [x.key, x.total])).toEqual([[fx.R1.id, 3], [fx.R2.id, 2]]);
    expect(r.totals).toEqual({
      total: 5, counts: { talk_reminder: 2, admonishment: 1, circular: 1, organisational: 0, party_discipline: 1, government_sanction: 0 },
    });
    const u = new Map(accountabilityByForm(ctx, { groupBy: 'unit' }).rows.map((x) => [x.key, x]));
    // UA: A1 A2 A4 (约谈提醒 ×2, 诫勉); UB: A3; UC: A5.
    expect(u.get(fx.UA.id)).toMatchObject({ total: 3, counts: { talk_reminder: 2, admonishment: 1 } });
    expect(u.get(fx.UB.id)).toMatchObject({ total: 1, counts: { circular: 1 } });
    expect(u.get(fx.UC.id)).toMatchObject({ total: 1, counts: { party_discipline: 1 } });
    // By sector: 中管企业 A1 A2 A3 A4 = 4, 中管金融企业 A5 = 1.
    expect(accountabilityByForm(ctx, { groupBy: 'sector' }).rows.map((x) => [x.key, x.total])).toEqual([['central_soe', 4], ['central_finance', 1]]);
  });

  it('counts suggestions answered against the total by round, unit, sector and department', () => {
    const ctx = setUp();
    const r = suggestionsAnswered(ctx, { groupBy: 'round' });
    // R1: S1 已回复, S2 待回复, S3 已采纳, S4 已回复 → 4, answered 3, adopted 1, pending 1. (S7 deleted.)
    expect(r.rows[0]).toEqual({ key: fx.R1.id, label: '某省委第一轮巡视', total: 4, answered: 3, adopted: 1, pending: 1, answerRate: 0.75 });
    // R2: S5 待回复, S6 已采纳 → 2, answered 1, adopted 1, pending 1.
    expect(r.rows[1]).toEqual({ key: fx.R2.id, label: '某省委第二轮巡视', total: 2, answered: 1, adopted: 1, pending: 1, answerRate: 0.5 });
    expect(r.totals).toEqual({ total: 6, answered: 4, adopted: 2, pending: 2, answerRate: 4 / 6 });
    const u = new Map(suggestionsAnswered(ctx, { groupBy: 'unit' }).rows.map((x) => [x.key, x]));
    // UA: S1 S2 S5 → answered S1 = 1 of 3; UB: S3 → 1 of 1; UC: S4 S6 → 2 of 2.
    expect(u.get(fx.UA.id)).toMatchObject({ total: 3, answered: 1, adopted: 0, pending: 2 });
    expect(u.get(fx.UA.id)!.answerRate).toBeCloseTo(1 / 3, 12);
    expect(u.get(fx.UB.id)).toMatchObject({ total: 1, answered: 1, adopted: 1, pending: 0, answerRate: 1 });
    expect(u.get(fx.UC.id)).toMatchObject({ total: 2, answered: 2, adopted: 1, pending: 0, answerRate: 1 });
    const d = new Map(suggestionsAnswered(ctx, { groupBy: 'department' }).rows.map((x) => [x.key, x]));
    // 发展改革委: S1 S6 → 2 answered; 国资委: S2 S3 → 1 answered; 财政厅: S4 S5 → 1 answered.
    expect(d.get('某省发展改革委')).toMatchObject({ total: 2, answered: 2, adopted: 1, pending: 0 });
    expect(d.get('某省国资委')).toMatchObject({ total: 2, answered: 1, adopted: 1, pending: 1 });
    expect(d.get('某省财政厅')).toMatchObject({ total: 2, answered: 1, adopted: 0, pending: 1 });
    // 中管企业: S1 S2 S3 S5 → 2 answered of 4; 中管金融企业: S4 S6 → 2 of 2.
    expect(suggestionsAnswered(ctx, { groupBy: 'sector' }).rows.map((x) => [x.key, x.total, x.answered])).toEqual([
      ['central_soe', 4, 2], ['central_finance', 2, 2],
    ]);
  });

  it('counts unit evaluations by grade, or task evaluations when asked', () => {
    const ctx = setUp();
    const r = evaluationsByGrade(ctx, { groupBy: 'round' });
    expect(r.targetType).toBe('unit');
    // R1: V1 好, V2 一般, V3 较好, V5 好 (回头看 of the same inspection) = 4; R2: V4 差 = 1. V6 rates a task; V7 deleted.
    expect(r.rows.map((x) => [x.key, x.total])).toEqual([[fx.R1.id, 4], [fx.R2.id, 1]]);
    expect(r.rows[0]!.counts).toEqual({ good: 2, fairly_good: 1, average: 1, poor: 0 });
    expect(r.totals).toEqual({ total: 5, counts: { good: 2, fairly_good: 1, average: 1, poor: 1 } });
    const u = new Map(evaluationsByGrade(ctx, { groupBy: 'unit' }).rows.map((x) => [x.key, x]));
    // UA: V1 V5 好, V4 差 = 3; UB: V2 一般; UC: V3 较好.
    expect(u.get(fx.UA.id)).toMatchObject({ total: 3, counts: { good: 2, poor: 1 } });
    expect(u.get(fx.UB.id)).toMatchObject({ total: 1, counts: { average: 1 } });
    expect(u.get(fx.UC.id)).toMatchObject({ total: 1, counts: { fairly_good: 1 } });
    // Task ratings: V6 差 (T1, R1 × UA) only.
    expect(evaluationsByGrade(ctx, { targetType: 'task' }).totals).toEqual({ total: 1, counts: { good: 0, fairly_good: 0, average: 0, poor: 1 } });
    expect(failure(() => evaluationsByGrade(ctx, { targetType: 'office' }))).toMatchObject({ code: 'VALIDATION', field: 'targetType' });
  });
});

describe('overview for the home page', () => {
  it('gives one round every figure, clues included for a user allowed to see them', () => {
    setUp();
    const o = aggregateOverview(t.as(t.users.reviewer), { roundId: fx.R1.id });
    expect(o.today).toBe(TODAY);
    // The R1 figures of the round summary.
    expect(o.ledger).toEqual(figures(8, 15, 9, 8, 5, 3));
    // R1 clues C1–C4 with 1 234 500 + 50 000 000 fen.
    expect(o.clues).toEqual({
      total: 4, moneyRecoveredFen: 51_234_500,
      counts: { received: 0, talk_inquiry: 1, preliminary_verification: 1, shelved: 1, closed_out: 0, case_filed: 1 },
    });
    // R1: A1 A2 A3; S1–S4 with 3 answered; V1 V2 V3 V5.
    expect(o.accountability.total).toBe(3);
    expect(o.suggestions).toMatchObject({ total: 4, answered: 3 });
    expect(o.evaluations).toEqual({ total: 4, counts: { good: 2, fairly_good: 1, average: 1, poor: 0 } });
  });
});
