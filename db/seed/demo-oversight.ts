import { addDays, addMonths } from '../domain/months.js';
import type { ActingUser } from '../core/context.js';
import type { GRADES } from '../domain/enums.js';
import { createAccountability } from '../services/accountability.js';
import { createActivity } from '../services/activities.js';
import { issueEscalation } from '../services/escalations.js';
import { createEvaluation } from '../services/evaluations.js';
import { createProgramme, markMeasureDone } from '../services/programmes.js';
import { createReport } from '../services/reports.js';
import { handoverLeader, setOverhaul } from '../services/units.js';
import { MASS_CLOSURE_UNIT, massClosureDay, work } from './demo-ledger.js';
import {
  ACCOUNTABILITY_NOTES, ACTIVITY_FINDINGS, ESCALATION_REASONS, PROGRAMME_STAGES, REPORT_BODIES, reportTitle,
} from './demo-wording.js';
import { concentratedEnd, type DemoUnit, type World } from './demo-world.js';
import { personName, teamName } from './vocabulary.js';

/**
 * The supervising side of the round, replayed on the same timeline: each unit's reports (方案,
 * 民主生活会, 进展报告, 审核意见, 公开), the discipline office's 监督举措 and its staged programme,
 * 整改责任交接, then after the concentrated period the escalation ladder, 问责, 整顿 and 整改评估.
 * Where a step depends on how rectification went (which units lag), it looks at the ledger on
 * that day rather than at the plan.
 */

type Grade = (typeof GRADES.codes)[number];

export function planOversight(w: World): void {
  for (const u of w.units) {
    planReports(w, u);
    planActivities(w, u);
  }
  planProgramme(w);
  planHandovers(w);
  const f0 = w.round.feedbackOn;
  w.on(addDays(addMonths(f0, 3), 20), () => escalationCampaign(w));
  w.on(addDays(addMonths(f0, 3), 45), () => evaluationCampaign(w));
  w.on(addDays(w.today, -20), () => lookback(w));
}

function supervisor(w: World): ActingUser {
  return w.rng.pick([w.users.shenhe1, w.users.shenhe2]);
}

function year(day: string): string {
  return day.slice(0, 4);
}

// ---------------------------------------------------------------------------------------------
// Reports

function planReports(w: World, u: DemoUnit): void {
  const { rng } = w;
  const f = u.feedbackOn;
  const own = (kind: string, day: string, extra: object = {}) => w.call(u.clerk, createReport, {
    inspectionId: u.inspectionId, kind, title: reportTitle(kind, u.name), reportDate: day, body: REPORT_BODIES[kind] ?? null, ...extra,
  });
  w.on(addDays(f, rng.int(20, 30)), () => {
    own('plan', w.tl.day, { docNumber: `某党发〔${year(w.tl.day)}〕${w.next('plan-doc')}号` });
    const day = w.tl.day;
    if (rng.chance(0.8)) w.on(addDays(day, rng.int(3, 8)), () => activity(w, u, 'plan_review', `审核${u.name}巡视整改方案`));
  });
  // 专题民主生活会 must be held inside the concentrated period.
  w.on(addDays(f, rng.int(35, 80)), () => {
    own('dlm', w.tl.day);
    if (rng.chance(0.7)) activity(w, u, 'dlm_attendance', `列席${u.name}巡视整改专题民主生活会`);
  });
  // 集中整改进展情况报告: within 3 months of feedback; a few come late, one in twenty not at all.
  const due = addMonths(f, 3);
  const r = rng.next();
  const reportOn = u.k === MASS_CLOSURE_UNIT ? addDays(massClosureDay(u), 2) : r < 0.85 ? addDays(due, -rng.int(0, 10)) : r < 0.95 ? addDays(due, rng.int(3, 20)) : null;
  if (reportOn) {
    w.on(reportOn, () => {
      own('progress', w.tl.day, { docNumber: `某党报〔${year(w.tl.day)}〕${w.next('progress-doc')}号` });
      if (rng.chance(0.8)) w.on(addDays(w.tl.day, rng.int(15, 35)), () => reviewOpinion(w, u));
    });
  }
  if (rng.chance(0.4)) {
    w.on(addDays(addMonths(concentratedEnd(u), 3), -rng.int(0, 15)), () => w.call(supervisor(w), createReport, {
      inspectionId: u.inspectionId, kind: 'supervision_discipline', title: reportTitle('supervision_discipline', u.name),
      reportDate: w.tl.day, body: REPORT_BODIES.supervision_discipline,
    }));
  }
  if (rng.chance(0.25)) w.on(addDays(w.today, -rng.int(5, 40)), () => own('follow_up', w.tl.day));
}

