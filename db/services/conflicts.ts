/**
 * 冲突 and 提议修改 after exchange (EXCHANGE.md 4 and 5).
 * - A conflict: a field two offices changed without seeing each other's change. Every head is kept
 *   (field_conflicts); the record shows the head with the greatest stamp. 解决冲突 writes the chosen
 *   (or a new) value through the ordinary write path, whose clock then joins every head: the
 *   resolution travels like any change and ends the conflict everywhere.
 * - A proposal: a change received from an office whose kind does not own the field. 采纳 writes
 *   the value as this office's own change (only an owner office can: the proposal is here because
 *   this office owns the field); 不采纳 closes it. Both are audited.
 */
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { defineCall, defineQuery } from '../core/call.js';
import { decodeHlc } from '../core/hlc.js';
import { getRow, updateRow } from '../core/write.js';
import { conflict, forbidden, invalid, notFound } from '../domain/errors.js';
import * as f from '../domain/fields.js';
import { clockOf, readFieldClocks, TOMBSTONE } from '../exchange/field-clocks.js';
import { dominatedBy, join, stampOf, type Clock } from '../exchange/clocks.js';
import { ownKind } from '../exchange/local-ownership.js';
import { mayDelete, mayWrite } from '../exchange/ownership.js';
import { exchangeTables, validValue } from '../exchange/tables.js';
import { localLabel } from '../exchange/labels.js';
import { can } from '../core/permissions.js';
import { conflictsOfRecord, FLAGGED_TABLES, type RecordConflict } from '../queries/conflicted.js';

export interface HeadView {
  value: unknown;
  office: string;
  officeName: string | null;
  at: string;
  shown: boolean;
}

export interface ConflictView {
  entity: string;
  entityId: string;
  /** A few words naming the record (db/exchange/labels.ts), or null. */
  label: string | null;
  field: string;
  since: string;
  heads: HeadView[];
}

const officeName = (ctx: ServiceContext, id: string) => (ctx.ledger.prepare('SELECT name FROM offices WHERE id = ?').get(id) as { name: string } | undefined)?.name ?? null;

/** 冲突清单: every field in conflict, with each head's value, office and time (the shown one marked). */
export const listConflicts = defineQuery({ permission: 'ledger.read' }, (ctx): ConflictView[] => {
  const rows = ctx.ledger.prepare("SELECT entity, entity_id AS entityId, field, heads, since FROM field_conflicts WHERE entity NOT IN ('clues', 'clue_dispositions') ORDER BY since, entity_id, field").all() as
    { entity: string; entityId: string; field: string; heads: string; since: string }[];
  return rows.map((r) => {
    const heads = (JSON.parse(r.heads) as { v: unknown; c: string[] }[]).map((h) => ({ value: h.v, stamp: stampOf(h.c) }));
    const top = heads.reduce((a, b) => (b.stamp > a.stamp ? b : a));
    return {
      entity: r.entity, entityId: r.entityId, label: localLabel(ctx, r.entity, r.entityId), field: r.field, since: r.since,
      heads: heads.map((h) => {
        const d = decodeHlc(h.stamp);
        return { value: h.value, office: d.officeId, officeName: officeName(ctx, d.officeId), at: new Date(d.wall).toISOString(), shown: h === top };
      }),
    };
  });
});

/**
 * The 冲突 flag of one record's page: its open conflicts and those of its parts (a task's progress
 * entries…), field names and dates only; the values are on 数据交换 → 冲突与提议. A clue's need
 * clue.read, like the clue.
 */
export const conflictsOf = defineCall({
  permission: 'ledger.read',
  arg: f.args({ table: f.oneOf(FLAGGED_TABLES, '记录类型'), id: f.id('记录') }),
}, (ctx, a): RecordConflict[] => {
  if (a.table === 'clues' && !can(ctx.user, 'clue.read')) throw forbidden('没有查看问题线索的权限。', 'clue_read');
  return conflictsOfRecord(ctx, a.table, a.id);
});

