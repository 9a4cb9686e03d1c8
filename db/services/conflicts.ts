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
import { appendEvent } from '../core/audit.js';
import { defineCall, defineQuery } from '../core/call.js';
import { decodeHlc } from '../core/hlc.js';
import { getRow, updateRow } from '../core/write.js';
import { conflict, invalid, notFound } from '../domain/errors.js';
import * as f from '../domain/fields.js';
import { TOMBSTONE } from '../exchange/field-clocks.js';
import { exchangeTables, validValue } from '../exchange/tables.js';

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
  field: string;
  since: string;
  heads: HeadView[];
}

const officeName = (ctx: ServiceContext, id: string) => (ctx.ledger.prepare('SELECT name FROM offices WHERE id = ?').get(id) as { name: string } | undefined)?.name ?? null;
const maxStamp = (c: readonly string[]) => c.reduce((a, b) => (b > a ? b : a), '');

/** 冲突清单: every field in conflict, with each head's value, office and time (the shown one marked). */
export const listConflicts = defineQuery({ permission: 'ledger.read' }, (ctx): ConflictView[] => {
  const rows = ctx.ledger.prepare("SELECT entity, entity_id AS entityId, field, heads, since FROM field_conflicts WHERE entity NOT IN ('clues', 'clue_dispositions') ORDER BY since, entity_id, field").all() as
    { entity: string; entityId: string; field: string; heads: string; since: string }[];
  return rows.map((r) => {
    const heads = (JSON.parse(r.heads) as { v: unknown; c: string[] }[]).map((h) => ({ value: h.v, stamp: maxStamp(h.c) }));
    const top = heads.reduce((a, b) => (b.stamp > a.stamp ? b : a));
    return {
      entity: r.entity, entityId: r.entityId, field: r.field, since: r.since,
      heads: heads.map((h) => {
        const d = decodeHlc(h.stamp);
        return { value: h.value, office: d.officeId, officeName: officeName(ctx, d.officeId), at: new Date(d.wall).toISOString(), shown: h === top };
      }),
    };
  });
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
  field: string;
  current: unknown;
  proposed: unknown;
  office: string;
  officeName: string | null;
  at: string;
  status: 'pending' | 'accepted' | 'rejected';
}

/** 提议修改: received changes of fields this office owns, from offices that do not. */
export const listProposals = defineQuery({ permission: 'ledger.read' }, (ctx): ProposalView[] => {
  const rows = ctx.ledger.prepare("SELECT * FROM proposals WHERE entity NOT IN ('clues', 'clue_dispositions') ORDER BY received_at DESC, id").all() as Record<string, string>[];
  return rows.map((r) => {
    const t = exchangeTables().get(r.entity!);
    const col = t?.byKey.get(r.field!);
    const cur = col ? (ctx.ledger.prepare(`SELECT "${col.name}" AS v FROM "${t!.name}" WHERE id = ?`).get(r.entity_id) as { v: unknown } | undefined)?.v ?? null : null;
    return {
      id: r.id!, entity: r.entity!, entityId: r.entity_id!, field: r.field!, current: cur, proposed: JSON.parse(r.value ?? 'null') as unknown,
      office: r.author_office_id!, officeName: officeName(ctx, r.author_office_id!) ?? r.author_name ?? null, at: new Date(decodeHlc(r.stamp!).wall).toISOString(), status: r.status as ProposalView['status'],
    };
  });
});

function pending(ctx: ServiceContext, id: string) {
  const p = ctx.ledger.prepare('SELECT * FROM proposals WHERE id = ?').get(id) as Record<string, string> | undefined;
  if (!p) throw notFound('提议修改', id);
  if (p.status !== 'pending') throw conflict('该提议已经处理。', 'not_pending');
  return p;
}

/** 采纳: the proposed value becomes this office's own change of the field (audited, travels). */
export const acceptProposal = defineCall({ permission: 'ledger.write', arg: f.args({ id: f.id('提议'), note: f.optText('说明', f.LEN.short) }) }, (ctx, a) => inTransaction(ctx, () => {
  const p = pending(ctx, a.id);
  const t = exchangeTables().get(p.entity!)!;
  const spec = t.byKey.get(p.field!)!;
  const value = JSON.parse(p.value ?? 'null') as unknown;
  updateRow(ctx, t.table, getRow(ctx, t.table, p.entity_id!)!, { [p.field!]: spec.kind === 'boolean' ? value === 1 : value }, { action: 'proposal_accepted' });
  ctx.ledger.prepare("UPDATE proposals SET status = 'accepted', decided_by = ?, decided_at = ?, note = ? WHERE id = ?").run(ctx.user!.id, new Date(ctx.clock.now()).toISOString(), a.note ?? null, a.id);
  return { ok: true as const };
}));

/** 不采纳: the proposal is closed; the field keeps this office's value. */
export const rejectProposal = defineCall({ permission: 'ledger.write', arg: f.args({ id: f.id('提议'), note: f.text('不采纳的理由', f.LEN.short) }) }, (ctx, a) => inTransaction(ctx, () => {
  const p = pending(ctx, a.id);
  ctx.ledger.prepare("UPDATE proposals SET status = 'rejected', decided_by = ?, decided_at = ?, note = ? WHERE id = ?").run(ctx.user!.id, new Date(ctx.clock.now()).toISOString(), a.note, a.id);
  appendEvent(ctx, { action: 'proposal_rejected', entity: p.entity!, entityId: p.entity_id!, detail: { field: p.field, note: a.note } });
  return { ok: true as const };
}));
