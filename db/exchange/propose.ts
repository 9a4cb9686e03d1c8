/**
 * A proposal made here (提议修改): a change of a field this office does not own, on another
 * office's record (db/exchange/local-ownership.ts). Stored like a received proposal, with this
 * office as author and a clock that has seen the field's current value (and every head of a
 * conflict), so an owner's later decision — accepting writes the value, rejecting keeps the old one,
 * both joining the proposal's clock — closes it everywhere (db/services/conflicts.ts).
 */
import type { ServiceContext } from '../core/context.js';
import { appendEvent } from '../core/audit.js';
import { encodeHlc, tickHlc } from '../core/hlc.js';
import { join } from './clocks.js';
import { clockKey, clockOf, readFieldClocks } from './field-clocks.js';

export function proposeHere(ctx: ServiceContext, table: string, row: Record<string, unknown>, values: Record<string, unknown>): void {
  const st = ctx.ledger.state;
  const fc = readFieldClocks((row.fieldClocks as string | null | undefined) ?? null, row.hlc as string);
  const heads = ctx.ledger.prepare('SELECT field, heads FROM field_conflicts WHERE entity_id = ?').all(row.id) as { field: string; heads: string }[];
  const office = officeName(ctx);
  // A delete or restore is one proposal of the tombstone field, as it merges (field-clocks.ts).
  const entries = Object.entries(values).filter(([k]) => clockKey(k) !== 'deleted');
  if (Object.keys(values).some((k) => clockKey(k) === 'deleted')) {
    const d = { ...row, ...values } as Record<string, unknown>;
    entries.push(['deleted', d.deletedAt ? { at: d.deletedAt, by: d.deletedBy ?? null, reason: d.deletedReason ?? null } : null]);
  }
  for (const [field, value] of entries) {
    st.hlc = tickHlc(st.hlc, ctx.clock.now());
    st.version += 1;
    const stampNow = encodeHlc(st.hlc, st.officeId!);
    const k = clockKey(field);
    const conflictClocks = heads.filter((h) => h.field === k).flatMap((h) => (JSON.parse(h.heads) as { c: string[] }[]).map((x) => x.c));
    const clock = join(clockOf(fc, field === 'deleted' ? 'deletedAt' : field), ...conflictClocks, [stampNow]);
    ctx.ledger.prepare(`INSERT INTO proposals (id, entity, entity_id, field, value, clock, stamp, author_office_id, author_name, package_id, received_at, status, version)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, 'pending', ?)`).run(
      ctx.ids.next(), table, row.id, field, JSON.stringify(value ?? null), JSON.stringify(clock), stampNow, st.officeId, office, new Date(ctx.clock.now()).toISOString(), st.version,
    );
    appendEvent(ctx, { action: 'proposal_made', entity: table, entityId: row.id as string, detail: { field, value: value ?? null } });
  }
}

function officeName(ctx: ServiceContext): string | null {
  return (ctx.ledger.prepare('SELECT name FROM offices WHERE id = ?').get(ctx.ledger.state.officeId) as { name: string } | undefined)?.name ?? null;
}
