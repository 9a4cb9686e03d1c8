/**
 * Files the user opens or saves, outside exchange: 导入Excel台账 (db/excel/import.ts) and the files
 * the engine writes for the user: 导出台账 (db/excel/export.ts), a list's or a statistics table's
 * 导出 as .xlsx (db/excel/table.ts), a chart as PNG.
 *
 * Where the files are. In the desktop app paths come only from the system's dialogs
 * (`ShellHooks.chooseWorkbook`, `ShellHooks.chooseSavePath`): the page never names a file it did
 * not get from one. The browser harness has no dialogs: a picked workbook is uploaded into `导入`
 * beside the ledger file (scripts/preview-server.ts), and a file written for the user goes into
 * `导出` beside it, whence the page downloads it (`SavedFile.download`).
 *
 * Like the exchange channels these read and write files and await, so they run outside the
 * dispatcher's transaction ("outside calls"); the import opens its own (inLongTransaction: the
 * ledger is busy until it ends, and `excel:progress` answers meanwhile), and after it the host
 * writes the audit anchor (`committed`).
 *
 * Rights, checked before the argument is read: reading a workbook and importing it need
 * `ledger.write` (as creating problems by hand does), exporting needs `ledger.read`.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { ServiceContext } from '../core/context.js';
import { requirePermission } from '../core/permissions.js';
import { DomainError } from '../domain/errors.js';
import { MAX_TABLE_ROWS } from '../domain/exports.js';
import * as f from '../domain/fields.js';
import { SHEET_FIELDS, type ColumnMapping } from '../domain/sheet-columns.js';
import { exportLedgerXlsx } from '../excel/export.js';
import { importExcel, planExcelImport, type ExcelDryRun, type ExcelImportOptions } from '../excel/import.js';
import { writeTableXlsx } from '../excel/table.js';
import { MAX_FILE_BYTES } from '../excel/workbook.js';
import type { LedgerHost, Session } from '../session/host.js';
import { ledgerFileCall, refusedFileCall, type SaveKind, type ShellHooks } from './session-calls.js';

/** Where the browser harness puts uploaded workbooks. */
export function importsDirOf(ledgerPath: string): string {
  return join(dirname(ledgerPath), '导入');
}

/** Where files written for the user go when there is no save dialog (the browser harness). */
export function exportsDirOf(ledgerPath: string): string {
  return join(dirname(ledgerPath), '导出');
}

/** A file written for the user: where, and whether the page should offer it as a download. */
export interface SavedFile { path: string; fileName: string; bytes: number; download: boolean }

/** A name Windows and Linux both accept, without a folder part. */
export function safeFileName(name: string): string {
  return basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f<>:"/\\|?*]+/g, ' ').trim().slice(-150) || '导出';
}

/** `name` in `dir`, or name(2), name(3)… when taken. */
function freshPath(dir: string, name: string): string {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  let p = join(dir, name);
  for (let k = 2; existsSync(p); k++) p = join(dir, `${stem}(${k})${ext}`);
  return p;
}

/**
 * Where a file the engine writes for the user goes: the path the user chose in the save dialog
 * (null: cancelled), or a fresh name in the ledger's 导出 folder, offered as a download.
 */
async function saveTarget(shell: ShellHooks, ledgerPath: string, kind: SaveKind, name: string): Promise<{ path: string; download: boolean } | null> {
  const fileName = safeFileName(name.endsWith(`.${kind}`) ? name : `${name}.${kind}`);
  if (shell.chooseSavePath) {
    const p = await shell.chooseSavePath(kind, fileName);
    return p ? { path: p, download: false } : null;
  }
  const dir = exportsDirOf(ledgerPath);
  mkdirSync(dir, { recursive: true });
  return { path: freshPath(dir, fileName), download: true };
}

/**
 * Write through `write(partialPath)` and move the result into place only when it is whole: a
 * failed or interrupted export leaves no half-written file where the user will look for it.
 */
