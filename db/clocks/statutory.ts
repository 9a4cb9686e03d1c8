import type { ServiceContext } from '../core/context.js';
import type { ClueDisposition, ReportKind } from '../domain/enums.js';
import { DomainError, notFound } from '../domain/errors.js';
import { requirePermission } from '../core/permissions.js';
import { LIGHT_WORDS, trafficLight, worstLight, type Light, type LightState } from './lights.js';
import { addDays, addMonths, compare } from './months.js';
import { DEFAULT_WARN_DAYS, RULE_FIELDS, RULE_KEYS, RULES_2022, type ClockRules } from '../domain/clock-rules.js';
import { loadCalendar, type WorkCalendar } from './working-days.js';

/**
 * The statutory clocks of DOMAIN.md ("Statutory clocks"), computed on read from the ledger's
 * facts and the round's versioned rule set (clock_rule_sets.rules). Nothing here is stored:
 * editing a feedback date, a report or the rule set of a round changes every light at once.
 */

export const CLOCK_KINDS = [
  'concentrated', 'progress_report', 'dlm', 'disclosure', 'supervision_discipline', 'supervision_organisation',
  'task', 'clue_feedback', 'inquiry_reply',
] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];

export const CLOCK_LABELS: Record<ClockKind, string> = {
  concentrated: '集中整改期',
  progress_report: '集中整改进展情况报告',
  dlm: '专题民主生活会',
  disclosure: '整改情况公开',
  supervision_discipline: '纪检监察机关整改监督情况报告',
  supervision_organisation: '组织部门整改监督情况报告',
  task: '整改时限',
  clue_feedback: '线索处置情况反馈',
  inquiry_reply: '函询回复',
};

export interface ClockView extends LightState {
  kind: ClockKind;
  /** zh-CN name of the clock. */
  label: string;
  /** The rule in words, e.g. “反馈后3个月内”. */
  rule: string;
  /** The day the start event happened (null: not yet). */
  startsOn: string | null;
  /** The record the clock belongs to (task, clue, disposition) when not the inspection itself. */
  refId?: string;
  /** A task's first deadline when an approved extension moved it (both are shown). */
  originalDueOn?: string;
}

// ---------------------------------------------------------------------------------------------
// Rule sets

/**
 * Parse a stored rule set. A missing warnDays falls back to 7 days; any other missing or
 * out-of-range field means the stored data is damaged (CORRUPT), never silently defaulted.
 */
export function readRules(json: string, code = ''): ClockRules {
  const bad = (why: string) => new DomainError('CORRUPT', `时限规则${code ? `“${code}”` : ''}的内容无效：${why}`);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw bad('不是有效的JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('不是对象');
  const obj = raw as Record<string, unknown>;
  const out = {} as ClockRules;
  for (const k of RULE_KEYS) {
    const f = RULE_FIELDS[k];
    const v = obj[k] ?? (k === 'warnDays' ? DEFAULT_WARN_DAYS : undefined);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < f.min || v > f.max) throw bad(f.label);
    out[k] = v;
  }
  return out;
}

/** Rules for records outside any round (a clue or task with no round): the current 2022 rules. */
export const FALLBACK_RULES: ClockRules = RULES_2022.rules;

// ---------------------------------------------------------------------------------------------
// Pure clock computations

/** What the ledger knows about one inspection, reduced to the dates the clocks need. */
export interface InspectionFacts {
  /** Earliest live feedback date (集中反馈 or 一对一反馈): every clock starts here. */
  firstFeedbackOn: string | null;
  /** Earliest reportDate of a live report of each kind, dated on or after the first feedback. */
  firstReportOn: Partial<Record<ReportKind, string>>;
  /** Earliest review opinion: its receivedOn, or its reportDate when receivedOn is not recorded. */
  reviewOpinionOn: string | null;
}

function view(kind: ClockKind, rule: string, startsOn: string | null, s: LightState, extra: Partial<ClockView> = {}): ClockView {
  return { kind, label: CLOCK_LABELS[kind], rule, startsOn, ...s, ...extra };
}

/**
 * The six clocks of one inspection:
 * - 集中整改期: feedback + concentratedMonths. A period, not a duty: it turns yellow near its end
 *   and 'done' (已期满) the day after it ends.
 * - 集中整改进展情况报告: feedback + progressReportMonths (2022 opinion: 3 months; 2017 条例: 2),
 *   done by the first 'progress' report, late when filed after the due date.
 * - 专题民主生活会: must be held inside the concentrated period; done by the first 'dlm' report.
 * - 整改情况公开: review opinion received + disclosureMonths; not started before any review
 *   opinion; done by the first 'disclosure' report.
 * - 整改监督情况报告 of the discipline organ and of the organisation department: end of the
 *   concentrated period + supervisionReportMonths; they start when the period ends.
 * Reports dated before the first feedback do not count (they belong to an earlier inspection or
 * are mis-dated): the clock stays open so somebody looks at it.
 */
