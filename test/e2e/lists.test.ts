/**
 * 问题清单 / 任务清单 / 责任清单 in Chromium over the real engine: the rows shown are the engine's
 * rows for the same filters, pages load as the table scrolls, filters, Chinese search, saved
 * filters, bulk department change, the new-problem form, and user text shown as text.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActingUser, ServiceContext } from '../../db/core/context.js';
import { inTransaction } from '../../db/core/context.js';
import { encodeHlc } from '../../db/core/hlc.js';
import { insertRow } from '../../db/core/write.js';
import { offices } from '../../db/schema/index.js';
import { listDutyGroups } from '../../db/queries/duty-groups.js';
import { listProblems } from '../../db/queries/problem-list.js';
import { listTasks } from '../../db/queries/task-list.js';
import { listSavedFilters } from '../../db/services/saved-filters.js';
import { refreshProblemRollup } from '../../db/services/problems.js';
import { getTask } from '../../db/services/tasks.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxTask, fxUnit } from '../helpers/fixtures.js';
import { axeCheck } from './axe.js';
import { startHarness, type Harness } from './harness.js';

const PASSWORD = 'mima-2024-lists';
const XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>公车私用问题';
const WORDING = [
  '违规使用公车办理私事，公车管理制度执行不严。',
  '超标准公务接待问题仍有发生，公务接待审批把关不严。',
  '落实党中央决策部署不够到位，推动高质量发展有差距。',
  '选人用人把关不严，干部监督管理存在薄弱环节。',
  '基层党组织建设弱化，组织生活不规范。',
  '违规发放津贴补贴，财务管理不规范。',
];
const DEPTS = ['办公室', '财务部', '人力资源部', '党委宣传部', '纪检监察室'];
const LEADERS = ['陈某某', '刘某', '杨某某'];

let h: Harness;
let ctx: ServiceContext;
let roundId: string;
const apiCalls: string[] = [];

/** ~300 problems in three units with one or two tasks each, through the audited fixtures. */
function buildLedger(c: ServiceContext) {
  const round = fxRound(c, { name: '某省委第一轮巡视' });
  const cats = ['廉洁风险', '违反中央八项规定精神', '推动高质量发展', '选人用人', '基层党组织建设'].map((n) => categoryId(c, n));
  let n = 0;
  for (let u = 0; u < 3; u++) {
    const unit = fxUnit(c, { name: `某某集团第${u + 1}子公司` });
    fxInspection(c, { roundId: round.id, unitId: unit.id, feedbackDate: '2024-01-31' });
    for (let k = 1; k <= 100; k++) {
      n++;
      const description = n === 7 ? XSS : `${WORDING[n % WORDING.length]}（第${n}项）`;
      const isKey = n % 7 === 0;
      const p = fxProblem(c, {
        unitId: unit.id, roundId: round.id, seq: k, categoryId: cats[n % cats.length]!, description, isKey,
        leadLeader: isKey ? LEADERS[n % 3]! : null, source: n % 5 === 0 ? 'petition' : 'inspection_feedback',
      });
      const tasks = n % 3 === 0 ? 2 : 1;
      for (let j = 1; j <= tasks; j++) {
        const month = 3 + ((n * 7 + j) % 10); // deadlines from March to December 2024; today is 2024-06-15
        const deadline = `2024-${String(month).padStart(2, '0')}-${String(1 + ((n + j) % 28)).padStart(2, '0')}`;
        fxTask(c, {
          problemId: p.id, unitId: unit.id, roundId: round.id, seq: j, deadline,
          status: n % 11 === 0 ? 'closed' : n % 4 === 0 ? 'draft' : 'in_progress',
          measures: `针对第${n}项问题制定整改措施${j}，明确时限，逐项销号。`,
          responsibleDepartment: DEPTS[(n + j) % DEPTS.length]!, responsibleLeader: LEADERS[n % 3]!, responsiblePerson: `王某${n % 9}`,
        });
      }
      refreshProblemRollup(c, p.id);
    }
  }
  return round;
}

