import type { ServiceContext } from '../../core/context.js';
import { LIVE_TASK, scopeWhere } from '../scope.js';
import {
  detectorCall, excerpt, parseJson, run, TASK_CONTEXT_JOINS, type FlagList, type RedFlagOptions, type TaskRef,
} from './common.js';

// Red flag (b): 同一佐证材料用于不相关任务

export interface ReusedEvidence {
  sha256: string;
  problemCount: number;
  taskCount: number;
  fileNames: string[];
  tasks: (TaskRef & { fileName: string })[];
}

/**
 * Citations (sha256 → live task) among `hashes`: evidence on a task, or on a live progress entry
 * of a task, resolved to live tasks of live problems; one row per (hash, task). The unary + keeps
 * SQLite on the sha256 index: left to guess, it may walk every task's evidence by owner type.
 */
const CITATIONS = `cited_raw AS (
    SELECT e.sha256, e.owner_id AS task_id, e.file_name FROM evidence e
      WHERE +e.owner_type = 'task' AND e.deleted_at IS NULL AND e.sha256 IN (SELECT sha256 FROM hashes)
    UNION ALL
    SELECT e.sha256, pe.task_id, e.file_name FROM evidence e
      JOIN progress_entries pe ON pe.id = e.owner_id AND pe.deleted_at IS NULL
      WHERE +e.owner_type = 'progress' AND e.deleted_at IS NULL AND e.sha256 IN (SELECT sha256 FROM hashes)
  ),
  cited AS (
    SELECT c.sha256, c.task_id, min(c.file_name) AS file_name, t.problem_id
    FROM cited_raw c JOIN tasks t ON t.id = c.task_id JOIN problems p ON p.id = t.problem_id
    WHERE ${LIVE_TASK}
    GROUP BY c.sha256, c.task_id
  )`;

export function evidenceReusedQuery(ctx: ServiceContext, o: RedFlagOptions): FlagList<ReusedEvidence> {
  const w = scopeWhere(o.scope, 't.round_id', 't.unit_id');
  // Scoped: start from the tasks in scope (index on round/unit) and take their files' hashes
  // (CROSS JOIN keeps that order: without statistics SQLite would rather walk all the evidence).
  // Whole ledger: start from the hashes cited more than once (index on sha256), far fewer.
  const hashes = o.scope.roundId || o.scope.unitId
    ? `hashes AS (
        SELECT e.sha256 FROM tasks t CROSS JOIN problems p CROSS JOIN evidence e
          WHERE p.id = t.problem_id AND ${LIVE_TASK}${w.sql}
            AND e.owner_type = 'task' AND e.owner_id = t.id AND e.deleted_at IS NULL
        UNION
        SELECT e.sha256 FROM tasks t CROSS JOIN problems p CROSS JOIN progress_entries pe CROSS JOIN evidence e
          WHERE p.id = t.problem_id AND ${LIVE_TASK}${w.sql} AND pe.task_id = t.id AND pe.deleted_at IS NULL
            AND e.owner_type = 'progress' AND e.owner_id = pe.id AND e.deleted_at IS NULL
      )`
    : `hashes AS (
        SELECT sha256 FROM evidence WHERE deleted_at IS NULL AND owner_type IN ('task', 'progress')
        GROUP BY sha256 HAVING count(*) > 1
      )`;
  const params = o.scope.roundId || o.scope.unitId ? [...w.params, ...w.params] : [];
  const sql = `WITH ${hashes}, ${CITATIONS},
    flagged AS (
      SELECT sha256, count(DISTINCT problem_id) AS problemCount, count(*) AS taskCount
      FROM cited GROUP BY sha256 HAVING count(DISTINCT problem_id) > 1
    )
    SELECT f.sha256, f.problemCount, f.taskCount,
      (SELECT json_group_array(DISTINCT c.file_name) FROM cited c WHERE c.sha256 = f.sha256) AS fileNames,
      (SELECT json_group_array(json_object(
          'taskId', t.id, 'taskSeq', t.seq, 'problemId', t.problem_id, 'problemSeq', p.seq,
          'unitId', t.unit_id, 'unitName', u.name, 'roundId', t.round_id, 'roundName', r.name,
          'excerpt', ${excerpt('p.description')}, 'measuresExcerpt', ${excerpt('t.measures')},
          'responsibleDepartment', t.responsible_department, 'status', t.status, 'fileName', c.file_name))
        FROM cited c JOIN tasks t ON t.id = c.task_id ${TASK_CONTEXT_JOINS}
        WHERE c.sha256 = f.sha256) AS tasks
    FROM flagged f`;
  return run(ctx, 'evidence_reused', sql, params, 'problemCount DESC, sha256', o.limit, (r) => ({
    sha256: String(r.sha256),
    problemCount: Number(r.problemCount),
    taskCount: Number(r.taskCount),
    fileNames: parseJson<string[]>(r.fileNames),
    tasks: parseJson<ReusedEvidence['tasks']>(r.tasks).sort((a, b) => a.taskId.localeCompare(b.taskId)),
  }));
}

/**
 * The same file (same SHA-256) cited by tasks of different problems. Two tasks of one problem
 * sharing a file are normal (one measure serving both); across problems the file can prove at
 * most one of them. Reported per hash with every live task citing it, in or out of scope (a hash
 * is in scope when a task in scope cites it).
 */
export const evidenceReused = detectorCall(evidenceReusedQuery);
