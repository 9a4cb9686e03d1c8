/**
 * 报告文稿: drafts of the reports an office must write, filled from the ledger (DOMAIN.md
 * "Report"; issue 11 item 4). Each draft is plain structured text (db/domain/report-draft.ts) the
 * user edits before export (.docx: db/reports/docx.ts; PDF: the UI through Chromium's print).
 *
 * - 集中整改进展情况报告 (kind 'progress'): what 《关于加强巡视整改和成果运用的意见》 asks it to
 *   report — how the unit and its principal leader organised the work, the items completed within
 *   the concentrated period, the items not yet completed and why, the important measures and staged
 *   results of long-term tasks — with the figures. The figures are the engine's aggregates
 *   (db/analysis/aggregates `summarize`), never recounted here; the item lists use the same
 *   population and the same definition of 已完成 (aggregates.ts), so the number of items listed
 *   equals the figure printed above them.
 * - 整改监督情况报告 of the discipline office (kind 'supervision'): supervision activities, close-out
 *   reviews and returns, extension decisions, evaluations, escalation notices and accountability.
 *   问题线索 are never read: their disposition is reported separately (need-to-know).
 * - 整改情况公开 (kind 'disclosure'): the public text. Every problem or task flagged 不予公开
 *   (problems.not_for_disclosure, tasks.not_for_disclosure) is left out with all that hangs from
 *   it, and the figures are counted over what is published, so nothing withheld can be inferred
 *   from them. Only the internal version (`internal: true`) says how many items were left out.
 *   No person's name is published (responsible leaders and staff are left out of every item).
 *
 * Reading rights: ledger.read (checked by the declared call before anything is read).
 */
import type { ServiceContext } from '../core/context.js';
import { defineCall } from '../core/call.js';
import { summarize, accountabilityBreakdown, evaluationBreakdown, type SummaryFigures, type SummaryRow } from '../analysis/aggregates.js';
import { checkScope, LIVE_TASK, scopeWhere, type Scope } from '../analysis/scope.js';
import {
  ACCOUNTABILITY_FORMS, ACCOUNTABILITY_REASONS, ACTIVITY_KINDS, ESCALATION_LEVELS, GRADES, TASK_STATUSES, TASK_TERMS,
} from '../domain/enums.js';
import * as f from '../domain/fields.js';
import { DRAFT_KINDS, type DraftBlock, type DraftKind, type DraftSection, type ReportDraft } from '../domain/report-draft.js';
import {
  chineseNumeral, dayOfInstant, formatCount as n, formatDate as day, formatPercent, sectionNumber, subsectionNumber,
} from '../domain/report-text.js';
import { diffDays } from '../domain/months.js';

/** The machine-readable facts behind a draft (what the tests and the screen compare). */
export interface DraftFacts {
  kind: DraftKind;
  roundId: string | null;
  unitId: string | null;
  today: string;
  /** The aggregates' totals of the scope (progress, supervision); for a disclosure, over what is published. */
  figures: SummaryFigures;
  /** 整改情况公开 only: items flagged 不予公开 and left out (always counted; printed only when internal). */
  leftOut: { problems: number; tasks: number } | null;
  internal: boolean;
}

export interface DraftResult {
  draft: ReportDraft;
  facts: DraftFacts;
}

export const draftArg = f.args({
  kind: f.oneOf(DRAFT_KINDS, '报告类型'),
  roundId: f.optId('巡视轮次'),
  unitId: f.optId('被巡视单位'),
  internal: f.bool('内部版本'),
});

/** 报告文稿: a draft of the given kind for a round and/or unit (or the whole ledger). */
export const buildDraft = defineCall({ permission: 'ledger.read', arg: draftArg }, (ctx, a): DraftResult => {
  const scope: Scope = { roundId: a.roundId, unitId: a.unitId };
  checkScope(ctx, scope);
  switch (a.kind) {
    case 'progress': return progressDraft(ctx, scope);
    case 'supervision': return supervisionDraft(ctx, scope);
    case 'disclosure': return disclosureDraft(ctx, scope, a.internal);
  }
});

// ---------------------------------------------------------------------------------------------
// What the drafts read

interface Names { round: string | null; unit: string | null; office: string | null }

function names(ctx: ServiceContext, s: Scope): Names {
  const one = (sql: string, id: string | null) => (id ? (ctx.ledger.prepare(sql).get(id) as { name: string } | undefined)?.name ?? null : null);
  return {
    round: one('SELECT name FROM rounds WHERE id = ?', s.roundId),
    unit: one('SELECT name FROM units WHERE id = ?', s.unitId),
    office: one('SELECT name FROM offices WHERE id = ?', ctx.ledger.state.officeId ?? null),
  };
}

/** '某某集团有限公司落实某省委第一轮巡视反馈意见': the scope in titles and opening sentences. */
function scopeWords(nm: Names): string {
  if (nm.unit && nm.round) return `${nm.unit}落实${nm.round}反馈意见`;
  if (nm.round) return `${nm.round}反馈意见`;
  return nm.unit ?? '巡视反馈意见';
}

