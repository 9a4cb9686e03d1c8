/**
 * 打印 in Chromium over the real engine: Ctrl+P and the toolbar button lay out the rows of the
 * current filters (all pages, fetched from the engine) as an A4-landscape ledger, open the print
 * dialog, and Chromium's print engine renders it: title, marking and "第N页 共M页" on every page, the
 * header row repeated, signature lines at the end, user text as text. Other screens print as shown.
 * The PDFs and page images are kept in test-output/print/ to be looked at.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActingUser, ServiceContext } from '../../db/core/context.js';
import { listProblems } from '../../db/queries/problem-list.js';
import { listTasks } from '../../db/queries/task-list.js';
import { createClue } from '../../db/services/clues.js';
import { createUser } from '../../db/services/office.js';
import { refreshProblemRollup } from '../../db/services/problems.js';
import { confirmClue, grantClue } from '../../db/services/rights.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxTask, fxUnit } from '../helpers/fixtures.js';
import { SHOTS_DIR, startHarness, type Harness } from './harness.js';

const PASSWORD = 'mima-2024-print';
const OFFICE = '某市委巡察整改工作领导小组办公室';
const XSS = '<img src=x onerror="window.__xss=1">违规发放津贴补贴问题';
const OUT = join(SHOTS_DIR, '..', 'print');

let h: Harness;
let ctx: ServiceContext;
let roundId: string;
const channels: string[] = [];

beforeAll(async () => {
  h = await startHarness({ today: '2024-06-15' });
  const admin: ActingUser = h.setup({
    officeName: OFFICE, officeKind: 'inspected_unit', level: 'city',
    adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: PASSWORD,
  });
  ctx = h.as(admin);
  const round = fxRound(ctx, { name: '某市委第三轮巡察' });
  roundId = round.id;
  const cats = ['廉洁风险', '选人用人', '基层党组织建设'].map((n) => categoryId(ctx, n));
  let n = 0;
  for (let u = 0; u < 2; u++) {
    const unit = fxUnit(ctx, { name: `某某区第${u + 1}街道办事处` });
    fxInspection(ctx, { roundId, unitId: unit.id });
    for (let k = 1; k <= 70; k++) {
      n++;
      const p = fxProblem(ctx, {
        unitId: unit.id, roundId, seq: k, categoryId: cats[n % 3]!, isKey: n % 9 === 0,
        description: n === 5 ? XSS : `公务接待审批把关不严，超标准接待问题仍有发生，相关制度执行不到位（第${n}项）。`,
      });
      for (let j = 1; j <= 2; j++) {
        fxTask(ctx, {
          problemId: p.id, unitId: unit.id, roundId, seq: j, deadline: `2024-${String(3 + ((n + j) % 9)).padStart(2, '0')}-15`,
          measures: `针对第${n}项问题完善公务接待管理办法，开展专项检查${j}。`, status: n % 6 === 0 ? 'closed' : 'in_progress',
          responsibleDepartment: j === 1 ? '办公室' : '财务科', responsibleLeader: '陈某某', responsiblePerson: `李某${n % 5}`,
        });
      }
      refreshProblemRollup(ctx, p.id);
    }
  }
  mkdirSync(OUT, { recursive: true });
  const p = h.page;
  p.on('request', (r) => {
    if (r.url().endsWith('/api/invoke')) channels.push((JSON.parse(r.postData() ?? '{}') as { channel: string }).channel);
  });
  // The system print dialog cannot be driven headless: count the calls instead; the printed
  // form itself is rendered by Chromium's print engine with page.pdf() below.
  await p.addInitScript('window.__printed = 0; window.print = () => { window.__printed += 1; };');
  await p.reload();
  await p.getByLabel('用户名').fill('admin');
  await p.getByLabel('密码').fill(PASSWORD);
  await p.getByRole('button', { name: '登录' }).click();
  await p.getByTestId('current-user').waitFor();
}, 90_000);
afterAll(async () => h?.close());

async function go(p: Page, hash: string) {
  await p.evaluate(`window.location.hash = ${JSON.stringify(hash)}`);
}

const printed = (p: Page) => p.evaluate('window.__printed') as Promise<number>;

/** Render the page as Chromium prints it; returns each PDF page's text (pdftotext, layout kept). */
async function printPdf(p: Page, name: string, pngPages: number[]): Promise<string[]> {
  const pdf = join(OUT, `${name}.pdf`);
  writeFileSync(pdf, await p.pdf({ preferCSSPageSize: true, printBackground: true }));
  for (const n of pngPages) execFileSync('pdftoppm', ['-png', '-r', '60', '-f', String(n), '-l', String(n), pdf, join(OUT, `${name}-p${n}`)]);
  return execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f').filter((x) => x.trim() !== '');
}

