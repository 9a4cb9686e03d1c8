/**
 * Accounts and the clue right in Chromium over the ledger host: the 管理员 proposes the
 * 问题线索查看权限 for a 审核员 in 用户与角色 (pending), a 负责人 confirms it in 权限报告 (the
 * 审核员 then holds it, engine and screen agree); nobody proposes it for themself; 重置密码 needs
 * the administrator's own password (a wrong one is shown on its field); the ledger's password
 * rules (台账设置 · 安全) apply as typed; an account without a password shows 设置密码. axe-core
 * finds no serious or critical violation on the users tab and the report (WCAG 2.1 AA).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActingUser } from '../../db/core/context.js';
import { createUser, listUsers } from '../../db/services/office.js';
import { rightsReport } from '../../db/services/rights.js';
import { getSettings } from '../../db/services/settings.js';
import { startHarness, type Harness } from './harness.js';
import { axeCheck } from './axe.js';



const PW = { admin: 'guanli-mima-2024', reviewer: 'ceshi-mima-2024', leader: 'fuze-mima-2024', entry: 'luru-mima-2024' };

let h: Harness;
let admin: ActingUser;

beforeAll(async () => {
  h = await startHarness({ today: '2024-06-15' });
  admin = h.setup({
    officeName: '某省纪委监委第三监督检查室', officeKind: 'discipline', level: 'province',
    adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: PW.admin,
  });
  const ctx = h.as(admin);
  createUser(ctx, { username: 'shenhe', displayName: '赵某某', role: 'reviewer', canViewClues: false, password: PW.reviewer });
  createUser(ctx, { username: 'fuze', displayName: '孙某某', role: 'leader', canViewClues: false, password: PW.leader });
  const zhuanhuan = createUser(ctx, { username: 'zhuanhuan', displayName: '钱某某', role: 'entry', canViewClues: false, password: PW.entry });
  // An account carried over from a plaintext ledger has no wrap in the key file: it cannot log in yet.
  ctx.keys?.removeUser(zhuanhuan.id);
  await h.page.reload();
}, 60_000);
afterAll(async () => h?.close());

async function logIn(p: Page, username: string, password: string, name: string) {
  await p.locator('input[autocomplete="username"]').fill(username);
  await p.locator('input[autocomplete="current-password"]').fill(password);
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

/** A screenshot without the transient toasts and the hover menu of the previous step. */
async function shot(p: Page, name: string) {
  await p.mouse.move(1300, 740);
  await p.evaluate(`{ const s = document.createElement('style'); s.id = 'shot-style';
    s.textContent = '.ant-message { display: none !important; }'; document.head.append(s); }`);
  await p.waitForTimeout(500);
  await h.shot(name);
  await p.evaluate(`document.getElementById('shot-style')?.remove()`);
}

/** The error antd shows under the form item whose label is `label`. */
function fieldError(p: Page, label: string) {
  return p.locator('.ant-form-item').filter({ has: p.getByLabel(label, { exact: true }) }).locator('.ant-form-item-explain-error');
}

/** The users table's row of `username` (its first cell: the username, and 本人 on one's own row). */
function row(p: Page, username: string) {
  return p.getByTestId('users').locator('tr.ant-table-row').filter({ has: p.locator('td:first-child', { hasText: new RegExp(`^${username}(本人)?$`) }) });
}

/**
 * The open dialog's main button (after a refusal its name gains the spinner's 'loading' while the
 * icon fades, so it is found by place).
 */
const okButton = (p: Page) => p.locator('.ant-modal-footer .ant-btn-primary:visible');

const clueTag = (p: Page, username: string) => row(p, username).locator('[data-clue]');

