/**
 * 回执 (EXCHANGE.md 7): the receipt an importer writes for the sender of a package it applied, the
 * sender's import of it (its "since last confirmed" point moves exactly), and the per-partner
 * delivery history (sent, confirmed, received, missing).
 */
import { join } from 'node:path';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { appendEvent } from '../core/audit.js';
import { requirePermission } from '../core/permissions.js';
import { ensureOwnKey, ownSecret } from '../services/partners.js';
import { readAll, readHeader, verifyPackage, writePackage } from './package/index.js';
import { addressedToUs, confirmedPartner, lastSeq, now, ownOffice, refuse, safeName, trustedSignKeys } from './transfer-common.js';
import { OFFICE_KINDS, type OfficeKind } from '../domain/enums.js';
import * as v from 'valibot';

export interface ReceiptResult {
  path: string;
  fileName: string;
  refersTo: string;
}

/**
 * 回执 for a package this office applied: signed, encrypted to its sender, naming the package and
 * what was applied and held as proposals. The sender imports it to move its "confirmed" point.
 */
export async function writeReceipt(ctx: ServiceContext, o: { packageId: string; dir: string }): Promise<ReceiptResult> {
  requirePermission(ctx, 'exchange.run');
  const got = ctx.ledger.prepare("SELECT partner_office_id AS partner, seq, sha256, summary FROM exchange_packages WHERE id = ? AND direction = 'received' AND kind = 'changes'").get(o.packageId) as
    { partner: string; seq: number; sha256: string; summary: string | null } | undefined;
  if (!got) throw refuse('VALIDATION', 'not_received', '本单位没有导入过该交换包，无法出具回执。');
  const partner = confirmedPartner(ctx, got.partner);
  const own = inTransaction(ctx, () => ensureOwnKey(ctx));
  const me = ownOffice(ctx);
  const seq = lastSeq(ctx, partner.office.id, 'sent', 'receipt') + 1;
  const receiptId = ctx.ids.next();
  const fileName = `${safeName(me.name)}-回执-${now(ctx).slice(0, 10)}-${got.seq}.xzpkg`;
  const body = { t: 'receipt', refersTo: o.packageId, sha256: got.sha256, seq: got.seq, applied: got.summary ? JSON.parse(got.summary) as unknown : null };
  const written = await writePackage({
    path: join(o.dir, fileName),
    header: {
      packageId: receiptId, kind: 'receipt',
      sender: { officeId: me.id, name: me.name, kind: me.kind, level: me.level, fingerprint: own.fingerprint },
      recipients: [{ officeId: partner.office.id, name: partner.office.name, fingerprint: partner.fingerprint, seq }],
      createdAt: now(ctx), scope: { refersTo: o.packageId }, counts: {},
    },
    sign: { publicKey: Buffer.from(own.signPublic, 'base64'), secretKey: ownSecret(own).signSecret },
    to: { x25519: [partner.agreePublic] }, entries: [{ type: 'json', value: body }],
  });
  inTransaction(ctx, () => {
    ctx.ledger.prepare(`INSERT INTO exchange_packages (id, direction, kind, partner_office_id, seq, sha256, created_at, status, handled_at, handled_by, refers_to)
      VALUES (?, 'sent', 'receipt', ?, ?, ?, ?, 'sent', ?, ?, ?)`).run(receiptId, partner.office.id, seq, written.sha256, now(ctx), now(ctx), ctx.user?.id ?? null, o.packageId);
    appendEvent(ctx, { action: 'receipt_written', entity: 'exchange_packages', entityId: receiptId, detail: { to: partner.office.id, refersTo: o.packageId } });
  });
  return { path: written.path, fileName, refersTo: o.packageId };
}

const receiptSchema = v.object({ t: v.literal('receipt'), refersTo: v.string(), sha256: v.string(), seq: v.number(), applied: v.unknown() });