/** 解决冲突: keep one head's value (or type a new one); the write joins every head and travels. */
export const resolveConflict = defineCall({
  permission: 'ledger.write',
  arg: f.args({ entityId: f.id('记录'), field: f.text('字段', 64), head: f.optInt('采用的版本', 0, 100), value: f.v.optional(f.v.unknown()) }),
}, (ctx, a) => inTransaction(ctx, () => {
  const row = ctx.ledger.prepare('SELECT entity, heads FROM field_conflicts WHERE entity_id = ? AND field = ?').get(a.entityId, a.field) as { entity: string; heads: string } | undefined;
  if (!row) throw notFound('冲突', `${a.entityId}/${a.field}`);
  if (row.entity === 'clues' || row.entity === 'clue_dispositions') throw invalid('entityId', '问题线索的冲突请在问题线索中处理。', 'clue');
  const t = exchangeTables().get(row.entity)!;
  const heads = JSON.parse(row.heads) as { v: unknown }[];
  const chosen = a.head !== undefined && a.head !== null ? heads[a.head] : undefined;
  if (a.head !== undefined && a.head !== null && !chosen) throw invalid('head', '所选版本不存在。');
  const value = chosen ? chosen.v : a.value;
  const cur = getRow(ctx, t.table, a.entityId)!;
  const patch: Record<string, unknown> = {};
  if (a.field === TOMBSTONE) {
    const d = value as { at: string; by: string | null; reason: string | null } | null;
    Object.assign(patch, { deletedAt: d?.at ?? null, deletedBy: d?.by ?? null, deletedReason: d?.reason ?? null });
  } else {
    const spec = t.byKey.get(a.field);
    if (!spec || !validValue(spec, value)) throw invalid('value', '所填的值不合规。');
    patch[a.field] = spec.kind === 'boolean' ? value === 1 : value;
  }
  // Even when the chosen value is the shown one, the resolution is written (and travels).
  updateRow(ctx, t.table, cur, patch, { action: 'conflict_resolved', touch: Object.keys(patch) });
  return { ok: true as const };
}));

export interface ProposalView {
  id: string;
  entity: string;
  entityId: string;
  /** A few words naming the record (db/exchange/labels.ts), or null. */
  label: string | null;
  field: string;
  current: unknown;
  proposed: unknown;
  office: string;
  officeName: string | null;
  at: string;
  /**
   * 'pending' while no write of the field has seen it; once one has (an owner accepted: the value
   * is the proposed one; or rejected: it is not), closed — the same on every ledger, since it is
   * read from the field's clock.
   */
  status: 'pending' | 'accepted' | 'rejected';
  /** Whether this office owns the field (only then can it accept or reject). */
  mine: boolean;
}

interface ProposalRow {
  id: string;
  entity: string;
  entity_id: string;
  field: string;
  value: string | null;
  clock: string;
  stamp: string;
  author_office_id: string;
  author_name: string | null;
}

/** What a field's writes have seen: its clock and every conflict head's. */
function fieldSeen(ctx: ServiceContext, entity: string, id: string, field: string): { seen: Clock; current: unknown } | null {
  const t = exchangeTables().get(entity);
  const raw = t ? ctx.ledger.prepare(`SELECT * FROM "${t.name}" WHERE id = ?`).get(id) as Record<string, unknown> | undefined : undefined;
  if (!t || !raw) return null;
  const fc = readFieldClocks(raw.field_clocks as string | null, raw.hlc as string);
  const conflict = ctx.ledger.prepare('SELECT heads FROM field_conflicts WHERE entity_id = ? AND field = ?').get(id, field) as { heads: string } | undefined;
  const heads = conflict ? (JSON.parse(conflict.heads) as { c: string[] }[]).map((h) => h.c) : [];
  const current = field === TOMBSTONE ? (raw.deleted_at ? { at: raw.deleted_at, by: raw.deleted_by ?? null, reason: raw.deleted_reason ?? null } : null)
    : raw[t.byKey.get(field)?.name ?? ''] ?? null;
  return { seen: join(clockOf(fc, field === TOMBSTONE ? 'deletedAt' : field), ...heads), current };
}

