/**
 * 数据交换, first part, in Chromium over the real engine: two offices, the one in the page (a
 * discipline office, through the harness's ledger host) and a partner whose ledger is opened here
 * in memory (an inspected unit's rectification office) and whose card file is picked in the page.
 * The right (数据交换权限) given in 用户与角色 shows the navigation entry; 导出公钥卡 downloads a
 * card that reads with the fingerprint shown; a partner added without the fingerprint waits
 * (待确认指纹); a wrong fingerprint is refused prominently and the partner still waits; the right one
 * typed in lower case with spaces confirms it under the user's name; a tampered card and the
 * office's own card are refused in zh-CN; the partner's key change signed by its old key is trusted
 * at once; 更换密钥 retires this office's key. axe-core on the screen and its dialogs.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../db/core/clock.js';
import type { ActingUser, ServiceContext } from '../../db/core/context.js';
import { seededRandom, uuidv7Source } from '../../db/core/ids.js';
import { openLedger, type Ledger } from '../../db/core/open.js';
import { formatFingerprint, readCard } from '../../db/exchange/identity.js';
import { createUser, listUsers, login, setupLedger } from '../../db/services/office.js';
import { exportCard, listPartners, ownIdentity, rotateOwnKeys, type CardFile } from '../../db/services/partners.js';
import { axeCheckSettled as axeCheck, settle } from './axe.js';
import { startHarness, type Harness } from './harness.js';

const PW = 'jiaohuan-mima-2024';
const OFFICE = '某省纪委监委第三监督检查室';
const PARTNER = '某某集团有限公司巡视整改工作领导小组办公室';
const SHOTS = resolve(import.meta.dirname, '..', '..', 'test-output', 'exchange');

let h: Harness;
let admin: ActingUser;
let partnerLedger: Ledger;
let partnerAdmin: ServiceContext;
let partnerCard: CardFile;
/** Card files as the partner sends them (on a USB stick): written beside the ledger. */
const files = { partner: '', tampered: '', own: '', rotated: '' };

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  h = await startHarness({ today: '2024-06-15' });
  admin = h.setup({ officeName: OFFICE, officeKind: 'discipline', level: 'province', adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: PW });
  createUser(h.as(admin), { username: 'luru', displayName: '李某', role: 'entry', canViewClues: false, password: PW });

  // The partner's own ledger (its own id source, so the office ids differ).
  const clock = fixedClock('2024-06-14');
  partnerLedger = openLedger(':memory:');
  const ids = uuidv7Source(() => clock.now(), seededRandom(97));
  const as = (user: ActingUser | null): ServiceContext => ({ ledger: partnerLedger, clock, ids, user });
  setupLedger(as(null), { officeName: PARTNER, officeKind: 'inspected_unit', level: 'city', adminUsername: 'admin', adminDisplayName: '张某某', adminPassword: PW });
  partnerAdmin = as(login(as(null), { username: 'admin', password: PW }));
  partnerCard = exportCard(partnerAdmin);
  files.partner = join(h.dir, partnerCard.fileName);
  writeFileSync(files.partner, partnerCard.text);
  // Renamed on the way: the card's signature no longer holds.
  files.tampered = join(h.dir, 'tampered.xzcard');
  writeFileSync(files.tampered, partnerCard.text.replace('某某集团有限公司', '某某集团股份公司'));
  await h.page.reload();
}, 60_000);
afterAll(async () => {
  partnerLedger?.close();
  await h?.close();
});

async function logIn(p: Page, username: string, name: string) {
  await p.locator('input[autocomplete="username"]').fill(username);
  await p.locator('input[autocomplete="current-password"]').fill(PW);
  await p.locator('button[type="submit"]').click();
  await p.getByTestId('current-user').getByText(name).waitFor();
}

async function logOut(p: Page) {
  await p.getByTestId('current-user').hover();
  await p.getByRole('menuitem', { name: '切换用户' }).click();
  await p.locator('input[autocomplete="username"]').waitFor();
}

