import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../db/core/audit.js';
import type { ServiceContext } from '../../db/core/context.js';
import { inspections, problems, tasks } from '../../db/schema/index.js';
import {
  createUnit, deleteUnit, getUnit, handoverLeader, listUnits, restoreUnit, setInitialLeader, setOverhaul,
  updateLeader, updateUnit,
} from '../../db/services/units.js';
import { LEN } from '../../db/domain/fields.js';
import { softDelete } from '../../db/core/write.js';
import { auditCount, expectRefused, UNKNOWN_ID } from '../helpers/expect.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxTask } from '../helpers/fixtures.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';

let t: TestLedger;
let entry: ServiceContext;
beforeEach(() => {
  t = makeTestLedger({ today: '2024-03-01' });
  entry = t.as(t.users.entry);
});
afterEach(() => t.close());

describe('units', () => {
  it('creates a unit with its sector and an optional parent', () => {
    const parent = createUnit(entry, { name: '某某集团有限公司', sector: 'central_soe' });
    const child = createUnit(entry, { name: '某某集团某省分公司', sector: 'central_soe', parentUnitId: parent.id });
    expect(child).toMatchObject({ parentUnitId: parent.id, underOverhaul: false, leaderName: null, deletedAt: null });
    expect(getUnit(entry, { id: child.id }).name).toBe('某某集团某省分公司');
  });

  it('validates name, sector and parent', () => {
    expectRefused(t, () => createUnit(entry, { sector: 'central_soe' }), 'VALIDATION', 'name', 'required');
    expectRefused(t, () => createUnit(entry, { name: '单'.repeat(LEN.short + 1), sector: 'central_soe' }), 'VALIDATION', 'name', 'too_long');
    expectRefused(t, () => createUnit(entry, { name: '某某银行', sector: 'bank' }), 'VALIDATION', 'sector', 'bad_choice');
    expectRefused(t, () => createUnit(entry, { name: '某某银行', sector: 'central_finance', parentUnitId: UNKNOWN_ID }), 'NOT_FOUND', 'parentUnitId');
    expectRefused(t, () => createUnit(t.as(t.users.readonly), { name: '某某银行', sector: 'central_finance' }), 'FORBIDDEN');
  });

  it('refuses a parent that would make the hierarchy circular', () => {
    const a = createUnit(entry, { name: '某省', sector: 'province' });
    const b = createUnit(entry, { name: '某省某市', sector: 'city_county', parentUnitId: a.id });
    const c = createUnit(entry, { name: '某省某市某县', sector: 'city_county', parentUnitId: b.id });
    expectRefused(t, () => updateUnit(entry, { id: a.id, parentUnitId: c.id }), 'VALIDATION', 'parentUnitId', 'cycle');
    expectRefused(t, () => updateUnit(entry, { id: a.id, parentUnitId: a.id }), 'VALIDATION', 'parentUnitId', 'cycle');
    expect(updateUnit(entry, { id: c.id, parentUnitId: a.id, name: '某省某县' })).toMatchObject({ parentUnitId: a.id, name: '某省某县' });
    expect(updateUnit(entry, { id: c.id, parentUnitId: null }).parentUnitId).toBeNull();
  });

  it('names the field of an unknown unit id', () => {
    expectRefused(t, () => getUnit(entry, { id: UNKNOWN_ID }), 'NOT_FOUND', 'id');
    expectRefused(t, () => updateUnit(entry, { id: UNKNOWN_ID, name: '某单位' }), 'NOT_FOUND', 'id');
    expectRefused(t, () => setInitialLeader(entry, { unitId: UNKNOWN_ID, name: '张某某', post: '党委书记', fromDate: '2023-01-01' }), 'NOT_FOUND', 'unitId');
    expectRefused(t, () => handoverLeader(entry, { unitId: UNKNOWN_ID, toName: '李某', toPost: '党委书记', date: '2024-01-01' }), 'NOT_FOUND', 'unitId');
    expectRefused(t, () => setOverhaul(entry, { unitId: UNKNOWN_ID, underOverhaul: true, note: '问题集中' }), 'NOT_FOUND', 'unitId');
  });

  it('filters the unit list by sector, name and round, in name order', () => {
    const soe = createUnit(entry, { name: '某某能源集团有限公司', sector: 'central_soe' });
    const bank = createUnit(entry, { name: '某某银行股份有限公司', sector: 'central_finance' });
    const pct = createUnit(entry, { name: '某某100%控股公司', sector: 'central_soe' });
    const round = fxRound(entry);
    fxInspection(entry, { roundId: round.id, unitId: bank.id });
    expect(listUnits(entry).items.map((u) => u.id)).toEqual([pct.id, soe.id, bank.id]);
    expect(listUnits(entry, { sector: 'central_soe' }).items.map((u) => u.id)).toEqual([pct.id, soe.id]);
    expect(listUnits(entry, { q: '银行' }).items.map((u) => u.id)).toEqual([bank.id]);
    // LIKE wildcards typed by the user are matched literally.
    expect(listUnits(entry, { q: '%' }).items.map((u) => u.id)).toEqual([pct.id]);
    expect(listUnits(entry, { roundId: round.id }).items.map((u) => u.id)).toEqual([bank.id]);
    expectRefused(t, () => listUnits(entry, { sector: 'mars' }), 'VALIDATION', 'sector');
    expect(listUnits(t.as(t.users.readonly)).items).toHaveLength(3);
  });

  it('pages the unit list with a cursor', () => {
    const ids = ['甲', '乙', '丙', '丁', '戊'].map((n) => createUnit(entry, { name: `某某${n}公司`, sector: 'other' }).id);
    const p1 = listUnits(entry, { limit: 2 });
    expect(p1.items).toHaveLength(2);
    expect(p1.nextAfter).not.toBeNull();
    const p2 = listUnits(entry, { limit: 2, after: p1.nextAfter });
    const p3 = listUnits(entry, { limit: 2, after: p2.nextAfter });
    expect(p3.nextAfter).toBeNull();
    const seen = [...p1.items, ...p2.items, ...p3.items].map((u) => u.id);
    expect(seen.sort()).toEqual([...ids].sort());
    expect(listUnits(entry, {}).items.map((u) => u.id)).toEqual([...p1.items, ...p2.items, ...p3.items].map((u) => u.id));
    expectRefused(t, () => listUnits(entry, { after: 'not-a-cursor' }), 'VALIDATION', 'after', 'bad_cursor');
    expectRefused(t, () => listUnits(entry, { limit: 0 }), 'VALIDATION', 'limit');
  });

  it('deletes a unit with a reason and restores it', () => {
    const u = createUnit(entry, { name: '某某公司', sector: 'other' });
    expectRefused(t, () => deleteUnit(entry, { id: u.id, reason: '' }), 'VALIDATION', 'reason', 'required');
    expect(deleteUnit(entry, { id: u.id, reason: '重复录入' }).deletedReason).toBe('重复录入');
    expect(listUnits(entry).items).toHaveLength(0);
    expect(listUnits(entry, { includeDeleted: true }).items).toHaveLength(1);
    expectRefused(t, () => getUnit(entry, { id: u.id }), 'NOT_FOUND', 'id');
    expect(restoreUnit(entry, { id: u.id }).deletedAt).toBeNull();
    expectRefused(t, () => restoreUnit(entry, { id: UNKNOWN_ID }), 'NOT_FOUND', 'id');
  });

  it('refuses to delete a unit with live problems, inspections or subordinate units', () => {
    const u = createUnit(entry, { name: '某某公司', sector: 'other' });
    const round = fxRound(entry);
    const { inspection } = fxInspection(entry, { roundId: round.id, unitId: u.id });
    expectRefused(t, () => deleteUnit(entry, { id: u.id, reason: '撤并' }), 'CONFLICT', undefined, 'in_use');
    softDelete(entry, inspections, inspection, '移除');
    const p = fxProblem(entry, { unitId: u.id, categoryId: categoryId(entry, '选人用人') });
    expectRefused(t, () => deleteUnit(entry, { id: u.id, reason: '撤并' }), 'CONFLICT', undefined, 'in_use');
    softDelete(entry, problems, p, '删除');
    const child = createUnit(entry, { name: '某某公司下属单位', sector: 'other', parentUnitId: u.id });
    expectRefused(t, () => deleteUnit(entry, { id: u.id, reason: '撤并' }), 'CONFLICT', undefined, 'has_children');
    deleteUnit(entry, { id: child.id, reason: '撤并' });
    deleteUnit(entry, { id: u.id, reason: '撤并' });
    expectRefused(t, () => restoreUnit(entry, { id: child.id }), 'CONFLICT', undefined, 'parent_deleted');
  });
});

