/**
 * One office's first day, in a single flow through the screens (Chromium over the real engine,
 * a fresh ledger file): set up the office → log in → a round → its team and a unit → the unit's
 * feedback (its statutory clocks start) → from the unit page to its problem list → a problem →
 * a task on it → the task list → the home page's figures. Each step is checked against the engine.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../../db/analysis/aggregates.js';
import { inspectionClocks } from '../../db/clocks/statutory.js';
import type { ActingUser, ServiceContext } from '../../db/core/context.js';
import { listProblems } from '../../db/queries/problem-list.js';
import { listTasks } from '../../db/queries/task-list.js';
import { recentActivity } from '../../db/services/history.js';
import { listInspections } from '../../db/services/inspections.js';
import { listRounds } from '../../db/services/rounds.js';
import { startHarness, type Harness } from './harness.js';

const PASSWORD = 'mima-2024-walk';
const UNIT = '某某市交通运输局';
let h: Harness;
let ctx: ServiceContext;

beforeAll(async () => {
  h = await startHarness({ today: '2024-06-15' });
}, 60_000);
afterAll(async () => h?.close());

const modal = (p: Page, testId: string) => p.locator('.ant-modal').filter({ has: p.getByTestId(testId) });

async function pickDate(p: Page, label: string, value: string, scope = p.locator('body')) {
  const input = scope.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(value);
  await input.press('Enter');
}

async function choose(p: Page, label: string, option: string, scope = p.locator('body')) {
  await scope.getByLabel(label, { exact: true }).click();
  await p.locator('.ant-select-dropdown:visible').getByTitle(option, { exact: true }).first().click();
}

describe('walkthrough: set-up → round → unit → feedback → problems → tasks', () => {
  it('sets up the office and logs in', async () => {
    const p = h.page;
    await p.getByRole('button', { name: '建立本单位台账' }).waitFor();
    await p.getByLabel('单位名称').fill('某市委巡察整改工作领导小组办公室');
    await p.getByLabel('管理员用户名').fill('admin');
    await p.getByLabel('管理员姓名').fill('周某某');
    await p.getByLabel('管理员密码', { exact: true }).fill(PASSWORD);
    await p.getByLabel('再次输入密码').fill(PASSWORD);
    const answer = p.waitForResponse((r) => r.url().endsWith('/api/invoke') && (r.request().postData() ?? '').includes('"ledger:setup"'));
    await p.getByRole('button', { name: '建立本单位台账' }).click();
    const setup = (await (await answer).json()) as { ok: boolean; value: { recoveryKey: string } };
    expect(setup.ok).toBe(true);
    const admin: ActingUser = h.user('admin');
    ctx = h.as(admin);
    // Set-up logs the administrator in, after showing the ledger's recovery key once.
    await expect.poll(() => p.getByTestId('recovery-key').textContent()).toBe(setup.value.recoveryKey);
    await p.getByTestId('key-saved').click();
    await p.getByRole('button', { name: '继续' }).click();
    await p.getByTestId('current-user').getByText('周某某').waitFor();
  });

  it('creates a round, its team and a unit', async () => {
    const p = h.page;
    await p.evaluate("window.location.hash = '#/rounds'");
    await p.getByText('还没有巡视轮次').waitFor();
    await p.keyboard.press('Control+n');
    const round = modal(p, 'round-form');
    await round.getByLabel('轮次名称').fill('某市委第五轮巡察');
    await pickDate(p, '动员部署日期', '2024-01-10');
    await pickDate(p, '进驻日期', '2024-01-15');
    await p.keyboard.press('Control+s');
    await p.getByTestId('round-page').waitFor();
    expect(listRounds(ctx).map((r) => r.name)).toEqual(['某市委第五轮巡察']);

    await p.getByRole('button', { name: '添加巡视组' }).click();
    const team = modal(p, 'team-form');
    await team.getByLabel('组长').fill('孙某某');
    await team.getByRole('button', { name: '保存' }).click();
    await p.getByTestId('teams').getByText('孙某某').waitFor();

    await p.getByRole('button', { name: '添加被巡视单位' }).click();
    const unit = modal(p, 'unit-form');
    await unit.getByLabel('单位名称').fill(UNIT);
    await choose(p, '板块', '其他', unit);
    await unit.getByRole('button', { name: '保存' }).click();
    await unit.waitFor({ state: 'detached' });
    await p.getByTestId('units').getByText(UNIT).waitFor();
  });

  it('records the feedback on the unit page and the statutory clocks start', async () => {
    const p = h.page;
    await p.getByTestId('units').getByText(UNIT).click();
    await p.getByTestId('unit-page').waitFor();
    await p.getByRole('button', { name: '录入反馈意见' }).click();
    const form = modal(p, 'feedback-form');
    await pickDate(p, '反馈日期', '2024-02-28');
    await form.getByLabel('文号').fill('某巡察反〔2024〕5号');
    await form.getByLabel('反馈意见正文').fill('落实全面从严治党主体责任不够有力，公务用车管理不规范。');
    await form.getByRole('button', { name: '保存' }).click();
    await form.waitFor({ state: 'detached' });
    const clocks = p.getByTestId('unit-clocks');
    await clocks.locator('[data-testid="clock-concentrated"]:not([data-light="not_started"])').waitFor();
    const insp = listInspections(ctx, { roundId: listRounds(ctx)[0]!.id })[0]!;
    const engine = inspectionClocks(ctx, insp.id).find((c) => c.kind === 'concentrated')!;
    expect(await clocks.getByTestId('clock-concentrated').getAttribute('data-due')).toBe(engine.dueOn);
    await h.shot('60-walkthrough-unit');
  });

  it('goes from the unit page to its problems and records one', async () => {
    const p = h.page;
    await p.getByRole('button', { name: '问题清单' }).click();
    await p.getByTestId('filter-tag-unitId').getByText(`被巡视单位：${UNIT}`).waitFor();
    await p.getByTestId('problem-table').locator('.ant-empty').waitFor();
    await p.keyboard.press('Control+n');
    const form = p.getByTestId('problem-form');
    await form.waitFor();
    await choose(p, '被巡视单位', UNIT, form);
    await choose(p, '问题类别', '廉洁风险', form);
    await form.getByLabel('问题描述').fill('公务用车管理不规范，存在公车私用现象。');
    await p.keyboard.press('Control+s');
    await p.getByText(/已新建问题，序号 1/).waitFor();
    const problems = listProblems(ctx, { limit: 10 }).rows;
    expect(problems).toHaveLength(1);
    await p.getByTestId('problem-table').getByText('公务用车管理不规范，存在公车私用现象。').waitFor();
  });

  it('opens the problem and adds a task to it', async () => {
    const p = h.page;
    await p.getByTestId('problem-table').getByText('公务用车管理不规范，存在公车私用现象。').click();
    await p.getByTestId('problem-description').waitFor();
    await p.keyboard.press('Control+n');
    const form = p.getByTestId('task-form');
    await form.getByText('反馈日期为 2024-02-28').waitFor();
    await form.getByLabel('整改措施').fill('修订公务用车管理办法，开展公车使用专项检查。');
    await form.getByLabel('责任部门').fill('机关事务科');
    await pickDate(p, '整改时限', '2024-05-31', form);
    await p.keyboard.press('Control+s');
    const rows = p.getByTestId('problem-tasks').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(1);
    const tasks = listTasks(ctx, { limit: 10 }).rows;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ measures: '修订公务用车管理办法，开展公车使用专项检查。', responsibleDepartment: '机关事务科', currentDeadline: '2024-05-31', unitName: UNIT });
  });

  it('finds the task in 任务清单 and the figures on the home page', async () => {
    const p = h.page;
    await p.evaluate("window.location.hash = '#/tasks'");
    const task = listTasks(ctx, { limit: 10 }).rows[0]!;
    await p.locator(`[data-testid="task-table"] [data-row-key="${task.id}"]`).getByText('修订公务用车管理办法').waitFor();
    await p.evaluate("window.location.hash = '#/home'");
    await p.getByTestId('home').waitFor();
    const round = listRounds(ctx)[0]!;
    const engine = summarize(ctx, { groupBy: 'unit', roundId: round.id }).totals;
    expect(engine).toMatchObject({ problems: 1, tasks: 1, closed: 0, overdue: 1 }); // due 2024-05-31, today 2024-06-15
    for (const k of ['problems', 'tasks', 'closed', 'overdue'] as const) {
      await expect.poll(() => p.getByTestId(`fig-${k}`).locator('.ant-statistic-content-value').textContent()).toBe(String(engine[k]));
    }
    // 待办: the overdue task; 最近动态: newest first, as the audit trail has it.
    await p.getByTestId('home-todo').getByTestId('todo-item').getByText('修订公务用车管理办法，开展公车使用专项检查。').waitFor();
    expect(await p.getByTestId('home-todo').getByTestId('todo-item').count()).toBe(1);
    const feed = recentActivity(ctx, { limit: 10 });
    const shown = await p.getByTestId('home-recent').getByTestId('recent-item').allInnerTexts();
    expect(shown).toHaveLength(feed.length);
    expect(shown[0]).toContain('新建整改任务');
    expect(shown[0]).toContain('修订公务用车管理办法');
    expect(shown[1]).toContain('新建问题');
    await h.shot('61-walkthrough-home');
    // A line of the to-do list opens its task.
    await p.getByTestId('home-todo').getByTestId('todo-item').click();
    await p.getByTestId('task-detail').waitFor();
  });
});
