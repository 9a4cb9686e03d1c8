/**
 * 起草报告 in Chromium over the real engine: on the 报告 screen an administrator opens 起草报告,
 * generates a 集中整改进展情况报告 of the round, and sees the figures the engine counts (the same
 * as buildDraft's facts and as the aggregates' totals); edits the title and a paragraph; 导出Word
 * writes a .docx (downloaded from the 导出 folder) holding the edited text and not the original;
 * 打印 / 另存为PDF lays the edited draft out for Chromium's print engine: page.pdf gives an A4
 * portrait PDF whose text has the edited title and paragraph and 第N页 共M页 on every page. The
 * drawer passes axe-core; the screenshot, the PDF and its first page as PNG are kept in
 * test-output/report-drafts to be looked at.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../../db/analysis/aggregates.js';
import type { ActingUser, ServiceContext } from '../../db/core/context.js';
import type { ReportDraft } from '../../db/domain/report-draft.js';
import { formatCount, formatPercent } from '../../db/domain/report-text.js';
import { buildDraft } from '../../db/reports/drafts.js';
import { refreshProblemRollup } from '../../db/services/problems.js';
import { unzipEntries } from '../reports/zip.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxTask, fxUnit } from '../helpers/fixtures.js';
import { axeCheckSettled as axeCheck } from './axe.js';
import { startHarness, type Harness } from './harness.js';

const PW = 'qicao-mima-2024';
const OUT = resolve(import.meta.dirname, '..', '..', 'test-output', 'report-drafts');
const WAIT = { timeout: 15_000 };
const EDITED_TITLE = '某某集团系统落实巡视反馈意见整改工作情况汇报（征求意见稿）';
const EDITED_PARAGRAPH = '本段为起草人改写的内容：集团党委先后召开专题会议十二次，逐项研究整改措施，确保件件有着落、事事有回音。';

let h: Harness;
let ctx: ServiceContext;
let roundId: string;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  h = await startHarness({ today: '2024-06-15' });
  const admin: ActingUser = h.setup({
    officeName: '某某集团巡视整改办公室', officeKind: 'inspected_unit', level: 'city', adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: PW,
  });
  ctx = h.as(admin);
  const round = fxRound(ctx, { name: '某省委第三轮巡视' });
  roundId = round.id;
  const cats = ['廉洁风险', '选人用人', '基层党组织建设'].map((n) => categoryId(ctx, n));
  let n = 0;
  for (const [u, name] of ['某某集团有限公司', '某某能源集团有限公司'].entries()) {
    const unit = fxUnit(ctx, { name });
    fxInspection(ctx, { roundId, unitId: unit.id });
    for (let k = 1; k <= 8; k++) {
      n++;
      const p = fxProblem(ctx, {
        unitId: unit.id, roundId, seq: k, categoryId: cats[n % 3]!,
        description: `公务接待审批把关不严，超标准接待问题仍有发生，相关制度执行不到位（第${n}项）。`,
      });
      for (let j = 1; j <= 2; j++) {
        const closed = (n + j) % 3 === 0;
        const longTerm = u === 0 && k === 1 && j === 2;
        fxTask(ctx, {
          problemId: p.id, unitId: unit.id, roundId, seq: j, term: longTerm ? 'long_term' : 'concentrated',
          deadline: longTerm ? '2024-12-31' : `2024-0${3 + ((n + j) % 5)}-30`,
          measures: `针对第${n}项问题修订公务接待管理办法，开展专项检查第${j}轮。`,
          status: closed ? 'closed' : 'in_progress', completedOn: closed ? '2024-04-10' : null,
          responsibleDepartment: '办公室', responsibleLeader: '陈某某', responsiblePerson: '李某',
        });
      }
      refreshProblemRollup(ctx, p.id);
    }
  }
  // The system print dialog cannot be driven headless: count the calls; page.pdf() prints below.
  await h.page.addInitScript('window.__printed = 0; window.print = () => { window.__printed += 1; };');
  await h.page.reload();
}, 90_000);
afterAll(async () => h?.close());

async function logIn(p: Page) {
  await p.locator('input[autocomplete="username"]').fill('admin');
  await p.locator('input[autocomplete="current-password"]').fill(PW);
  await p.locator('button[type="submit"]').click();
  await p.getByTestId('current-user').waitFor();
}

const shot = (p: Page, name: string) => p.screenshot({ path: join(OUT, `${name}.png`) });
/** Text without white space: pdftotext breaks long lines where the page does. */
const flat = (s: string) => s.replace(/\s+/g, '');

