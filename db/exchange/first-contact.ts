/**
 * 首次联络包 (docs/exchange-format.md §4.9): the first package to an office whose card (公钥卡) we
 * do not have yet. Encrypted with a passphrase (age scrypt) told over the phone; its signed header
 * carries this office's card, so the receiver sees our fingerprint, checks the header's signature
 * with the card's key, and confirms the card by the fingerprint we read out (the normal partners
 * path, db/services/partners.ts addPartner) before importing it with the passphrase
 * (transfer.ts importPackage). Its content is a full snapshot of what the recipient's kind may
 * receive. The receiver's receipt (a normal one: it has our card by then) binds the package to it
 * here (receipts.ts importReceipt), so the next "since" export to it starts where this one ended.
 */
import { join } from 'node:path';
import * as v from 'valibot';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { appendEvent } from '../core/audit.js';
import { requirePermission } from '../core/permissions.js';
import { DomainError } from '../domain/errors.js';
import { OFFICE_KINDS, type Level, type OfficeKind } from '../domain/enums.js';
import { ensureOwnKey, exportCard, ownSecret, trustedKeysOf } from '../services/partners.js';
import { streamChanges } from './changes.js';
import { formatFingerprint, readCard } from './identity.js';
import { mayReceive } from './ownership.js';
import { readHeader, verifySignature, writePackage } from './package/index.js';
import { checkedPassphrase } from './passphrase.js';
import { COUNTS_ROOM, packageEntries, type ExportResult } from './transfer.js';
import type { Tally } from './record-batches.js';
import { now, ownOffice, refuse, safeName } from './transfer-common.js';

export { suggestPassphrase } from './passphrase.js';

const CONTROL = /[\u0000-\u001f\u007f]/;

export interface FirstContactInput {
  dir: string;
  passphrase: string;
  /** 收件单位名称: as the recipient calls itself (shown to it; its card is not known yet). */
  recipientName: string;
  recipientKind: OfficeKind;
  includeClues?: boolean;
  /** age scrypt work factor (log2 N); age's default 18. Tests only. */
  workFactor?: number;
}

/**
 * 导出首次联络包: every record the recipient's kind may receive (clues only when ticked and allowed),
 * signed with this office's key, encrypted with the passphrase, this office's card in the header.
 * Logged as sent to no partner yet (partner_office_id ''), until the receipt names it.
 */
export async function exportFirstContact(ctx: ServiceContext, o: FirstContactInput): Promise<ExportResult> {
  requirePermission(ctx, 'exchange.run');
  const passphrase = checkedPassphrase(o.passphrase);
  const recipientName = o.recipientName.trim();
  if (recipientName === '' || recipientName.length > 200 || CONTROL.test(recipientName)) {
    throw new DomainError('VALIDATION', '请填写收件单位名称（不超过200个字）。', { field: 'recipientName', reason: 'required' });
  }
  if (!v.is(v.picklist(OFFICE_KINDS.codes), o.recipientKind)) {
    throw new DomainError('VALIDATION', '请选择收件单位的类型。', { field: 'recipientKind', reason: 'required' });
  }
  const includeClues = o.includeClues === true;
  if (includeClues && !mayReceive(o.recipientKind, 'clues', { includeClues: true })) {
    throw refuse('VALIDATION', 'clues_not_allowed', `${recipientName}不能接收问题线索，请勿勾选“包含问题线索”。`);
  }
  // Keys are made (and committed) before the file, so the file's signature is by a key kept here.
  const own = inTransaction(ctx, () => ensureOwnKey(ctx));
  const card = exportCard(ctx);
  const me = ownOffice(ctx);
  const stream = streamChanges(ctx, { sinceVersion: 0, recipientKind: o.recipientKind, includeClues, only: null });
  const { untilVersion } = stream;
  const seq = 1;
  const packageId = ctx.ids.next();
  const fileName = `${safeName(me.name)}-首次联络包-${safeName(recipientName).slice(0, 20)}-${now(ctx).slice(0, 10)}.xzpkg`;
  const tally: Tally = { records: 0, tables: {} };
  const header = {
    packageId, kind: 'changes' as const,
    sender: { officeId: me.id, name: me.name, kind: me.kind, level: me.level, fingerprint: own.fingerprint },
    recipients: [{ officeId: null, name: recipientName, fingerprint: null, seq }],
    createdAt: now(ctx),
    scope: { mode: 'first_contact', recipientName, recipientKind: o.recipientKind, fromVersion: 0, untilVersion, includesClues: includeClues },
    counts: tally,
    card: card.text,
  };
  const written = await writePackage({
    path: join(o.dir, fileName), header,
    completeHeader: () => ({ ...header, counts: tally }), headerRoom: COUNTS_ROOM,
    sign: { publicKey: Buffer.from(own.signPublic, 'base64'), secretKey: ownSecret(own).signSecret },
    to: o.workFactor === undefined ? { passphrase } : { passphrase, workFactor: o.workFactor },
    entries: packageEntries(ctx, stream, tally),
  });
  inTransaction(ctx, () => {
    ctx.ledger.prepare(`INSERT INTO exchange_packages (id, direction, kind, partner_office_id, seq, sha256, created_at, from_version, until_version, scope, counts, status, handled_at, handled_by)
      VALUES (?, 'sent', 'changes', '', ?, ?, ?, 0, ?, ?, ?, 'sent', ?, ?)`).run(
      packageId, seq, written.sha256, header.createdAt, untilVersion, JSON.stringify(header.scope), JSON.stringify(header.counts), now(ctx), ctx.user?.id ?? null,
    );
    appendEvent(ctx, { action: 'package_exported', entity: 'exchange_packages', entityId: packageId, detail: { to: null, firstContact: recipientName, recipientKind: o.recipientKind, seq, sha256: written.sha256, records: tally.records } });
  });
  return { packageId, path: written.path, fileName, bytes: written.bytes, sha256: written.sha256, records: tally.records, fromVersion: 0, untilVersion };
}