/** 审核意见 of the discipline office; the unit then publishes (整改情况公开) within a month, mostly. */
function reviewOpinion(w: World, u: DemoUnit): void {
  const { rng } = w;
  const day = w.tl.day;
  const receivedOn = addDays(day, rng.int(1, 3));
  w.call(supervisor(w), createReport, {
    inspectionId: u.inspectionId, kind: 'review_opinion', title: reportTitle('review_opinion', u.name),
    docNumber: `某纪审〔${year(day)}〕${w.next('opinion-doc')}号`, reportDate: day, receivedOn, body: REPORT_BODIES.review_opinion,
  });
  const r = rng.next();
  const publishOn = r < 0.6 ? addDays(receivedOn, rng.int(5, 28)) : r < 0.7 ? addDays(receivedOn, rng.int(35, 50)) : null;
  if (publishOn) {
    w.on(publishOn, () => w.call(u.clerk, createReport, {
      inspectionId: u.inspectionId, kind: 'disclosure', title: reportTitle('disclosure', u.name), reportDate: w.tl.day,
      body: REPORT_BODIES.disclosure,
    }));
  }
}

// ---------------------------------------------------------------------------------------------
// 监督举措

function activity(w: World, u: DemoUnit | null, kind: string, title: string, problemIds: string[] = []): void {
  const { rng, users } = w;
  w.call(supervisor(w), createActivity, {
    roundId: w.round.id, unitId: u?.id ?? null, kind, activityDate: w.tl.day, title,
    participants: `${users.shenhe1.displayName}、${users.shenhe2.displayName}、${personName(rng.next)}`,
    findings: kind === 'feedback_meeting' ? null : rng.pick(ACTIVITY_FINDINGS), problemIds,
  });
}

function planActivities(w: World, u: DemoUnit): void {
  const { rng } = w;
  const f = u.feedbackOn;
  w.on(f, () => activity(w, u, 'feedback_meeting', `参加省委${teamName(u.team)}向${u.name}反馈巡视情况会议`));
  if (rng.chance(0.5)) w.on(addDays(f, rng.int(8, 15)), () => activity(w, u, 'plan_guidance', `指导${u.name}制定巡视整改方案`));
  const visits = rng.int(1, 2);
  for (let k = 0; k < visits; k++) {
    const kind = rng.pick(['field_research', 'site_inspection'] as const);
    const title = kind === 'field_research' ? `赴${u.name}开展巡视整改调研督导` : `对${u.name}巡视整改情况开展现场检查`;
    w.on(addDays(f, rng.int(50, 200)), () => activity(w, u, kind, title, rng.sample(u.problemIds, rng.int(2, 4))));
  }
  if (rng.chance(0.2)) w.on(addDays(f, rng.int(100, 150)), () => activity(w, u, 'consultation', `${u.name}巡视整改会商`));
  if (rng.chance(0.1)) w.on(addDays(f, rng.int(60, 120)), () => activity(w, u, 'talk_inquiry', `约谈${u.name}有关负责人`, rng.sample(u.problemIds, 1)));
  if (rng.chance(0.05)) w.on(addDays(f, rng.int(90, 160)), () => activity(w, u, 'supervision_advice', `向${u.name}发出纪检监察建议`));
}

/** 整改监督工作方案: 6 months in 4 stages with 15 measures, each ticked off within its stage. */
function planProgramme(w: World): void {
  const { rng, round } = w;
  w.on(addDays(round.feedbackOn, 1), () => {
    const start = round.feedbackOn;
    let m = 0;
    const stages = PROGRAMME_STAGES.map((s) => {
      const startOn = addMonths(start, m);
      m += s.months;
      return {
        name: s.name, startOn, endOn: addDays(addMonths(start, m), -1),
        measures: s.measures.map((content) => ({ content, owner: rng.pick(['省纪委监委第三监督检查室', '省纪委监委案件监督管理室', '省委巡视办', '省委组织部干部监督处']) })),
      };
    });
    const p = w.call(w.users.fuze1, createProgramme, {
      roundId: round.id, name: `${round.name}整改监督工作方案`, startOn: start, endOn: addDays(addMonths(start, m), -1), stages,
    });
    p.stages.forEach((st, k) => {
      for (const ms of st.measures) {
        // The last stage (持续整改) is still under way for some measures.
        if (!rng.chance(k === p.stages.length - 1 ? 0.6 : 0.95)) continue;
        w.on(addDays(st.startOn, rng.int(0, 25)), () => w.call(w.users.fuze1, markMeasureDone, { measureId: ms.id, doneOn: w.tl.day }));
      }
    });
    w.on(addDays(start, rng.int(45, 60)), () => activity(w, null, 'progress_meeting', `${round.name}巡视整改推进会`));
  });
}

