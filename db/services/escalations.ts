import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { ESCALATION_LEVELS, type EscalationLevel } from '../domain/enums.js';
import { conflict, invalid } from '../domain/errors.js';
import { requirePermission } from '../core/permissions.js';
import { escalationNotices, tasks, units } from '../schema/index.js';
import * as v from '../core/validate.js';
import { insertRow, requireRow, restoreRow, softDelete, updateRow, type Row } from '../core/write.js';
import { deletedRow, deleteReason, eqIf, listArgs, page, rowForRead, type ListResult } from './supervision-common.js';

/**
 * Escalation ladder for laggards (DOMAIN.md): 通知书 → 提醒书 → 告诫书 → 问责, against a unit or
 * one of its tasks. A step needs a live notice one level down for the same target, issued on or
 * before it: no 告诫书 without a 提醒书 first. The 'accountability' level only records that the
 * ladder reached 问责; the accountability decision itself is an accountability record.
 */
export type Notice = Row<typeof escalationNotices>;

export const LADDER: readonly EscalationLevel[] = ESCALATION_LEVELS.codes;
const L = ESCALATION_LEVELS.labels;
const TARGET_TYPES = ['unit', 'task'] as const;
type TargetType = (typeof TARGET_TYPES)[number];

const read = {
  issuedOn: (x: unknown) => v.date(x, 'issuedOn', '下发日期'),
  docNumber: (x: unknown) => v.optText(x, 'docNumber', { max: v.LEN.name, label: '文号' }),
  reason: (x: unknown) => v.text(x, 'reason', { max: v.LEN.text, label: '事由' }),
};

type Step = Pick<Notice, 'id' | 'level' | 'issuedOn'>;

function liveFor(ctx: ServiceContext, targetType: TargetType, targetId: string): Notice[] {
  const n = escalationNotices;
  return ctx.ledger.orm.select().from(n)
    .where(and(eq(n.targetType, targetType), eq(n.targetId, targetId), isNull(n.deletedAt)))
    .orderBy(asc(n.issuedOn), asc(n.id)).all();
}

/**
 * Check the ladder on a target's live notices as they would be after the change. A fault of the
 * notice being written (`candidateId`) is its own: no lower step at all → CONFLICT 'ladder'; a
 * lower step only after it → VALIDATION on issuedOn. A change that would strand a higher step
 * (deleting or re-dating the step it rests on) → CONFLICT 'ladder'.
 */
function checkLadder(after: Step[], candidateId: string | null): void {
  for (const s of after) {
    const k = LADDER.indexOf(s.level);
    if (k === 0) continue;
    const below = LADDER[k - 1]!;
    const lower = after.filter((x) => x.level === below);
    if (lower.some((x) => x.issuedOn <= s.issuedOn)) continue;
    const own = s.id === candidateId;
    if (own && lower.length > 0) {
      throw invalid('issuedOn', `${L[s.level]}的下发日期不能早于${L[below]}（${lower[0]!.issuedOn}）。`, 'before_previous_level');
    }
    throw conflict(
      own ? `须先下发${L[below]}，才能下发${L[s.level]}。` : `已下发的${L[s.level]}（${s.issuedOn}）以该${L[below]}为前提，不能这样修改或删除。`,
      'ladder',
    );
  }
}

/** Resolve the target: a unit, or a task (whose unit the notice is filed under). */
function target(ctx: ServiceContext, i: v.Input): { targetType: TargetType; targetId: string; unitId: string } {
  const targetType = v.oneOf(i.targetType, 'targetType', TARGET_TYPES, '督促对象类型');
  const given = v.optId(i.unitId, 'unitId', '被巡视单位');
  if (targetType === 'unit') {
    const raw = i.targetId ?? i.unitId;
    const u = requireRow(ctx, units, v.id(raw, 'targetId', '被巡视单位'), '被巡视单位', 'targetId');
    if (given !== null && given !== u.id) throw invalid('unitId', '被巡视单位与督促对象不一致。', 'mismatch');
    return { targetType, targetId: u.id, unitId: u.id };
  }
  const t = requireRow(ctx, tasks, v.id(i.targetId, 'targetId', '整改任务'), '整改任务', 'targetId');
  if (given !== null && given !== t.unitId) throw invalid('unitId', '该整改任务不属于所选被巡视单位。', 'mismatch');
  return { targetType, targetId: t.id, unitId: t.unitId };
}

/** {targetType, targetId, unitId?, level, issuedOn, docNumber?, reason}. */
export function issueEscalation(ctx: ServiceContext, raw: unknown): Notice {
  requirePermission(ctx, 'rating.write');
  const i = v.object(raw);
  const tg = target(ctx, i);
  const level = v.oneOf(i.level, 'level', LADDER, '督促层级');
  const values = { ...tg, level, issuedOn: read.issuedOn(i.issuedOn), docNumber: read.docNumber(i.docNumber), reason: read.reason(i.reason) };
  checkLadder([...liveFor(ctx, tg.targetType, tg.targetId), { id: '', level, issuedOn: values.issuedOn }], '');
  return inTransaction(ctx, () => insertRow(ctx, escalationNotices, values));
}

