/**
 * 报告文稿 (db/reports/drafts.ts) on a real ledger built through the services (report-world.ts):
 * the progress report's figures are the engine's aggregates and its item lists agree with them,
 * the supervision report covers reviews, returns and extensions and never reads clues, and the
 * disclosure draft leaves out what is flagged 不予公开, saying how much only when internal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { summarize } from '../../db/analysis/aggregates.js';
import { draftSchema, draftText, type DraftBlock, type ReportDraft } from '../../db/domain/report-draft.js';
import { chineseNumeral, formatDate, formatPercent, pageNumberText } from '../../db/domain/report-text.js';
import { buildDraft, type DraftResult } from '../../db/reports/drafts.js';
import { createTestTransport } from '../../db/bridge/dispatch.js';
import { makeHandlers } from '../../db/bridge/handlers.js';
import { expectRefused, UNKNOWN_ID } from '../helpers/expect.js';
import { makeReportWorld, TEXT, TODAY } from './report-world.js';

let w: ReturnType<typeof makeReportWorld>;
beforeAll(() => {
  w = makeReportWorld();
});
afterAll(() => w?.t.close());

const reader = () => w.t.as(w.t.users.readonly);
const draft = (kind: 'progress' | 'supervision' | 'disclosure', o: { unit?: boolean; internal?: boolean } = {}): DraftResult =>
  buildDraft(reader(), { kind, roundId: w.round.id, unitId: o.unit === false ? null : w.ua.id, internal: o.internal ?? false });

/** The blocks of the section whose heading contains `words`. */
function section(d: ReportDraft, words: string): DraftBlock[] {
  const s = d.sections.find((x) => x.heading.includes(words));
  if (!s) throw new Error(`no section ${words} in ${d.sections.map((x) => x.heading).join(' / ')}`);
  return s.blocks;
}
const listItems = (blocks: DraftBlock[]) => blocks.flatMap((b) => (b.type === 'list' ? b.items : []));
const tables = (d: ReportDraft) => d.sections.flatMap((s) => s.blocks).filter((b): b is Extract<DraftBlock, { type: 'table' }> => b.type === 'table');

