/**
 * 导出台账 to .xlsx (db/excel/export.ts): the statutory layout with merged problem cells, frozen
 * header, print settings; and the golden round trip: export, import into another ledger, the same
 * problems and tasks field for field.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { inTransaction, type ServiceContext } from '../../db/core/context.js';
import { exportLedgerXlsx, LEDGER_COLUMNS } from '../../db/excel/export.js';
import { rowHeight, widthFor, wrappedLines } from '../../db/excel/fit.js';
import { importExcel } from '../../db/excel/import.js';
import { createProblem } from '../../db/services/problems.js';
import { createTask } from '../../db/services/tasks.js';
import { categoryId, fxUnit } from '../helpers/fixtures.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';

const open: TestLedger[] = [];
const dirs: string[] = [];
afterEach(() => {
  open.splice(0).forEach((t) => t.close());
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});
function ledger() {
  const t = makeTestLedger({ today: '2024-07-01' });
  open.push(t);
  return t.as(t.users.admin);
}
const INJ = '=HYPERLINK("http://example.invalid","点击")';

function fill(ctx: ServiceContext) {
  const unit = inTransaction(ctx, () => fxUnit(ctx, { name: '某某集团有限公司' }));
  inTransaction(ctx, () => {
    const p1 = createProblem(ctx, { unitId: unit.id, categoryId: categoryId(ctx, '廉洁风险'), description: '落实全面从严治党主体责任不够到位，对下属企业监督管理偏松偏软。' });
    createTask(ctx, { problemId: p1.id, measures: '制定专项整改方案', term: 'concentrated', deadline: '2024-06-30', responsibleLeader: '张三', responsibleDepartment: '纪检监察部', responsiblePerson: '李四', remark: null, stages: [] });
    createTask(ctx, { problemId: p1.id, measures: '建立长效机制\n（第二行）', term: 'long_term', deadline: '2024-12-31', responsibleLeader: '张三', responsibleDepartment: '党委办公室', responsiblePerson: null, remark: '备注：持续推进', stages: [] });
    createTask(ctx, { problemId: p1.id, measures: INJ, term: 'immediate', deadline: '2024-03-31', responsibleLeader: null, responsibleDepartment: null, responsiblePerson: null, remark: null, stages: [] });
    const p2 = createProblem(ctx, { unitId: unit.id, categoryId: categoryId(ctx, '廉洁风险'), description: '选人用人工作不够规范，干部档案审核把关不严。' });
    createTask(ctx, { problemId: p2.id, measures: '全面复核干部档案', term: 'concentrated', deadline: '2024-09-30', responsibleLeader: '钱七', responsibleDepartment: '组织部', responsiblePerson: '孙八', remark: null, stages: [] });
  });
  return unit;
}

const shape = (ctx: ServiceContext) => ctx.ledger.sqlite.prepare(`
  SELECT u.name AS unit, c.name AS category, p.description, t.measures, t.responsible_leader AS leader, t.responsible_department AS department,
    t.responsible_person AS person, t.term, t.deadline, t.remark
  FROM tasks t JOIN problems p ON p.id = t.problem_id JOIN units u ON u.id = p.unit_id JOIN problem_categories c ON c.id = p.category_id
  ORDER BY p.seq, t.seq`).all();

describe('row heights for wrapped text (db/excel/fit.ts)', () => {
  it('counts the lines a cell wraps to: CJK a full em, Latin and digits about half, each line break a line', () => {
    // Width 24 holds 7·24 − 8 = 160 px: at 11 pt (14.67 px an em) 10 CJK characters, 19 digits.
    expect(wrappedLines('一二三四五六七八九十', 24, 11)).toBe(1);
    expect(wrappedLines('一二三四五六七八九十一', 24, 11)).toBe(2);
    expect(wrappedLines('1234567890123456789', 24, 11)).toBe(1);
    expect(wrappedLines('12345678901234567890', 24, 11)).toBe(2);
    expect(wrappedLines('甲\n乙\n\n丙', 24, 11)).toBe(4);
    expect(wrappedLines('', 24, 11)).toBe(1);
    expect(wrappedLines('一二三四五六七八九十'.repeat(3), 24, 11)).toBe(3);
  });
  it('a row is as tall as its tallest cell; empty cells count one line', () => {
    expect(wrappedLines('一二三四五六七八九十一二', widthFor('一二三四五六七八九十一二', 11), 11)).toBe(1);
    expect(wrappedLines('甲\nab 12', widthFor('甲\nab 12', 11), 11)).toBe(2);
    const one = rowHeight(['一'], [24], 11);
    expect(rowHeight(['一'.repeat(30), '一'], [24, 24], 11)).toBeGreaterThan(2.5 * one - 10);
    expect(rowHeight([null, '', undefined], [24, 24, 24], 11)).toBe(one);
  });
});

describe('导出台账 (.xlsx)', () => {
  it('the statutory layout: merged problem cells, frozen header, print settings, formula-like text kept as text', async () => {
    const ctx = ledger();
    const unit = fill(ctx);
    const dir = mkdtempSync(join(tmpdir(), 'xz-xlsx-'));
    dirs.push(dir);
    const path = join(dir, '台账.xlsx');
    expect(await exportLedgerXlsx(ctx, path, { unitId: unit.id })).toEqual({ rows: 4, problems: 2 });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(path) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getCell('A1').value).toBe('某某集团有限公司巡视整改台账');
    expect((ws.getRow(3).values as unknown[]).slice(1)).toEqual([...LEDGER_COLUMNS]);
    expect((ws.model as { merges: string[] }).merges).toEqual(expect.arrayContaining(['A4:A6', 'B4:B6', 'C4:C6']));
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9, fitToWidth: 1, printTitlesRow: '3:3' });
    expect(ws.headerFooter.oddFooter).toContain('第&P页 共&N页');
    expect(ws.headerFooter.oddHeader).toContain('内部资料');
    const inj = ws.getCell('D6');
    expect(inj.value).toBe(INJ); // a string cell, not a formula
    expect(inj.numFmt).toBe('@');
    expect(ws.getCell('H5').value).toBe('长期坚持（2024年12月31日）');
    // Rows sized to their wrapped text (neither Excel nor LibreOffice does it for a written file or
    // a merged cell): the two-line 整改措施 row is taller than the one-line one, and the three rows
    // under the merged 问题描述 hold at least the height its text needs.
    const height = (r: number) => ws.getRow(r).height;
    const all = LEDGER_COLUMNS.map((_, c) => ws.getColumn(c + 1).width!);
    const own = (r: number) => (ws.getRow(r).values as unknown[]).slice(1).map((v, k) => (k < 3 || v == null ? null : String(v)));
    expect(height(5)).toBeGreaterThan(rowHeight(['一'], [24], 11)); // its 整改措施 has two lines
    for (const r of [4, 5, 6]) expect(height(r)).toBeGreaterThanOrEqual(rowHeight(own(r), all, 11));
    const widths = [1, 2, 3].map((c) => ws.getColumn(c).width!);
    const need = rowHeight(['', '廉洁风险', '落实全面从严治党主体责任不够到位，对下属企业监督管理偏松偏软。'], widths, 11);
    expect(height(4) + height(5) + height(6)).toBeGreaterThanOrEqual(need);
    // The second problem has one task row: its own row holds its description.
    expect(height(7)).toBeGreaterThanOrEqual(rowHeight(['', '廉洁风险', '选人用人工作不够规范，干部档案审核把关不严。'], widths, 11));
  });

  it('LibreOffice (headless) opens the export without error and shows the merged problem cells and the Chinese text', async () => {
    const ctx = ledger();
    const unit = fill(ctx);
    const dir = mkdtempSync(join(tmpdir(), 'xz-xlsx-lo-'));
    dirs.push(dir);
    const path = join(dir, '台账.xlsx');
    await exportLedgerXlsx(ctx, path, { unitId: unit.id });
    execFileSync('soffice', [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--convert-to', 'html', '--outdir', join(dir, 'html'), path], { stdio: 'pipe', timeout: 120_000 });
    const html = readFileSync(join(dir, 'html', '台账.html'), 'utf8');
    // The first problem spans its three task rows; the second has one.
    expect(html).toMatch(/<td[^>]*rowspan="?3"?[^>]*>(?:(?!<\/td>)[\s\S])*落实全面从严治党主体责任不够到位/);
    for (const text of ['某某集团有限公司巡视整改台账', '制定专项整改方案', '长期坚持（2024年12月31日）', '全面复核干部档案', INJ.replace(/"/g, '&quot;')]) expect(html).toContain(text);
  }, 150_000);

  it('golden round trip: export, then import into another ledger, gives the same problems and tasks field for field', async () => {
    const a = ledger();
    const unit = fill(a);
    const dir = mkdtempSync(join(tmpdir(), 'xz-xlsx-'));
    dirs.push(dir);
    const path = join(dir, '台账.xlsx');
    await exportLedgerXlsx(a, path, { unitId: unit.id });
    const b = ledger();
    const r = await importExcel(b, readFileSync(path));
    expect(r.dryRun.errors).toEqual([]);
    expect(r.created).toMatchObject({ problems: 2, tasks: 4, units: 1 });
    expect(shape(b)).toEqual(shape(a));
  });
});
