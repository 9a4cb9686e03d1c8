import type { ServiceContext } from '../core/context.js';
import type { ClueDisposition, ReportKind } from '../domain/enums.js';
import { notFound } from '../domain/errors.js';
import { requirePermission } from '../core/permissions.js';
import { DEFAULT_WARN_DAYS, type ClockRules } from '../domain/clock-rules.js';
import {
  computeClueClock, computeInspectionClocks, computeLetterClock, computeTaskClock, FALLBACK_RULES, readRules,
  type InspectionFacts,
} from './compute.js';
import type { ClockView } from '../domain/clock-kinds.js';
import { worstLight, type Light } from '../domain/lights.js';
import { addDays, compare } from '../domain/months.js';
import { loadCalendar, type WorkCalendar } from './working-days.js';

/**
 * The statutory clocks of DOMAIN.md ("Statutory clocks"), computed on read from the ledger's
 * facts and the round's versioned rule set (clock_rule_sets.rules). Nothing here is stored:
 * editing a feedback date, a report or the rule set of a round changes every light at once.
 *
 * This module reads the facts from the ledger (the SQL); the rules themselves are pure
 * computations in ./compute.ts, the clock vocabulary in ./kinds.ts (both re-exported here).
 */

export * from '../domain/clock-kinds.js';
export * from './compute.js';

interface RulesRow {
  rules: string;
  code: string;
}

const rulesOf = (r: RulesRow | undefined | null): ClockRules =>
  r && r.rules !== null ? readRules(r.rules, r.code) : FALLBACK_RULES;

// Facts of every live inspection in a scope (one inspection, or a whole round) in ONE query:
// the first feedback per inspection, and per report kind the first report dated on/after it.
const factsSql = (scope: 'id' | 'round_id') => `
  WITH fb AS (
    SELECT f.inspection_id, MIN(f.feedback_date) AS first_fb
    FROM feedbacks f JOIN inspections i ON i.id = f.inspection_id
    WHERE f.deleted_at IS NULL AND i.${scope} = ?
    GROUP BY f.inspection_id
  )
  SELECT i.id AS inspection_id, fb.first_fb, r.kind,
         MIN(r.report_date) AS first_on,
         MIN(COALESCE(r.received_on, r.report_date)) AS first_received
  FROM inspections i
  LEFT JOIN fb ON fb.inspection_id = i.id
  LEFT JOIN reports r ON r.inspection_id = i.id AND r.deleted_at IS NULL
       AND (fb.first_fb IS NULL OR r.report_date >= fb.first_fb)
  WHERE i.${scope} = ? AND i.deleted_at IS NULL
  GROUP BY i.id, r.kind`;

interface FactsRow {
  inspection_id: string;
  first_fb: string | null;
  kind: ReportKind | null;
  first_on: string | null;
  first_received: string | null;
}

function collectFacts(rows: FactsRow[]): Map<string, InspectionFacts> {
  const out = new Map<string, InspectionFacts>();
  for (const r of rows) {
    let f = out.get(r.inspection_id);
    if (!f) {
      f = { firstFeedbackOn: r.first_fb, firstReportOn: {}, reviewOpinionOn: null };
      out.set(r.inspection_id, f);
    }
    if (r.kind && r.first_on) {
      f.firstReportOn[r.kind] = r.first_on;
      if (r.kind === 'review_opinion') f.reviewOpinionOn = r.first_received;
    }
  }
  return out;
}

/** Every statutory clock of one inspection (one unit in one round). `today` defaults to the clock's. */
export function inspectionClocks(ctx: ServiceContext, inspectionId: string, today = ctx.clock.today()): ClockView[] {
  requirePermission(ctx, 'ledger.read');
  const head = ctx.ledger.prepare(`
    SELECT rs.rules, rs.code FROM inspections i
    JOIN rounds r ON r.id = i.round_id
    JOIN clock_rule_sets rs ON rs.id = r.rule_set_id
    WHERE i.id = ? AND i.deleted_at IS NULL`).get(inspectionId) as RulesRow | undefined;
  if (!head) throw notFound('巡视对象', inspectionId, 'inspectionId');
  const rows = ctx.ledger.prepare(factsSql('id')).all(inspectionId, inspectionId) as FactsRow[];
  const facts = collectFacts(rows).get(inspectionId) ?? { firstFeedbackOn: null, firstReportOn: {}, reviewOpinionOn: null };
  return computeInspectionClocks(facts, rulesOf(head), today);
}

export interface TaskLightCounts {
  total: number;
  done: number;
  red: number;
  yellow: number;
  green: number;
}

