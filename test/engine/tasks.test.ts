import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../db/core/context.js';
import { reviewCloseout, submitCloseout } from '../../db/services/closeout.js';
import { decideExtension, requestExtension } from '../../db/services/extensions.js';
import { addEvidence, getEvidenceContent } from '../../db/services/evidence.js';
import { addProgress } from '../../db/services/progress.js';
import { getProblem } from '../../db/services/problems.js';
import {
  createTask, dropTask, getTask, reopenTask, startTask, updateTask, type Task,
} from '../../db/services/tasks.js';
import { tasks } from '../../db/schema/index.js';
import type { TaskStatus } from '../../db/domain/enums.js';
import { expectRefused } from '../helpers/expect.js';
import { fxSet } from '../helpers/fixtures.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';
import { attach, newProblemAndTask, stage } from '../helpers/workflow.js';

let t: TestLedger;
let s: ReturnType<typeof stage>;
let entry: ServiceContext;
let entry2: ServiceContext;
let reviewer: ServiceContext;
let reviewer2: ServiceContext;

beforeEach(() => {
  t = makeTestLedger({ today: '2024-03-15' });
  s = stage(t);
  entry = t.as(t.users.entry);
  entry2 = t.as(t.users.entry2);
  reviewer = t.as(t.users.reviewer);
  reviewer2 = t.as(t.users.reviewer2);
});
afterEach(() => t.close());

function taskIn(status: TaskStatus): Task {
  const { task } = newProblemAndTask(entry, s);
  if (status === 'draft') return task;
  startTask(entry, { id: task.id });
  attach(entry, task.id);
  if (status === 'in_progress') return getTask(entry, { id: task.id }).task;
  submitCloseout(entry, { taskId: task.id, completedOn: '2024-03-10' });
  if (status === 'pending_review') return getTask(entry, { id: task.id }).task;
  reviewCloseout(reviewer, { taskId: task.id, decision: 'accept', comment: '材料齐全，同意销号。' });
  return getTask(entry, { id: task.id }).task;
}

describe('task state machine', () => {
  const STATUSES: TaskStatus[] = ['draft', 'in_progress', 'pending_review', 'closed'];
  const actions: Record<string, { from: TaskStatus; run: (task: Task) => Task }> = {
    start: { from: 'draft', run: (x) => startTask(entry, { id: x.id }) },
    submit: { from: 'in_progress', run: (x) => submitCloseout(entry, { taskId: x.id, completedOn: '2024-03-10' }) },
    accept: { from: 'pending_review', run: (x) => reviewCloseout(reviewer2, { taskId: x.id, decision: 'accept' }) },
    return: { from: 'pending_review', run: (x) => reviewCloseout(reviewer2, { taskId: x.id, decision: 'return', comment: '佐证材料不足。' }) },
    reopen: { from: 'closed', run: (x) => reopenTask(reviewer2, { id: x.id, reason: '问题反弹。' }) },
  };
  const expected: Record<string, TaskStatus> = {
    start: 'in_progress', submit: 'pending_review', accept: 'closed', return: 'in_progress', reopen: 'in_progress',
  };

  for (const [name, action] of Object.entries(actions)) {
    for (const from of STATUSES) {
      if (from === action.from) {
        it(`allows ${name} from ${from}, moving to ${expected[name]}`, () => {
          const task = taskIn(from);
          if (name === 'submit') attach(entry, task.id, '补充材料');
          expect(action.run(task).status).toBe(expected[name]);
          expect(getTask(entry, { id: task.id }).task.status).toBe(expected[name]);
        });
      } else {
        it(`refuses ${name} from ${from} with ILLEGAL_TRANSITION and changes nothing`, () => {
          const task = taskIn(from);
          expectRefused(t, () => action.run(task), 'ILLEGAL_TRANSITION');
          expect(getTask(entry, { id: task.id }).task.status).toBe(from);
        });
      }
    }
  }

  it('starts a draft task when the first progress entry is recorded', () => {
    const { task } = newProblemAndTask(entry, s);
    addProgress(entry, { taskId: task.id, entryDate: '2024-02-10', content: '召开专题会议部署整改。' });
    expect(getTask(entry, { id: task.id }).task.status).toBe('in_progress');
  });
});

