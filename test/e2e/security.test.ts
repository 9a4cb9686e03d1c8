import { applyKey } from '../../db/core/cipher.js';
/**
 * The encrypted ledger's screens in Chromium over the ledger host: the recovery key shown once after
 * set-up (and its printed sheet), log-in with the recovery key, the lock (idle, Ctrl+L, the 锁定
 * button, a call the engine refused) that unmounts the ledger's screens, the log-in lock-out, the
 * audit anchor's warning, the conversion of a plaintext ledger, and a ledger file that cannot be
 * opened. axe-core runs on each new screen: no serious or critical violation (WCAG 2.1 AA).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, type ServiceContext } from '../../db/core/context.js';
import { seededRandom, uuidv7Source } from '../../db/core/ids.js';
import { keystorePath } from '../../db/core/keystore.js';
import { dataKeyFor } from '../../db/session/provision.js';
import Database from 'better-sqlite3';
import { openLedger } from '../../db/core/open.js';
import { createUser, setupLedger } from '../../db/services/office.js';
import { updateSettings } from '../../db/services/settings.js';
import { fxRound } from '../helpers/fixtures.js';
import { SHOTS_DIR, startHarness, type Harness } from './harness.js';
import { axeCheck } from './axe.js';



/** A call through the page's own session (what the renderer would get). */
async function api(p: Page, channel: string, arg?: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; reason?: string } }> {
  return p.evaluate(async ([c, a]) => {
    const r = await fetch('./api/invoke', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ channel: c, arg: a }) });
    return r.json();
  }, [channel, arg] as const) as never;
}

const ADMIN_PW = 'mima-2024-admin';
const LURU_PW = 'luru-2024-mima';
const OFFICE = '某省纪委监委第三监督检查室';

/** Fill the log-in form and submit it; returns once the engine has answered. */
async function logIn(p: Page, username: string, password: string) {
  await p.locator('input[autocomplete="username"]').fill(username);
  await p.locator('input[autocomplete="current-password"]').fill(password);
  const answered = p.waitForResponse((r) => r.url().endsWith('/api/invoke') && (r.request().postData() ?? '').includes('"session:login"'));
  // (the button's name gains the spinner's 'loading' while its icon fades, so it is found by type)
  await p.locator('button[type="submit"]').click();
  await answered;
}

async function logOut(p: Page) {
  await p.getByTestId('current-user').hover();
  await p.getByRole('menuitem', { name: '切换用户' }).click();
  await p.locator('input[autocomplete="username"]').waitFor();
}

/** Whether anything of the ledger's screens is in the page (not merely hidden). */
async function ledgerInDom(p: Page): Promise<number> {
  return p.locator('.xz-shell, [data-testid="home"], [data-testid="rounds"], [data-testid="current-user"], .ant-menu').count();
}

