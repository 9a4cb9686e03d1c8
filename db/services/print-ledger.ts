/**
 * 法定台账打印 (issue 11 item 3; DOMAIN.md "Printed ledgers"): what each statutory printed ledger
 * shows, one read call per kind. The page layout (header rows, 第N页 共M页, marking, signatures) is
 * the renderer's; the engine gives the rows in order, already in their printed wording, and the
 * heading facts (office, round, unit, the engine's today).
 *
 * - 巡视整改台账: the rows of 导出台账 (db/queries/statutory.ts), grouped unit → problem → tasks, so
 *   a problem's 序号/问题类别/问题描述 can span its task rows on paper as they merge in Excel.
 * - 整改监督台账: the supervision activities (监督举措) with the problems each one concerns.
 * - 单位整改情况汇总表: the engine's own 汇总 by unit (db/analysis `summarize`), not a recount.
 * - 问题线索处置台账: only with the clue right (FORBIDDEN before anything is read), only when the
 *   caller says the user confirmed, and every printing is one 'print' event in the audit trail,
 *   written in the same transaction that reads the rows (no rows without the trail entry).
 *
 * A printed ledger is capped at MAX_PRINTED_ROWS rows: a ledger cut short on paper would look
 * complete, so a larger one is refused with the advice to print unit by unit.
 */
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { defineCall } from '../core/call.js';
import { appendEvent } from '../core/audit.js';
import { summarize, type SummaryFigures, type SummaryRow } from '../analysis/aggregates.js';
import { checkScope } from '../analysis/scope.js';
import { ACTIVITY_KINDS, CLUE_DISPOSITIONS, CLUE_OUTCOMES, RECEIVING_ORGANS } from '../domain/enums.js';
import { conflict } from '../domain/errors.js';
import { MAX_PRINTED_ROWS } from '../domain/exports.js';
import * as f from '../domain/fields.js';
import { formatDate } from '../domain/report-text.js';
import { countLedgerRows, ledgerRows } from '../queries/statutory.js';
import { CLUE_LIST_ENTITY_ID } from './clues.js';

export { MAX_PRINTED_ROWS };

/** The facts every printed ledger's heading names. */
export interface PrintedHead {
  officeName: string;
  roundId: string | null;
  /** null: all rounds. */
  roundName: string | null;
  unitId: string | null;
  /** null: all units. */
  unitName: string | null;
  /** The engine's today (ISO) and its printed form 2024年6月15日. */
  today: string;
  printedOn: string;
}

export interface RectificationProblem {
  problemId: string;
  /** 序号, 问题类别, 问题描述: the cells that span the problem's task rows. */
  seq: number;
  category: string;
  description: string;
  /** Each task's ten remaining cells (整改措施 … 备注); one empty row for a problem without tasks. */
  tasks: { taskId: string | null; cells: string[] }[];
}
export interface RectificationLedger {
  kind: 'rectification';
  head: PrintedHead;
  /** One section per unit, in unit name order. */
  units: { unitId: string; unitName: string; problems: RectificationProblem[] }[];
  rows: number;
}

export interface SupervisionRow {
  id: string;
  activityDate: string;
  kind: string;
  title: string;
  unitName: string;
  participants: string;
  findings: string;
  /** The problems it concerns, as 第N项：描述, one per line. */
  problems: string;
}
export interface SupervisionLedger {
  kind: 'supervision';
  head: PrintedHead;
  rows: SupervisionRow[];
}

export interface SummaryLedger {
  kind: 'summary';
  head: PrintedHead;
  rows: SummaryRow[];
  totals: SummaryFigures;
}

export interface ClueRow {
  id: string;
  subjectName: string;
  subjectPost: string;
  unitName: string;
  summary: string;
  receivedOn: string;
  receivingOrgan: string;
  disposition: string;
  /** Every disposition step, 2024年3月1日 谈话函询：note, one per line. */
  steps: string;
  outcome: string;
  /** 追赃挽损 in yuan, two decimals ('' when none). */
  money: string;
  concludedOn: string;
}
export interface ClueLedger {
  kind: 'clues';
  head: PrintedHead;
  rows: ClueRow[];
}

const scopeArg = { roundId: f.optId('巡视轮次'), unitId: f.optId('被巡视单位') };

