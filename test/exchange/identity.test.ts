import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../db/core/clock.js';
import type { ActingUser, ServiceContext } from '../../db/core/context.js';
import { seededRandom, uuidv7Source } from '../../db/core/ids.js';
import { openLedger, type Ledger } from '../../db/core/open.js';
import type { OfficeKind } from '../../db/domain/enums.js';
import { fingerprintOf, formatFingerprint, parseFingerprint, readCard } from '../../db/exchange/identity.js';
import { createUser, login, setupLedger, updateUser } from '../../db/services/office.js';
import { addPartner, confirmPartner, exportCard, listPartners, ownIdentity, previewCard, rotateOwnKeys } from '../../db/services/partners.js';
import { expectError } from '../helpers/expect.js';

const PASSWORD = 'jiaohuan-mima-2024';

interface Office {
  ledger: Ledger;
  clock: ReturnType<typeof fixedClock>;
  admin: ServiceContext;
  as(u: ActingUser | null): ServiceContext;
  officeId: string;
}

const open: Ledger[] = [];
afterEach(() => open.splice(0).forEach((l) => l.close()));

/** A ledger of its own office (its own id source, so office ids differ). */
function office(name: string, kind: OfficeKind, seed: number): Office {
  const clock = fixedClock('2024-09-01');
  const ledger = openLedger(':memory:');
  open.push(ledger);
  const ids = uuidv7Source(() => clock.now(), seededRandom(seed));
  const as = (user: ActingUser | null): ServiceContext => ({ ledger, clock, ids, user });
  const { officeId } = setupLedger(as(null), {
    officeName: name, officeKind: kind, level: 'province', adminUsername: 'admin', adminDisplayName: '管理员', adminPassword: PASSWORD,
  });
  return { ledger, clock, admin: as(login(as(null), { username: 'admin', password: PASSWORD })), as, officeId };
}

/** Rows and audit entries, to show a refused call changed nothing. */
function state(o: Office) {
  const q = (sql: string) => (o.ledger.sqlite.prepare(sql).get() as { n: number }).n;
  return { keys: q('SELECT count(*) n FROM office_keys'), offices: q('SELECT count(*) n FROM offices'), audit: q('SELECT count(*) n FROM audit_log'), version: o.ledger.state.version };
}

