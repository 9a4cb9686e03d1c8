import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../db/core/audit.js';
import type { ServiceContext } from '../../db/core/context.js';
import { listDutyGroups } from '../../db/queries/duty-groups.js';
import { bulkAssignDepartment, bulkSetDeadline, MAX_BULK } from '../../db/services/bulk.js';
import { reviewCloseout, submitCloseout } from '../../db/services/closeout.js';
import { getProblem } from '../../db/services/problems.js';
import { dropTask, getTask, startTask, type Task } from '../../db/services/tasks.js';
import { auditCount, expectRefused, UNKNOWN_ID } from '../helpers/expect.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';
import { attach, newProblemAndTask, stage } from '../helpers/workflow.js';

let t: TestLedger;
let s: ReturnType<typeof stage>;
let entry: ServiceContext;
let reviewer: ServiceContext;

beforeEach(() => {
  t = makeTestLedger({ today: '2024-03-15' });
  s = stage(t);
  entry = t.as(t.users.entry);
  reviewer = t.as(t.users.reviewer);
});
afterEach(() => t.close());

const task = (id: string) => getTask(entry, { id }).task;

function draft(o: Record<string, unknown> = {}): Task {
  return newProblemAndTask(entry, s, o).task;
}
function started(): Task {
  const x = draft();
  startTask(entry, { id: x.id });
  return task(x.id);
}
function pending(): Task {
  const x = started();
  attach(entry, x.id, `材料${x.id.slice(-4)}`);
  submitCloseout(entry, { taskId: x.id, completedOn: '2024-03-10' });
  return task(x.id);
}
function closed(): Task {
  const x = pending();
  reviewCloseout(reviewer, { taskId: x.id, decision: 'accept', comment: '同意销号。' });
  return task(x.id);
}

describe('bulk assignment of the responsible department', () => {
  it('changes every editable task in one call and reports which changed, which already had it and which were refused', () => {
    const a = draft();
    const b = started();
    const same = draft({ responsibleDepartment: '纪检监察室' });
    const locked = pending();
    const done = closed();
    const r = bulkAssignDepartment(entry, { taskIds: [a.id, b.id, same.id, locked.id, done.id, a.id], responsibleDepartment: '纪检监察室' });
    expect(r.total).toBe(5);
    expect(r.changed.sort()).toEqual([a.id, b.id].sort());
    expect(r.unchanged).toEqual([same.id]);
    expect(r.refused).toEqual([
      expect.objectContaining({ id: locked.id, code: 'LOCKED', reason: 'under_review' }),
      expect.objectContaining({ id: done.id, code: 'LOCKED', reason: 'closed' }),
    ]);
    expect(r.refused.every((x) => /[\u4e00-\u9fff]/.test(x.message))).toBe(true);
    expect(task(a.id).responsibleDepartment).toBe('纪检监察室');
    expect(task(b.id).responsibleDepartment).toBe('纪检监察室');
    expect(task(locked.id).responsibleDepartment).toBe('办公室');
    expect(task(done.id)).toMatchObject({ responsibleDepartment: '办公室', status: 'closed' });
    expect(verifyAudit(t.ledger).ok).toBe(true);
  });

  it('reports a deleted or unknown task as not found and still changes the others', () => {
    const a = draft();
    const gone = draft();
    dropTask(entry, { id: gone.id, reason: '与其他任务重复。' });
    const r = bulkAssignDepartment(entry, { taskIds: [gone.id, UNKNOWN_ID, a.id], responsibleDepartment: '财务部' });
    expect(r.changed).toEqual([a.id]);
    expect(r.refused.map((x) => [x.id, x.code])).toEqual([[gone.id, 'NOT_FOUND'], [UNKNOWN_ID, 'NOT_FOUND']]);
  });

  it('shows the new department in the 责任清单 groups', () => {
    const ids = [draft().id, draft().id, draft().id];
    bulkAssignDepartment(entry, { taskIds: ids, responsibleDepartment: '党委办公室' });
    const g = listDutyGroups(entry, { by: 'department', roundId: s.round.id });
    expect(g.rows).toEqual([{ key: '党委办公室', tasks: 3, open: 3, overdue: 0, closed: 0 }]);
  });

  it('refuses a bad call before writing anything', () => {
    const a = draft();
    expectRefused(t, () => bulkAssignDepartment(entry, { taskIds: [], responsibleDepartment: '财务部' }), 'VALIDATION', 'taskIds', 'required');
    expectRefused(t, () => bulkAssignDepartment(entry, { taskIds: [a.id], responsibleDepartment: ' ' }), 'VALIDATION', 'responsibleDepartment', 'required');
    expectRefused(t, () => bulkAssignDepartment(entry, { taskIds: [a.id, 'x'], responsibleDepartment: '财务部' }), 'VALIDATION', 'taskIds[1]', 'bad_id');
    expectRefused(t, () => bulkAssignDepartment(entry, { taskIds: Array(MAX_BULK + 1).fill(a.id), responsibleDepartment: '财务部' }), 'VALIDATION', 'taskIds', 'too_many');
    expectRefused(t, () => bulkAssignDepartment(t.as(t.users.readonly), { taskIds: [a.id], responsibleDepartment: '财务部' }), 'FORBIDDEN');
  });

  it('takes up to the limit of tasks in one transaction', () => {
    const a = draft();
    const b = draft();
    const before = auditCount(t);
    const ids = Array.from({ length: MAX_BULK }, (_, k) => (k % 2 ? a.id : b.id));
    const r = bulkAssignDepartment(entry, { taskIds: ids, responsibleDepartment: '综合部' });
    expect(r).toMatchObject({ total: 2, refused: [] });
    expect(auditCount(t)).toBe(before + 2);
  });
});

describe('bulk deadline', () => {
  it('sets the deadline of draft tasks and refuses, task by task, those already started', () => {
    const a = draft();
    const b = started();
    const c = draft();
    const r = bulkSetDeadline(entry, { taskIds: [a.id, b.id, c.id], deadline: '2024-05-31' });
    expect(r.changed.sort()).toEqual([a.id, c.id].sort());
    expect(r.refused).toEqual([expect.objectContaining({ id: b.id, code: 'VALIDATION', field: 'deadline', reason: 'use_extension' })]);
    expect(task(a.id)).toMatchObject({ deadline: '2024-05-31', currentDeadline: '2024-05-31' });
    expect(task(b.id).deadline).toBe('2024-04-30');
    // the problem's earliest open deadline follows its tasks
    expect(getProblem(entry, { id: a.problemId }).deadline).toBe('2024-05-31');
  });

  it('refuses per task a deadline before the feedback date, keeping the others', () => {
    const a = draft();
    const r = bulkSetDeadline(entry, { taskIds: [a.id], deadline: '2024-01-15' });
    expect(r.changed).toEqual([]);
    expect(r.refused).toEqual([expect.objectContaining({ id: a.id, field: 'deadline', reason: 'before_feedback' })]);
    expect(task(a.id).deadline).toBe('2024-04-30');
  });

  it('refuses an impossible date for the whole call', () => {
    const a = draft();
    expectRefused(t, () => bulkSetDeadline(entry, { taskIds: [a.id], deadline: '2024-02-30' }), 'VALIDATION', 'deadline', 'bad_date');
  });
});