beforeAll(async () => {
  h = await startHarness({ today: '2024-06-15' });
  const admin: ActingUser = h.setup({
    officeName: '某省委巡视整改工作领导小组办公室', officeKind: 'inspected_unit', level: 'province',
    adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: PASSWORD,
  });
  ctx = h.as(admin);
  roundId = buildLedger(ctx).id;
  h.page.on('request', (r) => {
    if (r.url().endsWith('/api/invoke') && r.method() === 'POST') {
      try {
        apiCalls.push((JSON.parse(r.postData() ?? '{}') as { channel: string }).channel);
      } catch { /* not ours */ }
    }
  });
  const p = h.page;
  await p.reload(); // the page may have asked before the office was set up
  await p.getByLabel('用户名').fill('admin');
  await p.getByLabel('密码').fill(PASSWORD);
  await p.getByRole('button', { name: '登录' }).click();
  await p.getByTestId('current-user').waitFor();
}, 90_000);
afterAll(async () => h?.close());

/** Row keys the virtual table has rendered, top to bottom (real rows only). */
async function shownKeys(p: Page, table: string): Promise<string[]> {
  return p.$$eval(`[data-testid="${table}"] .ant-table-row[data-row-key]`, (els) =>
    els.map((e) => e.getAttribute('data-row-key') ?? '').filter((k) => !k.startsWith('__')));
}

/** Wait until the table shows the first rows of `ids` (in order) and nothing else at the top. */
async function expectTop(p: Page, table: string, ids: string[], n = 10) {
  const want = ids.slice(0, n);
  await expect.poll(async () => (await shownKeys(p, table)).slice(0, want.length), { timeout: 8000 }).toEqual(want);
}

async function count(p: Page): Promise<number> {
  const text = await p.getByTestId('list-count').textContent();
  return Number((text ?? '').replace(/[^\d]/g, ''));
}

/** What the page's globals look like from here (the test's type-check has no DOM types). */
interface Browser { location: { hash: string }; __xss?: number }

async function go(p: Page, hash: string) {
  await p.evaluate((x) => { (globalThis as unknown as Browser).location.hash = x; }, hash);
}

/** Close the bulk result and wait until it is gone (its mask would swallow the next clicks). */
async function closeResult(p: Page) {
  await p.getByRole('button', { name: '知道了' }).click();
  await p.getByTestId('bulk-result').waitFor({ state: 'detached' });
}

async function openProblems(p: Page) {
  await go(p, '#/problems');
  await p.getByTestId('problem-table').waitFor();
}

async function pick(p: Page, label: string, option: string) {
  // A dropdown still closing from the previous pick is visible for a moment: wait until only the
  // one just opened is, so the option clicked is this select's.
  const open = p.locator('.ant-select-dropdown:visible, .ant-select-tree-dropdown:visible');
  await expect.poll(() => open.count(), { timeout: 5000 }).toBe(0);
  await p.getByTestId('filter-panel').getByLabel(label).click();
  await expect.poll(() => open.count(), { timeout: 5000 }).toBe(1);
  await open.getByTitle(option, { exact: true }).first().click();
}

