/**
 * Excel 导入 on real files (db/excel/workbook.ts, import.ts): eight sheet shapes offices use, a
 * BIFF8 .xls, a GBK CSV, bad files; the dry run's lists, all-or-nothing imports, re-imports that
 * do not duplicate.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import XlsxPopulate from 'xlsx-populate';
import { inTransaction } from '../../db/core/context.js';
import { importExcel, planExcelImport } from '../../db/excel/import.js';
import { declaredRows, readWorkbook, MAX_FILE_BYTES } from '../../db/excel/workbook.js';
import { fxInspection, fxRound, fxUnit } from '../helpers/fixtures.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';
import { ledgerFingerprint } from '../helpers/ledger-fingerprint.js';
import { csv, HEAD, TITLE, xls, xlsx, type Cell } from '../helpers/workbooks.js';

const open: TestLedger[] = [];
afterEach(() => open.splice(0).forEach((t) => t.close()));

function ledger() {
  const t = makeTestLedger({ today: '2024-07-01' });
  open.push(t);
  const ctx = t.as(t.users.admin);
  const unit = inTransaction(ctx, () => fxUnit(ctx, { name: '某某集团有限公司' }));
  return { t, ctx, unit };
}

const P1 = '落实全面从严治党主体责任不够到位，对下属企业监督管理偏松偏软。';
const P2 = '选人用人工作不够规范，干部档案审核把关不严。';
const P3 = '违反中央八项规定精神问题仍有发生，公务接待管理不严。';
const row = (seq: Cell, cat: Cell, desc: Cell, measures: Cell, deadline: Cell, extra: Cell[] = []): Cell[] => [seq, cat, desc, measures, '张三', '纪检监察部', '李四', deadline, ...extra];

/** The classic shape: title, 填报 line, one header row, problems merged over their task rows, signature rows. */
const classic = (name = '某某集团有限公司') => ({
  name,
  rows: [
    [TITLE], ['填报单位：某某集团有限公司', null, null, null, null, null, null, '填报日期：2024年6月15日'], HEAD,
    row(1, '廉洁风险', P1, '制定专项整改方案', '2024年6月底前', ['已制定方案']),
    row(null, null, null, '开展专项检查', 45382),
    row(null, null, null, '建立长效机制', '长期坚持'),
    row(2, '基层党建薄弱', P2, '全面复核干部档案', '9月底', [null, '已完成', '复核报告']),
    [], ['注：本表由各责任部门填写。'], ['填表人：张三', null, '审核人：李四', null, '负责人：王五'],
  ],
  merges: ['A4:A6', 'B4:B6', 'C4:C6'],
});