describe('report-text: one way of writing numbers and dates', () => {
  it('writes dates in full without leading zeros, rates to a tenth of a percent, and no rate as a dash', () => {
    expect(formatDate('2024-06-15')).toBe('2024年6月15日');
    expect(formatDate('2024-01-05')).toBe('2024年1月5日');
    expect(formatPercent(2 / 7)).toBe('28.6%');
    expect(formatPercent(0.25)).toBe('25%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.0005)).toBe('0.1%');
    expect(formatPercent(null)).toBe('—');
    expect([1, 10, 12, 20, 21].map(chineseNumeral)).toEqual(['一', '十', '十二', '二十', '二十一']);
    expect(pageNumberText(3)).toBe('— 3 —');
  });
});

describe('集中整改进展情况报告', () => {
  it('prints the figures of the aggregates (summarize) for a unit, which are the hand-counted ones', () => {
    const { draft: d, facts } = draft('progress');
    const agg = summarize(reader(), { groupBy: 'unit', roundId: w.round.id, unitId: w.ua.id }).totals;
    expect(facts.figures).toEqual(agg);
    // The known mix (report-world.ts): T4's returned close-out keeps its completion date, so it counts as completed.
    expect(agg).toEqual({ problems: 4, tasks: 7, completed: 4, closed: 2, closeRate: 2 / 7, overdue: 2, longTermOpen: 1 });
    const [table] = tables(d);
    expect(table!.rows).toEqual([['某某集团有限公司', '4', '7', '4', '3', '2', '2', '28.6%', '1']]);
    const text = draftText(d);
    expect(text).toContain('共有反馈问题4个，制定整改任务7项，已完成4项，尚未完成3项（其中逾期2项）；已销号2项，销号率28.6%');
    expect(text).toContain(`截至${formatDate(TODAY)}`);
  });

  it('for a whole round prints one row per unit and a total, each the aggregates of that unit', () => {
    const { draft: d, facts } = draft('progress', { unit: false });
    const agg = summarize(reader(), { groupBy: 'unit', roundId: w.round.id });
    expect(facts.figures).toEqual(agg.totals);
    expect(agg.totals).toMatchObject({ problems: 5, tasks: 8, completed: 4, closed: 2, overdue: 3, longTermOpen: 1 });
    const [table] = tables(d);
    expect(table!.rows).toEqual([
      ...agg.rows.map((r) => [r.label, String(r.problems), String(r.tasks), String(r.completed), String(r.tasks - r.completed), String(r.overdue), String(r.closed), formatPercent(r.closeRate), String(r.longTermOpen)]),
      ['合计', '5', '8', '4', '4', '3', '2', '25%', '1'],
    ]);
  });

  it('lists as many completed items as the completed figure, and as many unfinished items as the rest', () => {
    for (const unit of [true, false]) {
      const { draft: d, facts } = draft('progress', { unit });
      expect(listItems(section(d, '已完成的整改事项'))).toHaveLength(facts.figures.completed);
      expect(listItems(section(d, '尚未完成'))).toHaveLength(facts.figures.tasks - facts.figures.completed);
    }
    const done = listItems(section(draft('progress').draft, '已完成的整改事项')).join('\n');
    expect(done).toContain(TEXT.T1.replace(/。$/, ''));
    expect(done).toContain('销号申请被退回');
  });

  it('gives the reasons of unfinished items: the extension reason, the latest progress, and asks for a missing one', () => {
    const open = listItems(section(draft('progress', { unit: false }).draft, '尚未完成'));
    const t3 = open.find((x) => x.includes('全面清退违规发放的津贴补贴'))!;
    expect(t3).toContain(`未完成原因：${TEXT.EXTENSION_REASON}（已同意延期至2024年5月20日）`);
    expect(t3).toContain('原时限2024年4月30日');
    expect(t3).toContain('已逾期12天');
    expect(t3).toContain(TEXT.PROGRESS_T3.replace(/。$/, ''));
    const t8 = open.find((x) => x.includes('软弱涣散'))!;
    expect(t8).toContain('未完成原因：（请补充）');
    const t7 = open.find((x) => x.includes('全面复核干部人事档案'))!;
    expect(t7).toContain('尚在整改时限内');
  });

  it('reports long-term tasks with their measures and staged goals, done or not', () => {
    const items = listItems(section(draft('progress').draft, '长期整改任务'));
    expect(items).toHaveLength(1);
    expect(items[0]).toContain(TEXT.T2.replace(/。$/, ''));
    expect(items[0]).toContain(`第一阶段：${TEXT.STAGE1}（2024年5月31日前，已于2024年4月18日完成）`);
    expect(items[0]).toContain(`第二阶段：${TEXT.STAGE2}（2024年12月31日前，正在推进）`);
  });

  it('says how the unit organised the work: its plan, its 专题民主生活会 and the key problems its leaders lead', () => {
    const text = draftText(draft('progress').draft);
    expect(text).toContain('2024年2月20日印发《某某集团有限公司党委落实巡视反馈意见整改方案》（某集团党〔2024〕8号）');
    expect(text).toContain('2024年3月15日召开巡视整改专题民主生活会');
    expect(text).toContain('1个重点难点问题由陈某某带头领办');
  });
});

describe('整改监督情况报告（纪检监察机关）', () => {
  it('covers supervision activities, close-out reviews with the returned one, and extension decisions', () => {
    const { draft: d, facts } = draft('supervision');
    expect(facts.figures).toEqual(summarize(reader(), { groupBy: 'unit', roundId: w.round.id, unitId: w.ua.id }).totals);
    expect(listItems(section(d, '日常监督'))).toHaveLength(2);
    const text = draftText(d);
    expect(text).toContain('共开展整改监督2次，其中审核整改方案1次、调研督导1次');
    expect(text).toContain('审核销号申请3次，同意销号2次，退回1次');
    expect(text).toContain(`理由：${TEXT.RETURN_REASON.replace(/。$/, '')}`);
    expect(text).toContain('收到延期申请1件，同意1件');
    expect(text).toContain(TEXT.EXTENSION_REASON);
    expect(text).toContain('开展整改评估1次，评定为较好1次');
    expect(d.marking).toBe('内部资料　注意保存');
  });

  it('for the round also reports the escalation notice and the accountability of the other unit', () => {
    const text = draftText(draft('supervision', { unit: false }).draft);
    expect(text).toContain('向某某能源集团有限公司发出通知书（某纪督〔2024〕3号）');
    expect(text).toContain('追责问责1人次，其中约谈提醒1人次');
    expect(text).toContain('党建工作部部长赵某');
  });

  it('never contains 问题线索 content, whatever the kind and even for a user with the clue right', () => {
    const clueReader = w.t.as(w.t.users.reviewer);
    for (const kind of ['progress', 'supervision', 'disclosure'] as const) {
      for (const unitId of [w.ua.id, null]) {
        const text = draftText(buildDraft(clueReader, { kind, roundId: w.round.id, unitId, internal: true }).draft);
        expect(text).not.toContain(TEXT.CLUE_SUBJECT);
        expect(text).not.toContain(TEXT.CLUE_SUMMARY.slice(0, 8));
      }
    }
  });
});

describe('整改情况公开', () => {
  const withheld = [TEXT.P3, TEXT.T5, TEXT.T6].map((s) => s.replace(/。$/, '').slice(0, 10));

  it('leaves out the problem and the task flagged 不予公开, and counts only what it publishes', () => {
    const { draft: d, facts } = draft('disclosure');
    const text = draftText(d);
    for (const s of withheld) expect(text).not.toContain(s);
    for (const s of [TEXT.P1, TEXT.P2, TEXT.P4, TEXT.T1, TEXT.T3, TEXT.T7]) expect(text).toContain(s.replace(/。$/, '').slice(0, 10));
    expect(facts.leftOut).toEqual({ problems: 1, tasks: 2 });
    expect(facts.figures).toMatchObject({ problems: 3, tasks: 5, completed: 2 });
    expect(text).toContain('对巡视反馈的3个问题，制定整改措施5项');
    expect(listItems(section(d, '整改落实情况'))).toHaveLength(5);
  });

  it('says nothing of what was left out in the public version, nor any person’s name', () => {
    const { draft: d } = draft('disclosure');
    const text = draftText(d);
    expect(text).not.toMatch(/不予公开|未列入|内部/);
    expect(text).not.toContain(TEXT.HIDDEN_REASON);
    for (const name of ['陈某某', '刘某', '赵某']) expect(text).not.toContain(name);
    expect(d.marking).toBe('');
  });

  it('says how many items were left out in the internal version only, marked as internal', () => {
    const { draft: d, facts } = draft('disclosure', { internal: true });
    const text = draftText(d);
    expect(facts.internal).toBe(true);
    expect(d.marking).toContain('内部');
    expect(text).toContain('标注为不予公开的问题1个、整改任务2项');
    for (const s of withheld) expect(text).not.toContain(s);
  });
});

describe('reports:draft through the bridge', () => {
  it('returns the draft over the test transport, and the draft validates as an edited draft', async () => {
    const api = createTestTransport(makeHandlers({ user: null }), () => reader());
    const r = await api.invoke('reports:draft', { kind: 'progress', roundId: w.round.id, unitId: w.ua.id });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const res = r.value as DraftResult;
    expect(res.facts.figures.tasks).toBe(7);
    expect(v.safeParse(draftSchema, res.draft).success).toBe(true);
  });

  it('refuses nobody logged in, an unknown round, and an unknown kind, writing nothing', () => {
    expectRefused(w.t, () => buildDraft(w.t.as(null), { kind: 'progress' }), 'FORBIDDEN');
    expectRefused(w.t, () => buildDraft(reader(), { kind: 'progress', roundId: UNKNOWN_ID }), 'NOT_FOUND', 'roundId');
    expectRefused(w.t, () => buildDraft(reader(), { kind: 'memo' }), 'VALIDATION', 'kind');
  });
});
