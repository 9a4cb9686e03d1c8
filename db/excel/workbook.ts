/**
 * Reading the files offices keep their ledgers in (issue 11) into sheets of cells (rows.ts Grid):
 *
 * - `.xlsx` (Excel 2007+, WPS): ExcelJS 4.4, with merged ranges, rich text, cached formula
 *   results and the workbook's date system;
 * - `.xls` (BIFF8, what WPS still saves by default in many offices): SheetJS 0.20.3 as republished
 *   on npm under `@e965/xlsx` (the `xlsx` package on npm is the stale 0.18.5 with CVE-2023-30533
 *   and CVE-2024-22363; 0.20.3 fixes both). ExcelJS cannot read BIFF8;
 * - `.csv` in UTF-8 (with or without BOM) or GBK/GB18030 (WPS's default): decoded as UTF-8 if the
 *   bytes are valid UTF-8, else as GB18030 (a superset of GBK), then parsed per RFC 4180.
 *
 * The kind is told from the bytes, not the name. Refused with a zh-CN message and nothing read:
 * an empty file, a file over MAX_FILE_BYTES, a password-protected workbook (an OLE2 container
 * holding an encrypted OOXML package), a file that is none of these, a sheet over MAX_ROWS rows.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { createInflateRaw, inflateRawSync, constants as zlibConstants } from 'node:zlib';
import { DomainError } from '../domain/errors.js';
import { columnIndex, type CellValue, type Grid, type Merge } from './rows.js';

export const MAX_FILE_BYTES = 64 * 1024 * 1024;
export const MAX_ROWS = 200_000;
export const MAX_COLUMNS = 200;

export type WorkbookKind = 'xlsx' | 'xls' | 'csv';

const refuse = (reason: string, message: string) => new DomainError('VALIDATION', message, { reason });

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const starts = (b: Uint8Array, sig: number[]) => sig.every((x, i) => b[i] === x);

/** What the bytes are (a password-protected .xlsx is an OLE2 file too: told apart when read). */
export function workbookKind(bytes: Uint8Array): WorkbookKind | null {
  if (starts(bytes, ZIP)) return 'xlsx';
  if (starts(bytes, OLE2)) return 'xls';
  // Text: no NUL bytes in the first 8 KiB (UTF-16 and binaries have them).
  const head = bytes.subarray(0, 8192);
  return head.includes(0) ? null : 'csv';
}

/**
 * The last workbook read, by its bytes' SHA-256, for a few minutes: the dry run, a second dry run
 * with a saved or corrected mapping and the import (which plans again) read one file, which is
 * parsed once (a 100,000-row .xlsx: about 4 s each time). Its sheets are only read by the callers.
 */
let last: { sha256: string; grids: Grid[]; timer: ReturnType<typeof setTimeout> } | null = null;
const KEEP_MS = 3 * 60_000;

/** Drops the workbook kept from the last read (after an import; the benchmark, to time a cold read). */
export function forgetWorkbook(): void {
  if (last) clearTimeout(last.timer);
  last = null;
}

/**
 * Every sheet of the file, as cells. With the file's name, a file named .xlsx or .xls whose bytes
 * are text is refused as not a workbook (else it would read as a CSV without a ledger header).
 */
export async function readWorkbook(bytes: Uint8Array, fileName?: string): Promise<Grid[]> {
  return (await readWorkbookKeyed(bytes, fileName)).grids;
}

/** readWorkbook, with the SHA-256 (hex) of the bytes it computed (the dry run names the file by it). */
export async function readWorkbookKeyed(bytes: Uint8Array, fileName?: string): Promise<{ grids: Grid[]; sha256: string }> {
  if (bytes.length === 0) throw refuse('excel_empty', '文件是空的。');
  if (bytes.length > MAX_FILE_BYTES) throw refuse('excel_too_large', `文件超过 ${MAX_FILE_BYTES / 1024 / 1024} MB，请按单位或轮次拆分后分别导入。`);
  const kind = workbookKind(bytes);
  if (kind === null || (kind === 'csv' && fileName && /\.xlsx?$/i.test(fileName))) throw refuse('excel_not_workbook', '该文件不是 Excel 工作簿（.xlsx/.xls）或 CSV 文件。');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (last?.sha256 === sha256) return { grids: last.grids, sha256 };
  forgetWorkbook();
  const grids = kind === 'xlsx' ? await readXlsx(bytes) : kind === 'xls' ? await readXls(bytes) : [readCsv(bytes)];
  for (const g of grids) {
    if (g.rows.length > MAX_ROWS) throw refuse('excel_too_many_rows', `工作表“${g.name}”超过 ${MAX_ROWS.toLocaleString('en-US')} 行，请拆分后分别导入。`);
  }
  if (grids.every((g) => g.rows.every((r) => r.every((c) => c === null || c === '')))) throw refuse('excel_empty', '工作簿中没有任何内容。');
  // Another read may have finished while this one was parsing: only the newest is kept, with one timer.
  forgetWorkbook();
  const timer = setTimeout(forgetWorkbook, KEEP_MS);
  timer.unref?.();
  last = { sha256, grids, timer };
  return { grids, sha256 };
}