describe('问题清单', () => {
  it('first page shows exactly the rows the engine lists for the current round', async () => {
    const p = h.page;
    await openProblems(p);
    const engine = listProblems(ctx, { roundId, sort: 'deadline', order: 'asc', limit: 100 });
    await expectTop(p, 'problem-table', engine.rows.map((r) => r.id), 15);
    await expect.poll(() => count(p)).toBe(300);
    const first = engine.rows[0]!;
    const row = p.locator(`[data-testid="problem-table"] [data-row-key="${first.id}"]`);
    expect(await row.textContent()).toContain(first.description);
    expect(await row.textContent()).toContain(first.deadline!);
    // overdue in red with the word, beside the status word
    expect(first.overdue).toBe(true);
    expect(await row.locator('[data-light="red"]').textContent()).toBe('逾期·整改中');
    const done = engine.rows.find((r) => r.status === 'closed');
    if (done) expect(await p.locator(`[data-testid="problem-table"] [data-row-key="${done.id}"] [data-light="done"]`).textContent()).toBe('已销号');
    await h.shot('20-problems');
  });

  it('scrolling loads the next page from the engine', async () => {
    const p = h.page;
    await openProblems(p);
    const page1 = listProblems(ctx, { roundId, sort: 'deadline', order: 'asc', limit: 100 });
    const page2 = listProblems(ctx, { roundId, sort: 'deadline', order: 'asc', limit: 100, cursor: page1.nextCursor });
    await expectTop(p, 'problem-table', page1.rows.map((r) => r.id), 5);
    const before = apiCalls.filter((c) => c === 'problems:list').length;
    const both = [...page1.rows, ...page2.rows].map((r) => r.id);
    const second = new Set(page2.rows.map((r) => r.id));
    const holder = p.locator('[data-testid="problem-table"] .ant-table-tbody-virtual-holder');
    await holder.hover();
    let shown: string[] = [];
    await expect.poll(async () => {
      await p.mouse.wheel(0, 600);
      shown = await shownKeys(p, 'problem-table');
      return shown.some((k) => second.has(k));
    }, { timeout: 15000, interval: 150 }).toBe(true);
    // the rows on screen are a run of the engine's rows in the engine's order
    const at = both.indexOf(shown[0]!);
    expect(at).toBeGreaterThan(0);
    expect(shown).toEqual(both.slice(at, at + shown.length));
    expect(apiCalls.filter((c) => c === 'problems:list').length).toBeGreaterThan(before);
  });

  it('each filter shows the engine\'s rows and count for that filter', async () => {
    const p = h.page;
    await openProblems(p);
    await p.getByTestId('filter-toggle').click();
    await p.getByTestId('filter-panel').waitFor();
    await h.shot('23-problems-filters');
    const check = async (filter: Record<string, unknown>) => {
      const engine = listProblems(ctx, { roundId, sort: 'deadline', order: 'asc', limit: 100, ...filter, withTotal: true });
      expect(engine.total).toBeGreaterThan(0);
      await expectTop(p, 'problem-table', engine.rows.map((r) => r.id), Math.min(8, engine.rows.length));
      await expect.poll(() => count(p)).toBe(engine.total);
    };
    await pick(p, '状态', '已销号');
    await check({ status: 'closed' });
    await p.getByTestId('filter-tag-status').locator('.ant-tag-close-icon').click();
    await pick(p, '逾期', '仅逾期');
    await check({ overdue: true });
    await pick(p, '重点难点', '仅重点难点问题');
    await check({ overdue: true, isKey: true });
    await p.getByRole('button', { name: '清除筛选' }).click();
    await pick(p, '问题类别', '廉洁风险');
    await check({ categoryId: categoryId(ctx, '廉洁风险') });
    await pick(p, '问题来源', '信访');
    await check({ categoryId: categoryId(ctx, '廉洁风险'), source: 'petition' });
    await p.getByRole('button', { name: '清除筛选' }).click();
    // Problems by the department / leader of their tasks.
    await pick(p, '责任部门', '财务部');
    await check({ responsibleDepartment: '财务部' });
    await pick(p, '责任领导', '刘某');
    await check({ responsibleDepartment: '财务部', responsibleLeader: '刘某' });
    await p.getByRole('button', { name: '清除筛选' }).click();
  });

  it('filters the task list by the category and key flag of the tasks\' problems', async () => {
    const p = h.page;
    await go(p, '#/tasks');
    await p.getByTestId('task-table').waitFor();
    if (!(await p.getByTestId('filter-panel').isVisible())) await p.getByTestId('filter-toggle').click();
    const check = async (filter: Record<string, unknown>) => {
      const engine = listTasks(ctx, { roundId, sort: 'currentDeadline', order: 'asc', limit: 100, ...filter, withTotal: true });
      expect(engine.total).toBeGreaterThan(0);
      await expectTop(p, 'task-table', engine.rows.map((r) => r.id), Math.min(8, engine.rows.length));
      await expect.poll(() => count(p)).toBe(engine.total);
    };
    await pick(p, '问题类别', '选人用人');
    await check({ categoryId: categoryId(ctx, '选人用人') });
    await pick(p, '重点难点', '仅重点难点问题');
    await check({ categoryId: categoryId(ctx, '选人用人'), isKey: true });
    await p.getByRole('button', { name: '清除筛选' }).click();
    await p.getByTestId('filter-toggle').click();
  });

  it('searches descriptions with a 2-character and a 4-character Chinese term', async () => {
    const p = h.page;
    await openProblems(p);
    const search = p.getByTestId('list-search').locator('input');
    for (const q of ['公车', '公务接待']) {
      await search.fill(q);
      await search.press('Enter');
      const engine = listProblems(ctx, { roundId, q, sort: 'deadline', order: 'asc', limit: 100, withTotal: true });
      expect(engine.total).toBeGreaterThan(0);
      expect(engine.rows.every((r) => r.description.includes(q))).toBe(true);
      await expectTop(p, 'problem-table', engine.rows.map((r) => r.id), Math.min(8, engine.rows.length));
      await expect.poll(() => count(p)).toBe(engine.total);
      await p.getByTestId('filter-tag-q').waitFor();
    }
    await search.fill('');
    await expect.poll(() => count(p)).toBe(300);
  });

  it('shows an HTML/script payload in a description as text', async () => {
    const p = h.page;
    await go(p, '#/problems/search/' + encodeURIComponent('公车私用'));
    const cell = p.getByTestId('problem-table').getByTestId('cell-description').filter({ hasText: '<script>' });
    await cell.first().waitFor();
    expect(await cell.first().textContent()).toBe(XSS);
    expect(await p.evaluate(() => (globalThis as unknown as Browser).__xss)).toBeUndefined();
    expect(await p.locator('[data-testid="problem-table"] img[src="x"]').count()).toBe(0);
  });

  it('saves the current filters under a name and applies them again', async () => {
    const p = h.page;
    await openProblems(p);
    await p.getByRole('button', { name: '清除筛选' }).click().catch(() => undefined);
    if (!(await p.getByTestId('filter-panel').isVisible())) await p.getByTestId('filter-toggle').click();
    await pick(p, '逾期', '仅逾期');
    await pick(p, '重点难点', '仅重点难点问题');
    const engine = listProblems(ctx, { roundId, overdue: true, isKey: true, sort: 'deadline', order: 'asc', limit: 100, withTotal: true });
    await expect.poll(() => count(p)).toBe(engine.total);
    await p.getByRole('button', { name: '已存筛选' }).click();
    await p.getByText('保存当前筛选…').click();
    await p.getByLabel('筛选名称').fill('逾期的重点问题');
    await p.getByRole('dialog').getByRole('button', { name: '保存' }).click();
    await p.getByText('已保存筛选“逾期的重点问题”').waitFor();
    const admin = ctx.user!;
    expect(listSavedFilters(h.as(admin), { list: 'problems' })).toMatchObject([{ name: '逾期的重点问题', filter: { overdue: true, isKey: true } }]);
    await p.getByRole('button', { name: '清除筛选' }).click();
    await expect.poll(() => count(p)).toBe(300);
    await p.getByRole('button', { name: '已存筛选' }).click();
    await p.getByTestId('saved-逾期的重点问题').click();
    await expect.poll(() => count(p)).toBe(engine.total);
    await expectTop(p, 'problem-table', engine.rows.map((r) => r.id), Math.min(8, engine.rows.length));
    await p.getByTestId('filter-tag-overdue').waitFor();
    await p.getByTestId('filter-tag-isKey').waitFor();
  });

  it('opens a problem\'s detail route from its row and keeps the filters for the way back', async () => {
    const p = h.page;
    await openProblems(p);
    await p.getByTestId('filter-tag-isKey').waitFor(); // the saved filter applied above
    const engine = listProblems(ctx, { roundId, overdue: true, isKey: true, sort: 'deadline', order: 'asc', limit: 100 });
    const first = engine.rows[0]!;
    await p.locator(`[data-testid="problem-table"] [data-row-key="${first.id}"] .ant-table-cell`).nth(3).click();
    await expect.poll(() => p.evaluate(() => (globalThis as unknown as Browser).location.hash)).toBe(`#/problem/${first.id}`);
    await p.goBack();
    await p.getByTestId('filter-tag-isKey').waitFor();
    await expectTop(p, 'problem-table', engine.rows.map((r) => r.id), Math.min(5, engine.rows.length));
    await p.getByRole('button', { name: '清除筛选' }).click();
  });

  it('resizes a column by dragging its header edge, keeps the width, and restores it on a double-click', async () => {
    const p = h.page;
    await openProblems(p);
    const th = p.locator('[data-testid="problem-table"] .ant-table-thead th', { hasText: '问题类别' }).first();
    const handle = th.locator('.xz-col-resize');
    const w0 = (await th.boundingBox())!.width;
    const box = (await handle.boundingBox())!;
    const keysBefore = await shownKeys(p, 'problem-table');
    await p.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await p.mouse.down();
    await p.mouse.move(box.x + 60, box.y + box.height / 2, { steps: 5 });
    await p.mouse.move(box.x + 84, box.y + box.height / 2, { steps: 3 });
    await p.mouse.up();
    await expect.poll(async () => Math.round((await th.boundingBox())!.width - w0)).toBeGreaterThanOrEqual(78);
    expect(Math.round((await th.boundingBox())!.width - w0)).toBeLessThanOrEqual(90);
    expect(await shownKeys(p, 'problem-table')).toEqual(keysBefore); // dragging did not sort
    // Kept when the list comes back.
    await go(p, '#/home');
    await openProblems(p);
    await expect.poll(async () => Math.round((await th.boundingBox())!.width - w0)).toBeGreaterThanOrEqual(78);
    await th.locator('.xz-col-resize').dblclick();
    await expect.poll(async () => Math.round((await th.boundingBox())!.width)).toBe(Math.round(w0));
  });

  it('refuses bad input in the new-problem form on the field and saves nothing', async () => {
    const p = h.page;
    await openProblems(p);
    const before = listProblems(ctx, { limit: 1, withTotal: true }).total!;
    await p.keyboard.press('Control+n');
    const form = p.getByTestId('problem-form');
    await form.waitFor();
    await p.getByRole('button', { name: '保存' }).last().click();
    await form.locator('#description_help').getByText('请填写问题描述').waitFor();
    await form.locator('#inspectionId_help').getByText('请选择被巡视单位').waitFor();
    await form.getByLabel('被巡视单位').click();
    await p.locator('.ant-select-dropdown:visible').getByTitle('某某集团第2子公司').click();
    await form.getByLabel('问题类别').click();
    await p.locator('.ant-select-dropdown:visible').getByTitle('廉洁风险', { exact: true }).click();
    await form.getByLabel('问题描述').fill('违规收受礼品礼金问题。');
    await form.getByLabel('重点难点问题').click();
    await h.shot('24-new-problem');
    await p.keyboard.press('Control+s');
    // the engine refuses a key problem without its leading leader, on that field
    await form.locator('#leadLeader_help').getByText('重点难点问题须填写领办领导。').waitFor();
    expect(listProblems(ctx, { limit: 1, withTotal: true }).total).toBe(before);
    await form.getByLabel('领办领导').fill('陈某某');
    await p.keyboard.press('Control+s');
    await p.getByText(/已新建问题，序号 101/).waitFor();
    expect(listProblems(ctx, { limit: 1, withTotal: true }).total).toBe(before + 1);
  });
});

