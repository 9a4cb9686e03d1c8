/**
 * 批量操作 on selected rows of the task list (任务清单 / 责任清单): assign a responsible
 * department, set a deadline. Every task goes through the task service's own rules (updateTask),
 * so a batch can do nothing a clerk could not do task by task; a task the rules refuse is
 * reported with the rule's reason and the others still change. One call is one transaction.
 */
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { DomainError, invalid, type ErrorCode } from '../domain/errors.js';
import { requirePermission } from '../core/permissions.js';
import { tasks } from '../schema/index.js';
import * as v from '../core/validate.js';
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

function readIds(raw: unknown): string[] {
  if (!Array.isArray(raw) || raw.length === 0) throw invalid('taskIds', '请先选择要批量修改的任务。', 'required');
  if (raw.length > MAX_BULK) throw invalid('taskIds', `一次最多批量修改${MAX_BULK}项任务，请分批进行。`, 'too_many');
  const ids = raw.map((x, k) => v.id(x, `taskIds.${k}`, '整改任务'));
  return [...new Set(ids)];
}

/**
 * Apply `patch` to each task through updateTask, collecting per-task outcomes. Refusals come
 * from checks updateTask makes before it writes, so catching them leaves the shared transaction
 * clean; a failure inside a write step aborts the whole call (inTransaction's rule).
 */
function applyEach(ctx: ServiceContext, ids: string[], patch: Record<string, unknown>, preCheck?: (id: string) => BulkRefusal | null): BulkResult {
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
export function bulkAssignDepartment(ctx: ServiceContext, raw: unknown): BulkResult {
  requirePermission(ctx, 'ledger.write');
  const i = v.object(raw);
  const ids = readIds(i.taskIds);
  const responsibleDepartment = v.text(i.responsibleDepartment, 'responsibleDepartment', { max: v.LEN.name, label: '责任部门' });
  return applyEach(ctx, ids, { responsibleDepartment }, (id) => closedRefusal(ctx, id));
}

/**
 * 批量设定整改时限. Only draft tasks take a new deadline: once a task has started, its deadline
 * moves only through a 延期申请 (updateTask refuses with field 'deadline', reason 'use_extension').
 */
export function bulkSetDeadline(ctx: ServiceContext, raw: unknown): BulkResult {
  requirePermission(ctx, 'ledger.write');
  const i = v.object(raw);
  const ids = readIds(i.taskIds);
  const deadline = v.date(i.deadline, 'deadline', '整改时限');
  return applyEach(ctx, ids, { deadline }, (id) => closedRefusal(ctx, id));
}