describe('Excel import: the dry run', () => {
  it('shape 1 (title rows, merged problem cells, mixed dates, note and signature rows): problems, tasks, new categories, deadlines', async () => {
    const { ctx } = ledger();
    const before = ledgerFingerprint(ctx.ledger);
    const d = await planExcelImport(ctx, await xlsx([classic()]));
    expect(d.errors).toEqual([]);
    expect(d.counts).toMatchObject({ problems: 2, tasks: 4, existing: 0, skipped: 3 });
    expect(d.newUnits).toEqual([]);
    expect(d.newCategories).toEqual(['基层党建薄弱']); // 廉洁风险 is a category already
    expect(d.problems[0]!.tasks.map((t) => [t.row, t.term, t.deadline])).toEqual([[4, 'concentrated', '2024-06-30'], [5, 'concentrated', '2024-03-31'], [6, 'long_term', '2024-12-31']]);
    expect(d.problems[1]!.tasks[0]).toMatchObject({ deadline: '2024-09-30', progress: '完成情况：已完成\n佐证材料：复核报告' });
    expect(ledgerFingerprint(ctx.ledger)).toBe(before); // a dry run writes nothing
  });

  it('shape 2 (header over two rows) and shape 3 (the same problem repeated on consecutive rows)', async () => {
    const { ctx } = ledger();
    const two = await planExcelImport(ctx, await xlsx([{
      name: '某某集团有限公司',
      rows: [[TITLE], ['序号', '问题描述', '整改措施', '责任主体', null, null, '完成时限'], [null, null, null, '牵头领导', '牵头部门', '责任人', null], [1, P1, '措施一', '张三', '办公室', '李四', '2024/8/31']],
      merges: ['A2:A3', 'B2:B3', 'C2:C3', 'D2:F2', 'G2:G3'],
    }]));
    // No 问题类别 column: each problem says so, until a default category is chosen.
    expect(two.errors.map((e) => e.reason)).toEqual([expect.stringContaining('问题类别')]);
    const cat = (ctx.ledger.sqlite.prepare("SELECT id FROM problem_categories WHERE name = '廉洁风险'").get() as { id: string }).id;
    const twoWithCat = await planExcelImport(ctx, await xlsx([{
      name: '某某集团有限公司',
      rows: [[TITLE], ['序号', '问题描述', '整改措施', '责任主体', null, null, '完成时限'], [null, null, null, '牵头领导', '牵头部门', '责任人', null], [1, P1, '措施一', '张三', '办公室', '李四', '2024/8/31']],
      merges: ['A2:A3', 'B2:B3', 'C2:C3', 'D2:F2', 'G2:G3'],
    }]), { categoryId: cat });
    expect(twoWithCat.errors).toEqual([]);
    expect(twoWithCat.sheets[0]!.header).toMatchObject({ rows: 2, mapping: { leader: 3, department: 4, person: 5, deadline: 6 } });
    expect(twoWithCat.problems[0]).toMatchObject({ categoryId: cat, tasks: [{ responsibleLeader: '张三', responsibleDepartment: '办公室', responsiblePerson: '李四', deadline: '2024-08-31' }] });
    const repeated = await planExcelImport(ctx, await xlsx([{ name: '某某集团有限公司', rows: [HEAD, row(1, '廉洁风险', P1, '措施一', '2024-06-30'), row(1, '廉洁风险', P1, '措施二', '2024.7.31'), row(2, '廉洁风险', P3, '措施三', '2024/8/31')] }]));
    expect(repeated.errors).toEqual([]);
    expect(repeated.problems.map((p) => p.tasks.length)).toEqual([2, 1]);
  });

  it('shape 4 (Excel date cells and serials, 1904 system too) and shape 5 (blank rows between problems)', async () => {
    const { ctx } = ledger();
    const d = await planExcelImport(ctx, await xlsx([{ name: '某某集团有限公司', rows: [HEAD, row(1, '廉洁风险', P1, '措施一', new Date(Date.UTC(2024, 7, 15))), [], row(2, '廉洁风险', P2, '措施二', 43920)] }], { date1904: true }));
    expect(d.errors).toEqual([]);
    expect(d.problems.map((p) => p.tasks[0]!.deadline)).toEqual(['2024-08-15', '2024-03-31']);
    expect(d.skipped.map((s) => s.why)).toEqual(['blank']);
  });

  it('shape 6 (extra and missing columns, a unit column) and shape 7 (one sheet per unit): new units listed', async () => {
    const { ctx } = ledger();
    const d = await planExcelImport(ctx, await xlsx([
      { name: '甲公司', rows: [['问题类别', '存在问题', '整改举措', '时间节点', '联系电话'], ['廉洁风险', P1, '措施一', '2024年12月31日', '12345678901']] },
      { name: '乙公司', rows: [['问题类别', '存在问题', '整改举措', '时间节点'], ['廉洁风险', P2, '措施二', '年底前']] },
      { name: '汇总', rows: [['单位', '问题类别', '问题', '措施', '完成时限'], ['丙公司', '廉洁风险', P3, '措施三', '2024-10-31'], ['某某集团有限公司', '廉洁风险', P3, '措施四', '2024-10-31']] },
    ]));
    expect(d.errors).toEqual([]);
    expect(d.problems.map((p) => [p.unit, p.unitId === null])).toEqual([['甲公司', true], ['乙公司', true], ['丙公司', true], ['某某集团有限公司', false]]);
    expect(d.newUnits).toEqual(['甲公司', '乙公司', '丙公司']);
  });

  it('shape 8: bad rows listed with sheet, row, column and reason', async () => {
    const { ctx } = ledger();
    const d = await planExcelImport(ctx, await xlsx([{ name: '某某集团有限公司', rows: [HEAD, row(1, '廉洁风险', P1, '', '2024-06-30'), row(2, '廉洁风险', P2, '措施', '尽快'), row(3, '廉洁风险', P3, '措施', '2024-06-30')] }]));
    expect(d.errors.map((e) => [e.sheet, e.row, e.column, e.reason.length > 4])).toEqual([['某某集团有限公司', 2, 'D', true], ['某某集团有限公司', 3, 'H', true]]);
    expect(d.problems.map((p) => p.description)).toEqual([P3]);
  });

  it('reads a BIFF8 .xls with merged cells, and CSV in GBK and in UTF-8 with the same result', async () => {
    const { ctx } = ledger();
    const c = classic();
    const fromXls = await planExcelImport(ctx, xls([c]));
    expect(fromXls.errors).toEqual([]);
    expect(fromXls.problems.map((p) => [p.description, p.tasks.length])).toEqual([[P1, 3], [P2, 1]]);
    const flat: Cell[][] = [HEAD, row(1, '廉洁风险', P1, '措施一，含逗号', '2024年6月底前'), row(2, '廉洁风险', P2, '措施二\n第二行', '2024-07-31')];
    const gbk = await planExcelImport(ctx, csv(flat, 'gbk'), { unit: '某某集团有限公司' });
    const utf8 = await planExcelImport(ctx, csv(flat, 'utf-8-bom'), { unit: '某某集团有限公司' });
    expect(gbk.errors).toEqual([]);
    expect(gbk.problems).toEqual(utf8.problems);
    expect(gbk.problems[1]!.tasks[0]!.measures).toBe('措施二\n第二行');
  });
});

