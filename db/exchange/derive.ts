/**
 * The receiver's own work after an import: a task's state is derived from the records that
 * decide it (db/exchange/ownership.ts marks these task columns derived: they never travel), so two
 * offices can never race on them:
 * - status, submittedBy/At, closedAt, returnCount from the task's close-outs (销号申请): the newest
 *   one decides — waiting (待审核), accepted (已销号), returned (推进中) or superseded (推进中);
 * - a draft task with progress entries is 推进中;
 * - currentDeadline from the newest approved extension (延期), else the task's own deadline as kept.
 * Written through the audited path (action 'derived') only where the value differs.
 */
import type { ServiceContext } from '../core/context.js';
import { getRow, updateRow } from '../core/write.js';
import { tasks } from '../schema/index.js';

interface CloseoutRow {
  submitted_by: string | null;
  submitted_at: string;
  decision: 'pending' | 'accepted' | 'returned' | null;
  decided_at: string | null;
  superseded_at: string | null;
}

export function deriveTaskState(ctx: ServiceContext, taskId: string): void {
  const t = getRow(ctx, tasks, taskId);
  if (!t) return;
  const cos = ctx.ledger.prepare(`SELECT submitted_by, submitted_at, decision, decided_at, superseded_at FROM closeouts
    WHERE task_id = ? AND deleted_at IS NULL ORDER BY submitted_at, id`).all(taskId) as CloseoutRow[];
  const patch: Partial<typeof t> = {};
  const latest = cos.at(-1);
  if (latest) {
    if (latest.superseded_at) Object.assign(patch, { status: 'in_progress', closedAt: null });
    else if (latest.decision === null || latest.decision === 'pending') Object.assign(patch, { status: 'pending_review', submittedBy: latest.submitted_by, submittedAt: latest.submitted_at });
    else if (latest.decision === 'accepted') Object.assign(patch, { status: 'closed', closedAt: latest.decided_at });
    else Object.assign(patch, { status: 'in_progress' });
    patch.returnCount = cos.filter((c) => c.decision === 'returned').length;
  } else if (t.status === 'draft') {
    const progressed = ctx.ledger.prepare('SELECT 1 FROM progress_entries WHERE task_id = ? AND deleted_at IS NULL LIMIT 1').get(taskId);
    if (progressed) patch.status = 'in_progress';
  }
  const ext = ctx.ledger.prepare(`SELECT requested_deadline AS d FROM extension_requests
    WHERE task_id = ? AND status = 'approved' AND deleted_at IS NULL ORDER BY decided_at DESC, id DESC LIMIT 1`).get(taskId) as { d: string } | undefined;
  if (ext) patch.currentDeadline = ext.d;
  updateRow(ctx, tasks, t, patch, { action: 'derived' });
}

/** The tasks whose derived state a received record may change. */
export function taskOf(table: string, id: string, taskIdOf: () => unknown): string | null {
  if (table === 'tasks') return id;
  if (table !== 'closeouts' && table !== 'extension_requests' && table !== 'progress_entries') return null;
  const t = taskIdOf();
  return typeof t === 'string' ? t : null;
}
