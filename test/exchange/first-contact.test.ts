/**
 * 首次联络包 (db/exchange/first-contact.ts, docs/exchange-format.md §4.9): two real encrypted
 * ledgers that have not exchanged cards. The unit exports with a passphrase; the inspection office
 * reads the sender's card from the header, confirms its fingerprint, imports with the passphrase
 * and sends a normal receipt back, which binds the package to it at the unit; the next "since"
 * export starts where the snapshot ended. Refusals change nothing (ledger fingerprint).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exchangeOffice, tempDir, type ExchangeOffice } from '../helpers/exchange-offices.js';
import { verifyLedger } from '../../db/core/verify.js';
import type { OfficeKind } from '../../db/domain/enums.js';
import { expectError } from '../helpers/expect.js';
import { exportFirstContact, firstContactCard, suggestPassphrase } from '../../db/exchange/first-contact.js';
import { readHeader, writePackage, type PackageHeader } from '../../db/exchange/package/index.js';
import { normalizePassphrase } from '../../db/exchange/passphrase.js';
import { confirmedVersion, deliveryHistory, exportPackage, importPackage, importReceipt, previewPackage, withdrawFirstContact, writeReceipt } from '../../db/exchange/transfer.js';
import { createCategory, renameCategory } from '../../db/services/categories.js';
import { addPartner, ensureOwnKey, exportCard, listPartners, ownSecret } from '../../db/services/partners.js';
import { ledgerFingerprint } from '../helpers/ledger-fingerprint.js';

const PASSWORD = 'lianluo-mima-2024';
const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((f) => f()));

type Office = ExchangeOffice;
const office = (name: string, kind: OfficeKind, seed: number): Office => exchangeOffice(cleanup, { name, kind, seed, password: PASSWORD, today: '2024-10-08' });
const dir = () => tempDir(cleanup, 'xz-first-');

const reasonOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: { reason?: string }) => e.reason ?? String(e));

/** As a clerk types what was read over the phone: lower case, spaces instead of dashes. */
const spoken = (s: string) => s.toLowerCase().replace(/-/g, ' ');