describe('起草报告', () => {
  let engine: ReturnType<typeof buildDraft>;

  it('generates a 集中整改进展情况报告 whose figures are the engine\'s', async () => {
    const p = h.page;
    await logIn(p);
    await p.evaluate('window.location.hash = "#/reports"');
    await p.getByTestId('reports').waitFor();
    await p.getByTestId('draft-open').click();
    const drawer = p.getByTestId('draft-drawer');
    await drawer.getByText('选择报告类型和范围，然后点击“生成草稿”。').waitFor();
    expect(await axeCheck(p, '起草报告')).toEqual([]);

    // Keyboard: the kind is a radio group (arrows), the generate button a button (Enter).
    await drawer.getByRole('radio', { name: '集中整改进展情况报告' }).focus();
    expect(await drawer.getByRole('radio', { name: '集中整改进展情况报告' }).isChecked()).toBe(true);
    await drawer.getByTestId('draft-generate').focus();
    await p.keyboard.press('Enter');
    await drawer.getByTestId('draft-editor').waitFor(WAIT);

    engine = buildDraft(ctx, { kind: 'progress', roundId });
    const totals = summarize(ctx, { groupBy: 'unit', roundId }).totals;
    // The draft's facts are the aggregates' totals, and the screen shows them.
    expect(engine.facts.figures).toEqual(totals);
    expect(totals.tasks).toBe(32);
    expect(totals.closed).toBeGreaterThan(0);
    expect(totals.closed).toBeLessThan(totals.tasks);
    const shown = async (key: string) => (await drawer.locator(`[data-figure="${key}"]`).textContent())?.trim();
    expect(await shown('problems')).toBe(formatCount(totals.problems));
    expect(await shown('tasks')).toBe(formatCount(totals.tasks));
    expect(await shown('completed')).toBe(formatCount(totals.completed));
    expect(await shown('open')).toBe(formatCount(totals.tasks - totals.completed));
    expect(await shown('overdue')).toBe(formatCount(totals.overdue));
    expect(await shown('closed')).toBe(formatCount(totals.closed));
    expect(await shown('closeRate')).toBe(formatPercent(totals.closeRate));
    expect(await shown('longTermOpen')).toBe(formatCount(totals.longTermOpen));
    // The editor holds the engine's draft: its title, and the figures table cell for cell.
    expect(await drawer.getByTestId('draft-title').inputValue()).toBe(engine.draft.title);
    const table = engine.draft.sections[0]!.blocks.find((b) => b.type === 'table');
    expect(table).toBeDefined();
    const k = engine.draft.sections[0]!.blocks.indexOf(table!);
    const cells = await drawer.getByTestId(`draft-table-0-${k}`).locator('tbody tr').evaluateAll((rows) =>
      rows.filter((r) => !r.classList.contains('ant-table-measure-row')).map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(cells).toEqual((table as Extract<ReportDraft['sections'][number]['blocks'][number], { type: 'table' }>).rows);
    await shot(p, '1-generated');
  });

  it('edits the title and a paragraph, and 导出Word writes the edited text', async () => {
    const p = h.page;
    const drawer = p.getByTestId('draft-drawer');
    await drawer.getByTestId('draft-title').fill(EDITED_TITLE);
    const para = drawer.locator('.xz-draft-paragraph').first();
    const original = await para.inputValue();
    expect(original.length).toBeGreaterThan(20);
    await para.fill(EDITED_PARAGRAPH);
    await drawer.getByTestId('draft-edited').waitFor();
    expect(await axeCheck(p, '起草报告（草稿）')).toEqual([]);

    await drawer.getByTestId('draft-export').click();
    await drawer.getByTestId('draft-saved').waitFor(WAIT);
    const href = await drawer.getByTestId('file-download').getAttribute('href');
    expect(href).toContain('api/file?path=');
    const file = decodeURIComponent(new URL(href!, 'http://x/').searchParams.get('path')!);
    expect(file.endsWith('.docx')).toBe(true);
    const xml = unzipEntries(readFileSync(file)).get('word/document.xml')!.toString('utf8');
    const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
    expect(text).toContain(EDITED_TITLE);
    expect(text).toContain(EDITED_PARAGRAPH);
    expect(text).not.toContain(engine.draft.title);
    expect(text).not.toContain(original);
    // The figures table as the engine counted it.
    expect(text).toContain(formatPercent(engine.facts.figures.closeRate));
    // The page downloads it.
    expect(await p.evaluate(async (u) => (await fetch(u)).status, href!)).toBe(200);
    await shot(p, '2-exported');
    expect(await axeCheck(p, '起草报告（已导出）')).toEqual([]);
  });

  it('打印 / 另存为PDF lays the edited draft out on A4 pages with 第N页 共M页', async () => {
    const p = h.page;
    const before = await p.evaluate('window.__printed') as number;
    await p.getByTestId('draft-print-button').click();
    await p.getByTestId('draft-print').waitFor({ state: 'attached' });
    await expect.poll(() => p.evaluate('window.__printed')).toBe(before + 1);
    expect(await p.evaluate('document.body.classList.contains("xz-printing")')).toBe(true);

    const pdfPath = join(OUT, 'draft.pdf');
    await p.pdf({ path: pdfPath, preferCSSPageSize: true, printBackground: true });
    const info = execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' });
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    expect(pages).toBeGreaterThan(1);
    // A4 portrait: 595 × 842 pt.
    const [w, hgt] = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(info)!.slice(1).map(Number);
    expect(Math.round(w!)).toBeGreaterThanOrEqual(594);
    expect(Math.round(w!)).toBeLessThanOrEqual(596);
    expect(Math.round(hgt!)).toBeGreaterThanOrEqual(841);
    expect(Math.round(hgt!)).toBeLessThanOrEqual(843);

    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    const byPage = text.split('\f').filter((x) => x.trim());
    expect(byPage.length).toBe(pages);
    expect(flat(text)).toContain(flat(EDITED_TITLE));
    expect(flat(text)).toContain(flat(EDITED_PARAGRAPH));
    expect(flat(text)).not.toContain(flat(engine.draft.title));
    byPage.forEach((pg, k) => expect(flat(pg), `page ${k + 1}`).toContain(`第${k + 1}页共${pages}页`));
    // Only the draft: not the drawer's buttons or the app's navigation.
    expect(text).not.toContain('导出Word');
    expect(text).not.toContain('问题清单');
    // The signature of the draft, not the ledgers' 填报人 lines.
    expect(flat(byPage.at(-1)!)).toContain(flat(engine.draft.signature.issuer));
    expect(text).not.toContain('填报人');

    execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '2', pdfPath, join(OUT, 'page')]);
    await p.emulateMedia({ media: 'screen' });
    await shot(p, '3-printing');
  });
});

