/**
 * 导出 of the charts and statistics tables (工作台, and the 汇总 charts of 评估与问责) in Chromium
 * over the real engine: the card's 导出 menu (screenshot with the menu open, axe-core), the chart
 * as a PNG (signature, IHDR size, decoded pixels: many colours and the bars' red) and as an .xlsx
 * table read back with ExcelJS whose figures equal the engine's aggregates for the same round;
 * the 各单位法定时限 table and the 问责方式 chart likewise. Screenshots in test-output/chart-export.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountabilityByForm, summarize } from '../../db/analysis/aggregates.js';
import type { ActingUser } from '../../db/core/context.js';
import { insertRow } from '../../db/core/write.js';
import { accountabilityRecords } from '../../db/schema/index.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxTask, fxUnit } from '../helpers/fixtures.js';
import { axeCheckSettled as axeCheck, settle } from './axe.js';
import { startHarness, type Harness } from './harness.js';

const PW = 'tubiao-mima-2024';
const SHOTS = resolve(import.meta.dirname, '..', '..', 'test-output', 'chart-export');
const WAIT = { timeout: 15_000 };
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let h: Harness;
let admin: ActingUser;
let roundId = '';

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  h = await startHarness({ today: '2024-06-15' });
  admin = h.setup({ officeName: '某某省委巡视办', officeKind: 'inspection_office', level: 'province', adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: PW });
  const ctx = h.as(admin);
  const round = fxRound(ctx);
  roundId = round.id;
  const cats = [categoryId(ctx, '违反中央八项规定精神'), categoryId(ctx, '选人用人')];
  // Three units with different close-out rates: 2/3, 1/4, 0/2 (one overdue, one long-term).
  const plan: { name: string; tasks: { status: 'closed' | 'in_progress'; deadline: string; term?: 'long_term' }[] }[] = [
    { name: '某某集团有限公司', tasks: [{ status: 'closed', deadline: '2024-04-30' }, { status: 'closed', deadline: '2024-05-31' }, { status: 'in_progress', deadline: '2024-08-31' }] },
    { name: '某某银行股份有限公司', tasks: [{ status: 'closed', deadline: '2024-04-30' }, { status: 'in_progress', deadline: '2024-05-31' }, { status: 'in_progress', deadline: '2024-09-30' }, { status: 'in_progress', deadline: '2025-12-31', term: 'long_term' }] },
    { name: '某某大学', tasks: [{ status: 'in_progress', deadline: '2024-03-31' }, { status: 'in_progress', deadline: '2024-10-31' }] },
  ];
  let seq = 0;
  for (const u of plan) {
    const unit = fxUnit(ctx, { name: u.name });
    const { inspection, feedback } = fxInspection(ctx, { roundId, unitId: unit.id, feedbackDate: '2024-01-31' });
    u.tasks.forEach((t, k) => {
      const problem = fxProblem(ctx, { roundId, unitId: unit.id, inspectionId: inspection.id, feedbackId: feedback.id, categoryId: cats[k % 2]!, seq: ++seq });
      fxTask(ctx, { problemId: problem.id, unitId: unit.id, roundId, deadline: t.deadline, status: t.status, term: t.term ?? 'concentrated' });
    });
  }
  const unitId = (h.ledger.sqlite.prepare('SELECT id FROM units WHERE name = ?').get('某某集团有限公司') as { id: string }).id;
  for (const [personName, form] of [['张某', 'talk_reminder'], ['李某', 'talk_reminder'], ['赵某', 'circular']] as const) {
    insertRow(ctx, accountabilityRecords, { roundId, unitId, personName, post: '处长', reason: 'perfunctory', form, decidedOn: '2024-06-01' });
  }
  await h.page.reload();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

async function logIn(p: Page) {
  await p.locator('input[autocomplete="username"]').fill('admin');
  await p.locator('input[autocomplete="current-password"]').fill(PW);
  await p.locator('button[type="submit"]').click();
  await p.getByTestId('current-user').getByText('王某某').waitFor();
}

/** Open the card's 导出 menu, choose an item, and return the saved file's path from the download link. */
async function exportVia(p: Page, button: Locator, item: '导出图片（PNG）' | '导出表格（Excel）'): Promise<string> {
  await button.click();
  await p.getByRole('menuitem', { name: item }).click();
  const done = p.getByTestId('figure-export-done');
  await done.waitFor(WAIT);
  const href = await done.getByTestId('file-download').getAttribute('href');
  const path = new URL(href!, 'http://x/').searchParams.get('path')!;
  expect(path).toContain('导出');
  return path;
}

