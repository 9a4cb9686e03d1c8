/**
 * Which problems an import must roll up (db/services/problems.ts refreshProblemRollups). A problem
 * the package creates can have no tasks but the package's own (a task needs its problem), so when
 * each of those was created by the package too, not touched by a close-out, extension or progress
 * entry in it, and carries its derived state (status, current deadline), the roll-up is worked out
 * here from those values exactly as the statement works it out; the statement then runs only where
 * the result differs from what the problem was created with (a task refused here or left out by
 * the sender). Problems that existed before always get the statement.
 *
 * The import writes a package batch by batch: the tally is kept as it goes (a few numbers per new
 * problem), never the records.
 */
import type { RecordChange } from './changes.js';

interface Tally {
  /** What the problem was created with: status, deadline, task count, closed task count. */
  init: readonly [unknown, unknown, unknown, unknown];
  n: number;
  closed: number;
  pending: number;
  next: string | null;
}

const has = (o: Record<string, unknown> | undefined, k: string) => !!o && Object.hasOwn(o, k);

export class RollupTally {
  /** The problems the package created: their tally, or null when it cannot be worked out here. */
  private readonly tallies = new Map<string, Tally | null>();
  /** Problems that had a task created before them (a package out of the usual order): the statement decides. */
  private readonly early = new Set<string>();

  problemCreated(c: RecordChange): void {
    const i = c.initial;
    const known = !this.early.has(c.id) && ['status', 'deadline', 'taskCount', 'closedTaskCount'].every((k) => has(i, k));
    this.tallies.set(c.id, known ? { init: [i.status, i.deadline, i.taskCount, i.closedTaskCount], n: 0, closed: 0, pending: 0, next: null } : null);
  }

  taskCreated(c: RecordChange): void {
    const p = c.row.problemId as string;
    if (!this.tallies.has(p)) {
      this.early.add(p);
      return;
    }
    const t = this.tallies.get(p);
    if (!t) return;
    if (!has(c.initial, 'status') || !has(c.initial, 'currentDeadline')) {
      this.tallies.set(p, null);
      return;
    }
    if (c.deleted) return;
    const s = c.initial.status;
    const d = c.initial.currentDeadline;
    t.n++;
    if (s === 'closed') t.closed++;
    if (s === 'pending_review') t.pending++;
    if (s !== 'closed' && typeof d === 'string' && (t.next === null || d < t.next)) t.next = d;
  }

  /** A task of `problemId` was touched by a close-out, extension or progress entry of the package. */
  taskTouched(problemId: string): void {
    if (this.tallies.has(problemId)) this.tallies.set(problemId, null);
  }

  /** `problems` less the new problems whose roll-up is what they were created with. */
  due(problems: ReadonlySet<string>): Set<string> {
    const due = new Set(problems);
    for (const [id, t] of this.tallies) {
      if (!t) continue;
      const status = t.n > 0 && t.closed === t.n ? 'closed' : t.pending > 0 && t.pending + t.closed === t.n ? 'pending_review' : 'open';
      const [s, d, n, closed] = t.init;
      if (s === status && d === t.next && n === t.n && closed === t.closed) due.delete(id);
    }
    return due;
  }
}