describe('overhaul (整顿)', () => {
  it('requires a note when a unit is put under overhaul, not when it is lifted', () => {
    const u = createUnit(entry, { name: '某某公司', sector: 'central_soe' });
    expectRefused(t, () => setOverhaul(entry, { unitId: u.id, underOverhaul: true }), 'VALIDATION', 'note', 'required');
    expectRefused(t, () => setOverhaul(entry, { unitId: u.id, underOverhaul: true, note: '   ' }), 'VALIDATION', 'note', 'required');
    expectRefused(t, () => setOverhaul(entry, { unitId: u.id, note: '问题集中' }), 'VALIDATION', 'underOverhaul', 'required');
    expectRefused(t, () => setOverhaul(entry, { unitId: u.id, underOverhaul: 'yes', note: '问题集中' }), 'VALIDATION', 'underOverhaul');
    expectRefused(t, () => setOverhaul(t.as(t.users.readonly), { unitId: u.id, underOverhaul: true, note: '问题集中' }), 'FORBIDDEN');
    const on = setOverhaul(entry, { unitId: u.id, underOverhaul: true, note: '巡视发现问题集中，列为整顿单位' });
    expect(on).toMatchObject({ underOverhaul: true, overhaulNote: '巡视发现问题集中，列为整顿单位' });
    const off = setOverhaul(entry, { unitId: u.id, underOverhaul: false });
    expect(off).toMatchObject({ underOverhaul: false, overhaulNote: null });
    const actions = t.ledger.sqlite
      .prepare("SELECT action FROM audit_log WHERE entity = 'units' AND entity_id = ? ORDER BY seq").all(u.id) as { action: string }[];
    expect(actions.map((a) => a.action)).toEqual(['create', 'overhaul_set', 'overhaul_lift']);
  });
});

