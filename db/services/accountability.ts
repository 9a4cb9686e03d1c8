import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { defineCall } from '../core/call.js';
import { defineLifecycle } from '../core/lifecycle.js';
import { ACCOUNTABILITY_FORMS, ACCOUNTABILITY_REASONS } from '../domain/enums.js';
import { invalid } from '../domain/errors.js';
import * as f from '../domain/fields.js';
import { accountabilityLinks, accountabilityRecords, problems, tasks } from '../schema/index.js';
import { getRow, insertRow, requireRow, restoreRow, softDelete, updateRow, type Row } from '../core/write.js';
import {
  eqIf, idListField, listFields, page, readArg, rowForRead, scope, scopeFields, scopePatch, scopePatchFields, uniqueIds,
  type ListResult,
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

const fields = {
  personName: f.text('被问责人姓名', f.LEN.name),
  post: f.text('职务', f.LEN.short),
  reason: f.oneOf(ACCOUNTABILITY_REASONS.codes, '问责事由'),
  form: f.oneOf(ACCOUNTABILITY_FORMS.codes, '问责方式'),
  decidedOn: f.date('问责决定日期'),
  note: f.optText('备注', f.LEN.text),
};
const problemIdsField = idListField('关联问题');
const taskIdsField = idListField('关联任务');

type Kind = 'problemId' | 'taskId';

/** Linked ids of one kind: each a live row, of the record's unit when it names one. */
function readLinks(ctx: ServiceContext, ids: readonly string[], kind: Kind, unitId: string | null): string[] {
  const [field, label, table] = kind === 'problemId' ? ['problemIds', '关联问题', problems] as const : ['taskIds', '关联任务', tasks] as const;
  return uniqueIds(ids, field).map(({ id, field: at }) => {
    const row = requireRow(ctx, table, id, label, at);
    if (unitId !== null && row.unitId !== unitId) throw invalid(at, `${label}不属于该被巡视单位。`, 'other_unit');
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
export const createAccountability = defineCall({
  permission: 'rating.write',
  arg: f.args({ ...scopeFields, ...fields, problemIds: problemIdsField, taskIds: taskIdsField }),
}, (ctx, a): AccountabilityDetail => {
  const sc = scope(ctx, a);
  const { personName, post, reason, form, decidedOn, note } = a;
  const problemIds = readLinks(ctx, a.problemIds, 'problemId', sc.unitId);
  const taskIds = readLinks(ctx, a.taskIds, 'taskId', sc.unitId);
  return inTransaction(ctx, () => {
    const row = insertRow(ctx, accountabilityRecords, { ...sc, personName, post, reason, form, decidedOn, note });
    replaceLinks(ctx, row.id, 'problemId', problemIds);
    replaceLinks(ctx, row.id, 'taskId', taskIds);
    return detail(ctx, row);
  });
});

/** Edit a record; `problemIds` / `taskIds`, when given, replace that set of links. */
export const updateAccountability = defineCall({
  permission: 'rating.write',
  arg: f.args({
    id: f.id('问责记录'), ...scopePatchFields,
    personName: f.patch(fields.personName),
    post: f.patch(fields.post),
    reason: f.patch(fields.reason),
    form: f.patch(fields.form),
    decidedOn: f.patch(fields.decidedOn),
    note: f.patch(fields.note),
    problemIds: f.patch(problemIdsField),
    taskIds: f.patch(taskIdsField),
  }),
}, (ctx, a): AccountabilityDetail => {
  const cur = requireRow(ctx, accountabilityRecords, a.id, '问责记录');
  const patch: Partial<Accountability> = { ...scopePatch(ctx, a) };
  for (const k of ['personName', 'post', 'reason', 'form', 'decidedOn', 'note'] as const) {
    if (a[k] !== undefined) (patch as Record<string, unknown>)[k] = a[k];
  }
  const unitId = patch.unitId === undefined ? cur.unitId : patch.unitId;
  const problemIds = a.problemIds === undefined ? null : readLinks(ctx, a.problemIds, 'problemId', unitId);
  const taskIds = a.taskIds === undefined ? null : readLinks(ctx, a.taskIds, 'taskId', unitId);
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
});

/** Filters: roundId, unitId, reason, form, problemId, taskId; by decision date. */
export const listAccountability = defineCall({
  permission: 'ledger.read',
  arg: f.args({
    ...scopeFields,
    reason: f.optOneOf(ACCOUNTABILITY_REASONS.codes, '问责事由'),
    form: f.optOneOf(ACCOUNTABILITY_FORMS.codes, '问责方式'),
    problemId: f.optId('关联问题'),
    taskId: f.optId('关联任务'),
    ...listFields,
  }),
}, (ctx, i): ListResult<Accountability> => {
  const a = accountabilityRecords;
  const l = accountabilityLinks;
  const linked = (col: typeof l.problemId | typeof l.taskId, id: string | null) => (id === null ? undefined
    : inArray(a.id, ctx.ledger.orm.select({ id: l.accountabilityId }).from(l).where(and(eq(col, id), isNull(l.deletedAt)))));
  return page(ctx, a, [
    eqIf(a.roundId, i.roundId), eqIf(a.unitId, i.unitId), eqIf(a.reason, i.reason), eqIf(a.form, i.form),
    linked(l.problemId, i.problemId), linked(l.taskId, i.taskId),
  ], [asc(a.decidedOn), asc(a.id)], i);
});

export const getAccountability = defineCall({ permission: 'ledger.read', arg: readArg('问责记录') }, (ctx, a): AccountabilityDetail =>
  detail(ctx, rowForRead(ctx, accountabilityRecords, a.id, '问责记录', a.includeDeleted)));

export const { remove: deleteAccountability, restore: restoreAccountability } = defineLifecycle({
  table: accountabilityRecords, label: '问责记录', permission: 'rating.write', strictRestore: true, view: detail,
});