describe('the clue right takes two people', () => {
  it('the 管理员 proposes it for a 审核员 with a reason; it is pending, and there is no such action on their own row', async () => {
    const p = h.page;
    await logIn(p, 'admin', PW.admin, '王某某');
    await go(p, '#/settings/users');
    await row(p, 'shenhe').waitFor();
    expect(await clueTag(p, 'shenhe').getAttribute('data-clue')).toBe('none');
    // no clue switch anywhere (the switches are the 数据交换权限 ones, one a row)
    expect(await p.getByRole('checkbox').count()).toBe(0);
    expect(await p.getByRole('switch', { name: /线索/ }).count()).toBe(0);
    expect(await p.getByRole('switch', { name: /^数据交换权限：/ }).count()).toBe(4);

    // own row: no 授予, no 撤销, 停用 disabled; the others have 授予线索权限
    const own = row(p, 'admin');
    expect(await own.getByRole('button', { name: /授予线索权限/ }).count()).toBe(0);
    expect(await own.getByRole('button', { name: /停用/ }).isDisabled()).toBe(true);
    expect(await own.getByText('本人').count()).toBe(1);
    expect(await row(p, 'fuze').getByRole('button', { name: '授予线索权限：孙某某' }).count()).toBe(1);

    // the account without a password: marked, with 设置密码 instead of 重置密码
    await row(p, 'zhuanhuan').getByText('未设密码').waitFor();
    expect(await row(p, 'zhuanhuan').getByRole('button', { name: '设置密码：钱某某' }).count()).toBe(1);
    await p.getByTestId('needs-password-alert').waitFor();
    await shot(p, 'acc-01-users');
    expect(await axeCheck(p, 'users tab')).toEqual([]);

    // the edit form has no clue switch; on one's own row the role cannot be changed
    await own.getByRole('button', { name: '编辑：王某某' }).click();
    const drawer = p.getByRole('dialog', { name: '修改用户：王某某' });
    await drawer.getByText('不能修改自己的角色，须由其他管理员办理。').first().waitFor();
    expect(await drawer.locator('.ant-select-disabled').count()).toBe(1);
    expect(await drawer.getByRole('switch', { name: /线索/ }).count()).toBe(0);
    await drawer.getByRole('button', { name: '取消' }).click();
    await drawer.waitFor({ state: 'hidden' });

    // propose, by keyboard: the reason is required
    await row(p, 'shenhe').getByRole('button', { name: '授予线索权限：赵某某' }).focus();
    await p.keyboard.press('Enter');
    const prompt = p.getByTestId('grant-clue');
    await prompt.waitFor();
    await p.getByRole('button', { name: '提请授予' }).click();
    await fieldError(p, '授权理由').getByText('请填写授权理由。').waitFor();
    await p.getByLabel('授权理由').fill('承办某某集团有限公司问题线索的初核工作');
    await shot(p, 'acc-02-grant');
    await p.getByRole('button', { name: '提请授予' }).click();
    await prompt.waitFor({ state: 'hidden' });
    await expect.poll(() => clueTag(p, 'shenhe').getAttribute('data-clue')).toBe('pending');
    expect(await clueTag(p, 'shenhe').textContent()).toBe('待确认');

    // the engine agrees: not yet effective, one pending proposal by the administrator
    const shenhe = listUsers(h.as(admin)).find((u) => u.username === 'shenhe')!;
    expect(shenhe.canViewClues).toBe(false);
    const r = rightsReport(h.as(admin));
    expect(r.pending).toHaveLength(1);
    expect(r.pending[0]).toMatchObject({ user: { username: 'shenhe' }, grantedBy: { username: 'admin' }, reason: '承办某某集团有限公司问题线索的初核工作' });

    // one for the 负责人 too: he will not be able to confirm it himself
    await row(p, 'fuze').getByRole('button', { name: '授予线索权限：孙某某' }).click();
    await p.getByLabel('授权理由').fill('分管问题线索处置工作');
    await p.getByRole('button', { name: '提请授予' }).click();
    await expect.poll(() => clueTag(p, 'fuze').getAttribute('data-clue')).toBe('pending');

    // the proposer sees the report, but cannot confirm their own proposal
    await go(p, '#/settings/rights');
    await p.getByTestId('rights-pending').getByText('赵某某（shenhe）').waitFor();
    expect(await p.getByTestId('rights-pending').getByRole('button', { name: /^确认/ }).count()).toBe(0);
    expect(await p.getByTestId('rights-pending').getByRole('button', { name: '撤回申请：赵某某' }).count()).toBe(1);
    await logOut(p);
  });

  it('a 负责人 confirms it in 权限报告; the 审核员 then holds it', async () => {
    const p = h.page;
    await logIn(p, 'fuze', PW.leader, '孙某某');
    await go(p, '#/settings/rights');
    const pending = p.getByTestId('rights-pending');
    await pending.getByText('赵某某（shenhe）').waitFor();
    // only 权限报告 among the settings for a 负责人
    expect(await p.getByRole('tab').allTextContents()).toEqual(['权限报告']);
    // his own proposal: 确认 / 驳回 disabled, and why (on hover, and written beside them)
    const ownGrant = pending.locator('tr.ant-table-row').filter({ hasText: '孙某某（fuze）' });
    expect(await ownGrant.getByRole('button', { name: '确认：孙某某' }).isDisabled()).toBe(true);
    expect(await ownGrant.getByRole('button', { name: '驳回：孙某某' }).isDisabled()).toBe(true);
    await ownGrant.getByText('这是授予您本人的权限，须由其他负责人确认。').waitFor();
    await ownGrant.getByRole('button', { name: '确认：孙某某' }).hover({ force: true });
    await p.getByRole('tooltip').getByText('这是授予您本人的权限').waitFor();
    await h.shot('acc-03-report-pending');
    await p.mouse.move(1300, 740);
    await p.getByRole('tooltip').waitFor({ state: 'hidden' });
    expect(await axeCheck(p, 'rights report')).toEqual([]);

    await pending.getByRole('button', { name: '确认：赵某某' }).click();
    const dialog = p.getByTestId('rights-confirm');
    await dialog.getByText(/王某某提请授予赵某某（shenhe）问题线索查看权限/).waitFor();
    await p.getByLabel('确认意见（可不填）').fill('同意，限于该件初核期间。');
    await p.getByRole('button', { name: '确认生效' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const holders = p.getByTestId('rights-holders');
    const holder = holders.locator('tr.ant-table-row').filter({ hasText: 'shenhe' });
    await holder.waitFor();
    for (const s of ['赵某某', '审核员', '2024-06-15', '王某某', '孙某某', '两人办理']) expect(await holder.textContent()).toContain(s);
    await expect.poll(() => pending.locator('tr.ant-table-row').count()).toBe(1);
    await p.getByTestId('rights-history').getByText('确认生效').waitFor();

    // the engine agrees
    const shenhe = listUsers(h.as(admin)).find((u) => u.username === 'shenhe')!;
    expect(shenhe.canViewClues).toBe(true);
    const r = rightsReport(h.as(h.user('fuze')));
    expect(r.holders.map((x) => x.user.username)).toEqual(['shenhe']);
    expect(r.holders[0]).toMatchObject({ direct: false, grantedBy: { username: 'admin' }, confirmedBy: { username: 'fuze' } });
    expect(r.pending.map((g) => g.user.username)).toEqual(['fuze']);
    expect(r.history.map((e) => `${e.action} ${e.user.username}`)).toEqual(['confirmed shenhe', 'proposed fuze', 'proposed shenhe']);
    await shot(p, 'acc-04-report-holder');

    // 打印: the report on paper, only it
    await p.evaluate('window.__prints = 0; window.print = () => { window.__prints += 1; }');
    await p.getByTestId('rights-print-button').click();
    await expect.poll(() => p.evaluate('window.__prints')).toBe(1);
    await p.emulateMedia({ media: 'print' });
    try {
      const sheet = p.getByTestId('rights-print');
      expect(await sheet.isVisible()).toBe(true);
      expect(await p.locator('#root').isVisible()).toBe(false);
      const text = (await sheet.textContent()) ?? '';
      for (const s of ['某省纪委监委第三监督检查室问题线索查看权限报告', '截至2024年6月15日', '持有人（1）', '赵某某', '两人办理', '2024年6月15日', '待确认的授权申请（1）', '分管问题线索处置工作', '变更记录（3）', '负责人：']) {
        expect(text).toContain(s);
      }
      await h.shot('acc-05-report-print');
    } finally {
      await p.emulateMedia({ media: 'screen' });
    }
    await logOut(p);
  });

  it('the 管理员 now sees 已授权 and may revoke it', async () => {
    const p = h.page;
    await logIn(p, 'admin', PW.admin, '王某某');
    await go(p, '#/settings/users');
    await expect.poll(() => clueTag(p, 'shenhe').getAttribute('data-clue')).toBe('granted');
    expect(await row(p, 'shenhe').getByRole('button', { name: '撤销线索权限：赵某某' }).count()).toBe(1);
    expect(await row(p, 'shenhe').getByRole('button', { name: /授予线索权限/ }).count()).toBe(0);
  });
});

describe('passwords', () => {
  it('重置密码 without the right own password is refused on 您的登录密码', async () => {
    const p = h.page;
    await row(p, 'fuze').getByRole('button', { name: '重置密码：孙某某' }).click();
    const dialog = p.getByTestId('reset-password');
    await dialog.waitFor();
    await p.getByLabel('新密码', { exact: true }).fill('xinmima-2024-fz');
    await p.getByLabel('再次输入密码').fill('xinmima-2024-fz');
    await p.getByLabel('您的登录密码').fill('bushi-wo-de-mima');
    await okButton(p).click();
    await fieldError(p, '您的登录密码').getByText('您自己的登录密码不正确，未重置密码。').waitFor();
    await shot(p, 'acc-06-reset-refused');

    // with the right one it is reset
    await p.getByLabel('您的登录密码').fill(PW.admin);
    await okButton(p).click();
    await dialog.waitFor({ state: 'hidden' });
    PW.leader = 'xinmima-2024-fz';
  });

  it('设置密码 for an account that has none; afterwards it is no longer marked', async () => {
    const p = h.page;
    await row(p, 'zhuanhuan').getByRole('button', { name: '设置密码：钱某某' }).click();
    const dialog = p.getByTestId('reset-password');
    await dialog.getByText('该账号还没有能打开本台账的密码').waitFor();
    await p.getByLabel('新密码', { exact: true }).fill(PW.entry);
    await p.getByLabel('再次输入密码').fill(PW.entry);
    await p.getByLabel('您的登录密码').fill(PW.admin);
    await okButton(p).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => row(p, 'zhuanhuan').getByText('未设密码').count()).toBe(0);
    expect(listUsers(h.as(admin)).find((u) => u.username === 'zhuanhuan')?.needsPassword).toBe(false);
  });

  it('password rules of 12 characters refuse an 11-character password on its field', async () => {
    const p = h.page;
    await go(p, '#/settings/ledger');
    await p.getByLabel('密码最少位数').waitFor();
    await p.getByRole('heading', { name: '安全' }).waitFor();
    expect(await p.getByLabel('自动锁定（分钟，0为不锁定）').inputValue()).toBe('10');
    await p.getByLabel('密码最少位数').fill('12');
    await p.getByTestId('password-rule-preview').getByText(/密码至少12位/).waitFor();
    await shot(p, 'acc-07-ledger-security');
    await p.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => getSettings(h.as(admin)).passwordMinLength).toBe(12);

    // out of range: the engine's sentence on the field
    await p.getByLabel('须包含的字符类别数').fill('5');
    await p.getByRole('button', { name: '保存' }).click();
    await fieldError(p, '须包含的字符类别数').waitFor();
    expect(getSettings(h.as(admin)).passwordNeedsClasses).toBe(2);
    await p.getByLabel('须包含的字符类别数').fill('2');
    await p.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => fieldError(p, '须包含的字符类别数').count()).toBe(0);

    // a new account with 11 characters: refused on 初始密码 as the engine words the rule
    await go(p, '#/settings/users');
    await row(p, 'shenhe').waitFor();
    await p.getByRole('button', { name: '新建用户' }).click();
    await p.getByTestId('password-rule').getByText('密码至少12位，且包含小写字母、大写字母、数字、其他字符中的至少2类。').waitFor();
    await p.getByLabel('用户名', { exact: true }).fill('lisi');
    await p.getByLabel('姓名', { exact: true }).fill('李某某');
    await p.getByLabel('初始密码').fill('mima-2024-l'); // 11
    await p.getByLabel('再次输入密码').fill('mima-2024-l');
    await p.getByRole('button', { name: '保存' }).click();
    await fieldError(p, '初始密码').getByText('密码至少12位（本台账的密码规则），当前只有11位。').waitFor();
    await shot(p, 'acc-08-new-user-rule');
    expect(listUsers(h.as(admin)).some((u) => u.username === 'lisi')).toBe(false);
    await p.getByLabel('初始密码').fill('mima-2024-li');
    await p.getByLabel('再次输入密码').fill('mima-2024-li');
    await p.getByTestId('password-rule').getByText('符合本台账的密码规则。').waitFor();
    await p.getByRole('button', { name: '保存' }).click();
    await row(p, 'lisi').waitFor();
    expect(listUsers(h.as(admin)).find((u) => u.username === 'lisi')).toMatchObject({ role: 'entry', canViewClues: false, needsPassword: false });
  });

  it('停用 drops the password; 启用 again asks for a new one', async () => {
    const p = h.page;
    await row(p, 'lisi').getByRole('button', { name: '停用：李某某' }).click();
    await p.locator('.ant-modal-confirm-btns .ant-btn-dangerous').click();
    await row(p, 'lisi').getByText('停用', { exact: true }).first().waitFor();
    await expect.poll(() => listUsers(h.as(admin)).find((u) => u.username === 'lisi')?.active).toBe(false);
    await row(p, 'lisi').getByRole('button', { name: '启用：李某某' }).click();
    const dialog = p.getByTestId('reset-password');
    await dialog.getByText('停用时该账号的原密码已失效，重新启用须同时为其设置新密码。').waitFor();
    await p.getByLabel('新密码', { exact: true }).fill('mima-2024-li2');
    await p.getByLabel('再次输入密码').fill('mima-2024-li2');
    await p.getByLabel('您的登录密码').fill(PW.admin);
    await okButton(p).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(listUsers(h.as(admin)).find((u) => u.username === 'lisi')).toMatchObject({ active: true, needsPassword: false });
  });

  it('修改我的密码: the old password is checked on its field, the rule on the new one', async () => {
    const p = h.page;
    await p.getByTestId('change-own-password-button').click();
    const dialog = p.getByTestId('change-own-password');
    await dialog.waitFor();
    await p.getByLabel('原密码').fill('bushi-yuan-mima');
    await p.getByLabel('新密码', { exact: true }).fill('guanli-xin-2024');
    await p.getByLabel('确认新密码').fill('guanli-xin-2024');
    await okButton(p).click();
    await fieldError(p, '原密码').getByText('原密码不正确，密码未修改。').waitFor();
    await shot(p, 'acc-09-own-password');
    await p.getByLabel('原密码').fill(PW.admin);
    await okButton(p).click();
    await dialog.waitFor({ state: 'hidden' });
    PW.admin = 'guanli-xin-2024';
    await logOut(p);
    await logIn(p, 'admin', PW.admin, '王某某');
    await logOut(p);
    // the leader logs in with the password the administrator reset
    await logIn(p, 'fuze', PW.leader, '孙某某');
  });
});
