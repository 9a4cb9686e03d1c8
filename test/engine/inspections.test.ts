import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../db/core/context.js';
import {
  addFeedback, createInspection, deleteFeedback, deleteInspection, getInspection, listFeedback, listInspections,
  restoreFeedback, restoreInspection, updateFeedback, updateInspection,
} from '../../db/services/inspections.js';
import { createRound, createTeam, deleteTeam } from '../../db/services/rounds.js';
import { createUnit, deleteUnit, restoreUnit } from '../../db/services/units.js';
import { LEN } from '../../db/domain/fields.js';
import { expectRefused, UNKNOWN_ID } from '../helpers/expect.js';
import { categoryId, fxProblem } from '../helpers/fixtures.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';

let t: TestLedger;
let entry: ServiceContext;
let roundId: string;
beforeEach(() => {
  t = makeTestLedger({ today: '2024-03-01' });
  entry = t.as(t.users.entry);
  roundId = createRound(entry, {
    name: '某省委第二轮巡视', level: 'province', mobilisedOn: '2023-09-01', enteredOn: '2023-09-10', feedbackOn: '2024-01-31',
  }).id;
});
afterEach(() => t.close());

const unit = (name = '某某集团有限公司') => createUnit(entry, { name, sector: 'central_soe' });
const FB = { kind: 'collective', feedbackDate: '2024-01-31', docNumber: '某巡反〔2024〕3号', body: '巡视组反馈意见：落实全面从严治党责任不够到位。' };

