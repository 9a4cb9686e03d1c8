/**
 * The application menu in zh-CN. Ledger actions (导入/导出/打印/备份) are sent to the renderer as
 * menu commands: the page knows what is on screen and owns the dialogs that follow.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../db/bridge/api.js';

export interface MenuInput {
  /** Deliver a command to the focused window's page. */
  send(command: MenuCommand): void;
  /** Show the 关于 dialog (main process). */
  about(): void;
  isDev: boolean;
  productName?: string;
}

export function buildMenuTemplate(i: MenuInput): MenuItemConstructorOptions[] {
  const productName = i.productName ?? '巡视整改监督台账';
  const cmd = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => i.send(command),
  });
  const view: MenuItemConstructorOptions[] = [
    { label: '重新加载', role: 'reload' },
    { type: 'separator' },
    { label: '实际大小', role: 'resetZoom' },
    { label: '放大', role: 'zoomIn' },
    { label: '缩小', role: 'zoomOut' },
    { type: 'separator' },
    { label: '全屏', role: 'togglefullscreen' },
  ];
  if (i.isDev) view.push({ type: 'separator' }, { label: '开发者工具', role: 'toggleDevTools' });
  return [
    {
      label: '文件',
      submenu: [
        cmd('导入…', 'import', 'CmdOrCtrl+I'),
        cmd('导出…', 'export', 'CmdOrCtrl+E'),
        cmd('导入Excel台账…', 'importExcel'),
        cmd('导出台账（Excel）…', 'exportLedger'),
        { type: 'separator' },
        cmd('打印…', 'print', 'CmdOrCtrl+P'),
        { type: 'separator' },
        cmd('备份与恢复…', 'backup'),
        { type: 'separator' },
        cmd('锁定', 'lock', 'CmdOrCtrl+L'),
        { type: 'separator' },
        { label: '退出', role: 'quit' },
      ],
    },
    {
      label: '编辑',
      submenu: [
        { label: '撤销', role: 'undo' },
        { label: '重做', role: 'redo' },
        { type: 'separator' },
        { label: '剪切', role: 'cut' },
        { label: '复制', role: 'copy' },
        { label: '粘贴', role: 'paste' },
        { label: '全选', role: 'selectAll' },
      ],
    },
    { label: '视图', submenu: view },
    {
      label: '窗口',
      submenu: [
        { label: '最小化', role: 'minimize' },
        { label: '关闭窗口', role: 'close' },
      ],
    },
    {
      label: '帮助',
      submenu: [{ label: `关于${productName}`, click: () => i.about() }],
    },
  ];
}