/** 整改责任交接: three units change their principal leader during rectification. */
function planHandovers(w: World): void {
  const { rng } = w;
  for (const u of rng.sample(w.units, 3)) {
    w.on(addDays(u.feedbackOn, rng.int(40, 160)), () => {
      const toName = personName(rng.next);
      w.call(u.clerk, handoverLeader, {
        unitId: u.id, toName, toPost: u.leaderPost, date: w.tl.day,
        notes: `${u.leaderName}同志调任，巡视整改责任交接给${toName}同志，未完成整改任务清单已逐项交接。`,
      });
      u.leaderName = toName;
    });
  }
}

// ---------------------------------------------------------------------------------------------
// After the concentrated period: laggards, ratings, accountability

interface Lagging { unitId: string; n: number }

/** Units with overdue unfinished tasks today, worst first (ids break ties, so the order is fixed). */
function lagging(w: World): Lagging[] {
  return w.all<Lagging>(`SELECT unit_id AS unitId, count(*) AS n FROM tasks
    WHERE deleted_at IS NULL AND status <> 'closed' AND current_deadline < ? GROUP BY unit_id ORDER BY n DESC, unit_id`, w.tl.day);
}

function unitById(w: World, id: string): DemoUnit {
  return w.units.find((u) => u.id === id)!;
}

function overdueTasks(w: World, unitId: string, limit: number): { id: string; problemId: string }[] {
  return w.all(`SELECT id, problem_id AS problemId FROM tasks WHERE unit_id = ? AND deleted_at IS NULL AND status <> 'closed'
    AND current_deadline < ? ORDER BY current_deadline, id LIMIT ?`, unitId, w.tl.day, limit);
}

/** 通知书 → 提醒书 → 告诫书 → 问责, in ladder order, against the units lagging most. */
function escalationCampaign(w: World): void {
  const { rng, users } = w;
  const worst = lagging(w).slice(0, 3);
  const notice = (targetType: 'unit' | 'task', targetId: string, level: string, reason: string) =>
    w.call(users.fuze1, issueEscalation, {
      targetType, targetId, level, issuedOn: w.tl.day, reason, docNumber: `某巡办督〔${year(w.tl.day)}〕${w.next('notice-doc')}号`,
    });
  worst.forEach((l, k) => {
    notice('unit', l.unitId, 'notice', ESCALATION_REASONS[0]);
    if (k < 2) w.on(addDays(w.tl.day, rng.int(14, 18)), () => notice('unit', l.unitId, 'reminder', ESCALATION_REASONS[1]));
    if (k < 1) {
      w.on(addDays(w.tl.day, rng.int(30, 34)), () => notice('unit', l.unitId, 'warning', ESCALATION_REASONS[2]));
      w.on(addDays(w.tl.day, rng.int(50, 54)), () => {
        notice('unit', l.unitId, 'accountability', ESCALATION_REASONS[3]);
        holdToAccount(w, unitById(w, l.unitId));
      });
    }
  });
  // Single overdue tasks of other units get a 通知书 of their own.
  const others = new Set(worst.map((l) => l.unitId));
  const tasks = w.all<{ id: string }>(`SELECT id FROM tasks WHERE deleted_at IS NULL AND status <> 'closed' AND current_deadline < ?
    ORDER BY current_deadline, id`, w.tl.day).filter((t) => !others.has(unitOfTask(w, t.id))).slice(0, 3);
  for (const t of tasks) notice('task', t.id, 'notice', '该项整改任务已超过整改时限，请抓紧整改并报告进展。');
}

function unitOfTask(w: World, taskId: string): string {
  return w.all<{ u: string }>('SELECT unit_id AS u FROM tasks WHERE id = ?', taskId)[0]!.u;
}

