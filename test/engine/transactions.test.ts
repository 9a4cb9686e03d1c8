import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inTransaction } from '../../db/core/context.js';
import { createProblem } from '../../db/services/problems.js';
import { auditCount } from '../helpers/expect.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';
import { stage } from '../helpers/workflow.js';

let t: TestLedger;
beforeEach(() => {
  t = makeTestLedger({ today: '2024-03-15' });
});
afterEach(() => t.close());

const problemCount = () => (t.ledger.sqlite.prepare('SELECT count(*) n FROM problems').get() as { n: number }).n;

describe('transactions', () => {
  it('commits a batch of service calls together', () => {
    const s = stage(t);
    const ctx = t.as(t.users.entry);
    inTransaction(ctx, () => {
      for (let i = 0; i < 3; i++) createProblem(ctx, { inspectionId: s.inspection.id, categoryId: s.cat, description: `问题${i}` });
    });
    expect(problemCount()).toBe(3);
  });

  it('rolls back the whole batch, version and audit chain included, when one step fails', () => {
    const s = stage(t);
    const ctx = t.as(t.users.entry);
    const before = { problems: problemCount(), audit: auditCount(t), state: { ...t.ledger.state } };
    expect(() => inTransaction(ctx, () => {
      createProblem(ctx, { inspectionId: s.inspection.id, categoryId: s.cat, description: '第一个问题' });
      createProblem(ctx, { inspectionId: s.inspection.id, categoryId: s.cat, description: '' });
    })).toThrow();
    expect(problemCount()).toBe(before.problems);
    expect(auditCount(t)).toBe(before.audit);
    expect(t.ledger.state.version).toBe(before.state.version);
    expect(t.ledger.state.lastAuditHash).toBe(before.state.lastAuditHash);
    expect(t.ledger.sqlite.inTransaction).toBe(false);
  });

  it('does not commit a batch whose caller swallowed a failed step', () => {
    const s = stage(t);
    const ctx = t.as(t.users.entry);
    const before = problemCount();
    expect(() => inTransaction(ctx, () => {
      createProblem(ctx, { inspectionId: s.inspection.id, categoryId: s.cat, description: '会被回滚的问题' });
      try {
        inTransaction(ctx, () => {
          createProblem(ctx, { inspectionId: s.inspection.id, categoryId: s.cat, description: '写了一半的步骤' });
          throw new Error('step failed after writing');
        });
      } catch {
        // a caller that ignores the failure must not get half a step committed
      }
    })).toThrow(/rolled back/);
    expect(problemCount()).toBe(before);
    // and the ledger is usable afterwards
    createProblem(ctx, { inspectionId: s.inspection.id, categoryId: s.cat, description: '之后的问题' });
    expect(problemCount()).toBe(before + 1);
  });
});
