import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { SECTORS } from '../domain/enums.js';
import { conflict, invalid, notFound } from '../domain/errors.js';
import { requirePermission } from '../core/permissions.js';
import { handovers, unitLeaders, units } from '../schema/index.js';
import * as v from '../core/validate.js';
import { getRow, insertRow, requireRow, restoreRow, softDelete, updateRow, type Row } from '../core/write.js';

/**
 * 被巡视党组织/单位, its principal leaders (主要负责人) over time, and the 整改责任交接 recorded
 * whenever the principal leader changes, plus the 整顿 flag for units under a stricter regime.
 */

export type Unit = Row<typeof units>;
export type UnitLeader = Row<typeof unitLeaders>;
export type Handover = Row<typeof handovers>;

export interface LeaderView {
  id: string;
  name: string;
  post: string;
  fromDate: string;
  toDate: string | null;
  current: boolean;
}

export interface HandoverView {
  id: string;
  handoverDate: string;
  fromLeaderId: string | null;
  fromLeaderName: string | null;
  toLeaderId: string;
  toLeaderName: string;
  openTaskCount: number;
  notes: string | null;
}

export interface UnitSummary {
  id: string;
  name: string;
  sector: Unit['sector'];
  parentUnitId: string | null;
  underOverhaul: boolean;
  overhaulNote: string | null;
  leaderName: string | null;
  leaderPost: string | null;
  deletedAt: string | null;
  deletedReason: string | null;
}

export interface UnitInspectionView {
  inspectionId: string;
  roundId: string;
  roundName: string;
  teamName: string | null;
}

export interface UnitDetail extends UnitSummary {
  /** Oldest first; the last one without `toDate` is the current leader. */
  leaders: LeaderView[];
  /** In date order. */
  handovers: HandoverView[];
  inspections: UnitInspectionView[];
}

export interface UnitPage {
  items: UnitSummary[];
  /** Pass as `after` for the next page; null on the last page. */
  nextAfter: string | null;
}

const SUMMARY_COLS = `u.id, u.name, u.sector, u.parent_unit_id AS parentUnitId, u.under_overhaul AS underOverhaul,
  u.overhaul_note AS overhaulNote, l.name AS leaderName, l.post AS leaderPost,
  u.deleted_at AS deletedAt, u.deleted_reason AS deletedReason`;
// The current leader is the live one whose term is open.
const CURRENT_LEADER_JOIN = `LEFT JOIN unit_leaders l ON l.id = (SELECT cl.id FROM unit_leaders cl
  WHERE cl.unit_id = u.id AND cl.to_date IS NULL AND cl.deleted_at IS NULL ORDER BY cl.from_date DESC, cl.id DESC LIMIT 1)`;

// Keyset pagination on (name, id): an aggregating office can hold tens of thousands of units.
const LIST_UNITS_SQL = `SELECT ${SUMMARY_COLS} FROM units u ${CURRENT_LEADER_JOIN}
WHERE (u.deleted_at IS NULL OR :includeDeleted = 1)
  AND (:sector IS NULL OR u.sector = :sector)
  AND (:q IS NULL OR u.name LIKE :q ESCAPE '\\')
  AND (:roundId IS NULL OR EXISTS (SELECT 1 FROM inspections i WHERE i.unit_id = u.id AND i.round_id = :roundId AND i.deleted_at IS NULL))
  AND (:afterName IS NULL OR u.name > :afterName OR (u.name = :afterName AND u.id > :afterId))
ORDER BY u.name, u.id LIMIT :limit`;
const ONE_UNIT_SQL = `SELECT ${SUMMARY_COLS} FROM units u ${CURRENT_LEADER_JOIN} WHERE u.id = ?`;