async function closeDone(p: Page) {
  await p.getByRole('dialog').getByRole('button', { name: '关闭', exact: true }).last().click();
  await p.getByTestId('figure-export-done').waitFor({ state: 'detached' });
}

/** The data rows under the header row whose first cell is `head`, as plain values. */
async function sheetRows(path: string, head: string): Promise<{ header: unknown[]; rows: unknown[][]; above: string[] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.worksheets[0]!;
  const all: unknown[][] = [];
  ws.eachRow({ includeEmpty: true }, (r) => all.push((r.values as unknown[]).slice(1)));
  const at = all.findIndex((r) => r[0] === head);
  expect(at, `header row starting with ${head}`).toBeGreaterThan(0);
  return { header: all[at]!, rows: all.slice(at + 1), above: all.slice(0, at).map((r) => String(r[0] ?? '')) };
}

/**
 * A PNG's size and pixels, decoded here (8-bit RGBA, not interlaced: what a canvas writes): the
 * IDAT chunks inflated and each scanline's filter undone (PNG spec §9).
 */
function readPng(path: string) {
  const bytes = readFileSync(path);
  expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  expect([bytes[24], bytes[25], bytes[28]]).toEqual([8, 6, 0]); // depth 8, RGBA, not interlaced
  const idat: Buffer[] = [];
  for (let at = 8; at < bytes.length;) {
    const len = bytes.readUInt32BE(at);
    if (bytes.subarray(at + 4, at + 8).toString('latin1') === 'IDAT') idat.push(bytes.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  expect(raw.length).toBe(height * (stride + 1));
  const px = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= 4 ? px[y * stride + x - 4]! : 0;
      const b = y > 0 ? px[(y - 1) * stride + x]! : 0;
      const c = x >= 4 && y > 0 ? px[(y - 1) * stride + x - 4]! : 0;
      const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter]!;
      px[y * stride + x] = (v + pred) & 0xff;
    }
  }
  const colours = new Set<number>();
  let red = 0;
  for (let i = 0; i < px.length; i += 4) {
    const [r, g, b] = [px[i]!, px[i + 1]!, px[i + 2]!];
    colours.add((r << 16) | (g << 8) | b);
    if (r === 0xa8 && g === 0x07 && b === 0x1a) red++;
  }
  return { width, height, colours: colours.size, red, corner: [...px.subarray(0, 4)], bytes: bytes.length };
}