export interface UnitClocks {
  inspectionId: string;
  unitId: string;
  unitName: string;
  teamId: string | null;
  clocks: ClockView[];
  /** The worst light among the unit's statutory clocks (its colour on the home page). */
  worst: Light | null;
  /** The unit's tasks in this round by light (same boundaries as taskLight). */
  tasks: TaskLightCounts;
}

export interface RoundClocks {
  roundId: string;
  ruleSet: { id: string; code: string; name: string; ruleVersion: number };
  rules: ClockRules;
  today: string;
  units: UnitClocks[];
}

/**
 * The lights of every inspection of a round for the home page, in four queries whatever the
 * number of units (round + rule set, inspections, facts, task counts): no query per unit.
 */
export function roundClocks(ctx: ServiceContext, roundId: string, today = ctx.clock.today()): RoundClocks {
  requirePermission(ctx, 'ledger.read');
  const head = ctx.ledger.prepare(`
    SELECT rs.id, rs.code, rs.name, rs.rule_version, rs.rules FROM rounds r
    JOIN clock_rule_sets rs ON rs.id = r.rule_set_id
    WHERE r.id = ? AND r.deleted_at IS NULL`).get(roundId) as
    | { id: string; code: string; name: string; rule_version: number; rules: string }
    | undefined;
  if (!head) throw notFound('巡视轮次', roundId, 'roundId');
  const rules = rulesOf(head);

  const insps = ctx.ledger.prepare(`
    SELECT i.id, i.unit_id, i.team_id, u.name AS unit_name FROM inspections i
    JOIN units u ON u.id = i.unit_id
    WHERE i.round_id = ? AND i.deleted_at IS NULL
    ORDER BY u.name, i.id`).all(roundId) as { id: string; unit_id: string; team_id: string | null; unit_name: string }[];
  const facts = collectFacts(ctx.ledger.prepare(factsSql('round_id')).all(roundId, roundId) as FactsRow[]);

  // Same boundaries as trafficLight: red when the deadline is before today, yellow when it is
  // within warnDays (inclusive). 'YYYY-MM-DD' text compares like the dates it holds.
  const counts = ctx.ledger.prepare(`
    SELECT unit_id, COUNT(*) AS total,
      SUM(status = 'closed') AS done,
      SUM(status <> 'closed' AND current_deadline < ?) AS red,
      SUM(status <> 'closed' AND current_deadline >= ? AND current_deadline <= ?) AS yellow
    FROM tasks WHERE round_id = ? AND deleted_at IS NULL AND merged_into_id IS NULL
    GROUP BY unit_id`).all(today, today, addDays(today, rules.warnDays), roundId) as
    { unit_id: string; total: number; done: number; red: number; yellow: number }[];
  const byUnit = new Map(counts.map((c) => [c.unit_id, c]));

  const empty: InspectionFacts = { firstFeedbackOn: null, firstReportOn: {}, reviewOpinionOn: null };
  return {
    roundId,
    ruleSet: { id: head.id, code: head.code, name: head.name, ruleVersion: head.rule_version },
    rules,
    today,
    units: insps.map((i) => {
      const clocks = computeInspectionClocks(facts.get(i.id) ?? empty, rules, today);
      const c = byUnit.get(i.unit_id);
      const tasks: TaskLightCounts = c
        ? { total: c.total, done: c.done, red: c.red, yellow: c.yellow, green: c.total - c.done - c.red - c.yellow }
        : { total: 0, done: 0, red: 0, yellow: 0, green: 0 };
      return {
        inspectionId: i.id, unitId: i.unit_id, unitName: i.unit_name, teamId: i.team_id,
        clocks, worst: worstLight(clocks.map((k) => k.light)), tasks,
      };
    }),
  };
}

/** The light of one task's deadline; warnDays from its round's rule set (7 without a round). */
export function taskLight(ctx: ServiceContext, taskId: string, today = ctx.clock.today()): ClockView {
  requirePermission(ctx, 'ledger.read');
  const row = ctx.ledger.prepare(`
    SELECT t.id, t.deadline, t.current_deadline, t.status, t.completed_on, t.closed_at, rs.rules, rs.code
    FROM tasks t
    LEFT JOIN rounds r ON r.id = t.round_id
    LEFT JOIN clock_rule_sets rs ON rs.id = r.rule_set_id
    WHERE t.id = ? AND t.deleted_at IS NULL`).get(taskId) as
    | { id: string; deadline: string; current_deadline: string; status: string; completed_on: string | null;
        closed_at: string | null; rules: string | null; code: string | null }
    | undefined;
  if (!row) throw notFound('整改任务', taskId, 'taskId');
  const warnDays = row.rules !== null ? readRules(row.rules, row.code ?? '').warnDays : DEFAULT_WARN_DAYS;
  return computeTaskClock({
    id: row.id, deadline: row.deadline, currentDeadline: row.current_deadline, status: row.status,
    completedOn: row.completed_on, closedAt: row.closed_at,
  }, warnDays, today);
}

