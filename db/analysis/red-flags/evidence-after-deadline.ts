import type { ServiceContext } from '../../core/context.js';
import { LIVE_TASK, scopeWhere } from '../scope.js';
import {
  detectorCall, parseJson, run, TASK_COLUMNS, TASK_CONTEXT_JOINS, type FlagList, type RedFlagOptions, type TaskRef,
} from './common.js';

// Red flag (c, continued): 报按期完成但佐证材料形成于时限之后

export interface EvidenceAfterDeadline extends TaskRef {
  currentDeadline: string;
  completedOn: string | null;
  latestFormedOn: string;
  files: { fileName: string; formedOn: string; sha256: string }[];
}

export function evidenceAfterDeadlineQuery(ctx: ServiceContext, o: RedFlagOptions): FlagList<EvidenceAfterDeadline> {
  const w = scopeWhere(o.scope, 't.round_id', 't.unit_id');
  const late = `p.id = t.problem_id AND ${LIVE_TASK}${w.sql} AND t.reported_on_time = 1`;
  // Task → its evidence (and task → progress → evidence), in that order (see HAS_PROGRESS_EVIDENCE).
  const sql = `WITH ev AS (
      SELECT t.id AS task_id, e.sha256, e.file_name, e.formed_on FROM tasks t CROSS JOIN problems p CROSS JOIN evidence e
        WHERE ${late} AND e.owner_type = 'task' AND e.owner_id = t.id AND e.deleted_at IS NULL AND e.formed_on > t.current_deadline
      UNION ALL
      SELECT t.id, e.sha256, e.file_name, e.formed_on FROM tasks t CROSS JOIN problems p CROSS JOIN progress_entries pe CROSS JOIN evidence e
        WHERE ${late} AND pe.task_id = t.id AND pe.deleted_at IS NULL
          AND e.owner_type = 'progress' AND e.owner_id = pe.id AND e.deleted_at IS NULL AND e.formed_on > t.current_deadline
    )
    SELECT ${TASK_COLUMNS}, t.current_deadline AS currentDeadline, t.completed_on AS completedOn,
      max(ev.formed_on) AS latestFormedOn,
      json_group_array(json_object('fileName', ev.file_name, 'formedOn', ev.formed_on, 'sha256', ev.sha256)) AS files
    FROM ev JOIN tasks t ON t.id = ev.task_id ${TASK_CONTEXT_JOINS}
    GROUP BY t.id`;
  return run(ctx, 'evidence_after_deadline', sql, [...w.params, ...w.params], 'latestFormedOn DESC, taskId', o.limit, (r) => ({
    ...(r as unknown as EvidenceAfterDeadline),
    files: parseJson<EvidenceAfterDeadline['files']>(r.files).sort((a, b) => a.formedOn.localeCompare(b.formedOn) || a.fileName.localeCompare(b.fileName)),
  }));
}

/**
 * Reported on time, yet some of its evidence was formed (形成日期, not the upload date) after the
 * deadline in force: the work the file records happened late, whatever the completion date says.
 */
export const evidenceAfterDeadline = detectorCall(evidenceAfterDeadlineQuery);
