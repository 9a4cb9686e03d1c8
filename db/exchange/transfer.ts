/**
 * 导出交换包 / 导入交换包 / 回执: the ledger side of packages (docs/exchange-format.md §4–5).
 *
 * Export: the records a partner may receive (db/exchange/ownership.ts mayReceive: clues only when
 * ticked and only to offices that may hold them) changed since the newest package that partner
 * confirmed with a receipt (or everything, for a new partner), as per-field changes
 * (db/exchange/changes.ts), signed with this office's key and encrypted to the partner's.
 *
 * Import: the header names the sender and the recipients; the package must be for this office,
 * signed by a key of the sender confirmed here, and its payload must match the signed hash, before
 * anything is decrypted. Every record is then checked and planned (db/exchange/apply.ts) without
 * writing: the preview. Applying plans again and writes in one transaction, with the package row
 * and an audit entry naming the package's hash and sender; a package already applied is a no-op.
 * Then a receipt (回执) for the sender says what was applied and held as proposals.
 *
 * Not yet: evidence files inside packages, scopes other than "since confirmed" and "full".
 */
import { join } from 'node:path';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { appendEvent } from '../core/audit.js';
import { requirePermission } from '../core/permissions.js';
import { getRow } from '../core/write.js';
import { DomainError } from '../domain/errors.js';
import { offices } from '../schema/index.js';
import { ensureOwnKey, ownSecret, trustedKeysOf } from '../services/partners.js';
import { applyPlan, planChanges, type ImportPreview } from './apply.js';
import { collectChanges, type OfficeRef, type RecordChange } from './changes.js';
import { packageLabels } from './labels.js';
import { mayReceive } from './ownership.js';
import { openPackage, readAll, readHeader, verifyPackage, verifySignature, writePackage, type Entry, type PackageHeader, type ReadEntry } from './package/index.js';
import { MAX_EVIDENCE_BYTES } from '../services/evidence.js';
import * as v from 'valibot';

const now = (ctx: ServiceContext) => new Date(ctx.clock.now()).toISOString();
const refuse = (code: 'CORRUPT' | 'FORBIDDEN' | 'VALIDATION' | 'CONFLICT', reason: string, message: string) => new DomainError(code, message, { reason });

/** More tombstones than this in one package need an explicit confirmation at import (EXCHANGE.md 6). */
export const DELETION_CONFIRM_THRESHOLD = 20;

function ownOffice(ctx: ServiceContext) {
  const o = getRow(ctx, offices, ctx.ledger.state.officeId!)!;
  return { id: o.id, name: o.name, kind: o.kind, level: o.level };
}

interface Partner {
  office: OfficeRef & { level: string };
  signPublic: Buffer;
  agreePublic: Buffer;
  fingerprint: string;
}

/** A partner whose active key is confirmed: the only kind a package goes to. */
function confirmedPartner(ctx: ServiceContext, officeId: string): Partner {
  const o = getRow(ctx, offices, officeId);
  const key = o && trustedKeysOf(ctx, officeId).find((k) => k.status === 'active');
  if (!o || !key) throw refuse('VALIDATION', 'partner_not_confirmed', '只能向已确认指纹的交换单位导出交换包。');
  return {
    office: { id: o.id, name: o.name, kind: o.kind, level: o.level }, fingerprint: key.fingerprint,
    signPublic: Buffer.from(key.signPublic, 'base64'), agreePublic: Buffer.from(key.agreePublic, 'base64'),
  };
}

function lastSeq(ctx: ServiceContext, partnerId: string, direction: 'sent' | 'received', kind: 'changes' | 'receipt' = 'changes'): number {
  const r = ctx.ledger.prepare('SELECT max(seq) AS n FROM exchange_packages WHERE partner_office_id = ? AND direction = ? AND kind = ?').get(partnerId, direction, kind) as { n: number | null };
  return r.n ?? 0;
}

/** The ledger version up to which `partnerId` confirmed our packages (0: nothing confirmed yet). */
export function confirmedVersion(ctx: ServiceContext, partnerId: string): number {
  const r = ctx.ledger.prepare("SELECT max(until_version) AS v FROM exchange_packages WHERE partner_office_id = ? AND direction = 'sent' AND kind = 'changes' AND status = 'confirmed'").get(partnerId) as { v: number | null };
  return r.v ?? 0;
}

