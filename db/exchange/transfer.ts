/**
 * 导出交换包 / 导入交换包: the ledger side of packages (docs/exchange-format.md §4–5).
 *
 * Export: the records a partner may receive (db/exchange/ownership.ts mayReceive: clues only when
 * ticked and only to offices that may hold them) in the chosen scope (db/exchange/scope.ts: since
 * the newest package that partner confirmed, everything, a round, units, problems, a date range),
 * as per-field changes (db/exchange/changes.ts) with the evidence files they cite, signed with
 * this office's key and encrypted to the partner's.
 *
 * Import: the header names the sender and the recipients; the package must be for this office and
 * signed by a key of the sender confirmed here before anything is decrypted; the payload is then
 * read once, its hash checked at the end against the signed header. Every record is checked and
 * planned (db/exchange/apply.ts) before the first record is written: the preview. Applying writes in
 * one transaction, with the package row and an audit entry naming the package's digest and sender;
 * a package already applied is a no-op. Receipts (回执): db/exchange/receipts.ts.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { appendEvent } from '../core/audit.js';
import { requirePermission } from '../core/permissions.js';
import { getRow } from '../core/write.js';
import { DomainError } from '../domain/errors.js';
import { offices } from '../schema/index.js';
import { ensureOwnKey, ownSecret } from '../services/partners.js';
import { MISSING_FILE, PACKAGE_CHANGED, PackageIndex, planChanges, Planner, PlanWriter, type Checked, type ImportPreview } from './apply.js';
import { streamChanges, type ChangeStream, type OfficeRef, type RecordChange } from './changes.js';
import { COMPLETE_SCOPE_SQL, resolveScope, type ScopeInput } from './scope.js';
import { labelOf, packageLabels } from './labels.js';
import { mayReceive } from './ownership.js';
import { openPackage, readHeader, verifySignature, writePackage, type Entry, type PackageHeader, type ReadEntry } from './package/index.js';
import { MAX_EVIDENCE_BYTES } from '../services/evidence.js';
import * as v from 'valibot';
import { passphraseRecipient, wrongPassphrase } from './passphrase.js';
import { filesCache } from './cache.js';
import { blobReader, DamagedBlob, MissingBlob, type BlobRead, type BlobReader } from './blob-reader.js';
import { recordBatches, type BatchSource, type Tally } from './record-batches.js';
import { BlobWriter, CHUNK_BYTES } from '../core/blobs.js';
import { addressedToUs, confirmedPartner, lastSeq, now, ownOffice, refuse, safeName, trustedSignKeys } from './transfer-common.js';

/** More tombstones than this in one package need an explicit confirmation at import (EXCHANGE.md 6). */
export const DELETION_CONFIRM_THRESHOLD = 20;

/** Header room for the counts (about 60 bytes for each of the 30-odd tables, with margin). */
export const COUNTS_ROOM = 4096;

/** The ledger version up to which `partnerId` confirmed our packages (0: nothing confirmed yet); partial scopes do not count. */
export function confirmedVersion(ctx: ServiceContext, partnerId: string): number {
  const r = ctx.ledger.prepare(`SELECT max(until_version) AS v FROM exchange_packages WHERE partner_office_id = ? AND direction = 'sent' AND kind = 'changes' AND status = 'confirmed' AND ${COMPLETE_SCOPE_SQL}`).get(partnerId) as { v: number | null };
  return r.v ?? 0;
}


/**
 * Pieces (up to 1 MiB) of files read ahead while the records stream: a file of up to this size is
 * read through by the reader thread meanwhile, then written between two records.
 */
const FILES_AHEAD = 20;

/**
 * The records as they stream from the ledger, then the offices their stamps name; the files they
 * cite, each once, go between the records as soon as each has been read out of the ledger, the
 * rest after the offices (format version 2, docs/exchange-format.md §4.4). The records are read
 * and framed by one worker thread (db/exchange/record-batches.ts) and the files by another
 * (db/exchange/blob-reader.ts, at most FILES_AHEAD pieces ahead), so that this thread only
 * encrypts and hashes. Never the whole package in memory. `tally` counts what went out, for the
 * header the writer signs at the end.
 */
