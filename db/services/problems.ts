import { and, asc, eq, isNull } from 'drizzle-orm';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { defineCall } from '../core/call.js';
import { defineLifecycle } from '../core/lifecycle.js';
import { PROBLEM_SOURCES } from '../domain/enums.js';
import { conflict, invalid, notFound } from '../domain/errors.js';
import * as f from '../domain/fields.js';
import { feedbacks, problems, rounds, tasks, units } from '../schema/index.js';
import { assertLive, insertRow, requireRow, updateRow, type Row } from '../core/write.js';
import { withConflicts } from '../queries/conflicted.js';

export type Problem = Row<typeof problems>;

const descriptionField = f.text('问题描述');
const categoryField = f.id('问题类别');
const sourceField = f.oneOf(PROBLEM_SOURCES.codes, '问题来源');
const remarkField = f.optText('备注');
const isKeyField = f.bool('重点难点问题');
const leadLeaderField = f.optText('领办领导', f.LEN.name);
const disclosureField = f.bool('不予公开');
const disclosureReasonField = f.optText('不予公开的理由', f.LEN.short);

interface Flags {
  isKey?: boolean;
  leadLeader?: string | null;
  notForDisclosure?: boolean;
  notForDisclosureReason?: string | null;
}

/** The key-problem and disclosure flags after a create or an update (absent = the current value). */
function flags(a: Flags, current?: Problem) {
  const isKey = a.isKey ?? current?.isKey ?? false;
  const leadLeader = a.leadLeader === undefined ? (current?.leadLeader ?? null) : a.leadLeader;
  // 重点难点问题由主要负责人等领导带头领办: a key problem names its leading leader.
  if (isKey && !leadLeader) throw invalid('leadLeader', '重点难点问题须填写领办领导。', 'required');
  const flagged = a.notForDisclosure ?? current?.notForDisclosure ?? false;
  const reason = a.notForDisclosureReason === undefined ? (current?.notForDisclosureReason ?? null) : a.notForDisclosureReason;
  // 整改情况公开: an item left out of the disclosure must say why (state secret, case under investigation…).
  if (flagged && !reason) throw invalid('notForDisclosureReason', '标记为不予公开时，请填写不予公开的理由。', 'required');
  return { isKey, leadLeader, notForDisclosure: flagged, notForDisclosureReason: flagged ? reason : null };
}

function checkCategory(ctx: ServiceContext, id: string) {
  const c = ctx.ledger.prepare('SELECT active FROM problem_categories WHERE id = ? AND deleted_at IS NULL').get(id) as { active: number } | undefined;
  if (!c) throw notFound('问题类别', id, 'categoryId');
  if (!c.active) throw invalid('categoryId', '该问题类别已停用，请选择其他类别。', 'inactive');
}

/** Record a problem of a unit's problem list (问题清单). */
export const createProblem = defineCall({
  permission: 'ledger.write',
  arg: f.args({
    unitId: f.optId('被巡视单位'),
    roundId: f.optId('巡视轮次'),
    inspectionId: f.optId('巡视对象'),
    feedbackId: f.optId('反馈意见'),
    categoryId: categoryField,
    description: descriptionField,
    // Absent or null: a problem found by the inspection's feedback (the usual case).
    source: f.v.nullish(sourceField, 'inspection_feedback'),
    remark: remarkField,
    reboundOfId: f.optId('反弹的原问题'),
    isKey: isKeyField,
    leadLeader: leadLeaderField,
    notForDisclosure: disclosureField,
    notForDisclosureReason: disclosureReasonField,
  }),
}, (ctx, a): Problem => {
  let { unitId, roundId } = a;
  const { inspectionId, feedbackId, categoryId, description, source, remark, reboundOfId } = a;
  const key = flags(a);
  if (inspectionId) {
    const insp = ctx.ledger.prepare('SELECT unit_id AS unitId, round_id AS roundId FROM inspections WHERE id = ? AND deleted_at IS NULL')
      .get(inspectionId) as { unitId: string; roundId: string } | undefined;
    if (!insp) throw notFound('巡视对象', inspectionId, 'inspectionId');
    if (unitId && unitId !== insp.unitId) throw invalid('unitId', '被巡视单位与巡视对象不一致。', 'mismatch');
    if (roundId && roundId !== insp.roundId) throw invalid('roundId', '巡视轮次与巡视对象不一致。', 'mismatch');
    unitId = insp.unitId;
    roundId = insp.roundId;
  }
  if (!unitId) throw invalid('unitId', '请选择被巡视单位。', 'required');
  const unit = unitId;
  assertLive(ctx, units, unit, '被巡视单位', 'unitId');
  if (roundId) assertLive(ctx, rounds, roundId, '巡视轮次', 'roundId');
  if (feedbackId) {
    const fb = requireRow(ctx, feedbacks, feedbackId, '反馈意见', 'feedbackId');
    if (!inspectionId || fb.inspectionId !== inspectionId) throw invalid('feedbackId', '反馈意见不属于该巡视对象。', 'mismatch');
  }
  checkCategory(ctx, categoryId);
  if (reboundOfId) assertLive(ctx, problems, reboundOfId, '反弹的原问题', 'reboundOfId');
  return inTransaction(ctx, () => {
    const seq = nextSeq(ctx, unit, roundId);
    return insertRow(ctx, problems, {
      roundId, unitId: unit, inspectionId, feedbackId, seq, categoryId, description, source, remark, reboundOfId,
      ...key, status: 'open', deadline: null, taskCount: 0, closedTaskCount: 0,
    });
  });
});