describe('任务清单 and 责任清单', () => {
  it('lists the engine\'s tasks and changes the department of three selected tasks after confirmation', async () => {
    const p = h.page;
    await go(p, '#/tasks');
    await p.getByTestId('task-table').waitFor();
    const engine = listTasks(ctx, { roundId, sort: 'currentDeadline', order: 'asc', limit: 100, withTotal: true });
    await expectTop(p, 'task-table', engine.rows.map((r) => r.id), 12);
    await expect.poll(() => count(p)).toBe(engine.total);
    await h.shot('21-tasks');
    // three editable tasks among the first rows
    const chosen = engine.rows.filter((r) => r.status !== 'closed' && r.responsibleDepartment !== '巡察整改办').slice(0, 3);
    for (const r of chosen) {
      await p.locator(`[data-testid="task-table"] [data-row-key="${r.id}"] .ant-checkbox-input`).check();
    }
    await p.getByTestId('bulk-bar').getByText('已选 3 项').waitFor();
    await h.shot('25-bulk-selected');
    await p.getByRole('button', { name: '批量指定责任部门' }).click();
    const dialog = p.getByRole('dialog').filter({ hasText: '新的责任部门' });
    await dialog.getByLabel('新的责任部门').fill('巡察整改办');
    await dialog.getByRole('button', { name: '确定' }).click();
    const confirm = p.getByTestId('bulk-confirm-text');
    await confirm.waitFor();
    expect(await confirm.textContent()).toBe('将把选中的 3 项任务的责任部门改为“巡察整改办”。确定吗？');
    // nothing changes before the confirmation
    expect(getTask(ctx, { id: chosen[0]!.id }).task.responsibleDepartment).toBe(chosen[0]!.responsibleDepartment);
    await p.getByRole('dialog').filter({ has: confirm }).getByRole('button', { name: '确定' }).click();
    await p.getByTestId('bulk-changed').waitFor();
    await p.waitForTimeout(500); // let the confirmation finish closing before the screenshot
    expect(await p.getByTestId('bulk-changed').textContent()).toBe('已修改 3 项');
    for (const r of chosen) expect(getTask(ctx, { id: r.id }).task.responsibleDepartment).toBe('巡察整改办');
    await h.shot('25-bulk-result');
    await closeResult(p);
  });

  it('sets the deadline of selected tasks and lists, task by task, the ones the rules refuse', async () => {
    const p = h.page;
    await go(p, '#/tasks');
    const engine = listTasks(ctx, { roundId, sort: 'currentDeadline', order: 'asc', limit: 100 });
    await expectTop(p, 'task-table', engine.rows.map((r) => r.id), 10);
    const draft = engine.rows.find((r) => r.status === 'draft')!;
    const started = engine.rows.find((r) => r.status === 'in_progress')!;
    for (const r of [draft, started]) {
      await p.locator(`[data-testid="task-table"] [data-row-key="${r.id}"] .ant-checkbox-input`).check();
    }
    await p.getByRole('button', { name: '批量设定整改时限' }).click();
    const dialog = p.getByRole('dialog').filter({ hasText: '新的整改时限' });
    await dialog.getByLabel('新的整改时限').fill('2024-12-20');
    await dialog.getByLabel('新的整改时限').press('Enter');
    await dialog.getByRole('button', { name: '确定' }).click();
    await p.getByTestId('bulk-confirm-text').getByText('将把选中的 2 项任务的整改时限改为 2024-12-20。确定吗？').waitFor();
    await p.getByRole('dialog').filter({ has: p.getByTestId('bulk-confirm-text') }).getByRole('button', { name: '确定' }).click();
    const result = p.getByTestId('bulk-result');
    await result.waitFor();
    expect(await p.getByTestId('bulk-changed').textContent()).toBe('已修改 1 项');
    expect(await p.getByTestId('bulk-refused').textContent()).toBe('未修改 1 项');
    await result.getByText('任务已开始推进，调整整改时限请提出延期申请。').waitFor();
    expect(await result.textContent()).toContain(started.measures);
    expect(getTask(ctx, { id: draft.id }).task.deadline).toBe('2024-12-20');
    expect(getTask(ctx, { id: started.id }).task.deadline).toBe(started.deadline);
    await p.waitForTimeout(400);
    await h.shot('25-bulk-deadline-result');
    await closeResult(p);
  });

  it('the 责任清单 groups tasks by department and lists a group\'s tasks as the engine does', async () => {
    const p = h.page;
    await go(p, '#/duty');
    await p.getByTestId('duty-groups').waitFor();
    await p.getByTestId('duty-groups').getByText('巡察整改办').click();
    const engine = listTasks(ctx, { roundId, responsibleDepartment: '巡察整改办', sort: 'currentDeadline', order: 'asc', limit: 100, withTotal: true });
    expect(engine.total).toBe(3);
    await expectTop(p, 'task-table', engine.rows.map((r) => r.id), 3);
    await expect.poll(() => count(p)).toBe(3);
    await p.getByTestId('duty-groups').getByText('财务部').click();
    const fin = listTasks(ctx, { roundId, responsibleDepartment: '财务部', sort: 'currentDeadline', order: 'asc', limit: 100, withTotal: true });
    await expectTop(p, 'task-table', fin.rows.map((r) => r.id), 10);
    await expect.poll(() => count(p)).toBe(fin.total);
    await expect.poll(() => p.locator('.ant-spin-blur, .ant-spin-spinning').count()).toBe(0);
    await p.waitForTimeout(400); // the loading veil fades out
    await h.shot('22-duty');
    // by leader: the largest group opens by itself
    await p.getByText('按责任领导').click();
    const leaders = listDutyGroups(ctx, { by: 'leader', roundId });
    const top = leaders.rows[0]!.key!;
    await p.getByText(`${top} 承担的整改任务`).waitFor();
    const mine = listTasks(ctx, { roundId, responsibleLeader: top, sort: 'currentDeadline', order: 'asc', limit: 100, withTotal: true });
    await expectTop(p, 'task-table', mine.rows.map((r) => r.id), 10);
    await expect.poll(() => count(p)).toBe(mine.total);
    await p.getByText('按责任部门').click();
    await p.getByTestId('duty-groups').getByText('财务部').click();
    await p.getByText('财务部 承担的整改任务').waitFor();
    // every string of the screen comes from the catalogue: English has no Chinese left but the data
    await p.getByRole('button', { name: 'English' }).click();
    await p.getByText('Tasks of 财务部').waitFor();
    await h.shot('26-duty-en');
    await p.getByRole('button', { name: '中文' }).click();
    await p.getByText('财务部 承担的整改任务').waitFor();
  });
});

