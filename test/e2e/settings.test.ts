import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActingUser } from '../../db/core/context.js';
import { createAccountability } from '../../db/services/accountability.js';
import { listCalendarDays, listRuleSets } from '../../db/services/calendar.js';
import { listCategories } from '../../db/services/categories.js';
import { listEscalations } from '../../db/services/escalations.js';
import { getInspection } from '../../db/services/inspections.js';
import { DEFAULT_PASSWORD_RULES, passwordProblem } from '../../db/domain/password-rules.js';
import { createUser, listUsers } from '../../db/services/office.js';
import { listReports } from '../../db/services/reports.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxTask, fxUnit } from '../helpers/fixtures.js';
import { startHarness, type Harness } from './harness.js';

/**
 * 报告, 评估与问责 and 设置 in Chromium over the real engine: what the clerk does in the UI is
 * compared with what the engine then holds.
 */
const PW = 'mima-2024-ceshi';
let h: Harness;
let admin: ActingUser;
let inspectionId: string;
let unitId: string;
let roundId: string;

beforeAll(async () => {
  h = await startHarness({ today: '2024-06-15' });
  admin = h.setup({
    officeName: '某省纪委监委第三监督检查室', officeKind: 'discipline', level: 'province',
    adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: PW,
  });
  const ctx = h.as(admin);
  createUser(ctx, { username: 'shenhe', displayName: '赵某某', role: 'reviewer', canViewClues: false, password: PW });
  createUser(ctx, { username: 'chakan', displayName: '周某', role: 'readonly', canViewClues: false, password: PW });
  const round = fxRound(ctx, { name: '某省委2024年第一轮巡视' });
  const unit = fxUnit(ctx, { name: '某某集团有限公司' });
  const { inspection } = fxInspection(ctx, { roundId: round.id, unitId: unit.id, feedbackDate: '2024-04-10' });
  const pr = fxProblem(ctx, { unitId: unit.id, roundId: round.id, inspectionId: inspection.id, categoryId: categoryId(ctx, '廉洁风险') });
  fxTask(ctx, { problemId: pr.id, unitId: unit.id, roundId: round.id, deadline: '2024-07-10' });
  inspectionId = inspection.id;
  unitId = unit.id;
  roundId = round.id;
  await h.page.reload();
}, 60_000);
afterAll(async () => h?.close());

async function logIn(p: Page, username: string, name: string) {
  await p.getByLabel('用户名').fill(username);
  await p.getByLabel('密码').fill(PW);
  await p.getByRole('button', { name: '登录' }).click();
  await p.getByTestId('current-user').getByText(name).waitFor();
}

async function logOut(p: Page) {
  await p.getByTestId('current-user').hover();
  await p.getByRole('menuitem', { name: '切换用户' }).click();
  await p.getByRole('button', { name: '登录' }).waitFor();
}

async function go(p: Page, hash: string) {
  await p.evaluate(`window.location.hash = ${JSON.stringify(hash)}`);
}

/** Type a date into an antd DatePicker found by its label. */
async function pickDate(p: Page, label: string, day: string) {
  const input = p.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(day);
  await input.press('Enter');
}

/** Choose an option of an antd Select found by its label. */
async function choose(p: Page, label: string, option: string) {
  await p.getByLabel(label, { exact: true }).click();
  await p.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: option }).first().click();
}

/** A screenshot without the transient toasts and the hover menu of the previous step. */
async function shot(p: Page, name: string) {
  await p.mouse.move(760, 740);
  // (Page scripts as strings: this file is type-checked without the DOM library.)
  await p.evaluate(`{ const s = document.createElement('style'); s.id = 'shot-style';
    s.textContent = '.ant-message { display: none !important; }'; document.head.append(s); }`);
  await p.waitForTimeout(700); // the hover menu of the user button closes with a delay
  await h.shot(name);
  await p.evaluate(`document.getElementById('shot-style')?.remove()`);
}

/** The error antd shows under the form item whose label is `label`. */
function fieldError(p: Page, label: string) {
  return p.locator('.ant-form-item').filter({ has: p.getByLabel(label, { exact: true }) }).locator('.ant-form-item-explain-error');
}