/** {id, issuedOn?, docNumber?, reason?}: level and target are fixed. */
export function updateEscalation(ctx: ServiceContext, raw: unknown): Notice {
  requirePermission(ctx, 'rating.write');
  const i = v.object(raw);
  const cur = requireRow(ctx, escalationNotices, v.id(i.id, 'id', '督促文书'), '督促文书');
  for (const k of ['level', 'targetType', 'targetId', 'unitId'] as const) {
    if (i[k] !== undefined && i[k] !== cur[k]) throw invalid(k, '督促层级和对象不能修改；如有误，请删除后重新下发。', 'immutable');
  }
  const patch: Partial<Notice> = {};
  for (const k of ['issuedOn', 'docNumber', 'reason'] as const) {
    if (i[k] !== undefined) (patch as Record<string, unknown>)[k] = read[k](i[k]);
  }
  const next = { ...cur, ...patch };
  checkLadder(liveFor(ctx, cur.targetType, cur.targetId).map((n) => (n.id === cur.id ? next : n)), cur.id);
  return inTransaction(ctx, () => updateRow(ctx, escalationNotices, cur, patch));
}

/** Filters: unitId, targetType, targetId, level; ordered by date, then ladder level. */
export function listEscalations(ctx: ServiceContext, raw: unknown = {}): ListResult<Notice> {
  requirePermission(ctx, 'ledger.read');
  const i = v.object(raw);
  const n = escalationNotices;
  const unitId = v.optId(i.unitId, 'unitId', '被巡视单位');
  const targetType = v.optOneOf(i.targetType, 'targetType', TARGET_TYPES, '督促对象类型');
  const targetId = v.optId(i.targetId, 'targetId', '督促对象');
  const level = v.optOneOf(i.level, 'level', LADDER, '督促层级');
  // Same-day steps read in ladder order (a 通知书 and a 提醒书 issued the same day).
  const rank = sql`CASE ${n.level} ${sql.join(LADDER.map((l, k) => sql`WHEN ${l} THEN ${k}`), sql` `)} END`;
  return page(ctx, n, [eqIf(n.unitId, unitId), eqIf(n.targetType, targetType), eqIf(n.targetId, targetId), eqIf(n.level, level)],
    [asc(n.issuedOn), asc(rank), asc(n.id)], listArgs(i));
}

export function getEscalation(ctx: ServiceContext, raw: unknown): Notice {
  requirePermission(ctx, 'ledger.read');
  const i = v.object(raw);
  const incl = v.bool(i.includeDeleted, 'includeDeleted', '包含已删除记录');
  return rowForRead(ctx, escalationNotices, v.id(i.id, 'id', '督促文书'), '督促文书', incl);
}

/** Where a target stands on the ladder: its live notices, the highest level reached and the next one. */
export function getEscalationLadder(ctx: ServiceContext, raw: unknown): {
  notices: Notice[]; highest: EscalationLevel | null; next: EscalationLevel | null;
} {
  requirePermission(ctx, 'ledger.read');
  const i = v.object(raw);
  const targetType = v.oneOf(i.targetType, 'targetType', TARGET_TYPES, '督促对象类型');
  const targetId = v.id(i.targetId, 'targetId', '督促对象');
  const notices = liveFor(ctx, targetType, targetId);
  const top = notices.reduce((m, x) => Math.max(m, LADDER.indexOf(x.level)), -1);
  return { notices, highest: top < 0 ? null : LADDER[top]!, next: LADDER[top + 1] ?? null };
}

/** A step a higher live step rests on cannot be withdrawn (CONFLICT 'ladder'). */
export function deleteEscalation(ctx: ServiceContext, raw: unknown): Notice {
  requirePermission(ctx, 'rating.write');
  const i = v.object(raw);
  const cur = requireRow(ctx, escalationNotices, v.id(i.id, 'id', '督促文书'), '督促文书');
  const reason = deleteReason(i);
  checkLadder(liveFor(ctx, cur.targetType, cur.targetId).filter((n) => n.id !== cur.id), cur.id);
  return inTransaction(ctx, () => softDelete(ctx, escalationNotices, cur, reason));
}

export function restoreEscalation(ctx: ServiceContext, raw: unknown): Notice {
  requirePermission(ctx, 'rating.write');
  const i = v.object(raw);
  const cur = deletedRow(ctx, escalationNotices, v.id(i.id, 'id', '督促文书'), '督促文书');
  checkLadder([...liveFor(ctx, cur.targetType, cur.targetId), cur], cur.id);
  return inTransaction(ctx, () => restoreRow(ctx, escalationNotices, cur));
}
