/**
 * The system dialogs behind 备份到文件夹, 导出交换包到文件夹, 导入交换包 / 导入回执, 导入Excel台账 and
 * the files saved for the user (导出台账…): paths come
 * from the user's choice in the system dialog, never from the page. Electron's `dialog` and the
 * window come in as parameters, so this is unit-tested with a fake.
 */
import { join } from 'node:path';
import type { BrowserWindow, Dialog, OpenDialogOptions, OpenDialogReturnValue, SaveDialogOptions, SaveDialogReturnValue } from 'electron';
import type { SaveKind } from '../db/bridge/session-calls.js';

type OpenDialog = Pick<Dialog, 'showOpenDialog'>;
type SaveDialog = Pick<Dialog, 'showSaveDialog'>;

/** 选择文件夹 (a USB stick): for a backup, or for exchange packages. */
export function folderDialogOptions(purpose: 'backup' | 'exchange'): OpenDialogOptions {
  return purpose === 'backup'
    ? { title: '选择备份文件夹（如U盘）', buttonLabel: '备份到此文件夹', properties: ['openDirectory', 'createDirectory'] }
    : { title: '选择交换包的保存位置（如U盘）', buttonLabel: '保存到此文件夹', properties: ['openDirectory', 'createDirectory'] };
}

/** 选择交换包 / 回执: one .xzpkg file (receipts share the container and the extension). */
export function packageDialogOptions(kind: 'changes' | 'receipt'): OpenDialogOptions {
  return {
    title: kind === 'receipt' ? '选择对方发来的回执' : '选择对方发来的交换包',
    buttonLabel: kind === 'receipt' ? '导入此回执' : '预览此交换包',
    filters: [{ name: kind === 'receipt' ? '回执（.xzpkg）' : '交换包（.xzpkg）', extensions: ['xzpkg'] }, { name: '所有文件', extensions: ['*'] }],
    properties: ['openFile'],
  };
}

/** 导入Excel台账: one workbook (.xlsx, .xls as WPS saves it, or .csv). */
export function workbookDialogOptions(): OpenDialogOptions {
  return {
    title: '选择要导入的Excel台账',
    buttonLabel: '检查此文件',
    filters: [{ name: 'Excel 工作簿（.xlsx、.xls、.csv）', extensions: ['xlsx', 'xls', 'csv'] }, { name: '所有文件', extensions: ['*'] }],
    properties: ['openFile'],
  };
}

const SAVE_FILTERS: Record<SaveKind, { name: string; extensions: string[] }> = {
  xlsx: { name: 'Excel 工作簿（.xlsx）', extensions: ['xlsx'] },
  docx: { name: 'Word 文档（.docx）', extensions: ['docx'] },
  pdf: { name: 'PDF 文件（.pdf）', extensions: ['pdf'] },
  png: { name: 'PNG 图片（.png）', extensions: ['png'] },
};

/** 导出台账, report drafts, charts: where to save, the engine's suggested name filled in. */
export function saveDialogOptions(kind: SaveKind, suggestedName: string, folder?: string): SaveDialogOptions {
  return {
    title: '保存到',
    buttonLabel: '保存',
    defaultPath: folder ? join(folder, suggestedName) : suggestedName,
    filters: [SAVE_FILTERS[kind]],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
}

/** Show a save dialog; the chosen path (with the kind's extension), or null when cancelled. */
export async function saveWith(dialog: SaveDialog, win: BrowserWindow | null, kind: SaveKind, options: SaveDialogOptions): Promise<string | null> {
  const r: SaveDialogReturnValue = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  if (r.canceled || !r.filePath) return null;
  return r.filePath.toLowerCase().endsWith(`.${kind}`) ? r.filePath : `${r.filePath}.${kind}`;
}

/** Show an open dialog (attached to the window when there is one); the first path, or null when cancelled. */
export async function chooseWith(dialog: OpenDialog, win: BrowserWindow | null, options: OpenDialogOptions): Promise<string | null> {
  const r: OpenDialogReturnValue = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return r.canceled ? null : (r.filePaths[0] ?? null);
}
