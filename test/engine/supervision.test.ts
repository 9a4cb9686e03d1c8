import { afterEach, describe, expect, it } from 'vitest';
import {
  createActivity, deleteActivity, getActivity, listActivities, restoreActivity, updateActivity,
} from '../../db/services/activities.js';
import { createPetition, deletePetition, getPetition, listPetitions, updatePetition } from '../../db/services/petitions.js';
import {
  addProgrammeMeasure, createProgramme, deleteProgramme, deleteProgrammeMeasure, getProgramme, listProgrammes,
  markMeasureDone, undoMeasureDone, updateProgramme, updateProgrammeStage,
} from '../../db/services/programmes.js';
import {
  createSuggestion, deleteSuggestion, getSuggestion, listSuggestions, recordSuggestionReply, restoreSuggestion, updateSuggestion,
} from '../../db/services/suggestions.js';
import { problems } from '../../db/schema/index.js';
import { softDelete } from '../../db/core/write.js';
import { fxProblem } from '../helpers/fixtures.js';
import { expectError, expectRefused } from '../helpers/expect.js';
import { makeWorld, rowCount, type Ctx, type World } from './supervision-world.js';

let w: World;
afterEach(() => w?.t.close());

describe('移交建议 suggestions', () => {
  const newSuggestion = (ctx: Ctx, o: Record<string, unknown> = {}) => createSuggestion(ctx, {
    roundId: w.round.id, unitId: w.unit.id, department: '某省国资委', content: '建议加强对国有企业工程招投标的监管。',
    issuedOn: '2024-02-15', ...o,
  });

  it('starts as 待回复 and becomes 已回复 / 已采纳办结 with the reply', () => {
    w = makeWorld();
    const s = newSuggestion(w.sup);
    expect(s.status).toBe('pending');
    const r = recordSuggestionReply(w.sup, { id: s.id, reply: '已组织专项检查。', repliedOn: '2024-03-20' });
    expect(r).toMatchObject({ status: 'replied', reply: '已组织专项检查。', repliedOn: '2024-03-20' });
    expect(recordSuggestionReply(w.sup, { id: s.id, reply: '已建立长效机制。', repliedOn: '2024-04-02', adopted: true }).status).toBe('adopted');
    expect(updateSuggestion(w.sup, { id: s.id, reply: null, repliedOn: null, status: 'pending' }).status).toBe('pending');
  });

  it('refuses bad input naming the field and writes nothing', () => {
    w = makeWorld();
    expectRefused(w.t, () => newSuggestion(w.sup, { department: ' ' }), 'VALIDATION', 'department');
    expectRefused(w.t, () => newSuggestion(w.sup, { content: 'x'.repeat(4001) }), 'VALIDATION', 'content');
    expectRefused(w.t, () => newSuggestion(w.sup, { issuedOn: '2024-13-01' }), 'VALIDATION', 'issuedOn');
    expectRefused(w.t, () => newSuggestion(w.sup, { status: 'done' }), 'VALIDATION', 'status');
    expectRefused(w.t, () => newSuggestion(w.sup, { unitId: w.round.id }), 'NOT_FOUND', 'unitId');
    expectRefused(w.t, () => newSuggestion(w.sup, { reply: '已办理。', repliedOn: '2024-02-14' }), 'VALIDATION', 'repliedOn', 'reply_before_issue');
    expectRefused(w.t, () => newSuggestion(w.sup, { status: 'replied' }), 'VALIDATION', 'reply');
    expectRefused(w.t, () => newSuggestion(w.sup, { reply: '已办理。' }), 'VALIDATION', 'repliedOn');
    expectRefused(w.t, () => newSuggestion(w.entry), 'FORBIDDEN');
    const s = newSuggestion(w.sup, { reply: '已办理。', repliedOn: '2024-03-01' });
    expectRefused(w.t, () => updateSuggestion(w.sup, { id: s.id, issuedOn: '2024-03-05' }), 'VALIDATION', 'issuedOn', 'reply_before_issue');
    expectRefused(w.t, () => updateSuggestion(w.sup, { id: w.unit.id, content: '改。' }), 'NOT_FOUND', 'id');
  });

  it('lists by round, unit and status without deleted ones unless asked', () => {
    w = makeWorld();
    const late = newSuggestion(w.sup, { issuedOn: '2024-03-01' });
    const early = newSuggestion(w.sup, { issuedOn: '2024-02-01', reply: '已回复。', repliedOn: '2024-02-20' });
    const other = newSuggestion(w.sup, { unitId: w.unit2.id });
    expect(listSuggestions(w.readonly, { unitId: w.unit.id }).items.map((s) => s.id)).toEqual([early.id, late.id]);
    expect(listSuggestions(w.readonly, { roundId: w.round.id, status: 'pending' }).items.map((s) => s.id)).toEqual([other.id, late.id]);
    deleteSuggestion(w.sup, { id: late.id, reason: '与另一条重复。' });
    expect(listSuggestions(w.readonly, { unitId: w.unit.id }).items.map((s) => s.id)).toEqual([early.id]);
    expect(listSuggestions(w.readonly, { unitId: w.unit.id, includeDeleted: true }).total).toBe(2);
    expectError(() => getSuggestion(w.readonly, { id: late.id }), 'NOT_FOUND', 'id');
    restoreSuggestion(w.sup, { id: late.id });
    expect(getSuggestion(w.readonly, { id: late.id }).deletedAt).toBeNull();
    expectRefused(w.t, () => listSuggestions(w.t.as(null), {}), 'FORBIDDEN');
  });
});

