/**
 * 责任清单: who carries how much. Live tasks (of live problems) grouped by their responsible
 * department or responsible leader, as entered, with open / overdue / closed counts, so the
 * screen can list the groups and then page through one group's tasks with tasks:list
 * (whose responsibleDepartment / responsibleLeader filters are exact matches on these keys).
 *
 * Counted by SQLite (GROUP BY, the tasks_dept_idx index for departments); only the group rows
 * reach JS. The counting rules are those of db/analysis/aggregates.ts (逾期: not closed and the
 * deadline in force before today).
 */
import { defineCall } from '../core/call.js';
import * as f from '../domain/fields.js';
import { choiceFilter, idFilter, likePattern, textFilter } from './filters.js';

export const DUTY_GROUPINGS = ['department', 'leader'] as const;
export type DutyGrouping = (typeof DUTY_GROUPINGS)[number];

export interface DutyGroup {
  /** The department or leader as entered; null for tasks that name none. */
  key: string | null;
  tasks: number;
  /** Not closed (草稿, 推进中, 待审核). */
  open: number;
  overdue: number;
  closed: number;
}

export interface DutyGroups {
  by: DutyGrouping;
  rows: DutyGroup[];
  /** More groups matched than `limit`: narrow with `q`. */
  truncated: boolean;
}

const COLUMN: Record<DutyGrouping, string> = { department: 't.responsible_department', leader: 't.responsible_leader' };

/** Every key optional: by (default department), roundId, unitId, q (part of the name), limit (1..1000, default 300). */
const dutyGroupsArg = f.v.nullish(f.args({
  by: choiceFilter(DUTY_GROUPINGS, '分组方式'),
  roundId: idFilter('巡视轮次'),
  unitId: idFilter('被巡视单位'),
  q: textFilter('查询内容'),
  limit: f.optInt('条数', 1, 1000),
}), {});

/** The groups, largest first. */
export const listDutyGroups = defineCall({ permission: 'ledger.read', arg: dutyGroupsArg }, (ctx, a): DutyGroups => {
  const { roundId, unitId, q } = a;
  const by = a.by ?? 'department';
  const limit = a.limit ?? 300;
  const col = COLUMN[by];
  // A task under a tombstoned problem is hidden with it; the few deleted problems are listed once.
  const where = ['t.deleted_at IS NULL', 't.problem_id NOT IN (SELECT id FROM problems WHERE deleted_at IS NOT NULL)'];
  const params: unknown[] = [];
  if (roundId) {
    where.push('t.round_id = ?');
    params.push(roundId);
  }
  if (unitId) {
    where.push('t.unit_id = ?');
    params.push(unitId);
  }
  if (q) {
    where.push(`${col} LIKE ? ESCAPE '\\'`);
    params.push(likePattern(q));
  }
  const today = ctx.clock.today();
  const rows = ctx.ledger.prepare(`SELECT ${col} AS key, count(*) AS tasks,
      coalesce(sum(t.status <> 'closed'), 0) AS open,
      coalesce(sum(t.status <> 'closed' AND t.current_deadline < ?), 0) AS overdue,
      coalesce(sum(t.status = 'closed'), 0) AS closed
    FROM tasks t WHERE ${where.join(' AND ')}
    GROUP BY ${col} ORDER BY tasks DESC, key IS NULL, key LIMIT ?`).all(today, ...params, limit + 1) as DutyGroup[];
  return { by, rows: rows.slice(0, limit), truncated: rows.length > limit };
});