// ---------------------------------------------------------------------------------------------
// .xlsx

type ExcelCell = { value: unknown; text?: string };

/** ExcelJS's value of a cell as one of ours. */
function excelValue(v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text?: string }[]).map((t) => t.text ?? '').join('');
    // A formula: its cached result (the text a user saw); a formula never calculated reads as empty.
    if ('formula' in o || 'sharedFormula' in o) return o.result === undefined ? null : excelValue(o.result);
    if (typeof o.text === 'string') return o.text; // hyperlink
    if (typeof o.error === 'string') return o.error;
  }
  return String(v);
}

/** The worksheets of an .xlsx zip: name, compression method, and the compressed bytes. */
function sheetEntries(bytes: Uint8Array): { entry: string; method: number; data: Buffer }[] {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // End of central directory: its signature within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 65_557); i--) {
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return [];
  const count = b.readUInt16LE(eocd + 10);
  let p = b.readUInt32LE(eocd + 16);
  const out: { entry: string; method: number; data: Buffer }[] = [];
  for (let k = 0; k < count && p + 46 <= b.length && b.readUInt32LE(p) === 0x02014b50; k++) {
    const method = b.readUInt16LE(p + 10);
    const compressed = b.readUInt32LE(p + 20);
    const nameLen = b.readUInt16LE(p + 28);
    const local = b.readUInt32LE(p + 42);
    const entry = b.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + b.readUInt16LE(p + 30) + b.readUInt16LE(p + 32);
    if (!/^xl\/worksheets\/[^/]+\.xml$/i.test(entry) || local + 30 > b.length || b.readUInt32LE(local) !== 0x04034b50) continue;
    const start = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
    out.push({ entry, method, data: b.subarray(start, Math.min(b.length, start + compressed)) });
  }
  return out;
}

/**
 * The rows of each worksheet, known before ExcelJS builds the workbook in memory (a workbook of a
 * million rows is refused first): the sheet's `<dimension ref="A1:M1000000"/>`, which Excel and
 * WPS write at the start of its XML (only its first 64 KiB is inflated), or else its `<row`
 * elements counted as it inflates in pieces, stopping past `limit`.
 */
export async function declaredRows(bytes: Uint8Array, limit = MAX_ROWS): Promise<{ entry: string; rows: number }[]> {
  const out: { entry: string; rows: number }[] = [];
  for (const s of sheetEntries(bytes)) {
    if (s.method !== 8 && s.method !== 0) continue;
    let head: string;
    try {
      const first = s.data.subarray(0, 65_536);
      head = (s.method === 8 ? inflateRawSync(first, { finishFlush: zlibConstants.Z_SYNC_FLUSH }) : first).toString('latin1', 0, 65_536);
    } catch {
      continue;
    }
    const m = /<dimension\s+ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"/.exec(head);
    if (m?.[1] && Number(m[1]) > 1) {
      out.push({ entry: s.entry, rows: Number(m[1]) });
      continue;
    }
    out.push({ entry: s.entry, rows: await countRows(s.data, s.method, limit) });
  }
  return out;
}

/** `<row` elements in a sheet's XML, inflated piece by piece; stops counting past `limit`. */
async function countRows(data: Buffer, method: number, limit: number): Promise<number> {
  const source = method === 8 ? Readable.from([data]).pipe(createInflateRaw()) : Readable.from([data]);
  let n = 0;
  let tail = '';
  try {
    for await (const piece of source as AsyncIterable<Buffer>) {
      const text = tail + piece.toString('latin1');
      for (let i = text.indexOf('<row'); i >= 0; i = text.indexOf('<row', i + 4)) if (text[i + 4] === ' ' || text[i + 4] === '>') n++;
      tail = text.slice(-4);
      if (n > limit) break;
    }
  } catch {
    // a damaged stream: ExcelJS will say so when it loads the file
  } finally {
    (source as Readable).destroy();
  }
  return n;
}

