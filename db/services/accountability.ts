import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { ACCOUNTABILITY_FORMS, ACCOUNTABILITY_REASONS } from '../domain/enums.js';
import { invalid } from '../domain/errors.js';
import { requirePermission } from '../core/permissions.js';
import { accountabilityLinks, accountabilityRecords, problems, tasks } from '../schema/index.js';
import * as v from '../core/validate.js';
import { getRow, insertRow, requireRow, restoreRow, softDelete, updateRow, type Row } from '../core/write.js';
import {
  deletedRow, deleteReason, eqIf, idList, listArgs, page, rowForRead, scope, scopeFilter, scopePatch, type ListResult,
} from './supervision-common.js';

/**
 * 问责 of a person for poor rectification (敷衍整改、虚假整改、整改不力…), with the problems and
 * tasks it concerns. Links are a set per kind: an update replaces it, tombstoning removed links.
 */
export type Accountability = Row<typeof accountabilityRecords>;
export type AccountabilityDetail = Accountability & {
  problemIds: string[];
  taskIds: string[];
  problems: { id: string; seq: number; description: string; deletedAt: string | null }[];
  tasks: { id: string; seq: number; measures: string; deletedAt: string | null }[];
};

const read = {
  personName: (x: unknown) => v.text(x, 'personName', { max: v.LEN.name, label: '被问责人姓名' }),
  post: (x: unknown) => v.text(x, 'post', { max: v.LEN.short, label: '职务' }),
  reason: (x: unknown) => v.oneOf(x, 'reason', ACCOUNTABILITY_REASONS.codes, '问责事由'),
  form: (x: unknown) => v.oneOf(x, 'form', ACCOUNTABILITY_FORMS.codes, '问责方式'),
  decidedOn: (x: unknown) => v.date(x, 'decidedOn', '问责决定日期'),
  note: (x: unknown) => v.optText(x, 'note', { max: v.LEN.text, label: '备注' }),
};

type Kind = 'problemId' | 'taskId';

/** Linked ids of one kind: each a live row, of the record's unit when it names one. */
function readLinks(ctx: ServiceContext, raw: unknown, kind: Kind, unitId: string | null): string[] {
  const [field, label, table] = kind === 'problemId' ? ['problemIds', '关联问题', problems] as const : ['taskIds', '关联任务', tasks] as const;
  return idList(raw, field, label).map(({ id, field: f }) => {
    const row = requireRow(ctx, table, id, label, f);
    if (unitId !== null && row.unitId !== unitId) throw invalid(f, `${label}不属于该被巡视单位。`, 'other_unit');
    return id;
  });
}

function replaceLinks(ctx: ServiceContext, accountabilityId: string, kind: Kind, wanted: string[]): void {
  const existing = ctx.ledger.orm.select().from(accountabilityLinks)
    .where(eq(accountabilityLinks.accountabilityId, accountabilityId)).all().filter((l) => l[kind] !== null);
  for (const l of existing) {
    if (!l.deletedAt && !wanted.includes(l[kind]!)) softDelete(ctx, accountabilityLinks, l, '问责记录的关联对象已调整');
  }
  for (const id of wanted) {
    const same = existing.filter((l) => l[kind] === id);
    if (same.some((l) => !l.deletedAt)) continue;
    const tomb = same[0];
    if (tomb) restoreRow(ctx, accountabilityLinks, tomb);
    else insertRow(ctx, accountabilityLinks, { accountabilityId, problemId: null, taskId: null, [kind]: id });
  }
}

function detail(ctx: ServiceContext, a: Accountability): AccountabilityDetail {
  const orm = ctx.ledger.orm;
  const live = and(eq(accountabilityLinks.accountabilityId, a.id), isNull(accountabilityLinks.deletedAt));
  const ps = orm.select({ id: problems.id, seq: problems.seq, description: problems.description, deletedAt: problems.deletedAt })
    .from(accountabilityLinks).innerJoin(problems, eq(problems.id, accountabilityLinks.problemId))
    .where(live).orderBy(asc(problems.seq), asc(problems.id)).all();
  const ts = orm.select({ id: tasks.id, seq: tasks.seq, measures: tasks.measures, deletedAt: tasks.deletedAt })
    .from(accountabilityLinks).innerJoin(tasks, eq(tasks.id, accountabilityLinks.taskId))
    .where(live).orderBy(asc(tasks.seq), asc(tasks.id)).all();
  return { ...a, problemIds: ps.map((p) => p.id), taskIds: ts.map((t) => t.id), problems: ps, tasks: ts };
}

/** {roundId?, unitId?, personName, post, reason, form, decidedOn, note?, problemIds?, taskIds?}. */
export function createAccountability(ctx: ServiceContext, raw: unknown): AccountabilityDetail {
  requirePermission(ctx, 'rating.write');
  const i = v.object(raw);
  const sc = scope(ctx, i);
  const values = {
    personName: read.personName(i.personName), post: read.post(i.post), reason: read.reason(i.reason),
    form: read.form(i.form), decidedOn: read.decidedOn(i.decidedOn), note: read.note(i.note),
  };
  const problemIds = readLinks(ctx, i.problemIds, 'problemId', sc.unitId);
  const taskIds = readLinks(ctx, i.taskIds, 'taskId', sc.unitId);
  return inTransaction(ctx, () => {
    const a = insertRow(ctx, accountabilityRecords, { ...sc, ...values });
    replaceLinks(ctx, a.id, 'problemId', problemIds);
    replaceLinks(ctx, a.id, 'taskId', taskIds);
    return detail(ctx, a);
  });
}