export async function* packageEntries(ctx: ServiceContext, stream: ChangeStream, tally: Tally): AsyncGenerator<Entry> {
  // Each file's size from the record (no page of the file is read for it).
  const sizeOf = ctx.ledger.prepare('SELECT size AS n FROM evidence_blobs WHERE sha256 = ?');
  const asked = new Set<string>();
  const files: { sha256: string; size: number; data: BlobRead }[] = [];
  let reader: BlobReader | null = null;
  const ask = (sha256: string) => {
    if (asked.has(sha256)) return;
    asked.add(sha256);
    const r = sizeOf.get(sha256) as { n: number } | undefined;
    if (!r) return;
    reader ??= blobReader(ctx.ledger, { window: FILES_AHEAD });
    files.push({ sha256, size: r.n, data: reader.read(sha256) });
  };
  const blob = (f: (typeof files)[number]): Entry => ({ type: 'blob', sha256: f.sha256, size: f.size, data: fileBytes(f.data), stored: true });
  let sent = 0;
  let records: BatchSource | null = null;
  try {
    // The files the package will cite, asked for before the first record: they are read while
    // the records are (one pass over the evidence records alone finds them).
    for (const sha of stream.citedFiles()) ask(sha);
    records = recordBatches(ctx.ledger, stream, tally);
    // The records first whenever a batch is waiting (so that their reader never waits for credit);
    // while none is, a file already read, instead of waiting.
    for (;;) {
      if (!records.available && sent < files.length && files[sent]!.data.ready) {
        yield blob(files[sent++]!);
        continue;
      }
      const batch = await records.next();
      if (!batch) break;
      // An evidence record the first look did not see (changed since): its file is asked for now.
      for (const sha of batch.evidence) ask(sha);
      yield { type: 'frames', frames: batch.frames, count: batch.count };
    }
    const refs: OfficeRef[] = [];
    for (const id of stream.officeIds) {
      const row = getRow(ctx, offices, id);
      if (row) refs.push({ id: row.id, name: row.name, kind: row.kind });
    }
    yield { type: 'json', value: { t: 'offices', offices: refs } };
    while (sent < files.length) yield blob(files[sent++]!);
  } finally {
    (records as BatchSource | null)?.close();
    void (reader as BlobReader | null)?.close();
  }
}