describe('the recovery key: shown once after set-up, then opening the ledger when the password is forgotten', () => {
  let h: Harness;
  let key = '';
  beforeAll(async () => {
    h = await startHarness({ today: '2024-06-15' });
  }, 60_000);
  afterAll(async () => h?.close());

  it('set-up shows the key in 8 groups of 4, prints a sheet of its own, and goes on only once it is kept', async () => {
    const p = h.page;
    await p.getByRole('heading', { name: '欢迎使用巡视整改监督台账' }).waitFor();
    await p.getByLabel('单位名称').fill(OFFICE);
    await p.getByLabel('管理员用户名').fill('admin');
    await p.getByLabel('管理员姓名').fill('王某某');
    await p.getByLabel('管理员密码', { exact: true }).fill(ADMIN_PW);
    await p.getByLabel('再次输入密码').fill(ADMIN_PW);
    await p.getByRole('button', { name: '建立本单位台账' }).click();
    await p.getByRole('heading', { name: '请保存恢复密钥' }).waitFor();
    key = (await p.getByTestId('recovery-key').textContent()) ?? '';
    expect(key).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/);
    expect(await p.getByRole('button', { name: '继续' }).isDisabled()).toBe(true);
    await p.waitForTimeout(3500); // the set-up message fades before the picture
    await h.shot('sec-01-recovery-key');
    expect(await axeCheck(p, 'recovery key')).toEqual([]);

    // 打印恢复密钥 prints; on paper only the sheet shows: office, date, key, instructions, signatures
    await p.evaluate('window.__prints = 0; window.print = () => { window.__prints += 1; }');
    await p.getByRole('button', { name: '打印恢复密钥' }).click();
    expect(await p.evaluate('window.__prints')).toBe(1);
    await p.emulateMedia({ media: 'print' });
    try {
      const sheet = p.getByTestId('key-sheet');
      expect(await sheet.isVisible()).toBe(true);
      expect(await p.locator('#root').isVisible()).toBe(false);
      const text = (await sheet.textContent()) ?? '';
      for (const s of [OFFICE, '2024年6月15日', key, '保管人：', '日期：', '与公章同等保管', '内部资料 注意保存']) expect(text).toContain(s);
      await h.shot('sec-02-recovery-key-print');
      // on A4 paper: one page
      const pdf = await p.pdf({ path: join(SHOTS_DIR, 'sec-02-recovery-key-sheet.pdf'), preferCSSPageSize: true });
      expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length).toBe(1);
    } finally {
      await p.emulateMedia({ media: 'screen' });
    }

    // by keyboard: tick the box, then 继续
    await p.getByRole('checkbox', { name: '我已将恢复密钥妥善保存' }).focus();
    await p.keyboard.press('Space');
    expect(await p.getByRole('button', { name: '继续' }).isEnabled()).toBe(true);
    await p.keyboard.press('Tab');
    await p.keyboard.press('Enter');
    await p.getByTestId('current-user').getByText('王某某').waitFor();
    expect(await p.getByTestId('recovery-key').count()).toBe(0);
    expect(await p.evaluate('document.body.classList.contains("xz-keysheet-on")')).toBe(false);
  });

  it('after log-out, the recovery key sets a new password and logs in; mistyped and foreign keys are refused', async () => {
    const p = h.page;
    await logOut(p);
    await p.getByRole('button', { name: '忘记密码？使用恢复密钥' }).click();
    await p.getByRole('heading', { name: /使用恢复密钥/ }).waitFor();
    const form = p.getByTestId('recover-form');
    // one character changed: the check group says it is a typing error
    const typo = key.slice(0, 5) + (key[5] === 'A' ? 'B' : 'A') + key.slice(6);
    await form.getByLabel('恢复密钥').fill(typo);
    await form.getByLabel('用户名').fill('admin');
    await form.getByLabel('新密码', { exact: true }).fill('xin-mima-2024');
    await form.getByLabel('确认新密码').fill('xin-mima-2024');
    await form.getByRole('button', { name: '设置新密码并登录' }).click();
    await p.getByText('恢复密钥校验不符，可能有输入错误，请逐组核对。').waitFor();
    await h.shot('sec-03-recover-typo');
    expect(await axeCheck(p, 'recover form')).toEqual([]);
    // a well-formed key of no ledger here
    await form.getByLabel('恢复密钥').fill('0000-0000-0000-0000-0000-0000-0000-0000');
    await form.getByRole('button', { name: '设置新密码并登录' }).click();
    await p.getByText(/恢复密钥校验不符|恢复密钥不正确/).waitFor();
    // a user name that is not an account
    await form.getByLabel('恢复密钥').fill(key.replace(/-/g, '').toLowerCase());
    await form.getByLabel('用户名').fill('nobody');
    await form.getByRole('button', { name: '设置新密码并登录' }).click();
    await p.getByText('没有这个启用的用户名。').waitFor();
    await form.getByLabel('用户名').fill('admin');
    await form.getByRole('button', { name: '设置新密码并登录' }).click();
    await p.getByTestId('current-user').getByText('王某某').waitFor();
    // the new password is the one now
    await logOut(p);
    await logIn(p, 'admin', ADMIN_PW);
    await p.getByTestId('login-error').getByText('用户名或密码不正确').waitFor();
    await p.locator('input[autocomplete="current-password"]').fill('xin-mima-2024');
    await p.locator('button[type="submit"]').click();
    await p.getByTestId('current-user').getByText('王某某').waitFor();
  });
});

