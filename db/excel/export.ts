/**
 * 导出台账 to Excel (issue 11): the statutory 巡视整改台账 layout — 序号 | 问题类别 | 问题描述 |
 * 整改措施 | 责任领导 | 责任部门 | 责任人 | 整改时限 | 整改进展 | 完成情况 | 佐证材料 | 销号情况 | 备注 —
 * one worksheet per unit, one row per task, a problem's 序号/类别/描述 cells merged down over its
 * task rows; title and 填报单位/填报日期 line above a frozen header; 填表人/审核人/负责人 below; widths and wrapped text; A4 (or A3) landscape, fit to width,
 * the header row repeated on every printed page, the security marking in the page header and
 * 第&P页 共&N页 in the footer.
 *
 * Written by ExcelJS's streaming writer row by row (a 100,000-row ledger is never one workbook in
 * memory). Text that a spreadsheet could take for a formula (starting with = + - @) is written as
 * text with the text number format, so it stays text even when a user edits the cell.
 *
 * Read back by the importer (import.ts) the export gives the same problems and tasks: 整改时限 is
 * written as 2024年6月30日, or 长期坚持（2024年12月31日） / 立行立改（…） for those terms, which the
 * importer reads back as the term with that date.
 */
import { formatDate } from '../domain/report-text.js';
import ExcelJS from 'exceljs';
import type { ServiceContext } from '../core/context.js';
import { requirePermission } from '../core/permissions.js';
import { LEDGER_COLUMNS, ledgerRows } from '../queries/statutory.js';
import { rowHeight } from './fit.js';
import { LEDGER_COLUMN_WIDTHS } from '../domain/ledger-layout.js';

export { LEDGER_COLUMNS };
/**
 * Column widths (in digit widths, db/domain/ledger-layout.ts, shared with the app's printed
 * ledger): 13 columns printed fit to width at about 85% on A4, so that 11 pt text prints at about
 * 9 pt, as on the app's own printed ledger.
 */
const WIDTHS = LEDGER_COLUMN_WIDTHS;
const FONT_PT = 11;
/** The columns a problem's task rows share (序号, 问题类别, 问题描述), merged down over them. */
const PROBLEM_COLUMNS = 3;

export interface LedgerExportOptions {
  unitId?: string | null;
  roundId?: string | null;
  /** Title above each unit's table (default: <unit>巡视整改台账). */
  title?: string;
  paper?: 'A4' | 'A3';
  /** The security marking in the page header (default 内部资料 注意保存). */
  marking?: string;
  /** Called every 1,000 rows with the rows written. */
  onProgress?: (rows: number) => void;
}


/** Text a spreadsheet would read as a formula if typed in. */
export const formulaLike = (s: string) => /^[=+\-@\t\r]/.test(s);