function nextSeq(ctx: ServiceContext, unitId: string, roundId: string | null): number {
  const r = ctx.ledger
    .prepare('SELECT coalesce(max(seq), 0) + 1 AS n FROM problems WHERE unit_id = ? AND round_id IS ?')
    .get(unitId, roundId) as { n: number };
  return r.n;
}

/** Edit a problem; absent keys keep their value, null clears an optional one. */
export const updateProblem = defineCall({
  permission: 'ledger.write',
  arg: f.args({
    id: f.id('问题'),
    isKey: f.patch(isKeyField),
    leadLeader: f.patch(leadLeaderField),
    notForDisclosure: f.patch(disclosureField),
    notForDisclosureReason: f.patch(disclosureReasonField),
    description: f.patch(descriptionField),
    categoryId: f.patch(categoryField),
    source: f.patch(sourceField),
    remark: f.patch(remarkField),
  }),
}, (ctx, a): Problem => {
  const cur = requireRow(ctx, problems, a.id, '问题');
  const patch: Partial<Problem> = { ...flags(a, cur) };
  if (a.description !== undefined) patch.description = a.description;
  if (a.categoryId !== undefined) {
    patch.categoryId = a.categoryId;
    if (a.categoryId !== cur.categoryId) checkCategory(ctx, a.categoryId);
  }
  if (a.source !== undefined) patch.source = a.source;
  if (a.remark !== undefined) patch.remark = a.remark;
  return inTransaction(ctx, () => updateRow(ctx, problems, cur, patch));
});

/** A problem with live tasks is not deleted: drop or merge its tasks first, each with a reason. */
export const { remove: deleteProblem, restore: restoreProblem } = defineLifecycle({
  table: problems,
  label: '问题',
  permission: 'ledger.write',
  strictRestore: true,
  beforeDelete(ctx, cur) {
    const live = ctx.ledger.orm.select({ id: tasks.id }).from(tasks).where(and(eq(tasks.problemId, cur.id), isNull(tasks.deletedAt))).get();
    if (live) throw conflict('该问题下还有整改任务，请先撤销或合并这些任务。', 'has_tasks');
  },
});

/** A problem and its live tasks (the problem's detail view). */
export const getProblem = defineCall({ permission: 'ledger.read', arg: f.args({ id: f.id('问题') }) }, (ctx, a) => {
  const p = requireRow(ctx, problems, a.id, '问题');
  const taskRows = ctx.ledger.orm.select().from(tasks)
    .where(and(eq(tasks.problemId, p.id), isNull(tasks.deletedAt))).orderBy(asc(tasks.seq)).all();
  return { ...p, tasks: withConflicts(ctx, 'tasks', taskRows) };
});

/**
 * The roll-up after adding one new (draft) task: cheaper than a recount, and exact — a draft
 * task makes the problem open and its deadline competes for the earliest open one.
 */
export function rollupNewTask(ctx: ServiceContext, problemId: string, deadline: string): void {
  ctx.ledger.prepare(`UPDATE problems SET task_count = task_count + 1, status = 'open',
      deadline = CASE WHEN deadline IS NULL OR @deadline < deadline THEN @deadline ELSE deadline END
    WHERE id = @id`).run({ id: problemId, deadline });
}

/**
 * Recompute problems' derived columns (status, earliest open deadline, task counts) from their
 * live tasks. They are caches for million-row list queries, recomputed by every replica from the
 * tasks themselves, so they are written directly: no version bump, no audit entry, never exchanged.
 * One statement per 500 problems (an import rolls up thousands at once).
 */
export function refreshProblemRollups(ctx: ServiceContext, problemIds: Iterable<string>): void {
  const ids = [...problemIds];
  const stmt = ctx.ledger.prepare(`
    UPDATE problems SET
      task_count = r.n,
      closed_task_count = r.closed,
      deadline = r.next_deadline,
      status = CASE WHEN r.n > 0 AND r.closed = r.n THEN 'closed'
                    WHEN r.pending > 0 AND r.pending + r.closed = r.n THEN 'pending_review'
                    ELSE 'open' END
    FROM (SELECT p.value AS id, count(t.id) AS n,
                 coalesce(sum(t.status = 'closed'), 0) AS closed,
                 coalesce(sum(t.status = 'pending_review'), 0) AS pending,
                 min(CASE WHEN t.status <> 'closed' THEN t.current_deadline END) AS next_deadline
          FROM json_each(?) p LEFT JOIN tasks t ON t.problem_id = p.value AND t.deleted_at IS NULL
          GROUP BY p.value) AS r
    WHERE problems.id = r.id`);
  for (let i = 0; i < ids.length; i += 500) stmt.run(JSON.stringify(ids.slice(i, i + 500)));
}

/** refreshProblemRollups for one problem (every local change to its tasks). */
export function refreshProblemRollup(ctx: ServiceContext, problemId: string): void {
  refreshProblemRollups(ctx, [problemId]);
}
