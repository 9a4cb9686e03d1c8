/**
 * 法定台账 in Chromium over the real engine: each statutory ledger is previewed as laid-out pages,
 * 打印 opens the print dialog, and Chromium's print engine renders the same pages
 * (page.pdf with the CSS page size): the header row and the marking on every page, 第N页 共M页,
 * the title, round and date, a problem whose task rows cross a page break continuing on the next
 * page with its cells repeated （续）, every task row once, A3 on request; the unit summary equal to
 * the engine's 汇总; the clue ledger only for a user with the clue right, after a confirmation,
 * marked 机密, each printing in the audit trail. PDFs and page images in test-output/statutory-print/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../../db/analysis/aggregates.js';
import type { ActingUser, ServiceContext } from '../../db/core/context.js';
import { createActivity } from '../../db/services/activities.js';
import { createClue, disposeClue } from '../../db/services/clues.js';
import { createUser } from '../../db/services/office.js';
import { refreshProblemRollup } from '../../db/services/problems.js';
import { confirmClue, grantClue } from '../../db/services/rights.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxTask, fxUnit } from '../helpers/fixtures.js';
import { axeCheckSettled } from './axe.js';
import { SHOTS_DIR, startHarness, type Harness } from './harness.js';

const PASSWORD = 'mima-2024-fading';
const OFFICE = '某市委巡察整改工作领导小组办公室';
const OUT = join(SHOTS_DIR, '..', 'statutory-print');
/** The problem whose 24 tasks cannot fit on one page. */
const BIG = { seq: 3, description: '重点问题甲', tasks: 24 };

let h: Harness;
let ctx: ServiceContext;
let roundId: string;
const unitIds: string[] = [];
const measures: string[] = [];

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
  // The third unit is large: 200 problems with 3 tasks each (600 rows, some 40 pages).
  for (let u = 0; u < 3; u++) {
    const unit = fxUnit(ctx, { name: `某某区第${u + 1}街道办事处` });
    unitIds.push(unit.id);
    fxInspection(ctx, { roundId, unitId: unit.id });
    for (let k = 1; k <= [12, 4, 200][u]!; k++) {
      const big = u === 0 && k === BIG.seq;
      const p = fxProblem(ctx, {
        unitId: unit.id, roundId, seq: k, categoryId: cats[k % 3]!,
        description: big ? BIG.description : `公务接待审批把关不严，超标准接待问题仍有发生，相关制度执行不到位（第${u + 1}-${k}项）。`,
      });
      const n = big ? BIG.tasks : u === 2 ? 3 : 1 + (k % 3);
      for (let j = 1; j <= n; j++) {
        const m = `M${u + 1}-${k}-${j}号措施`;
        measures.push(m);
        // Rows of one to six lines (wrapped text, a line break), so that the page cut rests on
        // measured heights.
        const more = (k + j) % 4 === 0 ? `：${'健全制度、压实责任、强化监督检查，'.repeat(1 + (k % 5))}` : '';
        const step = (k + j) % 7 === 0 ? '\n第二步：开展专项检查。' : '';
        fxTask(ctx, {
          problemId: p.id, unitId: unit.id, roundId, seq: j, deadline: `2024-${String(3 + ((k + j) % 9)).padStart(2, '0')}-15`,
          measures: m + more + step, status: (k + j) % 5 === 0 ? 'closed' : 'in_progress', completedOn: (k + j) % 5 === 0 ? '2024-05-10' : null,
          responsibleDepartment: j % 2 ? '办公室' : '财务科', responsibleLeader: '陈某某', responsiblePerson: `李某${j % 5}`,
          remark: j % 4 === 0 ? '已建立长效机制，持续跟踪。' : null,
        });
      }
      refreshProblemRollup(ctx, p.id);
    }
  }
  createActivity(ctx, {
    roundId, unitId: unitIds[0], kind: 'site_inspection', activityDate: '2024-04-20', title: '现场检查整改落实情况',
    participants: '张某某、李某', findings: '部分整改措施落实不到位，佐证材料不完整。', problemIds: [],
  });
  createActivity(ctx, { roundId, unitId: unitIds[1], kind: 'feedback_meeting', activityDate: '2024-02-01', title: '参加巡察反馈会议', participants: '张某某', findings: null, problemIds: [] });
  // The clue right takes two people: the administrator proposes it, a 负责人 confirms it.
  const id = createUser(ctx, { username: 'shenhe', displayName: '赵某', role: 'reviewer', password: PASSWORD }).id;
  createUser(ctx, { username: 'fuze', displayName: '孙某', role: 'leader', password: PASSWORD });
  confirmClue(h.as(h.user('fuze')), { grantId: grantClue(ctx, { userId: id, reason: '承办问题线索处置。' }).id });
  const reviewer = h.as(h.user('shenhe'));
  for (const [name, way] of [['钱某某', 'talk_inquiry'], ['孙某某', 'preliminary_verification']] as const) {
    const c = createClue(reviewer, { roundId, unitId: unitIds[0], subjectName: name, subjectPost: '某某区第1街道办事处副主任', summary: '反映其违规接受宴请。', receivedOn: '2024-03-10', receivingOrgan: 'ccdi' });
    disposeClue(reviewer, { clueId: c.id, way, decidedOn: '2024-03-20', note: '经研究，按规定处置。', letterSentOn: null });
  }
  mkdirSync(OUT, { recursive: true });
  const p = h.page;
  // The system print dialog cannot be driven headless: count the calls; page.pdf() renders instead.
  await p.addInitScript('window.__printed = 0; window.print = () => { window.__printed += 1; };');
  await p.reload();
  await logIn(p, 'admin');
}, 90_000);
afterAll(async () => h?.close());

