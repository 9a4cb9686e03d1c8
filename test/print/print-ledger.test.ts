/**
 * 法定台账打印 in the engine (db/services/print-ledger.ts) on a real ledger: the rows of each
 * printed ledger, a problem's cells over its task rows, the unit summary equal to the engine's
 * 汇总, and the clue ledger only with the clue right, only when confirmed, each printing in the
 * audit trail in the same call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTransport } from '../../db/bridge/dispatch.js';
import { makeHandlers } from '../../db/bridge/handlers.js';
import { summarize } from '../../db/analysis/aggregates.js';
import { verifyAudit } from '../../db/core/audit.js';
import { createActivity } from '../../db/services/activities.js';
import { MAX_PRINTED_ROWS, printClues, printRectification, printSummary, printSupervision } from '../../db/services/print-ledger.js';
import { ledgerRows } from '../../db/queries/statutory.js';
import { buildAnalysisFixture, type AnalysisFixture } from '../helpers/analysis-fixture.js';
import { expectError as expectDomainError, expectRefused, UNKNOWN_ID } from '../helpers/expect.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';
import { fxProblem, fxTask, fxUnit, categoryId } from '../helpers/fixtures.js';

let t: TestLedger;
let w: AnalysisFixture;

beforeAll(() => {
  t = makeTestLedger({ today: '2024-06-01' });
  w = buildAnalysisFixture(t);
});
afterAll(() => t?.close());

const auditRows = () => t.ledger.sqlite.prepare("SELECT * FROM audit_log WHERE entity = 'clues' AND action = 'print' ORDER BY seq").all() as { user_id: string; entity_id: string; after: string }[];

describe('巡视整改台账', () => {
  it('gives each live problem once with its live tasks as rows, unit by unit, in 序号 order', () => {
    const r = printRectification(t.as(t.users.readonly), { roundId: w.R1.id });
    expect(r.head.roundName).toBe('某省委第一轮巡视');
    expect(r.head.unitName).toBeNull();
    expect(r.head.printedOn).toBe('2024年6月1日');
    expect(r.head.officeName).toBe('某省纪委监委第三监督检查室');
    // Units in name order (the export's order), R1's problems only, P13 (deleted) absent.
    expect(r.units.map((u) => u.unitName)).toEqual(['某某能源集团有限公司', '某某银行股份有限公司', '某某集团有限公司'].sort((a, b) => a.localeCompare(b)));
    const ua = r.units.find((u) => u.unitId === w.UA.id)!;
    expect(ua.problems.map((p) => p.problemId)).toEqual([w.P.P1.id, w.P.P2.id, w.P.P3.id]);
    const p1 = ua.problems[0]!;
    expect(p1.seq).toBe(w.P.P1.seq);
    expect(p1.category).toBe('推动高质量发展');
    expect(p1.description).toBe(w.P.P1.description);
    // The spans: P1's tasks, the deleted one (Tdel) not among them.
    const live = (pid: string) => Object.values(w.T).filter((x) => x.problemId === pid && !x.deletedAt).map((x) => x.id);
    expect(p1.tasks.map((x) => x.taskId)).toEqual(live(w.P.P1.id));
    expect(p1.tasks.map((x) => x.taskId)).not.toContain(w.T.Tdel!.id);
    expect(p1.tasks.every((x) => x.cells.length === 10)).toBe(true);
    const all = r.units.flatMap((u) => u.problems);
    expect(r.rows).toBe(all.reduce((n, p) => n + p.tasks.length, 0));
    expect(all.map((p) => p.problemId)).not.toContain(w.P.P13.id);
  });

  it('prints the same cells as 导出台账 (one shared query)', () => {
    const r = printRectification(t.as(t.users.admin), { unitId: w.UA.id });
    const printed = r.units.flatMap((u) => u.problems.flatMap((p) => p.tasks.map((x) => [p.seq, p.category, p.description, ...x.cells])));
    const exported = [...ledgerRows(t.as(t.users.admin), { unitId: w.UA.id })].map((x) => x.values);
    expect(printed).toEqual(exported);
    // 整改时限 in print form, 长期坚持 with its date; 完成情况 of a closed task.
    const t17 = r.units[0]!.problems.flatMap((p) => p.tasks).find((x) => x.taskId === w.T.T17!.id)!;
    expect(t17.cells[4]).toBe('长期坚持（2024年12月31日）');
    expect(t17.cells[6]).toBe('已完成（2024年5月10日）');
    expect(r.head.unitName).toBe('某某集团有限公司');
  });

  it('keeps a problem without tasks as one row with empty task cells', () => {
    const ctx = t.as(t.users.admin);
    const u = fxUnit(ctx, { name: '某某大学' });
    const p = fxProblem(ctx, { unitId: u.id, categoryId: categoryId(ctx, '选人用人'), seq: 1, description: '干部选拔任用程序不规范。' });
    const r = printRectification(ctx, { unitId: u.id });
    expect(r.units).toHaveLength(1);
    expect(r.units[0]!.problems).toEqual([{ problemId: p.id, seq: 1, category: '选人用人', description: '干部选拔任用程序不规范。', tasks: [{ taskId: null, cells: Array(10).fill('') }] }]);
  });

  it('refuses a ledger above the print limit with CONFLICT too_many, and an unknown unit with NOT_FOUND', () => {
    const ctx = t.as(t.users.admin);
    const u = fxUnit(ctx, { name: '某某超大集团' });
    const p = fxProblem(ctx, { unitId: u.id, categoryId: categoryId(ctx, '选人用人') });
    const insert = t.ledger.sqlite.transaction(() => {
      for (let k = 0; k <= MAX_PRINTED_ROWS; k++) fxTask(ctx, { problemId: p.id, unitId: u.id, seq: k + 1 });
    });
    insert();
    expectDomainError(() => printRectification(ctx, { unitId: u.id }), 'CONFLICT');
    expect(() => printRectification(ctx, { unitId: u.id })).toThrow(/超过一次打印的上限 5000 行/);
    expectDomainError(() => printRectification(ctx, { unitId: UNKNOWN_ID }), 'NOT_FOUND', 'unitId');
  });
});

describe('整改监督台账', () => {
  it('lists the live supervision activities in date order with the problems each concerns', () => {
    const ctx = t.as(t.users.reviewer);
    const a2 = createActivity(ctx, {
      roundId: w.R1.id, unitId: w.UA.id, kind: 'site_inspection', activityDate: '2024-04-20', title: '现场检查整改落实情况',
      participants: '张某某、李某', findings: '部分整改措施落实不到位。', problemIds: [w.P.P2.id, w.P.P1.id],
    });
    const a1 = createActivity(ctx, {
      roundId: w.R1.id, unitId: w.UA.id, kind: 'feedback_meeting', activityDate: '2024-02-01', title: '参加巡视反馈会议', participants: null, findings: null, problemIds: [],
    });
    createActivity(ctx, { roundId: w.R2.id, unitId: w.UA.id, kind: 'plan_review', activityDate: '2024-03-01', title: '审核整改方案', participants: null, findings: null, problemIds: [] });
    const r = printSupervision(t.as(t.users.readonly), { roundId: w.R1.id });
    expect(r.rows.map((x) => x.id)).toEqual([a1.id, a2.id]);
    const row = r.rows[1]!;
    expect(row).toMatchObject({ activityDate: '2024年4月20日', kind: '现场检查', unitName: '某某集团有限公司', participants: '张某某、李某', findings: '部分整改措施落实不到位。' });
    expect(row.problems.split('\n')).toEqual([`第${w.P.P1.seq}项：${w.P.P1.description}`, `第${w.P.P2.seq}项：${w.P.P2.description}`]);
  });
});

describe('单位整改情况汇总表', () => {
  it('has the figures of the engine’s 汇总 by unit, row by row and in total', () => {
    for (const scope of [{}, { roundId: w.R1.id }, { roundId: w.R2.id }, { unitId: w.UA.id }]) {
      const r = printSummary(t.as(t.users.readonly), scope);
      const engine = summarize(t.as(t.users.readonly), { groupBy: 'unit', ...scope });
      expect(r.rows).toEqual(engine.rows);
      expect(r.totals).toEqual(engine.totals);
    }
    const r1 = printSummary(t.as(t.users.readonly), { roundId: w.R1.id });
    // Hand-checked against the fixture: R1 has P1-P8 live (P13 deleted).
    expect(r1.totals.problems).toBe(8);
    expect(r1.rows.reduce((n, x) => n + x.tasks, 0)).toBe(r1.totals.tasks);
  });
});

describe('问题线索处置台账', () => {
  it('is refused to a user without the clue right with FORBIDDEN clue.read, and nothing is written', () => {
    const before = auditRows().length;
    for (const u of [t.users.entry, t.users.reviewer2, t.users.leader2, t.users.readonly]) {
      expectRefused(t, () => printClues(t.as(u), { confirmed: true }), 'FORBIDDEN', undefined, 'clue.read');
    }
    expectRefused(t, () => printClues(t.as(null), { confirmed: true }), 'FORBIDDEN');
    expect(auditRows().length).toBe(before);
  });

  it('is refused without the confirmation, and nothing is written', () => {
    const before = auditRows().length;
    expectRefused(t, () => printClues(t.as(t.users.reviewer), { roundId: w.R1.id } as never), 'VALIDATION', 'confirmed');
    expectRefused(t, () => printClues(t.as(t.users.reviewer), { confirmed: false } as never), 'VALIDATION', 'confirmed');
    expect(auditRows().length).toBe(before);
  });

  it('gives the live clues with their disposition and writes one print entry per printing naming every clue printed', () => {
    const before = auditRows().length;
    const r = printClues(t.as(t.users.reviewer), { roundId: w.R1.id, confirmed: true });
    const ids = [w.C.C1, w.C.C2, w.C.C3, w.C.C4].map((c) => c.id);
    expect(r.rows.map((c) => c.id).sort()).toEqual([...ids].sort());
    const c3 = r.rows.find((c) => c.id === w.C.C3.id)!;
    expect(c3).toMatchObject({ subjectName: '某某某', unitName: '某某能源集团有限公司', disposition: '立案审查调查', outcome: '党纪处分', money: '500000.00', receivedOn: '2024年2月5日', receivingOrgan: '中央纪委国家监委机关' });
    const rows = auditRows();
    expect(rows.length).toBe(before + 1);
    const last = rows.at(-1)!;
    expect(last.user_id).toBe(t.users.reviewer.id);
    const detail = JSON.parse(last.after) as { ledger: string; ids: string[]; total: number; filter: { roundId: string } };
    expect(detail).toMatchObject({ ledger: '问题线索处置台账', total: 4, filter: { roundId: w.R1.id } });
    expect(detail.ids).toEqual(r.rows.map((c) => c.id));
    // Printing again is another entry; the trail still verifies.
    printClues(t.as(t.users.leader), { unitId: w.UB.id, confirmed: true });
    expect(auditRows().length).toBe(before + 2);
    expect(verifyAudit(t.ledger).ok).toBe(true);
  });

  it('goes through the bridge with the same refusal code for a user without the right', async () => {
    let user = t.users.entry;
    const api = createTestTransport(makeHandlers({ user: null }), () => t.as(user));
    const refused = await api.invoke('ledgers:clues', { confirmed: true });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'clue.read' } });
    user = t.users.reviewer;
    const ok = await api.invoke('ledgers:clues', { confirmed: true });
    expect(ok.ok).toBe(true);
    const sum = await api.invoke('ledgers:summary', { roundId: w.R1.id });
    expect(sum).toMatchObject({ ok: true, value: { kind: 'summary' } });
  });
});
