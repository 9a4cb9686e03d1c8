import type { ServiceContext } from '../../core/context.js';
import { LIVE_TASK, scopeWhere } from '../scope.js';
import { detectorCall, run, TASK_COLUMNS, TASK_FROM, type FlagList, type RedFlagOptions, type TaskRef } from './common.js';

// Red flag (c): 超期完成却报按期完成

export interface LateButOnTime extends TaskRef {
  deadline: string;
  currentDeadline: string;
  completedOn: string;
  daysLate: number;
}

export function lateButOnTimeQuery(ctx: ServiceContext, o: RedFlagOptions): FlagList<LateButOnTime> {
  const w = scopeWhere(o.scope, 't.round_id', 't.unit_id');
  const sql = `SELECT ${TASK_COLUMNS}, t.deadline AS deadline, t.current_deadline AS currentDeadline,
      t.completed_on AS completedOn,
      CAST(julianday(t.completed_on) - julianday(t.current_deadline) AS INTEGER) AS daysLate
    FROM ${TASK_FROM}
    WHERE ${LIVE_TASK} AND t.reported_on_time = 1 AND t.completed_on > t.current_deadline${w.sql}`;
  return run(ctx, 'late_but_on_time', sql, w.params, 'daysLate DESC, taskId', o.limit);
}

/**
 * Reported completed on time (按期完成) with a completion date after the deadline in force.
 * "Deadline" is current_deadline: an approved 延期申请 legitimately moves it, and the original
 * deadline is shown beside it.
 */
export const lateButOnTime = detectorCall(lateButOnTimeQuery);