async function writeWhole<R>(target: { path: string }, write: (path: string) => Promise<R>): Promise<R> {
  const partial = `${target.path}.partial`;
  try {
    const r = await write(partial);
    renameSync(partial, target.path);
    return r;
  } finally {
    rmSync(partial, { force: true });
  }
}

function savedFile(target: { path: string; download: boolean }): SavedFile {
  return { path: target.path, fileName: basename(target.path), bytes: statSync(target.path).size, download: target.download };
}

/**
 * A file the engine writes for the user, as `kind`: where `saveTarget` says (null: the dialog was
 * cancelled, and `write` never runs), written whole by `write`; the file and what `write` returned.
 */
export async function saveWritten<R extends object>(
  shell: ShellHooks, ledgerPath: string, kind: SaveKind, name: string, write: (path: string) => Promise<R>,
): Promise<(SavedFile & R) | null> {
  const target = await saveTarget(shell, ledgerPath, kind, name);
  if (!target) return null;
  const r = await writeWhole(target, write);
  return { ...savedFile(target), ...r };
}

// ---- 导入Excel台账 -----------------------------------------------------------------------------

/** How many of each list the dry run hands the screen (the counts are always whole). */
export const PREVIEW_LIMIT = { problems: 300, existing: 300, errors: 1000, skipped: 300 } as const;
const MAX_SHEETS = 200;
const MAX_COLUMN = 199;

const columnsArg = f.v.object(Object.fromEntries(SHEET_FIELDS.map((k) => [k, f.optInt('列', 0, MAX_COLUMN)])) as Record<(typeof SHEET_FIELDS)[number], ReturnType<typeof f.optInt>>, '列对应关系格式不正确。');
const excelOptionEntries = {
  path: f.text('Excel文件', 1000),
  /** The unit of sheets with no unit column whose name is not a unit's. */
  unit: f.optText('被巡视单位', f.LEN.name),
  year: f.optInt('年份', 2000, 2100),
  roundId: f.optId('巡视轮次'),
  categoryId: f.optId('问题类别'),
  /** The user's corrections, per sheet: the columns, and the header row (0-based) when not found. */
  mappings: f.list(f.v.object({ sheet: f.text('工作表', 100), headerRow: f.optInt('表头行', 0, 199_999), columns: columnsArg }, '列对应关系格式不正确。'), '列对应关系', MAX_SHEETS),
};
const previewArg = f.args(excelOptionEntries);
const importArg = f.args({ ...excelOptionEntries, skipBadRows: f.bool('跳过有误的行') });

type ExcelArg = f.v.InferOutput<typeof previewArg>;

function importOptions(a: ExcelArg): ExcelImportOptions {
  const mappings: Record<string, ColumnMapping> = {};
  const headerRows: Record<string, number> = {};
  for (const m of a.mappings ?? []) {
    const cols: ColumnMapping = {};
    for (const k of SHEET_FIELDS) if (typeof m.columns[k] === 'number') cols[k] = m.columns[k];
    mappings[m.sheet] = cols;
    if (typeof m.headerRow === 'number') headerRows[m.sheet] = m.headerRow;
  }
  return { fileName: basename(a.path), unit: a.unit ?? null, year: a.year ?? null, roundId: a.roundId ?? null, categoryId: a.categoryId ?? null, mappings, headerRows };
}

/** The workbook's bytes, refused before reading when the file is missing or too large. */
function readWorkbookFile(path: string): Buffer {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new DomainError('NOT_FOUND', '找不到所选的文件，可能已被移动或删除。', { field: 'path', reason: 'file_not_found' });
  }
  if (size > MAX_FILE_BYTES) {
    throw new DomainError('VALIDATION', `文件过大（${Math.round(size / 1024 / 1024)} MB），一次最多导入 ${MAX_FILE_BYTES / 1024 / 1024} MB。请按单位拆分后分别导入。`, { field: 'path', reason: 'excel_too_large' });
  }
  return readFileSync(path);
}