describe('first contact (passphrase package, cards not yet exchanged)', () => {
  it('unit → inspection office: card checked, fingerprint confirmed, passphrase imports, the receipt binds and confirms', async () => {
    const unit = office('某某集团有限公司巡视整改工作领导小组办公室', 'inspected_unit', 31);
    const insp = office('某省委巡视办', 'inspection_office', 32);
    const out = dir();
    const cat = createCategory(unit.ctx, { name: '首次联络测试类别' });

    const pass = suggestPassphrase();
    expect(pass).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){5}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(suggestPassphrase()).not.toBe(pass);
    const to = { dir: out, recipientName: '某省委巡视办', recipientKind: 'inspection_office' as const };
    expect(await reasonOf(exportFirstContact(unit.ctx, { ...to, passphrase: 'ABCD-EFGH-JK' }))).toBe('passphrase_too_short');
    expect(await reasonOf(exportFirstContact(unit.ctx, { ...to, recipientKind: 'inspected_unit', passphrase: pass, includeClues: true }))).toBe('clues_not_allowed');
    const x = await exportFirstContact(unit.ctx, { ...to, passphrase: pass });
    expect(x.fileName).toMatch(/首次联络包/);
    expect(x.records).toBeGreaterThanOrEqual(1);

    // Readable without any key: a passphrase package to no office yet, carrying the sender's card.
    const h = await readHeader(x.path);
    expect(h.encryption).toBe('scrypt');
    expect(h.recipients).toEqual([{ officeId: null, name: '某省委巡视办', fingerprint: null, seq: 1 }]);
    expect(h.scope).toMatchObject({ mode: 'first_contact', recipientKind: 'inspection_office', fromVersion: 0, untilVersion: x.untilVersion });
    expect(h.card).toBe(exportCard(unit.ctx).text);
    expect(unit.ledger.sqlite.prepare("SELECT partner_office_id AS p, seq, status FROM exchange_packages WHERE id = ?").get(x.packageId)).toEqual({ p: '', seq: 1, status: 'sent' });
    expect(unit.ledger.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'package_exported'").get()).toEqual({ n: 1 });
    // 交换记录 lists it before any partner exists: named as the export named its recipient, waiting for the receipt.
    expect(deliveryHistory(unit.ctx)).toEqual([{
      officeId: '', name: '某省委巡视办', firstContact: { packageId: x.packageId, recipientKind: 'inspection_office' },
      sent: 1, confirmed: 0, received: 0, missing: [], lastSentAt: expect.any(String), lastReceivedAt: null,
    }]);
    // 撤回: no longer listed (once; an unknown package is not found); its receipt, should it come, still binds it (below).
    withdrawFirstContact(unit.ctx, x.packageId);
    expect(deliveryHistory(unit.ctx)).toEqual([]);
    expectError(() => withdrawFirstContact(unit.ctx, x.packageId), 'CONFLICT', undefined, 'first_contact_not_pending');
    expectError(() => withdrawFirstContact(unit.ctx, '0190a000-0000-7000-8000-000000000000'), 'NOT_FOUND', undefined, 'first_contact_not_found');
    expect(unit.ledger.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'package_withdrawn'").get()).toEqual({ n: 1 });

    // The receiver sees who sent it and the fingerprint to compare by phone.
    const unitCard = exportCard(unit.ctx);
    const card = await firstContactCard(insp.ctx, x.path);
    expect(card).toMatchObject({ packageId: x.packageId, office: { id: unit.id, kind: 'inspected_unit', level: 'province' }, fingerprint: unitCard.fingerprint, recipientName: '某省委巡视办', trusted: false, records: x.records });
    expect(card.card).toBe(unitCard.text);

    // Before the card is confirmed: no passphrase asked for first, then the sender unknown; nothing changes.
    const before = ledgerFingerprint(insp.ledger);
    expect(await reasonOf(previewPackage(insp.ctx, x.path))).toBe('passphrase_required');
    expect(await reasonOf(importPackage(insp.ctx, x.path))).toBe('passphrase_required');
    expect(await reasonOf(importPackage(insp.ctx, x.path, { passphrase: pass }))).toBe('package_unknown_sender');
    expect(ledgerFingerprint(insp.ledger)).toBe(before);

    // A mistyped fingerprint is refused and adds nothing.
    const fp = unitCard.fingerprint;
    const typo = `${fp.slice(0, -1)}${fp.endsWith('0') ? '1' : '0'}`;
    expect(() => addPartner(insp.ctx, { card: card.card, fingerprint: typo })).toThrow(expect.objectContaining({ reason: 'fingerprint_mismatch' }));
    expect(ledgerFingerprint(insp.ledger)).toBe(before);
    // The right one, as typed from the phone call: added and confirmed.
    expect(addPartner(insp.ctx, { card: card.card, fingerprint: spoken(fp) })).toMatchObject({ officeId: unit.id, trust: 'confirmed' });
    expect((await firstContactCard(insp.ctx, x.path)).trusted).toBe(true);

    // A wrong passphrase: the age layer's refusal, nothing written.
    const confirmed = ledgerFingerprint(insp.ledger);
    const wrong = suggestPassphrase();
    expect(await reasonOf(previewPackage(insp.ctx, x.path, { passphrase: wrong }))).toBe('package_recipient');
    await expect(importPackage(insp.ctx, x.path, { passphrase: wrong })).rejects.toMatchObject({ reason: 'package_recipient', message: expect.stringContaining('口令不正确') });
    expect(ledgerFingerprint(insp.ledger)).toBe(confirmed);

    // The right passphrase, as typed from the phone call.
    const p = await previewPackage(insp.ctx, x.path, { passphrase: spoken(pass) });
    expect(p.preview.counts.new).toBe(x.records);
    expect(ledgerFingerprint(insp.ledger)).toBe(confirmed);
    const r = await importPackage(insp.ctx, x.path, { passphrase: spoken(pass) });
    expect(r).toMatchObject({ packageId: x.packageId, alreadyApplied: false, missing: [] });
    expect(insp.ledger.sqlite.prepare('SELECT name FROM problem_categories WHERE id = ?').get(cat.id)).toEqual({ name: '首次联络测试类别' });
    expect(insp.ledger.sqlite.prepare("SELECT partner_office_id AS p, seq, status FROM exchange_packages WHERE id = ? AND direction = 'received'").get(x.packageId))
      .toEqual({ p: unit.id, seq: 1, status: 'applied' });
    expect((await importPackage(insp.ctx, x.path, { passphrase: pass })).alreadyApplied).toBe(true);
    expect(verifyLedger(insp.ledger).severity).toBe('ok');

    // The receipt back is a normal one (the receiver has the unit's card now).
    const rc = await writeReceipt(insp.ctx, { packageId: x.packageId, dir: out });
    // The unit has not confirmed the inspection office's card yet: refused, nothing bound.
    const unitBefore = ledgerFingerprint(unit.ledger);
    expect(await reasonOf(importReceipt(unit.ctx, rc.path))).toBe('package_unknown_sender');
    expect(ledgerFingerprint(unit.ledger)).toBe(unitBefore);
    const inspCard = exportCard(insp.ctx);
    addPartner(unit.ctx, { card: inspCard.text, fingerprint: inspCard.fingerprint });
    expect(confirmedVersion(unit.ctx, insp.id)).toBe(0);
    expect(await importReceipt(unit.ctx, rc.path)).toEqual({ refersTo: x.packageId, alreadyConfirmed: false });
    expect(unit.ledger.sqlite.prepare('SELECT partner_office_id AS p, status FROM exchange_packages WHERE id = ?').get(x.packageId)).toEqual({ p: insp.id, status: 'confirmed' });
    expect(confirmedVersion(unit.ctx, insp.id)).toBe(x.untilVersion);
    // Bound to the partner: one row, the partner's, and no first-contact row left.
    expect(deliveryHistory(unit.ctx)).toEqual([expect.objectContaining({ officeId: insp.id, firstContact: null, sent: 1, confirmed: 1, received: 0, missing: [] })]);
    expect(await importReceipt(unit.ctx, rc.path)).toEqual({ refersTo: x.packageId, alreadyConfirmed: true });

    // The next "since" export carries only what changed after the snapshot, as the partner's 2nd package.
    renameCategory(unit.ctx, { id: cat.id, name: '首次联络后改名的类别' });
    const x2 = await exportPackage(unit.ctx, { partnerId: insp.id, dir: out });
    expect(x2).toMatchObject({ fromVersion: x.untilVersion, records: 1 });
    expect((await readHeader(x2.path)).recipients).toEqual([expect.objectContaining({ officeId: insp.id, seq: 2 })]);
    const r2 = await importPackage(insp.ctx, x2.path);
    expect(r2).toMatchObject({ alreadyApplied: false, missing: [] });
    // Categories are the inspection office's to name (db/exchange/ownership.ts): the unit's rename arrives as a proposal.
    expect(r2.preview.items).toEqual([expect.objectContaining({ table: 'problem_categories', id: cat.id, outcome: 'proposal' })]);
    expect(insp.ledger.sqlite.prepare('SELECT value FROM proposals WHERE entity_id = ?').all(cat.id)).toEqual([{ value: JSON.stringify('首次联络后改名的类别') }]);
    expect(listPartners(insp.ctx)).toEqual([expect.objectContaining({ officeId: unit.id, trust: 'confirmed' })]);
  });

  it('an office of another kind than the package was made for neither imports it nor binds it with a receipt', async () => {
    const unit = office('某某集团有限公司巡视整改工作领导小组办公室', 'inspected_unit', 41);
    const disc = office('某省纪委监委第三监督检查室', 'discipline', 42);
    const out = dir();
    const pass = suggestPassphrase();
    const x = await exportFirstContact(unit.ctx, { dir: out, passphrase: pass, recipientName: '某省委巡视办', recipientKind: 'inspection_office', workFactor: 10 });
    const c = await firstContactCard(disc.ctx, x.path);
    addPartner(disc.ctx, { card: c.card, fingerprint: c.fingerprint });
    const discBefore = ledgerFingerprint(disc.ledger);
    await expect(importPackage(disc.ctx, x.path, { passphrase: pass })).rejects.toMatchObject({ reason: 'first_contact_kind', message: expect.stringContaining('巡视办') });
    expect(ledgerFingerprint(disc.ledger)).toBe(discBefore);
    // Had it been imported (the sender's log says another kind), its receipt would not bind it either.
    const y = await exportFirstContact(unit.ctx, { dir: out, passphrase: pass, recipientName: '某省纪委监委第三监督检查室', recipientKind: 'discipline', workFactor: 10 });
    await importPackage(disc.ctx, y.path, { passphrase: pass });
    const rc = await writeReceipt(disc.ctx, { packageId: y.packageId, dir: out });
    unit.ledger.sqlite.prepare('UPDATE exchange_packages SET scope = json_set(scope, \'$.recipientKind\', \'organisation\') WHERE id = ?').run(y.packageId);
    const dc = exportCard(disc.ctx);
    addPartner(unit.ctx, { card: dc.text, fingerprint: dc.fingerprint });
    const before = ledgerFingerprint(unit.ledger);
    expect(await reasonOf(importReceipt(unit.ctx, rc.path))).toBe('receipt_kind_mismatch');
    expect(ledgerFingerprint(unit.ledger)).toBe(before);
    // As logged, the receipt binds it.
    unit.ledger.sqlite.prepare('UPDATE exchange_packages SET scope = json_set(scope, \'$.recipientKind\', \'discipline\') WHERE id = ?').run(y.packageId);
    expect(await importReceipt(unit.ctx, rc.path)).toEqual({ refersTo: y.packageId, alreadyConfirmed: false });
    expect(confirmedVersion(unit.ctx, disc.id)).toBe(y.untilVersion);
  });

  it('refuses a header card that is not the sender’s, a broken card and a header changed after signing', async () => {
    const unit = office('某某集团有限公司巡视整改工作领导小组办公室', 'inspected_unit', 51);
    const insp = office('某省委巡视办', 'inspection_office', 52);
    const third = office('某市委巡察办', 'inspection_office', 53);
    const out = dir();
    const pass = suggestPassphrase();
    const x = await exportFirstContact(unit.ctx, { dir: out, passphrase: pass, recipientName: '某省委巡视办', recipientKind: 'inspection_office', workFactor: 10 });
    const { format: _f, version: _v, encryption: _e, payload: _p, ...base } = await readHeader(x.path);
    const signer = (o: Office) => {
      const k = ensureOwnKey(o.ctx);
      return { publicKey: Buffer.from(k.signPublic, 'base64'), secretKey: ownSecret(k).signSecret };
    };
    const forge = async (name: string, header: Omit<PackageHeader, 'format' | 'version' | 'encryption' | 'payload'>, by: Office) => {
      const path = join(out, name);
      await writePackage({ path, header, sign: signer(by), to: { passphrase: pass, workFactor: 10 }, entries: [{ type: 'json', value: { t: 'offices', offices: [] } }] });
      return path;
    };
    expect((await firstContactCard(insp.ctx, await forge('same.xzpkg', base, unit))).office.id).toBe(unit.id); // the forging itself is sound

    // Another office's card under the unit's own signature: not the sender's.
    const other = await forge('other-card.xzpkg', { ...base, card: exportCard(third.ctx).text }, unit);
    expect(await reasonOf(firstContactCard(insp.ctx, other))).toBe('first_contact_card');
    // The third office signs a header claiming to be the unit, with the unit's card: the card's key does not verify it.
    const impostor = await forge('impostor.xzpkg', base, third);
    expect(await reasonOf(firstContactCard(insp.ctx, impostor))).toBe('package_signature');
    // The card's own signature broken (its office name changed), the header signed by the unit.
    const broken = JSON.parse(base.card!) as { office: { name: string } };
    broken.office.name = '某某集团有限公司';
    const brokenPath = await forge('broken-card.xzpkg', { ...base, card: `${JSON.stringify(broken, null, 2)}\n`, sender: { ...base.sender } }, unit);
    expect(await reasonOf(firstContactCard(insp.ctx, brokenPath))).toBe('card_signature');
    // The real package with its header changed after signing (the card's final newline made two spaces: still a valid card).
    const bytes = readFileSync(x.path);
    const at = bytes.indexOf(Buffer.from('\\n","encryption"'));
    expect(at).toBeGreaterThan(0);
    const changed = Buffer.from(bytes);
    changed.write('  ', at, 'latin1');
    writeFileSync(join(out, 'changed.xzpkg'), changed);
    expect(await reasonOf(firstContactCard(insp.ctx, join(out, 'changed.xzpkg')))).toBe('package_signature');
    // A normal (key-encrypted) package is not a first contact; a card never rides in one.
    const card = await firstContactCard(insp.ctx, x.path);
    addPartner(insp.ctx, { card: card.card, fingerprint: card.fingerprint });
    const ic = exportCard(insp.ctx);
    addPartner(unit.ctx, { card: ic.text, fingerprint: ic.fingerprint });
    const normal = await exportPackage(unit.ctx, { partnerId: insp.id, dir: out });
    expect(await reasonOf(firstContactCard(insp.ctx, normal.path))).toBe('not_first_contact');
    await expect(writePackage({ path: join(out, 'x.xzpkg'), header: { ...base, recipients: [{ ...base.recipients[0]!, officeId: insp.id, fingerprint: card.fingerprint.replace(/-/g, '') }] }, sign: signer(unit), to: { x25519: [Buffer.alloc(32, 9)] }, entries: [] }))
      .rejects.toMatchObject({ reason: 'package_input' });
    // Even after confirming, the changed header does not import.
    const before = ledgerFingerprint(insp.ledger);
    expect(await reasonOf(importPackage(insp.ctx, join(out, 'changed.xzpkg'), { passphrase: pass }))).toBe('package_signature');
    expect(ledgerFingerprint(insp.ledger)).toBe(before);
  });

  it('normalises a passphrase read over the phone; other passphrases count exactly', () => {
    expect(normalizePassphrase('7k3m q2zd-abco-1il0')).toBe('7K3MQ2ZDABC01110');
    expect(normalizePassphrase('联络口令 Ab-1')).toBe('联络口令 Ab-1');
  });
});
