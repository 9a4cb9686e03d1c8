import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { defineCall } from '../core/call.js';
import { defineLifecycle } from '../core/lifecycle.js';
import { ESCALATION_LEVELS, type EscalationLevel } from '../domain/enums.js';
import { conflict, invalid } from '../domain/errors.js';
import * as f from '../domain/fields.js';
import { escalationNotices, tasks, units } from '../schema/index.js';
import { insertRow, requireRow, updateRow, type Row } from '../core/write.js';
import { eqIf, listFields, page, readArg, rowForRead, type ListResult } from './supervision-common.js';

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

const fields = {
  issuedOn: f.date('下发日期'),
  docNumber: f.optText('文号', f.LEN.name),
  reason: f.text('事由', f.LEN.text),
};
const targetTypeField = f.oneOf(TARGET_TYPES, '督促对象类型');
const levelField = f.oneOf(ESCALATION_LEVELS.codes, '督促层级');

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

interface TargetArg { targetType: TargetType; targetId: string | null; unitId: string | null }

/** Resolve the target: a unit, or a task (whose unit the notice is filed under). */
function target(ctx: ServiceContext, a: TargetArg): { targetType: TargetType; targetId: string; unitId: string } {
  const { targetType, unitId: given } = a;
  if (targetType === 'unit') {
    const id = a.targetId ?? given;
    if (id === null) throw invalid('targetId', '请选择被巡视单位。', 'required');
    const u = requireRow(ctx, units, id, '被巡视单位', 'targetId');
    if (given !== null && given !== u.id) throw invalid('unitId', '被巡视单位与督促对象不一致。', 'mismatch');
    return { targetType, targetId: u.id, unitId: u.id };
  }
  if (a.targetId === null) throw invalid('targetId', '请选择整改任务。', 'required');
  const t = requireRow(ctx, tasks, a.targetId, '整改任务', 'targetId');
  if (given !== null && given !== t.unitId) throw invalid('unitId', '该整改任务不属于所选被巡视单位。', 'mismatch');
  return { targetType, targetId: t.id, unitId: t.unitId };
}

/** {targetType, targetId, unitId?, level, issuedOn, docNumber?, reason}. */
export const issueEscalation = defineCall({
  permission: 'rating.write',
  arg: f.args({ targetType: targetTypeField, targetId: f.optId('督促对象'), unitId: f.optId('被巡视单位'), level: levelField, ...fields }),
}, (ctx, a): Notice => {
  const tg = target(ctx, a);
  const { level, issuedOn, docNumber, reason } = a;
  const values = { ...tg, level, issuedOn, docNumber, reason };
  checkLadder([...liveFor(ctx, tg.targetType, tg.targetId), { id: '', level, issuedOn }], '');
  return inTransaction(ctx, () => insertRow(ctx, escalationNotices, values));
});

/** {id, issuedOn?, docNumber?, reason?}: level and target are fixed. */
export const updateEscalation = defineCall({
  permission: 'rating.write',
  arg: f.args({
    id: f.id('督促文书'),
    level: f.patch(levelField),
    targetType: f.patch(targetTypeField),
    targetId: f.patch(f.id('督促对象')),
    unitId: f.patch(f.id('被巡视单位')),
    issuedOn: f.patch(fields.issuedOn),
    docNumber: f.patch(fields.docNumber),
    reason: f.patch(fields.reason),
  }),
}, (ctx, a): Notice => {
  const cur = requireRow(ctx, escalationNotices, a.id, '督促文书');
  for (const k of ['level', 'targetType', 'targetId', 'unitId'] as const) {
    if (a[k] !== undefined && a[k] !== cur[k]) throw invalid(k, '督促层级和对象不能修改；如有误，请删除后重新下发。', 'immutable');
  }
  const patch: Partial<Notice> = {};
  for (const k of ['issuedOn', 'docNumber', 'reason'] as const) {
    if (a[k] !== undefined) (patch as Record<string, unknown>)[k] = a[k];
  }
  const next = { ...cur, ...patch };
  checkLadder(liveFor(ctx, cur.targetType, cur.targetId).map((n) => (n.id === cur.id ? next : n)), cur.id);
  return inTransaction(ctx, () => updateRow(ctx, escalationNotices, cur, patch));
});

/** Filters: unitId, targetType, targetId, level; ordered by date, then ladder level. */
export const listEscalations = defineCall({
  permission: 'ledger.read',
  arg: f.args({
    unitId: f.optId('被巡视单位'),
    targetType: f.optOneOf(TARGET_TYPES, '督促对象类型'),
    targetId: f.optId('督促对象'),
    level: f.optOneOf(ESCALATION_LEVELS.codes, '督促层级'),
    ...listFields,
  }),
}, (ctx, a): ListResult<Notice> => {
  const n = escalationNotices;
  // Same-day steps read in ladder order (a 通知书 and a 提醒书 issued the same day).
  const rank = sql`CASE ${n.level} ${sql.join(LADDER.map((l, k) => sql`WHEN ${l} THEN ${k}`), sql` `)} END`;
  return page(ctx, n, [eqIf(n.unitId, a.unitId), eqIf(n.targetType, a.targetType), eqIf(n.targetId, a.targetId), eqIf(n.level, a.level)],
    [asc(n.issuedOn), asc(rank), asc(n.id)], a);
});

export const getEscalation = defineCall({ permission: 'ledger.read', arg: readArg('督促文书') }, (ctx, a): Notice =>
  rowForRead(ctx, escalationNotices, a.id, '督促文书', a.includeDeleted));

/** Where a target stands on the ladder: its live notices, the highest level reached and the next one. */
export const getEscalationLadder = defineCall({
  permission: 'ledger.read',
  arg: f.args({ targetType: targetTypeField, targetId: f.id('督促对象') }),
}, (ctx, a): { notices: Notice[]; highest: EscalationLevel | null; next: EscalationLevel | null } => {
  const notices = liveFor(ctx, a.targetType, a.targetId);
  const top = notices.reduce((m, x) => Math.max(m, LADDER.indexOf(x.level)), -1);
  return { notices, highest: top < 0 ? null : LADDER[top]!, next: LADDER[top + 1] ?? null };
});

/** A step a higher live step rests on cannot be withdrawn (CONFLICT 'ladder'); a restore needs its lower step. */
export const { remove: deleteEscalation, restore: restoreEscalation } = defineLifecycle({
  table: escalationNotices,
  label: '督促文书',
  permission: 'rating.write',
  strictRestore: true,
  beforeDelete(ctx, cur) {
    checkLadder(liveFor(ctx, cur.targetType, cur.targetId).filter((n) => n.id !== cur.id), cur.id);
  },
  beforeRestore(ctx, cur) {
    checkLadder([...liveFor(ctx, cur.targetType, cur.targetId), cur], cur.id);
  },
});
