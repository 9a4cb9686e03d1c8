import type { ServiceContext } from '../../core/context.js';
import { LIVE_TASK, scopeWhere } from '../scope.js';
import { detectorCall, run, TASK_COLUMNS, TASK_FROM, type FlagList, type RedFlagOptions, type TaskRef } from './common.js';

// Red flag (f): 多次退回

export interface RepeatedReturns extends TaskRef {
  returnCount: number;
  /** Returned close-out reviews on record, and the latest reason given. */
  returnsRecorded: number;
  lastReturnComment: string | null;
  lastReturnedAt: string | null;
}

export function repeatedReturnsQuery(ctx: ServiceContext, o: RedFlagOptions): FlagList<RepeatedReturns> {
  const w = scopeWhere(o.scope, 't.round_id', 't.unit_id');
  const returned = `FROM closeouts c WHERE c.task_id = t.id AND c.decision = 'returned' AND c.deleted_at IS NULL`;
  const sql = `SELECT ${TASK_COLUMNS}, t.return_count AS returnCount,
      (SELECT count(*) ${returned}) AS returnsRecorded,
      (SELECT c.comment ${returned} ORDER BY c.decided_at DESC LIMIT 1) AS lastReturnComment,
      (SELECT max(c.decided_at) ${returned}) AS lastReturnedAt
    FROM ${TASK_FROM}
    WHERE ${LIVE_TASK} AND t.return_count >= 2${w.sql}`;
  return run(ctx, 'repeated_returns', sql, w.params, 'returnCount DESC, taskId', o.limit);
}

/** A close-out returned (退回) twice or more: the unit keeps submitting work that is not done. */
export const repeatedReturns = detectorCall(repeatedReturnsQuery);