async function logIn(p: Page, username: string) {
  if (await p.getByTestId('current-user').count()) {
    await p.getByTestId('current-user').hover();
    await p.getByText('切换用户').click();
  }
  await p.getByLabel('用户名').fill(username);
  await p.getByLabel('密码').fill(PASSWORD);
  await p.getByRole('button', { name: '登录' }).click();
  await p.getByTestId('current-user').waitFor();
}

const printed = (p: Page) => p.evaluate('window.__printed') as Promise<number>;

/** Render the page as Chromium prints it; each PDF page's text (pdftotext, layout kept). */
async function printPdf(p: Page, name: string, pngPages: number[]): Promise<{ pages: string[]; info: string; ms: number }> {
  const pdf = join(OUT, `${name}.pdf`);
  const t0 = Date.now();
  writeFileSync(pdf, await p.pdf({ preferCSSPageSize: true, printBackground: true }));
  const ms = Date.now() - t0;
  for (const n of pngPages) execFileSync('pdftoppm', ['-png', '-r', '70', '-f', String(n), '-l', String(n), pdf, join(OUT, `${name}-p${n}`)]);
  const pages = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f').filter((x) => x.trim() !== '');
  return { pages, info: execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }), ms };
}

async function choose(p: Page, label: string, option: string) {
  const open = p.locator('.ant-select-dropdown:visible');
  await expect.poll(() => open.count(), { timeout: 5000 }).toBe(0);
  await p.getByTestId('ledgers').getByLabel(label, { exact: true }).click();
  await expect.poll(() => open.count(), { timeout: 5000 }).toBe(1);
  await open.getByTitle(option, { exact: true }).first().click();
  await expect.poll(() => open.count(), { timeout: 5000 }).toBe(0);
}

/** 生成预览 and wait for the sheets; the number of pages the preview shows. */
async function preview(p: Page): Promise<number> {
  const t0 = Date.now();
  await p.getByTestId('ledger-preview-go').click();
  await p.getByTestId('ledger-pages').waitFor();
  const n = await p.getByTestId('ledger-sheet').count();
  console.log(`preview: ${n} pages in ${Date.now() - t0} ms`);
  return n;
}

const count = (s: string, sub: string) => s.split(sub).length - 1;

