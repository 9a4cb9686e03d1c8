import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectionClocks } from '../../db/clocks/statutory.js';
import type { ActingUser } from '../../db/core/context.js';
import { listInspections } from '../../db/services/inspections.js';
import { createUser } from '../../db/services/office.js';
import { listRounds } from '../../db/services/rounds.js';
import { getUnit } from '../../db/services/units.js';
import { categoryId, fxProblem, fxRound, fxTask } from '../helpers/fixtures.js';
import { settled, startHarness, type Harness } from './harness.js';

/**
 * 巡视轮次 → 被巡视单位 → 单位页 in Chromium over the real engine: a 录入员 builds a round, its
 * team and units, records feedback (the clocks start) and a handover; a 只读 user sees no editing.
 */

const PASSWORD = 'mima-2024-test';
const XSS = '<img src=x onerror=alert(1)>某单位';
let h: Harness;
let entry: ActingUser;
const dialogs: string[] = [];
let roundId = '';

beforeAll(async () => {
  h = await startHarness({ today: '2024-06-15' });
  const admin = h.setup({
    officeName: '某省委巡视工作领导小组办公室', officeKind: 'inspection_office', level: 'province',
    adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: PASSWORD,
  });
  createUser(h.as(admin), { username: 'luru', displayName: '李某', role: 'entry', password: PASSWORD });
  createUser(h.as(admin), { username: 'chakan', displayName: '赵某', role: 'readonly', password: PASSWORD });
  entry = h.user('luru');
  h.page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await logIn('luru');
}, 60_000);
afterAll(async () => h?.close());

async function logIn(username: string) {
  const p = h.page;
  if (await p.getByTestId('current-user').count()) {
    await p.getByTestId('current-user').hover();
    await p.getByText('切换用户').click();
  } else {
    await p.reload();
  }
  await p.getByLabel('用户名').fill(username);
  await p.getByLabel('密码').fill(PASSWORD);
  await p.getByRole('button', { name: '登录' }).click();
  await p.getByTestId('current-user').waitFor();
}

/** Type a date into an antd DatePicker found by its label. */
async function pickDate(label: string, value: string) {
  const input = h.page.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(value);
  await input.press('Enter');
}

/** Choose an option of an antd Select found by its label. */
async function choose(label: string, option: string) {
  await h.page.getByLabel(label, { exact: true }).click();
  await h.page.locator(`.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="${option}"]`).click();
}

const modal = (testId: string) => h.page.locator('.ant-modal').filter({ has: h.page.getByTestId(testId) });

