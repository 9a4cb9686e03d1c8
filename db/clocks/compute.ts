import type { ClueDisposition, ReportKind } from '../domain/enums.js';
import { DomainError } from '../domain/errors.js';
import { DEFAULT_WARN_DAYS, RULE_FIELDS, RULE_KEYS, RULES_2022, type ClockRules } from '../domain/clock-rules.js';
import { CLOCK_LABELS, type ClockKind, type ClockView } from '../domain/clock-kinds.js';
import { LIGHT_WORDS, trafficLight, type LightState } from '../domain/lights.js';
import { addMonths, compare } from '../domain/months.js';
import type { WorkCalendar } from './working-days.js';

/**
 * The clock rules of DOMAIN.md ("Statutory clocks") as pure computations: from the dates the
 * ledger knows (the facts, read by db/clocks/statutory.ts) and a round's rule set to the lights.
 * No SQL here: the same facts give the same lights whatever reads them.
 */

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
