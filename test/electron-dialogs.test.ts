/**
 * The shell's dialogs (electron/dialogs.ts) with a fake of Electron's `dialog`: the folder dialog
 * for a backup or for exchange packages, the open dialog for a package or a receipt (.xzpkg), the
 * first path chosen, null when cancelled, attached to the window when there is one.
 */
import type { BrowserWindow, OpenDialogOptions, SaveDialogOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { chooseWith, folderDialogOptions, packageDialogOptions, saveDialogOptions, saveWith, workbookDialogOptions } from '../electron/dialogs.js';

function fakeDialog(answer: { canceled: boolean; filePaths: string[] }) {
  const calls: { win: unknown; options: OpenDialogOptions }[] = [];
  return {
    calls,
    showOpenDialog: ((a: unknown, b?: OpenDialogOptions) => {
      calls.push(b ? { win: a, options: b } : { win: null, options: a as OpenDialogOptions });
      return Promise.resolve(answer);
    }) as never,
  };
}

describe('shell dialogs', () => {
  it('asks for one .xzpkg file for a package or a receipt, in zh-CN', () => {
    for (const kind of ['changes', 'receipt'] as const) {
      const o = packageDialogOptions(kind);
      expect(o.properties).toEqual(['openFile']);
      expect(o.filters?.[0]?.extensions).toEqual(['xzpkg']);
      expect(o.title).toMatch(kind === 'receipt' ? /回执/ : /交换包/);
    }
  });

  it('asks for a folder (which may be made) for a backup or for exchange packages', () => {
    expect(folderDialogOptions('backup')).toMatchObject({ title: '选择备份文件夹（如U盘）', properties: ['openDirectory', 'createDirectory'] });
    expect(folderDialogOptions('exchange')).toMatchObject({ title: expect.stringMatching(/交换包/), properties: ['openDirectory', 'createDirectory'] });
  });

  it('returns the first path chosen, null when cancelled, attached to the window when there is one', async () => {
    const win = { id: 1 } as unknown as BrowserWindow;
    const d = fakeDialog({ canceled: false, filePaths: ['/media/usb/某省委巡视办-交换包-2024-06-14-1.xzpkg', '/x'] });
    expect(await chooseWith(d, win, packageDialogOptions('changes'))).toBe('/media/usb/某省委巡视办-交换包-2024-06-14-1.xzpkg');
    expect(d.calls[0]!.win).toBe(win);
    expect(await chooseWith(fakeDialog({ canceled: true, filePaths: ['/x'] }), null, folderDialogOptions('exchange'))).toBeNull();
    expect(await chooseWith(fakeDialog({ canceled: false, filePaths: [] }), null, folderDialogOptions('backup'))).toBeNull();
    const alone = fakeDialog({ canceled: false, filePaths: ['/media/usb'] });
    expect(await chooseWith(alone, null, folderDialogOptions('backup'))).toBe('/media/usb');
    expect(alone.calls[0]!.win).toBeNull();
  });

  it('asks for one workbook (.xlsx, .xls, .csv) to import', () => {
    const o = workbookDialogOptions();
    expect(o.properties).toEqual(['openFile']);
    expect(o.filters?.[0]?.extensions).toEqual(['xlsx', 'xls', 'csv']);
    expect(o.title).toBe('选择要导入的Excel台账');
  });

  it('saves a file where the user says, with its kind\'s extension, null when cancelled', async () => {
    const o = saveDialogOptions('xlsx', '某某集团巡视整改台账.xlsx', '/home/user/文档');
    expect(o).toMatchObject({ defaultPath: '/home/user/文档/某某集团巡视整改台账.xlsx', filters: [{ extensions: ['xlsx'] }] });
    expect(o.properties).toContain('showOverwriteConfirmation');
    const calls: SaveDialogOptions[] = [];
    const d = (answer: { canceled: boolean; filePath: string }) => ({
      showSaveDialog: ((a: unknown, b?: SaveDialogOptions) => {
        calls.push(b ?? (a as SaveDialogOptions));
        return Promise.resolve(answer);
      }) as never,
    });
    expect(await saveWith(d({ canceled: false, filePath: '/media/usb/台账' }), null, 'xlsx', o)).toBe('/media/usb/台账.xlsx');
    expect(await saveWith(d({ canceled: false, filePath: '/media/usb/台账.XLSX' }), null, 'xlsx', o)).toBe('/media/usb/台账.XLSX');
    expect(await saveWith(d({ canceled: true, filePath: '/x.xlsx' }), null, 'xlsx', o)).toBeNull();
    expect(calls).toHaveLength(3);
  });
});
