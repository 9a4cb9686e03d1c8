import { CHUNK_BYTES, readBlob } from '../../db/core/blobs.js';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { confirmEachOther, exchangeOffice, tempDir, type ExchangeOffice } from '../helpers/exchange-offices.js';
import { inTransaction } from '../../db/core/context.js';
import { getRow, updateRow } from '../../db/core/write.js';
import { verifyLedger } from '../../db/core/verify.js';
import type { OfficeKind } from '../../db/domain/enums.js';
import { confirmedVersion, deliveryHistory, exportPackage, importPackage, importReceipt, previewPackage, writeReceipt } from '../../db/exchange/transfer.js';
import { rounds, tasks } from '../../db/schema/index.js';
import { reviewCloseout, submitCloseout } from '../../db/services/closeout.js';
import { createUser, login } from '../../db/services/office.js';
import { addPartner, ensureOwnKey, exportCard, ownSecret } from '../../db/services/partners.js';
import { readAll, writePackage } from '../../db/exchange/package/index.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxTask, fxUnit } from '../helpers/fixtures.js';
import { addEvidence } from '../../db/services/evidence.js';

const PASSWORD = 'jiaohuan-mima-2024';
const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((f) => f()));

type Office = ExchangeOffice;
const office = (name: string, kind: OfficeKind, seed: number, files?: string): Office => exchangeOffice(cleanup, { name, kind, seed, password: PASSWORD, ...(files ? { dir: files } : {}) });
const dir = () => tempDir(cleanup, 'xz-pkg-');

/** Two offices that confirmed each other's cards (`files`: encrypted ledger files in that folder). */
function pair(files?: string) {
  const insp = office('某省委巡视办', 'inspection_office', 21, files);
  const unit = office('某某集团有限公司巡视整改工作领导小组办公室', 'inspected_unit', 22, files);
  confirmEachOther(insp, unit);
  const base = inTransaction(insp.ctx, () => {
    const round = fxRound(insp.ctx);
    const u = fxUnit(insp.ctx);
    fxInspection(insp.ctx, { roundId: round.id, unitId: u.id });
    return { round, unit: u };
  });
  return { insp, unit, base };
}

/** A problem and its task filed at the unit, under the inspection the inspection office sent it. */
function unitTask(unit: Office, base: ReturnType<typeof pair>['base'], task: Partial<Parameters<typeof fxTask>[1]> = {}) {
  const inspection = unit.ledger.sqlite.prepare('SELECT id FROM inspections').get() as { id: string };
  return inTransaction(unit.ctx, () => {
    const p = fxProblem(unit.ctx, { unitId: base.unit.id, categoryId: categoryId(unit.ctx, '廉洁风险'), roundId: base.round.id, inspectionId: inspection.id });
    return fxTask(unit.ctx, { problemId: p.id, unitId: base.unit.id, roundId: base.round.id, ...task });
  });
}

const fingerprintOf = (o: Office) => o.ledger.sqlite.serialize().toString('base64');