/** The dry run as the screen gets it: every count, and the first items of each list. */
export function previewView(d: ExcelDryRun) {
  return {
    sha256: d.sha256, counts: d.counts, sheets: d.sheets, newUnits: d.newUnits, newCategories: d.newCategories,
    problems: d.problems.slice(0, PREVIEW_LIMIT.problems), existing: d.existing.slice(0, PREVIEW_LIMIT.existing),
    errors: d.errors.slice(0, PREVIEW_LIMIT.errors), skipped: d.skipped.slice(0, PREVIEW_LIMIT.skipped),
  };
}
export type ExcelPreview = ReturnType<typeof previewView>;

const MAX_TABLE_COLUMNS = 60;
const tableArg = f.args({
  /** The file name offered (without folder). */
  name: f.text('文件名', 120),
  title: f.text('标题', 200),
  meta: f.list(f.text('说明', 1000), '说明', 10),
  columns: f.nonEmptyList(f.text('列名', 100), '列', MAX_TABLE_COLUMNS),
  rows: f.list(f.v.array(f.v.nullable(f.v.union([f.v.string(), f.v.number()])), '表格内容格式不正确。'), '行', MAX_TABLE_ROWS),
});
/** A PNG as a data URL's base64 (a chart, rendered by ECharts on the page); at most 20 MB. */
const MAX_PNG_BASE64 = 28_000_000;
const pngArg = f.args({ name: f.text('文件名', 120), base64: f.text('图片', MAX_PNG_BASE64) });
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const pdfArg = f.args({ name: f.text('文件名', 120) });

const exportArg = f.args({
  roundId: f.optId('巡视轮次'),
  unitId: f.optId('被巡视单位'),
  paper: f.optOneOf(['A4', 'A3'] as const, '纸张'),
  /** The file name offered in the save dialog (without folder). */
  name: f.optText('文件名', 120),
});

export type FileCalls = ReturnType<typeof hostFileCalls>;

/** The file channels: the host's, or refusals on an engine-only transport (no files there). */
export function fileCalls(session: Session, shell: ShellHooks): FileCalls {
  if (shell.host) return hostFileCalls(session, shell, shell.host);
  return {
    'excel:pick': refusedFileCall('ledger.write', f.NO_ARGS),
    'excel:preview': refusedFileCall('ledger.write', previewArg),
    'excel:import': refusedFileCall('ledger.write', importArg),
    'excel:progress': refusedFileCall('ledger.write', f.NO_ARGS),
    'excel:export': refusedFileCall('ledger.read', exportArg),
    'files:saveTable': refusedFileCall('ledger.read', tableArg),
    'files:savePng': refusedFileCall('ledger.read', pngArg),
    'files:savePdf': refusedFileCall('ledger.read', pdfArg),
  } as unknown as FileCalls;
}