/** A live task of a live problem in scope, with what the drafts print about it. */
interface TaskItem {
  id: string;
  unitId: string;
  problemId: string;
  problemSeq: number;
  unitName: string;
  description: string;
  category: string;
  problemHidden: number;
  problemHiddenReason: string | null;
  seq: number;
  measures: string;
  department: string | null;
  term: keyof typeof TASK_TERMS.labels;
  status: keyof typeof TASK_STATUSES.labels;
  deadline: string;
  currentDeadline: string;
  completedOn: string | null;
  closedAt: string | null;
  returnCount: number;
  hidden: number;
}

/**
 * The same population as every task figure (aggregates.ts: live tasks of live problems, in scope),
 * ordered as the ledger lists them: unit, problem 序号, task 序号.
 */
function taskItems(ctx: ServiceContext, s: Scope, unitOrder: string[] = []): TaskItem[] {
  const w = scopeWhere(s, 't.round_id', 't.unit_id');
  const rows = ctx.ledger.prepare(`
    SELECT t.id, t.unit_id AS unitId, t.problem_id AS problemId, p.seq AS problemSeq, u.name AS unitName, p.description, c.name AS category,
      p.not_for_disclosure AS problemHidden, p.not_for_disclosure_reason AS problemHiddenReason,
      t.seq, t.measures, t.responsible_department AS department, t.term, t.status, t.deadline,
      t.current_deadline AS currentDeadline, t.completed_on AS completedOn, t.closed_at AS closedAt,
      t.return_count AS returnCount, t.not_for_disclosure AS hidden
    FROM tasks t JOIN problems p ON p.id = t.problem_id JOIN units u ON u.id = t.unit_id
      LEFT JOIN problem_categories c ON c.id = p.category_id
    WHERE ${LIVE_TASK}${w.sql}
    ORDER BY u.name, t.unit_id, p.seq, p.id, t.seq, t.id`).all(...w.params) as TaskItem[];
  return inUnitOrder(rows, unitOrder);
}

/** Rows in the order of the figures table's units (stable inside a unit); units not listed last. */
function inUnitOrder<T extends { unitId: string }>(rows: T[], unitOrder: string[]): T[] {
  if (unitOrder.length < 2) return rows;
  const rank = new Map(unitOrder.map((u, k) => [u, k]));
  return rows.map((r, k) => ({ r, k })).sort((a, b) => ((rank.get(a.r.unitId) ?? 1e9) - (rank.get(b.r.unitId) ?? 1e9)) || a.k - b.k).map((x) => x.r);
}

/** 已完成, exactly as the aggregates count it: a completion date, or closed out. */
const isCompleted = (t: TaskItem) => t.completedOn !== null || t.status === 'closed';

interface ProblemItem { id: string; seq: number; unitName: string; description: string; category: string; hidden: number }

/** Live problems in scope (the problem figure's population), with or without tasks. */
function problemItems(ctx: ServiceContext, s: Scope): ProblemItem[] {
  const w = scopeWhere(s, 'p.round_id', 'p.unit_id');
  return ctx.ledger.prepare(`
    SELECT p.id, p.seq, u.name AS unitName, p.description, c.name AS category, p.not_for_disclosure AS hidden
    FROM problems p JOIN units u ON u.id = p.unit_id LEFT JOIN problem_categories c ON c.id = p.category_id
    WHERE p.deleted_at IS NULL${w.sql}
    ORDER BY u.name, p.unit_id, p.seq, p.id`).all(...w.params) as ProblemItem[];
}

function latestProgress(ctx: ServiceContext, taskId: string): { entryDate: string; content: string } | null {
  return (ctx.ledger.prepare(`SELECT entry_date AS entryDate, content FROM progress_entries
    WHERE task_id = ? AND deleted_at IS NULL ORDER BY entry_date DESC, id DESC LIMIT 1`).get(taskId) as { entryDate: string; content: string } | undefined) ?? null;
}

interface Extension { previousDeadline: string; requestedDeadline: string; reason: string; status: string; decisionComment: string | null; decidedAt: string | null; createdAt: string }

function extensionsOf(ctx: ServiceContext, taskId: string): Extension[] {
  return ctx.ledger.prepare(`SELECT previous_deadline AS previousDeadline, requested_deadline AS requestedDeadline, reason, status,
      decision_comment AS decisionComment, decided_at AS decidedAt, created_at AS createdAt
    FROM extension_requests WHERE task_id = ? AND deleted_at IS NULL ORDER BY created_at, id`).all(taskId) as Extension[];
}

function lastReturn(ctx: ServiceContext, taskId: string): { comment: string | null; decidedAt: string | null } | null {
  return (ctx.ledger.prepare(`SELECT comment, decided_at AS decidedAt FROM closeouts
    WHERE task_id = ? AND decision = 'returned' AND deleted_at IS NULL ORDER BY decided_at DESC, id DESC LIMIT 1`).get(taskId) as { comment: string | null; decidedAt: string | null } | undefined) ?? null;
}

interface Stage { seq: number; goal: string; dueDate: string; doneOn: string | null }

function stagesOf(ctx: ServiceContext, taskId: string): Stage[] {
  return ctx.ledger.prepare(`SELECT seq, goal, due_date AS dueDate, done_on AS doneOn FROM task_stages
    WHERE task_id = ? AND deleted_at IS NULL ORDER BY seq, id`).all(taskId) as Stage[];
}

/** Reports of the inspections in scope (plan, 专题民主生活会…), the earliest of each kind first. */
interface ReportRef { title: string; docNumber: string | null; reportDate: string; unitName: string }

