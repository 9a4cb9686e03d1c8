import { afterEach, describe, expect, it } from 'vitest';
import {
  createAccountability, deleteAccountability, getAccountability, listAccountability, restoreAccountability, updateAccountability,
} from '../../db/services/accountability.js';
import {
  deleteEscalation, getEscalationLadder, issueEscalation, listEscalations, restoreEscalation, updateEscalation,
} from '../../db/services/escalations.js';
import { problems } from '../../db/schema/index.js';
import { softDelete } from '../../db/core/write.js';
import { expectRefused } from '../helpers/expect.js';
import { makeWorld, rowCount, type Ctx, type World } from './supervision-world.js';

let w: World;
afterEach(() => w?.t.close());

describe('escalation ladder 通知书 → 提醒书 → 告诫书 → 问责', () => {
  const issue = (ctx: Ctx, level: string, issuedOn: string, o: Record<string, unknown> = {}) => issueEscalation(ctx, {
    targetType: 'task', targetId: w.task.id, level, issuedOn, reason: '整改任务逾期未完成。', ...o,
  });

  it('climbs the ladder one step at a time for a task, filed under its unit', () => {
    w = makeWorld();
    const n = issue(w.sup, 'notice', '2024-05-01', { docNumber: '某纪督〔2024〕3号' });
    expect(n).toMatchObject({ unitId: w.unit.id, targetType: 'task', targetId: w.task.id, level: 'notice' });
    issue(w.sup, 'reminder', '2024-05-15');
    issue(w.sup, 'warning', '2024-05-15');
    issue(w.sup, 'accountability', '2024-06-01');
    const ladder = getEscalationLadder(w.readonly, { targetType: 'task', targetId: w.task.id });
    expect([ladder.highest, ladder.next]).toEqual(['accountability', null]);
    expect(listEscalations(w.readonly, { unitId: w.unit.id }).items.map((x) => x.level)).toEqual(['notice', 'reminder', 'warning', 'accountability']);
  });

  it('refuses a step without the previous one for the same target (CONFLICT ladder)', () => {
    w = makeWorld();
    expectRefused(w.t, () => issue(w.sup, 'reminder', '2024-05-01'), 'CONFLICT', undefined, 'ladder');
    expectRefused(w.t, () => issue(w.sup, 'accountability', '2024-05-01'), 'CONFLICT', undefined, 'ladder');
    issue(w.sup, 'notice', '2024-05-01');
    expectRefused(w.t, () => issue(w.sup, 'warning', '2024-05-20'), 'CONFLICT', undefined, 'ladder');
    // A notice to the unit does not count for its task, nor one to another task.
    issueEscalation(w.sup, { targetType: 'unit', targetId: w.unit2.id, level: 'notice', issuedOn: '2024-05-01', reason: '整改进度滞后。' });
    expectRefused(w.t, () => issueEscalation(w.sup, { targetType: 'unit', targetId: w.unit.id, level: 'reminder', issuedOn: '2024-05-20', reason: '仍滞后。' }), 'CONFLICT', undefined, 'ladder');
    expectRefused(w.t, () => issue(w.sup, 'reminder', '2024-05-20', { targetId: w.otherTask.id }), 'CONFLICT', undefined, 'ladder');
    expect(rowCount(w.t, 'escalation_notices')).toBe(2);
  });

  it('refuses a step dated before the previous level', () => {
    w = makeWorld();
    issue(w.sup, 'notice', '2024-05-10');
    expectRefused(w.t, () => issue(w.sup, 'reminder', '2024-05-09'), 'VALIDATION', 'issuedOn', 'before_previous_level');
    const r = issue(w.sup, 'reminder', '2024-05-10');
    expectRefused(w.t, () => updateEscalation(w.sup, { id: r.id, issuedOn: '2024-05-01' }), 'VALIDATION', 'issuedOn');
  });

  it('will not withdraw or re-date a step a higher one rests on', () => {
    w = makeWorld();
    const n = issue(w.sup, 'notice', '2024-05-01');
    const r = issue(w.sup, 'reminder', '2024-05-10');
    expectRefused(w.t, () => deleteEscalation(w.sup, { id: n.id, reason: '误发。' }), 'CONFLICT', undefined, 'ladder');
    expectRefused(w.t, () => updateEscalation(w.sup, { id: n.id, issuedOn: '2024-05-11' }), 'CONFLICT', undefined, 'ladder');
    expectRefused(w.t, () => updateEscalation(w.sup, { id: n.id, level: 'warning' }), 'VALIDATION', 'level', 'immutable');
    deleteEscalation(w.sup, { id: r.id, reason: '误发。' });
    deleteEscalation(w.sup, { id: n.id, reason: '误发。' });
    expect(listEscalations(w.readonly, { targetId: w.task.id }).total).toBe(0);
    expectRefused(w.t, () => restoreEscalation(w.sup, { id: r.id }), 'CONFLICT', undefined, 'ladder');
    restoreEscalation(w.sup, { id: n.id });
    expect(restoreEscalation(w.sup, { id: r.id }).deletedAt).toBeNull();
  });

  it('refuses bad input naming the field and a user without rating rights', () => {
    w = makeWorld();
    expectRefused(w.t, () => issue(w.sup, 'letter', '2024-05-01'), 'VALIDATION', 'level');
    expectRefused(w.t, () => issue(w.sup, 'notice', '2024-05-32'), 'VALIDATION', 'issuedOn');
    expectRefused(w.t, () => issue(w.sup, 'notice', '2024-05-01', { reason: '' }), 'VALIDATION', 'reason');
    expectRefused(w.t, () => issue(w.sup, 'notice', '2024-05-01', { targetId: w.problem.id }), 'NOT_FOUND', 'targetId');
    expectRefused(w.t, () => issue(w.sup, 'notice', '2024-05-01', { unitId: w.unit2.id }), 'VALIDATION', 'unitId', 'mismatch');
    expectRefused(w.t, () => issue(w.sup, 'notice', '2024-05-01', { targetType: 'person' }), 'VALIDATION', 'targetType');
    expectRefused(w.t, () => issue(w.entry, 'notice', '2024-05-01'), 'FORBIDDEN');
    expect(rowCount(w.t, 'escalation_notices')).toBe(0);
  });
});

