import { afterEach, describe, expect, it } from 'vitest';
import { REPORT_KINDS } from '../../db/domain/enums.js';
import {
  createReport, deleteReport, getReport, listReports, restoreReport, updateReport,
} from '../../db/services/reports.js';
import { feedbacks } from '../../db/schema/index.js';
import { insertRow } from '../../db/core/write.js';
import { fxInspection, fxRound, fxUnit } from '../helpers/fixtures.js';
import { inspections } from '../../db/schema/index.js';
import { expectError, expectRefused } from '../helpers/expect.js';
import { makeWorld, rowCount, type Ctx, type World } from './supervision-world.js';

let w: World;
afterEach(() => w?.t.close());

const report = (ctx: Ctx, kind: string, o: Record<string, unknown> = {}) => createReport(ctx, {
  inspectionId: w.inspection.id, kind, title: `某某集团有限公司${kind}`, reportDate: '2024-04-30', ...o,
});

describe('who writes which report', () => {
  it('lets the inspected unit write its own reports and keeps supervision reports to the supervisors', () => {
    w = makeWorld();
    for (const kind of ['plan', 'dlm', 'progress', 'follow_up'] as const) {
      expect(report(w.entry, kind).kind).toBe(kind);
    }
    for (const kind of ['review_opinion', 'supervision_discipline', 'supervision_organisation'] as const) {
      expectRefused(w.t, () => report(w.entry, kind), 'FORBIDDEN');
      expect(report(w.sup, kind).kind).toBe(kind);
    }
    expect(report(w.entry, 'disclosure', { reportDate: '2024-05-20' }).kind).toBe('disclosure');
    expectRefused(w.t, () => report(w.readonly, 'plan'), 'FORBIDDEN');
    const opinion = listReports(w.readonly, { kind: 'review_opinion' }).items[0]!;
    expectRefused(w.t, () => updateReport(w.entry, { id: opinion.id, title: '改' }), 'FORBIDDEN');
    expectRefused(w.t, () => deleteReport(w.entry, { id: opinion.id, reason: '删' }), 'FORBIDDEN');
    expect(listReports(w.readonly, { inspectionId: w.inspection.id }).total).toBe(REPORT_KINDS.codes.length);
  });
});