/** 导入回执: the partner confirms a package we sent; "everything since the last confirmed" moves exactly. */
export async function importReceipt(ctx: ServiceContext, path: string): Promise<{ refersTo: string; alreadyConfirmed: boolean }> {
  requirePermission(ctx, 'exchange.run');
  const first = await readHeader(path);
  if (first.kind !== 'receipt') throw refuse('VALIDATION', 'package_kind', '这不是回执文件，请使用“导入交换包”。');
  const { identities } = addressedToUs(ctx, first, '该回执不是发给本单位的，不能导入。');
  const header = await verifyPackage(path, trustedSignKeys(ctx));
  const { entries } = await readAll(path, identities, { verified: header });
  const r = entries.length === 1 && entries[0]!.type === 'json' ? v.safeParse(receiptSchema, entries[0]!.value) : null;
  if (!r?.success) throw refuse('CORRUPT', 'package_record', '回执内容格式不正确。');
  // A first-contact package (db/exchange/first-contact.ts) went to no partner yet (''): its receipt names the partner.
  const sent = ctx.ledger.prepare("SELECT status, sha256, partner_office_id AS partner, scope FROM exchange_packages WHERE id = ? AND direction = 'sent' AND kind = 'changes' AND partner_office_id IN (?, '')").get(r.output.refersTo, header.sender.officeId) as
    { status: string; sha256: string; partner: string; scope: string | null } | undefined;
  if (!sent) throw refuse('VALIDATION', 'receipt_unknown_package', '该回执所确认的交换包不是本单位发给该单位的。');
  if (sent.sha256 !== r.output.sha256) throw refuse('CORRUPT', 'receipt_hash', '回执中的交换包校验值与本单位发出的不一致。');
  if (sent.status === 'confirmed') return { refersTo: r.output.refersTo, alreadyConfirmed: true };
  const bind = sent.partner === '';
  if (bind) {
    // The snapshot held what this kind of office may receive: another kind's "since" point cannot start from it.
    const kind = (JSON.parse(sent.scope ?? '{}') as { recipientKind?: OfficeKind }).recipientKind;
    if (kind !== header.sender.kind) {
      throw refuse('VALIDATION', 'receipt_kind_mismatch', `该首次联络包是按“${kind ? OFFICE_KINDS.labels[kind] : '—'}”导出的，而${header.sender.name}是“${OFFICE_KINDS.labels[header.sender.kind]}”：不能由该单位确认，请向其重新导出交换包。`);
    }
  }
  inTransaction(ctx, () => {
    if (bind) {
      ctx.ledger.prepare("UPDATE exchange_packages SET partner_office_id = ? WHERE id = ? AND partner_office_id = ''").run(header.sender.officeId, r.output.refersTo);
    }
    ctx.ledger.prepare("UPDATE exchange_packages SET status = 'confirmed', summary = ?, handled_at = ?, handled_by = ? WHERE id = ?")
      .run(JSON.stringify(r.output.applied ?? null), now(ctx), ctx.user?.id ?? null, r.output.refersTo);
    appendEvent(ctx, { action: 'receipt_imported', entity: 'exchange_packages', entityId: r.output.refersTo, detail: { from: header.sender.officeId, receipt: header.packageId, ...(bind ? { firstContact: true } : {}) } });
  });
  return { refersTo: r.output.refersTo, alreadyConfirmed: false };
}

export interface PartnerDelivery {
  /** The partner; '' for a first-contact package not yet receipted (no partner known yet). */
  officeId: string;
  /** The partner's name, or for a first-contact package the recipient named when it was made. */
  name: string;
  /** A first-contact package (首次联络包) waiting for its receipt: the package, else null. */
  firstContact: { packageId: string; recipientKind: string | null } | null;
  sent: number;
  confirmed: number;
  received: number;
  /** Sequence numbers of the partner's packages to us not received (gaps before the newest). */
  missing: number[];
  lastSentAt: string | null;
  lastReceivedAt: string | null;
}