describe('Excel import: writing', () => {
  it('imports all in one transaction; a re-import names the rows already there and adds nothing', async () => {
    const { ctx, unit } = ledger();
    const file = await xlsx([classic()]);
    const progress: [number, number][] = [];
    const r = await importExcel(ctx, file, { onProgress: (done, total) => progress.push([done, total]) });
    expect(r.created).toEqual({ problems: 2, tasks: 4, units: 0, categories: 1, progress: 2 });
    expect(progress).toEqual([[0, 2], [2, 2]]);
    const n = (sql: string) => (ctx.ledger.sqlite.prepare(sql).get() as { n: number }).n;
    expect(n(`SELECT count(*) AS n FROM problems WHERE unit_id = '${unit.id}'`)).toBe(2);
    expect(n("SELECT count(*) AS n FROM tasks WHERE term = 'long_term' AND deadline = '2024-12-31'")).toBe(1);
    expect(n("SELECT count(*) AS n FROM audit_log WHERE action = 'excel_imported'")).toBe(1);
    const again = await planExcelImport(ctx, file);
    expect(again.counts).toMatchObject({ problems: 0, existing: 2 });
    expect(again.existing.map((e) => e.row)).toEqual([4, 7]);
    const before = ledgerFingerprint(ctx.ledger);
    await expect(importExcel(ctx, file)).rejects.toMatchObject({ reason: 'excel_nothing' });
    expect(ledgerFingerprint(ctx.ledger)).toBe(before);
  });

  it('parses a workbook once for the dry runs and the import after them; another file, or the import, drops it', async () => {
    const { ctx } = ledger();
    const file = await xlsx([classic()]);
    const first = await readWorkbook(file);
    // The same bytes (another buffer): the sheets already read; the file-name check still runs first.
    expect(await readWorkbook(Buffer.from(file))).toBe(first);
    await expect(readWorkbook(csv([[TITLE], HEAD]), '台账.xlsx')).rejects.toMatchObject({ reason: 'excel_not_workbook' });
    expect(await readWorkbook(file)).toBe(first);
    // Another workbook read in between: this one is parsed again.
    const other = await xlsx([classic('某某大学')]);
    expect(await readWorkbook(other)).not.toBe(first);
    const second = await readWorkbook(file);
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
    // A refused import keeps it for the next try; an import drops it.
    await expect(importExcel(ctx, file, { roundId: '0190a000-0000-7000-8000-000000000000' }))
      .rejects.toMatchObject({ reason: 'round_not_found' });
    expect(await readWorkbook(file)).toBe(second);
    expect((await importExcel(ctx, file)).created.problems).toBe(2);
    expect(await readWorkbook(file)).not.toBe(second);
  });

  it('a problem already in the ledger is found whatever spaces either side holds (full-width, tabs, line breaks)', async () => {
    const { ctx } = ledger();
    const file = await xlsx([{ name: '某某集团有限公司', rows: [HEAD, row(1, '廉洁风险', `落实主体责任\u3000不够到位，\t监督偏松。`, '措施一', '2024-06-30')] }]);
    await importExcel(ctx, file);
    const again = await planExcelImport(ctx, await xlsx([{ name: '某某集团有限公司', rows: [HEAD, row(1, '廉洁风险', '落实主体责任不够到位，\n监督偏松。', '措施一', '2024-06-30')] }]));
    expect(again.counts).toMatchObject({ problems: 0, existing: 1 });
  });

  it('立行立改 and 已完成 rows are registered at the sheet’s 填报日期', async () => {
    const { ctx } = ledger();
    const d = await planExcelImport(ctx, await xlsx([{ name: '某某集团有限公司', rows: [['填报日期：2024年6月15日'], HEAD, row(1, '廉洁风险', P1, '措施一', '立行立改'), row(2, '廉洁风险', P2, '措施二', '已完成')] }]));
    expect(d.problems.map((p) => [p.tasks[0]!.term, p.tasks[0]!.deadline])).toEqual([['immediate', '2024-06-15'], ['concentrated', '2024-06-15']]);
  });

  it('bad rows: nothing imported unless the user chooses to skip them', async () => {
    const { ctx } = ledger();
    const file = await xlsx([{ name: '某某集团有限公司', rows: [HEAD, row(1, '廉洁风险', P1, '措施', '尽快'), row(2, '廉洁风险', P2, '措施', '2024-06-30')] }]);
    const before = ledgerFingerprint(ctx.ledger);
    await expect(importExcel(ctx, file)).rejects.toMatchObject({ reason: 'excel_bad_rows' });
    expect(ledgerFingerprint(ctx.ledger)).toBe(before);
    const r = await importExcel(ctx, file, { skipBadRows: true });
    expect(r.created.problems).toBe(1);
  });

  it('a round links problems to the unit’s inspection; a deadline before the feedback date is a listed error', async () => {
    const { ctx, unit } = ledger();
    const round = inTransaction(ctx, () => fxRound(ctx));
    const { inspection } = inTransaction(ctx, () => fxInspection(ctx, { roundId: round.id, unitId: unit.id, feedbackDate: '2024-02-01' }));
    const file = await xlsx([{ name: '某某集团有限公司', rows: [HEAD, row(1, '廉洁风险', P1, '措施一', '2024-01-15'), row(2, '廉洁风险', P2, '措施二', '2024-06-30')] }]);
    const d = await planExcelImport(ctx, file, { roundId: round.id });
    expect(d.errors.map((e) => [e.row, e.field])).toEqual([[2, 'deadline']]);
    await importExcel(ctx, file, { roundId: round.id, skipBadRows: true });
    expect(ctx.ledger.sqlite.prepare('SELECT inspection_id AS i, round_id AS r FROM problems WHERE description = ?').get(P2)).toEqual({ i: inspection.id, r: round.id });
  });
});