function reportsOf(ctx: ServiceContext, s: Scope, kind: string): ReportRef[] {
  const w = scopeWhere(s, 'i.round_id', 'i.unit_id');
  return ctx.ledger.prepare(`SELECT r.title, r.doc_number AS docNumber, r.report_date AS reportDate, u.name AS unitName
    FROM reports r JOIN inspections i ON i.id = r.inspection_id JOIN units u ON u.id = i.unit_id
    WHERE r.deleted_at IS NULL AND i.deleted_at IS NULL AND r.kind = ?${w.sql} ORDER BY r.report_date, r.id`).all(kind, ...w.params) as ReportRef[];
}

/** The first feedback of the scope's inspections and the team that gave it. */
function firstFeedback(ctx: ServiceContext, s: Scope): { feedbackDate: string; team: string | null } | null {
  const w = scopeWhere(s, 'i.round_id', 'i.unit_id');
  return (ctx.ledger.prepare(`SELECT fb.feedback_date AS feedbackDate, tm.name AS team
    FROM feedbacks fb JOIN inspections i ON i.id = fb.inspection_id LEFT JOIN teams tm ON tm.id = i.team_id AND tm.deleted_at IS NULL
    WHERE fb.deleted_at IS NULL AND i.deleted_at IS NULL${w.sql} ORDER BY fb.feedback_date, fb.id LIMIT 1`).get(...w.params) as { feedbackDate: string; team: string | null } | undefined) ?? null;
}

/** 领办: key problems in scope and the leaders who personally lead them. */
function keyProblems(ctx: ServiceContext, s: Scope): { count: number; leaders: string[] } {
  const w = scopeWhere(s, 'p.round_id', 'p.unit_id');
  const rows = ctx.ledger.prepare(`SELECT p.lead_leader AS leader FROM problems p WHERE p.deleted_at IS NULL AND p.is_key = 1${w.sql}`)
    .all(...w.params) as { leader: string | null }[];
  return { count: rows.length, leaders: [...new Set(rows.map((r) => r.leader).filter((x): x is string => !!x))] };
}

function summaryOf(ctx: ServiceContext, s: Scope, groupBy: 'unit' | 'round') {
  return summarize(ctx, { groupBy, roundId: s.roundId, unitId: s.unitId });
}

// ---------------------------------------------------------------------------------------------
// Shared wording

const FIGURE_COLUMNS = ['问题数', '整改任务数', '已完成', '未完成', '其中逾期', '已销号', '销号率', '长期坚持未销号'];

function figureCells(x: SummaryFigures): string[] {
  return [n(x.problems), n(x.tasks), n(x.completed), n(x.tasks - x.completed), n(x.overdue), n(x.closed), formatPercent(x.closeRate), n(x.longTermOpen)];
}

/** The figures table: one row for a unit, one row per unit plus 合计 for a round or the ledger. */
function figuresTable(nm: Names, rows: SummaryRow[], totals: SummaryFigures, caption: string): DraftBlock {
  if (nm.unit || rows.length <= 1) {
    return { type: 'table', caption, columns: ['范围', ...FIGURE_COLUMNS], rows: [[nm.unit ?? nm.round ?? '合计', ...figureCells(totals)]] };
  }
  return {
    type: 'table', caption, columns: ['单位', ...FIGURE_COLUMNS],
    rows: [...rows.map((r) => [r.label, ...figureCells(r)]), ['合计', ...figureCells(totals)]],
  };
}

function figuresSentence(x: SummaryFigures, today: string): string {
  const open = x.tasks - x.completed;
  return `截至${day(today)}，共有反馈问题${n(x.problems)}个，制定整改任务${n(x.tasks)}项，已完成${n(x.completed)}项，`
    + `尚未完成${n(open)}项${x.overdue > 0 ? `（其中逾期${n(x.overdue)}项）` : ''}；已销号${n(x.closed)}项，销号率${formatPercent(x.closeRate)}`
    + `${x.longTermOpen > 0 ? `；长期坚持的整改任务尚未销号${n(x.longTermOpen)}项` : ''}。`;
}

/** Text without its closing punctuation, for wrapping in a sentence: '开展专项检查。' → '开展专项检查'. */
const bare = (s: string) => s.trim().replace(/[。；;，,.、\s]+$/u, '');
const cut = (s: string, max = 60) => (s.length > max ? `${bare(s).slice(0, max)}…` : bare(s));
const unitPrefix = (nm: Names, t: { unitName: string }) => (nm.unit ? '' : `${t.unitName}：`);

function sections(list: { heading: string; blocks: DraftBlock[] }[]): DraftSection[] {
  return list.map((sec, k) => ({ heading: `${sectionNumber(k)}${sec.heading}`, blocks: sec.blocks }));
}

