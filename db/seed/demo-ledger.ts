import { addDays, addMonths, dayOfWeek, diffDays } from '../domain/months.js';
import type { ActingUser } from '../core/context.js';
import type { PROBLEM_SOURCES, TaskTerm } from '../domain/enums.js';
import { reviewCloseout, submitCloseout } from '../services/closeout.js';
import { addEvidence } from '../services/evidence.js';
import { decideExtension, requestExtension } from '../services/extensions.js';
import { createProblem, deleteProblem } from '../services/problems.js';
import { addProgress } from '../services/progress.js';
import { createTask, dropTask, setStageDone, startTask } from '../services/tasks.js';
import { tinyPdf, tinyPng } from './demo-files.js';
import {
  ACCEPT_COMMENTS, CATEGORY_MEASURES, CLOSEOUT_NOTES, EVIDENCE_FILES, EXTENSION_APPROVALS, EXTENSION_REASONS,
  EXTENSION_REFUSALS, NOT_FOR_DISCLOSURE_REASONS, problemText, progressText, RETURN_REASONS, SECTOR_DEPARTMENTS,
  SECTOR_LEADER_POSTS, STAGE_GOALS,
} from './demo-wording.js';
import { concentratedEnd, dayBetween, type DemoUnit, type LeafCategory, type World } from './demo-world.js';
import { DELETE_REASONS, DEPARTMENTS, leaderWithPost, measureText, personName, taskTerm } from './vocabulary.js';

/**
 * Problem lists (问题清单) and the life of every task (任务清单、责任清单): created as drafts,
 * started, dated progress with evidence, 延期申请, 销号 submitted by the unit's clerk and reviewed
 * by someone else (returned now and then), all replayed on the timeline so each step happens on
 * its own day. Whatever would happen after "today" is simply not reached: that is how drafts,
 * open tasks, pending reviews and overdue tasks come about.
 */

type Source = (typeof PROBLEM_SOURCES.codes)[number];

interface TaskState {
  id: string;
  unit: DemoUnit;
  term: TaskTerm;
  created: string;
  deadline: string;
  /** The deadline in force (moves with an approved extension). */
  current: string;
  stages: { id: string; due: string; done: boolean }[];
  /** Returns the reviewers still have in store for this task (decided at the first submission). */
  returns: number;
  returnsPlanned: boolean;
}

/** The unit whose clerk has a batch of tasks closed just before its progress report is due (a red flag to find). */
export const MASS_CLOSURE_UNIT = 2;

/** Problems entered weeks before "today" (信访, 日常监督…): their tasks are drafts or barely started. */
const LATE_SHARE = 0.03;

export function planProblemList(w: World, u: DemoUnit): void {
  const { rng } = w;
  const year = Number(u.feedbackOn.slice(0, 4));
  const personnel = w.categories.find((c) => c.name === '选人用人');
  for (let n = 0; n < u.quota; n++) {
    if (rng.chance(LATE_SHARE)) {
      const source = rng.pick<Source>(['petition', 'transferred_suggestion', 'daily_supervision']);
      w.on(addDays(w.today, -rng.int(3, 25)), () => createWithTasks(w, u, pickCategory(w), source, year - 1, true));
      continue;
    }
    const x = rng.next();
    const source: Source = x < 0.06 ? 'personnel_check' : x < 0.09 ? 'petition' : x < 0.12 ? 'transferred_suggestion' : 'inspection_feedback';
    const category = source === 'personnel_check' && personnel ? personnel : pickCategory(w);
    const pid = createWithTasks(w, u, category, source, year - rng.int(1, 2), false);
    // Now and then the same problem is typed twice; the copy is removed with its reason.
    if (n === 0 && source === 'inspection_feedback' && rng.chance(0.1)) {
      const copy = w.call(u.clerk, createProblem, {
        inspectionId: u.inspectionId, feedbackId: u.feedbackId, categoryId: category.id, source,
        description: w.all<{ d: string }>('SELECT description AS d FROM problems WHERE id = ?', pid)[0]!.d,
      });
      w.on(addDays(w.tl.day, rng.int(2, 10)), () => w.call(u.clerk, deleteProblem, { id: copy.id, reason: DELETE_REASONS[0] }));
    }
  }
}

function pickCategory(w: World): LeafCategory {
  return w.rng.weighted(w.categories, w.categories.map((c) => c.weight));
}

