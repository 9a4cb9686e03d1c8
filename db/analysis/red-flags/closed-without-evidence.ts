import type { ServiceContext } from '../../core/context.js';
import { LIVE_TASK, scopeWhere } from '../scope.js';
import {
  detectorCall, HAS_OWN_EVIDENCE, HAS_PROGRESS_EVIDENCE, run, TASK_COLUMNS, TASK_FROM, type FlagList, type RedFlagOptions, type TaskRef,
} from './common.js';

// Red flag (a): 销号无佐证材料

export interface ClosedWithoutEvidence extends TaskRef {
  closedAt: string | null;
  /** Evidence once cited by the task (or its progress entries) and since deleted. */
  deletedEvidence: number;
}

export function closedWithoutEvidenceQuery(ctx: ServiceContext, o: RedFlagOptions): FlagList<ClosedWithoutEvidence> {
  const w = scopeWhere(o.scope, 't.round_id', 't.unit_id');
  const sql = `SELECT ${TASK_COLUMNS}, t.closed_at AS closedAt,
      (SELECT count(*) FROM evidence e WHERE e.owner_type = 'task' AND e.owner_id = t.id)
      + (SELECT count(*) FROM progress_entries pe CROSS JOIN evidence e
         WHERE pe.task_id = t.id AND e.owner_type = 'progress' AND e.owner_id = pe.id) AS deletedEvidence
    FROM ${TASK_FROM}
    WHERE ${LIVE_TASK} AND t.status = 'closed'${w.sql}
      AND NOT ${HAS_OWN_EVIDENCE} AND NOT ${HAS_PROGRESS_EVIDENCE}`;
  return run(ctx, 'closed_without_evidence', sql, w.params, 'closedAt DESC, taskId', o.limit);
}

/**
 * Tasks closed out (已销号) with no live evidence of their own nor on any of their live progress
 * entries. `deletedEvidence` counts the evidence that was cited once and is gone now (deleted, or
 * on a deleted progress entry; with no live evidence left that is all of it): evidence removed
 * after approval is itself worth a look.
 */
export const closedWithoutEvidence = detectorCall(closedWithoutEvidenceQuery);
