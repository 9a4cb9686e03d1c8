/**
 * The statutory 巡视整改台账 rows (DOMAIN.md "Printed ledgers"): one row per task, in the order
 * unit → round → problem 序号 → task 序号, each with the thirteen cells of the statutory columns
 * already in their printed wording. Shared by 导出台账 (db/excel/export.ts, written to .xlsx) and
 * the printed ledger (db/services/print-ledger.ts), so the paper and the workbook say the same.
 *
 * A problem without live tasks still gives one row (its task cells empty): every problem of the
 * problem list appears in the ledger. Rows hold no rules; the callers check the rights.
 */
import type { ServiceContext } from '../core/context.js';
import { TASK_STATUSES } from '../domain/enums.js';
import { formatDate } from '../domain/report-text.js';

export const LEDGER_COLUMNS = ['序号', '问题类别', '问题描述', '整改措施', '责任领导', '责任部门', '责任人', '整改时限', '整改进展', '完成情况', '佐证材料', '销号情况', '备注'] as const;

/** The cells of one row in LEDGER_COLUMNS order: 序号 is a number, the rest text ('' when empty). */
export type LedgerValues = [number, ...string[]];

export interface LedgerRow {
  problemId: string;
  unitId: string;
  unitName: string;
  /** null for a problem without live tasks (its row carries the problem cells only). */
  taskId: string | null;
  values: LedgerValues;
}

export interface LedgerFilter {
  unitId?: string | null;
  roundId?: string | null;
}

interface TaskRow {
  problemId: string; unitId: string; pseq: number; category: string | null; description: string; unitName: string;
  taskId: string | null; measures: string | null; leader: string | null; department: string | null; person: string | null;
  term: string | null; deadline: string | null; status: string | null; completedOn: string | null; remark: string | null;
}

/** How many rows (tasks, or problems without tasks) `ledgerRows` would give for the filter. */
export function countLedgerRows(ctx: ServiceContext, o: LedgerFilter = {}): number {
  const w = where(o);
  return (ctx.ledger.prepare(`SELECT count(*) AS n FROM problems p
    LEFT JOIN tasks t ON t.problem_id = p.id AND t.deleted_at IS NULL WHERE ${w.sql}`).get(...w.args) as { n: number }).n;
}

function where(o: LedgerFilter): { sql: string; args: unknown[] } {
  const parts = ['p.deleted_at IS NULL'];
  const args: unknown[] = [];
  if (o.unitId) {
    parts.push('p.unit_id = ?');
    args.push(o.unitId);
  }
  if (o.roundId) {
    parts.push('p.round_id = ?');
    args.push(o.roundId);
  }
  return { sql: parts.join(' AND '), args };
}

/** The rows, read lazily (a 100,000-row export never holds them all). */
export function* ledgerRows(ctx: ServiceContext, o: LedgerFilter = {}): Generator<LedgerRow> {
  const l = ctx.ledger;
  const w = where(o);
  const tasksOf = l.sqlite.prepare(`
    SELECT p.id AS problemId, p.unit_id AS unitId, p.seq AS pseq, c.name AS category, p.description, u.name AS unitName,
      t.id AS taskId, t.measures, t.responsible_leader AS leader, t.responsible_department AS department, t.responsible_person AS person,
      t.term, t.current_deadline AS deadline, t.status, t.completed_on AS completedOn, t.remark
    FROM problems p JOIN units u ON u.id = p.unit_id LEFT JOIN problem_categories c ON c.id = p.category_id
    LEFT JOIN tasks t ON t.problem_id = p.id AND t.deleted_at IS NULL
    WHERE ${w.sql} ORDER BY u.name, p.round_id, p.seq, p.id, t.seq`);
  const progressOf = l.prepare('SELECT entry_date AS d, content FROM progress_entries WHERE task_id = ? AND deleted_at IS NULL ORDER BY entry_date DESC, created_at DESC LIMIT 1');
  const evidenceOf = l.prepare("SELECT file_name AS f FROM evidence WHERE owner_type = 'task' AND owner_id = ? AND deleted_at IS NULL ORDER BY created_at");
  const closeoutOf = l.prepare("SELECT decided_at AS d FROM closeouts WHERE task_id = ? AND decision = 'accepted' AND superseded_at IS NULL AND deleted_at IS NULL ORDER BY decided_at DESC LIMIT 1");
  for (const r of tasksOf.iterate(...w.args) as IterableIterator<TaskRow>) {
    const deadline = r.deadline === null ? '' : r.term === 'long_term' ? `长期坚持（${formatDate(r.deadline)}）` : r.term === 'immediate' ? `立行立改（${formatDate(r.deadline)}）` : formatDate(r.deadline);
    const progress = r.taskId ? (progressOf.get(r.taskId) as { d: string; content: string } | undefined) : undefined;
    const files = r.taskId ? (evidenceOf.all(r.taskId) as { f: string }[]).map((e) => e.f).join('\n') : '';
    const closed = r.taskId ? (closeoutOf.get(r.taskId) as { d: string | null } | undefined) : undefined;
    const completion = r.status === null ? '' : r.completedOn ? `已完成（${formatDate(r.completedOn)}）` : TASK_STATUSES.labels[r.status as keyof typeof TASK_STATUSES.labels];
    yield {
      problemId: r.problemId, unitId: r.unitId, unitName: r.unitName, taskId: r.taskId,
      values: [
        r.pseq, r.category ?? '', r.description, r.measures ?? '', r.leader ?? '', r.department ?? '', r.person ?? '', deadline,
        progress ? `${formatDate(progress.d)}：${progress.content}` : '', completion, files, closed ? `已销号${closed.d ? `（${formatDate(closed.d.slice(0, 10))}）` : ''}` : '', r.remark ?? '',
      ],
    };
  }
}