/** Create one problem with its 1–3 tasks and plan each task's life; returns the problem id. */
function createWithTasks(w: World, u: DemoUnit, cat: LeafCategory, source: Source, year: number, late: boolean): string {
  const { rng } = w;
  const day = w.tl.day;
  const isKey = !late && rng.chance(0.08);
  const secret = rng.chance(0.03);
  const p = w.call(u.clerk, createProblem, {
    inspectionId: u.inspectionId,
    feedbackId: source === 'inspection_feedback' || source === 'personnel_check' ? u.feedbackId : null,
    categoryId: cat.id, source, description: problemText(rng, cat.name, cat.top, year),
    isKey, leadLeader: isKey ? (rng.chance(0.6) ? `${u.leaderName}（${u.leaderPost}）` : leader(w, u)) : null,
    notForDisclosure: secret, notForDisclosureReason: secret ? rng.pick(NOT_FOR_DISCLOSURE_REASONS) : null,
  });
  u.problemIds.push(p.id);
  const count = rng.weighted([1, 2, 3], [50, 35, 15]);
  const ids: string[] = [];
  for (let k = 0; k < count; k++) {
    const term: TaskTerm = late ? (rng.chance(0.7) ? 'immediate' : 'long_term') : taskTerm(rng.next);
    const deadline = deadlineFor(w, u, term, late ? day : u.feedbackOn, late);
    const stages = term === 'long_term' ? stagePlan(w, late ? day : concentratedEnd(u), deadline) : [];
    const measures = k === 0 && CATEGORY_MEASURES[cat.top] && rng.chance(0.7)
      ? `${rng.pick(CATEGORY_MEASURES[cat.top]!)}。`
      : measureText(rng.next);
    const t = w.call(u.clerk, createTask, {
      problemId: p.id, measures, term, deadline,
      responsibleLeader: rng.chance(0.3) ? `${u.leaderName}（${u.leaderPost}）` : leader(w, u),
      responsibleDepartment: rng.pick(SECTOR_DEPARTMENTS[u.sector] ?? DEPARTMENTS), responsiblePerson: personName(rng.next), stages,
    });
    ids.push(t.id);
    const stageRows = w.all<{ id: string; due: string }>('SELECT id, due_date AS due FROM task_stages WHERE task_id = ? ORDER BY seq', t.id);
    const state: TaskState = {
      id: t.id, unit: u, term, created: day, deadline, current: deadline,
      stages: stageRows.map((s) => ({ ...s, done: false })), returns: 0, returnsPlanned: false,
    };
    if (k > 0 && k === count - 1 && rng.chance(0.04)) {
      // Two tasks saying the same thing are merged; the dropped one keeps its reason.
      w.on(addDays(day, rng.int(3, 12)), () => w.call(u.clerk, dropTask, {
        id: t.id, mergedIntoId: ids[0], reason: '与本问题第1项整改任务内容重复，已合并办理',
      }));
      continue;
    }
    planTask(w, state, late);
  }
  return p.id;
}

/** "张某某（副总经理）": a leader of the unit other than its principal one. */
function leader(w: World, u: DemoUnit): string {
  const posts = SECTOR_LEADER_POSTS[u.sector];
  return posts ? `${personName(w.rng.next)}（${w.rng.pick(posts)}）` : leaderWithPost(w.rng.next);
}

function deadlineFor(w: World, u: DemoUnit, term: TaskTerm, from: string, late: boolean): string {
  const { rng } = w;
  if (term === 'long_term') return addMonths(from, rng.pick([12, 18, 24]));
  if (term === 'immediate') return addDays(from, late ? rng.int(15, 45) : rng.int(10, 30));
  const end = concentratedEnd(u);
  const d = addDays(from, rng.int(40, 92));
  return d > end ? end : d;
}

/** 分阶段目标: two or three goals spread from `from` (the end of the concentrated period) to the deadline. */
function stagePlan(w: World, from: string, deadline: string): { goal: string; dueDate: string }[] {
  const { rng } = w;
  const k = rng.int(2, 3);
  const span = Math.max(k, diffDays(from, deadline));
  const first = rng.int(0, STAGE_GOALS.length - k);
  return Array.from({ length: k }, (_, j) => ({
    goal: STAGE_GOALS[first + j]!,
    dueDate: j === k - 1 ? deadline : addDays(from, Math.round((span * (j + 1)) / k)),
  }));
}

// ---------------------------------------------------------------------------------------------
// The life of a task

