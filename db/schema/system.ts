import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { dateCol, syncColumns } from './common.js';

/** Ledger-wide settings and identity: this ledger's own office, settings JSON. */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * Official holiday calendar with 调休 make-up working days, as editable data.
 * kind = 'holiday' (a weekday off) or 'workday' (a weekend day worked).
 */
export const calendarDays = sqliteTable('calendar_days', {
  ...syncColumns(),
  day: dateCol('day').notNull(),
  kind: text('kind', { enum: ['holiday', 'workday'] }).notNull(),
  name: text('name').notNull(),
}, (t) => [uniqueIndex('calendar_days_day_uq').on(t.day)]);

/**
 * Append-only audit trail. Each row carries the hash of the previous row, so editing or deleting
 * any row breaks the chain at a place `verifyAudit` names; the chain's head is anchored in the key
 * file (db/core/anchor.ts). `version` is the ledger change counter.
 */
export const auditLog = sqliteTable('audit_log', {
  seq: integer('seq').primaryKey(),
  version: integer('version').notNull(),
  at: text('at').notNull(),
  hlc: text('hlc').notNull(),
  officeId: text('office_id').notNull(),
  userId: text('user_id'),
  action: text('action').notNull(),
  entity: text('entity').notNull(),
  entityId: text('entity_id').notNull(),
  before: text('before'),
  after: text('after'),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
  /**
   * SHA-256 of the record's full stored row right after the change this entry describes
   * (db/core/write.ts rowHash; null for events and for entries written before it existed). Lets
   * db/core/verify.ts tell a record changed outside the app from its last audited state. Part of
   * the entry's own hash when not null.
   */
  rowHash: text('row_hash'),
}, (t) => [index('audit_log_entity_idx').on(t.entityId)]);

/** Saved list filters per user (UI convenience, local only). */
export const savedFilters = sqliteTable('saved_filters', {
  ...syncColumns(),
  userId: text('user_id').notNull(),
  list: text('list').notNull(),
  name: text('name').notNull(),
  filter: text('filter').notNull(),
});

/**
 * 轮次归档 (db/archive): one row per archive file made of a finished round. An archive is its own
 * encrypted ledger file with its own recovery key; this row is how the working ledger knows it made
 * it: a purge needs a row of the round with the file's SHA-256, and refuses when the round's records
 * no longer hash to `scopeDigest` (changed after archiving). Local to this ledger (not exchanged).
 */
export const roundArchives = sqliteTable('round_archives', {
  ...syncColumns(),
  /** No reference: the round itself is purged. */
  roundId: text('round_id').notNull(),
  roundName: text('round_name').notNull(),
  /** The archive file's own id (the `ledgerId` of its key file and its meta `ledger_id`). */
  archiveFileId: text('archive_file_id').notNull(),
  filePath: text('file_path').notNull(),
  fileName: text('file_name').notNull(),
  /** SHA-256 of the archive file as written (hex). */
  sha256: text('sha256').notNull(),
  /** SHA-256 over the round's records as archived (db/archive/scope.ts scopeDigest). */
  scopeDigest: text('scope_digest').notNull(),
  /** JSON: records archived per table. */
  counts: text('counts').notNull(),
  status: text('status', { enum: ['archived', 'purged', 'restored'] }).notNull(),
  purgedAt: text('purged_at'),
  purgedBy: text('purged_by'),
  /** SHA-256 over the purged records' "table/id" lines (purged_records), sorted. */
  purgeDigest: text('purge_digest'),
  restoredAt: text('restored_at'),
  restoredBy: text('restored_by'),
}, (t) => [index('round_archives_round_idx').on(t.roundId), index('round_archives_sha_idx').on(t.sha256)]);

/**
 * Records removed physically by a purge (db/archive/purge.ts): their audit rows stay in audit_log,
 * so this is what tells db/core/verify.ts that an audited record is gone on purpose. Rows leave
 * again when the archive is restored. Tamper-evident through round_archives.purge_digest.
 */
export const purgedRecords = sqliteTable('purged_records', {
  /** Record ids are UUIDv7, unique across tables. */
  entityId: text('entity_id').primaryKey(),
  entity: text('entity').notNull(),
  archiveId: text('archive_id').notNull().references(() => roundArchives.id),
}, (t) => [index('purged_records_archive_idx').on(t.archiveId)]);