/** 问责 after the ladder ran out, and the unit put under 整顿. */
function holdToAccount(w: World, u: DemoUnit): void {
  const { rng, users } = w;
  const late = overdueTasks(w, u.id, 5);
  w.on(addDays(w.tl.day, rng.int(2, 6)), () => {
    w.call(users.fuze1, createAccountability, {
      roundId: w.round.id, unitId: u.id, personName: personName(rng.next), post: '分管副总经理', reason: 'ineffective',
      form: 'admonishment', decidedOn: w.tl.day, note: ACCOUNTABILITY_NOTES[0],
      problemIds: [...new Set(late.map((t) => t.problemId))], taskIds: late.map((t) => t.id),
    });
    w.call(users.fuze1, createAccountability, {
      roundId: w.round.id, unitId: u.id, personName: personName(rng.next), post: '责任部门负责人', reason: 'perfunctory',
      form: 'talk_reminder', decidedOn: w.tl.day, note: ACCOUNTABILITY_NOTES[1], taskIds: late.slice(0, 2).map((t) => t.id),
    });
    w.call(users.fuze1, setOverhaul, {
      unitId: u.id, underOverhaul: true, note: '集中整改期满仍有多项问题未整改到位，列为整顿单位：问题不解决不放手，成效不明显不收兵。',
    });
  });
  // A unit that reported late work as done on time is held to account for 虚假整改.
  w.on(addDays(w.tl.day, rng.int(20, 40)), () => {
    const fake = w.all<{ id: string; unitId: string; problemId: string }>(`SELECT id, unit_id AS unitId, problem_id AS problemId FROM tasks
      WHERE deleted_at IS NULL AND reported_on_time = 1 AND completed_on > current_deadline ORDER BY id LIMIT 1`)[0];
    if (!fake) return;
    w.call(users.shenhe1, createAccountability, {
      roundId: w.round.id, unitId: fake.unitId, personName: personName(rng.next), post: '责任部门负责人', reason: 'fake',
      form: 'circular', decidedOn: w.tl.day, note: ACCOUNTABILITY_NOTES[2], problemIds: [fake.problemId], taskIds: [fake.id],
    });
  });
}

const SCORE: Record<Grade, [number, number]> = { good: [90, 98], fairly_good: [80, 89], average: [65, 79], poor: [45, 59] };

function evaluate(w: World, u: DemoUnit, grade: Grade, extra: object = {}): void {
  const { rng } = w;
  const [lo, hi] = SCORE[grade];
  w.call(rng.pick([w.users.fuze1, w.users.shenhe1]), createEvaluation, {
    inspectionId: u.inspectionId, targetType: 'unit', grade, score: rng.int(lo, hi), evaluatedOn: w.tl.day,
    findings: grade === 'poor' ? '集中整改期满，多项整改任务超期未完成，整改成效不明显，开展二次整改。' : rng.pick(ACTIVITY_FINDINGS),
    ...extra,
  });
}

/** 整改评估 of most units; the worst laggard is rated 差 (二次整改), and so is one task that rebounded. */
function evaluationCampaign(w: World): void {
  const { rng } = w;
  const worst = lagging(w)[0]?.unitId ?? null;
  for (const u of w.units) {
    if (u.id !== worst && !rng.chance(0.6)) continue;
    const grade: Grade = u.id === worst ? 'poor' : rng.weighted<Grade>(['good', 'fairly_good', 'average'], [35, 45, 20]);
    w.on(addDays(w.tl.day, rng.int(0, 20)), () => {
      evaluate(w, u, grade);
      if (rng.chance(0.5)) activity(w, u, 'effect_evaluation', `${u.name}巡视整改成效评估`);
    });
  }
  w.on(addDays(w.tl.day, 25), () => {
    const t = w.all<{ id: string; unitId: string }>(`SELECT id, unit_id AS unitId FROM tasks WHERE deleted_at IS NULL AND status = 'closed'
      ORDER BY return_count DESC, id LIMIT 1`)[0];
    if (!t) return;
    const u = unitById(w, t.unitId);
    w.call(w.users.shenhe1, createEvaluation, {
      inspectionId: u.inspectionId, targetType: 'task', targetId: t.id, grade: 'poor', score: rng.int(40, 55), evaluatedOn: w.tl.day,
      findings: '评估发现该项整改不彻底，问题出现反弹，开展二次整改。',
    });
    work(w, { id: t.id, unit: u }, addDays(w.tl.day, 3), w.today, 2);
  });
}

/** A 回头看 of one unit shortly before "today". */
function lookback(w: World): void {
  const u = w.rng.pick(w.units);
  evaluate(w, u, 'fairly_good', { isLookback: true });
}