describe('inspections', () => {
  it('adds a unit to a round with its team and lists it with unit, team and earliest feedback', () => {
    const team2 = createTeam(entry, { roundId, number: 2, leaderName: '吴某某' });
    const team1 = createTeam(entry, { roundId, number: 1 });
    const a = createInspection(entry, { roundId, unitId: unit('某某乙公司').id, teamId: team2.id });
    const b = createInspection(entry, { roundId, unitId: unit('某某甲公司').id, teamId: team1.id });
    const c = createInspection(entry, { roundId, unitId: unit('某某丙公司').id });
    addFeedback(entry, { ...FB, inspectionId: a.id, feedbackDate: '2024-02-02' });
    addFeedback(entry, { ...FB, inspectionId: a.id, kind: 'one_to_one', feedbackDate: '2024-01-30', docNumber: null });
    const list = listInspections(entry, { roundId });
    expect(list.map((x) => x.id)).toEqual([b.id, a.id, c.id]);
    expect(list[1]).toMatchObject({
      unitName: '某某乙公司', teamName: '第2巡视组', teamNumber: 2, firstFeedbackOn: '2024-01-30', feedbackCount: 2,
    });
    expect(list[2]).toMatchObject({ teamId: null, teamName: null, firstFeedbackOn: null, feedbackCount: 0 });
    expect(listInspections(t.as(t.users.readonly), { roundId })).toHaveLength(3);
  });

  it('refuses a second inspection of the same unit in the same round with a clear CONFLICT', () => {
    const u = unit();
    createInspection(entry, { roundId, unitId: u.id });
    const e = expectRefused(t, () => createInspection(entry, { roundId, unitId: u.id }), 'CONFLICT', undefined, 'duplicate');
    expect(e.message).toContain('某某集团有限公司');
    expect(e.message).not.toMatch(/SQLITE|constraint/i);
    const other = createRound(entry, { name: '某省委第三轮巡视', level: 'province' });
    expect(createInspection(entry, { roundId: other.id, unitId: u.id }).roundId).toBe(other.id);
  });

  it('asks to restore rather than re-add a removed inspection of the same unit', () => {
    const u = unit();
    const first = createInspection(entry, { roundId, unitId: u.id });
    deleteInspection(entry, { id: first.id, reason: '误加' });
    expect(listInspections(entry, { roundId })).toHaveLength(0);
    expectRefused(t, () => createInspection(entry, { roundId, unitId: u.id }), 'CONFLICT', undefined, 'deleted_duplicate');
    expect(restoreInspection(entry, { id: first.id }).deletedAt).toBeNull();
    expect(listInspections(entry, { roundId }).map((x) => x.id)).toEqual([first.id]);
  });

  it('requires the team to belong to the same round', () => {
    const other = createRound(entry, { name: '某省委第三轮巡视', level: 'province' });
    const foreign = createTeam(entry, { roundId: other.id, number: 1 });
    const own = createTeam(entry, { roundId, number: 1 });
    const u = unit();
    expectRefused(t, () => createInspection(entry, { roundId, unitId: u.id, teamId: foreign.id }), 'VALIDATION', 'teamId', 'other_round');
    const insp = createInspection(entry, { roundId, unitId: u.id, teamId: own.id });
    expectRefused(t, () => updateInspection(entry, { id: insp.id, teamId: foreign.id }), 'VALIDATION', 'teamId', 'other_round');
    expectRefused(t, () => updateInspection(entry, { id: insp.id, teamId: UNKNOWN_ID }), 'NOT_FOUND', 'teamId');
    expect(updateInspection(entry, { id: insp.id, teamId: null })).toMatchObject({ teamId: null, teamName: null });
  });

  it('names the field of unknown or deleted references', () => {
    const u = unit();
    expectRefused(t, () => createInspection(entry, { roundId: UNKNOWN_ID, unitId: u.id }), 'NOT_FOUND', 'roundId');
    expectRefused(t, () => createInspection(entry, { roundId, unitId: UNKNOWN_ID }), 'NOT_FOUND', 'unitId');
    expectRefused(t, () => createInspection(entry, { roundId, unitId: u.id, teamId: UNKNOWN_ID }), 'NOT_FOUND', 'teamId');
    expectRefused(t, () => createInspection(entry, { roundId, unitId: 'abc' }), 'VALIDATION', 'unitId', 'bad_id');
    expectRefused(t, () => getInspection(entry, { id: UNKNOWN_ID }), 'NOT_FOUND', 'id');
    expectRefused(t, () => listInspections(entry, { roundId: UNKNOWN_ID }), 'NOT_FOUND', 'roundId');
    expectRefused(t, () => listFeedback(entry, { inspectionId: UNKNOWN_ID }), 'NOT_FOUND', 'inspectionId');
    expectRefused(t, () => addFeedback(entry, { ...FB, inspectionId: UNKNOWN_ID }), 'NOT_FOUND', 'inspectionId');
    deleteUnit(entry, { id: u.id, reason: '撤并' });
    expectRefused(t, () => createInspection(entry, { roundId, unitId: u.id }), 'NOT_FOUND', 'unitId');
  });

  it('refuses a read-only user', () => {
    const u = unit();
    expectRefused(t, () => createInspection(t.as(t.users.readonly), { roundId, unitId: u.id }), 'FORBIDDEN');
    const insp = createInspection(entry, { roundId, unitId: u.id });
    expectRefused(t, () => addFeedback(t.as(t.users.readonly), { ...FB, inspectionId: insp.id }), 'FORBIDDEN');
    expectRefused(t, () => deleteInspection(t.as(t.users.readonly), { id: insp.id, reason: '误加' }), 'FORBIDDEN');
  });

  it('refuses to delete an inspection that still has live problems', () => {
    const u = unit();
    const insp = createInspection(entry, { roundId, unitId: u.id });
    expectRefused(t, () => deleteInspection(entry, { id: insp.id }), 'VALIDATION', 'reason', 'required');
    fxProblem(entry, { unitId: u.id, roundId, inspectionId: insp.id, categoryId: categoryId(entry, '选人用人') });
    expectRefused(t, () => deleteInspection(entry, { id: insp.id, reason: '误加' }), 'CONFLICT', undefined, 'in_use');
  });

  it('restores an inspection only under a live round and unit, dropping a team deleted meanwhile', () => {
    const team = createTeam(entry, { roundId, number: 1 });
    const u = unit();
    const insp = createInspection(entry, { roundId, unitId: u.id, teamId: team.id });
    deleteInspection(entry, { id: insp.id, reason: '误加' });
    deleteTeam(entry, { id: team.id, reason: '撤销' });
    deleteUnit(entry, { id: u.id, reason: '撤并' });
    expectRefused(t, () => restoreInspection(entry, { id: insp.id }), 'CONFLICT', undefined, 'parent_deleted');
    restoreUnit(entry, { id: u.id });
    expect(restoreInspection(entry, { id: insp.id })).toMatchObject({ deletedAt: null, teamId: null });
    expectRefused(t, () => restoreInspection(entry, { id: UNKNOWN_ID }), 'NOT_FOUND', 'id');
  });
});