describe('report rules', () => {
  it('refuses a disclosure without a review opinion for that inspection', () => {
    w = makeWorld();
    // A review opinion of another inspection does not count.
    report(w.sup, 'review_opinion', { inspectionId: w.inspection2.id, receivedOn: '2024-05-06' });
    expectRefused(w.t, () => report(w.entry, 'disclosure', { reportDate: '2024-05-20' }), 'CONFLICT', undefined, 'review_opinion_required');
    report(w.sup, 'review_opinion', { reportDate: '2024-05-05', receivedOn: '2024-05-08' });
    expectRefused(w.t, () => report(w.entry, 'disclosure', { reportDate: '2024-05-07' }), 'VALIDATION', 'reportDate', 'before_review_opinion');
    expect(report(w.entry, 'disclosure', { reportDate: '2024-05-20' }).kind).toBe('disclosure');
  });

  it('keeps the review opinion a live disclosure rests on', () => {
    w = makeWorld();
    const op = report(w.sup, 'review_opinion', { reportDate: '2024-05-05', receivedOn: '2024-05-08' });
    const d = report(w.entry, 'disclosure', { reportDate: '2024-05-20' });
    expectRefused(w.t, () => deleteReport(w.sup, { id: op.id, reason: '作废。' }), 'CONFLICT', undefined, 'disclosure_depends');
    expectRefused(w.t, () => updateReport(w.sup, { id: op.id, receivedOn: '2024-05-21' }), 'CONFLICT', undefined, 'disclosure_before_review_opinion');
    deleteReport(w.entry, { id: d.id, reason: '重新发布。' });
    deleteReport(w.sup, { id: op.id, reason: '作废。' });
    expectRefused(w.t, () => restoreReport(w.entry, { id: d.id }), 'CONFLICT', undefined, 'review_opinion_required');
    restoreReport(w.sup, { id: op.id });
    expect(restoreReport(w.entry, { id: d.id }).deletedAt).toBeNull();
  });

  it('takes a received date only on a review opinion, and not before it was issued', () => {
    w = makeWorld();
    expectRefused(w.t, () => report(w.entry, 'progress', { receivedOn: '2024-05-01' }), 'VALIDATION', 'receivedOn', 'not_applicable');
    expectRefused(w.t, () => report(w.sup, 'review_opinion', { reportDate: '2024-05-05', receivedOn: '2024-05-04' }), 'VALIDATION', 'receivedOn', 'received_before_report');
    const op = report(w.sup, 'review_opinion', { reportDate: '2024-05-05', receivedOn: '2024-05-06' });
    expectRefused(w.t, () => updateReport(w.sup, { id: op.id, reportDate: '2024-05-07' }), 'VALIDATION', 'reportDate', 'received_before_report');
    expect(updateReport(w.sup, { id: op.id, receivedOn: null }).receivedOn).toBeNull();
  });

  it('refuses a progress report dated before the earliest feedback, or with no feedback at all', () => {
    w = makeWorld();
    // A second, earlier one-to-one feedback moves the floor.
    insertRow(w.fx, feedbacks, { inspectionId: w.inspection.id, kind: 'one_to_one', feedbackDate: '2024-01-25', body: '一对一反馈。' });
    expectRefused(w.t, () => report(w.entry, 'progress', { reportDate: '2024-01-24' }), 'VALIDATION', 'reportDate', 'before_feedback');
    expect(report(w.entry, 'progress', { reportDate: '2024-01-25' }).reportDate).toBe('2024-01-25');
    const bare = insertRow(w.fx, inspections, { roundId: w.round2.id, unitId: w.unit.id, teamId: null });
    expectRefused(w.t, () => report(w.entry, 'progress', { inspectionId: bare.id }), 'CONFLICT', undefined, 'feedback_required');
    expect(report(w.entry, 'plan', { inspectionId: bare.id }).kind).toBe('plan');
  });

  it('refuses bad input naming the field and writes nothing', () => {
    w = makeWorld();
    expectRefused(w.t, () => report(w.entry, 'annual'), 'VALIDATION', 'kind');
    expectRefused(w.t, () => report(w.entry, 'plan', { title: '' }), 'VALIDATION', 'title');
    expectRefused(w.t, () => report(w.entry, 'plan', { reportDate: '2024-02-30' }), 'VALIDATION', 'reportDate');
    expectRefused(w.t, () => report(w.entry, 'plan', { reportDate: undefined }), 'VALIDATION', 'reportDate');
    expectRefused(w.t, () => report(w.entry, 'plan', { inspectionId: w.unit.id }), 'NOT_FOUND', 'inspectionId');
    expectRefused(w.t, () => report(w.entry, 'plan', { docNumber: 'x'.repeat(101) }), 'VALIDATION', 'docNumber');
    const p = report(w.entry, 'plan');
    expectRefused(w.t, () => updateReport(w.entry, { id: p.id, kind: 'follow_up' }), 'VALIDATION', 'kind', 'immutable');
    expectRefused(w.t, () => updateReport(w.entry, { id: p.id, inspectionId: w.inspection2.id }), 'VALIDATION', 'inspectionId', 'immutable');
    expect(rowCount(w.t, 'reports')).toBe(1);
  });
});

describe('listing reports', () => {
  it('filters by round and unit through the inspection, in date order, without deleted ones', () => {
    w = makeWorld();
    const u3 = fxUnit(w.fx, { name: '某某大学' });
    const r2 = fxRound(w.fx, { name: '某省委第三轮巡视' });
    const other = fxInspection(w.fx, { roundId: r2.id, unitId: u3.id, feedbackDate: '2024-03-01' }).inspection;
    const dlm = report(w.entry, 'dlm', { reportDate: '2024-04-10' });
    const plan = report(w.entry, 'plan', { reportDate: '2024-03-01' });
    const elsewhere = report(w.entry, 'plan', { inspectionId: other.id, reportDate: '2024-03-20' });
    expect(listReports(w.readonly, { unitId: w.unit.id }).items.map((r) => r.id)).toEqual([plan.id, dlm.id]);
    expect(listReports(w.readonly, { roundId: r2.id }).items.map((r) => r.id)).toEqual([elsewhere.id]);
    expect(listReports(w.readonly, { kind: 'plan' }).items.map((r) => r.id)).toEqual([plan.id, elsewhere.id]);
    deleteReport(w.entry, { id: plan.id, reason: '方案已重新印发。' });
    expect(listReports(w.readonly, { unitId: w.unit.id }).items.map((r) => r.id)).toEqual([dlm.id]);
    expect(listReports(w.readonly, { unitId: w.unit.id, includeDeleted: true }).total).toBe(2);
    expectError(() => getReport(w.readonly, { id: plan.id }), 'NOT_FOUND', 'id');
    expect(getReport(w.readonly, { id: plan.id, includeDeleted: true }).deletedReason).toBe('方案已重新印发。');
    expectRefused(w.t, () => listReports(w.t.as(null), {}), 'FORBIDDEN');
  });
});