async function go(p: Page, hash: string) {
  await p.evaluate(`window.location.hash = ${JSON.stringify(hash)}`);
}

/** A screenshot in test-output/exchange, without the pointer's tooltip and the passing toasts. */
async function shot(p: Page, name: string) {
  await p.mouse.move(1, 1);
  await p.evaluate(`{ const s = document.createElement('style'); s.id = 'shot-style';
    s.textContent = '.ant-message { display: none !important; }'; document.head.append(s); }`);
  await settle(p);
  await p.waitForTimeout(300);
  await p.screenshot({ path: join(SHOTS, `${name}.png`) });
  await p.evaluate(`document.getElementById('shot-style')?.remove()`);
}

const userRow = (p: Page, username: string) =>
  p.getByTestId('users').locator('tr.ant-table-row').filter({ has: p.locator('td:first-child', { hasText: new RegExp(`^${username}(本人)?$`) }) });
const partnerRow = (p: Page, name: string) => p.getByTestId('partners').locator('tr.ant-table-row').filter({ hasText: name });
const okButton = (p: Page) => p.locator('.ant-modal-footer .ant-btn-primary:visible');
const adminCtx = () => h.as(h.user('admin'));

describe('数据交换权限', () => {
  it('without it there is no 数据交换 entry; the 管理员 gives it in 用户与角色 (never on their own row), and the entry appears', async () => {
    const p = h.page;
    await logIn(p, 'luru', '李某');
    await p.getByRole('menuitem', { name: '问题清单' }).waitFor();
    expect(await p.getByRole('menuitem', { name: '数据交换' }).count()).toBe(0);
    await go(p, '#/exchange');
    await p.getByTestId('exchange-refused').getByText('数据交换须由管理员').waitFor();
    await logOut(p);

    await logIn(p, 'admin', '王某某');
    await go(p, '#/settings/users');
    await userRow(p, 'luru').waitFor();
    const own = userRow(p, 'admin').getByRole('switch', { name: '数据交换权限：王某某' });
    expect(await own.isDisabled()).toBe(true);
    expect(await own.getAttribute('aria-checked')).toBe('true');
    const luru = userRow(p, 'luru').getByRole('switch', { name: '数据交换权限：李某' });
    expect(await luru.getAttribute('aria-checked')).toBe('false');
    await luru.click();
    await expect.poll(() => luru.getAttribute('aria-checked')).toBe('true');
    expect(listUsers(adminCtx()).find((u) => u.username === 'luru')?.canExchange).toBe(true);

    // the edit form shows it; on one's own row it is disabled
    await userRow(p, 'luru').getByRole('button', { name: '编辑：李某' }).click();
    let drawer = p.getByRole('dialog', { name: '修改用户：李某' });
    expect(await drawer.getByRole('switch', { name: '数据交换权限' }).getAttribute('aria-checked')).toBe('true');
    await drawer.getByRole('button', { name: '取消' }).click();
    await drawer.waitFor({ state: 'hidden' });
    await userRow(p, 'admin').getByRole('button', { name: '编辑：王某某' }).click();
    drawer = p.getByRole('dialog', { name: '修改用户：王某某' });
    expect(await drawer.getByRole('switch', { name: '数据交换权限' }).isDisabled()).toBe(true);
    await drawer.getByText('不能修改自己的数据交换权限，须由其他管理员办理。').first().waitFor();
    await drawer.getByRole('button', { name: '取消' }).click();
    await drawer.waitFor({ state: 'hidden' });
    await logOut(p);

    // 录入员 with the right: the screen, without the partner and key actions
    await logIn(p, 'luru', '李某');
    await p.getByRole('menuitem', { name: '数据交换' }).click();
    await p.getByTestId('own-card').getByText('本单位还没有交换密钥').waitFor();
    await p.getByTestId('partners').getByText('添加交换单位须由负责人或管理员办理').waitFor();
    expect(await p.getByTestId('add-partner').count()).toBe(0);
    await logOut(p);
  });
});