describe('打印', () => {
  it('Ctrl+P on 问题清单 prints every row of the current filters as an A4-landscape ledger', async () => {
    const p = h.page;
    await go(p, '#/problems');
    await p.getByTestId('problem-table').locator('.ant-table-row').first().waitFor();
    await p.keyboard.press('Control+p');
    const dialog = p.getByTestId('print-dialog');
    await expect.poll(() => dialog.getByLabel('标题').inputValue()).toBe(`${OFFICE}巡视整改问题台账`);
    const engine = listProblems(ctx, { roundId, sort: 'deadline', order: 'asc', limit: 200 });
    expect(engine.nextCursor).toBeNull();
    await expect.poll(() => p.getByTestId('print-what').textContent()).toContain(`共 ${engine.rows.length} 条`);
    await dialog.getByTestId('print-go').click();
    await p.getByTestId('print-ready').waitFor();
    expect(await printed(p)).toBe(1);

    // The printed rows are the engine's, in the list's order, and user text stays text.
    const root = p.getByTestId('print-root');
    const seqs = await root.locator('tbody tr td:first-child').allTextContents();
    expect(seqs).toEqual(engine.rows.map((r) => String(r.seq)));
    await expect.poll(() => root.locator('tbody').textContent()).toContain(XSS);
    expect(await root.locator('img').count()).toBe(0);
    expect(await p.evaluate('window.__xss')).toBeUndefined();

    const pages = await printPdf(p, 'problems', [1, 2]);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    pages.forEach((text, i) => {
      expect(text).toContain('内部资料 注意保存');
      expect(text).toContain(`第${i + 1}页 共${pages.length}页`);
      expect(text).toContain('问题描述'); // the header row, repeated on every page
    });
    expect(pages[0]).toContain(`${OFFICE}巡视整改问题台账`);
    expect(pages[0]).toContain('巡视轮次：某市委第三轮巡察');
    expect(pages[0]).toContain('打印日期：2024年6月15日');
    expect(pages.at(-1)).toMatch(/填报人：\s+审核人：\s+负责人：/);
    // The list under the dialog is not printed, nor the dialog.
    expect(pages.join('')).not.toContain('生成并打印');
    expect(pages.join('')).not.toContain('再次打印');
    expect(pages.join('')).not.toContain('工作台');

    await dialog.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
    await root.waitFor({ state: 'detached' });
  });

  it('the toolbar button prints the task list of a filter, fetched page by page from the engine', async () => {
    const p = h.page;
    await go(p, '#/tasks');
    await p.getByTestId('task-table').locator('.ant-table-row').first().waitFor();
    const engine = listTasks(ctx, { roundId, sort: 'currentDeadline', order: 'asc', limit: 200 });
    const second = listTasks(ctx, { roundId, sort: 'currentDeadline', order: 'asc', limit: 200, cursor: engine.nextCursor });
    const all = [...engine.rows, ...second.rows];
    expect(all.length).toBe(280);
    const before = channels.filter((c) => c === 'tasks:list').length;
    await p.getByTestId('print-list').click();
    const dialog = p.getByTestId('print-dialog');
    await dialog.getByLabel('标题').fill('第三轮巡察整改任务台账（打印稿）');
    await dialog.getByTestId('print-go').click();
    await p.getByTestId('print-ready').waitFor();
    expect(await printed(p)).toBe(2);
    expect(channels.filter((c) => c === 'tasks:list').length - before).toBe(2);
    const seqs = await p.getByTestId('print-root').locator('tbody tr td:first-child').allTextContents();
    expect(seqs).toEqual(all.map((r) => `${r.problemSeq}-${r.seq}`));
    const pages = await printPdf(p, 'tasks', [1]);
    expect(pages[0]).toContain('第三轮巡察整改任务台账（打印稿）');
    expect(pages[0]).toContain('整改措施');
    expect(pages.at(-1)).toContain(`第${pages.length}页 共${pages.length}页`);
    await dialog.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
  });

  it('refuses an empty title on the field and prints nothing', async () => {
    const p = h.page;
    await p.keyboard.press('Control+p');
    const dialog = p.getByTestId('print-dialog');
    await dialog.getByLabel('标题').fill('  ');
    await dialog.getByTestId('print-go').click();
    await dialog.getByText('请填写标题').waitFor();
    expect(await printed(p)).toBe(2);
    expect(await p.getByTestId('print-root').count()).toBe(0);
    await dialog.locator('.ant-modal-footer').getByRole('button', { name: '取消' }).click();
  });

  it('Ctrl+P on another screen prints it as shown, without the navigation', async () => {
    const p = h.page;
    await go(p, '#/home');
    await p.getByTestId('home').waitFor();
    await p.keyboard.press('Control+p');
    await expect.poll(() => printed(p)).toBe(3);
    expect(await p.getByTestId('print-dialog').count()).toBe(0);
    const pages = await printPdf(p, 'home', [1]);
    expect(pages[0]).not.toContain('问题清单'); // the left navigation is not printed
  });

  it('refuses to print 问题线索 and nothing of the clue screen reaches paper', async () => {
    const p = h.page;
    const admin = ctx;
    const id = createUser(admin, { username: 'shenhe', displayName: '赵某', role: 'reviewer', password: PASSWORD }).id;
    // The clue right takes two people: the administrator proposes it, a 负责人 confirms it.
    createUser(admin, { username: 'fuze', displayName: '孙某', role: 'leader', password: PASSWORD });
    confirmClue(h.as(h.user('fuze')), { grantId: grantClue(admin, { userId: id, reason: '承办问题线索处置。' }).id });
    const reviewer = h.as(h.user('shenhe'));
    createClue(reviewer, {
      roundId, unitId: listProblems(ctx, { limit: 1 }).rows[0]!.unitId, subjectName: '钱某某', subjectPost: '某某区第1街道办事处副主任',
      summary: '反映其违规接受宴请。', receivedOn: '2024-03-10', receivingOrgan: 'ccdi',
    });
    await p.getByTestId('current-user').hover();
    await p.getByText('切换用户').click();
    await p.getByLabel('用户名').fill('shenhe');
    await p.getByLabel('密码').fill(PASSWORD);
    await p.getByRole('button', { name: '登录' }).click();
    await go(p, '#/clues');
    await p.getByTestId('clue-table').getByText('钱某某').waitFor();
    const before = await printed(p);
    await p.keyboard.press('Control+p');
    await p.getByText('问题线索属敏感信息，不能从本页打印。').waitFor();
    expect(await printed(p)).toBe(before);
    const pages = await printPdf(p, 'clues', []);
    expect(pages.join('')).not.toContain('钱某某');
  });
});