function head(ctx: ServiceContext, a: { roundId: string | null; unitId: string | null }): PrintedHead {
  checkScope(ctx, { roundId: a.roundId, unitId: a.unitId });
  const l = ctx.ledger;
  const name = (sql: string, id: string | null) => (id ? (l.prepare(sql).get(id) as { name: string } | undefined)?.name ?? null : null);
  const today = ctx.clock.today();
  return {
    officeName: name('SELECT name FROM offices WHERE id = ?', l.state.officeId) ?? '',
    roundId: a.roundId, roundName: name('SELECT name FROM rounds WHERE id = ?', a.roundId),
    unitId: a.unitId, unitName: name('SELECT name FROM units WHERE id = ?', a.unitId),
    today, printedOn: formatDate(today),
  };
}

function capped(n: number): void {
  if (n > MAX_PRINTED_ROWS) {
    throw conflict(`共 ${n} 行，超过一次打印的上限 ${MAX_PRINTED_ROWS} 行。请按被巡视单位或巡视轮次分别打印。`, 'too_many');
  }
}

function scopeSql(a: { roundId: string | null; unitId: string | null }, alias: string): { sql: string; args: string[] } {
  let sql = '';
  const args: string[] = [];
  if (a.roundId) {
    sql += ` AND ${alias}.round_id = ?`;
    args.push(a.roundId);
  }
  if (a.unitId) {
    sql += ` AND ${alias}.unit_id = ?`;
    args.push(a.unitId);
  }
  return { sql, args };
}

/** 巡视整改台账: the statutory columns, a problem's cells over its task rows, one section per unit. */
export const printRectification = defineCall({ permission: 'ledger.read', arg: f.args(scopeArg) }, (ctx, a): RectificationLedger => {
  const h = head(ctx, a);
  capped(countLedgerRows(ctx, a));
  const units: RectificationLedger['units'] = [];
  let rows = 0;
  let problem = null as RectificationProblem | null;
  for (const r of ledgerRows(ctx, a)) {
    let unit = units.at(-1);
    if (unit?.unitId !== r.unitId) units.push((unit = { unitId: r.unitId, unitName: r.unitName, problems: [] }));
    if (problem?.problemId !== r.problemId || unit.problems.at(-1) !== problem) {
      const [seq, category, description] = r.values;
      problem = { problemId: r.problemId, seq, category: category ?? '', description: description ?? '', tasks: [] };
      unit.problems.push(problem);
    }
    problem.tasks.push({ taskId: r.taskId, cells: r.values.slice(3) as string[] });
    rows++;
  }
  return { kind: 'rectification', head: h, units, rows };
});

/** 整改监督台账: the supervision activities in date order, each with the problems it concerns. */
export const printSupervision = defineCall({ permission: 'ledger.read', arg: f.args(scopeArg) }, (ctx, a): SupervisionLedger => {
  const h = head(ctx, a);
  const w = scopeSql(a, 's');
  const l = ctx.ledger;
  capped((l.prepare(`SELECT count(*) AS n FROM supervision_activities s WHERE s.deleted_at IS NULL${w.sql}`).get(...w.args) as { n: number }).n);
  const items = l.prepare(`SELECT s.id, s.activity_date AS d, s.kind, s.title, u.name AS unitName, s.participants, s.findings
    FROM supervision_activities s LEFT JOIN units u ON u.id = s.unit_id
    WHERE s.deleted_at IS NULL${w.sql} ORDER BY s.activity_date, s.id`).all(...w.args) as {
    id: string; d: string; kind: keyof typeof ACTIVITY_KINDS.labels; title: string; unitName: string | null; participants: string | null; findings: string | null;
  }[];
  const linked = l.prepare(`SELECT p.seq, p.description FROM activity_problems ap JOIN problems p ON p.id = ap.problem_id
    WHERE ap.activity_id = ? AND ap.deleted_at IS NULL AND p.deleted_at IS NULL ORDER BY p.seq, p.id`);
  const rows = items.map((s): SupervisionRow => ({
    id: s.id, activityDate: formatDate(s.d), kind: ACTIVITY_KINDS.labels[s.kind] ?? s.kind, title: s.title, unitName: s.unitName ?? '',
    participants: s.participants ?? '', findings: s.findings ?? '',
    problems: (linked.all(s.id) as { seq: number; description: string }[]).map((p) => `第${p.seq}项：${p.description}`).join('\n'),
  }));
  return { kind: 'supervision', head: h, rows };
});

