/**
 * Excel 导入导出 in Chromium over the real engine: a 录入员 picks an office's old workbook (title
 * rows, 填报日期, merged problem cells, a bad deadline, a category the ledger lacks (a 录入员 may not
 * add one), note and signature rows, and a second sheet
 * whose header the importer cannot understand); the dry run lists the problems, the bad rows with
 * its sheet, row, column and reason, and the skipped rows, and writes nothing; the second sheet's
 * columns are mapped by hand (and the mapping saved: a later workbook with the same header takes
 * it by itself); the import waits for 跳过有误的行 and a confirmation, then creates exactly what
 * the dry run said; the same workbook again imports nothing; a file that is not a workbook is
 * refused in zh-CN with the ledger unchanged; 导出台账 writes the statutory .xlsx, which reads back,
 * and which the importer finds wholly in the ledger; 导出 of the problem list writes its rows.
 * axe-core on each step; screenshots in test-output/excel.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActingUser } from '../../db/core/context.js';
import { createUser } from '../../db/services/office.js';
import { HEAD, TITLE, xlsx } from '../helpers/workbooks.js';
import { axeCheckSettled as axeCheck } from './axe.js';
import { startHarness, type Harness } from './harness.js';

const PW = 'daoru-mima-2024';
const SHOTS = resolve(import.meta.dirname, '..', '..', 'test-output', 'excel');
const WAIT = { timeout: 15_000 };

let h: Harness;
let admin: ActingUser;
const files = { book: '', again: '', junk: '' };

const MAIN_SHEET = [
  [TITLE],
  ['填报单位：某某集团有限公司', null, null, null, null, null, null, null, null, null, null, null, '填报日期：2024年6月10日'],
  HEAD,
  [1, '基层党组织建设', '学习贯彻党的二十大精神不够深入', '制定专题学习计划', '张某某', '党委办公室', '李某', '2024年6月30日', '已制定计划', null, null, null, null],
  [null, null, null, '开展专题研讨', '张某某', '党委办公室', '王某', '2024年9月底前', null, null, null, null, null],
  [2, '违反中央八项规定精神', '公务接待超标准问题仍有发生', '修订公务接待管理办法', '赵某某', '办公室', '钱某', '长期坚持', null, null, null, null, null],
  [3, '选人用人', '干部档案管理不规范', '全面清理干部档案', '孙某某', '组织部', '周某', '尽快', null, null, null, null, null],
  // not one of the ledger's categories, and a 录入员 may not add categories (设置, 管理员)
  [4, '党的政治建设', '理论学习中心组学习不规范', '修订学习制度', '张某某', '党委办公室', '李某', '2024年8月31日', null, null, null, null, null],
  ['注：整改时限以党委批准的方案为准。'],
  ['填表人：李某', null, null, '审核人：张某某'],
];
/** A sheet whose header uses words no one else does: found by nobody, mapped by hand. */
const ODD_HEAD = ['编号', '事项', '怎么改', '盯办人', '期限'];
const ODD_SHEET = [ODD_HEAD, [1, '食堂采购未公开招标', '规范食堂采购流程', '吴某', '2024年8月31日'], [2, '车辆使用登记不全', '完善公务用车登记', '郑某', '2024年7月31日']];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  h = await startHarness({ today: '2024-06-15' });
  admin = h.setup({ officeName: '某某集团巡视整改办公室', officeKind: 'inspected_unit', level: 'city', adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: PW });
  createUser(h.as(admin), { username: 'luru', displayName: '李某', role: 'entry', canViewClues: false, password: PW });
  files.book = join(h.dir, '某某集团整改台账.xlsx');
  writeFileSync(files.book, await xlsx([{ name: '某某集团', rows: MAIN_SHEET, merges: ['A4:A5', 'B4:B5', 'C4:C5'] }, { name: '某某分公司', rows: ODD_SHEET }]));
  files.again = join(h.dir, '某某分公司第二季度.xlsx');
  writeFileSync(files.again, await xlsx([{ name: '某某分公司', rows: [ODD_HEAD, [1, '会议记录不完整', '规范会议记录', '吴某', '2024年9月30日']] }]));
  files.junk = join(h.dir, '台账.xlsx');
  writeFileSync(files.junk, 'this is not a workbook at all, just text saved with the wrong name');
  await h.page.reload();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

async function logIn(p: Page, username: string, name: string) {
  await p.locator('input[autocomplete="username"]').fill(username);
  await p.locator('input[autocomplete="current-password"]').fill(PW);
  await p.locator('button[type="submit"]').click();
  await p.getByTestId('current-user').getByText(name).waitFor();
}

