import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../db/core/context.js';
import { listDutyGroups } from '../../db/queries/duty-groups.js';
import { reviewCloseout, submitCloseout } from '../../db/services/closeout.js';
import { dropTask, startTask } from '../../db/services/tasks.js';
import { expectError } from '../helpers/expect.js';
import { fxProblem, fxRound, fxTask } from '../helpers/fixtures.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';
import { attach, newProblemAndTask, stage } from '../helpers/workflow.js';

let t: TestLedger;
let s: ReturnType<typeof stage>;
let entry: ServiceContext;

beforeEach(() => {
  t = makeTestLedger({ today: '2024-03-15' });
  s = stage(t);
  entry = t.as(t.users.entry);
});
afterEach(() => t.close());

const draft = (o: Record<string, unknown> = {}) => newProblemAndTask(entry, s, o).task;
function closed() {
  const x = draft();
  startTask(entry, { id: x.id });
  attach(entry, x.id, `材料${x.id.slice(-4)}`);
  submitCloseout(entry, { taskId: x.id, completedOn: '2024-03-10' });
  reviewCloseout(t.as(t.users.reviewer), { taskId: x.id, decision: 'accept', comment: '同意销号。' });
}

describe('duty groups (责任清单)', () => {
  it('counts live tasks per responsible leader with open, overdue and closed figures, largest first', () => {
    draft({ responsibleLeader: '陈某某', deadline: '2024-03-01' }); // overdue on 2024-03-15
    draft({ responsibleLeader: '陈某某' });
    closed();
    draft({ responsibleLeader: null });
    const gone = draft({ responsibleLeader: '吴某' });
    dropTask(entry, { id: gone.id, reason: '并入其他任务。' });
    const g = listDutyGroups(entry, { by: 'leader' });
    expect(g).toEqual({
      by: 'leader',
      truncated: false,
      rows: [
        { key: '陈某某', tasks: 3, open: 2, overdue: 1, closed: 1 },
        { key: null, tasks: 1, open: 1, overdue: 0, closed: 0 },
      ],
    });
    expect(listDutyGroups(entry, { by: 'leader', q: '陈' }).rows.map((r) => r.key)).toEqual(['陈某某']);
    expect(listDutyGroups(entry, { by: 'leader', limit: 1 })).toMatchObject({ truncated: true, rows: [{ key: '陈某某' }] });
  });

  it('counts only the round and unit asked for and refuses a bad grouping', () => {
    draft({ responsibleDepartment: '办公室' });
    const admin = t.as(t.users.admin);
    const round2 = fxRound(admin, { name: '某省委第二轮巡视' });
    const p2 = fxProblem(admin, { unitId: s.unit.id, roundId: round2.id, categoryId: s.cat });
    fxTask(admin, { problemId: p2.id, unitId: s.unit.id, roundId: round2.id, responsibleDepartment: '财务部' });
    expect(listDutyGroups(entry, { by: 'department', roundId: s.round.id }).rows.map((r) => r.key)).toEqual(['办公室']);
    expect(listDutyGroups(entry, { by: 'department', roundId: round2.id }).rows.map((r) => r.key)).toEqual(['财务部']);
    expect(listDutyGroups(entry, { by: 'department', unitId: s.unit.id }).rows.map((r) => r.key).sort()).toEqual(['办公室', '财务部'].sort());
    expectError(() => listDutyGroups(entry, { by: 'person' }), 'VALIDATION', 'by');
    expectError(() => listDutyGroups(t.as(null), { by: 'leader' }), 'FORBIDDEN');
  });
});