const LEADERS_SQL = `SELECT id, name, post, from_date AS fromDate, to_date AS toDate FROM unit_leaders
WHERE unit_id = ? AND deleted_at IS NULL ORDER BY from_date, created_at, id`;
const HANDOVERS_SQL = `SELECT h.id, h.handover_date AS handoverDate, h.from_leader_id AS fromLeaderId, fl.name AS fromLeaderName,
  h.to_leader_id AS toLeaderId, tl.name AS toLeaderName, h.open_task_count AS openTaskCount, h.notes
FROM handovers h LEFT JOIN unit_leaders fl ON fl.id = h.from_leader_id JOIN unit_leaders tl ON tl.id = h.to_leader_id
WHERE h.unit_id = ? AND h.deleted_at IS NULL ORDER BY h.handover_date, h.created_at, h.id`;
const UNIT_INSPECTIONS_SQL = `SELECT i.id AS inspectionId, r.id AS roundId, r.name AS roundName, t.name AS teamName
FROM inspections i JOIN rounds r ON r.id = i.round_id LEFT JOIN teams t ON t.id = i.team_id AND t.deleted_at IS NULL
WHERE i.unit_id = ? AND i.deleted_at IS NULL AND r.deleted_at IS NULL
ORDER BY coalesce(r.mobilised_on, r.entered_on, r.feedback_on) DESC NULLS FIRST, r.id DESC`;

/**
 * Tasks still open at the unit: live, under a live problem, not yet 销号. This is the number a
 * handover passes on to the new principal leader.
 */
const OPEN_TASKS_SQL = `SELECT count(*) AS n FROM tasks t JOIN problems p ON p.id = t.problem_id
WHERE t.unit_id = ? AND t.deleted_at IS NULL AND p.deleted_at IS NULL AND t.status <> 'closed'`;

type RawSummary = Omit<UnitSummary, 'underOverhaul'> & { underOverhaul: number };

function toSummary(r: RawSummary): UnitSummary {
  return { ...r, underOverhaul: r.underOverhaul === 1 };
}

function summary(ctx: ServiceContext, id: string): UnitSummary {
  return toSummary(ctx.ledger.prepare(ONE_UNIT_SQL).get(id) as RawSummary);
}

function count(ctx: ServiceContext, sql: string, ...params: unknown[]): number {
  return (ctx.ledger.prepare(sql).get(...params) as { n: number }).n;
}

function currentLeader(ctx: ServiceContext, unitId: string): UnitLeader | undefined {
  const r = ctx.ledger
    .prepare('SELECT id FROM unit_leaders WHERE unit_id = ? AND to_date IS NULL AND deleted_at IS NULL ORDER BY from_date DESC, id DESC LIMIT 1')
    .get(unitId) as { id: string } | undefined;
  return r ? getRow(ctx, unitLeaders, r.id) : undefined;
}

const unitName = (x: unknown) => v.text(x, 'name', { max: v.LEN.short, label: '单位名称' });
const leaderName = (x: unknown, field: string) => v.text(x, field, { max: v.LEN.name, label: '主要负责人姓名' });
const leaderPost = (x: unknown, field: string) => v.text(x, field, { max: v.LEN.short, label: '职务' });

/** A parent must be a live unit and must not be the unit itself or one of its descendants. */
function checkParent(ctx: ServiceContext, parentId: string, selfId: string | null): void {
  requireRow(ctx, units, parentId, '上级单位', 'parentUnitId');
  let at: string | null = parentId;
  for (let hops = 0; at && hops < 1000; hops++) {
    if (at === selfId) throw invalid('parentUnitId', '上级单位不能是本单位或其下级单位。', 'cycle');
    at = getRow(ctx, units, at)?.parentUnitId ?? null;
  }
}

// ---------------------------------------------------------------------------------------------
// Units

