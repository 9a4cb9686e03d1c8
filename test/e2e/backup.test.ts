/**
 * 备份与恢复 and 轮次归档 in Chromium over the real engine: a manual backup, data added after it, the
 * restore (confirmation with the backup's date and counts, then the log-in screen) and the data
 * gone again; then a finished round archived (its recovery key shown once), purged with its name
 * typed, gone from 巡视轮次, opened read-only from the archive file, and restored.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActingUser } from '../../db/core/context.js';
import { createUser } from '../../db/services/office.js';
import { refreshProblemRollup } from '../../db/services/problems.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxTask, fxUnit } from '../helpers/fixtures.js';
import { startHarness, type Harness } from './harness.js';
import { axeCheckSettled as axeCheck } from './axe.js';


const PW = 'mima-2024-beifen';
const OPEN_ROUND = '某省委2024年第一轮巡视';
const DONE_ROUND = '某省委2023年第三轮巡视';
const EARLY = '备份之前录入的问题：落实意识形态工作责任制不到位。';
const LATE = '备份之后录入的问题：选人用人把关不严。';
const ARCHIVED = '已办结轮次的问题：“三重一大”决策制度执行不严格。';

let h: Harness;
let admin: ActingUser;
let openRound: { roundId: string; unitId: string; inspectionId: string };

beforeAll(async () => {
  h = await startHarness({ today: '2024-06-15' });
  admin = h.setup({
    officeName: '某省委巡视工作领导小组办公室', officeKind: 'inspection_office', level: 'province',
    adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: PW,
  });
  const ctx = h.as(admin);
  createUser(ctx, { username: 'chakan', displayName: '周某', role: 'readonly', canViewClues: false, password: PW });
  const cat = categoryId(ctx, '廉洁风险');
  // A round still at work: one problem, one task in progress.
  const r1 = fxRound(ctx, { name: OPEN_ROUND, mobilisedOn: '2024-03-01', enteredOn: '2024-03-10', feedbackOn: '2024-05-20' });
  const u1 = fxUnit(ctx, { name: '某某集团有限公司' });
  const i1 = fxInspection(ctx, { roundId: r1.id, unitId: u1.id, feedbackDate: '2024-05-20' });
  const p1 = fxProblem(ctx, { roundId: r1.id, unitId: u1.id, inspectionId: i1.inspection.id, categoryId: cat, description: EARLY });
  fxTask(ctx, { problemId: p1.id, unitId: u1.id, roundId: r1.id, deadline: '2024-08-20' });
  refreshProblemRollup(ctx, p1.id);
  openRound = { roundId: r1.id, unitId: u1.id, inspectionId: i1.inspection.id };
  // A finished round (as test/engine/archive.test.ts builds one): its one task 已销号, so its problem is too.
  const r2 = fxRound(ctx, { name: DONE_ROUND });
  const u2 = fxUnit(ctx, { name: '某某银行股份有限公司', sector: 'central_finance' });
  const i2 = fxInspection(ctx, { roundId: r2.id, unitId: u2.id });
  const p2 = fxProblem(ctx, { roundId: r2.id, unitId: u2.id, inspectionId: i2.inspection.id, feedbackId: i2.feedback.id, categoryId: cat, description: ARCHIVED });
  fxTask(ctx, {
    problemId: p2.id, unitId: u2.id, roundId: r2.id, status: 'closed', completedOn: '2024-04-20', reportedOnTime: true, closedAt: '2024-05-01T02:00:00.000Z',
  });
  refreshProblemRollup(ctx, p2.id);
  await h.page.reload();
  await logIn(h.page);
}, 60_000);
afterAll(async () => h?.close());

async function logIn(p: Page, username = 'admin') {
  await p.locator('input[autocomplete="username"]').fill(username);
  await p.locator('input[autocomplete="current-password"]').fill(PW);
  await p.locator('button[type="submit"]').click();
  await p.getByTestId('current-user').waitFor();
}

async function go(p: Page, hash: string) {
  await p.evaluate(`window.location.hash = ${JSON.stringify(hash)}`);
}

/** A screenshot without the pointer's tooltip of the last click. */
async function shot(p: Page, name: string) {
  await p.mouse.move(1, 1);
  await p.waitForTimeout(250);
  await h.shot(name);
}

const liveProblems = () => (h.ledger.sqlite.prepare('SELECT description FROM problems WHERE deleted_at IS NULL ORDER BY description').pluck().all() as string[]);
const modal = (p: Page, testId: string) => p.locator('.ant-modal').filter({ has: p.getByTestId(testId) });