describe('冲突: records in conflict after an exchange import', () => {
  it('carry a red 冲突 tag in the problem and task lists and a flag on their pages that names the fields and leads to 冲突与提议', async () => {
    const p = h.page;
    // A partner office, and conflicts as the merge writes them (field_conflicts: every head with its
    // value and clock) on the problem and the task at the top of their lists.
    const partnerId = ctx.ids.next();
    const partner = inTransaction(ctx, () => insertRow(ctx, offices, { name: '某省委巡视办', kind: 'inspection_office', level: 'province', parentOfficeId: null }, { id: partnerId, originOfficeId: partnerId, action: 'partner_added' }));
    const prob = listProblems(ctx, { roundId, sort: 'deadline', order: 'asc', limit: 1 }).rows[0]!;
    const task = listTasks(ctx, { roundId, sort: 'currentDeadline', order: 'asc', limit: 1 }).rows[0]!;
    const theirs = encodeHlc({ wall: Date.parse('2024-06-14T02:00:00Z'), counter: 0 }, partner.id);
    const row = (table: string, id: string) => ctx.ledger.sqlite.prepare(`SELECT hlc FROM ${table} WHERE id = ?`).get(id) as { hlc: string };
    const add = ctx.ledger.sqlite.prepare("INSERT INTO field_conflicts (entity_id, field, entity, heads, since) VALUES (?, ?, ?, ?, '2024-06-14T08:00:00.000Z')");
    add.run(prob.id, 'description', 'problems', JSON.stringify([{ v: '巡视办核实后的问题表述。', c: [theirs] }, { v: prob.description, c: [row('problems', prob.id).hlc] }]));
    add.run(task.id, 'responsibleDepartment', 'tasks', JSON.stringify([{ v: '办公室', c: [theirs] }, { v: task.responsibleDepartment, c: [row('tasks', task.id).hlc] }]));

    await openProblems(p);
    const probRow = p.locator(`[data-testid="problem-table"] [data-row-key="${prob.id}"]`);
    await probRow.getByTestId('conflict-tag').waitFor();
    expect(await probRow.getByTestId('conflict-tag').textContent()).toBe('冲突');
    await expect.poll(() => p.locator('[data-testid="problem-table"] [data-testid="conflict-tag"]').count()).toBe(1);
    // 只看有冲突的 (offered now that the ledger has an exchange partner): the engine's one row.
    if (!(await p.getByTestId('filter-panel').isVisible())) await p.getByTestId('filter-toggle').click();
    await pick(p, '有冲突', '只看有冲突的');
    await expectTop(p, 'problem-table', [prob.id], 1);
    await expect.poll(() => count(p)).toBe(listProblems(ctx, { roundId, conflicted: true, withTotal: true }).total);
    expect(await count(p)).toBe(1);
    await p.getByTestId('filter-tag-conflicted').locator('.ant-tag-close-icon').click();
    await p.getByTestId('filter-toggle').click();
    await expectTop(p, 'problem-table', listProblems(ctx, { roundId, sort: 'deadline', order: 'asc', limit: 10 }).rows.map((r) => r.id), 5);
    expect(await axeCheck(p, 'problem list with a conflict')).toEqual([]);
    await h.shot('27-problems-conflict');

    await probRow.locator('.ant-table-cell').nth(3).click();
    const banner = p.getByTestId('conflict-banner');
    await banner.waitFor();
    expect(await banner.getByTestId('conflict-fields').textContent()).toBe('以下内容在数据交换中被不同单位各自修改过：“描述”。台账暂按时间较新的版本显示，核实后须选定正确的版本，冲突标记才会消除。');
    expect(await axeCheck(p, 'problem page with a conflict')).toEqual([]);
    await h.shot('27-problem-conflict-page');
    // The problem page's task table flags the task too.
    await p.getByTestId('problem-tasks').waitFor();
    expect(await p.getByTestId('problem-tasks').getByTestId('conflict-tag').count()).toBe(prob.id === task.problemId ? 1 : 0);

    await go(p, '#/tasks');
    await p.getByTestId('task-table').waitFor();
    if (await p.getByRole('button', { name: '清除筛选' }).isVisible()) await p.getByRole('button', { name: '清除筛选' }).click();
    const taskRow = p.locator(`[data-testid="task-table"] [data-row-key="${task.id}"]`);
    await taskRow.getByTestId('conflict-tag').waitFor();
    await expect.poll(() => p.locator('[data-testid="task-table"] [data-testid="conflict-tag"]').count()).toBe(1);
    await h.shot('28-tasks-conflict');
    await go(p, `#/task/${task.id}`);
    await banner.getByText('“责任部门”', { exact: false }).waitFor();
    await h.shot('28-task-conflict-page');
    // The flag's button (keyboard) opens 数据交换 → 冲突与提议, where both conflicts wait.
    await banner.getByTestId('conflict-open').focus();
    await p.keyboard.press('Enter');
    await expect.poll(() => p.evaluate(() => (globalThis as unknown as Browser).location.hash)).toBe('#/exchange/conflicts');
    await expect.poll(() => p.getByTestId('conflict').count()).toBe(2);
    await p.getByTestId('conflicts').getByText('整改任务 · ', { exact: false }).first().waitFor();
  });
});

