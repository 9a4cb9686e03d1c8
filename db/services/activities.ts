import { and, asc, eq, gte, inArray, isNull, lte } from 'drizzle-orm';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { defineCall } from '../core/call.js';
import { defineLifecycle } from '../core/lifecycle.js';
import { ACTIVITY_KINDS } from '../domain/enums.js';
import { invalid } from '../domain/errors.js';
import * as f from '../domain/fields.js';
import { activityProblems, problems, supervisionActivities } from '../schema/index.js';
import { getRow, insertRow, requireRow, restoreRow, softDelete, updateRow, type Row } from '../core/write.js';
import {
  eqIf, idListField, listFields, page, readArg, rowForRead, scope, scopeFields, scopePatch, scopePatchFields, uniqueIds,
  type ListResult,
} from './supervision-common.js';

/**
 * 监督举措: 参加反馈会议, 列席专题民主生活会, 调研督导, 现场检查… with the problems each one concerns.
 * The problem links are a set: an update replaces it, tombstoning links that were removed (so the
 * removal travels to other offices) and restoring or inserting the ones added.
 */
export type Activity = Row<typeof supervisionActivities>;
export interface LinkedProblem { id: string; seq: number; description: string; deletedAt: string | null }
export type ActivityDetail = Activity & { problemIds: string[]; problems: LinkedProblem[] };

const fields = {
  kind: f.oneOf(ACTIVITY_KINDS.codes, '监督举措类型'),
  activityDate: f.date('开展日期'),
  title: f.text('标题', f.LEN.short),
  participants: f.optText('参加人员', f.LEN.text),
  findings: f.optText('发现的问题和意见', f.LEN.text),
};
const problemIdsField = idListField('关联问题');

/** Problem ids of the request: each must be a live problem of the activity's unit (when it has one). */
function readProblems(ctx: ServiceContext, ids: readonly string[], unitId: string | null): string[] {
  return uniqueIds(ids, 'problemIds').map(({ id, field }) => {
    const p = requireRow(ctx, problems, id, '关联问题', field);
    if (unitId !== null && p.unitId !== unitId) throw invalid(field, '关联问题不属于该被巡视单位。', 'other_unit');
    return id;
  });
}

function links(ctx: ServiceContext, activityId: string) {
  return ctx.ledger.orm.select().from(activityProblems).where(eq(activityProblems.activityId, activityId)).all();
}

/** Make the live link set of an activity exactly `wanted`. */
function replaceLinks(ctx: ServiceContext, activityId: string, wanted: string[]): void {
  const existing = links(ctx, activityId);
  for (const l of existing) {
    if (!l.deletedAt && !wanted.includes(l.problemId)) softDelete(ctx, activityProblems, l, '监督举措的关联问题已调整');
  }
  for (const problemId of wanted) {
    const same = existing.filter((l) => l.problemId === problemId);
    if (same.some((l) => !l.deletedAt)) continue;
    const tomb = same[0];
    if (tomb) restoreRow(ctx, activityProblems, tomb);
    else insertRow(ctx, activityProblems, { activityId, problemId });
  }
}

function detail(ctx: ServiceContext, a: Activity): ActivityDetail {
  return withLinks(ctx, [a])[0]!;
}

/** The activities with the problems each concerns, read in one query for the lot (a list page). */
function withLinks<A extends Activity>(ctx: ServiceContext, items: A[]): (A & ActivityDetail)[] {
  if (items.length === 0) return [];
  const rows = ctx.ledger.orm
    .select({ activityId: activityProblems.activityId, id: problems.id, seq: problems.seq, description: problems.description, deletedAt: problems.deletedAt })
    .from(activityProblems).innerJoin(problems, eq(problems.id, activityProblems.problemId))
    .where(and(inArray(activityProblems.activityId, items.map((a) => a.id)), isNull(activityProblems.deletedAt)))
    .orderBy(asc(problems.seq), asc(problems.id)).all();
  const by = new Map<string, LinkedProblem[]>();
  for (const { activityId, ...p } of rows) {
    const list = by.get(activityId) ?? [];
    list.push(p);
    by.set(activityId, list);
  }
  return items.map((a) => {
    const linked = by.get(a.id) ?? [];
    return { ...a, problemIds: linked.map((p) => p.id), problems: linked };
  });
}