function hostFileCalls(session: Session, shell: ShellHooks, hostOf: () => LedgerHost) {
  const ctxOf = () => hostOf().context(session);
  /** The import under way in this session: problems written of all (null: none). */
  let progress: { done: number; total: number } | null = null;

  return {
    /** Desktop: the system's open dialog for a workbook; null when cancelled. */
    'excel:pick': ledgerFileCall('ledger.write', f.NO_ARGS, ctxOf, async () => {
      if (!shell.chooseWorkbook) throw new DomainError('UNAVAILABLE', '当前版本不能打开文件选择对话框，请将文件拖入或点击选择。', { reason: 'no_dialog' });
      const path = await shell.chooseWorkbook();
      if (!path) return null;
      return { path, fileName: basename(path), bytes: statSync(path).size };
    }),

    /** The dry run (nothing written): what importing the workbook would create, and every bad row. */
    'excel:preview': ledgerFileCall('ledger.write', previewArg, ctxOf, async (ctx, a) => previewView(await planExcelImport(ctx, readWorkbookFile(a.path), importOptions(a)))),

    /** Import all or nothing (or, when chosen, all but the listed bad rows); progress meanwhile in excel:progress. */
    'excel:import': ledgerFileCall('ledger.write', importArg, ctxOf, async (ctx, a) => {
      const bytes = readWorkbookFile(a.path);
      progress = { done: 0, total: 0 };
      try {
        const r = await importExcel(ctx, bytes, {
          ...importOptions(a), skipBadRows: a.skipBadRows, onProgress: (done, total) => { progress = { done, total }; },
        });
        hostOf().committed();
        return { created: r.created, counts: r.dryRun.counts, sha256: r.dryRun.sha256 };
      } catch (e) {
        hostOf().discarded();
        throw e;
      } finally {
        progress = null;
      }
    }),

    /** The import's progress while the ledger is busy with it (answered then, unlike other calls). */
    'excel:progress': Object.assign((_ctx: ServiceContext, raw?: unknown) => {
      requirePermission(ctxOf(), 'ledger.write');
      f.parse(f.NO_ARGS, raw);
      return Promise.resolve(progress);
    }, { arg: f.NO_ARGS, permission: 'ledger.write' as const, outside: true as const }),

    /** 导出台账: the statutory ledger layout as .xlsx; null when the save dialog was cancelled. */
    'excel:export': ledgerFileCall('ledger.read', exportArg, ctxOf, async (ctx, a): Promise<SavedFile & { rows: number; problems: number } | null> => {
      return saveWritten(shell, hostOf().path, 'xlsx', a.name ?? '巡视整改台账', (path) => exportLedgerXlsx(ctx, path, { roundId: a.roundId ?? null, unitId: a.unitId ?? null, paper: a.paper ?? 'A4' }));
    }),

    /** 导出 of a list or a statistics table: the rows as the screen shows them, as .xlsx; null when cancelled. */
    'files:saveTable': ledgerFileCall('ledger.read', tableArg, ctxOf, async (_ctx, a): Promise<SavedFile & { rows: number } | null> => {
      const width = a.columns.length;
      const bad = a.rows.findIndex((r) => r.length > width || r.some((c) => typeof c === 'string' && c.length > f.LEN.long));
      if (bad >= 0) throw new DomainError('VALIDATION', `第${bad + 1}行的内容不符合表格的列。`, { field: `rows.${bad}`, reason: 'bad_row' });
      return saveWritten(shell, hostOf().path, 'xlsx', a.name, (path) => writeTableXlsx(path, { title: a.title, meta: a.meta ?? [], columns: a.columns, rows: a.rows ?? [] }));
    }),

    /**
     * 另存为PDF: the printed form on the screen, rendered by the shell (printToPdf), where the user
     * says; null when cancelled. Refused (no_print_to_pdf) where the shell cannot: the screen then
     * opens the print dialog.
     */
    'files:savePdf': ledgerFileCall('ledger.read', pdfArg, ctxOf, async (_ctx, a): Promise<SavedFile | null> => {
      if (!shell.printToPdf) throw new DomainError('UNAVAILABLE', '此处不能直接另存为PDF，请在打印对话框中选择“另存为PDF”。', { reason: 'no_print_to_pdf' });
      const render = shell.printToPdf;
      // Rendered once the user has said where (nothing is rendered for a cancelled dialog).
      return saveWritten(shell, hostOf().path, 'pdf', a.name, async (path) => {
        const bytes = Buffer.from(await render());
        if (!bytes.subarray(0, 5).equals(Buffer.from('%PDF-'))) throw new DomainError('CORRUPT', '生成PDF失败，未保存。', { reason: 'not_pdf' });
        writeFileSync(path, bytes);
        return {};
      });
    }),

    /** A chart as PNG (the page renders it; the engine checks it is a PNG and saves it); null when cancelled. */
    'files:savePng': ledgerFileCall('ledger.read', pngArg, ctxOf, async (_ctx, a): Promise<SavedFile | null> => {
      const bytes = Buffer.from(a.base64.replace(/^data:image\/png;base64,/, ''), 'base64');
      if (bytes.length < 67 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) throw new DomainError('VALIDATION', '图片格式不正确，未保存。', { field: 'base64', reason: 'not_png' });
      return saveWritten(shell, hostOf().path, 'png', a.name, async (path) => {
        writeFileSync(path, bytes);
        return {};
      });
    }),
  };
}