describe('a list longer than the rows kept in memory', () => {
  it('holds at most 1,000 rows while scrolling through 1,250 and fetches dropped pages again when scrolled back', async () => {
    const round2 = fxRound(ctx, { name: '某省委第二轮巡视', mobilisedOn: '2022-03-01', enteredOn: '2022-03-10', feedbackOn: '2022-06-30' });
    const unit = fxUnit(ctx, { name: '某某集团第4子公司' });
    const cat = categoryId(ctx, '廉洁风险');
    ctx.ledger.sqlite.exec('BEGIN');
    for (let k = 1; k <= 1250; k++) fxProblem(ctx, { unitId: unit.id, roundId: round2.id, seq: k, categoryId: cat, description: `第二轮第${k}项问题。` });
    ctx.ledger.sqlite.exec('COMMIT');
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const pg: ReturnType<typeof listProblems> = listProblems(ctx, { roundId: round2.id, sort: 'seq', order: 'asc', limit: 100, cursor });
      ids.push(...pg.rows.map((r) => r.id));
      cursor = pg.nextCursor;
    } while (cursor);
    expect(ids).toHaveLength(1250);

    const p = h.page;
    await openProblems(p);
    if (!(await p.getByTestId('filter-panel').isVisible())) await p.getByTestId('filter-toggle').click();
    await pick(p, '巡视轮次', '某省委第二轮巡视');
    await p.locator('[data-testid="problem-table"] .ant-table-column-sorters', { hasText: '序号' }).first().click();
    await expect.poll(() => count(p)).toBe(1250);
    await expectTop(p, 'problem-table', ids, 10);

    const holder = p.locator('[data-testid="problem-table"] .ant-table-tbody-virtual-holder');
    await holder.hover();
    await expect.poll(async () => {
      await p.mouse.wheel(0, 3000);
      return (await shownKeys(p, 'problem-table')).some((k) => ids.indexOf(k) >= 1200);
    }, { timeout: 20000, interval: 150 }).toBe(true);
    const inMemory = async () => Number(((await p.getByTestId('list-in-memory').textContent()) ?? '').replace(/[^\d]/g, ''));
    expect(await inMemory()).toBeLessThanOrEqual(1000);
    expect(await inMemory()).toBeGreaterThan(0);

    const fetchesBefore = apiCalls.filter((c) => c === 'problems:list').length;
    await expect.poll(async () => {
      await p.mouse.wheel(0, -6000);
      return (await shownKeys(p, 'problem-table'))[0];
    }, { timeout: 20000, interval: 150 }).toBe(ids[0]);
    await expectTop(p, 'problem-table', ids, 15);
    // the first page had been dropped: it came back from the engine
    expect(apiCalls.filter((c) => c === 'problems:list').length).toBeGreaterThan(fetchesBefore);
    expect(await inMemory()).toBeLessThanOrEqual(1000);
  });
});