/** {roundId?, unitId?, kind, activityDate, title, participants?, findings?, problemIds?}. */
export const createActivity = defineCall({
  permission: 'supervision.write',
  arg: f.args({ ...scopeFields, ...fields, problemIds: problemIdsField }),
}, (ctx, a): ActivityDetail => {
  const sc = scope(ctx, a);
  const { kind, activityDate, title, participants, findings } = a;
  const problemIds = readProblems(ctx, a.problemIds, sc.unitId);
  return inTransaction(ctx, () => {
    const row = insertRow(ctx, supervisionActivities, { ...sc, kind, activityDate, title, participants, findings });
    replaceLinks(ctx, row.id, problemIds);
    return detail(ctx, row);
  });
});

/** Edit an activity; `problemIds`, when given, replaces the whole set of linked problems. */
export const updateActivity = defineCall({
  permission: 'supervision.write',
  arg: f.args({
    id: f.id('监督举措'), ...scopePatchFields,
    kind: f.patch(fields.kind),
    activityDate: f.patch(fields.activityDate),
    title: f.patch(fields.title),
    participants: f.patch(fields.participants),
    findings: f.patch(fields.findings),
    problemIds: f.patch(problemIdsField),
  }),
}, (ctx, a): ActivityDetail => {
  const cur = requireRow(ctx, supervisionActivities, a.id, '监督举措');
  const patch: Partial<Activity> = { ...scopePatch(ctx, a) };
  for (const k of ['kind', 'activityDate', 'title', 'participants', 'findings'] as const) {
    if (a[k] !== undefined) (patch as Record<string, unknown>)[k] = a[k];
  }
  const unitId = patch.unitId === undefined ? cur.unitId : patch.unitId;
  const wanted = a.problemIds === undefined ? null : readProblems(ctx, a.problemIds, unitId);
  if (wanted === null && unitId !== null && unitId !== cur.unitId) {
    // The unit changed but the links did not: they must still belong to it.
    const other = detail(ctx, cur).problems.some((p) => getRow(ctx, problems, p.id)?.unitId !== unitId);
    if (other) throw invalid('unitId', '已关联的问题不属于新选择的被巡视单位，请同时调整关联问题。', 'other_unit');
  }
  return inTransaction(ctx, () => {
    const next = updateRow(ctx, supervisionActivities, cur, patch);
    if (wanted !== null) replaceLinks(ctx, cur.id, wanted);
    return detail(ctx, next);
  });
});

/** A page of activities, each with the problems it concerns; by date. Filters: from/to are inclusive. */
export const listActivities = defineCall({
  permission: 'ledger.read',
  arg: f.args({
    ...scopeFields,
    kind: f.optOneOf(ACTIVITY_KINDS.codes, '监督举措类型'),
    problemId: f.optId('关联问题'),
    from: f.optDate('起始日期'),
    to: f.optDate('截止日期'),
    ...listFields,
  }),
}, (ctx, i): ListResult<ActivityDetail> => {
  const { problemId, from, to } = i;
  const a = supervisionActivities;
  const linked = problemId === null ? undefined : inArray(a.id, ctx.ledger.orm.select({ id: activityProblems.activityId })
    .from(activityProblems).where(and(eq(activityProblems.problemId, problemId), isNull(activityProblems.deletedAt))));
  const result = page(ctx, a, [
    eqIf(a.roundId, i.roundId), eqIf(a.unitId, i.unitId), eqIf(a.kind, i.kind), linked,
    from === null ? undefined : gte(a.activityDate, from), to === null ? undefined : lte(a.activityDate, to),
  ], [asc(a.activityDate), asc(a.id)], i);
  return { ...result, items: withLinks(ctx, result.items) };
});

export const getActivity = defineCall({ permission: 'ledger.read', arg: readArg('监督举措') }, (ctx, a): ActivityDetail =>
  detail(ctx, rowForRead(ctx, supervisionActivities, a.id, '监督举措', a.includeDeleted)));

/** The activity's tombstone hides it; its links stay as they were so a restore brings them back. */
export const { remove: deleteActivity, restore: restoreActivity } = defineLifecycle({
  table: supervisionActivities, label: '监督举措', permission: 'supervision.write', strictRestore: true, view: detail,
});
