import { integer, text } from 'drizzle-orm/sqlite-core';

/**
 * Columns every replicated record carries (EXCHANGE.md invariants 1, 2 and 6):
 * - `id`: UUIDv7 minted by the office that created the record; never reused, never matched by name.
 * - `originOfficeId`: that office.
 * - `version`: this ledger's monotonic change counter at the last write (one counter for the whole
 *   ledger, so "everything changed since N" is a single indexed range scan per table).
 * - `hlc`: hybrid logical clock stamp of the last write, comparable across offices.
 * - deletion is a tombstone (`deletedAt` + reason + author), never a DELETE.
 * - `fieldClocks`: the per-field clocks exchange merges by (db/exchange/field-clocks.ts): JSON
 *   { "_": clock of every field not listed, "<field>": its clock, … }; null until the record's
 *   first change, meaning every field still has the clock of its creation ([hlc]).
 */
export function syncColumns() {
  return {
    id: text('id').primaryKey(),
    originOfficeId: text('origin_office_id').notNull(),
    createdAt: text('created_at').notNull(),
    createdBy: text('created_by'),
    updatedAt: text('updated_at').notNull(),
    updatedBy: text('updated_by'),
    version: integer('version').notNull(),
    hlc: text('hlc').notNull(),
    deletedAt: text('deleted_at'),
    deletedBy: text('deleted_by'),
    deletedReason: text('deleted_reason'),
    fieldClocks: text('field_clocks'),
  };
}

/** The column keys the write layer fills in itself; services never pass them. */
export const SYNC_KEYS = [
  'id',
  'originOfficeId',
  'createdAt',
  'createdBy',
  'updatedAt',
  'updatedBy',
  'version',
  'hlc',
  'deletedAt',
  'deletedBy',
  'deletedReason',
  'fieldClocks',
] as const;
export type SyncKey = (typeof SYNC_KEYS)[number];

/** Calendar dates are stored as 'YYYY-MM-DD' text: local dates, no time zone drift (DOMAIN.md). */
export const dateCol = (name: string) => text(name);
/** Booleans are 0/1 integers. */
export const flag = (name: string) => integer(name, { mode: 'boolean' });