describe('Excel import: bad files', () => {
  it.each([
    ['an empty file', Buffer.alloc(0), 'excel_empty'],
    ['a file that is no workbook', Buffer.from([0x00, 0x01, 0x02, 0x7f, 0x45, 0x4c, 0x46, 0, 0]), 'excel_not_workbook'],
    ['a damaged .xlsx (zip header, garbage after)', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]), 'excel_unreadable'],
    ['a damaged .xls (OLE2 header, garbage after)', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600, 3)]), 'excel_unreadable'],
  ])('%s: a clear refusal', async (_name, bytes, reason) => {
    await expect(readWorkbook(bytes)).rejects.toMatchObject({ code: 'VALIDATION', reason });
  });

  it('a password-protected workbook (ECMA-376 agile encryption, as Excel and WPS write it, by xlsx-populate): a clear refusal', async () => {
    const wb = await XlsxPopulate.fromDataAsync(await xlsx([classic()]));
    const locked = (await wb.outputAsync({ password: 'mima-2024' })) as Buffer;
    expect(locked.subarray(0, 4).toString('hex')).toBe('d0cf11e0'); // an OLE2 container, as encrypted workbooks are
    await expect(readWorkbook(locked)).rejects.toMatchObject({ reason: 'excel_password', message: expect.stringContaining('密码') });
  });

  it('a file over the size limit is refused before it is parsed', async () => {
    await expect(readWorkbook(Buffer.alloc(MAX_FILE_BYTES + 1, 0x41))).rejects.toMatchObject({ reason: 'excel_too_large', message: expect.stringContaining('MB') });
  });

  it('a workbook with no ledger header', async () => {
    const { ctx } = ledger();
    const d = await planExcelImport(ctx, await xlsx([{ name: '说明', rows: [[TITLE], ['一、总体情况'], [P1]] }]));
    expect(d.errors.map((e) => e.reason)).toEqual([expect.stringContaining('表头')]);
    await expect(importExcel(ctx, await xlsx([{ name: '说明', rows: [[TITLE], ['一、总体情况'], [P1]] }]))).rejects.toMatchObject({ reason: 'excel_bad_rows' });
  });

  it('formula cells give their cached result; formula-injection text is stored literally', async () => {
    const { ctx } = ledger();
    const inj = '=cmd|\' /C calc\'!A0';
    const d = await planExcelImport(ctx, await xlsx([{ name: '某某集团有限公司', rows: [HEAD, row(1, '廉洁风险', { formula: 'CONCATENATE("问题","一")', result: '问题一' }, inj, '2024-06-30', [null, null, null, null, '<script>alert(1)</script>'])] }]));
    expect(d.errors).toEqual([]);
    expect(d.problems[0]!.description).toBe('问题一');
    expect(d.problems[0]!.tasks[0]!.measures).toBe(inj);
    expect(d.problems[0]!.tasks[0]!.remark).toBe('<script>alert(1)</script>');
  });
});