describe('close-out (销号) with four eyes and evidence', () => {
  it('refuses submission without evidence, naming the evidence field', () => {
    const { task } = newProblemAndTask(entry, s);
    startTask(entry, { id: task.id });
    const e = expectRefused(t, () => submitCloseout(entry, { taskId: task.id, completedOn: '2024-03-10' }), 'VALIDATION', 'evidence');
    expect(e.reason).toBe('evidence_required');
  });

  it('counts evidence attached to progress entries', () => {
    const { task } = newProblemAndTask(entry, s);
    const p = addProgress(entry, { taskId: task.id, entryDate: '2024-02-10', content: '完成制度修订。' });
    addEvidence(entry, { ownerType: 'progress', ownerId: p.id, fileName: '制度.pdf', mimeType: 'application/pdf', formedOn: '2024-02-09', dataBase64: Buffer.from('制度文本').toString('base64') });
    expect(submitCloseout(entry, { taskId: task.id, completedOn: '2024-03-10' }).status).toBe('pending_review');
  });

  it('refuses a reviewer accepting a close-out they submitted themselves', () => {
    const { task } = newProblemAndTask(reviewer, s);
    startTask(reviewer, { id: task.id });
    attach(reviewer, task.id);
    submitCloseout(reviewer, { taskId: task.id, completedOn: '2024-03-10' });
    const e = expectRefused(t, () => reviewCloseout(reviewer, { taskId: task.id, decision: 'accept' }), 'FORBIDDEN');
    expect(e.reason).toBe('four_eyes');
    expect(reviewCloseout(reviewer2, { taskId: task.id, decision: 'accept' }).status).toBe('closed');
  });

  it('refuses review by a 录入员, who lacks the review right', () => {
    const task = taskIn('pending_review');
    expectRefused(t, () => reviewCloseout(entry2, { taskId: task.id, decision: 'accept' }), 'FORBIDDEN');
  });

  it('requires a reason to return, and counts each return', () => {
    const task = taskIn('pending_review');
    expectRefused(t, () => reviewCloseout(reviewer, { taskId: task.id, decision: 'return' }), 'VALIDATION', 'comment');
    reviewCloseout(reviewer, { taskId: task.id, decision: 'return', comment: '会议纪要未盖章。' });
    submitCloseout(entry, { taskId: task.id, completedOn: '2024-03-12' });
    const back = reviewCloseout(reviewer, { taskId: task.id, decision: 'return', comment: '仍缺整改台账。' });
    expect(back.returnCount).toBe(2);
    const detail = getTask(entry, { id: task.id });
    expect(detail.closeouts.map((c) => c.decision).sort()).toEqual(['returned', 'returned']);
    expect(detail.closeouts.every((c) => c.comment)).toBe(true);
  });

  it('freezes what was approved: task fields, evidence hashes, reviewer, time and comment', () => {
    const task = taskIn('closed');
    const co = getTask(entry, { id: task.id }).closeouts.find((c) => c.decision === 'accepted')!;
    const snap = JSON.parse(co.snapshot!);
    expect(snap.reviewerId).toBe(t.users.reviewer.id);
    expect(snap.comment).toBe('材料齐全，同意销号。');
    expect(snap.task.measures).toBe(task.measures);
    expect(snap.evidence).toHaveLength(1);
    expect(snap.evidence[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(createHash('sha256').update(co.snapshot!).digest('hex')).toBe(co.snapshotHash);
  });

  it('locks a task under review against edits, evidence and progress', () => {
    const task = taskIn('pending_review');
    expectRefused(t, () => updateTask(entry, { id: task.id, measures: '改写的措施' }), 'LOCKED');
    expectRefused(t, () => attach(entry, task.id, '新材料'), 'LOCKED');
    expectRefused(t, () => addProgress(entry, { taskId: task.id, entryDate: '2024-03-01', content: '补充进展' }), 'LOCKED');
  });
});

describe('re-opening after a material change', () => {
  it('needs a reason to change the measures of a closed task, then re-opens it and supersedes the approval', () => {
    const task = taskIn('closed');
    expectRefused(t, () => updateTask(entry, { id: task.id, measures: '新的整改措施' }), 'VALIDATION', 'reason');
    const next = updateTask(entry, { id: task.id, measures: '新的整改措施', reason: '上级要求补充措施。' });
    expect(next.status).toBe('in_progress');
    expect(next.materialRevision).toBeGreaterThan(task.materialRevision);
    const co = getTask(entry, { id: task.id }).closeouts.find((c) => c.decision === 'accepted')!;
    expect(co.supersededAt).not.toBeNull();
    expect(co.supersededReason).toBe('上级要求补充措施。');
  });

  it('keeps a closed task closed for a non-material edit such as the remark', () => {
    const task = taskIn('closed');
    expect(updateTask(entry, { id: task.id, remark: '已归档' }).status).toBe('closed');
  });

  it('refuses new evidence on a closed task until it is re-opened', () => {
    const task = taskIn('closed');
    expectRefused(t, () => attach(entry, task.id, '补充'), 'LOCKED');
  });
});

describe('deadline extension (延期申请)', () => {
  it('keeps the original deadline and moves the deadline in force on approval', () => {
    const task = taskIn('in_progress');
    const req = requestExtension(entry, { taskId: task.id, requestedDeadline: '2024-06-30', reason: '涉及制度修订，需履行审批程序。' });
    const decided = decideExtension(reviewer, { id: req.id, approve: true, comment: '同意。' });
    expect(decided.status).toBe('approved');
    const after = getTask(entry, { id: task.id }).task;
    expect(after.deadline).toBe('2024-04-30');
    expect(after.currentDeadline).toBe('2024-06-30');
    expect(decided.previousDeadline).toBe('2024-04-30');
    expect(getProblem(entry, { id: task.problemId }).deadline).toBe('2024-06-30');
  });

  it('records a refusal with its reason and leaves the deadline alone', () => {
    const task = taskIn('in_progress');
    const req = requestExtension(entry, { taskId: task.id, requestedDeadline: '2024-06-30', reason: '工作量大。' });
    expectRefused(t, () => decideExtension(reviewer, { id: req.id, approve: false }), 'VALIDATION', 'comment');
    expect(decideExtension(reviewer, { id: req.id, approve: false, comment: '理由不充分。' }).status).toBe('refused');
    expect(getTask(entry, { id: task.id }).task.currentDeadline).toBe('2024-04-30');
    expectRefused(t, () => decideExtension(reviewer2, { id: req.id, approve: true }), 'CONFLICT');
  });

  it('refuses a request that is not later, a second open request, and a decision by the requester', () => {
    const task = taskIn('in_progress');
    expectRefused(t, () => requestExtension(entry, { taskId: task.id, requestedDeadline: '2024-04-30', reason: '需要时间' }), 'VALIDATION', 'requestedDeadline');
    expectRefused(t, () => requestExtension(entry, { taskId: task.id, requestedDeadline: '2024-06-31', reason: '需要时间' }), 'VALIDATION', 'requestedDeadline');
    const req = requestExtension(reviewer, { taskId: task.id, requestedDeadline: '2024-05-31', reason: '需要时间' });
    expectRefused(t, () => requestExtension(entry, { taskId: task.id, requestedDeadline: '2024-06-30', reason: '需要时间' }), 'CONFLICT');
    expectRefused(t, () => decideExtension(reviewer, { id: req.id, approve: true }), 'FORBIDDEN');
    expectRefused(t, () => decideExtension(entry, { id: req.id, approve: true }), 'FORBIDDEN');
  });

  it('refuses an extension for a closed task', () => {
    const task = taskIn('closed');
    expectRefused(t, () => requestExtension(entry, { taskId: task.id, requestedDeadline: '2024-06-30', reason: '需要时间' }), 'ILLEGAL_TRANSITION');
  });
});

describe('bad input to task services changes nothing', () => {
  it('names the field for each invalid create', () => {
    const { problem } = newProblemAndTask(entry, s);
    const good = { problemId: problem.id, measures: '措施', term: 'immediate', deadline: '2024-03-31' };
    expectRefused(t, () => createTask(entry, { ...good, measures: '' }), 'VALIDATION', 'measures');
    expectRefused(t, () => createTask(entry, { ...good, measures: '长'.repeat(4001) }), 'VALIDATION', 'measures');
    expectRefused(t, () => createTask(entry, { ...good, deadline: '2024-02-30' }), 'VALIDATION', 'deadline');
    expectRefused(t, () => createTask(entry, { ...good, deadline: '2024-01-15' }), 'VALIDATION', 'deadline');
    expectRefused(t, () => createTask(entry, { ...good, term: 'forever' }), 'VALIDATION', 'term');
    expectRefused(t, () => createTask(entry, { ...good, problemId: '0190a0c0-0000-7000-8000-000000000000' }), 'NOT_FOUND', 'problemId');
    expectRefused(t, () => createTask(entry, { ...good, problemId: 'not-an-id' }), 'VALIDATION', 'problemId');
    expectRefused(t, () => createTask(entry, { ...good, measures: 'a\u0000b' }), 'VALIDATION', 'measures');
    expectRefused(t, () => createTask(entry, { ...good, stages: [{ goal: '第一阶段', dueDate: '2024-03-01' }] }), 'VALIDATION', 'stages');
    expectRefused(t, () => createTask(entry, null), 'VALIDATION', 'input');
    expectRefused(t, () => createTask(t.as(t.users.readonly), good), 'FORBIDDEN');
    expectRefused(t, () => createTask(t.as(null), good), 'FORBIDDEN');
  });

  it('accepts staged goals only for long-term tasks, in order and before the deadline', () => {
    const { problem } = newProblemAndTask(entry, s);
    const base = { problemId: problem.id, measures: '建立长效机制', term: 'long_term', deadline: '2025-12-31' };
    expectRefused(t, () => createTask(entry, { ...base, stages: [{ goal: '二', dueDate: '2024-12-31' }, { goal: '一', dueDate: '2024-06-30' }] }), 'VALIDATION', 'stages[1].dueDate');
    expectRefused(t, () => createTask(entry, { ...base, stages: [{ goal: '超期', dueDate: '2026-01-31' }] }), 'VALIDATION', 'stages[0].dueDate');
    const ok = createTask(entry, { ...base, stages: [{ goal: '建章立制', dueDate: '2024-06-30' }, { goal: '评估完善', dueDate: '2025-06-30' }] });
    expect(getTask(entry, { id: ok.id }).stages.map((x) => x.goal)).toEqual(['建章立制', '评估完善']);
  });

  it('refuses a deadline change after the task started, pointing to the extension request', () => {
    const task = taskIn('in_progress');
    const e = expectRefused(t, () => updateTask(entry, { id: task.id, deadline: '2024-05-31' }), 'VALIDATION', 'deadline');
    expect(e.reason).toBe('use_extension');
  });
});

describe('problem roll-up and dropping tasks', () => {
  it('closes the problem when all its live tasks are closed and keeps a dropped task on record with its reason', () => {
    const task = taskIn('closed');
    expect(getProblem(entry, { id: task.problemId }).status).toBe('closed');
    const extra = createTask(entry, { problemId: task.problemId, measures: '补充措施', term: 'immediate', deadline: '2024-03-31' });
    expect(getProblem(entry, { id: task.problemId })).toMatchObject({ status: 'open', taskCount: 2, closedTaskCount: 1, deadline: '2024-03-31' });
    expectRefused(t, () => dropTask(entry, { id: extra.id }), 'VALIDATION', 'reason');
    dropTask(entry, { id: extra.id, reason: '与第1项任务重复，合并办理。', mergedIntoId: task.id });
    expect(getProblem(entry, { id: task.problemId })).toMatchObject({ status: 'closed', taskCount: 1 });
    const row = t.ledger.orm.select().from(tasks).all().find((x) => x.id === extra.id)!;
    expect(row.deletedReason).toBe('与第1项任务重复，合并办理。');
    expect(row.mergedIntoId).toBe(task.id);
  });
});

describe('evidence files', () => {
  it('stores identical bytes once, cites them twice, and detects damaged bytes', () => {
    const a = newProblemAndTask(entry, s).task;
    const b = newProblemAndTask(entry, s).task;
    const e1 = attach(entry, a.id, '同一文件');
    const e2 = attach(entry, b.id, '同一文件');
    expect(e1.sha256).toBe(e2.sha256);
    expect((t.ledger.sqlite.prepare('SELECT count(*) n FROM evidence_blobs').get() as { n: number }).n).toBe(1);
    expect(Buffer.from(getEvidenceContent(entry, { id: e1.id }).dataBase64, 'base64').toString()).toContain('同一文件');
    t.ledger.sqlite.prepare('UPDATE evidence_blobs SET data = ? WHERE sha256 = ?').run(Buffer.from('tampered'), e1.sha256);
    expectRefused(t, () => getEvidenceContent(entry, { id: e1.id }), 'CORRUPT');
  });

  it('keeps the formation date apart from the upload date and refuses a future one', () => {
    const { task } = newProblemAndTask(entry, s);
    const e = attach(entry, task.id, '纪要', '2023-12-20');
    expect(e.formedOn).toBe('2023-12-20');
    expect(e.createdAt.slice(0, 10)).not.toBe('2023-12-20');
    expectRefused(t, () => attach(entry, task.id, '未来', '2024-03-16'), 'VALIDATION', 'formedOn');
    expectRefused(t, () => addEvidence(entry, { ownerType: 'task', ownerId: task.id, fileName: '../x.pdf', formedOn: '2024-01-01', dataBase64: 'AAAA' }), 'VALIDATION', 'fileName');
    expectRefused(t, () => addEvidence(entry, { ownerType: 'task', ownerId: task.id, fileName: 'x.pdf', formedOn: '2024-01-01', dataBase64: '' }), 'VALIDATION', 'dataBase64');
  });
});

it('fixture helper can force a state for read-side tests', () => {
  const { task } = newProblemAndTask(entry, s);
  expect(fxSet(t.as(t.users.admin), tasks, task, { status: 'closed' }).status).toBe('closed');
});