describe('本单位公钥卡 and 交换单位', () => {
  it('导出公钥卡 makes the keys; the downloaded card reads, with the fingerprint shown; 打印指纹 prints only the sheet', async () => {
    const p = h.page;
    await logIn(p, 'admin', '王某某');
    await p.getByRole('menuitem', { name: '数据交换' }).click();
    await p.getByTestId('own-no-keys').waitFor();
    await p.getByTestId('partners').getByText('还没有交换单位').waitFor();
    for (const s of [OFFICE, '纪检监察机关', '省']) await p.getByTestId('own-card').getByText(s, { exact: true }).waitFor();
    expect(await axeCheck(p, 'exchange, empty')).toEqual([]);
    await shot(p, 'exchange-00-empty');

    const [download] = await Promise.all([p.waitForEvent('download'), p.getByTestId('export-card').click()]);
    expect(download.suggestedFilename()).toMatch(/^某省纪委监委第三监督检查室-公钥卡-[0-9A-Z]{4}\.xzcard$/);
    const text = readFileSync((await download.path())!, 'utf8');
    files.own = join(h.dir, 'own.xzcard');
    writeFileSync(files.own, text);
    const card = readCard(text);
    const shown = (await p.getByTestId('own-fingerprint').textContent())!;
    expect(shown).toBe(formatFingerprint(card.fingerprint));
    expect(shown).toBe(ownIdentity(adminCtx()).fingerprint);
    expect(card.office).toMatchObject({ name: OFFICE, kind: 'discipline', level: 'province' });

    await p.evaluate('window.__prints = 0; window.print = () => { window.__prints += 1; }');
    await p.getByTestId('print-fingerprint').click();
    await expect.poll(() => p.evaluate('window.__prints')).toBe(1);
    await p.emulateMedia({ media: 'print' });
    try {
      const sheet = p.getByTestId('fingerprint-sheet');
      expect(await sheet.isVisible()).toBe(true);
      expect(await p.locator('#root').isVisible()).toBe(false);
      const sheetText = (await sheet.textContent())!;
      for (const s of ['数据交换公钥指纹', `单位：${OFFICE}`, '2024年6月15日', '单位类型：纪检监察机关', shown]) expect(sheetText).toContain(s);
    } finally {
      await p.emulateMedia({ media: 'screen' });
    }
    await p.evaluate("window.dispatchEvent(new Event('afterprint'))");
    await p.getByTestId('fingerprint-sheet').waitFor({ state: 'detached' });
  });

  it('添加交换单位 from the partner’s card without the fingerprint: previewed, then 待确认指纹', async () => {
    const p = h.page;
    await p.getByTestId('add-partner').click();
    const dialog = p.getByTestId('add-partner-dialog');
    await dialog.waitFor();
    expect(await axeCheck(p, 'add partner, empty')).toEqual([]);
    // 添加 before a card is picked says what to do
    await okButton(p).click();
    await dialog.getByText('请先选择对方的公钥卡文件。').waitFor();

    await dialog.locator('input[type="file"]').setInputFiles(files.partner);
    await dialog.getByTestId('preview-office').getByText(PARTNER).waitFor();
    expect(await dialog.getByTestId('preview-fingerprint').textContent()).toBe(partnerCard.fingerprint);
    await dialog.getByText('被巡视单位整改办').waitFor();
    expect(await dialog.getByTestId('preview-standing').getAttribute('data-standing')).toBe('new');
    await dialog.getByText('请对方通过电话读出其指纹，在此输入核对').waitFor();
    expect(await axeCheck(p, 'add partner, preview')).toEqual([]);
    await shot(p, 'exchange-02-add-preview');

    await okButton(p).click();
    await dialog.waitFor({ state: 'detached' });
    const row = partnerRow(p, PARTNER);
    await row.locator('[data-trust="pending"]').getByText('待确认指纹').waitFor();
    expect(await row.textContent()).toContain('被巡视单位整改办');
    expect(listPartners(adminCtx())).toMatchObject([{ name: PARTNER, trust: 'pending', fingerprint: partnerCard.fingerprint, confirmedBy: null }]);
  });

  it('a tampered card and this office’s own card are refused with a zh-CN sentence, adding nothing', async () => {
    const p = h.page;
    await p.getByTestId('add-partner').click();
    const dialog = p.getByTestId('add-partner-dialog');
    await dialog.locator('input[type="file"]').setInputFiles(files.tampered);
    await dialog.getByTestId('card-problem').getByText('公钥卡的签名无效，文件可能在传递中被改动。请勿添加，并与对方联系重新发送。').waitFor();
    expect(await dialog.getByTestId('card-preview').count()).toBe(0);
    await shot(p, 'exchange-04-tampered');
    await dialog.locator('input[type="file"]').setInputFiles(files.own);
    await dialog.getByTestId('card-problem').getByText('这是本单位自己的公钥卡，不能添加为交换单位。').waitFor();
    await dialog.locator('input[type="file"]').setInputFiles({ name: 'notes.xzcard', mimeType: 'text/plain', buffer: Buffer.from('不是公钥卡') });
    await dialog.getByTestId('card-problem').getByText(/^这不是公钥卡文件/).waitFor();
    await p.locator('.ant-modal-footer').getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(listPartners(adminCtx())).toHaveLength(1);
  });

  it('确认指纹 by keyboard: a wrong fingerprint is refused in red and the partner still waits; the right one, in lower case with spaces, confirms it', async () => {
    const p = h.page;
    const row = partnerRow(p, PARTNER);
    await row.getByRole('button', { name: `确认指纹：${PARTNER}` }).focus();
    await p.keyboard.press('Enter');
    const dialog = p.getByTestId('confirm-partner-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('confirm-fingerprint').textContent()).toBe(partnerCard.fingerprint);
    const fp = partnerCard.fingerprint;
    const wrong = `${fp.slice(0, -1)}${fp.endsWith('0') ? '1' : '0'}`;
    const box = p.getByLabel('对方读出的指纹');
    await box.fill(wrong);
    await box.press('Enter');
    const warning = dialog.getByTestId('fingerprint-mismatch');
    await warning.getByText('输入的指纹与公钥卡上的不一致：请勿信任此公钥卡').waitFor();
    await warning.getByText('指纹不一致').waitFor();
    expect(await axeCheck(p, 'confirm, mismatch')).toEqual([]);
    await shot(p, 'exchange-03-confirm-mismatch');
    expect(listPartners(adminCtx())[0]).toMatchObject({ trust: 'pending', confirmedAt: null });

    await box.fill(fp.toLowerCase().replace(/-/g, ' '));
    await box.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await row.locator('[data-trust="confirmed"]').getByText('已确认').waitFor();
    const confirmed = (await row.getByTestId('partner-confirmed').textContent())!;
    expect(confirmed).toContain('2024-06-15');
    expect(confirmed).toContain('王某某');
    expect(await row.getByRole('button', { name: /确认指纹/ }).count()).toBe(0);
    expect(listPartners(adminCtx())[0]).toMatchObject({ trust: 'confirmed', confirmedBy: '王某某' });
  });

  it('the partner’s new card, signed by its confirmed old key, is trusted at once; the key history shows both keys', async () => {
    const p = h.page;
    const rotated = rotateOwnKeys(partnerAdmin, { reason: '存放密钥的计算机送修' });
    files.rotated = join(h.dir, `new-${rotated.fileName}`);
    writeFileSync(files.rotated, rotated.text);
    await p.getByTestId('add-partner').click();
    const dialog = p.getByTestId('add-partner-dialog');
    await dialog.locator('input[type="file"]').setInputFiles(files.rotated);
    await dialog.getByText('该单位更换了密钥，新公钥卡由已确认的原密钥签名，可直接信任。').waitFor();
    expect(await dialog.getByLabel('请对方通过电话读出其指纹，在此输入核对').count()).toBe(0);
    await okButton(p).click();
    await dialog.waitFor({ state: 'detached' });

    const row = partnerRow(p, PARTNER);
    await expect.poll(async () => row.locator('.xz-recovery-key').first().textContent()).toBe(rotated.fingerprint);
    await row.getByText('经原密钥签名自动信任').waitFor();
    await row.getByRole('button', { name: /展开/ }).click();
    const history = p.getByTestId('partner-keys');
    await history.waitFor();
    const keys = await history.locator('tr.ant-table-row').allInnerTexts();
    expect(keys).toHaveLength(2);
    expect(keys[0]).toContain('已停用');
    expect(keys[0]).toContain('王某某');
    expect(keys[0]).toContain('对方更换了密钥');
    expect(keys[1]).toContain('使用中');
    expect(keys[1]).toContain('密钥更换');
    expect(await axeCheck(p, 'exchange, partners')).toEqual([]);
    await shot(p, 'exchange-01-partners');
  });

  it('更换密钥 asks for a reason and warns; the old key is listed as retired', async () => {
    const p = h.page;
    const before = ownIdentity(adminCtx()).fingerprint!;
    await p.getByTestId('rotate-keys-button').click();
    const prompt = p.getByTestId('rotate-keys');
    await prompt.getByText(/已确认原密钥的交换单位，收到新公钥卡后会自动信任；其他单位须重新电话核对指纹/).waitFor();
    await okButton(p).click();
    await prompt.getByText('请填写更换原因。').waitFor();
    expect(await axeCheck(p, 'rotate keys')).toEqual([]);
    await shot(p, 'exchange-05-rotate');
    await p.getByLabel('更换原因').fill('定期更换');
    await okButton(p).click();
    await prompt.waitFor({ state: 'hidden' });
    const retired = p.getByTestId('retired-keys').locator('tr.ant-table-row');
    await retired.first().waitFor();
    expect(await retired.count()).toBe(1);
    expect(await retired.first().textContent()).toContain('定期更换');
    expect(await retired.first().locator('.xz-recovery-key').textContent()).toBe(before);
    const now = ownIdentity(adminCtx()).fingerprint!;
    expect(now).not.toBe(before);
    await expect.poll(() => p.getByTestId('own-fingerprint').textContent()).toBe(now);
    await shot(p, 'exchange-06-own-retired');
  });

  it('every string of the screen and its dialogs is in the catalogue, in zh-CN and in English', async () => {
    const p = h.page;
    expect(await p.evaluate('window.__xzMissingKeys ?? []')).toEqual([]);
    await p.getByRole('button', { name: 'English' }).click();
    try {
      await p.getByRole('heading', { name: 'Data exchange' }).waitFor();
      await p.getByTestId('partners').locator('[data-trust="confirmed"]').getByText('Confirmed').waitFor();
      await shot(p, 'exchange-07-en');
      await p.getByTestId('add-partner').click();
      await p.getByTestId('add-partner-dialog').locator('input[type="file"]').setInputFiles(files.tampered);
      await p.getByTestId('card-problem').getByText(/signature is not valid/).waitFor();
      await p.locator('.ant-modal-footer').getByRole('button', { name: 'Cancel' }).click();
      await p.getByTestId('add-partner-dialog').waitFor({ state: 'detached' });
      expect(await p.evaluate('window.__xzMissingKeys ?? []')).toEqual([]);
    } finally {
      await p.getByRole('button', { name: '中文' }).click();
      await p.getByRole('button', { name: 'English' }).waitFor();
    }
  });
});
