/**
 * The per-field clocks a record carries (its `field_clocks` column, db/schema/common.ts), kept by
 * the write path on every local change and merged by exchange (db/exchange/clocks.ts).
 * Stored compactly: `_` is the clock of every field not listed (a record never changed since its
 * creation stores nothing: all its fields have the creation stamp, its `hlc`); a field gets its
 * own entry the first time it changes. The three tombstone columns are one field, `deleted`: a
 * delete or restore travels and merges as one change.
 */
import { join, normalise, type Clock } from './clocks.js';

export const BASE = '_';
export const TOMBSTONE = 'deleted';
const TOMBSTONE_KEYS: ReadonlySet<string> = new Set(['deletedAt', 'deletedBy', 'deletedReason']);

export type FieldClocks = Readonly<Record<string, Clock>>;

/** The clocks of a record from its stored column and its `hlc` (its creation stamp while null). */
export function readFieldClocks(json: string | null, hlc: string): FieldClocks {
  if (json === null) return { [BASE]: [hlc] };
  return JSON.parse(json) as FieldClocks;
}

/** The clock key of a column (TS key): the tombstone columns share one. */
export function clockKey(column: string): string {
  return TOMBSTONE_KEYS.has(column) ? TOMBSTONE : column;
}

export function clockOf(fc: FieldClocks, column: string): Clock {
  const k = clockKey(column);
  return Object.hasOwn(fc, k) ? fc[k]! : fc[BASE]!;
}

/**
 * After a local write stamped `stamp` changed `columns` (TS keys): each changed field's clock is
 * its old clock joined with the new stamp, so it dominates what the writer saw. Returns the JSON
 * to store. (A field in conflict joins all its heads when resolved: db/exchange/apply.)
 */
export function afterLocalWrite(
  json: string | null, hlc: string, columns: readonly string[], stamp: string, conflictHeads: ReadonlyMap<string, readonly Clock[]> = new Map(),
): string {
  const fc: Record<string, Clock> = { ...readFieldClocks(json, hlc) };
  for (const c of columns) {
    const k = clockKey(c);
    // A write to a field in conflict resolves it: its clock joins every head, so it dominates them all.
    fc[k] = join(clockOf(fc, k === TOMBSTONE ? 'deletedAt' : c), ...(conflictHeads.get(k) ?? []), [stamp]);
  }
  return JSON.stringify(fc);
}

/** A clock as stored (normal form), for comparisons in tests and the apply step. */
export { normalise };
