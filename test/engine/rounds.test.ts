import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../db/core/audit.js';
import type { ServiceContext } from '../../db/core/context.js';
import { clockRuleSets, inspections } from '../../db/schema/index.js';
import {
  createRound, createTeam, deleteRound, deleteTeam, getRound, listRounds, listTeams, restoreRound, restoreTeam,
  updateRound, updateTeam,
} from '../../db/services/rounds.js';
import { LEN } from '../../db/domain/fields.js';
import { getRow, insertRow, softDelete } from '../../db/core/write.js';
import { auditCount, expectRefused, UNKNOWN_ID } from '../helpers/expect.js';
import { categoryId, fxInspection, fxProblem, fxUnit, ruleSetId } from '../helpers/fixtures.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';

let t: TestLedger;
let entry: ServiceContext;
beforeEach(() => {
  t = makeTestLedger({ today: '2024-03-01' });
  entry = t.as(t.users.entry);
});
afterEach(() => t.close());

const ROUND = { name: '某省委第三轮巡视', level: 'province', kind: 'regular', mobilisedOn: '2024-03-05', enteredOn: '2024-03-10' };

describe('rounds', () => {
  it('creates a round with the newest 2022 rule set and the usual form for its level, audited', () => {
    const before = auditCount(t);
    const r = createRound(entry, ROUND);
    expect(r).toMatchObject({ name: '某省委第三轮巡视', level: 'province', form: 'xunshi', kind: 'regular', ruleSetCode: 'CPC-2022' });
    expect(r.ruleSetId).toBe(ruleSetId(entry, 'CPC-2022'));
    expect(auditCount(t)).toBe(before + 1);
    const county = createRound(entry, { name: '某县委第一轮巡察', level: 'county' });
    expect(county.form).toBe('xuncha');
    expect(county.kind).toBe('regular');
    expect(verifyAudit(t.ledger).ok).toBe(true);
  });

  it('picks the highest version of CPC-2022 when several exist', () => {
    const admin = t.as(t.users.admin);
    const v2 = insertRow(admin, clockRuleSets, {
      code: 'CPC-2022', name: '2022年意见（修订）', ruleVersion: 2, basis: null, rules: '{}',
    });
    expect(createRound(entry, ROUND).ruleSetId).toBe(v2.id);
  });

  it('uses an explicitly chosen rule set', () => {
    const r = createRound(entry, { ...ROUND, ruleSetId: ruleSetId(entry, 'CPC-2017') });
    expect(r.ruleSetCode).toBe('CPC-2017');
  });

  it('refuses a rule set that does not exist or was deleted, naming ruleSetId', () => {
    expectRefused(t, () => createRound(entry, { ...ROUND, ruleSetId: UNKNOWN_ID }), 'NOT_FOUND', 'ruleSetId');
    expectRefused(t, () => createRound(entry, { ...ROUND, ruleSetId: 'CPC-2017' }), 'VALIDATION', 'ruleSetId');
    const admin = t.as(t.users.admin);
    const rs = getRow(admin, clockRuleSets, ruleSetId(admin, 'CPC-2017'))!;
    softDelete(admin, clockRuleSets, rs, '停用');
    expectRefused(t, () => createRound(entry, { ...ROUND, ruleSetId: rs.id }), 'NOT_FOUND', 'ruleSetId');
  });

  it('requires a name within the length limit', () => {
    expectRefused(t, () => createRound(entry, { ...ROUND, name: '  ' }), 'VALIDATION', 'name', 'required');
    expectRefused(t, () => createRound(entry, { ...ROUND, name: '轮'.repeat(LEN.short + 1) }), 'VALIDATION', 'name', 'too_long');
    expect(createRound(entry, { ...ROUND, name: '轮'.repeat(LEN.short) }).name).toHaveLength(LEN.short);
  });

  it('refuses values outside the level, form and kind vocabularies', () => {
    expectRefused(t, () => createRound(entry, { ...ROUND, level: 'township' }), 'VALIDATION', 'level');
    expectRefused(t, () => createRound(entry, { ...ROUND, form: 'audit' }), 'VALIDATION', 'form');
    expectRefused(t, () => createRound(entry, { ...ROUND, kind: 'surprise' }), 'VALIDATION', 'kind');
  });

  it('refuses dates that do not exist', () => {
    expectRefused(t, () => createRound(entry, { ...ROUND, mobilisedOn: '2023-02-29' }), 'VALIDATION', 'mobilisedOn', 'bad_date');
    expectRefused(t, () => createRound(entry, { ...ROUND, enteredOn: '2024/03/10' }), 'VALIDATION', 'enteredOn', 'bad_date');
    expectRefused(t, () => createRound(entry, { ...ROUND, feedbackOn: '2024-13-01' }), 'VALIDATION', 'feedbackOn', 'bad_date');
  });

  it('keeps mobilisation, entry and feedback dates in order', () => {
    expectRefused(t, () => createRound(entry, { ...ROUND, enteredOn: '2024-03-04' }), 'VALIDATION', 'enteredOn', 'date_order');
    expectRefused(t, () => createRound(entry, { ...ROUND, feedbackOn: '2024-03-09' }), 'VALIDATION', 'feedbackOn', 'date_order');
    expectRefused(t, 
      () => createRound(entry, { ...ROUND, enteredOn: null, feedbackOn: '2024-03-01' }),
      'VALIDATION', 'feedbackOn', 'date_order',
    );
    const same = createRound(entry, { ...ROUND, enteredOn: '2024-03-05', feedbackOn: '2024-03-05' });
    expect(same.feedbackOn).toBe('2024-03-05');
  });

  it('lets a read-only user list rounds but not record them', () => {
    createRound(entry, ROUND);
    const ro = t.as(t.users.readonly);
    expect(listRounds(ro)).toHaveLength(1);
    expectRefused(t, () => createRound(ro, ROUND), 'FORBIDDEN');
    expectRefused(t, () => createRound(t.as(null), ROUND), 'FORBIDDEN');
  });

  it('lists rounds newest first, rounds still without dates on top', () => {
    const old = createRound(entry, { ...ROUND, name: '第一轮', mobilisedOn: '2023-03-01', enteredOn: '2023-03-10' });
    const recent = createRound(entry, { ...ROUND, name: '第二轮', mobilisedOn: '2023-09-01', enteredOn: '2023-09-10' });
    const planned = createRound(entry, { name: '第三轮', level: 'province' });
    expect(listRounds(entry).map((r) => r.id)).toEqual([planned.id, recent.id, old.id]);
  });

  it('counts teams and inspected units per round', () => {
    const r = createRound(entry, ROUND);
    const team = createTeam(entry, { roundId: r.id, number: 1 });
    fxInspection(entry, { roundId: r.id, unitId: fxUnit(entry).id, teamId: team.id, feedbackDate: '2024-05-01' });
    expect(getRound(entry, { id: r.id })).toMatchObject({ teamCount: 1, unitCount: 1 });
  });

  it('names the field of an unknown round id', () => {
    expectRefused(t, () => getRound(entry, { id: UNKNOWN_ID }), 'NOT_FOUND', 'id');
    expectRefused(t, () => updateRound(entry, { id: UNKNOWN_ID, name: '新名称' }), 'NOT_FOUND', 'id');
    expectRefused(t, () => listTeams(entry, { roundId: UNKNOWN_ID }), 'NOT_FOUND', 'roundId');
  });

  it('updates a round and checks the dates against the stored ones', () => {
    const r = createRound(entry, ROUND);
    const u = updateRound(entry, { id: r.id, name: '某省委第三轮巡视（调整）', feedbackOn: '2024-06-01' });
    expect(u).toMatchObject({ name: '某省委第三轮巡视（调整）', feedbackOn: '2024-06-01', enteredOn: '2024-03-10' });
    expectRefused(t, () => updateRound(entry, { id: r.id, enteredOn: '2024-03-01' }), 'VALIDATION', 'enteredOn', 'date_order');
    expectRefused(t, () => updateRound(entry, { id: r.id, feedbackOn: '2024-03-09' }), 'VALIDATION', 'feedbackOn', 'date_order');
    expectRefused(t, () => updateRound(entry, { id: r.id, ruleSetId: UNKNOWN_ID }), 'NOT_FOUND', 'ruleSetId');
    expect(updateRound(entry, { id: r.id, ruleSetId: ruleSetId(entry, 'CPC-2017') }).ruleSetCode).toBe('CPC-2017');
  });

  it('refuses to move the entry date past feedback already recorded in the round', () => {
    const r = createRound(entry, ROUND);
    fxInspection(entry, { roundId: r.id, unitId: fxUnit(entry).id, feedbackDate: '2024-05-20' });
    expectRefused(t, () => updateRound(entry, { id: r.id, enteredOn: '2024-05-21' }), 'VALIDATION', 'enteredOn', 'after_feedback');
    expect(updateRound(entry, { id: r.id, enteredOn: '2024-05-20' }).enteredOn).toBe('2024-05-20');
  });

  it('deletes an empty round with a reason, hides it, and restores it', () => {
    const r = createRound(entry, ROUND);
    expectRefused(t, () => deleteRound(entry, { id: r.id }), 'VALIDATION', 'reason', 'required');
    const d = deleteRound(entry, { id: r.id, reason: '重复录入' });
    expect(d.deletedReason).toBe('重复录入');
    expect(listRounds(entry)).toHaveLength(0);
    expect(listRounds(entry, { includeDeleted: true }).map((x) => x.id)).toEqual([r.id]);
    expectRefused(t, () => getRound(entry, { id: r.id }), 'NOT_FOUND', 'id');
    expect(restoreRound(entry, { id: r.id }).deletedAt).toBeNull();
    expect(listRounds(entry)).toHaveLength(1);
    expectRefused(t, () => restoreRound(entry, { id: UNKNOWN_ID }), 'NOT_FOUND', 'id');
  });

  it('refuses to delete a round that still has inspected units or live problems', () => {
    const r = createRound(entry, ROUND);
    const unit = fxUnit(entry);
    const { inspection } = fxInspection(entry, { roundId: r.id, unitId: unit.id, feedbackDate: '2024-05-01' });
    expectRefused(t, () => deleteRound(entry, { id: r.id, reason: '误建' }), 'CONFLICT', undefined, 'in_use');
    softDelete(entry, inspections, inspection, '移除');
    fxProblem(entry, { unitId: unit.id, roundId: r.id, categoryId: categoryId(entry, '廉洁风险') });
    expectRefused(t, () => deleteRound(entry, { id: r.id, reason: '误建' }), 'CONFLICT', undefined, 'in_use');
  });
});