describe('信访事项 petitions', () => {
  const newPetition = (ctx: Ctx, o: Record<string, unknown> = {}) => createPetition(ctx, {
    roundId: w.round.id, unitId: w.unit.id, receivedOn: '2024-01-10', summary: '反映某某公司违规发放津补贴。', ...o,
  });

  it('follows what is filled in: received, handed over, concluded', () => {
    w = makeWorld();
    const p = newPetition(w.sup);
    expect(p.status).toBe('received');
    const h = updatePetition(w.sup, { id: p.id, handedTo: '某市纪委监委', handedOn: '2024-01-20' });
    expect(h.status).toBe('handed_over');
    const c = updatePetition(w.sup, { id: p.id, result: '经核查部分属实，已责令整改。' });
    expect(c.status).toBe('concluded');
    expect(getPetition(w.readonly, { id: p.id })).toMatchObject({ handedTo: '某市纪委监委', status: 'concluded' });
  });

  it('refuses a hand-over before receipt and other bad input, naming the field', () => {
    w = makeWorld();
    expectRefused(w.t, () => newPetition(w.sup, { handedTo: '某市纪委监委', handedOn: '2024-01-09' }), 'VALIDATION', 'handedOn', 'handed_before_received');
    expectRefused(w.t, () => newPetition(w.sup, { handedTo: '某市纪委监委' }), 'VALIDATION', 'handedOn');
    expectRefused(w.t, () => newPetition(w.sup, { summary: '' }), 'VALIDATION', 'summary');
    expectRefused(w.t, () => newPetition(w.sup, { receivedOn: '20240110' }), 'VALIDATION', 'receivedOn');
    expectRefused(w.t, () => newPetition(w.sup, { status: 'concluded' }), 'VALIDATION', 'result');
    expectRefused(w.t, () => newPetition(w.sup, { roundId: w.unit.id }), 'NOT_FOUND', 'roundId');
    expectRefused(w.t, () => newPetition(w.entry), 'FORBIDDEN');
    const p = newPetition(w.sup, { handedTo: '某市纪委监委', handedOn: '2024-01-15' });
    expectRefused(w.t, () => updatePetition(w.sup, { id: p.id, receivedOn: '2024-01-16' }), 'VALIDATION', 'receivedOn');
    expect(rowCount(w.t, 'petitions')).toBe(1);
  });

  it('lists by unit in receipt order and hides deleted ones', () => {
    w = makeWorld();
    const b = newPetition(w.sup, { receivedOn: '2024-01-12' });
    const a = newPetition(w.sup, { receivedOn: '2024-01-05' });
    newPetition(w.sup, { unitId: w.unit2.id });
    expect(listPetitions(w.readonly, { unitId: w.unit.id }).items.map((p) => p.id)).toEqual([a.id, b.id]);
    deletePetition(w.sup, { id: a.id, reason: '误录。' });
    expect(listPetitions(w.readonly, { unitId: w.unit.id }).items.map((p) => p.id)).toEqual([b.id]);
  });
});