describe('packages between two ledgers', () => {
  it('exports, previews, imports in one transaction; a second import changes nothing; the ledger still verifies', async () => {
    const { insp, unit, base } = pair();
    const out = dir();
    const x = await exportPackage(insp.ctx, { partnerId: unit.id, dir: out });
    expect(x.fileName).toMatch(/^某省委巡视办-交换包-2024-09-01-1\.xzpkg$/);
    expect(x.records).toBeGreaterThanOrEqual(4);
    const before = fingerprintOf(unit);
    const p = await previewPackage(unit.ctx, x.path);
    expect(p.alreadyApplied).toBe(false);
    expect(p.preview.counts.new).toBe(x.records);
    expect(fingerprintOf(unit)).toBe(before); // the preview wrote nothing
    const r = await importPackage(unit.ctx, x.path);
    expect(r.preview.counts.new).toBe(x.records);
    expect(getRow(unit.ctx, rounds, base.round.id)!.name).toBe(base.round.name);
    const v = unit.ledger.state.version;
    const again = await importPackage(unit.ctx, x.path);
    expect(again.alreadyApplied).toBe(true);
    expect(unit.ledger.state.version).toBe(v);
    expect(verifyLedger(unit.ledger).severity).toBe('ok');
    expect(unit.ledger.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'package_imported'").get()).toEqual({ n: 1 });

    // A later change travels in the next package; a package received out of order names the gap.
    inTransaction(insp.ctx, () => updateRow(insp.ctx, rounds, getRow(insp.ctx, rounds, base.round.id)!, { name: '某省委2024年第二轮巡视' }));
    const x2 = await exportPackage(insp.ctx, { partnerId: unit.id, dir: out });
    const x3 = await exportPackage(insp.ctx, { partnerId: unit.id, dir: out });
    const r3 = await importPackage(unit.ctx, x3.path);
    expect(r3.missing).toEqual([2]);
    expect(getRow(unit.ctx, rounds, base.round.id)!.name).toBe('某省委2024年第二轮巡视');
    // The older package arriving after the newer one neither reverts nor fails.
    const r2 = await importPackage(unit.ctx, x2.path);
    expect(r2.preview.counts.changed).toBe(0);
    expect(getRow(unit.ctx, rounds, base.round.id)!.name).toBe('某省委2024年第二轮巡视');
  });

  it('refuses a flipped byte, a package for another office and one from an unconfirmed sender, changing nothing', async () => {
    const { insp, unit } = pair();
    const out = dir();
    const x = await exportPackage(insp.ctx, { partnerId: unit.id, dir: out });
    const before = fingerprintOf(unit);
    const bytes = readFileSync(x.path);
    for (const at of [10, 200, Math.floor(bytes.length / 2), bytes.length - 5]) {
      const bad = Buffer.from(bytes);
      bad[at]! ^= 0x04;
      const f = join(out, `bad-${at}.xzpkg`);
      writeFileSync(f, bad);
      await expect(importPackage(unit.ctx, f)).rejects.toMatchObject({ name: expect.any(String) });
      expect(fingerprintOf(unit)).toBe(before);
    }
    writeFileSync(join(out, 'cut.xzpkg'), bytes.subarray(0, bytes.length - 100));
    await expect(importPackage(unit.ctx, join(out, 'cut.xzpkg'))).rejects.toMatchObject({ reason: expect.stringMatching(/package_|age_/) });
    // The inspection office imports its own package: not for it.
    await expect(importPackage(insp.ctx, x.path)).rejects.toMatchObject({ reason: 'package_not_for_us' });
    // A third office that the unit never confirmed.
    const stranger = office('某市委巡察办', 'inspection_office', 23);
    const cs = exportCard(stranger.ctx);
    addPartner(stranger.ctx, { card: exportCard(unit.ctx).text, fingerprint: exportCard(unit.ctx).fingerprint });
    addPartner(unit.ctx, { card: cs.text }); // added, not confirmed
    const before2 = fingerprintOf(unit);
    const y = await exportPackage(stranger.ctx, { partnerId: unit.id, dir: out });
    await expect(importPackage(unit.ctx, y.path)).rejects.toMatchObject({ reason: 'package_unknown_sender' });
    expect(fingerprintOf(unit)).toBe(before2);
  });

  it('a receipt moves the sender’s confirmed point exactly; the next package carries only what changed since', async () => {
    const { insp, unit, base } = pair();
    const out = dir();
    const x1 = await exportPackage(insp.ctx, { partnerId: unit.id, dir: out });
    await importPackage(unit.ctx, x1.path);
    const rc = await writeReceipt(unit.ctx, { packageId: x1.packageId, dir: out });
    expect(rc.fileName).toMatch(/回执/);
    await expect(importPackage(insp.ctx, rc.path)).rejects.toMatchObject({ reason: 'package_kind' });
    expect(confirmedVersion(insp.ctx, unit.id)).toBe(0);
    expect(await importReceipt(insp.ctx, rc.path)).toEqual({ refersTo: x1.packageId, alreadyConfirmed: false });
    expect(confirmedVersion(insp.ctx, unit.id)).toBe(x1.untilVersion);
    expect(await importReceipt(insp.ctx, rc.path)).toEqual({ refersTo: x1.packageId, alreadyConfirmed: true });
    // Only the renamed round (with nothing else) travels next.
    inTransaction(insp.ctx, () => updateRow(insp.ctx, rounds, getRow(insp.ctx, rounds, base.round.id)!, { name: '某省委2024年第三轮巡视' }));
    const x2 = await exportPackage(insp.ctx, { partnerId: unit.id, dir: out });
    expect(x2.fromVersion).toBe(x1.untilVersion);
    expect(x2.records).toBe(1);
    const h = deliveryHistory(insp.ctx);
    expect(h).toEqual([expect.objectContaining({ officeId: unit.id, sent: 2, confirmed: 1, received: 0, missing: [] })]);
    // A receipt is for the sender only.
    await expect(importReceipt(unit.ctx, rc.path)).rejects.toMatchObject({ reason: 'package_not_for_us' });
  });

  // In memory the files are read on the export's own thread; from encrypted ledger files, in a
  // worker thread with its own connection (db/exchange/blob-reader.ts).
  it.each(['in-memory', 'encrypted file'] as const)('carries evidence with its file by SHA-256; a file already held is not stored twice (%s ledgers)', async (where) => {
    const { insp, unit, base } = pair(where === 'encrypted file' ? dir() : undefined);
    const out = dir();
    await importPackage(unit.ctx, (await exportPackage(insp.ctx, { partnerId: unit.id, dir: out })).path);
    const task = unitTask(unit, base);
    const bytes = Buffer.alloc(300_000, 7);
    bytes.write('整改佐证材料', 0);
    const ev = addEvidence(unit.ctx, { ownerType: 'task', ownerId: task.id, fileName: '整改报告.pdf', mimeType: 'application/pdf', formedOn: '2024-08-30', dataBase64: bytes.toString('base64') });
    // Two more, of other sizes: each arrives whole and in its place (the next file is read while one is written).
    // The first is over 1 MiB: stored in pieces at both ends (db/core/blobs.ts), read and written piece by piece.
    const more = [randomBytes(2 * CHUNK_BYTES + 70_000), randomBytes(1)].map((b, i) => ({ b, ev: addEvidence(unit.ctx, { ownerType: 'task', ownerId: task.id, fileName: `附件${i + 1}.pdf`, mimeType: 'application/pdf', formedOn: '2024-08-30', dataBase64: b.toString('base64') }) }));
    const x = await exportPackage(unit.ctx, { partnerId: insp.id, dir: out });
    const r = await importPackage(insp.ctx, x.path);
    expect(r.preview.counts.new).toBeGreaterThanOrEqual(5); // problem, task, three evidence
    const fileOf = insp.ledger.sqlite.prepare('SELECT e.file_name AS name, b.data FROM evidence e JOIN evidence_blobs b ON b.sha256 = e.sha256 WHERE e.id = ?');
    const got = fileOf.get(ev.id) as { name: string; data: Buffer };
    expect(got.name).toBe('整改报告.pdf');
    expect(got.data.equals(bytes)).toBe(true);
    for (const m of more) expect(readBlob(insp.ledger, m.ev.sha256)!.equals(m.b)).toBe(true);
    expect(insp.ledger.sqlite.prepare('SELECT count(*) AS n FROM evidence_chunks WHERE sha256 = ?').get(more[0]!.ev.sha256)).toEqual({ n: 3 });
    expect(verifyLedger(insp.ledger).severity).toBe('ok');
    // Flip a byte inside the file's bytes: the package is refused whole.
    const raw = readFileSync(x.path);
    const bad = Buffer.from(raw);
    bad[raw.length - 1000]! ^= 1;
    writeFileSync(join(out, 'bad-blob.xzpkg'), bad);
    // As if the package had not been imported yet (the replay check would answer first otherwise).
    insp.ledger.sqlite.prepare('DELETE FROM exchange_packages WHERE id = ?').run(x.packageId);
    const mid = insp.ledger.sqlite.serialize();
    await expect(importPackage(insp.ctx, join(out, 'bad-blob.xzpkg'))).rejects.toMatchObject({ reason: expect.stringMatching(/^(package|age)_/) });
    expect(insp.ledger.sqlite.serialize().equals(mid)).toBe(true);
  });

  it('files go between the records (format 2); a version 1 package, every file after the records, still imports', async () => {
    const { insp, unit, base } = pair();
    const out = dir();
    await importPackage(unit.ctx, (await exportPackage(insp.ctx, { partnerId: unit.id, dir: out })).path);
    const task = unitTask(unit, base);
    const files = [randomBytes(3000), randomBytes(CHUNK_BYTES + 5)].map((b, i) => ({ b, ev: addEvidence(unit.ctx, { ownerType: 'task', ownerId: task.id, fileName: `佐证${i + 1}.pdf`, mimeType: 'application/pdf', formedOn: '2024-08-30', dataBase64: b.toString('base64') }) }));
    const x = await exportPackage(unit.ctx, { partnerId: insp.id, dir: out });
    const { header, entries } = await readAll(x.path, [ownSecret(ensureOwnKey(insp.ctx)).agreeSecret]);
    expect(header.version).toBe(2);
    const kinds = entries.map((e) => (e.type === 'blob' ? 'blob' : (e.value as { t: string }).t));
    // In memory the files are read on the export's own thread, so each is ready at once, and the
    // records are built here as they are asked for: both files go first, before any record.
    expect(kinds.slice(0, 3)).toEqual(['blob', 'blob', 'record']);
    expect(kinds.at(-1)).toBe('offices');
    expect(kinds.filter((k) => k === 'blob')).toHaveLength(2);

    // The same entries as version 1 lays them out (records, the offices list, then the files), signed by the unit as version 1.
    const { format: _f, version: _v, encryption: _e, payload: _p, ...input } = header;
    const own = ensureOwnKey(unit.ctx);
    const seal = async (name: string, es: typeof entries) => (await writePackage({
      path: join(out, name), header: { ...input, packageId: unit.ctx.ids.next() }, version: 1,
      sign: { publicKey: Buffer.from(own.signPublic, 'base64'), secretKey: ownSecret(own).signSecret },
      to: { x25519: [Buffer.from(ensureOwnKey(insp.ctx).agreePublic, 'base64')] }, entries: es,
    })).path;
    const json = entries.filter((e) => e.type === 'json');
    const blobs = entries.filter((e) => e.type === 'blob');
    // Version 1 keeps its rule: a record after a file is refused (an evidence record, which nothing refers to, moved after the first file).
    const i = json.findIndex((e) => (e.value as { table?: string }).table === 'evidence');
    const late = await seal('v1-late.xzpkg', [...json.slice(0, i), ...json.slice(i + 1, -1), blobs[0]!, json[i]!, json.at(-1)!, blobs[1]!]);
    expect((await readAll(late, [ownSecret(ensureOwnKey(insp.ctx)).agreeSecret])).header.version).toBe(1);
    const before = fingerprintOf(insp);
    await expect(importPackage(insp.ctx, late)).rejects.toMatchObject({ reason: 'package_record' });
    expect(fingerprintOf(insp)).toBe(before);
    const v1 = await seal('v1.xzpkg', [...json, ...blobs]);
    const r = await importPackage(insp.ctx, v1);
    expect(r.preview.counts.new).toBe(4); // the problem, its task, two evidence records (the rest came from here)
    for (const f of files) expect(readBlob(insp.ledger, f.ev.sha256)!.equals(f.b)).toBe(true);
    expect(verifyLedger(insp.ledger).severity).toBe('ok');
  });

  it('an evidence file whose stored bytes no longer match its SHA-256 stops the export: no package is written', async () => {
    const { insp, unit, base } = pair(dir());
    const out = dir();
    await importPackage(unit.ctx, (await exportPackage(insp.ctx, { partnerId: unit.id, dir: out })).path);
    const task = unitTask(unit, base);
    const ev = addEvidence(unit.ctx, { ownerType: 'task', ownerId: task.id, fileName: '整改报告.pdf', mimeType: 'application/pdf', formedOn: '2024-08-30', dataBase64: randomBytes(8000).toString('base64') });
    unit.ledger.sqlite.prepare('UPDATE evidence_blobs SET data = ? WHERE sha256 = ?').run(randomBytes(8000), ev.sha256);
    const empty = dir();
    await expect(exportPackage(unit.ctx, { partnerId: insp.id, dir: empty })).rejects.toMatchObject({ code: 'CORRUPT', reason: `evidence_blob_damaged:${ev.sha256}`, message: expect.stringMatching(/证据文件已损坏/) });
    expect(readdirSync(empty)).toEqual([]);
  });

  it('a close-out travels: submitted at the unit, accepted at the discipline office, the task closed on both sides', async () => {
    const { insp, unit, base } = pair();
    const out = dir();
    const disc = office('某省纪委监委第三监督检查室', 'discipline', 25);
    const cd = exportCard(disc.ctx);
    const cu = exportCard(unit.ctx);
    addPartner(unit.ctx, { card: cd.text, fingerprint: cd.fingerprint });
    addPartner(disc.ctx, { card: cu.text, fingerprint: cu.fingerprint });
    await importPackage(unit.ctx, (await exportPackage(insp.ctx, { partnerId: unit.id, dir: out })).path);
    const task = unitTask(unit, base, { status: 'in_progress' });
    addEvidence(unit.ctx, { ownerType: 'task', ownerId: task.id, fileName: '整改完成情况.pdf', mimeType: 'application/pdf', formedOn: '2024-08-30', dataBase64: Buffer.from('整改完成情况说明').toString('base64') });
    unit.clock.advance(86_400_000);
    submitCloseout(unit.ctx, { taskId: task.id, completedOn: '2024-09-01', note: '已按期完成整改。' });
    await importPackage(disc.ctx, (await exportPackage(unit.ctx, { partnerId: disc.id, dir: out })).path);
    expect(getRow(disc.ctx, tasks, task.id)).toMatchObject({ status: 'pending_review', submittedBy: unit.ctx.user!.id });
    // A reviewer of the discipline office accepts it.
    createUser(disc.ctx, { username: 'shenhe', displayName: '审核员甲', role: 'reviewer', password: PASSWORD });
    const reviewer = { ...disc.ctx, user: login({ ...disc.ctx, user: null }, { username: 'shenhe', password: PASSWORD }) };
    disc.clock.advance(2 * 86_400_000);
    reviewCloseout(reviewer, { taskId: task.id, decision: 'accept', comment: '同意销号。' });
    const closedThere = getRow(disc.ctx, tasks, task.id)!;
    expect(closedThere.status).toBe('closed');
    await importPackage(unit.ctx, (await exportPackage(disc.ctx, { partnerId: unit.id, dir: out })).path);
    const closedHere = getRow(unit.ctx, tasks, task.id)!;
    expect(closedHere).toMatchObject({ status: 'closed', closedAt: closedThere.closedAt });
    expect(unit.ledger.sqlite.prepare('SELECT status FROM problems WHERE id = ?').get(task.problemId)).toEqual({ status: 'closed' });
    expect(verifyLedger(unit.ledger).severity).toBe('ok');
  });
});
