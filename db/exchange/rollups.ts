/**
 * Which problems an import must roll up (db/services/problems.ts refreshProblemRollups). A problem
 * the package creates can have no tasks but the package's own (a task needs its problem), so when
 * each of those was created by the package too, not touched by a close-out, extension or progress
 * entry in it, and carries its derived state (status, current deadline), the roll-up is worked out
 * here from those values exactly as the statement works it out; the statement then runs only where
 * the result differs from what the problem was created with (a task refused here or left out by
 * the sender). Problems that existed before always get the statement.
 */
import type { RecordChange } from './changes.js';

interface Created { table: string; change: RecordChange }

const has = (o: Record<string, unknown> | undefined, k: string) => !!o && Object.hasOwn(o, k);

export function rollupsDue(created: readonly Created[], touchedTasks: ReadonlySet<string>, problems: ReadonlySet<string>): Set<string> {
  const due = new Set(problems);
  const newProblems = new Map<string, RecordChange>();
  for (const c of created) if (c.table === 'problems') newProblems.set(c.change.id, c.change);
  /** Per new problem, its live tasks' [status, current deadline]; null: cannot be worked out here. */
  const tasksOf = new Map<string, [unknown, unknown][] | null>();
  for (const { table, change: c } of created) {
    if (table !== 'tasks') continue;
    const p = c.row.problemId as string;
    if (!newProblems.has(p) || tasksOf.get(p) === null) continue;
    if (touchedTasks.has(c.id) || !has(c.initial, 'status') || !has(c.initial, 'currentDeadline')) {
      tasksOf.set(p, null);
      continue;
    }
    if (c.deleted) {
      if (!tasksOf.has(p)) tasksOf.set(p, []);
      continue;
    }
    const list = tasksOf.get(p) ?? [];
    list.push([c.initial.status, c.initial.currentDeadline]);
    tasksOf.set(p, list);
  }
  for (const [id, p] of newProblems) {
    const tasks = tasksOf.has(id) ? tasksOf.get(id)! : [];
    const i = p.initial;
    if (tasks === null || !['status', 'deadline', 'taskCount', 'closedTaskCount'].every((k) => has(i, k))) continue;
    const n = tasks.length;
    const closed = tasks.filter(([s]) => s === 'closed').length;
    const pending = tasks.filter(([s]) => s === 'pending_review').length;
    let next: string | null = null;
    for (const [s, d] of tasks) if (s !== 'closed' && typeof d === 'string' && (next === null || d < next)) next = d;
    const status = n > 0 && closed === n ? 'closed' : pending > 0 && pending + closed === n ? 'pending_review' : 'open';
    if (i.status === status && i.deadline === next && i.taskCount === n && i.closedTaskCount === closed) due.delete(id);
  }
  return due;
}