export function listUnits(ctx: ServiceContext, raw: unknown = {}): UnitPage {
  requirePermission(ctx, 'ledger.read');
  const i = v.object(raw);
  const roundId = v.optId(i.roundId, 'roundId', '巡视轮次');
  const sector = v.optOneOf(i.sector, 'sector', SECTORS.codes, '板块');
  const q = v.optText(i.q, 'q', { max: v.LEN.name, label: '查询内容' });
  const limit = i.limit === undefined ? 200 : v.int(i.limit, 'limit', '每页条数', 1, 1000);
  const after = decodeCursor(i.after);
  const includeDeleted = v.bool(i.includeDeleted, 'includeDeleted', '包含已删除的记录');
  const rows = ctx.ledger.prepare(LIST_UNITS_SQL).all({
    includeDeleted: includeDeleted ? 1 : 0,
    sector,
    q: q === null ? null : `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
    roundId,
    afterName: after?.[0] ?? null,
    afterId: after?.[1] ?? null,
    limit: limit + 1,
  }) as RawSummary[];
  const items = rows.slice(0, limit).map(toSummary);
  const last = items[items.length - 1];
  return { items, nextAfter: rows.length > limit && last ? JSON.stringify([last.name, last.id]) : null };
}

function decodeCursor(x: unknown): [string, string] | null {
  if (x === undefined || x === null || x === '') return null;
  try {
    const c: unknown = typeof x === 'string' ? JSON.parse(x) : null;
    if (Array.isArray(c) && c.length === 2 && typeof c[0] === 'string' && typeof c[1] === 'string') return [c[0], c[1]];
  } catch {
    // fall through to the validation error
  }
  throw invalid('after', '分页位置无效，请从第一页重新查询。', 'bad_cursor');
}

export function getUnit(ctx: ServiceContext, raw: unknown): UnitDetail {
  requirePermission(ctx, 'ledger.read');
  const i = v.object(raw);
  const u = requireRow(ctx, units, v.id(i.id, 'id', '被巡视单位'), '被巡视单位');
  const leaders = (ctx.ledger.prepare(LEADERS_SQL).all(u.id) as Omit<LeaderView, 'current'>[])
    .map((l) => ({ ...l, current: l.toDate === null }));
  return {
    ...summary(ctx, u.id),
    leaders,
    handovers: ctx.ledger.prepare(HANDOVERS_SQL).all(u.id) as HandoverView[],
    inspections: ctx.ledger.prepare(UNIT_INSPECTIONS_SQL).all(u.id) as UnitInspectionView[],
  };
}

export function createUnit(ctx: ServiceContext, raw: unknown): UnitSummary {
  requirePermission(ctx, 'ledger.write');
  const i = v.object(raw);
  const name = unitName(i.name);
  const sector = v.oneOf(i.sector, 'sector', SECTORS.codes, '板块');
  const parentUnitId = v.optId(i.parentUnitId, 'parentUnitId', '上级单位');
  if (parentUnitId) checkParent(ctx, parentUnitId, null);
  return inTransaction(ctx, () => {
    const u = insertRow(ctx, units, { name, sector, parentUnitId, underOverhaul: false, overhaulNote: null });
    return summary(ctx, u.id);
  });
}

export function updateUnit(ctx: ServiceContext, raw: unknown): UnitSummary {
  requirePermission(ctx, 'ledger.write');
  const i = v.object(raw);
  const cur = requireRow(ctx, units, v.id(i.id, 'id', '被巡视单位'), '被巡视单位');
  const patch: Partial<Unit> = {};
  if (i.name !== undefined) patch.name = unitName(i.name);
  if (i.sector !== undefined) patch.sector = v.oneOf(i.sector, 'sector', SECTORS.codes, '板块');
  if (i.parentUnitId !== undefined) {
    patch.parentUnitId = v.optId(i.parentUnitId, 'parentUnitId', '上级单位');
    if (patch.parentUnitId) checkParent(ctx, patch.parentUnitId, cur.id);
  }
  return inTransaction(ctx, () => {
    updateRow(ctx, units, cur, patch);
    return summary(ctx, cur.id);
  });
}

/** A unit with live problems, inspections or subordinate units is in use. */
export function deleteUnit(ctx: ServiceContext, raw: unknown): UnitSummary {
  requirePermission(ctx, 'ledger.write');
  const i = v.object(raw);
  const cur = requireRow(ctx, units, v.id(i.id, 'id', '被巡视单位'), '被巡视单位');
  const reason = v.text(i.reason, 'reason', { max: v.LEN.short, label: '删除原因' });
  const problemCount = count(ctx, 'SELECT count(*) AS n FROM problems WHERE unit_id = ? AND deleted_at IS NULL', cur.id);
  if (problemCount > 0) throw conflict(`该单位还有${problemCount}个问题，不能删除。`, 'in_use');
  const inspectionCount = count(ctx, 'SELECT count(*) AS n FROM inspections WHERE unit_id = ? AND deleted_at IS NULL', cur.id);
  if (inspectionCount > 0) throw conflict(`该单位还在${inspectionCount}个巡视轮次中，请先从轮次中移除。`, 'in_use');
  const children = count(ctx, 'SELECT count(*) AS n FROM units WHERE parent_unit_id = ? AND deleted_at IS NULL', cur.id);
  if (children > 0) throw conflict(`该单位还有${children}个下级单位，不能删除。`, 'has_children');
  return inTransaction(ctx, () => {
    softDelete(ctx, units, cur, reason);
    return summary(ctx, cur.id);
  });
}

export function restoreUnit(ctx: ServiceContext, raw: unknown): UnitSummary {
  requirePermission(ctx, 'ledger.write');
  const i = v.object(raw);
  const id = v.id(i.id, 'id', '被巡视单位');
  const cur = getRow(ctx, units, id);
  if (!cur) throw notFound('被巡视单位', id, 'id');
  if (cur.deletedAt && cur.parentUnitId) {
    const parent = getRow(ctx, units, cur.parentUnitId);
    if (!parent || parent.deletedAt) throw conflict('该单位的上级单位已被删除，请先恢复上级单位。', 'parent_deleted');
  }
  return inTransaction(ctx, () => {
    restoreRow(ctx, units, cur);
    return summary(ctx, id);
  });
}

// ---------------------------------------------------------------------------------------------
// 整顿

/**
 * Put a unit under overhaul (整顿, "问题不解决不放手，成效不明显不收兵") or lift it. Setting it
 * needs a note saying why; lifting it may say why.
 */
export function setOverhaul(ctx: ServiceContext, raw: unknown): UnitSummary {
  requirePermission(ctx, 'ledger.write');
  const i = v.object(raw);
  const cur = requireRow(ctx, units, v.id(i.unitId, 'unitId', '被巡视单位'), '被巡视单位', 'unitId');
  if (i.underOverhaul === undefined || i.underOverhaul === null) throw invalid('underOverhaul', '请选择是否列为整顿单位。', 'required');
  const underOverhaul = v.bool(i.underOverhaul, 'underOverhaul', '列为整顿单位');
  const note = v.optText(i.note, 'note', { max: v.LEN.text, label: '整顿说明' });
  if (underOverhaul && !note) throw invalid('note', '列为整顿单位时，请填写整顿说明。', 'required');
  return inTransaction(ctx, () => {
    updateRow(ctx, units, cur, { underOverhaul, overhaulNote: note }, { action: underOverhaul ? 'overhaul_set' : 'overhaul_lift' });
    return summary(ctx, cur.id);
  });
}

// ---------------------------------------------------------------------------------------------
// 主要负责人 and 整改责任交接

/** Record a unit's first principal leader (no handover: there is nobody to hand over from). */
export function setInitialLeader(ctx: ServiceContext, raw: unknown): LeaderView {
  requirePermission(ctx, 'ledger.write');
  const i = v.object(raw);
  const unit = requireRow(ctx, units, v.id(i.unitId, 'unitId', '被巡视单位'), '被巡视单位', 'unitId');
  const name = leaderName(i.name, 'name');
  const post = leaderPost(i.post, 'post');
  const fromDate = v.date(i.fromDate, 'fromDate', '任职日期');
  const existing = count(ctx, 'SELECT count(*) AS n FROM unit_leaders WHERE unit_id = ? AND deleted_at IS NULL', unit.id);
  if (existing > 0) throw conflict('该单位已登记主要负责人；负责人变动请办理整改责任交接。', 'has_leader');
  return inTransaction(ctx, () => {
    const l = insertRow(ctx, unitLeaders, { unitId: unit.id, name, post, fromDate, toDate: null });
    return { id: l.id, name, post, fromDate, toDate: null, current: true };
  });
}

/** Correct a leader's name or post (a typo); terms change only through a handover. */
export function updateLeader(ctx: ServiceContext, raw: unknown): LeaderView {
  requirePermission(ctx, 'ledger.write');
  const i = v.object(raw);
  const cur = requireRow(ctx, unitLeaders, v.id(i.id, 'id', '主要负责人'), '主要负责人');
  const patch: Partial<UnitLeader> = {};
  if (i.name !== undefined) patch.name = leaderName(i.name, 'name');
  if (i.post !== undefined) patch.post = leaderPost(i.post, 'post');
  return inTransaction(ctx, () => {
    const l = updateRow(ctx, unitLeaders, cur, patch);
    return { id: l.id, name: l.name, post: l.post, fromDate: l.fromDate, toDate: l.toDate, current: l.toDate === null };
  });
}

export interface HandoverResult {
  handover: HandoverView;
  fromLeader: LeaderView;
  toLeader: LeaderView;
}

/**
 * 整改责任交接: the principal leader changes on `date`. The outgoing leader's term ends that day,
 * the incoming leader's starts, and the handover records how many tasks were still open, so the
 * new "第一责任人" cannot later say the open work was not handed over. One transaction.
 */
export function handoverLeader(ctx: ServiceContext, raw: unknown): HandoverResult {
  requirePermission(ctx, 'ledger.write');
  const i = v.object(raw);
  const unit = requireRow(ctx, units, v.id(i.unitId, 'unitId', '被巡视单位'), '被巡视单位', 'unitId');
  const toName = leaderName(i.toName, 'toName');
  const toPost = leaderPost(i.toPost, 'toPost');
  const date = v.date(i.date, 'date', '交接日期');
  const notes = v.optText(i.notes, 'notes', { max: v.LEN.text, label: '交接说明' });
  const from = currentLeader(ctx, unit.id);
  if (!from) throw conflict('该单位尚未登记主要负责人，请先登记。', 'no_leader');
  if (date < from.fromDate) throw invalid('date', `交接日期不能早于现任负责人的任职日期（${from.fromDate}）。`, 'before_term');
  return inTransaction(ctx, () => {
    const closed = updateRow(ctx, unitLeaders, from, { toDate: date }, { action: 'term_end' });
    const to = insertRow(ctx, unitLeaders, { unitId: unit.id, name: toName, post: toPost, fromDate: date, toDate: null });
    const openTaskCount = count(ctx, OPEN_TASKS_SQL, unit.id);
    const h = insertRow(ctx, handovers, {
      unitId: unit.id, fromLeaderId: from.id, toLeaderId: to.id, handoverDate: date, openTaskCount, notes,
    });
    return {
      handover: {
        id: h.id, handoverDate: date, fromLeaderId: from.id, fromLeaderName: from.name,
        toLeaderId: to.id, toLeaderName: toName, openTaskCount, notes,
      },
      fromLeader: { id: from.id, name: from.name, post: from.post, fromDate: from.fromDate, toDate: closed.toDate, current: false },
      toLeader: { id: to.id, name: toName, post: toPost, fromDate: date, toDate: null, current: true },
    };
  });
}