describe('teams', () => {
  it('numbers teams within a round and names them 第N巡视组 by default', () => {
    const r = createRound(entry, ROUND);
    const t3 = createTeam(entry, { roundId: r.id, number: 3, leaderName: '吴某某' });
    const t1 = createTeam(entry, { roundId: r.id, number: 1, name: '第一巡视组' });
    expect(t3).toMatchObject({ name: '第3巡视组', number: 3, leaderName: '吴某某', unitCount: 0 });
    expect(listTeams(entry, { roundId: r.id }).map((x) => x.id)).toEqual([t1.id, t3.id]);
    const xuncha = createRound(entry, { name: '某市委第二轮巡察', level: 'city' });
    expect(createTeam(entry, { roundId: xuncha.id, number: 1 }).name).toBe('第1巡察组');
  });

  it('refuses a team number already used in the same round, but not in another round', () => {
    const r = createRound(entry, ROUND);
    const other = createRound(entry, { ...ROUND, name: '另一轮' });
    createTeam(entry, { roundId: r.id, number: 2 });
    expectRefused(t, () => createTeam(entry, { roundId: r.id, number: 2 }), 'VALIDATION', 'number', 'duplicate');
    expect(createTeam(entry, { roundId: other.id, number: 2 }).number).toBe(2);
  });

  it('validates the number, the names and the round', () => {
    const r = createRound(entry, ROUND);
    expectRefused(t, () => createTeam(entry, { roundId: r.id, number: 1.5 }), 'VALIDATION', 'number');
    expectRefused(t, () => createTeam(entry, { roundId: r.id, number: 0 }), 'VALIDATION', 'number');
    expectRefused(t, () => createTeam(entry, { roundId: r.id, number: '1' }), 'VALIDATION', 'number');
    expectRefused(t, () => createTeam(entry, { roundId: r.id, number: 1, name: '组'.repeat(LEN.name + 1) }), 'VALIDATION', 'name');
    expectRefused(t, () => createTeam(entry, { roundId: r.id, number: 1, leaderName: '某'.repeat(LEN.name + 1) }), 'VALIDATION', 'leaderName');
    expectRefused(t, () => createTeam(entry, { roundId: UNKNOWN_ID, number: 1 }), 'NOT_FOUND', 'roundId');
    expectRefused(t, () => createTeam(entry, { number: 1 }), 'VALIDATION', 'roundId');
    expectRefused(t, () => createTeam(t.as(t.users.readonly), { roundId: r.id, number: 1 }), 'FORBIDDEN');
  });

  it('updates a team and keeps numbers unique when renumbering', () => {
    const r = createRound(entry, ROUND);
    const a = createTeam(entry, { roundId: r.id, number: 1 });
    createTeam(entry, { roundId: r.id, number: 2 });
    expectRefused(t, () => updateTeam(entry, { id: a.id, number: 2 }), 'VALIDATION', 'number', 'duplicate');
    expectRefused(t, () => updateTeam(entry, { id: a.id, name: '' }), 'VALIDATION', 'name', 'required');
    const u = updateTeam(entry, { id: a.id, number: 5, leaderName: '郑某某' });
    expect(u).toMatchObject({ number: 5, leaderName: '郑某某' });
    expect(updateTeam(entry, { id: a.id, number: 5 }).number).toBe(5);
    expectRefused(t, () => updateTeam(entry, { id: UNKNOWN_ID, number: 9 }), 'NOT_FOUND', 'id');
  });

  it('refuses to delete a team still assigned to a unit; a deleted team frees its number until restored', () => {
    const r = createRound(entry, ROUND);
    const busy = createTeam(entry, { roundId: r.id, number: 1 });
    fxInspection(entry, { roundId: r.id, unitId: fxUnit(entry).id, teamId: busy.id, feedbackDate: '2024-05-01' });
    expectRefused(t, () => deleteTeam(entry, { id: busy.id, reason: '撤销' }), 'CONFLICT', undefined, 'in_use');

    const idle = createTeam(entry, { roundId: r.id, number: 2 });
    deleteTeam(entry, { id: idle.id, reason: '组号录错' });
    expect(listTeams(entry, { roundId: r.id }).map((x) => x.number)).toEqual([1]);
    const again = createTeam(entry, { roundId: r.id, number: 2 });
    expectRefused(t, () => restoreTeam(entry, { id: idle.id }), 'CONFLICT', undefined, 'duplicate');
    deleteTeam(entry, { id: again.id, reason: '重复' });
    expect(restoreTeam(entry, { id: idle.id }).deletedAt).toBeNull();
  });

  it('hides the teams of a deleted round and refuses new ones there', () => {
    const r = createRound(entry, ROUND);
    const team = createTeam(entry, { roundId: r.id, number: 1 });
    deleteTeam(entry, { id: team.id, reason: '误建' });
    deleteRound(entry, { id: r.id, reason: '误建' });
    expectRefused(t, () => createTeam(entry, { roundId: r.id, number: 2 }), 'NOT_FOUND', 'roundId');
    expectRefused(t, () => restoreTeam(entry, { id: team.id }), 'CONFLICT', undefined, 'parent_deleted');
  });
});