/** 交换记录: per partner, packages sent, confirmed, received and missing. */
export function deliveryHistory(ctx: ServiceContext): PartnerDelivery[] {
  requirePermission(ctx, 'exchange.run');
  const partners = ctx.ledger.prepare(`SELECT DISTINCT k.office_id AS id, o.name FROM office_keys k JOIN offices o ON o.id = k.office_id WHERE k.office_id <> ? ORDER BY o.name`)
    .all(ctx.ledger.state.officeId) as { id: string; name: string }[];
  const byPartner = partners.map((p): PartnerDelivery => {
    const rows = ctx.ledger.prepare("SELECT direction, status, seq, handled_at AS at FROM exchange_packages WHERE partner_office_id = ? AND kind = 'changes'").all(p.id) as
      { direction: 'sent' | 'received'; status: string; seq: number; at: string }[];
    const sent = rows.filter((r) => r.direction === 'sent');
    const received = rows.filter((r) => r.direction === 'received');
    const seqs = new Set(received.map((r) => r.seq));
    const top = Math.max(0, ...received.map((r) => r.seq));
    const missing: number[] = [];
    for (let s = 1; s < top; s++) if (!seqs.has(s)) missing.push(s);
    const last = (xs: typeof rows) => xs.map((r) => r.at).sort().at(-1) ?? null;
    return {
      officeId: p.id, name: p.name, firstContact: null, sent: sent.length, confirmed: sent.filter((r) => r.status === 'confirmed').length,
      received: received.length, missing, lastSentAt: last(sent), lastReceivedAt: last(received),
    };
  });
  // First-contact packages whose receipt has not come back: no partner yet, so each is its own
  // row, named as its export named the recipient (the scope logged with it). A withdrawn one is not listed.
  const pending = ctx.ledger.prepare(`SELECT id, handled_at AS at, json_extract(scope, '$.recipientKind') AS kind, json_extract(scope, '$.recipientName') AS name
    FROM exchange_packages WHERE direction = 'sent' AND partner_office_id = '' AND status = 'sent' ORDER BY handled_at, id`).all() as { id: string; at: string; kind: string | null; name: string | null }[];
  return [...byPartner, ...pending.map((x) => ({
    officeId: '', name: x.name ?? '', firstContact: { packageId: x.id, recipientKind: x.kind }, sent: 1, confirmed: 0, received: 0, missing: [],
    lastSentAt: x.at, lastReceivedAt: null,
  }))];
}

/**
 * 撤回 a first-contact package whose receipt has not come back (abandoned, or made again): it is
 * no longer listed in 交换记录. Nothing else changes: should its receipt come after all, importing
 * it still binds the package to the partner and confirms it (the partner did import it).
 */
export function withdrawFirstContact(ctx: ServiceContext, packageId: string): void {
  requirePermission(ctx, 'exchange.run');
  const row = ctx.ledger.prepare("SELECT partner_office_id AS partner, status FROM exchange_packages WHERE id = ? AND direction = 'sent' AND kind = 'changes'")
    .get(packageId) as { partner: string; status: string } | undefined;
  if (!row || row.partner !== '') throw refuse('NOT_FOUND', 'first_contact_not_found', '没有找到这个尚未回执的首次联络包。');
  if (row.status !== 'sent') throw refuse('CONFLICT', 'first_contact_not_pending', '该首次联络包已撤回或已确认，无需撤回。');
  inTransaction(ctx, () => {
    ctx.ledger.prepare("UPDATE exchange_packages SET status = 'withdrawn', handled_at = ?, handled_by = ? WHERE id = ?").run(now(ctx), ctx.user?.id ?? null, packageId);
    appendEvent(ctx, { action: 'package_withdrawn', entity: 'exchange_packages', entityId: packageId, detail: { firstContact: true } });
  });
}
