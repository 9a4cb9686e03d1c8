import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { REPORT_WRITER } from '../domain/report-rules.js';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { defineCall } from '../core/call.js';
import { defineLifecycle } from '../core/lifecycle.js';
import { REPORT_KINDS } from '../domain/enums.js';
import { conflict, invalid } from '../domain/errors.js';
import * as f from '../domain/fields.js';
import { can, requirePermission } from '../core/permissions.js';
import { feedbacks, inspections, reports } from '../schema/index.js';
import { insertRow, requireRow, updateRow, type Row } from '../core/write.js';
import { eqIf, givenKeys, listFields, notBefore, page, readArg, rowForRead, scopeFields, type ListResult } from './supervision-common.js';

/**
 * Reports of one inspection. The statutory clocks (db/clocks/) read these rows: `reportDate` is
 * the day a report was issued / held / submitted, `receivedOn` (review opinions only) the day the
 * unit received the review opinion, which starts the 整改情况公开 clock.
 */
export type Report = Row<typeof reports>;

const fields = {
  title: f.text('报告标题', f.LEN.short),
  docNumber: f.optText('文号', f.LEN.name),
  reportDate: f.date('报告日期'),
  receivedOn: f.optDate('收到日期'),
  body: f.optText('正文', f.LEN.long),
};
const kindField = f.oneOf(REPORT_KINDS.codes, '报告类型');
const inspectionRef = f.id('巡视对象');

/**
 * Refuse a user who can write no report at all before looking at the input. The right that counts
 * depends on the report's kind (REPORT_WRITER), so these calls declare none and decide in the body.
 */
function requireSomeWriter(ctx: ServiceContext): void {
  if (!can(ctx.user, 'ledger.write') && !can(ctx.user, 'supervision.write')) requirePermission(ctx, 'ledger.write');
}

type Dated = Pick<Report, 'id' | 'kind' | 'reportDate' | 'receivedOn'>;

/** The rules of one report on its own: a received date belongs to review opinions only. */
function checkOwnDates(r: Dated, changed: Set<string>): void {
  if (r.receivedOn !== null && r.kind !== 'review_opinion') {
    throw invalid('receivedOn', '只有审核意见需要填写收到日期。', 'not_applicable');
  }
  if (r.receivedOn !== null && r.receivedOn < r.reportDate) {
    const field = changed.has('reportDate') && !changed.has('receivedOn') ? 'reportDate' : 'receivedOn';
    throw invalid(field, `收到日期（${r.receivedOn}）不能早于审核意见的出具日期（${r.reportDate}）。`, 'received_before_report');
  }
}

/** 集中整改进展情况报告 reports on the period that starts at feedback: it cannot predate it. */
function checkProgress(ctx: ServiceContext, r: Dated & { inspectionId: string }): void {
  if (r.kind !== 'progress') return;
  const first = ctx.ledger.orm.select({ d: feedbacks.feedbackDate }).from(feedbacks)
    .where(and(eq(feedbacks.inspectionId, r.inspectionId), isNull(feedbacks.deletedAt)))
    .orderBy(asc(feedbacks.feedbackDate)).get();
  if (!first) throw conflict('该巡视对象尚未录入反馈意见，不能报送集中整改进展情况报告。', 'feedback_required');
  notBefore(r.reportDate, first.d, 'reportDate', `进展情况报告日期不能早于反馈日期（${first.d}）。`, 'before_feedback');
}

/**
 * The rules across an inspection's reports, checked on the set as it would be after the change
 * (`after`): 整改情况公开 follows the 审核意见 (公开 within a month of receiving it), so every live
 * disclosure needs a live review opinion and cannot be dated before the first one was received.
 * When the report being written is the disclosure the fault is its own; otherwise the change
 * would strand a disclosure and is refused as a conflict.
 */
function checkInspectionSet(after: Dated[], candidateId: string | null): void {
  const opinions = after.filter((r) => r.kind === 'review_opinion');
  const firstOpinion = opinions.map((r) => r.receivedOn ?? r.reportDate).sort()[0] ?? null;
  for (const d of after.filter((r) => r.kind === 'disclosure')) {
    const own = d.id === candidateId;
    if (firstOpinion === null) {
      throw conflict(own ? '尚无审核意见，不能录入整改情况公开。' : '已有整改情况公开依据该审核意见，不能删除。', own ? 'review_opinion_required' : 'disclosure_depends');
    }
    if (d.reportDate < firstOpinion) {
      if (own) throw invalid('reportDate', `整改情况公开日期不能早于收到审核意见的日期（${firstOpinion}）。`, 'before_review_opinion');
      throw conflict(`整改情况公开（${d.reportDate}）不能早于收到审核意见的日期（${firstOpinion}）。`, 'disclosure_before_review_opinion');
    }
  }
}

function liveOf(ctx: ServiceContext, inspectionId: string): Report[] {
  return ctx.ledger.orm.select().from(reports)
    .where(and(eq(reports.inspectionId, inspectionId), isNull(reports.deletedAt))).all();
}