/** Tasks grouped under their problem, in ledger order; each problem opens with a （一）-style subheading. */
function byProblem(items: TaskItem[], nm: Names, line: (t: TaskItem) => string, opts: { public?: boolean } = {}): DraftBlock[] {
  const out: DraftBlock[] = [];
  let current: string | null = null;
  let k = 0;
  let list: string[] = [];
  const flush = () => {
    if (list.length) out.push({ type: 'list', items: list });
    list = [];
  };
  for (const t of items) {
    if (t.problemId !== current) {
      flush();
      current = t.problemId;
      const head = opts.public ? `关于“${cut(t.description)}”问题` : `${unitPrefix(nm, t)}问题${t.problemSeq}（${t.category ?? '未分类'}）：${t.description}`;
      out.push({ type: 'subheading', text: `${subsectionNumber(k++)}${head}` });
    }
    list.push(line(t));
  }
  flush();
  return out;
}

function completionWords(t: TaskItem): string {
  const closed = dayOfInstant(t.closedAt);
  const done = t.completedOn ? `已于${day(t.completedOn)}完成` : '已完成';
  if (t.status === 'closed') return `${done}，${closed ? day(closed) : ''}经审核销号`;
  if (t.status === 'pending_review') return `${done}，待审核销号`;
  // Reported complete but its close-out was returned: still 已完成 by the aggregates' rule (a completion date).
  if (t.returnCount > 0) return `${done}，销号申请被退回，正在补充完善`;
  return done;
}