describe('office identity', () => {
  it('makes this office’s keys on first use, keeps the private halves out of the audit trail, and shows one fingerprint on both sides', () => {
    const unit = office('某某集团有限公司巡视整改工作领导小组办公室', 'inspected_unit', 1);
    const disc = office('某省纪委监委第三监督检查室', 'discipline', 2);
    expect(ownIdentity(unit.admin).fingerprint).toBeNull();
    const card = exportCard(unit.admin);
    expect(card.fingerprint).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(card.fileName).toMatch(/\.xzcard$/);
    expect(ownIdentity(unit.admin).fingerprint).toBe(card.fingerprint);
    // Exporting again reuses the same keys.
    expect(exportCard(unit.admin).fingerprint).toBe(card.fingerprint);
    const secret = (unit.ledger.sqlite.prepare('SELECT secret FROM office_keys').get() as { secret: string }).secret;
    const { sign } = JSON.parse(secret) as { sign: string };
    const audit = (unit.ledger.sqlite.prepare("SELECT group_concat(coalesce(after, ''), '|') AS a FROM audit_log WHERE entity = 'office_keys'").get() as { a: string }).a;
    expect(audit).not.toContain(sign);
    expect(audit).toContain('（已隐藏）');

    const preview = previewCard(disc.admin, { card: card.text });
    expect(preview).toMatchObject({ standing: 'new', trusted: false, fingerprint: card.fingerprint, office: { id: unit.officeId, kind: 'inspected_unit' } });
    const added = addPartner(disc.admin, { card: card.text });
    expect(added).toMatchObject({ trust: 'pending', fingerprint: card.fingerprint, confirmedAt: null, kind: 'inspected_unit' });
    const confirmed = confirmPartner(disc.admin, { officeId: unit.officeId, fingerprint: card.fingerprint.toLowerCase().replace(/-/g, ' ') });
    expect(confirmed).toMatchObject({ trust: 'confirmed', confirmedBy: '管理员', confirmedAt: new Date(disc.clock.now()).toISOString() });
    expect(listPartners(disc.admin).map((p) => [p.name, p.trust])).toEqual([['某某集团有限公司巡视整改工作领导小组办公室', 'confirmed']]);
  });

  it('refuses a mistyped fingerprint, a tampered card, the office’s own card and a card of another kind, changing nothing', () => {
    const unit = office('某某集团有限公司巡视整改工作领导小组办公室', 'inspected_unit', 1);
    const disc = office('某省纪委监委第三监督检查室', 'discipline', 2);
    const card = exportCard(unit.admin);
    addPartner(disc.admin, { card: card.text });
    const before = state(disc);
    const wrong = `${card.fingerprint.slice(0, -1)}${card.fingerprint.endsWith('0') ? '1' : '0'}`;
    expectError(() => confirmPartner(disc.admin, { officeId: unit.officeId, fingerprint: wrong }), 'VALIDATION', 'fingerprint', 'fingerprint_mismatch');
    expectError(() => confirmPartner(disc.admin, { officeId: unit.officeId, fingerprint: 'ABCD' }), 'VALIDATION', 'fingerprint', 'fingerprint_format');
    // The name changed in the file: the signature no longer holds.
    const renamed = card.text.replace('某某集团有限公司', '某某集团股份公司');
    expectError(() => addPartner(disc.admin, { card: renamed }), 'VALIDATION', 'card', 'card_signature');
    // A key swapped (with its fingerprint recomputed): the self-signature fails.
    const parsed = JSON.parse(card.text) as { keys: { agree: string }; fingerprint: string; office: { id: string } };
    const otherAgree = Buffer.alloc(32, 7);
    parsed.keys.agree = otherAgree.toString('base64');
    parsed.fingerprint = formatFingerprint(fingerprintOf(parsed.office.id, Buffer.from(JSON.parse(card.text).keys.sign, 'base64'), otherAgree));
    expectError(() => addPartner(disc.admin, { card: JSON.stringify(parsed) }), 'VALIDATION', 'card', 'card_signature');
    expectError(() => addPartner(disc.admin, { card: '{"format":"xz-office-card","version":9}' }), 'VALIDATION', 'card', 'card_version');
    expectError(() => addPartner(disc.admin, { card: 'PK\u0003\u0004 not a card' }), 'VALIDATION', 'card', 'card_format');
    expectError(() => addPartner(disc.admin, { card: exportCard(disc.admin).text }), 'VALIDATION', 'card', 'card_own_office');
    expect({ ...state(disc), keys: state(disc).keys - 1, audit: state(disc).audit - 1, version: state(disc).version - 1 }).toEqual(before); // exportCard made the own key
    // Typing the wrong fingerprint while adding refuses the whole add.
    const third = office('某省委巡视办', 'inspection_office', 3);
    const b3 = state(disc);
    expectError(() => addPartner(disc.admin, { card: exportCard(third.admin).text, fingerprint: wrong }), 'VALIDATION', 'fingerprint', 'fingerprint_mismatch');
    expect(state(disc)).toEqual(b3);
  });

  it('a new key signed by a confirmed old one is trusted at once; an unsigned one waits for the phone call', () => {
    const unit = office('某某集团有限公司巡视整改工作领导小组办公室', 'inspected_unit', 1);
    const disc = office('某省纪委监委第三监督检查室', 'discipline', 2);
    const first = exportCard(unit.admin);
    addPartner(disc.admin, { card: first.text, fingerprint: first.fingerprint });
    unit.clock.advance(86_400_000);
    const rotated = rotateOwnKeys(unit.admin, { reason: '存放私钥的计算机送修。' });
    expect(rotated.fingerprint).not.toBe(first.fingerprint);
    expect(readCard(rotated.text).previous?.fingerprint).toBe(parseFingerprint(first.fingerprint));
    expect(ownIdentity(unit.admin).retired).toEqual([{ fingerprint: first.fingerprint, retiredAt: new Date(unit.clock.now()).toISOString(), reason: '存放私钥的计算机送修。' }]);
    expect(previewCard(disc.admin, { card: rotated.text })).toMatchObject({ standing: 'key_change_signed', trusted: true });
    const p = addPartner(disc.admin, { card: rotated.text });
    expect(p).toMatchObject({ trust: 'confirmed', fingerprint: rotated.fingerprint, confirmedBy: null });
    expect(p.keys.map((k) => [k.fingerprint, k.status, k.source])).toEqual([[first.fingerprint, 'retired', 'card'], [rotated.fingerprint, 'active', 'rotation']]);

    // A partner who never confirmed the old key must compare the new fingerprint.
    const insp = office('某省委巡视办', 'inspection_office', 3);
    addPartner(insp.admin, { card: first.text });
    expect(previewCard(insp.admin, { card: rotated.text })).toMatchObject({ standing: 'key_change_unsigned', trusted: false });
    expect(addPartner(insp.admin, { card: rotated.text }).trust).toBe('pending');
    expect(confirmPartner(insp.admin, { officeId: unit.officeId, fingerprint: rotated.fingerprint }).keys.map((k) => k.status)).toEqual(['retired', 'active']);
  });

  it('exchange is a right of its own: given by an administrator, never by oneself', () => {
    const unit = office('某某集团有限公司巡视整改工作领导小组办公室', 'inspected_unit', 1);
    const leaderView = createUser(unit.admin, { username: 'fuze', displayName: '负责人甲', role: 'leader', canViewClues: false, password: PASSWORD });
    const leader = unit.as(login(unit.as(null), { username: 'fuze', password: PASSWORD }));
    expect(leaderView.canExchange).toBe(false);
    expectError(() => exportCard(leader), 'FORBIDDEN', undefined, 'exchange.run');
    updateUser(unit.admin, { id: leaderView.id, canExchange: true });
    const again = unit.as(login(unit.as(null), { username: 'fuze', password: PASSWORD }));
    expect(exportCard(again).fingerprint).toMatch(/-/);
    expectError(() => updateUser(unit.admin, { id: unit.admin.user!.id, canExchange: false }), 'FORBIDDEN', undefined, 'self_change');
  });
});