/** {inspectionId, kind, title, docNumber?, reportDate, receivedOn? (审核意见 only), body?}. */
export const createReport = defineCall({
  arg: f.args({ inspectionId: inspectionRef, kind: kindField, ...fields }),
}, (ctx, a): Report => {
  requireSomeWriter(ctx);
  requirePermission(ctx, REPORT_WRITER[a.kind]);
  const insp = requireRow(ctx, inspections, a.inspectionId, '巡视对象', 'inspectionId');
  const { kind, title, docNumber, reportDate, receivedOn, body } = a;
  const values = { inspectionId: insp.id, kind, title, docNumber, reportDate, receivedOn, body };
  const probe = { id: '', ...values };
  checkOwnDates(probe, givenKeys(a));
  checkProgress(ctx, probe);
  checkInspectionSet([...liveOf(ctx, insp.id), probe], '');
  return inTransaction(ctx, () => insertRow(ctx, reports, values));
});

/** {id, title?, docNumber?, reportDate?, receivedOn?, body?}; kind and inspection are fixed. */
export const updateReport = defineCall({
  arg: f.args({
    id: f.id('报告'),
    kind: f.patch(kindField),
    inspectionId: f.patch(inspectionRef),
    title: f.patch(fields.title),
    docNumber: f.patch(fields.docNumber),
    reportDate: f.patch(fields.reportDate),
    receivedOn: f.patch(fields.receivedOn),
    body: f.patch(fields.body),
  }),
}, (ctx, a): Report => {
  requireSomeWriter(ctx);
  const cur = requireRow(ctx, reports, a.id, '报告');
  requirePermission(ctx, REPORT_WRITER[cur.kind]);
  if (a.kind !== undefined && a.kind !== cur.kind) throw invalid('kind', '报告类型不能修改；如有误，请删除后重新录入。', 'immutable');
  if (a.inspectionId !== undefined && a.inspectionId !== cur.inspectionId) {
    throw invalid('inspectionId', '报告所属的巡视对象不能修改；如有误，请删除后重新录入。', 'immutable');
  }
  const patch: Partial<Report> = {};
  for (const k of ['title', 'docNumber', 'reportDate', 'receivedOn', 'body'] as const) {
    if (a[k] !== undefined) (patch as Record<string, unknown>)[k] = a[k];
  }
  const next = { ...cur, ...patch };
  checkOwnDates(next, givenKeys(a));
  if (patch.reportDate !== undefined) checkProgress(ctx, next);
  checkInspectionSet(liveOf(ctx, cur.inspectionId).map((r) => (r.id === cur.id ? next : r)), cur.id);
  return inTransaction(ctx, () => updateRow(ctx, reports, cur, patch));
});

/** Filters: inspectionId, roundId, unitId (through the inspection), kind; by report date. */
export const listReports = defineCall({
  permission: 'ledger.read',
  arg: f.args({ inspectionId: f.optId('巡视对象'), ...scopeFields, kind: f.optOneOf(REPORT_KINDS.codes, '报告类型'), ...listFields }),
}, (ctx, a): ListResult<Report> => {
  const { roundId, unitId } = a;
  const scoped = roundId === null && unitId === null ? undefined : inArray(reports.inspectionId, ctx.ledger.orm
    .select({ id: inspections.id }).from(inspections)
    .where(and(eqIf(inspections.roundId, roundId), eqIf(inspections.unitId, unitId))));
  return page(ctx, reports, [eqIf(reports.inspectionId, a.inspectionId), eqIf(reports.kind, a.kind), scoped],
    [asc(reports.reportDate), asc(reports.kind), asc(reports.id)], a);
});

export const getReport = defineCall({ permission: 'ledger.read', arg: readArg('报告') }, (ctx, a): Report =>
  rowForRead(ctx, reports, a.id, '报告', a.includeDeleted));

/**
 * Delete and restore. The declared right is the one every report writer holds ('ledger.write':
 * each role with 'supervision.write' has it too); the report's kind then decides (REPORT_WRITER).
 * A review opinion a live disclosure rests on cannot be deleted (CONFLICT 'disclosure_depends').
 */
export const { remove: deleteReport, restore: restoreReport } = defineLifecycle({
  table: reports,
  label: '报告',
  permission: 'ledger.write',
  strictRestore: true,
  beforeDelete(ctx, cur) {
    requirePermission(ctx, REPORT_WRITER[cur.kind]);
    checkInspectionSet(liveOf(ctx, cur.inspectionId).filter((r) => r.id !== cur.id), cur.id);
  },
  beforeRestore(ctx, cur) {
    requirePermission(ctx, REPORT_WRITER[cur.kind]);
    requireRow(ctx, inspections, cur.inspectionId, '巡视对象', 'inspectionId');
    checkInspectionSet([...liveOf(ctx, cur.inspectionId), cur], cur.id);
  },
});
