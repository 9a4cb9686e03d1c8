import { readFileSync } from 'node:fs';
/**
 * The problem and task detail views in Chromium over the real engine: new task form (refusing a
 * deadline before the feedback date), progress, evidence upload with SHA-256, the close-out flow
 * across users (退回 with a required reason, resubmission, 同意销号 by another reviewer) and an
 * extension request with both deadlines shown. User text with HTML/script is shown as text.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActingUser } from '../../db/core/context.js';
import { listEvidence } from '../../db/services/evidence.js';
import { createUser } from '../../db/services/office.js';
import { getProblem, createProblem } from '../../db/services/problems.js';
import { createTask, getTask, startTask } from '../../db/services/tasks.js';
import { categoryId, fxInspection, fxRound, fxUnit } from '../helpers/fixtures.js';
import { startHarness, type Harness } from './harness.js';

const PW = { admin: 'mima-2024-admin', luru1: 'mima-2024-luru1', shenhe1: 'mima-2024-shenhe1', shenhe2: 'mima-2024-shenhe2' };
const XSS = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
/** A minimal one-page PDF and a 1×1 PNG, built in memory. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
const WAIT = { timeout: 8000 };
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let h: Harness;
let entry: ActingUser;
let problemId: string;
let taskId: string;
let task2Id: string;
let dialogs = 0;

beforeAll(async () => {
  h = await startHarness({ today: '2024-06-15' });
  // The browser's "today" (date pickers' defaults) starts at the engine's fixed clock and runs on.
  await h.page.clock.setSystemTime(new Date(h.clock.now()));
  h.page.on('dialog', (d) => { dialogs++; void d.dismiss(); });
  const admin = h.as(h.setup({
    officeName: '某省纪委监委第三监督检查室', officeKind: 'discipline', level: 'province',
    adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: PW.admin,
  }));
  createUser(admin, { username: 'luru1', displayName: '张某某', role: 'entry', canViewClues: false, password: PW.luru1 });
  createUser(admin, { username: 'shenhe1', displayName: '李某某', role: 'reviewer', canViewClues: false, password: PW.shenhe1 });
  createUser(admin, { username: 'shenhe2', displayName: '赵某某', role: 'reviewer', canViewClues: false, password: PW.shenhe2 });
  const round = fxRound(admin);
  const unit = fxUnit(admin, { name: '某某集团有限公司' });
  const { inspection } = fxInspection(admin, { roundId: round.id, unitId: unit.id, feedbackDate: '2024-03-31' });
  entry = h.user('luru1');
  const ctx = h.as(entry);
  const problem = createProblem(ctx, {
    inspectionId: inspection.id, categoryId: categoryId(admin, '违反中央八项规定精神'), isKey: true, leadLeader: '陈某某',
    description: '公务接待超标准问题仍有发生，个别下属单位违规发放津贴补贴。',
  });
  problemId = problem.id;
  const t1 = createTask(ctx, {
    problemId, measures: '修订公务接待管理办法，开展专项检查。', term: 'concentrated', deadline: '2024-07-31',
    responsibleLeader: '陈某某', responsibleDepartment: '办公室', responsiblePerson: '刘某',
  });
  const t2 = createTask(ctx, {
    problemId, measures: '清理规范津贴补贴发放，追回违规款项。', term: 'concentrated', deadline: '2024-08-31',
    responsibleLeader: '陈某某', responsibleDepartment: '人力资源部', responsiblePerson: '孙某',
  });
  startTask(ctx, { id: t1.id });
  startTask(ctx, { id: t2.id });
  taskId = t1.id;
  task2Id = t2.id;
  await h.page.reload();
  await h.page.getByRole('button', { name: '登录' }).waitFor({ timeout: 30_000 });
}, 90_000);
afterAll(async () => h?.close());

async function loginAs(username: keyof typeof PW) {
  const p = h.page;
  await p.getByLabel('用户名').fill(username);
  await p.getByLabel('密码').fill(PW[username]);
  await p.getByRole('button', { name: '登录' }).click();
  await p.getByTestId('current-user').waitFor();
}

/** 切换用户 in the top bar's user menu logs out. */
async function switchUser(username: keyof typeof PW) {
  const p = h.page;
  await p.getByTestId('current-user').hover();
  await p.getByRole('menuitem', { name: '切换用户' }).click();
  await p.getByRole('button', { name: '登录' }).waitFor();
  await loginAs(username);
}

async function go(hash: string) {
  await h.page.evaluate(`window.location.hash = ${JSON.stringify(hash)}`);
}

async function pickDate(label: string, value: string, scope = h.page.locator('body')) {
  const input = scope.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(value);
  await input.press('Enter');
}

const engineTask = (id: string) => getTask(h.as(entry), { id }).task;