/** Edit a record; `problemIds` / `taskIds`, when given, replace that set of links. */
export function updateAccountability(ctx: ServiceContext, raw: unknown): AccountabilityDetail {
  requirePermission(ctx, 'rating.write');
  const i = v.object(raw);
  const cur = requireRow(ctx, accountabilityRecords, v.id(i.id, 'id', '问责记录'), '问责记录');
  const patch: Partial<Accountability> = { ...scopePatch(ctx, i) };
  for (const k of ['personName', 'post', 'reason', 'form', 'decidedOn', 'note'] as const) {
    if (i[k] !== undefined) (patch as Record<string, unknown>)[k] = read[k](i[k]);
  }
  const unitId = patch.unitId === undefined ? cur.unitId : patch.unitId;
  const problemIds = i.problemIds === undefined ? null : readLinks(ctx, i.problemIds, 'problemId', unitId);
  const taskIds = i.taskIds === undefined ? null : readLinks(ctx, i.taskIds, 'taskId', unitId);
  if (unitId !== null && unitId !== cur.unitId) {
    // The unit changed: links kept as they are must still belong to it.
    const d = detail(ctx, cur);
    const stray = (problemIds === null && d.problems.some((p) => getRow(ctx, problems, p.id)?.unitId !== unitId))
      || (taskIds === null && d.tasks.some((t) => getRow(ctx, tasks, t.id)?.unitId !== unitId));
    if (stray) throw invalid('unitId', '已关联的问题或任务不属于新选择的被巡视单位，请同时调整关联。', 'other_unit');
  }
  return inTransaction(ctx, () => {
    const next = updateRow(ctx, accountabilityRecords, cur, patch);
    if (problemIds !== null) replaceLinks(ctx, cur.id, 'problemId', problemIds);
    if (taskIds !== null) replaceLinks(ctx, cur.id, 'taskId', taskIds);
    return detail(ctx, next);
  });
}

/** Filters: roundId, unitId, reason, form, problemId, taskId; by decision date. */
export function listAccountability(ctx: ServiceContext, raw: unknown = {}): ListResult<Accountability> {
  requirePermission(ctx, 'ledger.read');
  const i = v.object(raw);
  const s = scopeFilter(i);
  const reason = v.optOneOf(i.reason, 'reason', ACCOUNTABILITY_REASONS.codes, '问责事由');
  const form = v.optOneOf(i.form, 'form', ACCOUNTABILITY_FORMS.codes, '问责方式');
  const problemId = v.optId(i.problemId, 'problemId', '关联问题');
  const taskId = v.optId(i.taskId, 'taskId', '关联任务');
  const a = accountabilityRecords;
  const l = accountabilityLinks;
  const linked = (col: typeof l.problemId | typeof l.taskId, id: string | null) => (id === null ? undefined
    : inArray(a.id, ctx.ledger.orm.select({ id: l.accountabilityId }).from(l).where(and(eq(col, id), isNull(l.deletedAt)))));
  return page(ctx, a, [
    eqIf(a.roundId, s.roundId), eqIf(a.unitId, s.unitId), eqIf(a.reason, reason), eqIf(a.form, form),
    linked(l.problemId, problemId), linked(l.taskId, taskId),
  ], [asc(a.decidedOn), asc(a.id)], listArgs(i));
}

export function getAccountability(ctx: ServiceContext, raw: unknown): AccountabilityDetail {
  requirePermission(ctx, 'ledger.read');
  const i = v.object(raw);
  const incl = v.bool(i.includeDeleted, 'includeDeleted', '包含已删除记录');
  return detail(ctx, rowForRead(ctx, accountabilityRecords, v.id(i.id, 'id', '问责记录'), '问责记录', incl));
}

export function deleteAccountability(ctx: ServiceContext, raw: unknown): Accountability {
  requirePermission(ctx, 'rating.write');
  const i = v.object(raw);
  const cur = requireRow(ctx, accountabilityRecords, v.id(i.id, 'id', '问责记录'), '问责记录');
  const reason = deleteReason(i);
  return inTransaction(ctx, () => softDelete(ctx, accountabilityRecords, cur, reason));
}

export function restoreAccountability(ctx: ServiceContext, raw: unknown): AccountabilityDetail {
  requirePermission(ctx, 'rating.write');
  const i = v.object(raw);
  const cur = deletedRow(ctx, accountabilityRecords, v.id(i.id, 'id', '问责记录'), '问责记录');
  return inTransaction(ctx, () => detail(ctx, restoreRow(ctx, accountabilityRecords, cur)));
}