/** 单位整改情况汇总表: the engine's 汇总 by unit (the same figures as 汇总分析 and 工作台). */
export const printSummary = defineCall({ permission: 'ledger.read', arg: f.args(scopeArg) }, (ctx, a): SummaryLedger => {
  const h = head(ctx, a);
  const s = summarize(ctx, { groupBy: 'unit', roundId: a.roundId, unitId: a.unitId });
  return { kind: 'summary', head: h, rows: s.rows, totals: s.totals };
});

/**
 * 问题线索处置台账: the clue right first (FORBIDDEN 'clue.read' for anyone without it, before the
 * argument is looked at), then the confirmation the user gave; the rows and the 'print' audit
 * event (the filter and every clue id printed) in one transaction.
 */
export const printClues = defineCall({
  permission: 'clue.read',
  arg: f.args({ ...scopeArg, confirmed: f.v.literal(true, '打印问题线索处置台账须先确认。') }),
}, (ctx, a): ClueLedger => {
  const h = head(ctx, a);
  const w = scopeSql(a, 'c');
  const l = ctx.ledger;
  capped((l.prepare(`SELECT count(*) AS n FROM clues c WHERE c.deleted_at IS NULL${w.sql}`).get(...w.args) as { n: number }).n);
  return inTransaction(ctx, () => {
    const items = l.prepare(`SELECT c.id, c.subject_name AS subjectName, c.subject_post AS subjectPost, u.name AS unitName, c.summary,
        c.received_on AS receivedOn, c.receiving_organ AS organ, c.disposition, c.outcome, c.money_recovered_fen AS fen, c.concluded_on AS concludedOn
      FROM clues c LEFT JOIN units u ON u.id = c.unit_id
      WHERE c.deleted_at IS NULL${w.sql} ORDER BY c.received_on, c.id`).all(...w.args) as {
      id: string; subjectName: string; subjectPost: string; unitName: string | null; summary: string; receivedOn: string;
      organ: keyof typeof RECEIVING_ORGANS.labels; disposition: keyof typeof CLUE_DISPOSITIONS.labels;
      outcome: keyof typeof CLUE_OUTCOMES.labels | null; fen: number; concludedOn: string | null;
    }[];
    const stepsOf = l.prepare(`SELECT decided_on AS d, way, note, is_reactivation AS re FROM clue_dispositions
      WHERE clue_id = ? AND deleted_at IS NULL ORDER BY decided_on, id`);
    const rows = items.map((c): ClueRow => ({
      id: c.id, subjectName: c.subjectName, subjectPost: c.subjectPost, unitName: c.unitName ?? '', summary: c.summary,
      receivedOn: formatDate(c.receivedOn), receivingOrgan: RECEIVING_ORGANS.labels[c.organ] ?? c.organ,
      disposition: CLUE_DISPOSITIONS.labels[c.disposition] ?? c.disposition,
      steps: (stepsOf.all(c.id) as { d: string; way: keyof typeof CLUE_DISPOSITIONS.labels; note: string; re: number }[])
        .map((s) => `${formatDate(s.d)} ${s.re ? '重新启用·' : ''}${CLUE_DISPOSITIONS.labels[s.way] ?? s.way}${s.note ? `：${s.note}` : ''}`).join('\n'),
      outcome: c.outcome ? CLUE_OUTCOMES.labels[c.outcome] ?? c.outcome : '',
      money: c.fen > 0 ? (c.fen / 100).toFixed(2) : '',
      concludedOn: formatDate(c.concludedOn),
    }));
    appendEvent(ctx, {
      action: 'print', entity: 'clues', entityId: CLUE_LIST_ENTITY_ID,
      detail: { ledger: '问题线索处置台账', filter: { roundId: a.roundId, unitId: a.unitId }, ids: rows.map((r) => r.id), total: rows.length },
    });
    return { kind: 'clues', head: h, rows };
  });
});