/** Writes the ledger to `path` (.xlsx); returns the rows of tasks written. */
export async function exportLedgerXlsx(ctx: ServiceContext, path: string, o: LedgerExportOptions = {}): Promise<{ rows: number; problems: number }> {
  requirePermission(ctx, 'ledger.read');
  const l = ctx.ledger;
  const today = ctx.clock.today();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  wb.creator = '巡视整改监督台账';
  const widths = WIDTHS[o.paper ?? 'A4'];
  const body: Partial<ExcelJS.Style> = { alignment: { wrapText: true, vertical: 'middle' }, font: { name: '仿宋', size: FONT_PT }, border: { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } } };
  const sheetNames = new Set<string>();
  /** One worksheet per unit (named after it: the importer reads the unit from the 填报单位 line). */
  const sheetFor = (unitName: string) => {
    let name = unitName.replace(/[\\/?*[\]:]/g, ' ').slice(0, 28) || '台账';
    for (let k = 2; sheetNames.has(name); k++) name = `${name.slice(0, 25)}(${k})`;
    sheetNames.add(name);
    const ws = wb.addWorksheet(name, {
      views: [{ state: 'frozen', ySplit: 3 }],
      pageSetup: { paperSize: (o.paper === 'A3' ? 8 : 9) as ExcelJS.PaperSize, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '3:3', horizontalCentered: true, margins: { left: 0.4, right: 0.4, top: 0.7, bottom: 0.7, header: 0.3, footer: 0.3 } },
      headerFooter: { oddHeader: `&C${o.marking ?? '内部资料 注意保存'}`, oddFooter: '&C第&P页 共&N页' },
    });
    ws.columns = widths.map((width) => ({ width }));
    const t = ws.addRow([o.title ?? `${unitName}巡视整改台账`]);
    t.font = { name: '方正小标宋简体', size: 18, bold: true };
    t.alignment = { horizontal: 'center', vertical: 'middle' };
    t.height = 36;
    ws.mergeCells(1, 1, 1, LEDGER_COLUMNS.length);
    t.commit();
    const info = ws.addRow([`填报单位：${unitName}`, null, null, null, null, null, null, null, null, null, `填报日期：${formatDate(today)}`]);
    info.font = { name: '仿宋', size: 11 };
    info.commit();
    const head = ws.addRow([...LEDGER_COLUMNS]);
    head.eachCell((c) => {
      c.style = { ...body, font: { name: '黑体', size: FONT_PT, bold: true }, alignment: { horizontal: 'center', vertical: 'middle', wrapText: true } };
    });
    head.height = rowHeight(LEDGER_COLUMNS, widths, FONT_PT);
    head.commit();
    return ws;
  };
  /** The signature lines under a unit's table, then the sheet is done. */
  const finish = async (ws: ExcelJS.Worksheet) => {
    ws.addRow([]).commit();
    const sign = ws.addRow(['填表人：', null, null, '审核人：', null, null, null, '负责人：']);
    sign.font = { name: '仿宋', size: 11 };
    sign.commit();
    await (ws as unknown as { commit(): Promise<void> }).commit();
  };

  let ws: ExcelJS.Worksheet | null = null;
  let sheetUnit: string | null = null;
  let rowNo = 3;
  let rows = 0;
  let problems = 0;
  // A problem's rows are committed together once its last task row is added: the streaming writer
  // merges cells, and sets heights, only in rows not yet committed. Each row is as tall as its own
  // task cells need; if the merged problem cells need more, the rows share the difference.
  let group = null as { problemId: string; first: number; n: number; rows: ExcelJS.Row[]; need: number } | null;
  const closeGroup = () => {
    if (!group || !ws) return;
    if (group.n > 1) for (let c = 1; c <= PROBLEM_COLUMNS; c++) ws.mergeCells(group.first, c, group.first + group.n - 1, c);
    const have = group.rows.reduce((sum, row) => sum + row.height, 0);
    if (group.need > have) {
      const more = Math.ceil((group.need - have) / group.n);
      for (const row of group.rows) row.height += more;
    }
    group.rows.at(-1)?.commit();
    group = null;
  };
  for (const r of ledgerRows(ctx, { unitId: o.unitId ?? null, roundId: o.roundId ?? null })) {
    if (sheetUnit !== r.unitName || !ws) {
      closeGroup();
      if (ws) await finish(ws);
      ws = sheetFor(r.unitName);
      sheetUnit = r.unitName;
      rowNo = 3;
    }
    if (group?.problemId !== r.problemId) {
      closeGroup();
      group = { problemId: r.problemId, first: rowNo + 1, n: 0, rows: [], need: rowHeight(r.values.slice(0, PROBLEM_COLUMNS), widths, FONT_PT) };
      problems++;
    }
    group!.n++;
    rowNo++;
    const values = r.values;
    const row = ws.addRow(values);
    row.eachCell({ includeEmpty: true }, (c, col) => {
      c.style = body;
      const v = values[col - 1];
      if (typeof v === 'string' && formulaLike(v)) c.numFmt = '@';
    });
    row.height = rowHeight(values.map((v, k) => (k < PROBLEM_COLUMNS ? null : v)), widths, FONT_PT);
    group!.rows.push(row);
    rows++;
    if (rows % 1000 === 0) o.onProgress?.(rows);
  }
  closeGroup();
  if (ws) await finish(ws);
  else await finish(sheetFor(o.unitId ? ((l.prepare('SELECT name FROM units WHERE id = ?').get(o.unitId) as { name: string } | undefined)?.name ?? '') : ''));
  await wb.commit();
  return { rows, problems };
}