function viewOf(ctx: ServiceContext, r: ProposalRow): ProposalView {
  const f = fieldSeen(ctx, r.entity, r.entity_id, r.field);
  const proposed = JSON.parse(r.value ?? 'null') as unknown;
  const clock = JSON.parse(r.clock) as string[];
  const closed = !!f && dominatedBy(clock, f.seen);
  const kind = ownKind(ctx);
  return {
    id: r.id, entity: r.entity, entityId: r.entity_id, label: localLabel(ctx, r.entity, r.entity_id), field: r.field, current: f?.current ?? null, proposed,
    office: r.author_office_id, officeName: officeName(ctx, r.author_office_id) ?? r.author_name ?? null, at: new Date(decodeHlc(r.stamp).wall).toISOString(),
    status: !closed ? 'pending' : JSON.stringify(f.current) === JSON.stringify(proposed) ? 'accepted' : 'rejected',
    mine: !!kind && (r.field === TOMBSTONE ? mayDelete(kind, r.entity) : mayWrite(kind, r.entity, r.field)),
  };
}

/** 提议修改: changes of fields by offices that do not own them, open first. */
export const listProposals = defineQuery({ permission: 'ledger.read' }, (ctx): ProposalView[] => {
  const rows = ctx.ledger.prepare("SELECT * FROM proposals WHERE entity NOT IN ('clues', 'clue_dispositions') ORDER BY received_at DESC, id").all() as ProposalRow[];
  return rows.map((r) => viewOf(ctx, r)).sort((a, b) => (a.status === 'pending' ? 0 : 1) - (b.status === 'pending' ? 0 : 1));
});

function openProposal(ctx: ServiceContext, id: string): ProposalRow {
  const p = ctx.ledger.prepare('SELECT * FROM proposals WHERE id = ?').get(id) as ProposalRow | undefined;
  if (!p) throw notFound('提议修改', id);
  const v = viewOf(ctx, p);
  if (v.status !== 'pending') throw conflict('该提议已经处理。', 'not_pending');
  if (!v.mine) throw forbidden('该字段不由本单位负责，只能由负责的单位采纳或不采纳。', 'not_owner');
  return p;
}

/** Write the field (the proposed value, or the current one) having seen the proposal: it closes everywhere. */
function decide(ctx: ServiceContext, p: ProposalRow, value: unknown, action: string, note: string | null): void {
  const t = exchangeTables().get(p.entity)!;
  const cur = getRow(ctx, t.table, p.entity_id)!;
  const patch: Record<string, unknown> = {};
  if (p.field === TOMBSTONE) {
    const d = value as { at: string; by: string | null; reason: string | null } | null;
    Object.assign(patch, { deletedAt: d?.at ?? null, deletedBy: d?.by ?? null, deletedReason: d?.reason ?? null });
  } else {
    const spec = t.byKey.get(p.field)!;
    patch[p.field] = spec.kind === 'boolean' ? value === 1 || value === true : value;
  }
  updateRow(ctx, t.table, cur, patch, { action, touch: Object.keys(patch), seen: { [p.field]: [JSON.parse(p.clock) as string[]] } });
  ctx.ledger.prepare('UPDATE proposals SET status = ?, decided_by = ?, decided_at = ?, note = ? WHERE id = ?')
    .run(action === 'proposal_accepted' ? 'accepted' : 'rejected', ctx.user!.id, new Date(ctx.clock.now()).toISOString(), note, p.id);
}

/** 采纳: the proposed value becomes this office's own change of the field (audited, travels). */
export const acceptProposal = defineCall({ permission: 'ledger.write', arg: f.args({ id: f.id('提议'), note: f.optText('说明', f.LEN.short) }) }, (ctx, a) => inTransaction(ctx, () => {
  const p = openProposal(ctx, a.id);
  decide(ctx, p, JSON.parse(p.value ?? 'null') as unknown, 'proposal_accepted', a.note ?? null);
  return { ok: true as const };
}));

/** 不采纳: the field keeps its value, written again having seen the proposal (which then closes everywhere). */
export const rejectProposal = defineCall({ permission: 'ledger.write', arg: f.args({ id: f.id('提议'), note: f.text('不采纳的理由', f.LEN.short) }) }, (ctx, a) => inTransaction(ctx, () => {
  const p = openProposal(ctx, a.id);
  decide(ctx, p, fieldSeen(ctx, p.entity, p.entity_id, p.field)!.current, 'proposal_rejected', a.note);
  return { ok: true as const };
}));
