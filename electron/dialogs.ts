/**
 * The system dialogs behind 备份到文件夹, 导出交换包到文件夹 and 导入交换包 / 导入回执: paths come
 * from the user's choice in the system dialog, never from the page. Electron's `dialog` and the
 * window come in as parameters, so this is unit-tested with a fake.
 */
import type { BrowserWindow, Dialog, OpenDialogOptions, OpenDialogReturnValue } from 'electron';

type OpenDialog = Pick<Dialog, 'showOpenDialog'>;

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

/** Show an open dialog (attached to the window when there is one); the first path, or null when cancelled. */
export async function chooseWith(dialog: OpenDialog, win: BrowserWindow | null, options: OpenDialogOptions): Promise<string | null> {
  const r: OpenDialogReturnValue = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return r.canceled ? null : (r.filePaths[0] ?? null);
}