async function readXlsx(bytes: Uint8Array): Promise<Grid[]> {
  const big = (await declaredRows(bytes)).find((d) => d.rows > MAX_ROWS);
  if (big) throw refuse('excel_too_many_rows', `工作簿中有工作表超过 ${MAX_ROWS.toLocaleString('en-US')} 行，请拆分后分别导入。`);
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch (e) {
    throw refuse('excel_unreadable', `无法读取该 Excel 文件（文件可能已损坏）：${e instanceof Error ? e.message : String(e)}`);
  }
  const date1904 = wb.properties?.date1904 === true;
  const grids: Grid[] = [];
  wb.eachSheet((ws) => {
    if (ws.rowCount > MAX_ROWS) throw refuse('excel_too_many_rows', `工作表“${ws.name}”超过 ${MAX_ROWS.toLocaleString('en-US')} 行，请拆分后分别导入。`);
    const rows: CellValue[][] = [];
    ws.eachRow({ includeEmpty: false }, (row, n) => {
      const cells: CellValue[] = [];
      row.eachCell({ includeEmpty: false }, (cell, c) => {
        if (c <= MAX_COLUMNS) cells[c - 1] = excelValue((cell as unknown as ExcelCell).value);
      });
      for (let i = 0; i < cells.length; i++) cells[i] ??= null;
      rows[n - 1] = cells;
    });
    for (let i = 0; i < rows.length; i++) rows[i] ??= [];
    const merges: Merge[] = [];
    for (const ref of (ws.model as { merges?: string[] }).merges ?? []) {
      const m = parseRange(ref);
      if (m) merges.push(m);
    }
    grids.push({ name: ws.name, rows, merges, date1904 });
  });
  return grids;
}

/** "B3:D7" → 0-based corners. */
export function parseRange(ref: string): Merge | null {
  const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(ref.replace(/\$/g, '').toUpperCase());
  if (!m) return null;
  return { top: Number(m[2]) - 1, left: columnIndex(m[1]!), bottom: Number(m[4]) - 1, right: columnIndex(m[3]!) };
}

// ---------------------------------------------------------------------------------------------
// .xls (and OLE2 containers in general)

async function readXls(bytes: Uint8Array): Promise<Grid[]> {
  const XLSX = await import('@e965/xlsx');
  let wb: import('@e965/xlsx').WorkBook;
  try {
    wb = XLSX.read(bytes, { type: 'array', cellDates: true, cellFormula: false, cellHTML: false, dense: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/password|encrypt/i.test(msg)) throw refuse('excel_password', '该工作簿设有打开密码，请在 Excel/WPS 中取消密码后再导入。');
    throw refuse('excel_unreadable', `无法读取该 Excel 文件（文件可能已损坏）：${msg}`);
  }
  const date1904 = wb.Workbook?.WBProps?.date1904 === true;
  return wb.SheetNames.map((name) => {
    const ws = wb.Sheets[name]!;
    const dense = (ws as unknown as { '!data'?: ({ v?: unknown; w?: string; t?: string } | undefined)[][] })['!data'] ?? [];
    if (dense.length > MAX_ROWS) throw refuse('excel_too_many_rows', `工作表“${name}”超过 ${MAX_ROWS.toLocaleString('en-US')} 行，请拆分后分别导入。`);
    const rows: CellValue[][] = [];
    for (let r = 0; r < dense.length; r++) {
      const src = dense[r] ?? [];
      const cells: CellValue[] = [];
      for (let c = 0; c < Math.min(src.length, MAX_COLUMNS); c++) {
        const cell = src[c];
        cells[c] = cell === undefined || cell.v === undefined ? null : cell.t === 'e' ? (cell.w ?? '#ERROR') : (cell.v as CellValue);
      }
      rows[r] = cells;
    }
    const merges: Merge[] = ((ws['!merges'] ?? []) as { s: { r: number; c: number }; e: { r: number; c: number } }[])
      .map((m) => ({ top: m.s.r, left: m.s.c, bottom: m.e.r, right: m.e.c }));
    return { name, rows, merges, date1904 };
  });
}

// ---------------------------------------------------------------------------------------------
// .csv

/** UTF-8 when the bytes are valid UTF-8 (BOM or not), else GB18030 (GBK's superset). */
export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'gb18030' } {
  const body = starts(bytes, [0xef, 0xbb, 0xbf]) ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}

/** RFC 4180: fields in double quotes may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (rows.length > MAX_ROWS) throw refuse('excel_too_many_rows', `CSV 文件超过 ${MAX_ROWS.toLocaleString('en-US')} 行，请拆分后分别导入。`);
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function readCsv(bytes: Uint8Array): Grid {
  const { text } = decodeText(bytes);
  return { name: 'CSV', rows: parseCsv(text).map((r) => r.slice(0, MAX_COLUMNS).map((c) => (c === '' ? null : c))), merges: [] };
}
