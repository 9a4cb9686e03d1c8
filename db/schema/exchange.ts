import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { syncColumns } from './common.js';

/**
 * The key pairs of offices (数据交换, docs/exchange-format.md "Office identity"): for this office
 * its own pairs, private halves included (they live only here, inside the encrypted ledger); for a
 * partner the public halves read from its office card (公钥卡). One row per key generation: a
 * replaced pair stays (`status` 'retired') so packages signed or encrypted under it can still be
 * checked or opened. Local to this ledger (never exchanged as records).
 *
 * - `signPublic`: Ed25519 public key, 32 bytes, base64.
 * - `agreePublic`: X25519 public key, 32 bytes, base64 (as an age recipient: `age1…`).
 * - `secret`: own pairs only: JSON { sign, agree } of the two 32-byte private keys, base64
 *   (a secret column: never in the audit trail).
 * - `fingerprint`: 32 base-32 characters over the office id and both public keys
 *   (db/exchange/identity.ts), read over the phone in 8 groups of 4.
 * - trust (partners): `confirmedAt`/`confirmedBy` once a person compared the fingerprint with the
 *   partner's; unconfirmed keys verify nothing.
 */
export const officeKeys = sqliteTable('office_keys', {
  ...syncColumns(),
  officeId: text('office_id').notNull(),
  signPublic: text('sign_public').notNull(),
  agreePublic: text('agree_public').notNull(),
  fingerprint: text('fingerprint').notNull(),
  secret: text('secret'),
  status: text('status', { enum: ['active', 'retired'] }).notNull(),
  /** How this ledger learnt the key: generated here, read from a card, or announced in a package signed by the previous key. */
  source: text('source', { enum: ['generated', 'card', 'rotation'] }).notNull(),
  confirmedAt: text('confirmed_at'),
  confirmedBy: text('confirmed_by'),
  retiredAt: text('retired_at'),
  retiredReason: text('retired_reason'),
}, (t) => [
  index('office_keys_office_idx').on(t.officeId),
  uniqueIndex('office_keys_fingerprint_uq').on(t.fingerprint),
]);

/**
 * 冲突 (EXCHANGE.md 5): a field with more than one head after an import (db/exchange/clocks.ts).
 * `heads` is every head as JSON [{ v: value, c: clock, by: author }], the shown one included (the
 * record holds the shown value). Removed when a person resolves the field (a local write joining
 * every head's clock, which travels) or when a later change dominates every head. Bookkeeping of
 * this ledger's merge state: every replica that has seen the same changes holds the same rows.
 */
export const fieldConflicts = sqliteTable('field_conflicts', {
  entityId: text('entity_id').notNull(),
  field: text('field').notNull(),
  entity: text('entity').notNull(),
  heads: text('heads').notNull(),
  since: text('since').notNull(),
}, (t) => [primaryKey({ columns: [t.entityId, t.field] }), index('field_conflicts_entity_idx').on(t.entity)]);

/**
 * 提议修改 (EXCHANGE.md 4): a received change of a field the author office's kind does not own.
 * Never applied silently: an owner's user accepts it (a local write of the value, which travels)
 * or rejects it. `clock` and `stamp` identify the change, so the same proposal received twice is
 * one row.
 */
export const proposals = sqliteTable('proposals', {
  id: text('id').primaryKey(),
  entity: text('entity').notNull(),
  entityId: text('entity_id').notNull(),
  field: text('field').notNull(),
  value: text('value'),
  clock: text('clock').notNull(),
  stamp: text('stamp').notNull(),
  authorOfficeId: text('author_office_id').notNull(),
  authorName: text('author_name'),
  packageId: text('package_id'),
  receivedAt: text('received_at').notNull(),
  status: text('status', { enum: ['pending', 'accepted', 'rejected'] }).notNull(),
  /** The ledger version when this ledger made or received it: proposals travel with their record ("since N"). */
  version: integer('version'),
  decidedBy: text('decided_by'),
  decidedAt: text('decided_at'),
  note: text('note'),
}, (t) => [uniqueIndex('proposals_change_uq').on(t.entityId, t.field, t.stamp), index('proposals_status_idx').on(t.status)]);

/**
 * Packages this office sent and received (EXCHANGE.md 7): per partner and direction a sequence
 * number; for sent packages the ledger versions they covered and whether the partner's receipt
 * confirmed them ("everything since the last confirmed package" starts at the newest confirmed
 * `untilVersion`); for received ones when and by whom they were applied and what happened.
 */
export const exchangePackages = sqliteTable('exchange_packages', {
  id: text('id').primaryKey(),
  direction: text('direction', { enum: ['sent', 'received'] }).notNull(),
  kind: text('kind', { enum: ['changes', 'receipt'] }).notNull(),
  partnerOfficeId: text('partner_office_id').notNull(),
  seq: integer('seq').notNull(),
  sha256: text('sha256').notNull(),
  createdAt: text('created_at').notNull(),
  fromVersion: integer('from_version'),
  untilVersion: integer('until_version'),
  scope: text('scope'),
  counts: text('counts'),
  /** 'withdrawn': a first-contact package given up on before its receipt came (db/exchange/receipts.ts). */
  status: text('status', { enum: ['sent', 'confirmed', 'applied', 'refused', 'withdrawn'] }).notNull(),
  handledAt: text('handled_at').notNull(),
  handledBy: text('handled_by'),
  /** Receipts: the package they confirm; received packages: the summary of what was applied. */
  refersTo: text('refers_to'),
  summary: text('summary'),
}, (t) => [index('exchange_packages_partner_idx').on(t.partnerOfficeId, t.direction, t.seq)]);
