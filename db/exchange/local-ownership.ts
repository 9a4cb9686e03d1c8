/**
 * Local writes and ownership (EXCHANGE.md 4). An office changes the fields it owns as before. A
 * change of a field it does not own, on a record that came from another office, is not applied
 * here either: it becomes a proposal (提议修改), stored like a received one and sent with the
 * record, for an owner to accept or reject — so every ledger, the proposer's included, ends with
 * the same value and the same proposal (EXCHANGE.md 3). Records this office created, and the
 * seeded reference data every ledger has, are its own to change as before (a ledger used without
 * exchange works as it always did).
 */
import type { ServiceContext } from '../core/context.js';
import type { Ledger } from '../core/open.js';
import type { OfficeKind } from '../domain/enums.js';
import { SEED_OFFICE } from '../services/reference-data.js';
import { isExchanged, mayDelete, mayWrite, ownerOf } from './ownership.js';

const kinds = new WeakMap<Ledger, OfficeKind | null>();

export function ownKind(ctx: ServiceContext): OfficeKind | null {
  if (!kinds.has(ctx.ledger)) {
    const r = ctx.ledger.state.officeId ? ctx.ledger.prepare('SELECT kind FROM offices WHERE id = ?').get(ctx.ledger.state.officeId) as { kind: OfficeKind } | undefined : undefined;
    if (!r) return null;
    kinds.set(ctx.ledger, r.kind);
  }
  return kinds.get(ctx.ledger) ?? null;
}

const TOMBSTONE = new Set(['deletedAt', 'deletedBy', 'deletedReason']);

/**
 * Of the changed fields (TS keys) of a record, those this office may not write here: owned by
 * other office kinds, on a record from another office. Empty for local tables and own records.
 */
export function notOwnedHere(ctx: ServiceContext, table: string, row: Record<string, unknown>, keys: readonly string[]): string[] {
  if (!isExchanged(table)) return [];
  const origin = row.originOfficeId as string | undefined;
  if (!origin || origin === ctx.ledger.state.officeId || origin === SEED_OFFICE) return [];
  const kind = ownKind(ctx);
  if (!kind) return [];
  return keys.filter((k) => {
    if (TOMBSTONE.has(k)) return !mayDelete(kind, table, row);
    const o = ownerOf(table, k, row);
    return o.type === 'owned' && !mayWrite(kind, table, k, row);
  });
}