describe('principal leaders and 整改责任交接', () => {
  function unitWithLeader() {
    const u = createUnit(entry, { name: '某某集团有限公司', sector: 'central_soe' });
    const l = setInitialLeader(entry, { unitId: u.id, name: '张某某', post: '党委书记、董事长', fromDate: '2021-06-01' });
    return { u, l };
  }

  it('records the first leader without a handover', () => {
    const { u, l } = unitWithLeader();
    expect(l).toMatchObject({ name: '张某某', fromDate: '2021-06-01', toDate: null, current: true });
    const d = getUnit(entry, { id: u.id });
    expect(d.leaderName).toBe('张某某');
    expect(d.leaders).toHaveLength(1);
    expect(d.handovers).toHaveLength(0);
  });

  it('validates the first leader and refuses a second one (that is a handover)', () => {
    const u = createUnit(entry, { name: '某某公司', sector: 'other' });
    expectRefused(t, () => setInitialLeader(entry, { unitId: u.id, post: '书记', fromDate: '2021-06-01' }), 'VALIDATION', 'name');
    expectRefused(t, () => setInitialLeader(entry, { unitId: u.id, name: '张某某', fromDate: '2021-06-01' }), 'VALIDATION', 'post');
    expectRefused(t, () => setInitialLeader(entry, { unitId: u.id, name: '张某某', post: '书记', fromDate: '2021-02-30' }), 'VALIDATION', 'fromDate', 'bad_date');
    expectRefused(t, () => setInitialLeader(entry, { unitId: u.id, name: '张某某', post: '书记' }), 'VALIDATION', 'fromDate', 'required');
    setInitialLeader(entry, { unitId: u.id, name: '张某某', post: '书记', fromDate: '2021-06-01' });
    expectRefused(t, () => setInitialLeader(entry, { unitId: u.id, name: '李某', post: '书记', fromDate: '2023-06-01' }), 'CONFLICT', undefined, 'has_leader');
  });

  it('hands over, counting the unit’s live tasks that are not closed out', () => {
    const { u, l } = unitWithLeader();
    const other = createUnit(entry, { name: '另一公司', sector: 'other' });
    const cat = categoryId(entry, '廉洁风险');
    const p = fxProblem(entry, { unitId: u.id, categoryId: cat });
    fxTask(entry, { problemId: p.id, unitId: u.id, seq: 1, status: 'draft' });
    fxTask(entry, { problemId: p.id, unitId: u.id, seq: 2, status: 'in_progress' });
    fxTask(entry, { problemId: p.id, unitId: u.id, seq: 3, status: 'pending_review' });
    fxTask(entry, { problemId: p.id, unitId: u.id, seq: 4, status: 'closed' });
    fxTask(entry, { problemId: p.id, unitId: u.id, seq: 5, status: 'closed' });
    const dropped = fxTask(entry, { problemId: p.id, unitId: u.id, seq: 6, status: 'in_progress' });
    softDelete(entry, tasks, dropped, '与第2项合并');
    const po = fxProblem(entry, { unitId: other.id, categoryId: cat });
    fxTask(entry, { problemId: po.id, unitId: other.id, status: 'in_progress' });

    const before = auditCount(t);
    const r = handoverLeader(entry, { unitId: u.id, toName: '李某', toPost: '党委书记、董事长', date: '2024-02-20', notes: '逐项交接整改台账' });
    // three writes in one go: close the old term, open the new one, record the handover
    expect(auditCount(t)).toBe(before + 3);
    expect(r.handover).toMatchObject({ openTaskCount: 3, handoverDate: '2024-02-20', fromLeaderId: l.id, fromLeaderName: '张某某', toLeaderName: '李某', notes: '逐项交接整改台账' });
    expect(r.fromLeader).toMatchObject({ id: l.id, toDate: '2024-02-20', current: false });
    expect(r.toLeader).toMatchObject({ name: '李某', fromDate: '2024-02-20', toDate: null, current: true });

    const d = getUnit(entry, { id: u.id });
    expect(d.leaderName).toBe('李某');
    expect(d.leaders.map((x) => [x.name, x.fromDate, x.toDate, x.current])).toEqual([
      ['张某某', '2021-06-01', '2024-02-20', false],
      ['李某', '2024-02-20', null, true],
    ]);
    expect(d.handovers).toEqual([r.handover]);
    expect(verifyAudit(t.ledger).ok).toBe(true);
  });

  it('keeps the leader history in order across several handovers, same-day ones included', () => {
    const { u } = unitWithLeader();
    handoverLeader(entry, { unitId: u.id, toName: '李某', toPost: '党委书记', date: '2023-03-01' });
    handoverLeader(entry, { unitId: u.id, toName: '王某某', toPost: '党委书记', date: '2023-03-01' });
    const d = getUnit(entry, { id: u.id });
    expect(d.leaders.map((x) => x.name)).toEqual(['张某某', '李某', '王某某']);
    expect(d.handovers.map((h) => [h.fromLeaderName, h.toLeaderName, h.openTaskCount])).toEqual([
      ['张某某', '李某', 0],
      ['李某', '王某某', 0],
    ]);
    expect(d.leaders.filter((x) => x.current).map((x) => x.name)).toEqual(['王某某']);
  });

  it('refuses a handover dated before the current leader took office, changing nothing', () => {
    const { u } = unitWithLeader();
    expectRefused(t, () => handoverLeader(entry, { unitId: u.id, toName: '李某', toPost: '书记', date: '2021-05-31' }), 'VALIDATION', 'date', 'before_term');
    expectRefused(t, () => handoverLeader(entry, { unitId: u.id, toName: '李某', toPost: '书记', date: '2024-02-30' }), 'VALIDATION', 'date', 'bad_date');
    expectRefused(t, () => handoverLeader(entry, { unitId: u.id, toPost: '书记', date: '2024-01-01' }), 'VALIDATION', 'toName');
    expectRefused(t, () => handoverLeader(entry, { unitId: u.id, toName: '李某', date: '2024-01-01' }), 'VALIDATION', 'toPost');
    expectRefused(t, () => handoverLeader(entry, { unitId: u.id, toName: '李某', toPost: '书记', date: '2024-01-01', notes: '注'.repeat(LEN.text + 1) }), 'VALIDATION', 'notes');
    expectRefused(t, () => handoverLeader(t.as(t.users.readonly), { unitId: u.id, toName: '李某', toPost: '书记', date: '2024-01-01' }), 'FORBIDDEN');
    const d = getUnit(entry, { id: u.id });
    expect(d.leaders).toHaveLength(1);
    expect(d.leaders[0]!.toDate).toBeNull();
  });

  it('refuses a handover when no leader was ever recorded', () => {
    const u = createUnit(entry, { name: '某某公司', sector: 'other' });
    expectRefused(t, () => handoverLeader(entry, { unitId: u.id, toName: '李某', toPost: '书记', date: '2024-01-01' }), 'CONFLICT', undefined, 'no_leader');
  });

  it('corrects a leader’s name or post without touching the term', () => {
    const { u, l } = unitWithLeader();
    const fixed = updateLeader(entry, { id: l.id, name: '张某' });
    expect(fixed).toMatchObject({ name: '张某', fromDate: '2021-06-01', current: true });
    expect(getUnit(entry, { id: u.id }).leaderName).toBe('张某');
    expectRefused(t, () => updateLeader(entry, { id: l.id, post: '' }), 'VALIDATION', 'post');
    expectRefused(t, () => updateLeader(entry, { id: UNKNOWN_ID, name: '某' }), 'NOT_FOUND', 'id');
  });
});