describe('问责 accountability', () => {
  const hold = (ctx: Ctx, o: Record<string, unknown> = {}) => createAccountability(ctx, {
    roundId: w.round.id, unitId: w.unit.id, personName: '李某', post: '某某集团有限公司财务部部长',
    reason: 'perfunctory', form: 'admonishment', decidedOn: '2024-07-01', note: '整改敷衍应付。',
    problemIds: [w.problem.id], taskIds: [w.task.id], ...o,
  });

  it('records a decision with its linked problems and tasks', () => {
    w = makeWorld();
    const a = hold(w.sup);
    expect(a).toMatchObject({ personName: '李某', form: 'admonishment', problemIds: [w.problem.id], taskIds: [w.task.id] });
    expect(rowCount(w.t, 'accountability_links')).toBe(2);
    const got = getAccountability(w.readonly, { id: a.id });
    expect(got.problems[0]!.description).toBe(w.problem.description);
    expect(got.tasks[0]!.measures).toBe(w.task.measures);
  });

  it('refuses links to unknown, deleted or foreign problems and tasks, naming the position, and writes nothing', () => {
    w = makeWorld();
    expectRefused(w.t, () => hold(w.sup, { problemIds: [w.problem.id, w.unit.id] }), 'NOT_FOUND', 'problemIds[1]');
    expectRefused(w.t, () => hold(w.sup, { taskIds: [w.problem.id] }), 'NOT_FOUND', 'taskIds[0]');
    expectRefused(w.t, () => hold(w.sup, { taskIds: [w.otherTask.id] }), 'VALIDATION', 'taskIds[0]', 'other_unit');
    expectRefused(w.t, () => hold(w.sup, { problemIds: 'abc' }), 'VALIDATION', 'problemIds');
    softDelete(w.fx, problems, w.problem2, '合并到问题1。');
    expectRefused(w.t, () => hold(w.sup, { problemIds: [w.problem2.id] }), 'NOT_FOUND', 'problemIds[0]');
    expect(rowCount(w.t, 'accountability') + rowCount(w.t, 'accountability_links')).toBe(0);
  });

  it('refuses bad input naming the field and a user without rating rights', () => {
    w = makeWorld();
    expectRefused(w.t, () => hold(w.sup, { personName: ' ' }), 'VALIDATION', 'personName');
    expectRefused(w.t, () => hold(w.sup, { post: 'x'.repeat(201) }), 'VALIDATION', 'post');
    expectRefused(w.t, () => hold(w.sup, { reason: 'lazy' }), 'VALIDATION', 'reason');
    expectRefused(w.t, () => hold(w.sup, { form: '撤职' }), 'VALIDATION', 'form');
    expectRefused(w.t, () => hold(w.sup, { decidedOn: '2024/07/01' }), 'VALIDATION', 'decidedOn');
    expectRefused(w.t, () => hold(w.sup, { roundId: w.unit.id }), 'NOT_FOUND', 'roundId');
    expectRefused(w.t, () => hold(w.entry), 'FORBIDDEN');
    expectRefused(w.t, () => hold(w.t.as(w.t.users.admin)), 'FORBIDDEN');
  });

  it('replaces the link sets on update, tombstoning removed links', () => {
    w = makeWorld();
    const a = hold(w.sup);
    const u = updateAccountability(w.sup, { id: a.id, problemIds: [w.problem2.id], form: 'circular' });
    expect(u).toMatchObject({ form: 'circular', problemIds: [w.problem2.id], taskIds: [w.task.id] });
    const dead = w.t.ledger.sqlite.prepare('SELECT count(*) AS n FROM accountability_links WHERE deleted_at IS NOT NULL').get() as { n: number };
    expect(dead.n).toBe(1);
    expect(updateAccountability(w.sup, { id: a.id, taskIds: [] }).taskIds).toEqual([]);
    expect(listAccountability(w.readonly, { problemId: w.problem.id }).total).toBe(0);
    expect(listAccountability(w.readonly, { problemId: w.problem2.id }).items.map((x) => x.id)).toEqual([a.id]);
    expectRefused(w.t, () => updateAccountability(w.sup, { id: a.id, unitId: w.unit2.id }), 'VALIDATION', 'unitId', 'other_unit');
  });

  it('lists by round, unit and form in decision order, without deleted ones unless asked', () => {
    w = makeWorld();
    const late = hold(w.sup, { decidedOn: '2024-08-01' });
    const early = hold(w.sup, { decidedOn: '2024-06-01', form: 'talk_reminder', personName: '王某' });
    const other = hold(w.sup, { unitId: w.unit2.id, problemIds: [w.otherProblem.id], taskIds: [] });
    expect(listAccountability(w.readonly, { unitId: w.unit.id }).items.map((x) => x.id)).toEqual([early.id, late.id]);
    expect(listAccountability(w.readonly, { roundId: w.round.id }).items.map((x) => x.id)).toEqual([early.id, other.id, late.id]);
    expect(listAccountability(w.readonly, { form: 'talk_reminder' }).items.map((x) => x.id)).toEqual([early.id]);
    expect(listAccountability(w.readonly, { taskId: w.task.id }).total).toBe(2);
    expectRefused(w.t, () => deleteAccountability(w.sup, { id: early.id }), 'VALIDATION', 'reason');
    deleteAccountability(w.sup, { id: early.id, reason: '问责决定已撤销。' });
    expect(listAccountability(w.readonly, { unitId: w.unit.id }).items.map((x) => x.id)).toEqual([late.id]);
    expect(listAccountability(w.readonly, { unitId: w.unit.id, includeDeleted: true }).total).toBe(2);
    expect(restoreAccountability(w.sup, { id: early.id }).taskIds).toEqual([w.task.id]);
  });
});
