import { index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
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