describe('备份与恢复', () => {
  it('立即备份 adds a row; 恢复 of it shows its date and counts, ends the session, and the later data is gone', async () => {
    const p = h.page;
    await go(p, '#/backup');
    const table = p.getByTestId('backup-table');
    await table.getByText('还没有备份').waitFor();
    expect(await axeCheck(p, 'backup, empty')).toEqual([]);
    await shot(p, 'backup-01-empty');

    await p.getByTestId('backup-now').click();
    const rows = table.locator('.ant-table-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    const row = rows.first();
    await row.getByText('手动').waitFor();
    // 问题 · 任务 · 线索 as the engine counts them at the backup (both rounds).
    const cells = await row.locator('td').allInnerTexts();
    expect(cells.slice(2, 5)).toEqual(['2', '2', '0']);
    await row.getByText('完整').waitFor();
    await shot(p, 'backup-02-one');

    // 校验 of the row passes.
    await row.getByRole('button', { name: /^校验/ }).click();
    await p.getByText(/校验通过/).waitFor();
    await row.getByText('已校验').waitFor();

    // 备份到文件夹 (in the browser the folder is typed; the desktop app asks with its dialog).
    const usb = join(h.dir, 'U盘');
    mkdirSync(usb);
    await p.getByRole('button', { name: '备份到文件夹…' }).click();
    const folder = modal(p, 'backup-folder');
    await folder.getByLabel('文件夹').fill(usb);
    await folder.getByRole('button', { name: '备份', exact: true }).click();
    await p.getByText(`已备份到 ${usb}`).waitFor();
    expect(readdirSync(usb).filter((f) => f.endsWith('.sqlite'))).toHaveLength(1);
    expect(await rows.count()).toBe(1);

    // Data added after the backup.
    const ctx = h.as(admin);
    fxProblem(ctx, { ...openRound, seq: 2, categoryId: categoryId(ctx, '廉洁风险'), description: LATE });
    expect(liveProblems()).toContain(LATE);

    const time = (await row.locator('td').first().innerText()).trim();
    await row.getByRole('button', { name: /^恢复到/ }).click();
    const confirm = modal(p, 'restore-confirm');
    await confirm.waitFor();
    expect((await confirm.getByTestId('restore-time').innerText()).trim()).toBe(time);
    expect(await confirm.getByTestId('restore-count-problems').innerText()).toBe('2');
    expect(await confirm.getByTestId('restore-count-tasks').innerText()).toBe('2');
    await confirm.getByText('当前台账将另存为“恢复前”备份').waitFor();
    expect(await axeCheck(p, 'backup, restore confirmation')).toEqual([]);
    await shot(p, 'backup-03-confirm');

    await confirm.getByRole('button', { name: '恢复', exact: true }).click();
    await p.getByTestId('relogin').waitFor({ timeout: 20_000 });
    await p.getByTestId('restore-done').getByText(/恢复前-/).waitFor();
    await shot(p, 'backup-04-done');
    await p.getByTestId('relogin').click();
    await p.locator('input[autocomplete="username"]').waitFor();
    await shot(p, 'backup-05-login');
    expect(await p.getByTestId('current-user').count()).toBe(0);

    await logIn(p);
    // The engine's ledger is the backup again: the problem added after it is gone.
    expect(liveProblems()).toEqual([EARLY, ARCHIVED].sort());
    await go(p, '#/backup');
    await table.locator('.ant-table-row').nth(1).waitFor();
    expect(await table.locator('.ant-table-row').count()).toBe(2);
    await table.getByText('恢复前').waitFor();
    await shot(p, 'backup-06-after');
  });
});

describe('轮次归档', () => {
  it('archives a finished round, purges it with its name typed, opens the archive read-only and restores it', async () => {
    const p = h.page;
    await go(p, '#/archive');
    const rounds = p.getByTestId('archive-rounds');
    const done = rounds.locator('.ant-table-row').filter({ hasText: DONE_ROUND });
    const open = rounds.locator('.ant-table-row').filter({ hasText: OPEN_ROUND });
    await done.getByText('已办结，可以归档').waitFor();
    await open.getByText('1个问题未销号').waitFor();
    expect(await open.getByRole('button', { name: `归档 ${OPEN_ROUND}` }).isDisabled()).toBe(true);
    expect(await done.getByRole('button', { name: `清理 ${DONE_ROUND}` }).isDisabled()).toBe(true);
    expect(await axeCheck(p, 'archive')).toEqual([]);
    await shot(p, 'archive-01-rounds');

    // 归档: the default place is beside the ledger, named after the round.
    await done.getByRole('button', { name: `归档 ${DONE_ROUND}` }).click();
    const create = modal(p, 'archive-create');
    const path = create.getByLabel('归档文件位置');
    expect(await path.inputValue()).toBe(join(h.dir, `${DONE_ROUND}.xzarchive`));
    await shot(p, 'archive-02-create');
    await create.getByRole('button', { name: '归档', exact: true }).click();

    // The recovery key, once; 完成 waits for the checkbox.
    const keyBox = modal(p, 'archive-key');
    await keyBox.getByTestId('archive-recovery-key').waitFor();
    const groups = await keyBox.getByTestId('archive-recovery-key').locator('.xz-key-group').allInnerTexts();
    expect(groups).toHaveLength(8);
    const key = groups.join('-');
    const sha = (await keyBox.getByTestId('archive-sha256').innerText()).trim();
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(await keyBox.getByTestId('archive-file-name').innerText()).toBe(`${DONE_ROUND}.xzarchive`);
    expect(await keyBox.getByTestId('archive-key-done').isDisabled()).toBe(true);
    expect(await axeCheck(p, 'archive, recovery key')).toEqual([]);
    await shot(p, 'archive-03-key');
    await keyBox.getByTestId('archive-key-saved').click();
    await keyBox.getByTestId('archive-key-done').click();
    await keyBox.waitFor({ state: 'detached' });
    const list = p.getByTestId('archive-list');
    await list.locator('.ant-table-row').filter({ hasText: DONE_ROUND }).getByText('已归档').waitFor();

    // 清理: the name must be typed exactly (the engine's refusal lands on the box).
    await done.getByRole('button', { name: `清理 ${DONE_ROUND}` }).click();
    const purge = modal(p, 'archive-purge');
    await purge.getByTestId('purge-counts').getByText('问题').first().waitFor();
    const confirmBox = purge.getByLabel(`请输入轮次名称“${DONE_ROUND}”以确认`);
    await confirmBox.fill('某省委2023年第三轮');
    await purge.getByRole('button', { name: '清理', exact: true }).click();
    await purge.getByText(`请完整输入轮次名称“${DONE_ROUND}”以确认清理。`).waitFor();
    await confirmBox.fill(DONE_ROUND);
    await shot(p, 'archive-04-purge');
    // The footer's danger button (its name can still carry the fading 'loading' icon of the refused try).
    await purge.locator('.ant-modal-footer .ant-btn-dangerous').click();
    await p.getByText(`已清理“${DONE_ROUND}”`).waitFor();
    await done.waitFor({ state: 'detached' });
    await list.locator('.ant-table-row').filter({ hasText: DONE_ROUND }).getByText('已清理').waitFor();
    expect(h.ledger.sqlite.prepare('SELECT count(*) FROM rounds WHERE name = ?').pluck().get(DONE_ROUND)).toBe(0);
    expect(liveProblems()).toEqual([EARLY]);
    await shot(p, 'archive-05-purged');

    // Gone from 巡视轮次.
    await go(p, '#/rounds');
    await p.getByTestId('rounds').getByText(OPEN_ROUND).first().waitFor();
    expect(await p.getByTestId('rounds').getByText(DONE_ROUND).count()).toBe(0);

    // 打开归档 with the key: the round's problem, read-only.
    await go(p, '#/archive');
    await list.getByRole('button', { name: `打开 ${DONE_ROUND}.xzarchive` }).click();
    const openForm = modal(p, 'archive-open');
    expect(await openForm.getByLabel('归档文件位置').inputValue()).toBe(join(h.dir, `${DONE_ROUND}.xzarchive`));
    await openForm.getByLabel('恢复密钥').fill(key);
    await openForm.getByRole('button', { name: '打开', exact: true }).click();
    const view = p.getByTestId('archive-view');
    await view.getByTestId('archive-banner').getByText(/只读归档/).waitFor();
    await view.getByTestId('archive-problems').getByText(ARCHIVED).waitFor();
    await view.getByTestId('archive-manifest').getByText(DONE_ROUND).waitFor();
    expect(await view.getByRole('button', { name: /编辑|删除|新建/ }).count()).toBe(0);
    expect(await axeCheck(p, 'archive, opened read-only')).toEqual([]);
    await shot(p, 'archive-06-view');
    await view.getByTestId('archive-close').click();
    await p.getByTestId('archive-screen').waitFor();

    // 从归档恢复: the round comes back.
    await list.getByRole('button', { name: `从 ${DONE_ROUND}.xzarchive 恢复` }).click();
    const restore = modal(p, 'archive-restore');
    await restore.getByLabel('恢复密钥').fill(key);
    await restore.getByRole('button', { name: '恢复', exact: true }).click();
    await p.getByText(`已恢复“${DONE_ROUND}”`).waitFor();
    await rounds.locator('.ant-table-row').filter({ hasText: DONE_ROUND }).waitFor();
    await list.locator('.ant-table-row').filter({ hasText: DONE_ROUND }).getByText('已恢复').waitFor();
    expect(liveProblems()).toEqual([EARLY, ARCHIVED].sort());
    await shot(p, 'archive-07-restored');
  });
});

describe('who sees what', () => {
  it('a 只读 user backs up but neither restores nor archives', async () => {
    const p = h.page;
    await p.getByTestId('current-user').hover();
    await p.getByRole('menuitem', { name: '切换用户' }).click();
    await logIn(p, 'chakan');
    const nav = p.getByRole('navigation');
    await nav.getByText('备份与恢复').waitFor();
    expect(await nav.getByText('轮次归档').count()).toBe(0);
    await go(p, '#/backup');
    const table = p.getByTestId('backup-table');
    await table.locator('.ant-table-row').first().waitFor();
    expect(await table.getByRole('button', { name: /^恢复到|^校验/ }).count()).toBe(0);
    expect(await p.getByRole('button', { name: '备份到文件夹…' }).count()).toBe(0);
    await p.getByTestId('backup-now').waitFor();
    await go(p, '#/archive');
    await p.getByTestId('archive-refused').waitFor();
    expect(await axeCheck(p, 'archive, refused')).toEqual([]);
  });
});
