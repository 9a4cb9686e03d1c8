/**
 * 批量操作 on selected rows of the task list (任务清单 / 责任清单): assign a responsible
 * department, set a deadline. Every task goes through the task service's own rules (updateTask),
 * so a batch can do nothing a clerk could not do task by task; a task the rules refuse is
 * reported with the rule's reason and the others still change. One call is one transaction.
 */
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { defineCall } from '../core/call.js';
import { DomainError, type ErrorCode } from '../domain/errors.js';
import * as f from '../domain/fields.js';
import { tasks } from '../schema/index.js';
import { getRow } from '../core/write.js';
import { updateTask } from './tasks.js';

/** Most a single call takes: one confirmation should not rewrite a whole ledger. */
export const MAX_BULK = 1000;

export interface BulkRefusal {
  id: string;
  code: ErrorCode;
  /** The rule's own zh-CN sentence. */
  message: string;
  field?: string;
  reason?: string;
}

export interface BulkResult {
  /** Distinct tasks asked for. */
  total: number;
  /** Tasks written. */
  changed: string[];
  /** Tasks that already had the value (nothing written). */
  unchanged: string[];
  refused: BulkRefusal[];
}

/** The selected tasks: 1 to MAX_BULK ids (a repeated id counts once). */
const taskIds = f.v.pipe(
  f.v.array(f.id('整改任务'), '请先选择要批量修改的任务。'),
  f.v.minLength(1, '请先选择要批量修改的任务。'),
  f.v.maxLength(MAX_BULK, `一次最多批量修改${MAX_BULK}项任务，请分批进行。`),
);

/**
 * Apply `patch` to each task through updateTask, collecting per-task outcomes. Refusals come
 * from checks updateTask makes before it writes, so catching them leaves the shared transaction
 * clean; a failure inside a write step aborts the whole call (inTransaction's rule).
 */
function applyEach(ctx: ServiceContext, taskIds: readonly string[], patch: Record<string, unknown>, preCheck?: (id: string) => BulkRefusal | null): BulkResult {
  const ids = [...new Set(taskIds)];
  const out: BulkResult = { total: ids.length, changed: [], unchanged: [], refused: [] };
  return inTransaction(ctx, () => {
    for (const id of ids) {
      const early = preCheck?.(id);
      if (early) {
        out.refused.push(early);
        continue;
      }
      const before = getRow(ctx, tasks, id)?.version;
      try {
        const after = updateTask(ctx, { id, ...patch });
        (after.version === before ? out.unchanged : out.changed).push(id);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        const r: BulkRefusal = { id, code: e.code, message: e.message };
        if (e.field !== undefined) r.field = e.field;
        if (e.reason !== undefined) r.reason = e.reason;
        out.refused.push(r);
      }
    }
    return out;
  });
}

/**
 * A closed (已销号) task changes only with a reason and a new review; a batch collects no reason,
 * so it leaves closed tasks alone and says so.
 */
function closedRefusal(ctx: ServiceContext, id: string): BulkRefusal | null {
  const t = getRow(ctx, tasks, id);
  if (t && !t.deletedAt && t.status === 'closed') {
    return { id, code: 'LOCKED', message: '任务已销号，批量操作不修改已销号的任务；如需调整，请在任务详情中说明理由后修改。', reason: 'closed' };
  }
  return null;
}

/** 批量指定责任部门. Input: { taskIds: string[], responsibleDepartment: string }. */
export const bulkAssignDepartment = defineCall({
  permission: 'ledger.write',
  arg: f.args({ taskIds, responsibleDepartment: f.text('责任部门', f.LEN.name) }),
}, (ctx, a): BulkResult =>
  applyEach(ctx, a.taskIds, { responsibleDepartment: a.responsibleDepartment }, (id) => closedRefusal(ctx, id)));

/**
 * 批量设定整改时限. Only draft tasks take a new deadline: once a task has started, its deadline
 * moves only through a 延期申请 (updateTask refuses with field 'deadline', reason 'use_extension').
 */
export const bulkSetDeadline = defineCall({
  permission: 'ledger.write',
  arg: f.args({ taskIds, deadline: f.date('整改时限') }),
}, (ctx, a): BulkResult => applyEach(ctx, a.taskIds, { deadline: a.deadline }, (id) => closedRefusal(ctx, id)));