describe('the lock: idle, Ctrl+L, 锁定, the engine\'s refusal; the log-in lock-out; the anchor warning', () => {
  let h: Harness;
  let roundName = '';
  beforeAll(async () => {
    h = await startHarness({ today: '2024-06-15' });
    const admin = h.setup({ officeName: OFFICE, officeKind: 'discipline', level: 'province', adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: ADMIN_PW });
    createUser(h.as(admin), { username: 'luru', displayName: '李某', role: 'entry', password: LURU_PW });
    roundName = fxRound(h.as(admin), { name: '某省委第二轮巡视' }).name;
    updateSettings(h.as(admin), { idleLockMinutes: 1 });
    // The renderer's idle timer runs on the page's clock: a fake one, installed before the page loads.
    await h.page.clock.install();
    await h.page.reload();
    await logIn(h.page, 'admin', ADMIN_PW);
    await h.page.getByTestId('current-user').waitFor();
  }, 60_000);
  afterAll(async () => h?.close());

  it('locks after idleLockMinutes without activity: the ledger leaves the page, the password brings back the same screen', async () => {
    const p = h.page;
    await p.evaluate("window.location.hash = '#/rounds'");
    await p.getByTestId('rounds').getByText(roundName).first().waitFor();
    await p.waitForTimeout(500); // the settings are read
    expect(await p.getByTestId('lock-screen').count()).toBe(0);
    await p.clock.fastForward('00:30');
    expect(await p.getByTestId('lock-screen').count()).toBe(0);
    await p.clock.fastForward('00:45');
    await p.getByTestId('lock-screen').waitFor();
    expect(await ledgerInDom(p)).toBe(0);
    expect(await p.locator('body').textContent()).not.toContain(roundName);
    await p.getByText('长时间未操作，台账已自动锁定。').waitFor();
    await p.getByText('王某某（管理员）的台账已锁定。').waitFor();
    // the engine refuses ledger calls too, not only the page
    const refused = await api(p, 'rounds:list', {});
    expect(refused.error).toMatchObject({ code: 'LOCKED', reason: 'ledger_locked' });
    // the password field has the focus: type and press Enter
    expect(await p.evaluate('document.activeElement?.getAttribute("autocomplete")')).toBe('current-password');
    await h.shot('sec-04-lock-idle');
    expect(await axeCheck(p, 'lock screen')).toEqual([]);
    await p.keyboard.type('wrong-password-1');
    await p.keyboard.press('Enter');
    await p.getByRole('alert').getByText('密码不正确。').waitFor();
    await p.getByTestId('unlock-password').fill(ADMIN_PW);
    await p.keyboard.press('Enter');
    await p.getByTestId('rounds').getByText(roundName).first().waitFor();
    expect(await p.evaluate('window.location.hash')).toBe('#/rounds');
    expect(await p.getByTestId('lock-screen').count()).toBe(0);
  });

  it('activity keeps the ledger open past the idle time', async () => {
    const p = h.page;
    await p.clock.fastForward('00:40');
    await p.mouse.move(200, 300);
    await p.clock.fastForward('00:40');
    await p.keyboard.press('Shift');
    await p.clock.fastForward('00:40');
    expect(await p.getByTestId('lock-screen').count()).toBe(0);
    expect(await p.getByTestId('rounds').count()).toBe(1);
  });

  it('Ctrl+L and the 锁定 button lock at once', async () => {
    const p = h.page;
    await p.keyboard.press('Control+l');
    await p.getByTestId('lock-screen').waitFor();
    expect(await ledgerInDom(p)).toBe(0);
    await p.getByText('台账已由您锁定。').waitFor();
    await p.getByTestId('unlock-password').fill(ADMIN_PW);
    await p.getByRole('button', { name: '解锁' }).click();
    await p.getByTestId('rounds').waitFor();
    await h.shot('sec-05-shell-lock-button');
    await p.getByTestId('lock-button').click();
    await p.getByTestId('lock-screen').waitFor();
    expect(await ledgerInDom(p)).toBe(0);
    await p.getByTestId('unlock-password').fill(ADMIN_PW);
    await p.keyboard.press('Enter');
    await p.getByTestId('rounds').waitFor();
  });

  it('a call the engine refuses because it locked the session (idle by its own clock) shows the lock screen', async () => {
    const p = h.page;
    h.clock.advance(2 * 60_000);
    await p.evaluate("window.location.hash = '#/problems'");
    await p.getByTestId('lock-screen').waitFor();
    expect(await ledgerInDom(p)).toBe(0);
    await p.getByText('台账已锁定。', { exact: false }).first().waitFor();
    await p.getByTestId('unlock-password').fill(ADMIN_PW);
    await p.keyboard.press('Enter');
    await p.getByTestId('problem-table').waitFor();
    expect(await p.evaluate('window.location.hash')).toBe('#/problems');
  });

  it('切换用户 on the lock screen logs out', async () => {
    const p = h.page;
    await p.keyboard.press('Control+l');
    await p.getByRole('button', { name: '切换用户' }).click();
    await p.locator('input[autocomplete="username"]').waitFor();
    expect(await api(p, 'session:current')).toMatchObject({ ok: true, value: null });
  });

  it('a log-in that takes long (a large ledger, or its first upgrade) says why after 3 s, then goes on', async () => {
    const p = h.page;
    // The engine's answer held back 4 s, as when a large ledger is backed up and upgraded.
    await p.route('**/api/invoke', async (route) => {
      if ((route.request().postData() ?? '').includes('"session:login"')) await new Promise((r) => setTimeout(r, 4000));
      await route.continue();
    });
    try {
      await p.locator('input[autocomplete="username"]').fill('luru');
      await p.locator('input[autocomplete="current-password"]').fill(LURU_PW);
      const t0 = Date.now();
      await p.locator('button[type="submit"]').click();
      const slow = p.getByTestId('login-slow');
      // Not at once: a quick log-in never shows it.
      await p.waitForTimeout(1000);
      expect(await slow.count()).toBe(0);
      await slow.getByText('正在打开台账，请稍候……').waitFor();
      expect(Date.now() - t0).toBeGreaterThanOrEqual(2900);
      expect(await slow.getAttribute('role')).toBe('status');
      await expect.poll(() => slow.textContent()).toContain('会先自动备份');
      await h.shot('sec-05b-slow-login');
      expect(await axeCheck(p, 'slow log-in')).toEqual([]);
      await p.getByTestId('current-user').getByText('李某').waitFor();
    } finally {
      await p.unroute('**/api/invoke');
    }
    await p.keyboard.press('Control+l');
    await p.getByRole('button', { name: '切换用户' }).click();
    await p.locator('input[autocomplete="username"]').waitFor();
  });

  it('five wrong passwords lock the name out, with the time to wait; after it, the right password works', async () => {
    const p = h.page;
    for (let k = 1; k <= 5; k++) {
      await logIn(p, 'luru', `wrong-password-${k}`);
      await p.getByTestId('login-error').getByText('用户名或密码不正确。').waitFor();
    }
    await logIn(p, 'luru', LURU_PW);
    await p.getByTestId('login-error').getByText('密码错误次数过多，请在30秒后再试。').waitFor();
    await h.shot('sec-06-lockout');
    h.clock.advance(31_000);
    await p.locator('button[type="submit"]').click();
    await p.getByTestId('current-user').getByText('李某').waitFor();
  });

  it('an audit anchor that failed its check shows an alert at the top; the shell stays usable', async () => {
    const p = h.page;
    const saved = h.host.anchorVerdict;
    h.host.anchorVerdict = { ok: false, problem: 'anchor_forged', anchoredSeq: 12, ledgerSeq: 12, message: '钥匙文件中的审计锚点校验失败：锚点被改动过。' };
    try {
      await p.reload();
      await p.getByTestId('current-user').waitFor();
      const alert = p.getByTestId('anchor-alert');
      await alert.waitFor();
      expect(await alert.getAttribute('role')).toBe('alert');
      expect(await alert.textContent()).toContain('钥匙文件中的审计锚点校验失败：锚点被改动过。请联系管理员核查。');
      await p.getByRole('menuitem', { name: '巡视轮次' }).click();
      await p.getByTestId('rounds').getByText(roundName).first().waitFor();
      await h.shot('sec-07-anchor-alert');
      expect(await axeCheck(p, 'anchor alert')).toEqual([]);
    } finally {
      h.host.anchorVerdict = saved;
    }
  });

  it('a record changed with a SQLite tool is named by the ledger check; the shell stays usable', async () => {
    const p = h.page;
    // An auditor's view: the administrator holds 'audit.read'.
    await logOut(p);
    await logIn(p, 'admin', ADMIN_PW);
    await p.getByTestId('current-user').waitFor();
    const path = join(h.dir, 'ledger.sqlite');
    const key = dataKeyFor(path, { username: 'admin', password: ADMIN_PW });
    const db = new Database(path);
    applyKey(db, key);
    expect(db.prepare('UPDATE rounds SET name = ? WHERE name = ?').run('被改动的轮次名称', roundName).changes).toBe(1);
    db.close();
    const started = await api(p, 'audit:verify');
    expect(started, JSON.stringify(started)).toMatchObject({ ok: true });
    expect(await h.host.verified()).toMatchObject({ ok: false, severity: 'tampered' });
    await p.reload();
    await p.getByTestId('current-user').waitFor();
    const alert = p.getByTestId('verify-alert');
    await alert.waitFor();
    expect(await alert.getAttribute('role')).toBe('alert');
    expect(await alert.textContent()).toMatch(/巡视轮次.*请联系管理员核查/s);
    await p.getByRole('menuitem', { name: '巡视轮次' }).click();
    await p.getByTestId('rounds').waitFor();
    await h.shot('sec-13-verify-alert');
    expect(await axeCheck(p, 'verify alert')).toEqual([]);
  });
});

