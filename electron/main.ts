/**
 * Main process (entry file): wires Electron to the pieces that hold the logic (window options,
 * guards, IPC glue, menu: all unit-tested without Electron) and to the ledger engine in db/.
 * Keep this file to wiring; anything worth testing goes into a module that takes Electron objects
 * as parameters.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, session as electronSession } from 'electron';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../db/core/clock.js';
import { uuidv7Source } from '../db/core/ids.js';
import { makeHandlers } from '../db/bridge/handlers.js';
import { LedgerHost, type Session } from '../db/session/host.js';
import { DEMO_PASSWORD, generateDemoLedger } from '../db/seed/demo.js';
import { MENU_CHANNEL } from './channels.js';
import { chooseWith, folderDialogOptions, packageDialogOptions, saveDialogOptions, saveWith, workbookDialogOptions } from './dialogs.js';
import { registerIpc } from './ipc.js';
import { buildMenuTemplate } from './menu.js';
import { appUrlCheck, shellPaths } from './paths.js';
import { hardenSession, hardenWebContents } from './security.js';
import { contentSecurityPolicy, windowOptions } from './window-options.js';

const PRODUCT_NAME = '巡视整改监督台账';
const isDev = !app.isPackaged;
// The vite dev server (a later issue) — honoured only in development, never in a packaged app.
const devOrigin = isDev && process.env.XZ_DEV_SERVER_URL ? new URL(process.env.XZ_DEV_SERVER_URL).origin : undefined;

// scripts/start.mjs keeps development ledgers in the repository's data/ folder, away from a
// real installation's ledger in the user's profile.
if (isDev && process.env.XZ_DATA_DIR) app.setPath('userData', process.env.XZ_DATA_DIR);

const paths = shellPaths({
  isPackaged: app.isPackaged,
  resourcesPath: process.resourcesPath,
  appPath: app.getAppPath(),
  userData: app.getPath('userData'),
  mainDir: dirname(fileURLToPath(import.meta.url)),
});
const isAppUrl = appUrlCheck({ rendererDir: paths.rendererDir, devOrigin });

let mainWindow: BrowserWindow | null = null;
let host: LedgerHost | null = null;

// Every renderer sandboxed, whatever its webPreferences say.
app.enableSandbox();

// One writer per ledger file: a second launch focuses the first window instead.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, isAppUrl));
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    host?.close();
    host = null;
  });
  app.whenReady().then(start).catch(fail);
}

function start(): void {
  mkdirSync(app.getPath('userData'), { recursive: true });
  const ids = uuidv7Source();
  // The ledger stays closed until someone logs in: its data key exists only wrapped in the key file.
  // Scheduled backups (daily at first log-in, every 4 hours of use) for the real ledger only, not the demo.
  const hostFor = (path: string, scheduleBackups = false) =>
    new LedgerHost({ path, migrationsFolder: paths.migrationsFolder, clock: systemClock, ids, scheduleBackups, appVersion: app.getVersion() });
  host = hostFor(paths.ledgerFile, true);

  hardenSession(electronSession.defaultSession, contentSecurityPolicy(devOrigin));

  const userSession: Session = { user: null };
  registerIpc(ipcMain, {
    handlers: makeHandlers(userSession, {
      host: () => host!,
      backupDir: () => join(app.getPath('userData'), 'backups'),
      // 备份到文件夹, 导出交换包到文件夹, 导入交换包/回执: paths come from the system dialogs, never from the page.
      chooseFolder: (purpose = 'backup') => chooseWith(dialog, mainWindow, folderDialogOptions(purpose)),
      choosePackage: (kind) => chooseWith(dialog, mainWindow, packageDialogOptions(kind)),
      chooseWorkbook: () => chooseWith(dialog, mainWindow, workbookDialogOptions()),
      chooseSavePath: (kind, name) => saveWith(dialog, mainWindow, kind, saveDialogOptions(kind, name, app.getPath('documents'))),
      // 另存为PDF: the page as Chromium prints it (the printed form the screen laid out, CSS page size).
      printToPdf: async () => {
        if (!mainWindow) throw new Error('no window');
        return mainWindow.webContents.printToPDF({ preferCSSPageSize: true, printBackground: true });
      },
      // 打开演示台账 (first run only): switch to an encrypted demo ledger file beside the real one.
      openDemo() {
        const demoFile = join(app.getPath('userData'), 'demo-ledger.sqlite');
        if (!existsSync(demoFile)) generateDemoLedger(demoFile, {});
        host?.close();
        host = hostFor(demoFile);
        return { password: DEMO_PASSWORD };
      },
    }),
    makeCtx: () => host!.context(userSession),
    onCommit: () => host?.committed(),
    onRollback: () => host?.discarded(),
    isTrustedSender: isAppUrl,
  });

  const win = new BrowserWindow(windowOptions({ preload: paths.preload, isDev, title: PRODUCT_NAME, icon: paths.icon }));
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    mainWindow = null;
  });

  const menu = buildMenuTemplate({
    isDev,
    productName: PRODUCT_NAME,
    send: (command) => mainWindow?.webContents.send(MENU_CHANNEL, command),
    about: () => {
      void dialog.showMessageBox({
        type: 'info',
        title: `关于${PRODUCT_NAME}`,
        message: PRODUCT_NAME,
        detail: `版本 ${app.getVersion()}\n离线桌面台账：记录巡视反馈问题的整改、监督、销号与汇总分析。`,
      });
    },
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(menu));

  if (devOrigin) void win.loadURL(process.env.XZ_DEV_SERVER_URL!);
  else void win.loadFile(paths.rendererIndex);
}

/** Start-up failed (ledger unreadable, migrations missing…): say so in Chinese and quit. */
function fail(e: unknown): void {
  console.error(e);
  const code = e && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : '';
  dialog.showErrorBox(
    `${PRODUCT_NAME}无法启动`,
    code === 'CORRUPT' && e instanceof Error
      ? e.message
      : `打开台账文件时出错：${paths.ledgerFile}\n请确认该文件未被其他程序占用，或联系管理员从备份恢复。`,
  );
  app.exit(1);
}
