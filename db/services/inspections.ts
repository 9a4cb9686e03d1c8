import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { FEEDBACK_KINDS } from '../domain/enums.js';
import { conflict, invalid } from '../domain/errors.js';
import { feedbacks, inspections, rounds, teams, units } from '../schema/index.js';
import { defineCall } from '../core/call.js';
import { count, defineLifecycle } from '../core/lifecycle.js';
import * as f from '../domain/fields.js';
import { getRow, insertRow, requireRow, updateRow, type Row } from '../core/write.js';
import { conflictedSql } from '../queries/conflicted.js';

/**
 * 巡视对象: one unit inspected in one round by one team, and the 反馈意见 it received. The
 * feedback date starts every statutory clock, so it is checked against the round's dates.
 */

export type Inspection = Row<typeof inspections>;
export type Feedback = Row<typeof feedbacks>;

export interface InspectionView {
  id: string;
  roundId: string;
  unitId: string;
  unitName: string;
  unitSector: string;
  teamId: string | null;
  teamName: string | null;
  teamNumber: number | null;
  /** Earliest live feedback date: the start of the statutory clocks (null before feedback). */
  firstFeedbackOn: string | null;
  feedbackCount: number;
  secondRoundFrom: string | null;
  underOverhaul: boolean;
  deletedAt: string | null;
  deletedReason: string | null;
  /** 冲突: a field of the inspection, its feedback or its unit is in conflict after an exchange import. */
  conflicted: boolean;
}

export interface FeedbackView {
  id: string;
  inspectionId: string;
  kind: Feedback['kind'];
  feedbackDate: string;
  docNumber: string | null;
  body: string;
  deletedAt: string | null;
  deletedReason: string | null;
}

export interface InspectionDetail extends InspectionView {
  roundName: string;
  feedbacks: FeedbackView[];
}

const INSPECTION_SQL = `SELECT i.id, i.round_id AS roundId, i.unit_id AS unitId, u.name AS unitName, u.sector AS unitSector,
  i.team_id AS teamId, t.name AS teamName, t.number AS teamNumber,
  (SELECT min(f.feedback_date) FROM feedbacks f WHERE f.inspection_id = i.id AND f.deleted_at IS NULL) AS firstFeedbackOn,
  (SELECT count(*) FROM feedbacks f WHERE f.inspection_id = i.id AND f.deleted_at IS NULL) AS feedbackCount,
  i.second_round_from AS secondRoundFrom, u.under_overhaul AS underOverhaul,
  i.deleted_at AS deletedAt, i.deleted_reason AS deletedReason,
  (${conflictedSql('inspections', 'i.id')} OR ${conflictedSql('units', 'u.id')}) AS conflicted
FROM inspections i JOIN units u ON u.id = i.unit_id LEFT JOIN teams t ON t.id = i.team_id AND t.deleted_at IS NULL`;
// Units without a team last, then by team number and unit name.
const LIST_INSPECTIONS_SQL = `${INSPECTION_SQL} WHERE i.round_id = ? AND (i.deleted_at IS NULL OR ? = 1)
ORDER BY t.number IS NULL, t.number, u.name, i.id`;
const ONE_INSPECTION_SQL = `${INSPECTION_SQL} WHERE i.id = ?`;

const FEEDBACK_SQL = `SELECT id, inspection_id AS inspectionId, kind, feedback_date AS feedbackDate, doc_number AS docNumber,
  body, deleted_at AS deletedAt, deleted_reason AS deletedReason FROM feedbacks`;
const LIST_FEEDBACK_SQL = `${FEEDBACK_SQL} WHERE inspection_id = ? AND (deleted_at IS NULL OR ? = 1)
ORDER BY feedback_date, created_at, id`;
const ONE_FEEDBACK_SQL = `${FEEDBACK_SQL} WHERE id = ?`;

type RawInspection = Omit<InspectionView, 'underOverhaul' | 'conflicted'> & { underOverhaul: number; conflicted: number };

function toView(r: RawInspection): InspectionView {
  return { ...r, underOverhaul: r.underOverhaul === 1, conflicted: r.conflicted === 1 };
}

function inspectionView(ctx: ServiceContext, id: string): InspectionView {
  return toView(ctx.ledger.prepare(ONE_INSPECTION_SQL).get(id) as RawInspection);
}

function feedbackView(ctx: ServiceContext, id: string): FeedbackView {
  return ctx.ledger.prepare(ONE_FEEDBACK_SQL).get(id) as FeedbackView;
}

const includeDeleted = f.bool('包含已删除的记录');
const inspectionId = f.id('巡视对象');
const teamIdField = f.optId('巡视组');

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** A team, when given, must be a live team of the same round. */
function checkTeam(ctx: ServiceContext, teamId: string | null, roundId: string): void {
  if (!teamId) return;
  const team = requireRow(ctx, teams, teamId, '巡视组', 'teamId');
  if (team.roundId !== roundId) throw invalid('teamId', '所选巡视组不属于该巡视轮次。', 'other_round');
}

