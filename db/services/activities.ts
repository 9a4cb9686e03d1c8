import { and, asc, eq, gte, inArray, isNull, lte } from 'drizzle-orm';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { ACTIVITY_KINDS } from '../domain/enums.js';
import { invalid } from '../domain/errors.js';
import { requirePermission } from '../core/permissions.js';
import { activityProblems, problems, supervisionActivities } from '../schema/index.js';
import * as v from '../core/validate.js';
import { getRow, insertRow, requireRow, restoreRow, softDelete, updateRow, type Row } from '../core/write.js';
import {
  deletedRow, deleteReason, eqIf, idList, listArgs, page, rowForRead, scope, scopeFilter, scopePatch, type ListResult,
} from './supervision-common.js';

/**
 * 监督举措: 参加反馈会议, 列席专题民主生活会, 调研督导, 现场检查… with the problems each one concerns.
 * The problem links are a set: an update replaces it, tombstoning links that were removed (so the
 * removal travels to other offices) and restoring or inserting the ones added.
 */
export type Activity = Row<typeof supervisionActivities>;
export interface LinkedProblem { id: string; seq: number; description: string; deletedAt: string | null }
export type ActivityDetail = Activity & { problemIds: string[]; problems: LinkedProblem[] };

const read = {
  kind: (x: unknown) => v.oneOf(x, 'kind', ACTIVITY_KINDS.codes, '监督举措类型'),
  activityDate: (x: unknown) => v.date(x, 'activityDate', '开展日期'),
  title: (x: unknown) => v.text(x, 'title', { max: v.LEN.short, label: '标题' }),
  participants: (x: unknown) => v.optText(x, 'participants', { max: v.LEN.text, label: '参加人员' }),
  findings: (x: unknown) => v.optText(x, 'findings', { max: v.LEN.text, label: '发现的问题和意见' }),
};

/** Problem ids of the request: each must be a live problem of the activity's unit (when it has one). */
function readProblems(ctx: ServiceContext, raw: unknown, unitId: string | null): string[] {
  return idList(raw, 'problemIds', '关联问题').map(({ id, field }) => {
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
function withLinks(ctx: ServiceContext, items: Activity[]): ActivityDetail[] {
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
export function createActivity(ctx: ServiceContext, raw: unknown): ActivityDetail {
  requirePermission(ctx, 'supervision.write');
  const i = v.object(raw);
  const sc = scope(ctx, i);
  const values = {
    kind: read.kind(i.kind), activityDate: read.activityDate(i.activityDate), title: read.title(i.title),
    participants: read.participants(i.participants), findings: read.findings(i.findings),
  };
  const problemIds = readProblems(ctx, i.problemIds, sc.unitId);
  return inTransaction(ctx, () => {
    const a = insertRow(ctx, supervisionActivities, { ...sc, ...values });
    replaceLinks(ctx, a.id, problemIds);
    return detail(ctx, a);
  });
}

/** Edit an activity; `problemIds`, when given, replaces the whole set of linked problems. */
export function updateActivity(ctx: ServiceContext, raw: unknown): ActivityDetail {
  requirePermission(ctx, 'supervision.write');
  const i = v.object(raw);
  const cur = requireRow(ctx, supervisionActivities, v.id(i.id, 'id', '监督举措'), '监督举措');
  const patch: Partial<Activity> = { ...scopePatch(ctx, i) };
  for (const k of ['kind', 'activityDate', 'title', 'participants', 'findings'] as const) {
    if (i[k] !== undefined) (patch as Record<string, unknown>)[k] = read[k](i[k]);
  }
  const unitId = patch.unitId === undefined ? cur.unitId : patch.unitId;
  const wanted = i.problemIds === undefined ? null : readProblems(ctx, i.problemIds, unitId);
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
}

/** Filters: roundId, unitId, kind, problemId, from/to (dates, inclusive), includeDeleted; by date. */
/** A page of activities, each with the problems it concerns. */
export function listActivities(ctx: ServiceContext, raw: unknown = {}): ListResult<ActivityDetail> {
  requirePermission(ctx, 'ledger.read');
  const i = v.object(raw);
  const s = scopeFilter(i);
  const kind = v.optOneOf(i.kind, 'kind', ACTIVITY_KINDS.codes, '监督举措类型');
  const problemId = v.optId(i.problemId, 'problemId', '关联问题');
  const from = v.optDate(i.from, 'from', '起始日期');
  const to = v.optDate(i.to, 'to', '截止日期');
  const a = supervisionActivities;
  const linked = problemId === null ? undefined : inArray(a.id, ctx.ledger.orm.select({ id: activityProblems.activityId })
    .from(activityProblems).where(and(eq(activityProblems.problemId, problemId), isNull(activityProblems.deletedAt))));
  const result = page(ctx, a, [
    eqIf(a.roundId, s.roundId), eqIf(a.unitId, s.unitId), eqIf(a.kind, kind), linked,
    from === null ? undefined : gte(a.activityDate, from), to === null ? undefined : lte(a.activityDate, to),
  ], [asc(a.activityDate), asc(a.id)], listArgs(i));
  return { ...result, items: withLinks(ctx, result.items) };
}

export function getActivity(ctx: ServiceContext, raw: unknown): ActivityDetail {
  requirePermission(ctx, 'ledger.read');
  const i = v.object(raw);
  const incl = v.bool(i.includeDeleted, 'includeDeleted', '包含已删除记录');
  return detail(ctx, rowForRead(ctx, supervisionActivities, v.id(i.id, 'id', '监督举措'), '监督举措', incl));
}

/** The activity's tombstone hides it; its links stay as they were so a restore brings them back. */
export function deleteActivity(ctx: ServiceContext, raw: unknown): Activity {
  requirePermission(ctx, 'supervision.write');
  const i = v.object(raw);
  const cur = requireRow(ctx, supervisionActivities, v.id(i.id, 'id', '监督举措'), '监督举措');
  const reason = deleteReason(i);
  return inTransaction(ctx, () => softDelete(ctx, supervisionActivities, cur, reason));
}

export function restoreActivity(ctx: ServiceContext, raw: unknown): ActivityDetail {
  requirePermission(ctx, 'supervision.write');
  const i = v.object(raw);
  const cur = deletedRow(ctx, supervisionActivities, v.id(i.id, 'id', '监督举措'), '监督举措');
  return inTransaction(ctx, () => detail(ctx, restoreRow(ctx, supervisionActivities, cur)));
}