export interface ClueClocks {
  clueId: string;
  clue: ClockView;
  /** One 函询回复 clock per letter sent (disposition steps with a letter date), oldest first. */
  letters: ClockView[];
}

interface ClueRow {
  id: string;
  received_on: string;
  disposition: ClueDisposition;
  concluded_on: string | null;
  rules: string | null;
  code: string | null;
}
interface StepRow {
  id: string;
  clue_id: string;
  way: ClueDisposition;
  decided_on: string;
  letter_sent_on: string | null;
  replied_on: string | null;
}

function clueClocksOf(c: ClueRow, steps: StepRow[], cal: WorkCalendar, today: string): ClueClocks {
  const rules = c.rules !== null ? readRules(c.rules, c.code ?? '') : FALLBACK_RULES;
  let finalDecidedOn: string | null = null;
  for (const s of steps) {
    if (s.way === c.disposition && (finalDecidedOn === null || compare(s.decided_on, finalDecidedOn) > 0)) finalDecidedOn = s.decided_on;
  }
  const clue = computeClueClock({
    id: c.id, receivedOn: c.received_on, disposition: c.disposition, concludedOn: c.concluded_on, finalDecidedOn,
  }, rules, today);
  const letters = steps
    .filter((s): s is StepRow & { letter_sent_on: string } => s.letter_sent_on !== null)
    .sort((a, b) => compare(a.letter_sent_on, b.letter_sent_on))
    .map((s) => computeLetterClock({ id: s.id, letterSentOn: s.letter_sent_on, repliedOn: s.replied_on }, rules, cal, today));
  return { clueId: c.id, clue, letters };
}

const CLUE_SELECT = `
  SELECT c.id, c.received_on, c.disposition, c.concluded_on, rs.rules, rs.code
  FROM clues c
  LEFT JOIN rounds r ON r.id = c.round_id
  LEFT JOIN clock_rule_sets rs ON rs.id = r.rule_set_id`;
const STEP_SELECT = `
  SELECT d.id, d.clue_id, d.way, d.decided_on, d.letter_sent_on, d.replied_on
  FROM clue_dispositions d JOIN clues c ON c.id = d.clue_id`;

/**
 * The clocks of one clue: its disposition feedback and each inquiry letter's reply. Clues are
 * need-to-know (DOMAIN.md): reading them needs the clue permission.
 */
export function clueClocks(ctx: ServiceContext, clueId: string, today = ctx.clock.today()): ClueClocks {
  requirePermission(ctx, 'clue.read');
  const c = ctx.ledger.prepare(`${CLUE_SELECT} WHERE c.id = ? AND c.deleted_at IS NULL`).get(clueId) as ClueRow | undefined;
  if (!c) throw notFound('问题线索', clueId, 'clueId');
  const steps = ctx.ledger.prepare(`${STEP_SELECT} WHERE d.clue_id = ? AND d.deleted_at IS NULL`).all(clueId) as StepRow[];
  return clueClocksOf(c, steps, loadCalendar(ctx), today);
}

/** The clue clocks of a whole round in three queries (clues, disposition steps, calendar). */
export function roundClueClocks(ctx: ServiceContext, roundId: string, today = ctx.clock.today()): ClueClocks[] {
  requirePermission(ctx, 'clue.read');
  const clues = ctx.ledger.prepare(`${CLUE_SELECT} WHERE c.round_id = ? AND c.deleted_at IS NULL ORDER BY c.received_on, c.id`)
    .all(roundId) as ClueRow[];
  const steps = ctx.ledger.prepare(`${STEP_SELECT} WHERE c.round_id = ? AND c.deleted_at IS NULL AND d.deleted_at IS NULL`)
    .all(roundId) as StepRow[];
  const byClue = new Map<string, StepRow[]>();
  for (const s of steps) {
    const list = byClue.get(s.clue_id);
    if (list) list.push(s);
    else byClue.set(s.clue_id, [s]);
  }
  const cal = loadCalendar(ctx);
  return clues.map((c) => clueClocksOf(c, byClue.get(c.id) ?? [], cal, today));
}