/** Records that still hang on an inspection (or on one of its feedbacks) keep it in use. */
function usesOf(ctx: ServiceContext, inspectionId: string): number {
  return count(ctx, `SELECT (SELECT count(*) FROM problems WHERE inspection_id = @id AND deleted_at IS NULL)
    + (SELECT count(*) FROM reports WHERE inspection_id = @id AND deleted_at IS NULL)
    + (SELECT count(*) FROM evaluations WHERE inspection_id = @id AND deleted_at IS NULL) AS n`, { id: inspectionId });
}

// ---------------------------------------------------------------------------------------------
// Inspections

export const listInspections = defineCall({
  permission: 'ledger.read',
  arg: f.args({ roundId: f.id('巡视轮次'), includeDeleted }),
}, (ctx, i): InspectionView[] => {
  const round = requireRow(ctx, rounds, i.roundId, '巡视轮次', 'roundId');
  return (ctx.ledger.prepare(LIST_INSPECTIONS_SQL).all(round.id, i.includeDeleted ? 1 : 0) as RawInspection[]).map(toView);
});

export const getInspection = defineCall({ permission: 'ledger.read', arg: f.args({ id: inspectionId }) }, (ctx, i): InspectionDetail => {
  const insp = requireRow(ctx, inspections, i.id, '巡视对象');
  const round = getRow(ctx, rounds, insp.roundId);
  return {
    ...inspectionView(ctx, insp.id),
    roundName: round?.name ?? '',
    feedbacks: ctx.ledger.prepare(LIST_FEEDBACK_SQL).all(insp.id, 0) as FeedbackView[],
  };
});

/** Add a unit to a round (optionally with its team). A unit is inspected at most once per round. */
export const createInspection = defineCall({
  permission: 'ledger.write',
  arg: f.args({ roundId: f.id('巡视轮次'), unitId: f.id('被巡视单位'), teamId: teamIdField }),
}, (ctx, i): InspectionView => {
  const round = requireRow(ctx, rounds, i.roundId, '巡视轮次', 'roundId');
  const unit = requireRow(ctx, units, i.unitId, '被巡视单位', 'unitId');
  const teamId = i.teamId;
  checkTeam(ctx, teamId, round.id);
  // The unique index inspections_round_unit_uq also covers deleted rows (a tombstone keeps its
  // identity for exchange, EXCHANGE.md 6), so a removed one is brought back, not created again.
  const existing = ctx.ledger
    .prepare('SELECT id, deleted_at AS deletedAt FROM inspections WHERE round_id = ? AND unit_id = ?')
    .get(round.id, unit.id) as { id: string; deletedAt: string | null } | undefined;
  if (existing) throw duplicate(unit.name, existing.deletedAt !== null);
  return inTransaction(ctx, () => {
    try {
      const insp = insertRow(ctx, inspections, { roundId: round.id, unitId: unit.id, teamId, secondRoundFrom: null });
      return inspectionView(ctx, insp.id);
    } catch (e) {
      if (isUniqueViolation(e)) throw duplicate(unit.name, false);
      throw e;
    }
  });
});

function duplicate(unitName: string, deleted: boolean) {
  return deleted
    ? conflict(`${unitName}在本轮次的巡视记录已被删除，请恢复该记录而不是重新添加。`, 'deleted_duplicate')
    : conflict(`${unitName}已在本轮次的被巡视单位中，同一单位每轮只能巡视一次。`, 'duplicate');
}

/** Change or clear the team of an inspection (round and unit are its identity and do not change). */
export const updateInspection = defineCall({
  permission: 'ledger.write',
  arg: f.args({ id: inspectionId, teamId: f.patch(teamIdField) }),
}, (ctx, i): InspectionView => {
  const cur = requireRow(ctx, inspections, i.id, '巡视对象');
  const patch: Partial<Inspection> = {};
  if (i.teamId !== undefined) {
    patch.teamId = i.teamId;
    checkTeam(ctx, patch.teamId, cur.roundId);
  }
  return inTransaction(ctx, () => {
    updateRow(ctx, inspections, cur, patch);
    return inspectionView(ctx, cur.id);
  });
});