const shot = (p: Page, name: string) => p.screenshot({ path: join(SHOTS, `${name}.png`) });
const count = (table: string) => (h.ledger.sqlite.prepare(`SELECT count(*) AS n FROM ${table} WHERE deleted_at IS NULL`).get() as { n: number }).n;
const pick = (p: Page, file: string) => p.getByTestId('excel-pick').locator('input[type="file"]').setInputFiles(file);

describe('Excel 导入导出', () => {
  it('a 录入员 previews a workbook, maps a sheet by hand, and imports all but the bad row', async () => {
    const p = h.page;
    await logIn(p, 'luru', '李某');
    await p.getByRole('menuitem', { name: 'Excel导入导出' }).click();
    await p.getByTestId('excel-pick').waitFor();
    expect(await axeCheck(p, 'Excel导入')).toEqual([]);

    // Not a workbook: refused in zh-CN, nothing written.
    const before = { problems: count('problems'), tasks: count('tasks') };
    await pick(p, files.junk);
    await p.getByTestId('excel-problem').getByText('该文件不是 Excel 工作簿（.xlsx/.xls）或 CSV 文件。').waitFor(WAIT);
    expect({ problems: count('problems'), tasks: count('tasks') }).toEqual(before);

    await pick(p, files.book);
    await p.getByTestId('excel-preview').waitFor(WAIT);
    // The dry run: 3 problems of which one has the bad deadline; the odd sheet not understood.
    await expect.poll(() => p.getByTestId('excel-summary').textContent(), WAIT).toContain('将新建 2 个问题、3 项整改任务');
    const errors = p.getByTestId('excel-errors');
    await errors.getByText('尽快').first().waitFor();
    expect(await errors.textContent()).toContain('某某集团');
    expect(await errors.textContent()).toContain('未找到表头行');
    expect(await errors.textContent()).toContain('问题类别“党的政治建设”不是台账中的类别');
    expect(count('problems')).toBe(before.problems); // a dry run writes nothing
    expect(await p.getByTestId('excel-run').isDisabled()).toBe(true);
    await shot(p, '1-preview');
    expect(await axeCheck(p, 'Excel导入预览')).toEqual([]);

    // Map the odd sheet by hand, keyboard and mouse, and save the mapping.
    await p.getByRole('button', { name: '调整列对应：某某分公司' }).click();
    const dlg = p.getByTestId('excel-mapping');
    await dlg.waitFor();
    await dlg.getByLabel('表头所在行').fill('1');
    for (const [field, col] of [['问题描述', 'B'], ['整改措施', 'C'], ['责任人', 'D'], ['整改时限', 'E']] as const) {
      await dlg.getByLabel(field, { exact: true }).click();
      await p.locator('.ant-select-dropdown:visible').getByText(new RegExp(`^第${col}列`)).click();
    }
    await dlg.getByLabel('名称（如：某某集团季度台账）').fill('分公司台账');
    await dlg.getByTestId('excel-mapping-save').click();
    await p.getByText('已保存列对应关系“分公司台账”').first().waitFor();
    await shot(p, '2-mapping');
    expect(await axeCheck(p, '调整列对应')).toEqual([]);
    await p.getByRole('button', { name: '按新设置重新检查' }).last().click();
    // Read now, but the odd sheet has no 问题类别: each of its problems asks for a default category.
    await expect.poll(() => p.getByTestId('excel-summary').textContent(), WAIT).toContain('有误的行 4 处');
    expect(await errors.textContent()).toContain('没有问题类别');

    // The default category for sheets without one.
    await p.locator('#excel-category').click();
    await p.locator('.ant-select-dropdown:visible').getByText('基层党组织建设').first().click();
    await p.getByTestId('excel-recheck').click();
    await expect.poll(() => p.getByTestId('excel-summary').textContent(), WAIT).toContain('有误的行 2 处');
    expect(await p.getByTestId('excel-summary').textContent()).toContain('将新建 4 个问题、5 项整改任务');
    await p.getByTestId('excel-blocked').waitFor();

    // Import all but the bad row, after a confirmation.
    await p.getByTestId('excel-skip-bad').click();
    await p.getByTestId('excel-run').click();
    await p.getByRole('dialog').getByText('将在一次操作中新建 4 个问题、5 项整改任务，跳过有误的 2 行').waitFor();
    await p.getByRole('dialog').getByRole('button', { name: '导入' }).click();
    await p.getByTestId('excel-done').waitFor(WAIT);
    expect(await p.getByTestId('excel-done').textContent()).toContain('已新建 4 个问题、5 项整改任务');
    expect(count('problems')).toBe(before.problems + 4);
    expect(count('tasks')).toBe(before.tasks + 5);
    const audit = h.ledger.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'excel_imported'").get() as { n: number };
    expect(audit.n).toBe(1);
    await shot(p, '3-done');

    // The same workbook again: everything is already there.
    await p.getByRole('button', { name: '导入另一个文件' }).click();
    await pick(p, files.book);
    await expect.poll(() => p.getByTestId('excel-summary').textContent(), WAIT).toContain('台账中已有 4 个问题');
    expect(await p.getByTestId('excel-summary').textContent()).toContain('将新建 0 个问题');
    expect(await p.getByTestId('excel-run').isDisabled()).toBe(true);

    // A later workbook with the same odd header takes the saved mapping by itself.
    await p.getByRole('button', { name: '重新选择文件' }).click();
    await pick(p, files.again);
    await p.getByText('已使用保存的对应关系“分公司台账”').waitFor(WAIT);
    await expect.poll(() => p.getByTestId('excel-summary').textContent(), WAIT).toContain('将新建 1 个问题、1 项整改任务');
  });

  it('导出台账 writes the statutory workbook, which reads back with the imported problems', async () => {
    const p = h.page;
    await p.getByRole('tab', { name: '导出台账' }).click();
    await p.getByTestId('excel-export').waitFor();
    await p.getByTestId('excel-export-go').click();
    await p.getByTestId('excel-export-done').waitFor(WAIT);
    const href = await p.getByTestId('file-download').getAttribute('href');
    expect(href).toContain('api/file?path=');
    const file = decodeURIComponent(new URL(href!, 'http://x/').searchParams.get('path')!);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const texts = wb.worksheets.flatMap((ws) => ws.getSheetValues().flat().map(String));
    for (const s of ['学习贯彻党的二十大精神不够深入', '食堂采购未公开招标', '制定专题学习计划', '开展专题研讨']) expect(texts.some((x) => x.includes(s))).toBe(true);
    // The download is served to the logged-in page.
    const r = await p.evaluate(async (u) => (await fetch(u)).status, href!);
    expect(r).toBe(200);
    await shot(p, '4-export');
    expect(await axeCheck(p, '导出台账')).toEqual([]);

    // The export read by the importer again: every problem is found in the ledger, none new.
    await p.getByRole('tab', { name: '导入Excel台账' }).click();
    const other = p.getByRole('button', { name: '重新选择文件' });
    if (await other.count()) await other.click();
    await pick(p, file);
    await expect.poll(() => p.getByTestId('excel-summary').textContent(), WAIT).toContain('将新建 0 个问题、0 项整改任务；台账中已有 4 个问题');
    expect(await p.getByTestId('excel-summary').textContent()).toContain('有误的行 0 处');
  });

  it('导出 in the problem list writes the rows of the current filters in the list\'s printed columns', async () => {
    const p = h.page;
    await p.getByRole('menuitem', { name: '问题清单' }).click();
    await p.getByTestId('problem-table').getByText('食堂采购未公开招标').first().waitFor(WAIT);
    await p.getByTestId('export-list').click();
    const dlg = p.getByTestId('export-dialog');
    await dlg.getByText(/共 4 条/).waitFor(WAIT);
    expect(await axeCheck(p, '导出为Excel')).toEqual([]);
    await p.getByTestId('export-go').click();
    await dlg.getByTestId('export-done').waitFor(WAIT);
    await shot(p, '5-list-export');
    const href = await dlg.getByTestId('file-download').getAttribute('href');
    const file = decodeURIComponent(new URL(href!, 'http://x/').searchParams.get('path')!);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0]!;
    const rows = (ws.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1).map((c) => (c === null || c === undefined ? '' : String(c))));
    expect(rows[0]![0]).toContain('巡视整改问题台账');
    const head = rows.findIndex((r) => r.includes('问题描述'));
    expect(head).toBeGreaterThan(0);
    const body = rows.slice(head + 1);
    expect(body).toHaveLength(4);
    const desc = rows[head]!.indexOf('问题描述');
    expect(body.map((r) => r[desc]).sort()).toEqual(['公务接待超标准问题仍有发生', '学习贯彻党的二十大精神不够深入', '车辆使用登记不全', '食堂采购未公开招标'].sort());
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: head + 1 });
    await p.getByRole('dialog').getByRole('button', { name: '关闭', exact: true }).last().click();
    await dlg.waitFor({ state: 'detached' });
  });
});
