/**
 * The main window's options and its Content-Security-Policy, as plain data so they are
 * unit-tested (Electron security checklist: https://www.electronjs.org/docs/latest/tutorial/security).
 */
import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * Nothing but the app's own files. `style-src 'unsafe-inline'` is the one concession: antd's
 * CSS-in-JS injects <style> elements at run time. Scripts are never inline and never eval'd.
 * In development the vite dev server (a localhost origin, never packaged) is added, with the
 * inline preamble and websocket that its hot reload needs.
 * No frame-ancestors: Chromium ignores it in a meta tag, and nothing remote can frame a file:// page.
 */
export function contentSecurityPolicy(devOrigin?: string): string {
  const dev = devOrigin ? ` ${devOrigin}` : '';
  const ws = devOrigin ? ` ${devOrigin.replace(/^http/, 'ws')}` : '';
  return [
    `default-src 'self'${dev}`,
    `script-src 'self'${dev}${devOrigin ? " 'unsafe-inline'" : ''}`,
    `style-src 'self' 'unsafe-inline'${dev}`,
    `img-src 'self' data: blob:${dev}`,
    `font-src 'self' data:${dev}`,
    `connect-src 'self'${dev}${ws}`,
    `worker-src 'self' blob:`,
    // Evidence preview: a PDF read from the ledger is shown from a blob: URL made by the page itself.
    `frame-src blob:`,
    `object-src 'none'`,
    `base-uri 'none'`,
    `form-action 'none'`,
  ].join('; ');
}

/** The production policy (also the one in renderer/index.html's meta tag). */
export const CSP = contentSecurityPolicy();

export interface WindowOptionsInput {
  /** Absolute path of the bundled CommonJS preload (sandboxed preloads cannot be ES modules). */
  preload: string;
  isDev: boolean;
  title?: string;
  /** The window's icon (a PNG path: taskbar and title bar on Linux; Windows takes the executable's icon otherwise). */
  icon?: string;
}

export function windowOptions(o: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title: o.title ?? '巡视整改监督台账',
    // 1366×768 is still the most common office workstation screen (UI.md): fit inside it.
    width: 1280,
    height: 740,
    minWidth: 1024,
    minHeight: 640,
    show: false, // shown on 'ready-to-show', so no white flash
    backgroundColor: '#ffffff',
    autoHideMenuBar: false,
    ...(o.icon ? { icon: o.icon } : {}),
    webPreferences: {
      preload: o.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: o.isDev,
    },
  };
}