/** Records that still hang on an inspection keep it; it comes back only under a live round and unit. */
export const { remove: deleteInspection, restore: restoreInspection } = defineLifecycle({
  table: inspections,
  label: '巡视对象',
  permission: 'ledger.write',
  beforeDelete(ctx, cur) {
    const n = usesOf(ctx, cur.id);
    if (n > 0) throw conflict(`该巡视对象下还有${n}条问题、报告或评估记录，不能删除。`, 'in_use');
  },
  beforeRestore(ctx, cur) {
    const round = getRow(ctx, rounds, cur.roundId);
    const unit = getRow(ctx, units, cur.unitId);
    if (!round || round.deletedAt) throw conflict('所属巡视轮次已被删除，请先恢复轮次。', 'parent_deleted');
    if (!unit || unit.deletedAt) throw conflict('被巡视单位已被删除，请先恢复该单位。', 'parent_deleted');
  },
  after(ctx, row) {
    // Restored, its team may have been removed meanwhile: keep the inspection, drop the dangling team.
    if (row.deletedAt || !row.teamId) return;
    const team = getRow(ctx, teams, row.teamId);
    if (!team || team.deletedAt) updateRow(ctx, inspections, row, { teamId: null });
  },
  view: (ctx, row) => inspectionView(ctx, row.id),
});

// ---------------------------------------------------------------------------------------------
// 反馈意见

/** Feedback is given after the team has entered (进驻): a feedback date before entry is a typo. */
function checkFeedbackDate(ctx: ServiceContext, inspection: Inspection, date: string): void {
  const round = getRow(ctx, rounds, inspection.roundId);
  if (round?.enteredOn && date < round.enteredOn) {
    throw invalid('feedbackDate', `反馈日期不能早于本轮进驻日期（${round.enteredOn}）。`, 'before_entry');
  }
}

const feedbackKind = f.oneOf(FEEDBACK_KINDS.codes, '反馈方式');
const feedbackDate = f.date('反馈日期');
const docNumber = f.optText('文号', 100);
const body = f.text('反馈意见正文', f.LEN.long);

export const listFeedback = defineCall({
  permission: 'ledger.read',
  arg: f.args({ inspectionId, includeDeleted }),
}, (ctx, i): FeedbackView[] => {
  const insp = requireRow(ctx, inspections, i.inspectionId, '巡视对象', 'inspectionId');
  return ctx.ledger.prepare(LIST_FEEDBACK_SQL).all(insp.id, i.includeDeleted ? 1 : 0) as FeedbackView[];
});

/** Without a kind, 集体反馈. */
export const addFeedback = defineCall({
  permission: 'ledger.write',
  arg: f.args({ inspectionId, kind: f.v.nullish(feedbackKind, 'collective'), feedbackDate, docNumber, body }),
}, (ctx, i): FeedbackView => {
  const insp = requireRow(ctx, inspections, i.inspectionId, '巡视对象', 'inspectionId');
  checkFeedbackDate(ctx, insp, i.feedbackDate);
  return inTransaction(ctx, () => {
    const fb = insertRow(ctx, feedbacks, { inspectionId: insp.id, kind: i.kind, feedbackDate: i.feedbackDate, docNumber: i.docNumber, body: i.body });
    return feedbackView(ctx, fb.id);
  });
});

export const updateFeedback = defineCall({
  permission: 'ledger.write',
  arg: f.args({
    id: f.id('反馈意见'), kind: f.patch(feedbackKind), feedbackDate: f.patch(feedbackDate), docNumber: f.patch(docNumber), body: f.patch(body),
  }),
}, (ctx, i): FeedbackView => {
  const cur = requireRow(ctx, feedbacks, i.id, '反馈意见');
  const patch: Partial<Feedback> = {};
  if (i.kind !== undefined) patch.kind = i.kind;
  if (i.feedbackDate !== undefined) patch.feedbackDate = i.feedbackDate;
  if (i.docNumber !== undefined) patch.docNumber = i.docNumber;
  if (i.body !== undefined) patch.body = i.body;
  if (patch.feedbackDate) {
    const insp = requireRow(ctx, inspections, cur.inspectionId, '巡视对象', 'inspectionId');
    checkFeedbackDate(ctx, insp, patch.feedbackDate);
  }
  return inTransaction(ctx, () => {
    updateRow(ctx, feedbacks, cur, patch);
    return feedbackView(ctx, cur.id);
  });
});

/** Feedback cited by live problems is in use; it comes back only while its inspection is live. */
export const { remove: deleteFeedback, restore: restoreFeedback } = defineLifecycle({
  table: feedbacks,
  label: '反馈意见',
  permission: 'ledger.write',
  beforeDelete(ctx, cur) {
    const n = count(ctx, 'SELECT count(*) AS n FROM problems WHERE feedback_id = ? AND deleted_at IS NULL', cur.id);
    if (n > 0) throw conflict(`该反馈意见还对应${n}个问题，不能删除。`, 'in_use');
  },
  beforeRestore(ctx, cur) {
    const insp = getRow(ctx, inspections, cur.inspectionId);
    if (!insp || insp.deletedAt) throw conflict('所属巡视对象已被删除，请先恢复。', 'parent_deleted');
  },
  view: (ctx, row) => feedbackView(ctx, row.id),
});
