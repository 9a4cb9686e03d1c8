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
 * any row breaks the chain at a place `verifyAudit` names. `version` is the ledger change counter.
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
}, (t) => [index('audit_log_entity_idx').on(t.entityId)]);

/** Saved list filters per user (UI convenience, local only). */
export const savedFilters = sqliteTable('saved_filters', {
  ...syncColumns(),
  userId: text('user_id').notNull(),
  list: text('list').notNull(),
  name: text('name').notNull(),
  filter: text('filter').notNull(),
});