describe('监督举措 supervision activities', () => {
  const newActivity = (ctx: Ctx, o: Record<string, unknown> = {}) => createActivity(ctx, {
    roundId: w.round.id, unitId: w.unit.id, kind: 'dlm_attendance', activityDate: '2024-03-15',
    title: '列席某某集团有限公司巡视整改专题民主生活会', participants: '赵某某、孙某某', findings: '批评和自我批评不够深入。',
    problemIds: [w.problem.id], ...o,
  });
  const links = () => w.t.ledger.sqlite.prepare('SELECT problem_id AS p, deleted_at AS d FROM activity_problems ORDER BY p').all() as { p: string; d: string | null }[];

  it('links problems and replaces the link set on update, tombstoning removed links', () => {
    w = makeWorld();
    const a = newActivity(w.sup);
    expect(a.problemIds).toEqual([w.problem.id]);
    const u = updateActivity(w.sup, { id: a.id, problemIds: [w.problem2.id] });
    expect(u.problemIds).toEqual([w.problem2.id]);
    expect(links()).toEqual(expect.arrayContaining([
      { p: w.problem.id, d: expect.any(String) }, { p: w.problem2.id, d: null },
    ]));
    const back = updateActivity(w.sup, { id: a.id, problemIds: [w.problem.id, w.problem2.id, w.problem.id] });
    expect(back.problemIds.sort()).toEqual([w.problem.id, w.problem2.id].sort());
    expect(links()).toHaveLength(2); // the earlier link came back rather than a duplicate
    expect(listActivities(w.readonly, { problemId: w.problem2.id }).items.map((x) => x.id)).toEqual([a.id]);
    // The list carries each activity's problems (one query for the page), as the detail does.
    const other = newActivity(w.sup, { problemIds: [w.problem2.id] });
    const listed = new Map(listActivities(w.readonly, {}).items.map((x) => [x.id, x.problems.map((p) => p.id).sort()]));
    expect(listed.get(a.id)).toEqual([w.problem.id, w.problem2.id].sort());
    expect(listed.get(other.id)).toEqual([w.problem2.id]);
    deleteActivity(w.sup, { id: other.id, reason: '重复录入' });
    updateActivity(w.sup, { id: a.id, problemIds: [] });
    expect(getActivity(w.readonly, { id: a.id }).problemIds).toEqual([]);
    expect(listActivities(w.readonly, { problemId: w.problem2.id }).total).toBe(0);
  });

  it('refuses unknown, deleted or foreign problems and other bad input, changing nothing', () => {
    w = makeWorld();
    const gone = fxProblem(w.fx, { unitId: w.unit.id, categoryId: w.problem.categoryId, seq: 9 });
    softDelete(w.fx, problems, gone, '测试');
    expectRefused(w.t, () => newActivity(w.sup, { problemIds: [w.problem.id, w.task.id] }), 'NOT_FOUND', 'problemIds[1]');
    expectRefused(w.t, () => newActivity(w.sup, { problemIds: [gone.id] }), 'NOT_FOUND', 'problemIds[0]');
    expectRefused(w.t, () => newActivity(w.sup, { problemIds: [w.otherProblem.id] }), 'VALIDATION', 'problemIds[0]', 'other_unit');
    expectRefused(w.t, () => newActivity(w.sup, { problemIds: ['abc'] }), 'VALIDATION', 'problemIds[0]');
    expectRefused(w.t, () => newActivity(w.sup, { kind: 'party' }), 'VALIDATION', 'kind');
    expectRefused(w.t, () => newActivity(w.sup, { activityDate: '2024-04-31' }), 'VALIDATION', 'activityDate');
    expectRefused(w.t, () => newActivity(w.sup, { title: undefined }), 'VALIDATION', 'title');
    expectRefused(w.t, () => newActivity(w.entry), 'FORBIDDEN');
    const a = newActivity(w.sup);
    expectRefused(w.t, () => updateActivity(w.sup, { id: a.id, title: '新标题', problemIds: [w.problem.id, w.otherTask.id] }), 'NOT_FOUND', 'problemIds[1]');
    expectRefused(w.t, () => updateActivity(w.sup, { id: a.id, unitId: w.unit2.id }), 'VALIDATION', 'unitId', 'other_unit');
    expect(getActivity(w.readonly, { id: a.id })).toMatchObject({ title: '列席某某集团有限公司巡视整改专题民主生活会', problemIds: [w.problem.id] });
  });

  it('lists by unit, kind and dates in date order; delete and restore keep the links', () => {
    w = makeWorld();
    const late = newActivity(w.sup, { activityDate: '2024-04-10', kind: 'site_inspection', title: '现场检查' });
    const early = newActivity(w.sup);
    newActivity(w.sup, { unitId: w.unit2.id, problemIds: [w.otherProblem.id] });
    expect(listActivities(w.readonly, { unitId: w.unit.id }).items.map((a) => a.id)).toEqual([early.id, late.id]);
    expect(listActivities(w.readonly, { kind: 'site_inspection' }).items.map((a) => a.id)).toEqual([late.id]);
    expect(listActivities(w.readonly, { unitId: w.unit.id, from: '2024-04-01', to: '2024-04-30' }).items.map((a) => a.id)).toEqual([late.id]);
    deleteActivity(w.sup, { id: early.id, reason: '重复。' });
    expect(listActivities(w.readonly, { unitId: w.unit.id }).items.map((a) => a.id)).toEqual([late.id]);
    expect(restoreActivity(w.sup, { id: early.id }).problemIds).toEqual([w.problem.id]);
  });
});