describe('a plaintext ledger made before encryption', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ today: '2024-06-15' });
    // The ledger file as an older version left it: plaintext, passwords hashed in the users table.
    const ledger = openLedger(join(h.dir, 'ledger.sqlite'));
    const ids = uuidv7Source(() => h.clock.now(), seededRandom(5));
    const base: ServiceContext = { ledger, clock: h.clock, ids, user: null };
    const out = inTransaction(base, () => setupLedger(base, { officeName: OFFICE, officeKind: 'discipline', level: 'province', adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: ADMIN_PW }));
    const admin = { id: out.adminId, role: 'admin' as const, canViewClues: false, displayName: '王某某' };
    createUser({ ...base, user: admin }, { username: 'luru', displayName: '李某', role: 'entry', password: LURU_PW });
    createUser({ ...base, user: admin }, { username: 'chakan', displayName: '赵某', role: 'readonly', password: LURU_PW });
    ledger.close();
    await h.page.reload();
  }, 60_000);
  afterAll(async () => h?.close());

  it('the log-in screen says 本台账尚未加密; an account other than an administrator\'s is told to wait for the conversion', async () => {
    const p = h.page;
    await p.getByTestId('not-encrypted').getByText('本台账尚未加密').waitFor();
    expect(await p.getByRole('button', { name: '忘记密码？使用恢复密钥' }).count()).toBe(0);
    await h.shot('sec-08-login-not-encrypted');
    expect(await axeCheck(p, 'login, not encrypted')).toEqual([]);
    await logIn(p, 'luru', LURU_PW);
    await p.getByRole('heading', { name: '须由管理员先完成加密转换' }).waitFor();
    expect(await ledgerInDom(p)).toBe(0);
    await h.shot('sec-09-convert-admin-only');
    expect(await axeCheck(p, 'conversion, not an administrator')).toEqual([]);
    await p.getByRole('button', { name: '退出登录' }).click();
    await p.locator('input[autocomplete="username"]').waitFor();
  });

  it('an administrator converts it with the password again, then sees the key once, the backup and who needs a new password', async () => {
    const p = h.page;
    await logIn(p, 'admin', ADMIN_PW);
    const dialog = p.getByRole('dialog');
    await dialog.getByText('加密转换本台账').waitFor();
    await dialog.getByText('先把原台账完整备份一份').waitFor();
    await p.waitForTimeout(400);
    await h.shot('sec-10-convert-dialog');
    expect(await axeCheck(p, 'conversion dialog')).toEqual([]);
    // Escape does not dismiss it
    await p.keyboard.press('Escape');
    expect(await dialog.isVisible()).toBe(true);
    await dialog.getByLabel('请再次输入您的密码').fill('not-my-password');
    await dialog.getByRole('button', { name: '开始加密转换' }).click();
    await dialog.getByText(/不正确/).waitFor();
    await dialog.getByLabel('请再次输入您的密码').fill(ADMIN_PW);
    await p.keyboard.press('Enter');
    await p.getByRole('heading', { name: '请保存恢复密钥' }).waitFor();
    expect((await p.getByTestId('recovery-key').textContent()) ?? '').toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/);
    expect(await p.getByTestId('backup-path').textContent()).toContain(join(h.dir, 'backups'));
    expect(await p.getByTestId('users-needing-password').locator('li').allTextContents()).toEqual(expect.arrayContaining(['luru', 'chakan']));
    await p.waitForTimeout(400);
    await h.shot('sec-11-converted-key');
    expect(await axeCheck(p, 'recovery key after conversion')).toEqual([]);
    await p.getByRole('checkbox', { name: '我已将恢复密钥妥善保存' }).check();
    await p.getByRole('button', { name: '继续' }).click();
    await p.getByTestId('current-user').getByText('王某某').waitFor();
    expect(await api(p, 'ledger:status')).toMatchObject({ ok: true, value: { state: 'encrypted' } });
  });
});