export interface FirstContactCard {
  packageId: string;
  createdAt: string;
  /** The sender as its card says (checked against the signed header). */
  office: { id: string; name: string; kind: OfficeKind; level: Level };
  /** As shown and read over the phone: 8 groups of 4. */
  fingerprint: string;
  /** The card text, for partners:add with the fingerprint typed. */
  card: string;
  /** 收件单位名称 the sender wrote. */
  recipientName: string;
  /** This card's key is confirmed here already (the package imports with the passphrase alone). */
  trusted: boolean;
  records: number;
}

/**
 * 首次联络包的公钥卡: the sender's card from a passphrase package's header, read and checked (its
 * self-signature, as partners:previewCard does), the header's signature verified with the card's
 * key, the card's office and key equal to the header's sender. Nothing trusted, nothing written:
 * a person compares the fingerprint with the one the sender reads out, then adds the card.
 */
export async function firstContactCard(ctx: ServiceContext, path: string): Promise<FirstContactCard> {
  requirePermission(ctx, 'exchange.run');
  const h = await readHeader(path);
  if (h.encryption !== 'scrypt' || h.kind !== 'changes' || h.card === undefined) {
    throw refuse('VALIDATION', 'not_first_contact', '这不是首次联络包（口令加密并附有对方公钥卡的交换包），请按一般交换包导入。');
  }
  const c = readCard(h.card);
  const s = h.sender;
  if (c.office.id !== s.officeId || c.fingerprint !== s.fingerprint || c.office.kind !== s.kind || c.office.name !== s.name || c.office.level !== s.level) {
    throw refuse('CORRUPT', 'first_contact_card', '首次联络包中的公钥卡与发送单位不符，文件可能被篡改：请勿导入，并与对方电话核实。');
  }
  if (c.office.id === ctx.ledger.state.officeId) throw refuse('VALIDATION', 'card_own_office', '这是本单位自己导出的首次联络包，不能在本单位导入。');
  const { header } = await verifySignature(path, (officeId) => (officeId === c.office.id ? [c.signPublic] : []));
  // The file read twice: the card shown must be the one the signature covers.
  if (header.card !== h.card) throw refuse('CORRUPT', 'package_signature', '交换包签名无效：文件可能被篡改，或并非由该单位发出。');
  const counts = header.counts as { records?: unknown };
  return {
    packageId: header.packageId, createdAt: header.createdAt, office: c.office, fingerprint: formatFingerprint(c.fingerprint), card: h.card,
    recipientName: header.recipients[0]!.name,
    trusted: trustedKeysOf(ctx, c.office.id).some((k) => k.fingerprint === c.fingerprint),
    records: typeof counts.records === 'number' ? counts.records : 0,
  };
}