function planTask(w: World, t: TaskState, late: boolean): void {
  const { rng } = w;
  if (late ? rng.chance(0.4) : rng.chance(0.02)) return; // stays a draft
  w.on(addDays(t.created, rng.int(1, 6)), () => {
    w.call(t.unit.clerk, startTask, { id: t.id });
    if (late) work(w, t, w.tl.day, w.today, 1);
    else if (t.term === 'long_term') planLongTerm(w, t);
    else planFate(w, t);
  });
}

function planFate(w: World, t: TaskState): void {
  const { rng } = w;
  const start = w.tl.day;
  const x = rng.next();
  if (x < 0.09) {
    // Stalls, overdue once the deadline passes; a third are finally finished in the last weeks.
    if (rng.chance(0.35)) complete(w, t, start, maxDate(addDays(w.today, -rng.int(0, 25)), addDays(start, 3)));
    else work(w, t, start, w.today);
    return;
  }
  if (x < 0.15) {
    planExtension(w, t, start);
    return;
  }
  const onTime = rng.chance(0.85);
  const done = onTime ? addDays(t.current, -rng.int(0, 25)) : addDays(t.current, rng.int(1, 45));
  if (t.unit.k === MASS_CLOSURE_UNIT) {
    // Work finished in the last weeks is closed out in one batch days before the report is due.
    const batchDay = massClosureDay(t.unit);
    const before = addDays(batchDay, -rng.int(2, 8));
    if (done >= addDays(batchDay, -40) && diffDays(start, before) >= 3) {
      complete(w, t, start, before, batchDay);
      return;
    }
  }
  complete(w, t, start, maxDate(done, addDays(start, 3)));
}

function planLongTerm(w: World, t: TaskState): void {
  const { rng } = w;
  const start = w.tl.day;
  const early = rng.chance(0.12) ? addDays(w.today, -rng.int(5, 90)) : null;
  const doneBy = early && diffDays(start, early) >= 30 ? early : null;
  for (const s of t.stages) {
    const when = maxDate(start, addDays(s.due, -rng.int(0, 15)));
    // Keep clear of the close-out (a weekend can push an event two days on): stages then freeze.
    if ((doneBy && when >= addDays(doneBy, -3)) || !rng.chance(0.9)) continue;
    w.on(when, () => {
      w.call(t.unit.clerk, setStageDone, { id: s.id, doneOn: w.tl.day });
      s.done = true;
    });
  }
  if (doneBy) {
    complete(w, t, start, doneBy);
    return;
  }
  work(w, t, start, w.today, Math.min(6, Math.max(2, Math.floor(diffDays(start, w.today) / 50))));
}

/** 延期申请 shortly before the deadline, decided days later; the rest of the task follows the decision. */
function planExtension(w: World, t: TaskState, start: string): void {
  const { rng, users } = w;
  const asked = maxDate(addDays(start, 2), addDays(t.current, -rng.int(3, 10)));
  work(w, t, start, asked, 1);
  w.on(asked, () => {
    const requested = addDays(t.current, rng.int(30, 120));
    const req = w.call(t.unit.clerk, requestExtension, { taskId: t.id, requestedDeadline: requested, reason: rng.pick(EXTENSION_REASONS) });
    w.on(addDays(w.tl.day, rng.int(2, 7)), () => {
      const approve = rng.chance(0.75);
      const decider = rng.chance(0.6) ? users.fuze1 : users.shenhe1;
      w.call(decider, decideExtension, {
        id: req.id, approve, comment: rng.pick(approve ? EXTENSION_APPROVALS : EXTENSION_REFUSALS),
      });
      const from = w.tl.day;
      if (approve) t.current = requested;
      if (approve ? rng.chance(0.7) : rng.chance(0.6)) {
        const done = approve ? addDays(requested, -rng.int(0, 20)) : addDays(t.deadline, rng.int(10, 60));
        complete(w, t, from, maxDate(done, addDays(from, 3)));
      } else {
        work(w, t, from, w.today);
      }
    });
  });
}

/** Progress from `from` until `done`, the evidence on that day, then the close-out request. */
function complete(w: World, t: TaskState, from: string, done: string, reviewOn?: string): void {
  const { rng } = w;
  work(w, t, from, done);
  w.on(done, () => {
    const day = w.tl.day;
    for (const s of t.stages) {
      if (s.done) continue;
      w.call(t.unit.clerk, setStageDone, { id: s.id, doneOn: day });
      s.done = true;
    }
    attach(w, t, 'task', t.id, day);
    if (rng.chance(0.3)) attach(w, t, 'task', t.id, day);
    w.on(addDays(day, reviewOn ? 0 : rng.int(0, 3)), () => submit(w, t, day, reviewOn));
  });
}