describe('监督方案 supervision programmes', () => {
  const stages = () => [
    { name: '学习部署', startOn: '2024-02-01', endOn: '2024-02-29', measures: [{ content: '召开整改监督工作部署会。' }, { content: '制定整改监督工作方案。', owner: '第三监督检查室' }] },
    { name: '集中整改落实', startOn: '2024-03-01', endOn: '2024-04-30', measures: [{ content: '列席专题民主生活会。' }] },
    { name: '集中整改审核', startOn: '2024-05-01', endOn: '2024-05-31', measures: [{ content: '审核集中整改进展情况报告。' }] },
    { name: '持续整改', startOn: '2024-06-01', endOn: '2024-07-31', measures: [] },
  ];
  const newProgramme = (ctx: Ctx, o: Record<string, unknown> = {}) => createProgramme(ctx, {
    roundId: w.round.id, unitId: w.unit.id, name: '某某集团有限公司巡视整改监督工作方案', startOn: '2024-02-01', endOn: '2024-07-31',
    stages: stages(), ...o,
  });

  it('creates stages and measures and returns the checklist with counts', () => {
    w = makeWorld('2024-03-10');
    const p = newProgramme(w.sup);
    expect(p.stages.map((s) => [s.seq, s.name, s.phase, s.measureCount])).toEqual([
      [1, '学习部署', 'past', 2], [2, '集中整改落实', 'current', 1], [3, '集中整改审核', 'upcoming', 1], [4, '持续整改', 'upcoming', 0],
    ]);
    expect([p.measureCount, p.doneCount]).toEqual([4, 0]);
    const m = p.stages[0]!.measures[1]!;
    expect(m).toMatchObject({ seq: 2, owner: '第三监督检查室', done: false });
    markMeasureDone(w.sup, { measureId: m.id, doneOn: '2024-02-20' });
    const got = getProgramme(w.readonly, { id: p.id });
    expect([got.doneCount, got.stages[0]!.doneCount, got.stages[0]!.measures[1]!.doneOn]).toEqual([1, 1, '2024-02-20']);
    expectRefused(w.t, () => markMeasureDone(w.sup, { measureId: m.id, doneOn: '2024-02-21' }), 'CONFLICT', undefined, 'already_done');
    undoMeasureDone(w.sup, { measureId: m.id });
    expect(getProgramme(w.readonly, { id: p.id }).doneCount).toBe(0);
    expectRefused(w.t, () => undoMeasureDone(w.sup, { measureId: m.id }), 'CONFLICT', undefined, 'not_done');
    expect(listProgrammes(w.readonly, { unitId: w.unit.id }).items[0]).toMatchObject({ id: p.id, measureCount: 4, doneCount: 0 });
  });

  it('refuses overlapping, reversed or out-of-range stages, naming the stage field', () => {
    w = makeWorld();
    const s = stages();
    s[1]!.startOn = '2024-02-29';
    expectRefused(w.t, () => newProgramme(w.sup, { stages: s }), 'VALIDATION', 'stages[1].startOn', 'overlap');
    const r = stages();
    r[2]!.endOn = '2024-04-30';
    expectRefused(w.t, () => newProgramme(w.sup, { stages: r }), 'VALIDATION', 'stages[2].endOn', 'end_before_start');
    const o = stages();
    o[3]!.endOn = '2024-08-01';
    expectRefused(w.t, () => newProgramme(w.sup, { stages: o }), 'VALIDATION', 'stages[3].endOn', 'outside_programme');
    const b = stages();
    b[0]!.measures[1]!.content = '';
    expectRefused(w.t, () => newProgramme(w.sup, { stages: b }), 'VALIDATION', 'stages[0].measures[1].content');
    expectRefused(w.t, () => newProgramme(w.sup, { stages: [] }), 'VALIDATION', 'stages');
    expectRefused(w.t, () => newProgramme(w.sup, { endOn: '2024-01-31' }), 'VALIDATION', 'endOn');
    expectRefused(w.t, () => newProgramme(w.sup, { name: '' }), 'VALIDATION', 'name');
    expectRefused(w.t, () => newProgramme(w.entry), 'FORBIDDEN');
    expect(rowCount(w.t, 'supervision_programmes') + rowCount(w.t, 'programme_stages') + rowCount(w.t, 'programme_measures')).toBe(0);
  });

  it('keeps stages inside the programme and apart when either is edited', () => {
    w = makeWorld();
    const p = newProgramme(w.sup);
    expectRefused(w.t, () => updateProgramme(w.sup, { id: p.id, endOn: '2024-07-30' }), 'VALIDATION', 'endOn');
    expectRefused(w.t, () => updateProgrammeStage(w.sup, { stageId: p.stages[1]!.id, endOn: '2024-05-01' }), 'VALIDATION', 'endOn', 'overlap');
    expectRefused(w.t, () => updateProgrammeStage(w.sup, { stageId: p.stages[1]!.id, startOn: '2024-02-15' }), 'VALIDATION', 'startOn', 'overlap');
    const ok = updateProgrammeStage(w.sup, { stageId: p.stages[1]!.id, endOn: '2024-04-25', name: '集中整改' });
    expect(ok.stages[1]).toMatchObject({ name: '集中整改', endOn: '2024-04-25' });
    expect(updateProgramme(w.sup, { id: p.id, endOn: '2024-08-31' }).endOn).toBe('2024-08-31');
    markMeasureDone(w.sup, { measureId: p.stages[0]!.measures[0]!.id, doneOn: '2024-02-02' });
    expectRefused(w.t, () => updateProgramme(w.sup, { id: p.id, startOn: '2024-02-03' }), 'VALIDATION', 'startOn');
    expectRefused(w.t, () => markMeasureDone(w.sup, { measureId: p.stages[0]!.measures[1]!.id, doneOn: '2024-01-31' }), 'VALIDATION', 'doneOn');
    expectRefused(w.t, () => markMeasureDone(w.sup, { measureId: p.id, doneOn: '2024-03-01' }), 'NOT_FOUND', 'measureId');
  });

  it('adds and removes measures; deleted programmes leave the list', () => {
    w = makeWorld();
    const p = newProgramme(w.sup);
    const m = addProgrammeMeasure(w.sup, { stageId: p.stages[3]!.id, content: '开展整改“回头看”。' });
    expect(m.seq).toBe(1);
    expectRefused(w.t, () => addProgrammeMeasure(w.sup, { stageId: w.unit.id, content: '无。' }), 'NOT_FOUND', 'stageId');
    expect(getProgramme(w.readonly, { id: p.id }).measureCount).toBe(5);
    expectRefused(w.t, () => deleteProgrammeMeasure(w.sup, { measureId: m.id }), 'VALIDATION', 'reason');
    deleteProgrammeMeasure(w.sup, { measureId: m.id, reason: '并入其他措施。' });
    expect(getProgramme(w.readonly, { id: p.id }).measureCount).toBe(4);
    deleteProgramme(w.sup, { id: p.id, reason: '方案重新制定。' });
    expect(listProgrammes(w.readonly, { unitId: w.unit.id }).total).toBe(0);
    expect(listProgrammes(w.readonly, { unitId: w.unit.id, includeDeleted: true }).total).toBe(1);
    expectError(() => getProgramme(w.readonly, { id: p.id }), 'NOT_FOUND', 'id');
    expectRefused(w.t, () => markMeasureDone(w.sup, { measureId: p.stages[0]!.measures[0]!.id, doneOn: '2024-03-01' }), 'NOT_FOUND', 'measureId');
  });
});