function safeName(s: string): string {
  return s.replace(/[\\/:*?"<>|\s]+/g, '').slice(0, 40) || 'office';
}

/** The offices, the records, then each cited file once (read from the ledger one at a time, as the writer asks). */
function* packageEntries(ctx: ServiceContext, refs: OfficeRef[], changes: RecordChange[]): Generator<Entry> {
  yield { type: 'json', value: { t: 'offices', offices: refs } };
  for (const c of changes) yield { type: 'json', value: { t: 'record', ...c } };
  const sent = new Set<string>();
  const blob = ctx.ledger.prepare('SELECT size, data FROM evidence_blobs WHERE sha256 = ?');
  for (const c of changes) {
    const sha = c.table === 'evidence' ? c.row.sha256 as string : null;
    if (!sha || sent.has(sha)) continue;
    const b = blob.get(sha) as { size: number; data: Buffer } | undefined;
    if (!b) continue;
    sent.add(sha);
    yield { type: 'blob', sha256: sha, size: b.data.length, data: b.data };
  }
}

export interface ExportResult {
  packageId: string;
  path: string;
  fileName: string;
  bytes: number;
  sha256: string;
  records: number;
  fromVersion: number;
  untilVersion: number;
}

/**
 * 导出交换包 to one confirmed partner, into `dir` (the shell chooses it: a USB stick). `full`: every
 * record the partner may receive (a new partner, or to repair a lost history); otherwise what
 * changed since the newest package it confirmed.
 */
export async function exportPackage(ctx: ServiceContext, o: { partnerId: string; full?: boolean; includeClues?: boolean; dir: string }): Promise<ExportResult> {
  requirePermission(ctx, 'exchange.run');
  const partner = confirmedPartner(ctx, o.partnerId);
  const includeClues = o.includeClues === true;
  if (includeClues && !mayReceive(partner.office.kind, 'clues', { includeClues: true })) {
    throw refuse('VALIDATION', 'clues_not_allowed', `${partner.office.name}不能接收问题线索，请勿勾选“包含问题线索”。`);
  }
  // Keys are made (and committed) before the file, so the file's signature is by a key kept here.
  const own = inTransaction(ctx, () => ensureOwnKey(ctx));
  const me = ownOffice(ctx);
  const fromVersion = o.full ? 0 : confirmedVersion(ctx, partner.office.id);
  const { changes, officeIds, untilVersion } = collectChanges(ctx, { sinceVersion: fromVersion, recipientKind: partner.office.kind, includeClues });
  const refs: OfficeRef[] = [];
  for (const id of officeIds) {
    const row = getRow(ctx, offices, id);
    if (row) refs.push({ id: row.id, name: row.name, kind: row.kind });
  }
  const seq = lastSeq(ctx, partner.office.id, 'sent') + 1;
  const packageId = ctx.ids.next();
  const fileName = `${safeName(me.name)}-交换包-${now(ctx).slice(0, 10)}-${seq}.xzpkg`;
  const perTable: Record<string, { records: number; deleted: number }> = {};
  for (const c of changes) {
    const t = (perTable[c.table] ??= { records: 0, deleted: 0 });
    t.records++;
    if (c.deleted) t.deleted++;
  }
  const header = {
    packageId, kind: 'changes' as const,
    sender: { officeId: me.id, name: me.name, kind: me.kind, level: me.level, fingerprint: own.fingerprint },
    recipients: [{ officeId: partner.office.id, name: partner.office.name, fingerprint: partner.fingerprint, seq }],
    createdAt: now(ctx),
    scope: { mode: o.full ? 'full' : 'since', fromVersion, untilVersion, includesClues: includeClues },
    counts: { records: changes.length, tables: perTable },
  };
  const entries = packageEntries(ctx, refs, changes);
  const written = await writePackage({
    path: join(o.dir, fileName), header,
    sign: { publicKey: Buffer.from(own.signPublic, 'base64'), secretKey: ownSecret(own).signSecret },
    to: { x25519: [partner.agreePublic] }, entries,
  });
  inTransaction(ctx, () => {
    ctx.ledger.prepare(`INSERT INTO exchange_packages (id, direction, kind, partner_office_id, seq, sha256, created_at, from_version, until_version, scope, counts, status, handled_at, handled_by)
      VALUES (?, 'sent', 'changes', ?, ?, ?, ?, ?, ?, ?, ?, 'sent', ?, ?)`).run(
      packageId, partner.office.id, seq, written.sha256, header.createdAt, fromVersion, untilVersion, JSON.stringify(header.scope), JSON.stringify(header.counts), now(ctx), ctx.user?.id ?? null,
    );
    appendEvent(ctx, { action: 'package_exported', entity: 'exchange_packages', entityId: packageId, detail: { to: partner.office.id, seq, sha256: written.sha256, records: changes.length } });
  });
  return { packageId, path: written.path, fileName, bytes: written.bytes, sha256: written.sha256, records: changes.length, fromVersion, untilVersion };
}

// ---------------------------------------------------------------------------------------------
// Import

const recordSchema = v.looseObject({ t: v.literal('record'), table: v.string(), id: v.string(), origin: v.string(), createdAt: v.string() });
const officesSchema = v.object({ t: v.literal('offices'), offices: v.array(v.object({ id: v.string(), name: v.string(), kind: v.picklist(['inspected_unit', 'discipline', 'organisation', 'inspection_office', 'functional_dept']) })) });

interface Opened {
  header: PackageHeader;
  /** The package digest (package/container.ts packageDigest). */
  sha256: string;
  changes: RecordChange[];
  offices: OfficeRef[];
  /** SHA-256 of the files the package carries (checked). */
  blobs: Set<string>;
  alreadyApplied: boolean;
  /** The sender's packages to us that are missing before this one (by sequence number). */
  missing: number[];
}

/**
 * The recipient entry naming this office and one of its own keys (active or retired), and the
 * private X25519 halves that may open the payload; package_not_for_us otherwise.
 */
function addressedToUs(ctx: ServiceContext, h: PackageHeader, notForUs: string): { forUs: PackageHeader['recipients'][number]; identities: Buffer[] } {
  const me = ctx.ledger.state.officeId!;
  const mine = ctx.ledger.prepare('SELECT fingerprint, secret FROM office_keys WHERE office_id = ? AND secret IS NOT NULL').all(me) as { fingerprint: string; secret: string }[];
  const forUs = h.recipients.find((r) => r.officeId === me && mine.some((k) => k.fingerprint === r.fingerprint));
  if (!forUs) throw refuse('FORBIDDEN', 'package_not_for_us', notForUs);
  return { forUs, identities: mine.map((k) => Buffer.from((JSON.parse(k.secret) as { agree: string }).agree, 'base64')) };
}

/** The Ed25519 keys that may have signed a package from an office: its confirmed ones. */
const trustedSignKeys = (ctx: ServiceContext) => (officeId: string) => trustedKeysOf(ctx, officeId).map((k) => Buffer.from(k.signPublic, 'base64'));

type BlobEntry = Extract<ReadEntry, { type: 'blob' }>;

/** What the header alone tells: for us, signed by a confirmed key of its sender, replay or not, gaps. */
async function checkPackage(ctx: ServiceContext, path: string) {
  const first = await readHeader(path);
  if (first.kind !== 'changes') throw refuse('VALIDATION', 'package_kind', '这是回执文件，请使用“导入回执”。');
  const { forUs, identities } = addressedToUs(ctx, first, '该交换包不是发给本单位的（或是发给本单位已停用的密钥之外的密钥），不能导入。');
  const { header, digest } = await verifySignature(path, trustedSignKeys(ctx));
  const alreadyApplied = !!ctx.ledger.prepare("SELECT 1 FROM exchange_packages WHERE id = ? AND direction = 'received'").get(header.packageId);
  const seen = new Set((ctx.ledger.prepare("SELECT seq FROM exchange_packages WHERE partner_office_id = ? AND direction = 'received' AND kind = 'changes'").all(header.sender.officeId) as { seq: number }[]).map((r) => r.seq));
  const missing: number[] = [];
  for (let s = 1; s < forUs.seq && missing.length < 100; s++) if (!seen.has(s)) missing.push(s);
  return { header, digest, identities, alreadyApplied, missing };
}

/**
 * Decrypt and read the package in one streaming pass (signature checked before: checkPackage).
 * Files go to `onBlob` as they stream (import stores those it needs; unread bytes are still
 * checked); records and the offices list are kept. Nothing read counts unless this returns: the
 * payload's length and SHA-256 against the signed header are checked at the end of the stream.
 */
async function readPayload(
  path: string, checked: Awaited<ReturnType<typeof checkPackage>>, onBlob?: (e: BlobEntry, changes: readonly RecordChange[]) => Promise<void>,
): Promise<Opened> {
  const changes: RecordChange[] = [];
  const blobs = new Set<string>();
  let refs: OfficeRef[] = [];
  // `verified`: the file must still carry the header just verified (not swapped on the stick since).
  for await (const e of openPackage(path, { identities: checked.identities, verified: checked.header, limits: { maxBlobBytes: MAX_EVIDENCE_BYTES } })) {
    if (e.type === 'blob') {
      if (onBlob) await onBlob(e, changes);
      blobs.add(e.sha256);
      continue;
    }
    const value = e.value as { t?: unknown };
    if (value.t === 'offices') {
      const r = v.safeParse(officesSchema, value);
      if (!r.success) throw refuse('CORRUPT', 'package_record', '交换包中的单位清单格式不正确。');
      refs = r.output.offices;
    } else {
      const r = v.safeParse(recordSchema, value);
      if (!r.success) throw refuse('CORRUPT', 'package_record', '交换包中的记录格式不正确。');
      const { t: _t, ...change } = r.output as unknown as RecordChange & { t: string };
      changes.push(change);
    }
  }
  const { header, digest: sha256, alreadyApplied, missing } = checked;
  return { header, sha256, changes, offices: refs, blobs, alreadyApplied, missing };
}

/** Check, verify and decrypt a package for this office (nothing written). */
async function openFor(ctx: ServiceContext, path: string): Promise<Opened> {
  return readPayload(path, await checkPackage(ctx, path));
}

export interface PackagePreview {
  header: PackageHeader;
  alreadyApplied: boolean;
  missing: number[];
  preview: ImportPreview;
  needsDeletionConfirmation: boolean;
  /** A few words naming each record of the preview's items (db/exchange/labels.ts), by id. */
  labels?: Record<string, string>;
}

/** 导入预览: what applying the package would do, record by record and field by field. */
export async function previewPackage(ctx: ServiceContext, path: string): Promise<PackagePreview> {
  requirePermission(ctx, 'exchange.run');
  const o = await openFor(ctx, path);
  const plan = planChanges(ctx, o.changes, o.offices, o.blobs);
  const shown = new Set(plan.preview.items.map((i) => i.id));
  const labels = packageLabels(ctx, o.changes, shown);
  return {
    header: o.header, alreadyApplied: o.alreadyApplied, missing: o.missing, preview: plan.preview,
    needsDeletionConfirmation: plan.preview.deletions > DELETION_CONFIRM_THRESHOLD, labels,
  };
}

export interface ImportResult {
  packageId: string;
  alreadyApplied: boolean;
  missing: number[];
  preview: ImportPreview;
}

/**
 * 导入交换包: apply in one transaction (a replay changes nothing). The transaction stays open while
 * the package's files stream into the ledger (one file in memory at a time); meanwhile every other
 * call is refused (LOCKED busy), so nothing else runs inside it, and any failure rolls all back.
 */
export async function importPackage(ctx: ServiceContext, path: string, o: { confirmDeletions?: boolean } = {}): Promise<ImportResult> {
  requirePermission(ctx, 'exchange.run');
  const checked = await checkPackage(ctx, path);
  const { header } = checked;
  // A replay: its signed header names a package applied here already; nothing to decrypt.
  if (checked.alreadyApplied) return { packageId: header.packageId, alreadyApplied: true, missing: checked.missing, preview: planChanges(ctx, [], []).preview };
  const l = ctx.ledger;
  if (l.state.busy) throw new DomainError('LOCKED', l.state.busy, { reason: 'busy' });
  const saved = { ...l.state, hlc: { ...l.state.hlc } };
  l.state.busy = '正在导入交换包，请稍候。';
  l.prepare('BEGIN IMMEDIATE').run();
  try {
    // One pass: records first (the writer puts them before the files), then each file the new
    // evidence cites and this ledger lacks, stored as it streams (one file in memory at a time).
    const have = l.prepare('SELECT 1 FROM evidence_blobs WHERE sha256 = ?');
    const put = l.prepare('INSERT INTO evidence_blobs (sha256, size, data, created_at) VALUES (?, ?, ?, ?)');
    let cited: Set<string> | undefined;
    const p = await readPayload(path, checked, async (e, changes) => {
      cited ??= new Set(changes.filter((c) => c.table === 'evidence').map((c) => c.row.sha256 as string));
      if (!cited.has(e.sha256) || have.get(e.sha256)) return; // read and checked by the container all the same
      const parts: Buffer[] = [];
      for await (const chunk of e.data) parts.push(chunk);
      put.run(e.sha256, e.size, Buffer.concat(parts, e.size), now(ctx));
    });
    // Every record checked and planned before the first record is written; the files stored above
    // are inside this transaction and go with it if anything fails.
    const plan = planChanges(ctx, p.changes, p.offices, p.blobs);
    if (plan.preview.deletions > DELETION_CONFIRM_THRESHOLD && !o.confirmDeletions) {
      throw refuse('CONFLICT', 'needs_deletion_confirmation', `该交换包将删除${plan.preview.deletions}条记录，请确认后再导入。`);
    }
    const preview = applyPlan(ctx, plan, { packageId: header.packageId });
    const recipient = header.recipients.find((r) => r.officeId === l.state.officeId)!;
    l.prepare(`INSERT INTO exchange_packages (id, direction, kind, partner_office_id, seq, sha256, created_at, scope, counts, status, handled_at, handled_by, summary)
      VALUES (?, 'received', 'changes', ?, ?, ?, ?, ?, ?, 'applied', ?, ?, ?)`).run(
      header.packageId, header.sender.officeId, recipient.seq, p.sha256, header.createdAt, JSON.stringify(header.scope), JSON.stringify(header.counts),
      now(ctx), ctx.user?.id ?? null,
      // What the receipt reports: the counts, and each refused record with its reason.
      JSON.stringify({ counts: preview.counts, refused: preview.items.filter((i) => i.outcome === 'refused').map((i) => ({ table: i.table, id: i.id, reason: i.to })) }),
    );
    appendEvent(ctx, { action: 'package_imported', entity: 'exchange_packages', entityId: header.packageId, detail: { from: header.sender.officeId, seq: recipient.seq, sha256: p.sha256, counts: preview.counts } });
    l.prepare('COMMIT').run();
    return { packageId: header.packageId, alreadyApplied: false, missing: p.missing, preview };
  } catch (e) {
    if (l.sqlite.inTransaction) l.prepare('ROLLBACK').run();
    Object.assign(l.state, saved);
    throw e;
  } finally {
    l.state.busy = null;
  }
}

// ---------------------------------------------------------------------------------------------
// Receipts (回执, EXCHANGE.md 7)

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
  const sent = ctx.ledger.prepare("SELECT status, sha256 FROM exchange_packages WHERE id = ? AND direction = 'sent' AND kind = 'changes' AND partner_office_id = ?").get(r.output.refersTo, header.sender.officeId) as
    { status: string; sha256: string } | undefined;
  if (!sent) throw refuse('VALIDATION', 'receipt_unknown_package', '该回执所确认的交换包不是本单位发给该单位的。');
  if (sent.sha256 !== r.output.sha256) throw refuse('CORRUPT', 'receipt_hash', '回执中的交换包校验值与本单位发出的不一致。');
  if (sent.status === 'confirmed') return { refersTo: r.output.refersTo, alreadyConfirmed: true };
  inTransaction(ctx, () => {
    ctx.ledger.prepare("UPDATE exchange_packages SET status = 'confirmed', summary = ?, handled_at = ?, handled_by = ? WHERE id = ?")
      .run(JSON.stringify(r.output.applied ?? null), now(ctx), ctx.user?.id ?? null, r.output.refersTo);
    appendEvent(ctx, { action: 'receipt_imported', entity: 'exchange_packages', entityId: r.output.refersTo, detail: { from: header.sender.officeId, receipt: header.packageId } });
  });
  return { refersTo: r.output.refersTo, alreadyConfirmed: false };
}

export interface PartnerDelivery {
  officeId: string;
  name: string;
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
  return partners.map((p) => {
    const rows = ctx.ledger.prepare("SELECT direction, status, seq, handled_at AS at FROM exchange_packages WHERE partner_office_id = ? AND kind = 'changes'").all(p.id) as
      { direction: 'sent' | 'received'; status: string; seq: number; at: string }[];
    const sent = rows.filter((r) => r.direction === 'sent');
    const received = rows.filter((r) => r.direction === 'received');
    const seqs = new Set(received.map((r) => r.seq));
    const top = Math.max(0, ...received.map((r) => r.seq));
    const missing: number[] = [];
    for (let s = 1; s < top; s++) if (!seqs.has(s)) missing.push(s);
    const last = (xs: typeof rows) => xs.map((r) => r.at).sort().at(-1) ?? null;
    return { officeId: p.id, name: p.name, sent: sent.length, confirmed: sent.filter((r) => r.status === 'confirmed').length, received: received.length, missing, lastSentAt: last(sent), lastReceivedAt: last(received) };
  });
}
