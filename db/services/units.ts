import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { SECTORS } from '../domain/enums.js';
import { conflict, invalid } from '../domain/errors.js';
import { handovers, unitLeaders, units } from '../schema/index.js';
import { defineCall } from '../core/call.js';
import { count, defineLifecycle } from '../core/lifecycle.js';
import * as f from '../domain/fields.js';
import { getRow, insertRow, requireRow, updateRow, type Row } from '../core/write.js';
import { conflictedSql } from '../queries/conflicted.js';

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
  /** 冲突: a field of the unit, its leaders or handovers is in conflict after an exchange import. */
  conflicted: boolean;
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
  u.deleted_at AS deletedAt, u.deleted_reason AS deletedReason, ${conflictedSql('units', 'u.id')} AS conflicted`;
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

type RawSummary = Omit<UnitSummary, 'underOverhaul' | 'conflicted'> & { underOverhaul: number; conflicted: number };

function toSummary(r: RawSummary): UnitSummary {
  return { ...r, underOverhaul: r.underOverhaul === 1, conflicted: r.conflicted === 1 };
}

function summary(ctx: ServiceContext, id: string): UnitSummary {
  return toSummary(ctx.ledger.prepare(ONE_UNIT_SQL).get(id) as RawSummary);
}

function currentLeader(ctx: ServiceContext, unitId: string): UnitLeader | undefined {
  const r = ctx.ledger
    .prepare('SELECT id FROM unit_leaders WHERE unit_id = ? AND to_date IS NULL AND deleted_at IS NULL ORDER BY from_date DESC, id DESC LIMIT 1')
    .get(unitId) as { id: string } | undefined;
  return r ? getRow(ctx, unitLeaders, r.id) : undefined;
}

const unitName = f.text('单位名称', f.LEN.short);
const sectorField = f.oneOf(SECTORS.codes, '板块');
const leaderName = f.text('主要负责人姓名', f.LEN.name);
const leaderPost = f.text('职务', f.LEN.short);
const unitIdField = f.id('被巡视单位');

const BAD_CURSOR = '分页位置无效，请从第一页重新查询。';

/** The `nextAfter` of a previous page: JSON `[name, id]`. */
function decodeCursor(s: string): [string, string] | null {
  try {
    const c: unknown = JSON.parse(s);
    if (Array.isArray(c) && c.length === 2 && typeof c[0] === 'string' && typeof c[1] === 'string') return [c[0], c[1]];
  } catch {
    // not JSON
  }
  return null;
}

const cursorField = f.v.pipe(
  f.v.nullish(f.v.string(BAD_CURSOR), null),
  f.rule('bad_cursor', (s: string | null) => !s || decodeCursor(s) !== null, BAD_CURSOR),
  f.v.transform((s) => (s ? decodeCursor(s) : null)),
);

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

export const listUnits = defineCall({
  permission: 'ledger.read',
  arg: f.v.optional(f.args({
    roundId: f.optId('巡视轮次'),
    sector: f.optOneOf(SECTORS.codes, '板块'),
    q: f.optText('查询内容', f.LEN.name),
    limit: f.v.optional(f.int('每页条数', 1, 1000), 200),
    after: cursorField,
    includeDeleted: f.bool('包含已删除的记录'),
  }), {}),
}, (ctx, i): UnitPage => {
  const { roundId, sector, q, limit, after, includeDeleted } = i;
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
});

export const getUnit = defineCall({ permission: 'ledger.read', arg: f.args({ id: unitIdField }) }, (ctx, i): UnitDetail => {
  const u = requireRow(ctx, units, i.id, '被巡视单位');
  const leaders = (ctx.ledger.prepare(LEADERS_SQL).all(u.id) as Omit<LeaderView, 'current'>[])
    .map((l) => ({ ...l, current: l.toDate === null }));
  return {
    ...summary(ctx, u.id),
    leaders,
    handovers: ctx.ledger.prepare(HANDOVERS_SQL).all(u.id) as HandoverView[],
    inspections: ctx.ledger.prepare(UNIT_INSPECTIONS_SQL).all(u.id) as UnitInspectionView[],
  };
});

export const createUnit = defineCall({
  permission: 'ledger.write',
  arg: f.args({ name: unitName, sector: sectorField, parentUnitId: f.optId('上级单位') }),
}, (ctx, i): UnitSummary => {
  const { name, sector, parentUnitId } = i;
  if (parentUnitId) checkParent(ctx, parentUnitId, null);
  return inTransaction(ctx, () => {
    const u = insertRow(ctx, units, { name, sector, parentUnitId, underOverhaul: false, overhaulNote: null });
    return summary(ctx, u.id);
  });
});

export const updateUnit = defineCall({
  permission: 'ledger.write',
  arg: f.args({ id: unitIdField, name: f.patch(unitName), sector: f.patch(sectorField), parentUnitId: f.patch(f.optId('上级单位')) }),
}, (ctx, i): UnitSummary => {
  const cur = requireRow(ctx, units, i.id, '被巡视单位');
  const patch: Partial<Unit> = {};
  if (i.name !== undefined) patch.name = i.name;
  if (i.sector !== undefined) patch.sector = i.sector;
  if (i.parentUnitId !== undefined) {
    patch.parentUnitId = i.parentUnitId;
    if (patch.parentUnitId) checkParent(ctx, patch.parentUnitId, cur.id);
  }
  return inTransaction(ctx, () => {
    updateRow(ctx, units, cur, patch);
    return summary(ctx, cur.id);
  });
});

/** A unit with live problems, inspections or subordinate units is in use; it comes back only under a live parent. */
export const { remove: deleteUnit, restore: restoreUnit } = defineLifecycle({
  table: units,
  label: '被巡视单位',
  permission: 'ledger.write',
  beforeDelete(ctx, cur) {
    const problemCount = count(ctx, 'SELECT count(*) AS n FROM problems WHERE unit_id = ? AND deleted_at IS NULL', cur.id);
    if (problemCount > 0) throw conflict(`该单位还有${problemCount}个问题，不能删除。`, 'in_use');
    const inspectionCount = count(ctx, 'SELECT count(*) AS n FROM inspections WHERE unit_id = ? AND deleted_at IS NULL', cur.id);
    if (inspectionCount > 0) throw conflict(`该单位还在${inspectionCount}个巡视轮次中，请先从轮次中移除。`, 'in_use');
    const children = count(ctx, 'SELECT count(*) AS n FROM units WHERE parent_unit_id = ? AND deleted_at IS NULL', cur.id);
    if (children > 0) throw conflict(`该单位还有${children}个下级单位，不能删除。`, 'has_children');
  },
  beforeRestore(ctx, cur) {
    if (!cur.parentUnitId) return;
    const parent = getRow(ctx, units, cur.parentUnitId);
    if (!parent || parent.deletedAt) throw conflict('该单位的上级单位已被删除，请先恢复上级单位。', 'parent_deleted');
  },
  view: (ctx, row) => summary(ctx, row.id),
});

// ---------------------------------------------------------------------------------------------
// 整顿

/**
 * Put a unit under overhaul (整顿, "问题不解决不放手，成效不明显不收兵") or lift it. Setting it
 * needs a note saying why; lifting it may say why.
 */
export const setOverhaul = defineCall({
  permission: 'ledger.write',
  arg: f.args({
    unitId: unitIdField,
    underOverhaul: f.v.boolean((issue) => (issue.input == null ? '请选择是否列为整顿单位。' : '列为整顿单位应为是或否。')),
    note: f.optText('整顿说明', f.LEN.text),
  }),
}, (ctx, i): UnitSummary => {
  const cur = requireRow(ctx, units, i.unitId, '被巡视单位', 'unitId');
  const { underOverhaul, note } = i;
  if (underOverhaul && !note) throw invalid('note', '列为整顿单位时，请填写整顿说明。', 'required');
  return inTransaction(ctx, () => {
    updateRow(ctx, units, cur, { underOverhaul, overhaulNote: note }, { action: underOverhaul ? 'overhaul_set' : 'overhaul_lift' });
    return summary(ctx, cur.id);
  });
});

// ---------------------------------------------------------------------------------------------
// 主要负责人 and 整改责任交接

/** Record a unit's first principal leader (no handover: there is nobody to hand over from). */
export const setInitialLeader = defineCall({
  permission: 'ledger.write',
  arg: f.args({ unitId: unitIdField, name: leaderName, post: leaderPost, fromDate: f.date('任职日期') }),
}, (ctx, i): LeaderView => {
  const unit = requireRow(ctx, units, i.unitId, '被巡视单位', 'unitId');
  const { name, post, fromDate } = i;
  const existing = count(ctx, 'SELECT count(*) AS n FROM unit_leaders WHERE unit_id = ? AND deleted_at IS NULL', unit.id);
  if (existing > 0) throw conflict('该单位已登记主要负责人；负责人变动请办理整改责任交接。', 'has_leader');
  return inTransaction(ctx, () => {
    const l = insertRow(ctx, unitLeaders, { unitId: unit.id, name, post, fromDate, toDate: null });
    return { id: l.id, name, post, fromDate, toDate: null, current: true };
  });
});

/** Correct a leader's name or post (a typo); terms change only through a handover. */
export const updateLeader = defineCall({
  permission: 'ledger.write',
  arg: f.args({ id: f.id('主要负责人'), name: f.patch(leaderName), post: f.patch(leaderPost) }),
}, (ctx, i): LeaderView => {
  const cur = requireRow(ctx, unitLeaders, i.id, '主要负责人');
  const patch: Partial<UnitLeader> = {};
  if (i.name !== undefined) patch.name = i.name;
  if (i.post !== undefined) patch.post = i.post;
  return inTransaction(ctx, () => {
    const l = updateRow(ctx, unitLeaders, cur, patch);
    return { id: l.id, name: l.name, post: l.post, fromDate: l.fromDate, toDate: l.toDate, current: l.toDate === null };
  });
});

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
export const handoverLeader = defineCall({
  permission: 'ledger.write',
  arg: f.args({ unitId: unitIdField, toName: leaderName, toPost: leaderPost, date: f.date('交接日期'), notes: f.optText('交接说明', f.LEN.text) }),
}, (ctx, i): HandoverResult => {
  const unit = requireRow(ctx, units, i.unitId, '被巡视单位', 'unitId');
  const { toName, toPost, date, notes } = i;
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
});