describe('a ledger file that cannot be opened', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ today: '2024-06-15' });
  }, 60_000);
  afterAll(async () => h?.close());

  it('a zeroed file: the engine\'s sentence and how to restore from a backup', async () => {
    const p = h.page;
    writeFileSync(join(h.dir, 'ledger.sqlite'), Buffer.alloc(64 * 1024));
    await p.reload();
    await p.getByRole('heading', { name: '台账文件无法打开' }).waitFor();
    await p.getByTestId('file-problem-message').getByText('台账文件的内容已被清零，无法打开。请从备份恢复。').waitFor();
    await p.getByRole('heading', { name: '从备份恢复' }).waitFor();
    await h.shot('sec-12-file-problem');
    expect(await axeCheck(p, 'file problem')).toEqual([]);
  });

  it('an encrypted ledger without its key file', async () => {
    const p = h.page;
    rmSync(join(h.dir, 'ledger.sqlite'), { force: true });
    h.setup({ officeName: OFFICE, officeKind: 'discipline', level: 'province', adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: ADMIN_PW });
    await p.reload();
    await p.locator('input[autocomplete="username"]').waitFor();
    rmSync(keystorePath(join(h.dir, 'ledger.sqlite')));
    await p.reload();
    await p.getByTestId('file-problem-message').getByText(/钥匙文件（\.keys）/).waitFor();
    await p.getByRole('button', { name: '重新检查' }).click();
    await p.getByRole('heading', { name: '台账文件无法打开' }).waitFor();
  });
});