describe('设置 as the administrator', () => {
  it('creates a 录入员 through the form, refusing a bad username and a short password on their fields first', async () => {
    const p = h.page;
    await logIn(p, 'admin', '王某某');
    await go(p, '#/settings/users');
    await p.getByTestId('users').getByText('shenhe').waitFor();
    const before = listUsers(h.as(admin)).length;

    await p.getByRole('button', { name: '新建用户' }).click();
    await p.getByLabel('用户名', { exact: true }).fill('li si');
    await p.getByLabel('姓名', { exact: true }).fill('李某某');
    await choose(p, '角色', '录入员');
    await p.getByLabel('初始密码').fill('mima-2024-lisi');
    await p.getByLabel('再次输入密码').fill('mima-2024-lisi');
    await p.getByRole('button', { name: '保存' }).click();
    await expect(fieldError(p, '用户名').textContent()).resolves.toBe('用户名只能包含中文、字母、数字、下划线、点和连字符（2-32位）。');
    expect(listUsers(h.as(admin))).toHaveLength(before);

    await p.getByLabel('用户名', { exact: true }).fill('lisi');
    await p.getByLabel('初始密码').fill('12345');
    await p.getByLabel('再次输入密码').fill('12345');
    await p.getByRole('button', { name: '保存' }).click();
    // The ledger's password rules (default: at least 10 characters of 2 kinds), as the engine words them.
    await fieldError(p, '初始密码').getByText(passwordProblem('12345', DEFAULT_PASSWORD_RULES)!.message).waitFor();
    expect(listUsers(h.as(admin))).toHaveLength(before);

    await p.getByLabel('初始密码').fill('mima-2024-lisi');
    await p.getByLabel('再次输入密码').fill('mima-2024-lisi');
    await p.getByRole('button', { name: '保存' }).click();
    await p.getByTestId('users').getByText('lisi', { exact: true }).waitFor();
    const created = listUsers(h.as(admin)).find((u) => u.username === 'lisi');
    expect(created).toMatchObject({ displayName: '李某某', role: 'entry', active: true, canViewClues: false });
    await shot(p, '52-settings-users');
  });

  it('adds a problem category at the top level', async () => {
    const p = h.page;
    await go(p, '#/settings/categories');
    await p.getByTestId('categories').getByText('廉洁风险').waitFor();
    await p.getByRole('button', { name: '新建大类' }).click();
    await p.getByLabel('类别名称').fill('意识形态工作责任制落实');
    await p.getByRole('dialog').getByRole('button', { name: '保存' }).click();
    await p.getByTestId('categories').getByText('意识形态工作责任制落实').waitFor();
    const top = listCategories(h.as(admin), {}).map((c) => c.name);
    expect(top).toContain('意识形态工作责任制落实');
    await shot(p, '53-settings-categories');
  });

  it('creates a new version of the 2022 rule set with a two-month concentrated period', async () => {
    const p = h.page;
    await go(p, '#/settings/rules');
    const row = p.getByTestId('rule-sets').locator('tr').filter({ hasText: 'CPC-2022' });
    await row.getByRole('button', { name: '新建版本' }).click();
    const field = p.getByLabel('集中整改期（月）');
    await field.fill('2');
    await p.getByRole('button', { name: '建立新版本' }).click();
    await p.getByTestId('rule-sets').getByText('v2').waitFor();
    const v2 = listRuleSets(h.as(admin)).find((r) => r.code === 'CPC-2022' && r.ruleVersion === 2);
    expect(v2?.rules.concentratedMonths).toBe(2);
    expect(v2?.rules.progressReportMonths).toBe(3); // the other fields were carried over from v1
    await shot(p, '54-settings-rules');
  });

  it('adds a holiday and the calendar list shows it', async () => {
    const p = h.page;
    await go(p, '#/settings/calendar');
    const year = new Date().getFullYear();
    await p.getByTestId('calendar-count').getByText(`${year}年`).waitFor();
    const before = listCalendarDays(h.as(admin), { year }).length;
    const day = `${year}-07-06`;
    expect(listCalendarDays(h.as(admin), { year }).some((d) => d.day === day)).toBe(false);
    await pickDate(p, '日期', day);
    await p.getByLabel('名称').fill('本单位补休日');
    await p.getByRole('button', { name: '加入日历' }).click();
    await p.getByTestId('calendar').getByText('本单位补休日').waitFor();
    expect(listCalendarDays(h.as(admin), { year })).toHaveLength(before + 1);
    await shot(p, '55-settings-calendar');
  });

  it('lets the new 录入员 log in with the password the administrator set', async () => {
    const p = h.page;
    await logOut(p);
    await p.getByLabel('用户名').fill('lisi');
    await p.getByLabel('密码').fill('mima-2024-lisi');
    await p.getByRole('button', { name: '登录' }).click();
    await p.getByTestId('current-user').getByText('李某某 · 录入员').waitFor();
    await logOut(p);
  });
});