describe('导出 of charts and statistics tables', () => {
  it('exports the 各单位销号率 chart of 工作台 as PNG and as a table with the engine\'s figures', async () => {
    const p = h.page;
    await logIn(p);
    const card = p.getByTestId('home-by-unit');
    await card.locator('svg').first().waitFor(WAIT);
    const button = p.getByTestId('figure-export-home-by-unit');
    await expect(button.getAttribute('aria-label')).resolves.toBe('导出：各单位销号率');

    // The menu, open, looked at and checked by axe.
    await card.scrollIntoViewIfNeeded();
    await button.click();
    await p.getByRole('menuitem', { name: '导出图片（PNG）' }).waitFor();
    await p.getByRole('menuitem', { name: '导出表格（Excel）' }).waitFor();
    await settle(p);
    const box = (await card.boundingBox())!;
    const menu = (await p.locator('.ant-dropdown:visible').boundingBox())!;
    const right = Math.max(box.x + box.width, menu.x + menu.width) + 8;
    await p.screenshot({ path: join(SHOTS, '1-home-menu.png'), clip: { x: box.x, y: box.y, width: right - box.x, height: Math.min(box.height, 300) } });
    expect(await axeCheck(p, '工作台 导出菜单')).toEqual([]);
    await p.keyboard.press('Escape');
    await p.getByRole('menuitem', { name: '导出图片（PNG）' }).waitFor({ state: 'hidden' });

    // PNG: twice the chart's pixels (plus the title band), white, with the bars' red.
    const chartBox = (await card.locator('.echarts-for-react').boundingBox())!;
    const pngPath = await exportVia(p, button, '导出图片（PNG）');
    await p.getByRole('dialog').getByText('已导出图片“各单位销号率”。').waitFor();
    await p.screenshot({ path: join(SHOTS, '2-home-png-done.png') });
    expect(await axeCheck(p, '工作台 已导出图片')).toEqual([]);
    copyFileSync(pngPath, join(SHOTS, 'exported-home-by-unit.png'));
    const png = readPng(pngPath);
    expect(png.width).toBe(Math.round(chartBox.width) * 2);
    expect(png.height).toBe((Math.round(chartBox.height) + 40) * 2);
    expect(png.corner).toEqual([255, 255, 255, 255]);
    expect(png.colours).toBeGreaterThan(20);
    expect(png.red).toBeGreaterThan(500);
    await closeDone(p);

    // The table: one row per unit, the engine's counts and its 销号率 as the chart shows it.
    const xlsxPath = await exportVia(p, button, '导出表格（Excel）');
    await p.getByRole('dialog').getByText('已导出表格“各单位销号率”，共 3 行。').waitFor();
    await closeDone(p);
    const sheet = await sheetRows(xlsxPath, '被巡视单位');
    expect(sheet.header).toEqual(['被巡视单位', '问题', '整改任务', '已销号', '逾期任务', '长期任务未完成', '销号率（%）']);
    expect(sheet.above).toEqual(['各单位销号率', '巡视轮次：某省委第一轮巡视', '导出日期：2024年6月15日']);
    const engine = summarize(h.as(admin), { groupBy: 'unit', roundId });
    expect(engine.rows).toHaveLength(3);
    expect(sheet.rows).toEqual(engine.rows.map((r) => [r.label, r.problems, r.tasks, r.closed, r.overdue, r.longTermOpen, Math.round((r.closeRate ?? 0) * 1000) / 10]));
    // What the fixtures say, so the comparison is not of two empty lists.
    expect(Object.fromEntries(engine.rows.map((r) => [r.label, [r.tasks, r.closed, r.overdue, r.longTermOpen]]))).toEqual({
      某某集团有限公司: [3, 2, 0, 0], 某某银行股份有限公司: [4, 1, 1, 1], 某某大学: [2, 0, 1, 0],
    });
    // The bars' labels on screen are those numbers.
    const labels = await card.locator('svg text').allTextContents();
    for (const r of engine.rows) expect(labels).toContain(`${Math.round((r.closeRate ?? 0) * 1000) / 10}%`);
  });

  it('exports the 各单位法定时限 table of 工作台 (no PNG for a table)', async () => {
    const p = h.page;
    const button = p.getByTestId('figure-export-home-clocks');
    await button.click();
    await p.getByRole('menuitem', { name: '导出表格（Excel）' }).waitFor();
    expect(await p.getByRole('menuitem', { name: '导出图片（PNG）' }).count()).toBe(0);
    await p.keyboard.press('Escape');
    const path = await exportVia(p, button, '导出表格（Excel）');
    await closeDone(p);
    const sheet = await sheetRows(path, '被巡视单位');
    expect(sheet.rows.map((r) => r[0]).sort()).toEqual(['某某大学', '某某银行股份有限公司', '某某集团有限公司'].sort());
    expect(sheet.header.slice(-4)).toEqual(['任务：逾期', '任务：临期', '任务：正常', '任务：已完成']);
  });

  it('exports the 问责方式 chart of 评估与问责 with the engine\'s counts', async () => {
    const p = h.page;
    await p.evaluate('window.location.hash = "#/ratings"');
    const chart = p.getByTestId('chart-forms');
    await chart.locator('svg').first().waitFor(WAIT);
    const button = p.getByTestId('figure-export-chart-forms');
    const formsPng = await exportVia(p, button, '导出图片（PNG）');
    copyFileSync(formsPng, join(SHOTS, 'exported-chart-forms.png'));
    const png = readPng(formsPng);
    expect(png.colours).toBeGreaterThan(20);
    expect(png.red).toBeGreaterThan(100);
    await closeDone(p);

    const path = await exportVia(p, button, '导出表格（Excel）');
    await settle(p);
    await p.screenshot({ path: join(SHOTS, '3-ratings-xlsx-done.png') });
    await closeDone(p);
    const sheet = await sheetRows(path, '问责方式');
    const engine = accountabilityByForm(h.as(admin), { roundId });
    expect(engine.totals.total).toBe(3);
    expect(sheet.header).toEqual(['问责方式', '人次']);
    const byLabel = Object.fromEntries(sheet.rows.map((r) => [r[0], r[1]]));
    for (const c of engine.categories) expect(byLabel[c.label]).toBe(engine.totals.counts[c.code]);
    expect(byLabel['合计']).toBe(engine.totals.total);
    expect(sheet.rows).toHaveLength(engine.categories.length + 1);
  });
});