function deadlineWords(ctx: ServiceContext, t: TaskItem, today: string): string {
  const ext = extensionsOf(ctx, t.id).filter((e) => e.status === 'approved');
  const moved = t.currentDeadline !== t.deadline;
  const overdue = t.status !== 'closed' && t.currentDeadline < today;
  return `整改时限${day(t.currentDeadline)}${moved ? `（原时限${day(t.deadline)}${ext.length ? '，经批准延期' : ''}）` : ''}`
    + `${overdue ? `，已逾期${diffDays(t.currentDeadline, today)}天` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// 集中整改进展情况报告

function progressDraft(ctx: ServiceContext, s: Scope): DraftResult {
  const nm = names(ctx, s);
  const summary = summaryOf(ctx, s, 'unit');
  const x = summary.totals;
  const today = summary.today;
  const items = taskItems(ctx, s, summary.rows.map((r) => r.key ?? ''));
  const done = items.filter(isCompleted);
  const open = items.filter((t) => !isCompleted(t));
  const longTerm = items.filter((t) => t.term === 'long_term');

  // 一、organisation of the work: plan, 专题民主生活会, key problems led by leaders.
  const org: string[] = [];
  const who = (r: ReportRef) => (nm.unit ? '' : r.unitName);
  // One plan and one 专题民主生活会 per unit: the first of each (a revised plan is still the plan).
  const firstPerUnit = (rs: ReportRef[]) => rs.filter((r, k) => rs.findIndex((x) => x.unitName === r.unitName) === k);
  for (const plan of firstPerUnit(reportsOf(ctx, s, 'plan'))) {
    org.push(`${who(plan)}${nm.unit ? '' : '于'}${day(plan.reportDate)}印发《${plan.title}》${plan.docNumber ? `（${plan.docNumber}）` : ''}，建立问题清单、任务清单、责任清单，逐项明确整改措施、责任领导、责任部门和整改时限。`);
  }
  for (const dlm of firstPerUnit(reportsOf(ctx, s, 'dlm'))) {
    org.push(`${who(dlm)}${nm.unit ? '' : '于'}${day(dlm.reportDate)}召开巡视整改专题民主生活会，对照巡视反馈意见剖析原因、明确责任、强化举措。`);
  }
  const key = keyProblems(ctx, s);
  if (key.count > 0) org.push(`${n(key.count)}个重点难点问题由${key.leaders.length ? key.leaders.join('、') : '领导班子成员'}带头领办。`);
  const overview: DraftBlock[] = [
    {
      type: 'paragraph',
      text: `收到${nm.round ?? '巡视'}反馈意见后，${nm.unit ?? '被巡视党组织'}把巡视整改作为重大政治任务，主要负责人履行第一责任人责任，领导班子成员落实“一岗双责”，`
        + `扎实推进集中整改。${org.join('')}`,
    },
    { type: 'paragraph', text: figuresSentence(x, today) },
    figuresTable(nm, summary.rows, x, '表1　整改任务完成情况'),
  ];

  const doneBlocks: DraftBlock[] = done.length
    ? [{ type: 'paragraph', text: `集中整改期内已完成整改任务${n(x.completed)}项，其中已销号${n(x.closed)}项。` },
      ...byProblem(done, nm, (t) => `${bare(t.measures)}（${t.department ? `${t.department}负责，` : ''}${completionWords(t)}）。`)]
    : [{ type: 'paragraph', text: '暂无已完成的整改任务。' }];

  const openBlocks: DraftBlock[] = open.length
    ? [{ type: 'paragraph', text: `尚未完成整改任务${n(x.tasks - x.completed)}项${x.overdue ? `，其中逾期${n(x.overdue)}项` : ''}，具体情况和原因如下。` },
      ...byProblem(open, nm, (t) => openLine(ctx, t, today))]
    : [{ type: 'paragraph', text: '整改任务均已完成。' }];

  const longBlocks: DraftBlock[] = longTerm.length
    ? [{ type: 'paragraph', text: `需要长期坚持的整改任务${n(longTerm.length)}项，其中尚未销号${n(x.longTermOpen)}项，按照分阶段目标持续推进。` },
      { type: 'list', items: longTerm.map((t) => longTermLine(ctx, nm, t, today)) }]
    : [{ type: 'paragraph', text: '无需要长期坚持的整改任务。' }];

  const next: DraftBlock[] = [{
    type: 'paragraph',
    text: `对尚未完成的${n(x.tasks - x.completed)}项整改任务，逐项盯进度、抓落实，确保按期完成；对长期整改任务，分阶段明确目标，紧盯不放、久久为功；`
      + '对已完成的整改任务，着力巩固拓展整改成果、防止问题反弹，把解决突出问题与健全制度机制结合起来，推动整改常态长效。',
  }];

  const draft: ReportDraft = {
    kind: 'progress',
    title: `${nm.unit ?? ''}关于${nm.round ?? '巡视'}反馈意见集中整改进展情况的报告`,
    addressee: '××纪委监委：',
    marking: '',
    sections: sections([
      { heading: '整改工作总体情况', blocks: overview },
      { heading: '集中整改期内已完成的整改事项', blocks: doneBlocks },
      { heading: '尚未完成的整改事项及原因', blocks: openBlocks },
      { heading: '长期整改任务的重要举措和阶段性成效', blocks: longBlocks },
      { heading: '下一步工作打算', blocks: next },
    ]),
    signature: { issuer: nm.unit ?? nm.office ?? '', date: day(today) },
  };
  return { draft, facts: { kind: 'progress', roundId: s.roundId, unitId: s.unitId, today, figures: x, leftOut: null, internal: false } };
}

/** An unfinished task: where it stands and why it is not done (extension reasons, returns, progress). */
function openLine(ctx: ServiceContext, t: TaskItem, today: string): string {
  const parts = [`${bare(t.measures)}（${t.department ? `${t.department}负责，` : ''}${deadlineWords(ctx, t, today)}，当前状态：${TASK_STATUSES.labels[t.status]}）。`];
  const progress = latestProgress(ctx, t.id);
  if (progress) parts.push(`最新进展：${bare(progress.content)}（${day(progress.entryDate)}）。`);
  const reasons: string[] = [];
  for (const e of extensionsOf(ctx, t.id)) {
    const state = e.status === 'approved' ? `已同意延期至${day(e.requestedDeadline)}` : e.status === 'refused' ? '延期申请未获同意' : `申请延期至${day(e.requestedDeadline)}，待审批`;
    reasons.push(`${bare(e.reason)}（${state}）`);
  }
  const back = lastReturn(ctx, t.id);
  if (back?.comment) reasons.push(`销号申请被退回${t.returnCount > 1 ? `${n(t.returnCount)}次` : ''}，退回理由：${bare(back.comment)}`);
  // An unfinished task still inside its deadline needs no excuse; an overdue one without a recorded reason asks for one.
  if (reasons.length) parts.push(`未完成原因：${reasons.join('；')}。`);
  else if (t.currentDeadline < today) parts.push('未完成原因：（请补充）。');
  else parts.push('尚在整改时限内，正按计划推进。');
  return parts.join('');
}

function stageWords(st: Stage, k: number, today: string): string {
  const state = st.doneOn ? `已于${day(st.doneOn)}完成` : st.dueDate < today ? '未按期完成' : '正在推进';
  return `第${chineseNumeral(k + 1)}阶段：${bare(st.goal)}（${day(st.dueDate)}前，${state}）`;
}

function longTermLine(ctx: ServiceContext, nm: Names, t: TaskItem, today: string): string {
  const stages = stagesOf(ctx, t.id);
  const progress = latestProgress(ctx, t.id);
  return `${unitPrefix(nm, t)}${bare(t.measures)}（${t.department ? `${t.department}负责，` : ''}${TASK_STATUSES.labels[t.status]}）。`
    + `${stages.length ? `分阶段目标：${stages.map((st, k) => stageWords(st, k, today)).join('；')}。` : '尚未设定分阶段目标。'}`
    + `${progress ? `阶段性成效：${bare(progress.content)}（${day(progress.entryDate)}）。` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// 整改监督情况报告（纪检监察机关）

function supervisionDraft(ctx: ServiceContext, s: Scope): DraftResult {
  const nm = names(ctx, s);
  const summary = summaryOf(ctx, s, 'unit');
  const x = summary.totals;
  const today = summary.today;

  const aw = scopeWhere(s, 'a.round_id', 'a.unit_id');
  const activities = ctx.ledger.prepare(`SELECT a.kind, a.activity_date AS activityDate, a.title, a.findings, u.name AS unitName
    FROM supervision_activities a LEFT JOIN units u ON u.id = a.unit_id
    WHERE a.deleted_at IS NULL${aw.sql} ORDER BY a.activity_date, a.id`).all(...aw.params) as
    { kind: keyof typeof ACTIVITY_KINDS.labels; activityDate: string; title: string; findings: string | null; unitName: string | null }[];

  const tw = scopeWhere(s, 't.round_id', 't.unit_id');
  const reviews = ctx.ledger.prepare(`SELECT c.decision, c.comment, c.decided_at AS decidedAt, t.measures, u.name AS unitName
    FROM closeouts c JOIN tasks t ON t.id = c.task_id JOIN problems p ON p.id = t.problem_id JOIN units u ON u.id = t.unit_id
    WHERE c.deleted_at IS NULL AND ${LIVE_TASK}${tw.sql} ORDER BY c.decided_at, c.id`).all(...tw.params) as
    { decision: 'pending' | 'accepted' | 'returned'; comment: string | null; decidedAt: string | null; measures: string; unitName: string }[];
  const returned = reviews.filter((r) => r.decision === 'returned');
  const accepted = reviews.filter((r) => r.decision === 'accepted');

  const extensions = ctx.ledger.prepare(`SELECT e.status, e.reason, e.previous_deadline AS previousDeadline, e.requested_deadline AS requestedDeadline,
      e.decision_comment AS decisionComment, t.measures, u.name AS unitName
    FROM extension_requests e JOIN tasks t ON t.id = e.task_id JOIN problems p ON p.id = t.problem_id JOIN units u ON u.id = t.unit_id
    WHERE e.deleted_at IS NULL AND ${LIVE_TASK}${tw.sql} ORDER BY e.created_at, e.id`).all(...tw.params) as
    { status: 'pending' | 'approved' | 'refused'; reason: string; previousDeadline: string; requestedDeadline: string; decisionComment: string | null; measures: string; unitName: string }[];

  const escalations = escalationsOf(ctx, s);
  const evaluations = evaluationBreakdown(ctx, 'round', s, 'unit').totals;
  const accountability = accountabilityBreakdown(ctx, 'round', s).totals;
  const rw = scopeWhere(s, 'x.round_id', 'x.unit_id');
  const people = ctx.ledger.prepare(`SELECT x.person_name AS personName, x.post, x.reason, x.form, x.decided_on AS decidedOn
    FROM accountability x WHERE x.deleted_at IS NULL${rw.sql} ORDER BY x.decided_on, x.id`).all(...rw.params) as
    { personName: string; post: string; reason: keyof typeof ACCOUNTABILITY_REASONS.labels; form: keyof typeof ACCOUNTABILITY_FORMS.labels; decidedOn: string }[];

  const byKind = new Map<string, number>();
  for (const a of activities) byKind.set(a.kind, (byKind.get(a.kind) ?? 0) + 1);
  const unitOf = (u: string | null) => (nm.unit || !u ? '' : `${u}：`);
  const countWords = (c: Record<string, number>, labels: Record<string, string>, unit: string) =>
    Object.entries(c).filter(([, k]) => k > 0).map(([code, k]) => `${labels[code] ?? code}${n(k)}${unit}`).join('、');

  const basic: DraftBlock[] = [
    {
      type: 'paragraph',
      text: `按照巡视整改监督工作部署，${nm.office ?? '本机关'}对${scopeWords(nm)}整改情况开展监督，建立整改监督台账，综合运用参加反馈会议、指导制定整改方案、`
        + `列席专题民主生活会、调研督导、现场检查等方式，压紧压实整改主体责任。`,
    },
    { type: 'paragraph', text: figuresSentence(x, today) },
    figuresTable(nm, summary.rows, x, '表1　整改任务完成情况'),
  ];

  const activityBlocks: DraftBlock[] = activities.length
    ? [
      { type: 'paragraph', text: `共开展整改监督${n(activities.length)}次，其中${[...byKind].map(([k, c]) => `${ACTIVITY_KINDS.labels[k as keyof typeof ACTIVITY_KINDS.labels]}${n(c)}次`).join('、')}。` },
      {
        type: 'table', caption: '表2　整改监督开展情况', columns: ['监督方式', '次数'],
        rows: [...[...byKind].map(([k, c]) => [ACTIVITY_KINDS.labels[k as keyof typeof ACTIVITY_KINDS.labels], n(c)]), ['合计', n(activities.length)]],
      },
      { type: 'list', items: activities.map((a) => activityLine(a, unitOf(a.unitName))) },
    ]
    : [{ type: 'paragraph', text: '台账中尚未记录整改监督举措。' }];

  const reviewBlocks: DraftBlock[] = [
    { type: 'paragraph', text: `审核销号申请${n(accepted.length + returned.length)}次，同意销号${n(accepted.length)}次，退回${n(returned.length)}次；当前已销号整改任务${n(x.closed)}项，销号率${formatPercent(x.closeRate)}。` },
    ...(returned.length ? [{ type: 'list' as const, items: returned.map((r) => `${unitOf(r.unitName)}“${bare(r.measures)}”：${r.decidedAt ? `${day(dayOfInstant(r.decidedAt))}` : ''}退回，理由：${bare(r.comment ?? '（未填写）')}。`) }] : []),
  ];

  const approved = extensions.filter((e) => e.status === 'approved').length;
  const refused = extensions.filter((e) => e.status === 'refused').length;
  const extensionBlocks: DraftBlock[] = [
    { type: 'paragraph', text: extensions.length ? `收到延期申请${n(extensions.length)}件，同意${n(approved)}件，不同意${n(refused)}件，待审批${n(extensions.length - approved - refused)}件。` : '未收到延期申请。' },
    ...(extensions.length ? [{
      type: 'list' as const,
      items: extensions.map((e) => `${unitOf(e.unitName)}“${bare(e.measures)}”：申请由${day(e.previousDeadline)}延期至${day(e.requestedDeadline)}，理由：${bare(e.reason)}；`
        + `${e.status === 'approved' ? '已同意' : e.status === 'refused' ? '未同意' : '待审批'}${e.decisionComment ? `（${bare(e.decisionComment)}）` : ''}。`),
    }] : []),
  ];

  const ratingBlocks: DraftBlock[] = [
    { type: 'paragraph', text: evaluations.total ? `开展整改评估${n(evaluations.total)}次，评定为${countWords(evaluations.counts, GRADES.labels, '次')}。` : '尚未开展整改评估。' },
    { type: 'paragraph', text: escalations.length ? `对整改进度滞后的，发出${countWords(countBy(escalations.map((e) => e.level)), ESCALATION_LEVELS.labels, '份')}。` : '未发出督促整改文书。' },
    ...(escalations.length ? [{ type: 'list' as const, items: escalations.map((e) => `${day(e.issuedOn)}，向${e.unitName}发出${ESCALATION_LEVELS.labels[e.level]}${e.docNumber ? `（${e.docNumber}）` : ''}：${bare(e.reason)}。`) }] : []),
    { type: 'paragraph', text: accountability.total ? `对整改不力的追责问责${n(accountability.total)}人次，其中${countWords(accountability.counts, ACCOUNTABILITY_FORMS.labels, '人次')}。` : '未发生整改问责。' },
    ...(people.length ? [{ type: 'list' as const, items: people.map((p) => `${p.post}${p.personName}，因${ACCOUNTABILITY_REASONS.labels[p.reason]}，于${day(p.decidedOn)}受到${ACCOUNTABILITY_FORMS.labels[p.form]}。`) }] : []),
  ];

  const draft: ReportDraft = {
    kind: 'supervision',
    title: `关于${scopeWords(nm)}整改监督情况的报告`,
    addressee: '××巡视工作领导小组：',
    marking: '内部资料　注意保存',
    sections: sections([
      { heading: '基本情况', blocks: basic },
      { heading: '开展整改日常监督情况', blocks: activityBlocks },
      { heading: '审核整改销号情况', blocks: reviewBlocks },
      { heading: '审批延期申请情况', blocks: extensionBlocks },
      { heading: '整改评估和督促问责情况', blocks: ratingBlocks },
      {
        heading: '下一步工作',
        blocks: [
          // 问题线索 are need-to-know: the draft never reads them (see the file comment).
          { type: 'paragraph', text: '巡视移交问题线索的处置情况，按照有关规定另行报告。' },
          {
            type: 'paragraph',
            text: `督促被巡视党组织对尚未完成的${n(x.tasks - x.completed)}项整改任务${x.overdue ? `（其中逾期${n(x.overdue)}项）` : ''}挂账督办、逐项销号，`
              + '对敷衍整改、虚假整改的严肃追究责任，推动整改常态长效。',
          },
        ],
      },
    ]),
    signature: { issuer: nm.office ?? '', date: day(today) },
  };
  return { draft, facts: { kind: 'supervision', roundId: s.roundId, unitId: s.unitId, today, figures: x, leftOut: null, internal: false } };
}

function activityLine(a: { kind: keyof typeof ACTIVITY_KINDS.labels; activityDate: string; title: string; findings: string | null }, unit: string): string {
  const kind = ACTIVITY_KINDS.labels[a.kind];
  const what = bare(a.title) === kind ? kind : `${kind}：${bare(a.title)}`;
  return `${day(a.activityDate)}，${unit}${what}。${a.findings ? `发现问题和工作要求：${bare(a.findings)}。` : ''}`;
}

function countBy(codes: string[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const k of codes) c[k] = (c[k] ?? 0) + 1;
  return c;
}

/**
 * Escalation notices in scope. A notice names a unit and targets the unit or one task: a round's
 * notices are those against its tasks, and those against units inspected in it.
 */
function escalationsOf(ctx: ServiceContext, s: Scope) {
  const params: string[] = [];
  let where = '';
  if (s.unitId) {
    where += ' AND e.unit_id = ?';
    params.push(s.unitId);
  }
  if (s.roundId) {
    where += ` AND ((e.target_type = 'task' AND EXISTS (SELECT 1 FROM tasks t WHERE t.id = e.target_id AND t.round_id = ?))
      OR (e.target_type = 'unit' AND EXISTS (SELECT 1 FROM inspections i WHERE i.unit_id = e.unit_id AND i.round_id = ? AND i.deleted_at IS NULL)))`;
    params.push(s.roundId, s.roundId);
  }
  return ctx.ledger.prepare(`SELECT e.level, e.issued_on AS issuedOn, e.doc_number AS docNumber, e.reason, u.name AS unitName
    FROM escalation_notices e JOIN units u ON u.id = e.unit_id WHERE e.deleted_at IS NULL${where} ORDER BY e.issued_on, e.id`).all(...params) as
    { level: keyof typeof ESCALATION_LEVELS.labels; issuedOn: string; docNumber: string | null; reason: string; unitName: string }[];
}

// ---------------------------------------------------------------------------------------------
// 整改情况公开

function disclosureDraft(ctx: ServiceContext, s: Scope, internal: boolean): DraftResult {
  const nm = names(ctx, s);
  const today = ctx.clock.today();
  const problems = problemItems(ctx, s);
  const items = taskItems(ctx, s);
  const shownProblems = problems.filter((p) => !p.hidden);
  const shown = items.filter((t) => !t.problemHidden && !t.hidden);
  const leftOut = { problems: problems.length - shownProblems.length, tasks: items.length - shown.length };

  // Counted over what is published (see the file comment), by the aggregates' definitions.
  const completed = shown.filter(isCompleted).length;
  const closed = shown.filter((t) => t.status === 'closed').length;
  const figures: SummaryFigures = {
    problems: shownProblems.length, tasks: shown.length, completed, closed,
    closeRate: shown.length ? closed / shown.length : null,
    overdue: shown.filter((t) => t.status !== 'closed' && t.currentDeadline < today).length,
    longTermOpen: shown.filter((t) => t.status !== 'closed' && t.term === 'long_term').length,
  };
  const problemsDone = shownProblems.filter((p) => {
    const own = shown.filter((t) => t.problemId === p.id);
    return own.length > 0 && own.every(isCompleted);
  }).length;

  const fb = firstFeedback(ctx, s);
  const plan = reportsOf(ctx, s, 'plan')[0];
  const dlm = reportsOf(ctx, s, 'dlm')[0];
  const who = nm.unit ?? '被巡视党组织';
  const opening = `根据${nm.round ?? '巡视工作'}统一部署，${fb?.team ?? '巡视组'}对${who}进行了巡视${fb ? `，并于${day(fb.feedbackDate)}反馈了巡视意见` : ''}。`
    + '按照巡视工作有关要求，现将巡视整改进展情况予以公布。';

  const withTasks = new Set(shown.map((t) => t.problemId));
  const problemBlocks: DraftBlock[] = [
    {
      type: 'paragraph',
      text: `对巡视反馈的${n(figures.problems)}个问题，制定整改措施${n(figures.tasks)}项。截至${day(today)}，已完成整改${n(figures.completed)}项，`
        + `${figures.tasks - figures.completed ? `其余${n(figures.tasks - figures.completed)}项正在按计划推进` : '整改措施全部完成'}`
        + `${problemsDone > 0 && figures.tasks - figures.completed > 0 ? `；${n(problemsDone)}个问题的整改措施已全部完成` : ''}。`,
    },
    ...byProblem(shown, nm, (t) => `${bare(t.measures)}${publicState(t)}。`, { public: true }),
  ];
  // A published problem whose every task is withheld (or that has none yet) is still listed.
  const untasked = shownProblems.filter((p) => !withTasks.has(p.id));
  if (untasked.length) {
    const k0 = problemBlocks.filter((b) => b.type === 'subheading').length;
    untasked.forEach((p, k) => {
      problemBlocks.push({ type: 'subheading', text: `${subsectionNumber(k0 + k)}关于“${cut(p.description)}”问题` });
      problemBlocks.push({ type: 'paragraph', text: '正在研究制定整改措施，持续推进整改。' });
    });
  }

  const sectionsList = [
    {
      heading: '提高政治站位，扎实推进巡视整改',
      blocks: [
        { type: 'paragraph' as const, text: opening },
        {
          type: 'paragraph' as const,
          text: `${who}把抓好巡视整改作为重大政治任务，主要负责人履行第一责任人责任，领导班子成员落实“一岗双责”，`
            + `${plan ? `制定印发整改方案，` : ''}${dlm ? `召开巡视整改专题民主生活会，` : ''}建立问题清单、任务清单、责任清单，逐项推动整改落实。`,
        },
      ],
    },
    { heading: '巡视反馈问题整改落实情况', blocks: problemBlocks },
    {
      heading: '持续深化巡视整改',
      blocks: [
        { type: 'paragraph' as const, text: '对已完成的整改任务，巩固拓展整改成果、防止问题反弹；对需要长期坚持的整改任务，分阶段明确目标，紧盯不放、久久为功，推动巡视整改常态长效。' },
        { type: 'paragraph' as const, text: '欢迎广大干部群众对巡视整改落实情况进行监督。如有意见建议，请及时向我们反映。联系电话：××××××××；通信地址：××××××××；电子邮箱：××××××××。' },
      ],
    },
  ];
  if (internal) {
    sectionsList.push({
      heading: '内部说明（公开时删除本部分）',
      blocks: [{
        type: 'paragraph' as const,
        text: leftOut.problems || leftOut.tasks
          ? `按照有关规定，标注为不予公开的问题${n(leftOut.problems)}个、整改任务${n(leftOut.tasks)}项（含不予公开问题下的全部任务）未列入本稿，上文数字亦不含上述事项。不予公开的理由见台账。`
          : '台账中没有标注为不予公开的事项，本稿列入了全部问题和整改任务。',
      }],
    });
  }

  const draft: ReportDraft = {
    kind: 'disclosure',
    title: `${nm.unit ?? ''}关于${nm.round ?? '巡视'}整改进展情况的通报`,
    addressee: '',
    marking: internal ? '内部版本　不得公开' : '',
    sections: sections(sectionsList),
    signature: { issuer: nm.unit ?? nm.office ?? '', date: day(today) },
  };
  return { draft, facts: { kind: 'disclosure', roundId: s.roundId, unitId: s.unitId, today, figures, leftOut, internal } };
}

/** A published task's state, without names or internal dates. */
function publicState(t: TaskItem): string {
  if (isCompleted(t)) return '（已完成）';
  if (t.term === 'long_term') return '（长期坚持，持续推进）';
  return '（正在推进）';
}