describe('报告 and 评估与问责 as a 审核员', () => {
  it('refuses a disclosure before the review opinion, then records both; titles show as text', async () => {
    const p = h.page;
    await logIn(p, 'shenhe', '赵某某');
    await go(p, '#/reports');
    await p.getByTestId('report-clocks').waitFor();

    const newReport = async (kind: string) => {
      await p.getByRole('button', { name: '新建报告' }).click();
      await p.getByRole('menuitem', { name: kind, exact: true }).click();
    };
    await newReport('整改情况公开');
    await p.getByLabel('标题').fill('某某集团有限公司关于巡视整改情况的通报');
    await pickDate(p, '日期', '2024-06-10');
    await p.getByRole('button', { name: '保存' }).click();
    await p.getByRole('alert').getByText('尚无审核意见，不能录入整改情况公开。').waitFor();
    expect(listReports(h.as(admin), { inspectionId }).total).toBe(0);
    await p.getByRole('button', { name: '取消' }).first().click();
    await p.getByRole('button', { name: '确定' }).click(); // the form was edited: confirm leaving it

    await newReport('审核意见');
    await p.getByLabel('标题').fill('关于某某集团有限公司集中整改进展情况的审核意见');
    await p.getByLabel('文号').fill('某纪审〔2024〕5号');
    await pickDate(p, '日期', '2024-05-25');
    await pickDate(p, '收到日期', '2024-05-28');
    await p.getByRole('button', { name: '保存' }).click();
    await p.getByTestId('report-list').getByText('某纪审〔2024〕5号').waitFor();

    const payload = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>整改公开';
    await newReport('整改情况公开');
    await p.getByLabel('标题').fill(payload);
    await pickDate(p, '日期', '2024-06-10');
    await p.getByRole('button', { name: '保存' }).click();
    await p.getByTestId('report-list').getByText(payload, { exact: true }).waitFor();
    expect(await p.evaluate('window.__xss')).toBeUndefined();

    const kinds = listReports(h.as(admin), { inspectionId }).items.map((r) => r.kind).sort();
    expect(kinds).toEqual(['disclosure', 'review_opinion']);
    // 审核意见 received 05-28 → 公开 due 06-28; filed 06-10: the clock is done on time.
    const light = p.getByTestId('report-clocks').locator('[data-clock="disclosure"] [data-light]');
    await expect(light.getAttribute('data-light')).resolves.toBe('done');
    await expect(light.textContent()).resolves.toBe('按期完成');
    await shot(p, '50-reports');
  });

  it('rates the unit 差 after a confirmation and the inspection shows 二次整改', async () => {
    const p = h.page;
    await go(p, '#/ratings');
    await p.getByTestId('evaluations').waitFor();
    await p.getByRole('button', { name: '新建评估' }).click();
    await p.locator('.ant-drawer').getByText('差', { exact: true }).click();
    await p.getByLabel('分数').fill('55');
    await pickDate(p, '评估日期', '2024-06-14');
    await p.getByLabel('评估意见').fill('整改进度滞后，部分问题避重就轻。');
    await p.getByRole('button', { name: '保存' }).click();
    await p.locator('.ant-modal-confirm-title').getByText('评为“差”将启动二次整改').waitFor();
    expect(getInspection(h.as(admin), { id: inspectionId }).secondRoundFrom).toBeNull(); // nothing saved before the confirmation
    await p.getByRole('button', { name: '确定评为差' }).click();
    await p.getByTestId('second-round').getByText('二次整改（自2024-06-14起）').waitFor();
    expect(getInspection(h.as(admin), { id: inspectionId }).secondRoundFrom).toBe('2024-06-14');
  });

  it('issues 通知书 then 提醒书, offering only the next step', async () => {
    const p = h.page;
    await p.getByRole('tab', { name: '督促文书' }).click();
    const issueNext = p.getByTestId('issue-next');
    await expect(issueNext.textContent()).resolves.toBe('下发通知书');
    await expect(p.getByRole('button', { name: '下发提醒书' }).count()).resolves.toBe(0);
    for (const [level, next] of [['通知书', '提醒书'], ['提醒书', '告诫书']] as const) {
      await issueNext.click();
      await pickDate(p, '下发日期', '2024-06-14');
      await p.getByLabel('事由').fill('集中整改进展滞后，请按期报送整改进展情况。');
      await p.getByRole('dialog').getByRole('button', { name: '下发' }).click();
      await p.getByTestId('escalations').locator('tr').filter({ hasText: level }).first().waitFor();
      await p.getByTestId('issue-next').getByText(`下发${next}`).waitFor();
    }
    const levels = listEscalations(h.as(admin), { unitId }).items.map((n) => n.level);
    expect(levels).toEqual(['notice', 'reminder']);

    createAccountability(h.as(h.user('shenhe')), {
      roundId, unitId, personName: '钱某某', post: '某某集团有限公司副总经理', reason: 'perfunctory', form: 'talk_reminder', decidedOn: '2024-06-14',
    });
    await p.reload();
    await p.getByRole('tab', { name: '问责记录' }).click();
    await p.getByTestId('accountability').getByText('钱某某').waitFor();
    await expect(p.getByTestId('chart-forms').getAttribute('data-values')).resolves.toBe('1,0,0,0,0,0');
    await expect(p.getByTestId('chart-grades').getAttribute('data-values')).resolves.toBe('0,0,0,1');
    await p.getByRole('tab', { name: '整改评估' }).click();
    await shot(p, '51-ratings');
    await logOut(p);
  });
});

describe('设置 for a 只读 user', () => {
  it('hides 设置 from the navigation and refuses it when opened by address', async () => {
    const p = h.page;
    await logIn(p, 'chakan', '周某');
    await expect(p.locator('.xz-side').getByText('评估与问责').count()).resolves.toBe(1);
    await expect(p.locator('.xz-side').getByText('设置', { exact: true }).count()).resolves.toBe(0);
    await go(p, '#/settings/users');
    await p.getByText('无权使用设置').waitFor();
    await expect(p.getByTestId('users').count()).resolves.toBe(0);
  });
});
