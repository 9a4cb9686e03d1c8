import { afterEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../db/core/audit.js';
import { fixedClock } from '../../db/core/clock.js';
import type { KeyHooks, ServiceContext } from '../../db/core/context.js';
import { seededRandom, uuidv7Source } from '../../db/core/ids.js';
import { openLedger } from '../../db/core/open.js';
import { getRow } from '../../db/core/write.js';
import { characterClasses, countClasses, describePasswordRules, passwordProblem } from '../../db/domain/password-rules.js';
import { users } from '../../db/schema/index.js';
import { changeOwnPassword, createUser, listUsers, login, setupLedger, updateUser } from '../../db/services/office.js';
import { getSettings, updateSettings } from '../../db/services/settings.js';
import { auditCount, expectError, expectRefused } from '../helpers/expect.js';
import { makeTestLedger, PASSWORD, type TestLedger } from '../helpers/ledger.js';

let t: TestLedger;
afterEach(() => t?.close());

const NEW_PW = 'xin-mima-2024-03';

const canLogIn = (username: string, password: string) => {
  try {
    login(t.as(null), { username, password });
    return true;
  } catch {
    return false;
  }
};

function auditRows(entityId: string) {
  return t.ledger.sqlite.prepare('SELECT action, entity, user_id AS userId, before, after FROM audit_log WHERE entity_id = ? ORDER BY seq')
    .all(entityId) as { action: string; entity: string; userId: string | null; before: string | null; after: string | null }[];
}

/** A key file stand-in: records what the services ask of it (the real one is db/session/host.ts). */
function fakeKeys(passwords: Record<string, string>) {
  const calls: string[] = [];
  const wraps = new Set(Object.keys(passwords));
  const keys: KeyHooks = {
    setPassword(user, password) {
      calls.push(`set ${user.id} ${user.username} ${password}`);
    },
    removeUser(id) {
      calls.push(`remove ${id}`);
    },
    verifyPassword(id, password) {
      calls.push(`verify ${id}`);
      return passwords[id] === password;
    },
    hasWrap: (id) => wraps.has(id),
  };
  return { keys, calls, wraps };
}

describe('no one changes their own account', () => {
  it('refuses an administrator changing their own role, active flag, clue right or password here', () => {
    t = makeTestLedger();
    const admin = t.as(t.users.admin);
    const me = t.users.admin.id;
    expectRefused(t, () => updateUser(admin, { id: me, role: 'leader' }), 'FORBIDDEN', undefined, 'self_change');
    expectRefused(t, () => updateUser(admin, { id: me, active: false }), 'FORBIDDEN', undefined, 'self_change');
    expectRefused(t, () => updateUser(admin, { id: me, canViewClues: true }), 'FORBIDDEN', undefined, 'self_change');
    expectRefused(t, () => updateUser(admin, { id: me, password: NEW_PW, adminPassword: PASSWORD }), 'FORBIDDEN', undefined, 'self_change');
    // The same values as stored are no change: the edit form may send them back.
    const u = updateUser(admin, { id: me, displayName: '王某', role: 'admin', active: true, canViewClues: false });
    expect(u).toMatchObject({ displayName: '王某', role: 'admin', active: true, canViewClues: false });
  });

  it('lets another administrator change them, and still keeps one active administrator', () => {
    t = makeTestLedger();
    const admin2 = createUser(t.as(t.users.admin), { username: 'guanli2', displayName: '郑某', role: 'admin', password: PASSWORD });
    const other = t.as(login(t.as(null), { username: 'guanli2', password: PASSWORD }));
    expect(updateUser(other, { id: t.users.admin.id, role: 'leader' }).role).toBe('leader');
    // guanli2 is now the only administrator and cannot step down themself…
    expectRefused(t, () => updateUser(other, { id: admin2.id, role: 'entry' }), 'FORBIDDEN', undefined, 'self_change');
    // …nor be demoted by a session that still acts as the former administrator.
    expectRefused(t, () => updateUser(t.as(t.users.admin), { id: admin2.id, active: false }), 'CONFLICT', undefined, 'last_admin');
  });

  it('refuses the clue right given directly when creating or editing an account', () => {
    t = makeTestLedger();
    const admin = t.as(t.users.admin);
    expectRefused(t, () => createUser(admin, { username: 'luru9', displayName: '冯某', role: 'entry', canViewClues: true, password: PASSWORD }), 'FORBIDDEN', undefined, 'two_person_rule');
    expectRefused(t, () => updateUser(admin, { id: t.users.entry.id, canViewClues: true }), 'FORBIDDEN', undefined, 'two_person_rule');
    expectRefused(t, () => updateUser(admin, { id: t.users.reviewer.id, canViewClues: false }), 'FORBIDDEN', undefined, 'two_person_rule');
    expect(createUser(admin, { username: 'luru9', displayName: '冯某', role: 'entry', canViewClues: false, password: PASSWORD }).canViewClues).toBe(false);
    expect(getRow(admin, users, t.users.reviewer.id)!.canViewClues).toBe(true);
  });
});

describe('password reset by an administrator (no key file: hash in the users table)', () => {
  it('needs the administrator’s own password, and refuses a wrong one without writing', () => {
    t = makeTestLedger();
    const admin = t.as(t.users.admin);
    const id = t.users.entry.id;
    expectRefused(t, () => updateUser(admin, { id, password: NEW_PW }), 'VALIDATION', 'adminPassword', 'required');
    expectRefused(t, () => updateUser(admin, { id, password: NEW_PW, adminPassword: '' }), 'VALIDATION', 'adminPassword', 'required');
    const e = expectRefused(t, () => updateUser(admin, { id, password: NEW_PW, adminPassword: 'not-my-password-1' }), 'FORBIDDEN', undefined, 'reauth_failed');
    expect(e.message).toContain('密码不正确');
    // The target's password is no proof either.
    expectRefused(t, () => updateUser(admin, { id, password: NEW_PW, adminPassword: PASSWORD.toUpperCase() }), 'FORBIDDEN', undefined, 'reauth_failed');
    expect(canLogIn('luru1', PASSWORD)).toBe(true);
    expect(canLogIn('luru1', NEW_PW)).toBe(false);
  });

  it('sets the new password with the administrator’s own password', () => {
    t = makeTestLedger();
    updateUser(t.as(t.users.admin), { id: t.users.entry.id, password: NEW_PW, adminPassword: PASSWORD });
    expect(canLogIn('luru1', NEW_PW)).toBe(true);
    expect(canLogIn('luru1', PASSWORD)).toBe(false);
    const last = auditRows(t.users.entry.id).at(-1)!;
    expect(last.after).toContain('passwordHash');
    expect(`${last.before}${last.after}`).not.toMatch(/scrypt\$|xin-mima/);
  });

  it('does not set a password on an inactive account', () => {
    t = makeTestLedger();
    const admin = t.as(t.users.admin);
    updateUser(admin, { id: t.users.entry.id, active: false });
    expectRefused(t, () => updateUser(admin, { id: t.users.entry.id, password: NEW_PW, adminPassword: PASSWORD }), 'VALIDATION', 'password', 'inactive');
    updateUser(admin, { id: t.users.entry.id, active: true, password: NEW_PW, adminPassword: PASSWORD });
    expect(canLogIn('luru1', NEW_PW)).toBe(true);
  });
});

describe('own password change', () => {
  it('needs the old password, follows the rules and is audited without the password', () => {
    t = makeTestLedger();
    const me = t.as(t.users.entry);
    expectRefused(t, () => changeOwnPassword(me, { oldPassword: 'wrong-password-1', newPassword: NEW_PW }), 'FORBIDDEN', undefined, 'reauth_failed');
    expectRefused(t, () => changeOwnPassword(me, { oldPassword: PASSWORD, newPassword: PASSWORD }), 'VALIDATION', 'newPassword', 'unchanged');
    expectRefused(t, () => changeOwnPassword(me, { oldPassword: PASSWORD, newPassword: 'abcdefghijkl' }), 'VALIDATION', 'newPassword', 'weak_password');
    expectRefused(t, () => changeOwnPassword(me, { oldPassword: PASSWORD }), 'VALIDATION', 'newPassword');
    expectRefused(t, () => changeOwnPassword(t.as(null), { oldPassword: PASSWORD, newPassword: NEW_PW }), 'FORBIDDEN', undefined, 'not_logged_in');
    const before = auditCount(t);
    expect(changeOwnPassword(me, { oldPassword: PASSWORD, newPassword: NEW_PW })).toEqual({ ok: true });
    expect(auditCount(t)).toBe(before + 1);
    const last = auditRows(t.users.entry.id).at(-1)!;
    expect(last).toMatchObject({ action: 'password_changed', entity: 'users', userId: t.users.entry.id });
    expect(`${last.before}${last.after}`).not.toMatch(/scrypt\$|xin-mima|ceshi-mima/);
    expect(canLogIn('luru1', NEW_PW)).toBe(true);
    expect(canLogIn('luru1', PASSWORD)).toBe(false);
    expect(verifyAudit(t.ledger).ok).toBe(true);
  });
});

describe('password rules an administrator sets', () => {
  it('checks length and character classes, naming the rule, pure for the form', () => {
    expect(characterClasses('ab')).toEqual([true, false, false, false]);
    expect(characterClasses('aB3 ')).toEqual([true, true, true, true]);
    expect(countClasses('密码密码Ab')).toBe(3); // 汉字 count as 其他字符
    const rules = { minLength: 10, needsClasses: 2 };
    expect(passwordProblem('abcdefghij', rules)).toMatchObject({ reason: 'too_few_classes' });
    expect(passwordProblem('abcdefgh1', rules)!.message).toContain('至少10位');
    expect(passwordProblem('abcdefghi1', rules)).toBeNull();
    expect(passwordProblem('', rules)).toMatchObject({ reason: 'required' });
    expect(passwordProblem('a1'.repeat(65), rules)).toMatchObject({ reason: 'too_long' });
    expect(describePasswordRules(rules)).toBe('密码至少10位，且包含小写字母、大写字母、数字、其他字符中的至少2类。');
    expect(describePasswordRules({ minLength: 8, needsClasses: 0 })).toBe('密码至少8位。');
  });

  it('applies the defaults (10 characters, 2 classes) to new accounts and resets', () => {
    t = makeTestLedger();
    const admin = t.as(t.users.admin);
    const mk = (password: string) => createUser(admin, { username: 'luru9', displayName: '冯某', role: 'entry', password });
    let e = expectRefused(t, () => mk('abc12345'), 'VALIDATION', 'password', 'weak_password');
    expect(e.message).toContain('至少10位');
    e = expectRefused(t, () => mk('abcdefghijklmn'), 'VALIDATION', 'password', 'weak_password');
    expect(e.message).toContain('至少2类');
    expectRefused(t, () => mk('a1'.repeat(65)), 'VALIDATION', 'password', 'too_long');
    expectRefused(t, () => updateUser(admin, { id: t.users.entry.id, password: 'abcdefghijklmn', adminPassword: PASSWORD }), 'VALIDATION', 'password', 'weak_password');
    expect(mk('abcdefgh12').username).toBe('luru9');
  });

  it('follows the setting once the administrator changes it', () => {
    t = makeTestLedger();
    const admin = t.as(t.users.admin);
    const mk = (username: string, password: string) => createUser(admin, { username, displayName: '冯某', role: 'entry', password });
    expect(getSettings(admin)).toMatchObject({ passwordMinLength: 10, passwordNeedsClasses: 2, idleLockMinutes: 10 });
    updateSettings(admin, { passwordMinLength: 12, passwordNeedsClasses: 3 });
    const e = expectRefused(t, () => mk('luru8', 'abcdefgh12'), 'VALIDATION', 'password', 'weak_password');
    expect(e.message).toContain('至少12位');
    expect(expectRefused(t, () => mk('luru8', 'abcdefgh1234'), 'VALIDATION', 'password').message).toContain('至少3类');
    expectRefused(t, () => changeOwnPassword(t.as(t.users.entry), { oldPassword: PASSWORD, newPassword: 'abcdefgh1234' }), 'VALIDATION', 'newPassword');
    expect(mk('luru8', 'abcdefgh-123').username).toBe('luru8');
    updateSettings(admin, { passwordMinLength: 8, passwordNeedsClasses: 0 });
    expect(mk('luru7', 'abcdefgh').username).toBe('luru7');
    // Not at log-in: an older password that breaks today's rule still works.
    updateSettings(admin, { passwordMinLength: 64, passwordNeedsClasses: 4 });
    expect(canLogIn('luru7', 'abcdefgh')).toBe(true);
  });

  it('refuses settings out of range, naming the key', () => {
    t = makeTestLedger();
    const admin = t.as(t.users.admin);
    expectRefused(t, () => updateSettings(admin, { passwordMinLength: 7 }), 'VALIDATION', 'passwordMinLength', 'range');
    expectRefused(t, () => updateSettings(admin, { passwordMinLength: 65 }), 'VALIDATION', 'passwordMinLength', 'range');
    expectRefused(t, () => updateSettings(admin, { passwordNeedsClasses: 5 }), 'VALIDATION', 'passwordNeedsClasses', 'range');
    expectRefused(t, () => updateSettings(admin, { idleLockMinutes: 241 }), 'VALIDATION', 'idleLockMinutes', 'range');
    expectRefused(t, () => updateSettings(admin, { idleLockMinutes: -1 }), 'VALIDATION', 'idleLockMinutes', 'range');
    expectRefused(t, () => updateSettings(t.as(t.users.leader), { idleLockMinutes: 0 }), 'FORBIDDEN');
    expect(updateSettings(admin, { idleLockMinutes: 0 }).idleLockMinutes).toBe(0);
  });

  it('applies the default rules at first-run set-up', () => {
    const clock = fixedClock('2024-01-02');
    const ledger = openLedger(':memory:');
    try {
      const ctx: ServiceContext = { ledger, clock, ids: uuidv7Source(() => clock.now(), seededRandom(3)), user: null };
      const setup = (adminPassword: string) => setupLedger(ctx, {
        officeName: '某省纪委监委第三监督检查室', officeKind: 'discipline', level: 'province',
        adminUsername: 'admin', adminDisplayName: '王某某', adminPassword,
      });
      expectError(() => setup('mima2024'), 'VALIDATION', 'adminPassword', 'weak_password');
      expectError(() => setup('mimamimamima'), 'VALIDATION', 'adminPassword', 'weak_password');
      expect(ledger.state.officeId).toBeNull();
      expect(setup('mima-2024-admin').adminId).toBeTruthy();
    } finally {
      ledger.close();
    }
  });
});

describe('with a key file (encrypted ledger)', () => {
  function withKeys() {
    t = makeTestLedger();
    const k = fakeKeys({ [t.users.admin.id]: 'admin-key-pw-1', [t.users.entry.id]: 'entry-key-pw-1' });
    const as = (u: typeof t.users.admin | null): ServiceContext => ({ ...t.as(u), keys: k.keys });
    return { ...k, as };
  }

  it('wraps a new account’s password in the key file and stores no hash', () => {
    const k = withKeys();
    const u = createUser(k.as(t.users.admin), { username: 'luru9', displayName: '冯某', role: 'entry', password: NEW_PW });
    expect(k.calls).toEqual([`set ${u.id} luru9 ${NEW_PW}`]);
    expect(getRow(t.as(null), users, u.id)!.passwordHash).toBeNull();
    const views = listUsers(k.as(t.users.admin));
    expect(views.find((x) => x.id === u.id)!.needsPassword).toBe(true); // the fake adds no wrap
    expect(views.find((x) => x.id === t.users.entry.id)!.needsPassword).toBe(false);
    expect(JSON.stringify(auditRows(u.id))).not.toContain(NEW_PW);
  });

  it('checks the administrator’s own password against the key file before a reset, and audits the reset', () => {
    const k = withKeys();
    const admin = k.as(t.users.admin);
    const id = t.users.entry.id;
    // The hash still in the template's users table is not what counts any more.
    expectRefused(t, () => updateUser(admin, { id, password: NEW_PW, adminPassword: PASSWORD }), 'FORBIDDEN', undefined, 'reauth_failed');
    expect(k.calls).toEqual([`verify ${t.users.admin.id}`]);
    k.calls.length = 0;
    const before = auditCount(t);
    updateUser(admin, { id, password: NEW_PW, adminPassword: 'admin-key-pw-1' });
    expect(k.calls).toEqual([`verify ${t.users.admin.id}`, `set ${id} luru1 ${NEW_PW}`]);
    const rows = auditRows(id).slice(-2);
    expect(rows.map((r) => r.action)).toEqual(['update', 'password_reset']); // the hash cleared, then the event
    expect(auditCount(t)).toBe(before + 2);
    expect(getRow(t.as(null), users, id)!.passwordHash).toBeNull();
  });

  it('changes one’s own password through the key file', () => {
    const k = withKeys();
    const me = k.as(t.users.entry);
    expectRefused(t, () => changeOwnPassword(me, { oldPassword: PASSWORD, newPassword: NEW_PW }), 'FORBIDDEN', undefined, 'reauth_failed');
    changeOwnPassword(me, { oldPassword: 'entry-key-pw-1', newPassword: NEW_PW });
    expect(k.calls).toEqual([`verify ${t.users.entry.id}`, `verify ${t.users.entry.id}`, `set ${t.users.entry.id} luru1 ${NEW_PW}`]);
    expect(auditRows(t.users.entry.id).at(-1)).toMatchObject({ action: 'password_changed', after: null });
  });

  it('drops the wrap of a deactivated account and needs a new password to reactivate it', () => {
    const k = withKeys();
    const admin = k.as(t.users.admin);
    const id = t.users.entry.id;
    updateUser(admin, { id, active: false });
    expect(k.calls).toEqual([`remove ${id}`]);
    k.wraps.delete(id);
    expectRefused(t, () => updateUser(admin, { id, active: true }), 'VALIDATION', 'password', 'required');
    updateUser(admin, { id, active: true, password: NEW_PW, adminPassword: 'admin-key-pw-1' });
    expect(k.calls.slice(1)).toEqual([`verify ${t.users.admin.id}`, `set ${id} luru1 ${NEW_PW}`]);
    expect(getRow(t.as(null), users, id)!.active).toBe(true);
    // Other edits of an active account leave the key file alone.
    k.calls.length = 0;
    updateUser(admin, { id, displayName: '张某' });
    expect(k.calls).toEqual([]);
  });

  it('wraps the first administrator’s password at set-up', () => {
    const clock = fixedClock('2024-01-02');
    const ledger = openLedger(':memory:');
    try {
      const k = fakeKeys({});
      const ctx: ServiceContext = { ledger, clock, ids: uuidv7Source(() => clock.now(), seededRandom(3)), user: null, keys: k.keys };
      const { adminId } = setupLedger(ctx, {
        officeName: '某省纪委监委第三监督检查室', officeKind: 'discipline', level: 'province',
        adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: 'mima-2024-admin',
      });
      expect(k.calls).toEqual([`set ${adminId} admin mima-2024-admin`]);
      expect(getRow(ctx, users, adminId)!.passwordHash).toBeNull();
    } finally {
      ledger.close();
    }
  });
});