describe('法定台账', () => {
  it('the screen is in the navigation, usable by keyboard and without serious axe findings', async () => {
    const p = h.page;
    await p.getByRole('menuitem', { name: '法定台账' }).click();
    await p.getByTestId('ledgers').waitFor();
    // The administrator has no clue right: the clue ledger is not offered.
    await p.getByTestId('ledgers').getByLabel('台账种类', { exact: true }).click();
    const open = p.locator('.ant-select-dropdown:visible');
    await open.getByTitle('单位整改情况汇总表').waitFor();
    expect(await open.getByTitle('问题线索处置台账').count()).toBe(0);
    await p.keyboard.press('Escape');
    expect(await axeCheckSettled(p, '法定台账')).toEqual([]);
    await h.shot('ledgers-empty');
  });

  it('巡视整改台账: the pages of the preview are the printed pages; header, marking and 第N页 共M页 on each; a problem cut by a page break continues （续）', async () => {
    const p = h.page;
    const n = await preview(p);
    expect(n).toBeGreaterThanOrEqual(3);
    await expect.poll(() => p.getByTestId('ledger-pages').textContent()).toContain(`共 ${n} 页（A4 横向），${measures.length} 行`);
    await p.getByTestId('ledger-print').click();
    expect(await printed(p)).toBe(1);
    // 另存为PDF: the browser preview's shell cannot render a PDF itself, so the print dialog opens.
    await p.getByTestId('ledger-pdf').click();
    await p.getByText('已打开打印对话框：请在“目标打印机”中选择“另存为PDF”。').waitFor();
    expect(await printed(p)).toBe(2);
    const { pages, info, ms } = await printPdf(p, 'rectification', [1, 2, 3]);
    console.log(`rectification: ${measures.length} rows, ${pages.length} PDF pages in ${ms} ms`);
    expect(info).toMatch(/Page size:\s+841\.\d+ x 59\d\.\d+ pts \(A4\)/);
    // The app's own page cut is the print engine's: as many pages, no row pushed over.
    expect(pages.length).toBe(n);
    pages.forEach((text, i) => {
      expect(text, `page ${i + 1}`).toContain(`第${i + 1}页 共${pages.length}页`);
      expect(count(text, '内部资料 注意保存'), `page ${i + 1}: marking in header and footer`).toBe(2);
      // The signature block may not fit under the last table: then it has the last page to itself.
      if (i === pages.length - 1 && !/M\d+-/.test(text)) return expect(text).toMatch(/填报人：\s+审核人：\s+负责人：/);
      for (const head of ['序号', '问题类别', '问题描述', '整改措施', '责任领导', '整改时限', '整改进展', '完成情况', '佐证材料', '销号情况', '备注']) expect(text, `page ${i + 1}: ${head}`).toContain(head);
    });
    expect(pages[0]).toContain(`${OFFICE}巡视整改台账`);
    expect(pages[0]).toContain('巡视轮次：某市委第三轮巡察');
    expect(pages[0]).toContain('填报日期：2024年6月15日');
    expect(pages.at(-1)).toMatch(/填报人：\s+审核人：\s+负责人：/);
    // Every task row exactly once.
    const all = pages.join('\n');
    for (const m of measures) expect(count(all, m), m).toBe(1);
    // The big problem's rows fall on two or more pages; on every page after its first, its cells
    // are there again marked （续）, and its first page has them without the mark.
    const on = (k: number) => pages.findIndex((x) => x.includes(`M1-${BIG.seq}-${k}号措施`));
    const first = on(1);
    const last = on(BIG.tasks);
    expect(last).toBeGreaterThan(first);
    expect(pages[first]).toContain(BIG.description);
    expect(pages[first]).not.toContain(`（续）${BIG.description}`);
    for (let i = first + 1; i <= last; i++) expect(pages[i], `page ${i + 1}`).toContain(`（续）${BIG.description}`);
    console.log(`the ${BIG.tasks}-task problem runs from page ${first + 1} to page ${last + 1}`);
    // The second unit starts its own page under its caption.
    const second = pages.findIndex((x) => x.includes('被巡视单位：某某区第2街道办事处'));
    expect(second).toBeGreaterThan(0);
    expect(pages[second - 1]).not.toContain('M2-');
    expect(pages.length).toBeGreaterThan(30);
    // Nothing of the screen on paper.
    expect(all).not.toContain('生成预览');
    expect(all).not.toContain('工作台');
    await p.getByTestId('ledger-preview').focus();
    await h.shot('ledgers-rectification');
    expect(await axeCheckSettled(p, '法定台账（预览）')).toEqual([]);
  });

  it('prints one unit on A3 landscape, fewer pages, titled after the unit', async () => {
    const p = h.page;
    await choose(p, '被巡视单位', '某某区第1街道办事处');
    await p.getByTestId('ledgers').getByLabel('A3').check();
    const n = await preview(p);
    const { pages, info } = await printPdf(p, 'rectification-a3', [1]);
    expect(info).toMatch(/Page size:\s+119\d\.\d+ x 84\d\.\d+ pts \(A3\)/);
    expect(pages.length).toBe(n);
    expect(pages[0]).toContain('某某区第1街道办事处巡视整改台账');
    expect(pages.join('')).not.toContain('M2-');
    pages.forEach((text, i) => expect(text).toContain(`第${i + 1}页 共${n}页`));
    await p.getByTestId('ledgers').getByLabel('A4').check();
    await p.getByTestId('ledgers').getByLabel('被巡视单位', { exact: true }).hover();
    await p.getByTestId('ledgers').locator('.ant-select-clear').first().click();
  });

  it('整改监督台账 lists the supervision activities; Ctrl+P prints the laid-out ledger', async () => {
    const p = h.page;
    await choose(p, '台账种类', '整改监督台账');
    await preview(p);
    const before = await printed(p);
    await p.keyboard.press('Control+p');
    await expect.poll(() => printed(p)).toBe(before + 1);
    const { pages } = await printPdf(p, 'supervision', [1]);
    expect(pages[0]).toContain(`${OFFICE}整改监督台账`);
    expect(pages[0]).toContain('发现的问题和意见');
    expect(pages[0]).toContain('现场检查整改');
    expect(pages[0]).toContain('2024年2月1日');
    expect(pages[0]).toContain('2024年4月20日');
    expect(pages[0]).toContain('第1页 共1页');
  });

  it('单位整改情况汇总表 shows the engine’s 汇总 figures per unit and in total', async () => {
    const p = h.page;
    await choose(p, '台账种类', '单位整改情况汇总表');
    await preview(p);
    const engine = summarize(ctx, { groupBy: 'unit', roundId });
    const rows = await p.getByTestId('ledger-print-root').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    const pct = (r: number | null) => (r === null ? '—' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`);
    const fig = (r: typeof engine.totals) => [r.problems, r.tasks, r.completed, r.closed].map(String).concat(pct(r.closeRate), String(r.overdue), String(r.longTermOpen));
    expect(rows).toEqual([
      ...engine.rows.map((r, i) => [String(i + 1), r.label, ...fig(r)]),
      ['', '合计', ...fig(engine.totals)],
    ]);
    expect(engine.totals.tasks).toBe(measures.length);
    const { pages } = await printPdf(p, 'summary', [1]);
    expect(pages[0]).toContain('单位整改情况汇总表');
    expect(pages[0]).toMatch(/合计\s+216\s+/);
    await h.shot('ledgers-summary');
  });

  it('问题线索处置台账: only with the clue right, only after the confirmation, marked 机密, each printing audited', async () => {
    const p = h.page;
    await logIn(p, 'shenhe');
    await p.evaluate('window.location.hash = "#/ledgers"');
    await choose(p, '台账种类', '问题线索处置台账');
    await p.getByTestId('sensitive-banner').waitFor();
    const audits = () => (h.ledger.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE entity = 'clues' AND action = 'print'").get() as { n: number }).n;
    const before = { printed: await printed(p), audits: audits() };
    // Ctrl+P does not print it.
    await p.keyboard.press('Control+p');
    await p.getByText('问题线索处置台账须点击“确认并打印”，经确认后打印。').waitFor();
    // Cancelling the confirmation prints nothing and writes nothing.
    await p.getByTestId('ledger-print-clues').click();
    const dialog = p.getByRole('dialog', { name: '打印问题线索处置台账' });
    await dialog.getByText('本次打印将以您的名义记入审计记录').waitFor();
    expect(await axeCheckSettled(p, '法定台账（线索确认）')).toEqual([]);
    await dialog.getByRole('button', { name: '取消' }).click();
    expect({ printed: await printed(p), audits: audits() }).toEqual(before);
    expect(await p.getByTestId('ledger-sheet').count()).toBe(0);
    // Confirmed: one audit entry, then the print dialog.
    await p.getByTestId('ledger-print-clues').click();
    await dialog.getByRole('button', { name: '确认打印' }).click();
    await expect.poll(() => printed(p)).toBe(before.printed + 1);
    expect(audits()).toBe(before.audits + 1);
    const { pages } = await printPdf(p, 'clues', [1]);
    pages.forEach((text, i) => {
      expect(count(text, '机密 严禁复制、外传'), `page ${i + 1}`).toBe(2);
      expect(text).toContain(`第${i + 1}页 共${pages.length}页`);
    });
    expect(pages[0]).toContain(`${OFFICE}问题线索处置台账`);
    expect(pages[0]).toContain('钱某某');
    expect(pages[0]).toContain('谈话函询');
    expect(pages[0]).not.toContain('内部资料 注意保存');
    await h.shot('ledgers-clues');
    // Printing again is confirmed and audited again.
    await p.getByTestId('ledger-print-clues').click();
    await dialog.getByRole('button', { name: '确认打印' }).click();
    await expect.poll(() => printed(p)).toBe(before.printed + 2);
    expect(audits()).toBe(before.audits + 2);
  });
});
