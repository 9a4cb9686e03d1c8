import type { ServiceContext } from '../../core/context.js';
import { addMonths } from '../../domain/months.js';
import { readRules } from '../../clocks/compute.js';
import { LIVE_TASK, scopeWhere, type Scope } from '../scope.js';
import { detectorCall, parseJson, run, type FlagList, type RedFlagOptions } from './common.js';

// Red flag (d): 报告截止前集中销号

export interface MassClosure {
  unitId: string;
  unitName: string;
  roundId: string;
  roundName: string;
  inspectionId: string;
  closedOn: string;
  dueOn: string;
  daysBeforeDue: number;
  count: number;
  taskIds: string[];
}

interface InspectionDue {
  inspectionId: string;
  roundId: string;
  unitId: string;
  dueOn: string;
}

/**
 * The 集中整改进展情况报告 due date of each inspection in scope: first live feedback +
 * progressReportMonths of the round's rule set, with the same arithmetic and rule parsing as the
 * statutory clocks (clocks/compute.ts), so the flag and the traffic light agree.
 */
function reportDueDates(ctx: ServiceContext, s: Scope): InspectionDue[] {
  const w = scopeWhere(s, 'i.round_id', 'i.unit_id');
  const rows = ctx.ledger.prepare(
    `SELECT i.id AS inspectionId, i.round_id AS roundId, i.unit_id AS unitId, rs.id AS ruleSetId, rs.code AS code, rs.rules AS rules,
       (SELECT min(f.feedback_date) FROM feedbacks f WHERE f.inspection_id = i.id AND f.deleted_at IS NULL) AS feedbackOn
     FROM inspections i JOIN rounds r ON r.id = i.round_id JOIN clock_rule_sets rs ON rs.id = r.rule_set_id
     WHERE i.deleted_at IS NULL${w.sql}`,
  ).all(...w.params) as { inspectionId: string; roundId: string; unitId: string; ruleSetId: string; code: string; rules: string; feedbackOn: string | null }[];
  const months = new Map<string, number>();
  const out: InspectionDue[] = [];
  for (const r of rows) {
    if (!r.feedbackOn) continue;
    let m = months.get(r.ruleSetId);
    if (m === undefined) months.set(r.ruleSetId, (m = readRules(r.rules, r.code).progressReportMonths));
    out.push({ inspectionId: r.inspectionId, roundId: r.roundId, unitId: r.unitId, dueOn: addMonths(r.feedbackOn, m) });
  }
  return out;
}

export function massClosureQuery(ctx: ServiceContext, o: RedFlagOptions): FlagList<MassClosure> {
  const dues = reportDueDates(ctx, o.scope);
  const w = scopeWhere(o.scope, 't.round_id', 't.unit_id');
  // closed_at is an instant (ISO, UTC); the day that matters is the local calendar day.
  const sql = `WITH due AS (
      SELECT json_extract(value, '$.inspectionId') AS inspection_id, json_extract(value, '$.roundId') AS round_id,
        json_extract(value, '$.unitId') AS unit_id, json_extract(value, '$.dueOn') AS due_on
      FROM json_each(?)
    ),
    closed_days AS (
      SELECT t.round_id, t.unit_id, date(t.closed_at, 'localtime') AS day, count(*) AS n,
        json_group_array(t.id) AS task_ids
      FROM tasks t JOIN problems p ON p.id = t.problem_id
      WHERE ${LIVE_TASK} AND t.status = 'closed' AND t.closed_at IS NOT NULL AND t.round_id IS NOT NULL${w.sql}
      GROUP BY t.round_id, t.unit_id, day
    )
    SELECT c.unit_id AS unitId, u.name AS unitName, c.round_id AS roundId, r.name AS roundName,
      d.inspection_id AS inspectionId, c.day AS closedOn, d.due_on AS dueOn,
      CAST(julianday(d.due_on) - julianday(c.day) AS INTEGER) AS daysBeforeDue, c.n AS count, c.task_ids AS taskIds
    FROM closed_days c
    JOIN due d ON d.round_id = c.round_id AND d.unit_id = c.unit_id
    JOIN units u ON u.id = c.unit_id JOIN rounds r ON r.id = c.round_id
    WHERE c.n >= ? AND c.day <= d.due_on AND c.day >= date(d.due_on, '-' || ? || ' days')`;
  const params = [JSON.stringify(dues), ...w.params, o.minTasks, o.windowDays];
  return run(ctx, 'mass_closure', sql, params, 'count DESC, closedOn, unitId', o.limit, (r) => ({
    ...(r as unknown as MassClosure),
    taskIds: parseJson<string[]>(r.taskIds).sort(),
  }));
}

/**
 * N or more tasks (default 10) of one unit closed out on the same local day, within D days
 * (default 7) before that inspection's 集中整改进展情况报告 is due (the due day itself included):
 * a rush to make the report look complete. Only tasks of the inspection's round count.
 */
export const massClosure = detectorCall(massClosureQuery);