describe('feedback (反馈意见)', () => {
  let inspectionId: string;
  beforeEach(() => {
    inspectionId = createInspection(entry, { roundId, unitId: unit().id }).id;
  });

  it('records feedback and lists it in date order', () => {
    const late = addFeedback(entry, { ...FB, inspectionId, feedbackDate: '2024-02-05', kind: 'one_to_one' });
    const early = addFeedback(entry, { ...FB, inspectionId });
    expect(early).toMatchObject({ kind: 'collective', feedbackDate: '2024-01-31', docNumber: '某巡反〔2024〕3号' });
    expect(listFeedback(entry, { inspectionId }).map((f) => f.id)).toEqual([early.id, late.id]);
    expect(getInspection(entry, { id: inspectionId })).toMatchObject({ roundName: '某省委第二轮巡视', firstFeedbackOn: '2024-01-31' });
  });

  it('refuses a feedback date before the round’s entry date, accepting the entry day itself', () => {
    expectRefused(t, () => addFeedback(entry, { ...FB, inspectionId, feedbackDate: '2023-09-09' }), 'VALIDATION', 'feedbackDate', 'before_entry');
    expect(addFeedback(entry, { ...FB, inspectionId, feedbackDate: '2023-09-10' }).feedbackDate).toBe('2023-09-10');
  });

  it('accepts any real date when the round has no entry date', () => {
    const open = createRound(entry, { name: '某省委机动巡视', level: 'province', kind: 'mobile' });
    const insp = createInspection(entry, { roundId: open.id, unitId: unit('某某乙公司').id });
    expect(addFeedback(entry, { ...FB, inspectionId: insp.id, feedbackDate: '2020-01-01' }).feedbackDate).toBe('2020-01-01');
  });

  it('validates kind, date, document number and body', () => {
    expectRefused(t, () => addFeedback(entry, { ...FB, inspectionId, feedbackDate: '2024-02-30' }), 'VALIDATION', 'feedbackDate', 'bad_date');
    expectRefused(t, () => addFeedback(entry, { ...FB, inspectionId, feedbackDate: undefined }), 'VALIDATION', 'feedbackDate', 'required');
    expectRefused(t, () => addFeedback(entry, { ...FB, inspectionId, kind: 'email' }), 'VALIDATION', 'kind', 'bad_choice');
    expectRefused(t, () => addFeedback(entry, { ...FB, inspectionId, docNumber: '号'.repeat(101) }), 'VALIDATION', 'docNumber', 'too_long');
    expectRefused(t, () => addFeedback(entry, { ...FB, inspectionId, body: ' ' }), 'VALIDATION', 'body', 'required');
    expectRefused(t, () => addFeedback(entry, { ...FB, inspectionId, body: '文'.repeat(LEN.long + 1) }), 'VALIDATION', 'body', 'too_long');
    expect(addFeedback(entry, { ...FB, inspectionId, docNumber: '号'.repeat(100) }).docNumber).toHaveLength(100);
  });

  it('updates feedback under the same rules', () => {
    const f = addFeedback(entry, { ...FB, inspectionId });
    expectRefused(t, () => updateFeedback(entry, { id: f.id, feedbackDate: '2023-01-01' }), 'VALIDATION', 'feedbackDate', 'before_entry');
    expectRefused(t, () => updateFeedback(entry, { id: f.id, feedbackDate: '2024-04-31' }), 'VALIDATION', 'feedbackDate', 'bad_date');
    expectRefused(t, () => updateFeedback(entry, { id: f.id, body: '' }), 'VALIDATION', 'body');
    expectRefused(t, () => updateFeedback(entry, { id: UNKNOWN_ID, body: '正文' }), 'NOT_FOUND', 'id');
    const u = updateFeedback(entry, { id: f.id, feedbackDate: '2024-02-01', docNumber: null });
    expect(u).toMatchObject({ feedbackDate: '2024-02-01', docNumber: null, body: FB.body });
  });

  it('refuses to delete feedback that problems cite; deletes and restores other feedback', () => {
    const cited = addFeedback(entry, { ...FB, inspectionId });
    const spare = addFeedback(entry, { ...FB, inspectionId, kind: 'one_to_one' });
    const insp = getInspection(entry, { id: inspectionId });
    fxProblem(entry, { unitId: insp.unitId, roundId, inspectionId, feedbackId: cited.id, categoryId: categoryId(entry, '廉洁风险') });
    expectRefused(t, () => deleteFeedback(entry, { id: cited.id, reason: '重复' }), 'CONFLICT', undefined, 'in_use');
    expect(deleteFeedback(entry, { id: spare.id, reason: '重复' }).deletedReason).toBe('重复');
    expect(listFeedback(entry, { inspectionId }).map((f) => f.id)).toEqual([cited.id]);
    expect(listFeedback(entry, { inspectionId, includeDeleted: true })).toHaveLength(2);
    expect(restoreFeedback(entry, { id: spare.id }).deletedAt).toBeNull();
  });

  it('restores feedback only while its inspection is live', () => {
    const f = addFeedback(entry, { ...FB, inspectionId });
    deleteFeedback(entry, { id: f.id, reason: '误录' });
    deleteInspection(entry, { id: inspectionId, reason: '误加' });
    expectRefused(t, () => restoreFeedback(entry, { id: f.id }), 'CONFLICT', undefined, 'parent_deleted');
    expectRefused(t, () => restoreFeedback(entry, { id: UNKNOWN_ID }), 'NOT_FOUND', 'id');
  });
});
