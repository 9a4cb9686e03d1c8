/**
 * Workbooks for the Excel import tests, built by the tests themselves in the shapes offices'
 * sheets take (real .xlsx through ExcelJS, real BIFF8 .xls through SheetJS, CSV in UTF-8 and GBK).
 */
import ExcelJS from 'exceljs';
import * as XLSX from '@e965/xlsx';
import iconv from 'iconv-lite';

export type Cell = string | number | Date | null | { formula: string; result?: string | number };

export interface SheetSpec {
  name: string;
  rows: Cell[][];
  /** Excel ranges, e.g. 'A4:A6'. */
  merges?: string[];
}

export const TITLE = '某某集团党委关于省委第三巡视组反馈意见整改落实台账';
export const HEAD = ['序号', '问题类别', '问题描述', '整改措施', '责任领导', '责任部门', '责任人', '整改时限', '整改进展', '完成情况', '佐证材料', '销号情况', '备注'];

export async function xlsx(sheets: SheetSpec[], o: { date1904?: boolean } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  if (o.date1904) wb.properties.date1904 = true;
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    s.rows.forEach((r, i) => {
      const row = ws.getRow(i + 1);
      r.forEach((v, c) => {
        if (v !== null) row.getCell(c + 1).value = v as ExcelJS.CellValue;
      });
      row.commit();
    });
    for (const m of s.merges ?? []) ws.mergeCells(m);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A BIFF8 .xls (Excel 97–2003, what WPS saves by default in many offices). */
export function xls(sheets: SheetSpec[]): Buffer {
  const wb = XLSX.utils.book_new();
  for (const s of sheets) {
    const ws = XLSX.utils.aoa_to_sheet(s.rows.map((r) => r.map((c) => (c !== null && typeof c === 'object' && !(c instanceof Date) ? c.result ?? null : c))), { cellDates: true });
    ws['!merges'] = (s.merges ?? []).map((m) => XLSX.utils.decode_range(m));
    XLSX.utils.book_append_sheet(wb, ws, s.name);
  }
  return XLSX.write(wb, { type: 'buffer', bookType: 'xls' }) as Buffer;
}

const csvField = (v: Cell) => {
  const s = v === null ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'object' ? String(v.result ?? '') : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function csv(rows: Cell[][], encoding: 'utf-8' | 'utf-8-bom' | 'gbk' = 'utf-8'): Buffer {
  const text = rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
  if (encoding === 'gbk') return iconv.encode(text, 'gbk');
  return Buffer.concat([encoding === 'utf-8-bom' ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
}