async function* fileBytes(pieces: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    yield* pieces;
  } catch (e) {
    if (e instanceof MissingBlob) throw refuse('NOT_FOUND', `evidence_blob_gone:${e.sha256}`, '证据文件在导出过程中被删除，交换包未生成，请重新导出。');
    if (e instanceof DamagedBlob) throw refuse('CORRUPT', `evidence_blob_damaged:${e.sha256}`, '台账中的一个证据文件已损坏（内容与其校验值不符），交换包未生成。请运行台账检查并从备份恢复。');
    throw e;
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
 * record the partner may receive (a new partner, or to repair a lost history); otherwise what changed since the
 * newest package it confirmed, or what `scope` names (a round, units, problems, a date range: db/exchange/scope.ts).
 */
export async function exportPackage(ctx: ServiceContext, o: { partnerId: string; full?: boolean; scope?: ScopeInput; includeClues?: boolean; dir: string }): Promise<ExportResult> {
  requirePermission(ctx, 'exchange.run');
  const partner = confirmedPartner(ctx, o.partnerId);
  const includeClues = o.includeClues === true;
  if (includeClues && !mayReceive(partner.office.kind, 'clues', { includeClues: true })) {
    throw refuse('VALIDATION', 'clues_not_allowed', `${partner.office.name}不能接收问题线索，请勿勾选“包含问题线索”。`);
  }
  const scope = resolveScope(ctx, o.full ? { mode: 'full' } : o.scope);
  // Keys are made (and committed) before the file, so the file's signature is by a key kept here.
  const own = inTransaction(ctx, () => ensureOwnKey(ctx));
  const me = ownOffice(ctx);
  const fromVersion = scope.mode === 'since' ? confirmedVersion(ctx, partner.office.id) : 0;
  const stream = streamChanges(ctx, { sinceVersion: fromVersion, recipientKind: partner.office.kind, includeClues, only: scope.only });
  const { untilVersion } = stream;
  const seq = lastSeq(ctx, partner.office.id, 'sent') + 1;
  const packageId = ctx.ids.next();
  const fileName = `${safeName(me.name)}-交换包-${now(ctx).slice(0, 10)}-${seq}.xzpkg`;
  const tally: Tally = { records: 0, tables: {} };
  const header = {
    packageId, kind: 'changes' as const,
    sender: { officeId: me.id, name: me.name, kind: me.kind, level: me.level, fingerprint: own.fingerprint },
    recipients: [{ officeId: partner.office.id, name: partner.office.name, fingerprint: partner.fingerprint, seq }],
    createdAt: now(ctx),
    scope: { ...scope.header, fromVersion, untilVersion, includesClues: includeClues },
    counts: tally,
  };
  const restore = filesCache(ctx.ledger);
  const written = await writePackage({
    path: join(o.dir, fileName), header,
    // The counts are known once the records have streamed: the header is signed then, in room left for them.
    completeHeader: () => ({ ...header, counts: tally }), headerRoom: COUNTS_ROOM,
    sign: { publicKey: Buffer.from(own.signPublic, 'base64'), secretKey: ownSecret(own).signSecret },
    to: { x25519: [partner.agreePublic] }, entries: packageEntries(ctx, stream, tally),
  }).finally(restore);
  inTransaction(ctx, () => {
    ctx.ledger.prepare(`INSERT INTO exchange_packages (id, direction, kind, partner_office_id, seq, sha256, created_at, from_version, until_version, scope, counts, status, handled_at, handled_by)
      VALUES (?, 'sent', 'changes', ?, ?, ?, ?, ?, ?, ?, ?, 'sent', ?, ?)`).run(
      packageId, partner.office.id, seq, written.sha256, header.createdAt, fromVersion, untilVersion, JSON.stringify(header.scope), JSON.stringify(header.counts), now(ctx), ctx.user?.id ?? null,
    );
    appendEvent(ctx, { action: 'package_exported', entity: 'exchange_packages', entityId: packageId, detail: { to: partner.office.id, seq, sha256: written.sha256, records: tally.records } });
  });
  return { packageId, path: written.path, fileName, bytes: written.bytes, sha256: written.sha256, records: tally.records, fromVersion, untilVersion };
}

// ---------------------------------------------------------------------------------------------
// Import

const officesSchema = v.object({ t: v.literal('offices'), offices: v.array(v.object({ id: v.string(), name: v.string(), kind: v.picklist(['inspected_unit', 'discipline', 'organisation', 'inspection_office', 'functional_dept']) })) });

type BlobEntry = Extract<ReadEntry, { type: 'blob' }>;

/**
 * Records planned and written together by the import's second pass (memory: a batch, never the
 * package). Small enough that a batch is written before the collector has moved its records out of
 * the young generation (1,000 left a peak 30 MB higher at the same speed: bench (h)).
 */
const BATCH = 100;

/**
 * What the header alone tells: for us, signed by a confirmed key of its sender, replay or not, gaps.
 * A passphrase package (first contact, db/exchange/first-contact.ts) opens with `passphrase`
 * instead of our keys; its sender must be confirmed here all the same.
 */
async function checkPackage(ctx: ServiceContext, path: string, passphrase?: string) {
  const first = await readHeader(path);
  if (first.kind !== 'changes') throw refuse('VALIDATION', 'package_kind', '这是回执文件，请使用“导入回执”。');
  const { forUs, identities } = first.encryption === 'scrypt'
    ? passphraseRecipient(ctx, first, passphrase)
    : addressedToUs(ctx, first, '该交换包不是发给本单位的（或是发给本单位已停用的密钥之外的密钥），不能导入。');
  const { header, digest } = await verifySignature(path, trustedSignKeys(ctx));
  const applied = ctx.ledger.prepare("SELECT sha256 FROM exchange_packages WHERE id = ? AND direction = 'received'").get(header.packageId) as { sha256: string } | undefined;
  // The same id, signed by the sender, but not the file applied: never a silent no-op.
  if (applied && applied.sha256 !== digest) throw refuse('CONFLICT', 'package_replay_mismatch', '该交换包的编号与本单位已导入的交换包相同，但内容不同，不能导入。请与发送单位核实。');
  const alreadyApplied = !!applied;
  const seen = new Set((ctx.ledger.prepare("SELECT seq FROM exchange_packages WHERE partner_office_id = ? AND direction = 'received' AND kind = 'changes'").all(header.sender.officeId) as { seq: number }[]).map((r) => r.seq));
  const missing: number[] = [];
  for (let s = 1; s < forUs.seq && missing.length < 100; s++) if (!seen.has(s)) missing.push(s);
  return { header, digest, forUs, identities, alreadyApplied, missing };
}

type CheckedPackage = Awaited<ReturnType<typeof checkPackage>>;

/** The decrypted entries (signature checked before: checkPackage); a wrong passphrase is named as such. */
async function* entriesOf(path: string, checked: CheckedPackage): AsyncGenerator<ReadEntry> {
  // `verified`: the file must still carry the header just verified (not swapped on the stick since).
  try {
    yield* openPackage(path, { identities: checked.identities, verified: checked.header, limits: { maxBlobBytes: MAX_EVIDENCE_BYTES } });
  } catch (e) {
    throw checked.header.encryption === 'scrypt' ? wrongPassphrase(e) : e;
  }
}

/** A record entry's envelope (its content is checked by db/exchange/shape.ts); the parsed object itself, its `t` dropped. */
function recordOf(value: unknown): RecordChange {
  const r = value as Record<string, unknown>;
  if (r.t !== 'record' || typeof r.table !== 'string' || typeof r.id !== 'string' || typeof r.origin !== 'string' || typeof r.createdAt !== 'string') {
    throw refuse('CORRUPT', 'package_record', '交换包中的记录格式不正确。');
  }
  delete r.t;
  return r as unknown as RecordChange;
}

function officesOf(value: unknown): OfficeRef[] {
  const r = v.safeParse(officesSchema, value);
  if (!r.success) throw refuse('CORRUPT', 'package_record', '交换包中的单位清单格式不正确。');
  return r.output.offices;
}

/**
 * SHA-256 over the records' bytes as read, fed in 64 KiB blocks (one hash call per record costs
 * more than the hashing): the second pass must read what the first read.
 */
class RecordsDigest {
  private readonly hash = createHash('sha256');
  private readonly block = Buffer.allocUnsafe(64 * 1024);
  private fill = 0;

  update(bytes: Buffer): void {
    if (bytes.length > this.block.length - this.fill) {
      this.hash.update(this.block.subarray(0, this.fill));
      this.fill = 0;
      if (bytes.length > this.block.length) {
        this.hash.update(bytes);
        return;
      }
    }
    this.fill += bytes.copy(this.block, this.fill);
  }

  digest(): string {
    this.hash.update(this.block.subarray(0, this.fill));
    return this.hash.digest('hex');
  }
}

interface FirstPass {
  checked: Checked;
  offices: OfficeRef[];
  /** SHA-256 over the records' bytes as read: the second pass must read the same. */
  digest: string;
  /** With `labels`: each record's own label (db/exchange/labels.ts), for the preview. */
  labels?: Map<string, string | null>;
}

/**
 * The first pass over the payload: the records and the offices list, each record checked in form
 * and indexed, then the package as a whole (PackageIndex.check: references, cited files, ownership
 * of creations). The records end at the offices list (docs/exchange-format.md §2); files between
 * them (format version 2) are read past, and in version 1 the first file ends them too. Stops
 * there: the payload's hash is checked by the second pass, which must read the same records.
 */
async function firstPass(ctx: ServiceContext, path: string, checked: CheckedPackage, o: { labels?: boolean } = {}): Promise<FirstPass> {
  const index = new PackageIndex(ctx);
  const hash = new RecordsDigest();
  const labels = o.labels ? new Map<string, string | null>() : undefined;
  const filesBetween = checked.header.version >= 2;
  let offices: OfficeRef[] = [];
  for await (const e of entriesOf(path, checked)) {
    if (e.type === 'blob') {
      if (filesBetween) continue;
      break;
    }
    hash.update(e.bytes);
    if ((e.value as { t?: unknown }).t === 'offices') {
      offices = officesOf(e.value);
      break;
    }
    const c = recordOf(e.value);
    index.add(c);
    labels?.set(c.id, labelOf(c.row));
  }
  return { checked: index.check(offices, 'later'), offices, digest: hash.digest(), ...(labels ? { labels } : {}) };
}

/**
 * The second pass: the whole payload, decrypted again. The records go to `onBatch` BATCH at a time
 * and `onRecordsEnd` is called once they are all through (at the offices list, at the first file
 * in format version 1, or at the end); a record after that is refused, and so is a record the first
 * pass did not read. Files go to `onBlob` as they stream, between the records too in version 2
 * (import stores those it needs; unread bytes are still checked). Nothing read counts unless this
 * returns: the payload's length and SHA-256 against the signed header are checked at the end of the
 * stream. Returns the SHA-256 of the files the package carries.
 */
async function secondPass(
  path: string, checked: CheckedPackage, first: FirstPass,
  hooks: { onBatch: (batch: RecordChange[]) => void; onRecordsEnd?: () => void; onBlob?: (e: BlobEntry) => Promise<void> },
): Promise<Set<string>> {
  const blobs = new Set<string>();
  const hash = new RecordsDigest();
  const filesBetween = checked.header.version >= 2;
  let batch: RecordChange[] = [];
  let recordsDone = false;
  const recordsEnd = () => {
    if (recordsDone) return;
    recordsDone = true;
    if (hash.digest() !== first.digest) throw refuse('CORRUPT', 'package_changed', PACKAGE_CHANGED);
    if (batch.length > 0) hooks.onBatch(batch);
    batch = [];
    hooks.onRecordsEnd?.();
  };
  for await (const e of entriesOf(path, checked)) {
    if (e.type === 'blob') {
      if (!filesBetween) recordsEnd();
      if (hooks.onBlob) await hooks.onBlob(e);
      blobs.add(e.sha256);
      continue;
    }
    if (recordsDone) throw refuse('CORRUPT', 'package_record', filesBetween ? '交换包中的记录应在单位清单之前，该交换包格式不正确。' : '交换包中的记录应在证据文件之前，该交换包格式不正确。');
    hash.update(e.bytes);
    if ((e.value as { t?: unknown }).t === 'offices') {
      recordsEnd();
      continue;
    }
    batch.push(recordOf(e.value));
    if (batch.length >= BATCH) {
      hooks.onBatch(batch);
      batch = [];
    }
  }
  recordsEnd();
  return blobs;
}

/** Reads and checks the whole payload (a replay: the package is applied here already). */
async function verifyPayload(path: string, checked: CheckedPackage): Promise<void> {
  for await (const _e of entriesOf(path, checked));
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

/**
 * 导入预览: what applying the package would do, record by record and field by field. Checked and
 * planned as the import checks and plans it (two passes), so that a package the import would
 * refuse is refused here for the same reason.
 */
export async function previewPackage(ctx: ServiceContext, path: string, opts: { passphrase?: string } = {}): Promise<PackagePreview> {
  requirePermission(ctx, 'exchange.run');
  const checked = await checkPackage(ctx, path, opts.passphrase);
  const first = await firstPass(ctx, path, checked, { labels: true });
  const planner = new Planner(ctx, first.checked, first.offices);
  const labels: Record<string, string> = {};
  const blobs = await secondPass(path, checked, first, {
    onBatch: (batch) => {
      const from = planner.preview.items.length;
      planner.plan(batch);
      const wanted = new Set(planner.preview.items.slice(from).map((i) => i.id));
      if (wanted.size > 0) Object.assign(labels, packageLabels(ctx, batch, wanted, first.labels));
    },
  });
  for (const sha of first.checked.filesDue) if (!blobs.has(sha)) throw refuse('CORRUPT', 'package_reference', MISSING_FILE);
  const { preview } = planner;
  return {
    header: checked.header, alreadyApplied: checked.alreadyApplied, missing: checked.missing, preview,
    needsDeletionConfirmation: preview.deletions > DELETION_CONFIRM_THRESHOLD, labels,
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
export async function importPackage(ctx: ServiceContext, path: string, o: { confirmDeletions?: boolean; passphrase?: string } = {}): Promise<ImportResult> {
  requirePermission(ctx, 'exchange.run');
  const checked = await checkPackage(ctx, path, o.passphrase);
  const { header } = checked;
  // A replay: the very package applied here already (same digest). Read through all the same, so a
  // damaged copy is refused as it would be anywhere else; then nothing to do.
  if (checked.alreadyApplied) {
    await verifyPayload(path, checked);
    return { packageId: header.packageId, alreadyApplied: true, missing: checked.missing, preview: planChanges(ctx, [], []).preview };
  }
  const l = ctx.ledger;
  if (l.state.busy) throw new DomainError('LOCKED', l.state.busy, { reason: 'busy' });
  const saved = { ...l.state, hlc: { ...l.state.hlc } };
  l.state.busy = '正在导入交换包，请稍候。';
  let restore: (() => void) | undefined;
  l.prepare('BEGIN IMMEDIATE').run();
  try {
    // Two passes, both inside this transaction (nothing else writes between them). The first
    // checks every record and the package as a whole before the first write. The second plans
    // and writes the records a batch at a time (a 100,000-record package is never held whole),
    // then stores each file the new evidence cites and this ledger lacks as it streams (one file
    // in memory at a time). All of it goes if anything fails, down to the last check: every cited
    // file this ledger lacked came in the package.
    const first = await firstPass(ctx, path, checked);
    const planner = new Planner(ctx, first.checked, first.offices);
    let writer: PlanWriter | null = new PlanWriter(ctx, header.packageId);
    const { filesDue } = first.checked;
    const pieceBuffer = Buffer.allocUnsafe(CHUNK_BYTES);
    // A package that carries files (its header counts evidence) is imported on a small page cache
    // (db/exchange/cache.ts): files are written once, and the pages the ledger's usual 64 MiB cache
    // would hold while the records are written stay in the process's memory while 1 GB of files
    // streams after them. Records alone keep the usual cache (index pages of a large ledger).
    const counted = (header.counts as { tables?: Record<string, { records?: unknown } | undefined> }).tables?.evidence?.records;
    if (typeof counted === 'number' && counted > 0) restore = filesCache(l);
    await secondPass(path, checked, first, {
      onBatch: (batch) => {
        writer!.write(planner.plan(batch));
        if (planner.preview.deletions > DELETION_CONFIRM_THRESHOLD && !o.confirmDeletions) {
          throw refuse('CONFLICT', 'needs_deletion_confirmation', `该交换包将删除超过${DELETION_CONFIRM_THRESHOLD}条记录，请确认后再导入。`);
        }
      },
      onRecordsEnd: () => {
        writer!.finish();
        writer = null;
        first.checked.index.release();
      },
      onBlob: async (e) => {
        if (!filesDue.has(e.sha256)) return; // read and checked by the container all the same
        restore ??= filesCache(l);
        // Stored as it streams, 1 MiB at a time (db/core/blobs.ts), through one buffer for every file.
        const w = new BlobWriter(l, e.sha256, e.size, now(ctx), pieceBuffer);
        for await (const piece of e.data) w.write(piece);
        w.end();
        filesDue.delete(e.sha256);
      },
    });
    if (filesDue.size > 0) throw refuse('CORRUPT', 'package_reference', MISSING_FILE);
    const { preview } = planner;
    const recipient = checked.forUs;
    l.prepare(`INSERT INTO exchange_packages (id, direction, kind, partner_office_id, seq, sha256, created_at, scope, counts, status, handled_at, handled_by, summary)
      VALUES (?, 'received', 'changes', ?, ?, ?, ?, ?, ?, 'applied', ?, ?, ?)`).run(
      header.packageId, header.sender.officeId, recipient.seq, checked.digest, header.createdAt, JSON.stringify(header.scope), JSON.stringify(header.counts),
      now(ctx), ctx.user?.id ?? null,
      // What the receipt reports: the counts, and each refused record with its reason.
      JSON.stringify({ counts: preview.counts, refused: preview.items.filter((i) => i.outcome === 'refused').map((i) => ({ table: i.table, id: i.id, reason: i.to })) }),
    );
    appendEvent(ctx, { action: 'package_imported', entity: 'exchange_packages', entityId: header.packageId, detail: { from: header.sender.officeId, seq: recipient.seq, sha256: checked.digest, counts: preview.counts } });
    l.prepare('COMMIT').run();
    return { packageId: header.packageId, alreadyApplied: false, missing: checked.missing, preview };
  } catch (e) {
    if (l.sqlite.inTransaction) l.prepare('ROLLBACK').run();
    Object.assign(l.state, saved);
    throw e;
  } finally {
    restore?.();
    l.state.busy = null;
  }
}

export { deliveryHistory, importReceipt, withdrawFirstContact, writeReceipt, type PartnerDelivery, type ReceiptResult } from './receipts.js';
