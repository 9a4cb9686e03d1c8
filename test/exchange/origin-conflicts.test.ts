/**
 * Aggregation upward and the 冲突 flag, over real exchanges: an inspection office receives the
 * problem lists of two inspected units (their cards confirmed both ways, the changes collected in
 * each unit's ledger and applied in the inspection office's by the merge path).
 * - 来源单位: every problem and task names the office that created it; the lists filter by it and
 *   the figures filter and group by it.
 * - 冲突: a problem's 反弹 link (owned by both the unit and the inspection office) changed on both
 *   sides without either seeing the other's change is a conflict after the next import; the
 *   problem is flagged in the list and on its page until a person resolves it. Parts of a record
 *   (a task's progress entry) flag the record they are shown with.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../db/core/context.js';
import { getRow, insertRow, updateRow } from '../../db/core/write.js';
import type { OfficeKind } from '../../db/domain/enums.js';
import { applyChanges } from '../../db/exchange/apply.js';
import { collectChanges, type OfficeRef } from '../../db/exchange/changes.js';
import { summarize, suggestionsAnswered } from '../../db/analysis/aggregates.js';
import { countProblems, explainProblemList, listProblems } from '../../db/queries/problem-list.js';
import { countTasks, listTasks } from '../../db/queries/task-list.js';
import { problems, progressEntries, suggestions, unitLeaders } from '../../db/schema/index.js';
import { conflictsOf, resolveConflict } from '../../db/services/conflicts.js';
import { listInspections } from '../../db/services/inspections.js';
import { listOffices } from '../../db/services/office.js';
import { listRounds } from '../../db/services/rounds.js';
import { listSuggestions } from '../../db/services/suggestions.js';
import { listActivities } from '../../db/services/activities.js';
import { getUnit, listUnits } from '../../db/services/units.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxTask, fxUnit } from '../helpers/fixtures.js';
import { expectError } from '../helpers/expect.js';
import { confirmEachOther, exchangeOffice, type ExchangeOffice } from '../helpers/exchange-offices.js';

const PASSWORD = 'jiaohuan-mima-2024';

type Office = ExchangeOffice;
const office = (name: string, kind: OfficeKind, seed: number): Office => exchangeOffice(null, { name, kind, seed, password: PASSWORD });
const partners = confirmEachOther;

let insp: Office;
let unitA: Office;
let unitB: Office;
let refs: OfficeRef[];
const ids = { unitA: '', unitB: '', round: '', a1: '', a2: '', a3: '', b1: '', taskA1: '', taskB1: '' };

function send(from: Office, to: Office) {
  const { changes } = collectChanges(from.ctx, { sinceVersion: 0, recipientKind: to.ref.kind, includeClues: false });
  return applyChanges(to.ctx, changes, refs);
}

beforeAll(() => {
  insp = office('某省委巡视办', 'inspection_office', 31);
  unitA = office('某某集团有限公司巡视整改工作领导小组办公室', 'inspected_unit', 32);
  unitB = office('某某大学巡视整改工作领导小组办公室', 'inspected_unit', 33);
  refs = [insp.ref, unitA.ref, unitB.ref];
  partners(insp, unitA);
  partners(insp, unitB);
  // The inspection office sends the round and the two inspected units down.
  inTransaction(insp.ctx, () => {
    const round = fxRound(insp.ctx);
    const a = fxUnit(insp.ctx, { name: '某某集团有限公司' });
    const b = fxUnit(insp.ctx, { name: '某某大学', sector: 'university' });
    fxInspection(insp.ctx, { roundId: round.id, unitId: a.id });
    fxInspection(insp.ctx, { roundId: round.id, unitId: b.id });
    Object.assign(ids, { round: round.id, unitA: a.id, unitB: b.id });
  });
  send(insp, unitA);
  send(insp, unitB);
  // Each unit files its problems with a task each; unit A three, unit B one.
  inTransaction(unitA.ctx, () => {
    const cat = categoryId(unitA.ctx, '廉洁风险');
    for (const [k, seq] of [['a1', 1], ['a2', 2], ['a3', 3]] as const) {
      const p = fxProblem(unitA.ctx, { unitId: ids.unitA, roundId: ids.round, categoryId: cat, seq, description: `集团问题${seq}：招投标管理不规范。` });
      const t = fxTask(unitA.ctx, { problemId: p.id, unitId: ids.unitA, roundId: ids.round, measures: `集团整改措施${seq}。` });
      ids[k] = p.id;
      if (k === 'a1') ids.taskA1 = t.id;
    }
  });
  inTransaction(unitB.ctx, () => {
    const p = fxProblem(unitB.ctx, { unitId: ids.unitB, roundId: ids.round, categoryId: categoryId(unitB.ctx, '廉洁风险'), description: '大学问题1：科研经费管理不严。' });
    ids.b1 = p.id;
    ids.taskB1 = fxTask(unitB.ctx, { problemId: p.id, unitId: ids.unitB, roundId: ids.round, measures: '大学整改措施1。' }).id;
  });
  send(unitA, insp);
  send(unitB, insp);
}, 60_000);
afterAll(() => [insp, unitA, unitB].forEach((o) => o?.ledger.close()));

describe('来源单位: lists and figures by the office that created the records', () => {
  it('lists each problem and task with its origin office and filters by it', () => {
    const all = listProblems(insp.ctx, { roundId: ids.round, sort: 'seq' });
    expect(all.rows.map((r) => [r.description.slice(0, 5), r.originOfficeName]).sort()).toEqual([
      ['大学问题1', '某某大学巡视整改工作领导小组办公室'],
      ['集团问题1', '某某集团有限公司巡视整改工作领导小组办公室'],
      ['集团问题2', '某某集团有限公司巡视整改工作领导小组办公室'],
      ['集团问题3', '某某集团有限公司巡视整改工作领导小组办公室'],
    ]);
    const ofA = listProblems(insp.ctx, { originOfficeId: unitA.ref.id, withTotal: true });
    expect(ofA.rows.map((r) => r.id).sort()).toEqual([ids.a1, ids.a2, ids.a3].sort());
    expect(ofA.total).toBe(3);
    expect(countProblems(insp.ctx, { originOfficeId: unitB.ref.id })).toEqual({ total: 1 });
    expect(listTasks(insp.ctx, { originOfficeId: unitB.ref.id }).rows.map((r) => r.id)).toEqual([ids.taskB1]);
    expect(countTasks(insp.ctx, { originOfficeId: unitA.ref.id })).toEqual({ total: 3 });
    // This office created none of them.
    expect(countProblems(insp.ctx, { originOfficeId: insp.ref.id })).toEqual({ total: 0 });
  });

  it('offers this office and its partners as the choices, and says whether the ledger holds records of more than one origin', () => {
    const o = listOffices(insp.ctx);
    expect(o.offices.map((x) => [x.name, x.own])).toEqual([
      ['某省委巡视办', true], ['某某大学巡视整改工作领导小组办公室', false], ['某某集团有限公司巡视整改工作领导小组办公室', false],
    ]);
    expect(o.mixed).toBe(true);
    // Unit B holds only problems of its own (the round and units it received are not listed records)…
    expect(listOffices(unitB.ctx).mixed).toBe(false);
    // …until a package brings unit A's problems (relayed by the inspection office).
    send(insp, unitB);
    expect(listOffices(unitB.ctx).mixed).toBe(true);
  });

  it('groups the figures by origin office and filters them by one', () => {
    const s = summarize(insp.ctx, { groupBy: 'origin', roundId: ids.round });
    expect(s.groupLabel).toBe('来源单位');
    expect(s.rows.map((r) => [r.label, r.problems, r.tasks])).toEqual([
      ['某某大学巡视整改工作领导小组办公室', 1, 1],
      ['某某集团有限公司巡视整改工作领导小组办公室', 3, 3],
    ]);
    const onlyA = summarize(insp.ctx, { groupBy: 'unit', roundId: ids.round, originOfficeId: unitA.ref.id });
    expect(onlyA.originOfficeId).toBe(unitA.ref.id);
    expect(onlyA.rows.map((r) => [r.label, r.problems])).toEqual([['某某集团有限公司', 3]]);
    expect(onlyA.totals).toMatchObject({ problems: 3, tasks: 3 });
    // Records of other kinds: grouped by origin too (the inspection office's own suggestion).
    inTransaction(insp.ctx, () => insertRow(insp.ctx, suggestions, { roundId: ids.round, unitId: ids.unitA, department: '某省国资委', content: '建议加强招投标监管。', issuedOn: '2024-08-01', status: 'pending' }));
    expect(suggestionsAnswered(insp.ctx, { groupBy: 'origin' }).rows.map((r) => [r.label, r.total])).toEqual([['某省委巡视办', 1]]);
    expect(suggestionsAnswered(insp.ctx, { originOfficeId: unitA.ref.id }).totals.total).toBe(0);
    // An office the ledger does not know is NOT_FOUND on the field, not an empty chart.
    expectError(() => summarize(insp.ctx, { originOfficeId: '01930000-0000-7000-8000-00000000dead' }), 'NOT_FOUND', 'originOfficeId');
  });
});

describe('冲突: the flag in the lists and on the record page', () => {
  it('flags a problem whose field two offices changed concurrently, until a person resolves it', () => {
    // Both own a problem's 反弹 link; neither sees the other's change before the next package.
    insp.clock.advance(60_000);
    inTransaction(insp.ctx, () => updateRow(insp.ctx, problems, getRow(insp.ctx, problems, ids.a2)!, { reboundOfId: ids.a1 }));
    unitA.clock.advance(120_000);
    inTransaction(unitA.ctx, () => updateRow(unitA.ctx, problems, getRow(unitA.ctx, problems, ids.a2)!, { reboundOfId: ids.a3 }));
    const r = send(unitA, insp);
    expect(r.counts.conflict).toBe(1);

    const rows = listProblems(insp.ctx, { roundId: ids.round }).rows;
    expect(rows.filter((x) => x.conflicted).map((x) => x.id)).toEqual([ids.a2]);
    expect(listProblems(insp.ctx, { conflicted: true, withTotal: true })).toMatchObject({ rows: [{ id: ids.a2, conflicted: true }], total: 1 });
    expect(countProblems(insp.ctx, { conflicted: false })).toEqual({ total: 3 });
    // The origin and the conflict filters combine.
    expect(countProblems(insp.ctx, { conflicted: true, originOfficeId: unitB.ref.id })).toEqual({ total: 0 });
    expect(conflictsOf(insp.ctx, { table: 'problems', id: ids.a2 })).toEqual([
      expect.objectContaining({ entity: 'problems', entityId: ids.a2, field: 'reboundOfId', part: false }),
    ]);
    expect(conflictsOf(insp.ctx, { table: 'problems', id: ids.a1 })).toEqual([]);
    // 只看有冲突的 starts from the few conflicts (by id), never a walk of the whole problem table.
    expect(explainProblemList(insp.ctx, { conflicted: true }).join('\n')).not.toMatch(/SCAN pr\b/);

    resolveConflict(insp.ctx, { entityId: ids.a2, field: 'reboundOfId', head: 0 });
    expect(listProblems(insp.ctx, { roundId: ids.round }).rows.some((x) => x.conflicted)).toBe(false);
    expect(countProblems(insp.ctx, { conflicted: true })).toEqual({ total: 0 });
    expect(conflictsOf(insp.ctx, { table: 'problems', id: ids.a2 })).toEqual([]);
  });

  it('flags a record when a part shown on its page is in conflict (a task by its progress entry, a unit by its leader)', () => {
    // Conflicts of parts written as the merge writes them (field_conflicts rows).
    const pe = inTransaction(insp.ctx, () => insertRow(insp.ctx, progressEntries, { taskId: ids.taskB1, entryDate: '2024-08-20', content: '已完成经费清查。' }));
    const leader = inTransaction(insp.ctx, () => insertRow(insp.ctx, unitLeaders, { unitId: ids.unitA, name: '钱某某', post: '党委书记', fromDate: '2022-01-01', toDate: null }));
    const conflict = insp.ledger.sqlite.prepare("INSERT INTO field_conflicts (entity_id, field, entity, heads, since) VALUES (?, ?, ?, '[]', '2024-09-01T08:00:00.000Z')");
    conflict.run(pe.id, 'content', 'progress_entries');
    conflict.run(leader.id, 'post', 'unit_leaders');

    const tasks = listTasks(insp.ctx, { roundId: ids.round }).rows;
    expect(tasks.filter((t) => t.conflicted).map((t) => t.id)).toEqual([ids.taskB1]);
    expect(listTasks(insp.ctx, { conflicted: true, withTotal: true }).total).toBe(1);
    expect(conflictsOf(insp.ctx, { table: 'tasks', id: ids.taskB1 })).toEqual([
      expect.objectContaining({ entity: 'progress_entries', entityId: pe.id, field: 'content', part: true }),
    ]);
    // The problem list is not flagged by a task's part.
    expect(countProblems(insp.ctx, { conflicted: true })).toEqual({ total: 0 });

    expect(listUnits(insp.ctx, {}).items.map((u) => [u.name, u.conflicted])).toEqual([['某某大学', false], ['某某集团有限公司', true]]);
    expect(getUnit(insp.ctx, { id: ids.unitA }).conflicted).toBe(true);
    // The round's list of inspected units shows the unit's flag; the round itself is not flagged.
    expect(listInspections(insp.ctx, { roundId: ids.round }).map((i) => [i.unitName, i.conflicted])).toEqual([['某某大学', false], ['某某集团有限公司', true]]);
    expect(listRounds(insp.ctx, {}).map((r) => r.conflicted)).toEqual([false]);
  });

  it('flags the records of the supervision lists too', () => {
    const s = listSuggestions(insp.ctx, {}).items[0]!;
    expect(s.conflicted).toBe(false);
    insp.ledger.sqlite.prepare("INSERT INTO field_conflicts (entity_id, field, entity, heads, since) VALUES (?, 'reply', 'suggestions', '[]', '2024-09-01T08:00:00.000Z')").run(s.id);
    expect(listSuggestions(insp.ctx, {}).items.map((x) => x.conflicted)).toEqual([true]);
  });

  it('filters every supervision-side list by origin office and by 冲突 (one declaration: listFields and page)', () => {
    // A second suggestion, as one received from unit A would be stored (its origin kept).
    inTransaction(insp.ctx, () => insertRow(insp.ctx, suggestions, {
      roundId: ids.round, unitId: ids.unitA, department: '某某集团纪委', content: '建议完善采购制度。', issuedOn: '2024-08-02', status: 'pending',
    }, { originOfficeId: unitA.ref.id }));
    const contents = (a: Parameters<typeof listSuggestions>[1]) => listSuggestions(insp.ctx, a).items.map((x) => x.content).sort();
    expect(contents({})).toEqual(['建议加强招投标监管。', '建议完善采购制度。']);
    expect(contents({ originOfficeId: insp.ref.id })).toEqual(['建议加强招投标监管。']);
    expect(contents({ originOfficeId: unitA.ref.id })).toEqual(['建议完善采购制度。']);
    expect(listSuggestions(insp.ctx, { originOfficeId: unitB.ref.id })).toEqual({ items: [], total: 0 });
    // The first one is in conflict (the test above): only it, or only the other.
    expect(contents({ conflicted: true })).toEqual(['建议加强招投标监管。']);
    expect(contents({ conflicted: false })).toEqual(['建议完善采购制度。']);
    expect(contents({ conflicted: true, originOfficeId: unitA.ref.id })).toEqual([]);
    // The same two filters on another list, from the same declaration.
    expect(listActivities(insp.ctx, { originOfficeId: unitA.ref.id, conflicted: false }).total).toBe(0);
    expectError(() => listSuggestions(insp.ctx, { originOfficeId: 'not an id' }), 'VALIDATION', 'originOfficeId');
  });
});