describe('inspection rounds, their units and the unit page', () => {
  it('creates a round with Ctrl+N, showing the engine’s date-order error on the entry date and saving nothing until fixed', async () => {
    const p = h.page;
    await p.evaluate("window.location.hash = '#/rounds'");
    await p.getByText('还没有巡视轮次').waitFor();
    await p.keyboard.press('Control+n');
    const form = modal('round-form');
    await form.getByLabel('轮次名称').fill('某省委第三轮巡视');
    // closing a form with unsaved edits asks first; staying keeps what was typed
    await p.keyboard.press('Escape');
    const guard = p.locator('.ant-modal-confirm');
    await guard.locator('.ant-modal-confirm-title').getByText('有尚未保存的修改，确定要离开吗？').waitFor();
    await settled(guard);
    await guard.getByRole('button', { name: '取消' }).click();
    await guard.waitFor({ state: 'detached' });
    expect(await form.getByLabel('轮次名称').inputValue()).toBe('某省委第三轮巡视');
    await pickDate('动员部署日期', '2024-01-15');
    await pickDate('进驻日期', '2024-01-08');
    await form.getByRole('button', { name: '保存' }).click();
    // the engine's zh-CN message, on the field it names
    await form.locator('.ant-form-item').filter({ hasText: '进驻日期' }).getByText('进驻日期不能早于动员部署日期。').waitFor();
    expect(listRounds(h.as(entry))).toHaveLength(0);

    await pickDate('进驻日期', '2024-01-22');
    await p.keyboard.press('Control+s');
    await p.getByTestId('round-page').waitFor();
    await p.getByTestId('round-name').getByText('某省委第三轮巡视').waitFor();
    const rounds = listRounds(h.as(entry));
    expect(rounds).toHaveLength(1);
    expect(rounds[0]).toMatchObject({ name: '某省委第三轮巡视', level: 'province', form: 'xunshi', mobilisedOn: '2024-01-15', enteredOn: '2024-01-22' });
    roundId = rounds[0]!.id;
  });

  it('adds a team and two units; a unit name holding HTML is shown as text and runs nothing', async () => {
    const p = h.page;
    await p.getByRole('button', { name: '添加巡视组' }).click();
    const team = modal('team-form');
    await team.getByLabel('组长').fill('吴某某');
    await team.getByRole('button', { name: '保存' }).click();
    await p.getByTestId('teams').getByText('第1巡视组').waitFor();

    await p.getByRole('button', { name: '添加被巡视单位' }).click();
    const unit = modal('unit-form');
    await unit.getByLabel('单位名称').fill('某某集团有限公司');
    await choose('板块', '中管企业');
    await unit.getByRole('button', { name: '保存' }).click();
    await unit.waitFor({ state: 'detached' });
    await p.getByTestId('units').getByText('某某集团有限公司').waitFor();

    await p.getByRole('button', { name: '添加被巡视单位' }).click();
    await unit.getByText('新建单位').click();
    await unit.getByLabel('单位名称').fill(XSS);
    await choose('板块', '其他');
    await choose('巡视组', '第1巡视组');
    await unit.getByRole('button', { name: '保存' }).click();
    await unit.waitFor({ state: 'detached' });

    await p.getByTestId('units').getByText(XSS, { exact: true }).waitFor();
    expect(await p.locator('img[src="x"]').count()).toBe(0);
    const insps = listInspections(h.as(entry), { roundId });
    expect(insps.map((i) => i.unitName).sort()).toEqual([XSS, '某某集团有限公司'].sort());
    expect(insps.every((i) => i.teamName === '第1巡视组')).toBe(true);
    // before any feedback every clock waits
    expect(await p.getByTestId('units').locator('[data-testid^="clock-"][data-light="not_started"]').count()).toBe(12);
    await p.waitForTimeout(200);
    await h.shot('11-round');

    await p.evaluate("window.location.hash = '#/rounds'");
    await p.getByTestId('rounds').getByText('某省委第三轮巡视').waitFor();
    await p.locator('.ant-message-notice').last().waitFor({ state: 'detached', timeout: 5000 });
    await h.shot('10-rounds');
    expect(dialogs).toEqual([]);
  });

  it('records feedback and the unit’s clocks turn from 未开始 to lights with the engine’s due dates', async () => {
    const p = h.page;
    await p.getByTestId('rounds').getByText('某省委第三轮巡视').click();
    await p.getByTestId('units').getByText('某某集团有限公司').click();
    await p.getByTestId('unit-page').waitFor();
    const clocks = p.getByTestId('unit-clocks');
    await clocks.getByTestId('clock-concentrated').waitFor();
    expect(await clocks.locator('[data-testid^="clock-"][data-light="not_started"]').count()).toBe(6);
    await clocks.getByText('未开始').first().waitFor();

    await p.getByRole('button', { name: '录入反馈意见' }).click();
    const form = modal('feedback-form');
    await pickDate('反馈日期', '2024-03-29');
    await form.getByLabel('文号').fill('某巡反〔2024〕3号');
    await form.getByLabel('反馈意见正文').fill('落实全面从严治党主体责任不够有力，“四风”问题仍有发生。');
    await form.getByRole('button', { name: '保存' }).click();
    await form.waitFor({ state: 'detached' });
    await clocks.locator('[data-testid="clock-concentrated"]:not([data-light="not_started"])').waitFor();

    const unitId = listInspections(h.as(entry), { roundId }).find((i) => i.unitName === '某某集团有限公司')!;
    const engine = inspectionClocks(h.as(entry), unitId.id);
    expect(engine.find((c) => c.kind === 'concentrated')!.dueOn).toBe('2024-06-29');
    for (const c of engine) {
      const cell = clocks.getByTestId(`clock-${c.kind}`);
      expect(await cell.getAttribute('data-light')).toBe(c.light);
      expect(await cell.getAttribute('data-due')).toBe(c.dueOn ?? '');
      expect(await cell.textContent()).toContain(c.word);
      if (c.dueOn) expect(await cell.textContent()).toContain(c.dueOn);
    }
    await p.getByTestId('feedback').getByText('某巡反〔2024〕3号').waitFor();
  });

  it('records the first principal leader and a handover that shows the open-task count', async () => {
    const p = h.page;
    const insp = listInspections(h.as(entry), { roundId }).find((i) => i.unitName === '某某集团有限公司')!;
    const ctx = h.as(entry);
    const cat = categoryId(ctx, '廉洁风险');
    for (let k = 0; k < 3; k++) {
      const pr = fxProblem(ctx, { unitId: insp.unitId, roundId, inspectionId: insp.id, categoryId: cat, seq: k + 1 });
      fxTask(ctx, { problemId: pr.id, unitId: insp.unitId, roundId, status: k === 0 ? 'closed' : 'in_progress', deadline: '2024-09-30' });
    }
    await p.getByRole('button', { name: '登记主要负责人' }).click();
    const leader = modal('leader-form');
    await leader.getByLabel('姓名').fill('张某某');
    await leader.getByLabel('职务').fill('党委书记、董事长');
    await pickDate('任职日期', '2022-05-10');
    await leader.getByRole('button', { name: '保存' }).click();
    await leader.waitFor({ state: 'detached' });
    await p.getByTestId('leaders').getByText('张某某').waitFor();

    await p.getByRole('button', { name: '整改责任交接' }).click();
    const ho = modal('handover-form');
    await pickDate('交接日期', '2024-06-03');
    await ho.getByLabel('新任负责人姓名').fill('李某某');
    await ho.getByLabel('新任负责人职务').fill('党委书记、董事长');
    await ho.getByLabel('交接说明').fill('移交整改台账及未完成任务清单。');
    await ho.getByRole('button', { name: '保存' }).click();
    await ho.waitFor({ state: 'detached' });

    const recorded = getUnit(ctx, { id: insp.unitId }).handovers;
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.openTaskCount).toBe(2);
    await p.getByTestId('handover-open-tasks').getByText(`未完成任务 ${recorded[0]!.openTaskCount} 项`).waitFor();
    await p.getByTestId('leaders').getByText('李某某现任').waitFor();
    await p.waitForTimeout(200);
    await h.shot('12-unit');
  });

  it('opens the unit page of the unit named with HTML and shows the name as text', async () => {
    const p = h.page;
    await p.evaluate(`window.location.hash = '#/rounds/${roundId}'`);
    await p.getByTestId('units').getByText(XSS, { exact: true }).click();
    await p.getByTestId('unit-name').getByText(XSS, { exact: true }).waitFor();
    expect(await p.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('shows a 只读 user no 新建, 编辑 or 删除 and no recording buttons', async () => {
    const p = h.page;
    await logIn('chakan');
    await p.evaluate("window.location.hash = '#/rounds'");
    await p.getByTestId('rounds').getByText('某省委第三轮巡视').waitFor();
    for (const name of ['新建轮次', '编辑', '删除']) expect(await p.getByRole('button', { name }).count()).toBe(0);
    await p.getByTestId('rounds').getByText('某省委第三轮巡视').click();
    await p.getByTestId('round-page').waitFor();
    await p.getByTestId('units').getByText('某某集团有限公司').waitFor();
    for (const name of ['编辑轮次', '添加巡视组', '添加被巡视单位', '编辑', '删除']) expect(await p.getByRole('button', { name }).count()).toBe(0);
    await p.getByTestId('units').getByText('某某集团有限公司').click();
    await p.getByTestId('unit-page').waitFor();
    await p.getByTestId('leaders').getByText('李某某现任').waitFor();
    for (const name of ['录入反馈意见', '整改责任交接', '登记主要负责人', '列为整顿单位']) expect(await p.getByRole('button', { name }).count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('deleting the round chosen in the top bar moves the top bar to a remaining round', async () => {
    const p = h.page;
    await logIn('luru');
    const extra = fxRound(h.as(entry), { name: '某省委第四轮巡视（录错）' });
    await p.evaluate("window.location.hash = '#/rounds'");
    await p.reload(); // the top bar reads the rounds again
    await p.getByTestId('current-user').waitFor();
    await p.locator('.xz-round').click();
    await p.locator('.ant-select-dropdown:visible').getByTitle('某省委第四轮巡视（录错）').click();
    await p.locator('.xz-round').getByText('某省委第四轮巡视（录错）').waitFor();
    await p.getByTestId('rounds').locator('tr', { hasText: '某省委第四轮巡视（录错）' }).getByRole('button', { name: '删除' }).click();
    const prompt = p.locator('.ant-modal').filter({ has: p.getByTestId('reason-modal') });
    await prompt.getByRole('textbox').fill('轮次名称录入错误，重新建立。');
    await prompt.getByRole('button', { name: '删除' }).click();
    await p.getByTestId('rounds').getByText('某省委第四轮巡视（录错）').waitFor({ state: 'detached' });
    expect(listRounds(h.as(entry)).map((r) => r.id)).not.toContain(extra.id);
    await p.locator('.xz-round').getByText('某省委第三轮巡视').waitFor();
  });
});