describe('problem and task detail views', () => {
  it('shows a problem with its tasks, and the new-task form refuses a deadline before the feedback date', async () => {
    const p = h.page;
    await loginAs('luru1');
    await go(`#/problem/${problemId}`);
    await p.getByTestId('problem-description').getByText('公务接待超标准问题仍有发生').waitFor();
    await p.getByText('是（领办领导：陈某某）').waitFor();
    const rows = p.getByTestId('problem-tasks').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count(), WAIT).toBe(2);
    await rows.first().getByText('推进中').waitFor();
    await rows.first().locator('[data-light="green"]').waitFor();
    await h.shot('30-problem');

    await p.keyboard.press('Control+n');
    const form = p.getByTestId('task-form');
    await form.getByText('反馈日期为 2024-03-31').waitFor();
    await form.getByLabel('整改措施').fill(`${XSS}建立公务接待审批台账`);
    await form.getByLabel('责任部门').fill('办公室');
    await pickDate('整改时限', '2024-03-01', form);
    await p.getByRole('button', { name: '保存（Ctrl+S）' }).click();
    await form.getByText('整改时限不能早于反馈日期（2024-03-31）。').waitFor();
    await h.shot('34-task-form');
    expect(getProblem(h.as(entry), { id: problemId }).tasks).toHaveLength(2);

    await pickDate('整改时限', '2024-09-30', form);
    await form.getByText('长期坚持').click();
    await form.getByRole('button', { name: '添加阶段目标' }).click();
    await form.getByPlaceholder('阶段目标').fill('完成制度修订');
    const due = form.getByPlaceholder('完成时间');
    await due.click();
    await due.fill('2024-06-30');
    await due.press('Enter');
    await p.keyboard.press('Control+s');
    await expect.poll(() => rows.count(), WAIT).toBe(3);
    const saved = getProblem(h.as(entry), { id: problemId }).tasks;
    expect(saved).toHaveLength(3);
    expect(saved[2]!.measures).toBe(`${XSS}建立公务接待审批台账`);
    expect(saved[2]!).toMatchObject({ deadline: '2024-09-30', term: 'long_term', status: 'draft' });
    expect(getTask(h.as(entry), { id: saved[2]!.id }).stages.map((x) => [x.goal, x.dueDate])).toEqual([['完成制度修订', '2024-06-30']]);
    // the payload is shown as text, never run
    await rows.nth(2).getByText('<img src=x onerror=', { exact: false }).waitFor();
    expect(await p.locator('img[src="x"]').count()).toBe(0);

    // the new draft task: start it and tick its stage done
    await rows.nth(2).locator('td').nth(3).click();
    await p.getByTestId('task-status').getByText('草稿').waitFor();
    await p.getByRole('button', { name: '开始推进' }).click();
    await p.getByTestId('task-status').getByText('推进中').waitFor();
    await p.getByTestId('stages').getByRole('checkbox').click();
    await p.getByTestId('stages').getByText('2024-06-15 已完成').waitFor();
    const stage = getTask(h.as(entry), { id: saved[2]!.id });
    expect(stage.task.status).toBe('in_progress');
    expect(stage.stages[0]!.doneOn).toBe('2024-06-15');
    expect(dialogs).toBe(0);
  });

  it('refuses a close-out without evidence, records progress and evidence whose SHA-256 matches the engine', async () => {
    const p = h.page;
    await go(`#/task/${task2Id}`);
    await p.getByTestId('task-status').getByText('推进中').waitFor();
    await p.getByRole('button', { name: '申请销号' }).click();
    const co = p.getByTestId('closeout-dialog');
    await co.getByText('已上传0份佐证材料').waitFor();
    await p.getByRole('button', { name: '提交销号申请' }).click();
    await co.getByText('申请销号前须上传至少1份佐证材料（目前0份）。').waitFor();
    expect(engineTask(task2Id).status).toBe('in_progress');
    await p.getByRole('button', { name: '取消' }).click();

    await go(`#/task/${taskId}`);
    await p.getByTestId('task-measures').getByText('修订公务接待管理办法').waitFor();
    // closing a form with unsaved edits asks first
    await p.getByRole('button', { name: '添加进展' }).first().click();
    const pd = p.getByTestId('progress-dialog');
    await pd.getByLabel('进展情况').fill('尚未保存的内容');
    await p.getByRole('button', { name: '取消' }).click();
    await p.locator('.ant-modal-confirm-title', { hasText: '有尚未保存的修改，确定要离开吗？' }).waitFor();
    await p.getByRole('button', { name: '确定' }).click();
    await pd.waitFor({ state: 'hidden' });
    expect(getTask(h.as(entry), { id: taskId }).progress).toHaveLength(0);

    await p.getByRole('button', { name: '添加进展' }).first().click();
    await pd.getByLabel('进展情况').fill(`${XSS}召开专题会议，修订接待管理办法并印发。`);
    await p.getByRole('button', { name: '保存', exact: true }).click();
    await p.getByTestId('progress-entry').getByText('召开专题会议', { exact: false }).waitFor();
    await p.getByTestId('progress-entry').getByText('<script>alert(2)</script>', { exact: false }).waitFor();

    await p.getByRole('button', { name: '上传佐证材料' }).first().click();
    const ed = p.getByTestId('evidence-dialog');
    await pickDate('形成日期', '2024-06-10', ed);
    await ed.locator('input[type=file]').setInputFiles([
      { name: '专题会议纪要.pdf', mimeType: 'application/pdf', buffer: PDF },
      { name: '现场检查照片.png', mimeType: 'image/png', buffer: PNG },
    ]);
    await p.getByRole('button', { name: '上传', exact: true }).click();
    const ev = p.getByTestId('evidence-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => ev.count(), WAIT).toBe(2);
    const engine = listEvidence(h.as(entry), { ownerType: 'task', ownerId: taskId });
    expect(engine.map((e) => e.sha256).sort()).toEqual([sha(PDF), sha(PNG)].sort());
    for (const e of engine) {
      const cell = p.getByTestId('evidence-table').locator(`[data-sha256="${e.sha256}"]`);
      await expect.poll(() => cell.textContent(), WAIT).toBe(`${e.sha256.slice(0, 8)}…${e.sha256.slice(-8)}`);
      expect(e.formedOn).toBe('2024-06-10');
    }
    await p.getByTestId('evidence-table').getByText('2024-06-10').first().waitFor();
    await p.getByTestId('evidence-table').getByText('2024-06-15').first().waitFor();

    // preview: the image in an <img> from a blob URL; the PDF in a frame if the page policy allows it, else a download link
    await p.getByTestId('evidence-table').getByText('现场检查照片.png').first().click();
    const img = p.getByTestId('preview-image');
    await img.waitFor();
    expect(await img.getAttribute('src')).toMatch(/^blob:/);
    expect(await img.evaluate((x) => (x as unknown as { naturalWidth: number }).naturalWidth)).toBe(1);
    await p.waitForTimeout(400);
    await h.shot('35-preview-image');
    await p.keyboard.press('Escape');
    await p.getByTestId('evidence-table').getByText('专题会议纪要.pdf').first().click();
    await p.getByTestId('evidence-download').waitFor();
    expect(await p.getByTestId('evidence-download').getAttribute('href')).toMatch(/^blob:/);
    if (await p.getByTestId('preview-pdf').count()) expect(await p.getByTestId('preview-pdf').getAttribute('src')).toMatch(/^blob:/);
    else await p.getByTestId('preview-fallback').getByText('下载').waitFor();
    await p.waitForTimeout(400);
    await h.shot('36-preview-pdf');
    await p.keyboard.press('Escape');
    await p.waitForTimeout(300);
    await h.shot('31-task');

    await p.getByRole('button', { name: '申请销号' }).click();
    await p.getByTestId('closeout-dialog').getByText('已上传2份佐证材料').waitFor();
    // the system asks for less motion (harness): the dialog opens without a zoom
    expect(await p.locator('.ant-modal').last().evaluate((el) => (el as unknown as { getAnimations(o: object): unknown[] }).getAnimations({ subtree: true }).length)).toBe(0);
    await p.getByRole('button', { name: '提交销号申请' }).click();
    await p.getByTestId('task-status').getByText('待审核').waitFor();
    expect(engineTask(taskId).status).toBe('pending_review');
    // a 录入员 cannot review, and the frozen task offers no edits
    await p.getByText('已申请销号，正在等待审核').waitFor();
    for (const name of ['审核销号', '添加进展', '上传佐证材料', '申请延期']) expect(await p.getByRole('button', { name }).count()).toBe(0);
    expect(dialogs).toBe(0);
  });

  it('a reviewer returns it with a required reason, the clerk resubmits and another reviewer accepts', async () => {
    const p = h.page;
    h.clock.advance(3600_000);
    await switchUser('shenhe1');
    await p.getByTestId('task-status').getByText('待审核').waitFor();
    await p.getByRole('button', { name: '审核销号' }).click();
    const rd = p.getByTestId('review-dialog');
    await rd.getByText('专题会议纪要.pdf').waitFor();
    await p.waitForTimeout(300);
    await h.shot('32-review');
    await rd.getByText('退回', { exact: true }).click();
    await p.getByRole('button', { name: '提交审核结论' }).click();
    await rd.getByText('退回时须写明退回理由。').waitFor();
    expect(engineTask(taskId).status).toBe('pending_review');
    await rd.getByLabel('退回理由').fill('佐证材料缺少印发文件，请补充。');
    await p.getByRole('button', { name: '提交审核结论' }).click();
    await p.getByTestId('task-status').getByText('推进中').waitFor();
    expect(engineTask(taskId)).toMatchObject({ status: 'in_progress', returnCount: 1 });

    h.clock.advance(3600_000);
    await switchUser('luru1');
    await p.getByTestId('returned-alert').getByText('佐证材料缺少印发文件，请补充。').waitFor();
    await p.getByRole('button', { name: '申请销号' }).click();
    await p.getByRole('button', { name: '提交销号申请' }).click();
    await p.getByTestId('task-status').getByText('待审核').waitFor();

    h.clock.advance(3600_000);
    await switchUser('shenhe2');
    await p.getByRole('button', { name: '审核销号' }).click();
    await p.getByTestId('review-dialog').getByLabel('审核意见').fill('材料齐全，同意销号。');
    await p.getByRole('button', { name: '提交审核结论' }).click();
    await p.getByTestId('task-status').getByText('已销号').waitFor();
    expect(engineTask(taskId).status).toBe('closed');
    await p.getByRole('button', { name: '重新打开' }).waitFor();
    expect(await p.getByRole('button', { name: '申请销号' }).count()).toBe(0);
    const history = p.getByTestId('closeout-history').locator('tbody tr.ant-table-row');
    await expect.poll(() => history.count(), WAIT).toBe(2);
    await history.nth(0).getByText('同意销号', { exact: true }).waitFor();
    await history.nth(0).getByText('赵某某').waitFor();
    await history.nth(1).getByText('退回', { exact: true }).waitFor();
    await history.nth(1).getByText('李某某').waitFor();
  });

  it('an extension requested by the clerk and approved by a reviewer shows both deadlines', async () => {
    const p = h.page;
    h.clock.advance(3600_000);
    await switchUser('luru1');
    await go(`#/task/${task2Id}`);
    await p.getByTestId('deadline-current').getByText('2024-08-31').waitFor();
    await p.getByRole('button', { name: '申请延期' }).click();
    const xd = p.getByTestId('extension-dialog');
    await pickDate('申请延期至', '2024-10-31', xd);
    await xd.getByLabel('延期理由').fill('涉及多家下属单位，追缴款项需要更多时间。');
    await p.getByRole('button', { name: '提交延期申请' }).click();
    await p.getByText('延期待审批').waitFor();
    expect(await p.getByRole('button', { name: '申请延期' }).count()).toBe(0);

    h.clock.advance(3600_000);
    await switchUser('shenhe1');
    await p.getByRole('tab', { name: /延期申请/ }).click();
    await p.getByTestId('extension-table').getByRole('button', { name: '审批' }).click();
    const dd = p.getByTestId('extension-decide-dialog');
    await dd.getByText('涉及多家下属单位').waitFor();
    await p.getByRole('button', { name: '提交审批结论' }).click();
    await p.getByTestId('deadline-current').getByText('2024-10-31').waitFor();
    await p.getByTestId('deadline-original').getByText('2024-08-31').waitFor();
    await p.getByTestId('task-fields').getByText('已延期').waitFor();
    expect(engineTask(task2Id)).toMatchObject({ deadline: '2024-08-31', currentDeadline: '2024-10-31' });
    await p.getByTestId('extension-table').getByText('已同意').waitFor();

    await p.getByRole('tab', { name: '修改历史' }).click();
    const hist = p.getByTestId('history');
    await hist.getByText('同意延期').waitFor();
    await hist.getByText('延期生效').waitFor();
    await hist.getByTestId('history-entry').filter({ hasText: '延期生效' }).getByText('2024-10-31').waitFor();
    await p.waitForTimeout(200);
    await h.shot('33-history');
    expect(dialogs).toBe(0);

    // An auditor (审核员 has 'audit.read') exports the task's full history as CSV for Excel.
    const [download] = await Promise.all([p.waitForEvent('download'), p.getByTestId('history-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^整改任务.+-修改历史\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toMatch(/^\ufeff序号,时间,操作人,操作,字段,原值,新值/);
    expect(csv).toContain('2024-10-31');

    // English is one click away and the view has every string in it
    await p.getByRole('button', { name: 'English' }).click();
    await p.getByRole('tab', { name: 'History' }).waitFor();
    await p.getByTestId('deadline-current').getByText('2024-10-31').waitFor();
    await p.getByText('Extension took effect', { exact: false }).first().waitFor();
    await h.shot('37-task-en');
    await p.getByRole('button', { name: '中文' }).click();
    await p.getByRole('tab', { name: '修改历史' }).waitFor();
  });
});