describe('起草报告：整改情况公开', () => {
  it('asks before discarding edits, and drafts the internal version with the count of what was left out', async () => {
    const p = h.page;
    const drawer = p.getByTestId('draft-drawer');
    await drawer.locator('label.ant-radio-button-wrapper', { hasText: '整改情况公开' }).click();
    expect(await drawer.getByRole('radio', { name: '整改情况公开' }).isChecked()).toBe(true);
    await drawer.getByTestId('draft-internal').click();
    expect(await drawer.getByTestId('draft-internal').getAttribute('aria-checked')).toBe('true');
    await drawer.getByTestId('draft-generate').click();
    // The draft was edited: nothing is discarded without a yes.
    const confirm = p.getByRole('dialog').filter({ hasText: '重新生成会丢弃对当前草稿的修改' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: '重新生成' }).click();
    await expect.poll(() => drawer.getByTestId('draft-title').inputValue(), WAIT).toBe(buildDraft(ctx, { kind: 'disclosure', roundId, internal: true }).draft.title);
    const internal = buildDraft(ctx, { kind: 'disclosure', roundId, internal: true });
    expect(internal.facts.leftOut).toEqual({ problems: 0, tasks: 0 });
    expect((await drawer.locator('[data-figure="leftOut"]').textContent())?.trim()).toBe('问题0个、任务0项');
    expect(await drawer.locator('.xz-draft-heading').last().inputValue()).toContain('内部说明');
    expect(await axeCheck(p, '起草报告（整改情况公开）')).toEqual([]);
    await shot(p, '4-disclosure');
    // Every string came from the catalogue.
    expect(await p.evaluate('(window.__xzMissingKeys ?? []).filter((k) => k.startsWith("drafts:"))')).toEqual([]);
  });
});