export function computeInspectionClocks(f: InspectionFacts, rules: ClockRules, today: string): ClockView[] {
  const fb = f.firstFeedbackOn;
  const w = rules.warnDays;
  const concEnd = fb ? addMonths(fb, rules.concentratedMonths) : null;
  const report = (k: ReportKind) => f.firstReportOn[k] ?? null;

  const periodOver = concEnd !== null && compare(today, concEnd) > 0;
  const conc = trafficLight({ startsOn: fb, dueOn: concEnd, doneOn: periodOver ? concEnd : null, today, warnDays: w });
  if (periodOver) conc.word = LIGHT_WORDS.period_over;

  const progressDue = fb ? addMonths(fb, rules.progressReportMonths) : null;
  const discStart = f.reviewOpinionOn;
  const discDue = discStart ? addMonths(discStart, rules.disclosureMonths) : null;
  const supDue = concEnd ? addMonths(concEnd, rules.supervisionReportMonths) : null;
  const sup = (k: 'supervision_discipline' | 'supervision_organisation') =>
    view(k, `集中整改期满后${rules.supervisionReportMonths}个月内`, concEnd,
      trafficLight({ startsOn: concEnd, dueOn: supDue, doneOn: report(k), today, warnDays: w }));

  return [
    view('concentrated', `反馈后${rules.concentratedMonths}个月`, fb, conc),
    view('progress_report', `反馈后${rules.progressReportMonths}个月内`, fb,
      trafficLight({ startsOn: fb, dueOn: progressDue, doneOn: report('progress'), today, warnDays: w })),
    view('dlm', '集中整改期内召开', fb,
      trafficLight({ startsOn: fb, dueOn: concEnd, doneOn: report('dlm'), today, warnDays: w })),
    view('disclosure', `收到审核意见后${rules.disclosureMonths}个月内`, discStart,
      trafficLight({ startsOn: discStart, dueOn: discDue, doneOn: report('disclosure'), today, warnDays: w })),
    sup('supervision_discipline'),
    sup('supervision_organisation'),
  ];
}

export interface TaskFacts {
  id: string;
  deadline: string;
  currentDeadline: string;
  status: string;
  completedOn: string | null;
  closedAt: string | null;
}

/** Local calendar date of an ISO instant (as the clock's today() reads it). */
function localDateOf(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * A task's deadline (整改时限): the deadline in force (currentDeadline, after any approved
 * extension), warnDays before it yellow, after it red; done once closed out (已销号), dated by
 * its completion date (or the close-out day when none was recorded). A task waiting for review
 * (待审核) is not done: its deadline still runs until the reviewer accepts it.
 */
export function computeTaskClock(t: TaskFacts, warnDays: number, today: string): ClockView {
  const closed = t.status === 'closed';
  const doneOn = closed ? (t.completedOn ?? (t.closedAt ? localDateOf(t.closedAt) : null)) : null;
  const s = trafficLight({ startsOn: null, started: true, dueOn: t.currentDeadline, doneOn, done: closed, today, warnDays });
  const extra: Partial<ClockView> = { refId: t.id };
  if (t.deadline !== t.currentDeadline) extra.originalDueOn = t.deadline;
  return view('task', '整改时限', null, s, extra);
}

/**
 * 线索处置情况反馈 is done when the clue is concluded (concludedOn) or has reached a final
 * disposition: 予以了结 (closed_out) or 立案审查调查 (case_filed, handed to the case process).
 * 谈话函询 and 初步核实 are still under way, and 暂存待查 is not final either (a shelved clue is
 * re-activated when new facts come), so those keep the clock running.
 */
export const CLUE_FINAL_DISPOSITIONS: readonly ClueDisposition[] = ['closed_out', 'case_filed'];

export interface ClueFacts {
  id: string;
  receivedOn: string;
  disposition: ClueDisposition;
  concludedOn: string | null;
  /** Date of the latest disposition step to the clue's current way (when it is final). */
  finalDecidedOn: string | null;
}

export function computeClueClock(c: ClueFacts, rules: ClockRules, today: string): ClockView {
  const final = CLUE_FINAL_DISPOSITIONS.includes(c.disposition);
  const doneOn = c.concludedOn ?? (final ? c.finalDecidedOn : null);
  const s = trafficLight({
    startsOn: c.receivedOn, dueOn: addMonths(c.receivedOn, rules.clueFeedbackMonths),
    doneOn, done: doneOn !== null || final, today, warnDays: rules.warnDays,
  });
  return view('clue_feedback', `接收线索后${rules.clueFeedbackMonths}个月内`, c.receivedOn, s, { refId: c.id });
}

export interface LetterFacts {
  /** The clue_dispositions row carrying the letter. */
  id: string;
  letterSentOn: string;
  repliedOn: string | null;
}

/** 函询回复: inquiryReplyWorkingDays working days after the letter, under the holiday calendar. */
export function computeLetterClock(l: LetterFacts, rules: ClockRules, cal: WorkCalendar, today: string): ClockView {
  const due = cal.addWorkingDays(l.letterSentOn, rules.inquiryReplyWorkingDays);
  const s = trafficLight({ startsOn: l.letterSentOn, dueOn: due, doneOn: l.repliedOn, today, warnDays: rules.warnDays });
  return view('inquiry_reply', `函询发出后${rules.inquiryReplyWorkingDays}个工作日内`, l.letterSentOn, s, { refId: l.id });
}

// ---------------------------------------------------------------------------------------------
// Reading the ledger

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