describe('Excel import: size', () => {
  it('a 100,000-row sheet with exactly 3 bad rows: the dry run lists exactly those 3, and nothing is imported unless chosen', async () => {
    const { ctx } = ledger();
    const bad = new Map([[1_234, '尽快'], [55_555, '2024年2月30日'], [99_998, '']]);
    const rows: Cell[][] = [[TITLE], ['填报单位：某某集团有限公司', null, null, null, null, null, null, '填报日期：2024年6月15日'], HEAD];
    for (let i = 1; i <= 100_000; i++) rows.push(row(i, '廉洁风险', `第${i}项问题：落实主体责任不够到位的具体表现。`, `第${i}项整改措施`, bad.get(i) ?? '2024年12月31日'));
    const file = await xlsx([{ name: '某某集团有限公司', rows }]);
    const d = await planExcelImport(ctx, file);
    // Data starts on sheet row 4: problem i is on row i + 3.
    expect(d.errors.map((e) => [e.row, e.column])).toEqual([[1_237, 'H'], [55_558, 'H'], [100_001, 'H']]);
    expect(d.counts).toMatchObject({ problems: 99_997, tasks: 99_997, errors: 3 });
    const before = ledgerFingerprint(ctx.ledger);
    await expect(importExcel(ctx, file)).rejects.toMatchObject({ reason: 'excel_bad_rows' });
    expect(ledgerFingerprint(ctx.ledger)).toBe(before);
  }, 180_000);

  it('a CSV of more than the row limit is refused with a clear message, before anything is planned', async () => {
    const line = '1,廉洁风险,问题,措施,,,,2024-06-30\n';
    const big = Buffer.from(HEAD.join(',') + '\n' + line.repeat(200_001), 'utf8');
    await expect(readWorkbook(big)).rejects.toMatchObject({ reason: 'excel_too_many_rows', message: expect.stringContaining('200,000') });
  });
});

describe('Excel import: a million rows', () => {
  it('an .xlsx sheet of 1,000,000 rows is refused from its declared size, before it is loaded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xz-xlsx-big-'));
    try {
      const path = join(dir, 'big.xlsx');
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: false, useSharedStrings: false });
      const ws = wb.addWorksheet('某某集团有限公司');
      ws.addRow(HEAD).commit();
      for (let i = 1; i < 1_000_000; i++) ws.addRow([i]).commit();
      await ws.commit();
      await wb.commit();
      const bytes = readFileSync(path);
      // ExcelJS's streaming writer writes no <dimension>: the rows are counted as the sheet inflates, up to the limit.
      expect(await declaredRows(bytes)).toEqual([{ entry: 'xl/worksheets/sheet1.xml', rows: expect.any(Number) }]);
      expect((await declaredRows(bytes, 2_000_000))[0]!.rows).toBe(1_000_000);
      await expect(readWorkbook(bytes)).rejects.toMatchObject({ reason: 'excel_too_many_rows', message: expect.stringContaining('200,000') });
      // A sheet that declares its size (as Excel and WPS write it) is read from its first bytes.
      const declared = await xlsx([{ name: '某某集团有限公司', rows: [HEAD, ['1']] }]);
      expect(await declaredRows(declared)).toEqual([{ entry: 'xl/worksheets/sheet1.xml', rows: 2 }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