function submit(w: World, t: TaskState, completedOn: string, reviewOn?: string): void {
  const { rng } = w;
  if (!t.returnsPlanned) {
    t.returnsPlanned = true;
    const r = rng.next();
    t.returns = reviewOn ? 0 : r < 0.015 ? 2 : r < 0.11 ? 1 : 0;
  }
  // A handful of late completions are reported as on time: a sign of fake rectification to find.
  const late = completedOn > t.current;
  const claim = late && w.next('late-claimed-on-time') <= 3 ? { reportedOnTime: true } : {};
  w.call(t.unit.clerk, submitCloseout, { taskId: t.id, completedOn, note: rng.pick(CLOSEOUT_NOTES), ...claim });
  // Reviewers have a backlog in the last weeks: what comes in then may still be waiting today.
  const wait = diffDays(w.tl.day, w.today) < 25 ? rng.int(5, 30) : rng.int(2, 12);
  w.on(reviewOn ?? addDays(w.tl.day, wait), () => review(w, t, reviewOn !== undefined));
}

function reviewer(w: World): ActingUser {
  const { users } = w;
  return w.rng.weighted([users.shenhe1, users.shenhe2, users.fuze1], [45, 40, 15]);
}

function review(w: World, t: TaskState, batch: boolean): void {
  const { rng } = w;
  const who = batch ? w.users.shenhe1 : reviewer(w);
  if (t.returns > 0) {
    t.returns--;
    w.call(who, reviewCloseout, { taskId: t.id, decision: 'return', comment: rng.pick(RETURN_REASONS) });
    const from = w.tl.day;
    complete(w, t, addDays(from, 2), addDays(from, rng.int(8, 20)));
    return;
  }
  w.call(who, reviewCloseout, { taskId: t.id, decision: 'accept', comment: rng.pick(ACCEPT_COMMENTS) });
}

/** `n` dated progress entries between `from` and the day before `until` (some with a file). */
export function work(w: World, t: Pick<TaskState, 'id' | 'unit'>, from: string, until: string, n?: number): void {
  const { rng } = w;
  const last = addDays(until, -1) < from ? from : addDays(until, -1);
  const count = n ?? rng.int(1, 3);
  const days = Array.from({ length: count }, () => dayBetween(rng, from, last)).sort();
  for (const day of new Set(days)) {
    w.on(day, () => {
      const entry = w.call(t.unit.clerk, addProgress, { taskId: t.id, entryDate: w.tl.day, content: progressText(rng) });
      if (rng.chance(0.35)) attach(w, t, 'progress', entry.id, w.tl.day);
    });
  }
}

/** Evidence files reused across unrelated tasks: planted twice, for the red-flag list to find. */
const REUSED_AT = new Set([23, 211]);

/** One small evidence file (佐证材料), formed a few days before it is uploaded. */
function attach(w: World, t: Pick<TaskState, 'id' | 'unit'>, ownerType: 'task' | 'progress', ownerId: string, day: string): void {
  const { rng } = w;
  const ev = w.evidence;
  const no = w.next('evidence');
  const pickFile = rng.pick(EVIDENCE_FILES);
  if (REUSED_AT.has(no)) ev.reuse++;
  const reuse = ev.reuse > 0 && ev.last && ev.last.taskId !== t.id ? ev.last : null;
  if (reuse) ev.reuse--;
  const file = reuse ?? { no, kind: pickFile.kind, name: pickFile.name, taskId: t.id };
  ev.last = file;
  const bytes = file.kind === 'pdf' ? tinyPdf(file.no, 'Rectification evidence') : tinyPng(file.no);
  w.call(t.unit.clerk, addEvidence, {
    ownerType, ownerId, fileName: `${file.name}.${file.kind}`, mimeType: file.kind === 'pdf' ? 'application/pdf' : 'image/png',
    formedOn: addDays(day, -rng.int(0, 5)), description: null, dataBase64: bytes.toString('base64'),
  });
}

/** Three days before the unit's progress report is due (集中整改进展情况报告：反馈后3个月内), on a weekday. */
export function massClosureDay(u: DemoUnit): string {
  let d = addDays(addMonths(u.feedbackOn, 3), -3);
  while (dayOfWeek(d) === 0 || dayOfWeek(d) === 6) d = addDays(d, -1);
  return d;
}

function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}
