/**
 * A table as an .xlsx sheet: the 导出 of the list toolbars (问题清单, 任务清单 with the current
 * filters, sort and columns, as the list's printed form shows them) and the statistics tables of
 * 工作台 and 汇总分析. The title and what the table covers above it, a bold header row that stays
 * in view and repeats on every printed page, widths from the text (a Chinese character counts
 * twice), wrapped text, A4 landscape fit to width, the marking in the page header and 第&P页
 * 共&N页 in the footer. Cells are text as shown; text a spreadsheet would take for a formula
 * (=, +, -, @) is stored as text and never evaluated. Streamed: rows are not held twice.
 */
import ExcelJS from 'exceljs';
import { formulaLike } from './export.js';
import { rowHeight, widthFor } from './fit.js';

export interface TableSheet {
  title: string;
  /** Lines under the title: round, filters, date. */
  meta: string[];
  columns: string[];
  rows: (string | number | null)[][];
  marking?: string;
  /** Sheet name (default 导出). */
  sheet?: string;
}

const BORDER: Partial<ExcelJS.Borders> = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
/** The text size of the header, meta lines and cells; the widths and row heights are estimated for it. */
const FONT_PT = 11;

/** Writes the table to `path`; returns the rows written. */
export async function writeTableXlsx(path: string, t: TableSheet): Promise<{ rows: number }> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  wb.creator = '巡视整改监督台账';
  const n = Math.max(t.columns.length, 1);
  const top = 2 + t.meta.length; // title, meta lines, then the header row
  // Widths from the header and the first 500 rows (a line on one line where it fits), between 6 and 60.
  const widths = t.columns.map((c, i) => {
    let w = widthFor(c, FONT_PT);
    for (const r of t.rows.slice(0, 500)) w = Math.max(w, widthFor(String(r[i] ?? ''), FONT_PT));
    return Math.min(60, Math.max(6, w));
  });
  const ws = wb.addWorksheet((t.sheet ?? '导出').replace(/[\\/?*[\]:]/g, ' ').slice(0, 31), {
    views: [{ state: 'frozen', ySplit: top }],
    pageSetup: {
      paperSize: 9 as ExcelJS.PaperSize, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${top}:${top}`,
      horizontalCentered: true, margins: { left: 0.4, right: 0.4, top: 0.7, bottom: 0.7, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddHeader: `&C${(t.marking ?? '内部资料 注意保存').replace(/&/g, '&&')}`, oddFooter: '&C第&P页 共&N页' },
  });
  ws.columns = widths.map((width) => ({ width }));

  const title = ws.addRow([t.title]);
  title.font = { name: '黑体', size: 16, bold: true };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  title.height = 28;
  ws.mergeCells(1, 1, 1, n);
  title.commit();
  t.meta.forEach((m, i) => {
    const r = ws.addRow([m]);
    r.font = { name: '仿宋', size: FONT_PT };
    ws.mergeCells(2 + i, 1, 2 + i, n);
    r.commit();
  });
  const head = ws.addRow(t.columns);
  head.eachCell((c) => {
    c.font = { name: '黑体', size: FONT_PT, bold: true };
    c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    c.border = BORDER;
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
  });
  head.height = rowHeight(t.columns, widths, FONT_PT);
  head.commit();
  for (const values of t.rows) {
    const r = ws.addRow(values.map((v) => v ?? ''));
    r.eachCell({ includeEmpty: true }, (c, col) => {
      if (col > n) return;
      c.font = { name: '仿宋', size: FONT_PT };
      c.alignment = { vertical: 'middle', wrapText: true };
      c.border = BORDER;
      if (typeof c.value === 'string' && formulaLike(c.value)) c.numFmt = '@';
    });
    // Text wider than its column (60 at most) wraps: the row is sized to it.
    r.height = rowHeight(values, widths, FONT_PT);
    r.commit();
  }
  ws.commit();
  await wb.commit();
  return { rows: t.rows.length };
}
