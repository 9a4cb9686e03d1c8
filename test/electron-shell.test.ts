/**
 * The Electron shell's glue, tested with fakes of ipcMain, ipcRenderer, webContents and session
 * (Electron's binary is not available on the build machines; see ARCHITECTURE.md).
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { BridgeLogger, BridgeResult, Handlers } from '../db/bridge/dispatch.js';
import { MENU_COMMANDS } from '../db/bridge/dispatch.js';
import { invalid } from '../db/domain/errors.js';
import type { Session } from '../db/bridge/dispatch.js';
import { makeHandlers } from '../db/bridge/handlers.js';
import { CALL_CHANNEL, MENU_CHANNEL } from '../electron/channels.js';
import { registerIpc, type RegisterIpcOptions } from '../electron/ipc.js';
import { buildMenuTemplate } from '../electron/menu.js';
import { appUrlCheck, shellPaths } from '../electron/paths.js';
import { createWindowApi } from '../electron/preload-api.js';
import { hardenSession, hardenWebContents } from '../electron/security.js';
import { contentSecurityPolicy, CSP, windowOptions } from '../electron/window-options.js';
import { bundlePreload } from '../scripts/build-shell.mjs';
import { makeTestLedger, PASSWORD, type TestLedger } from './helpers/ledger.js';

const root = join(import.meta.dirname, '..');
const rendererDir = '/opt/巡视整改监督台账/resources/app.asar/dist/renderer';
const appPage = pathToFileURL(join(rendererDir, 'index.html')).href;

let t: TestLedger | undefined;
afterEach(() => {
  t?.close();
  t = undefined;
});

// ---- fakes -------------------------------------------------------------------------------

type Listener = (event: unknown, ...args: unknown[]) => unknown;

function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  return {
    handlers,
    handle(channel: string, listener: Listener) {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler(channel: string) {
      handlers.delete(channel);
    },
  };
}

const fromFrame = (url: string | null) => ({ senderFrame: url === null ? null : { url } });

function setup(handlers: Handlers, logger?: BridgeLogger) {
  t = makeTestLedger();
  const ledger = t;
  const ipc = fakeIpcMain();
  const opts: RegisterIpcOptions = {
    handlers,
    makeCtx: () => ledger.as(ledger.users.admin),
    isTrustedSender: appUrlCheck({ rendererDir }),
    ...(logger ? { logger } : {}),
  };
  // The fake satisfies the two methods registerIpc uses; Electron's overloads are wider.
  const unregister = registerIpc(ipc as unknown as Parameters<typeof registerIpc>[0], opts);
  const call = (channel: unknown, arg: unknown, url: string | null = appPage) => {
    const h = ipc.handlers.get(CALL_CHANNEL);
    if (!h) throw new Error(`no handler registered for ${CALL_CHANNEL}`);
    return h(fromFrame(url), channel, arg) as Promise<BridgeResult>;
  };
  return { ipc, call, unregister };
}

// ---- IPC -----------------------------------------------------------------------------------

describe('IPC registration', () => {
  const handlers: Handlers = {
    'x:ok': (_ctx, arg) => ({ echoed: arg }),
    'x:invalid': () => {
      throw invalid('deadline', '整改时限不能早于反馈日期。', 'before_feedback');
    },
    'x:boom': () => {
      throw new Error('disk I/O error at /var/secret');
    },
  };

  it('registers the one call channel and nothing else, and removes it when asked', () => {
    const { ipc, unregister } = setup(handlers);
    expect([...ipc.handlers.keys()]).toEqual([CALL_CHANNEL]);
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it('refuses a channel the handler map does not declare, and names inherited from Object', async () => {
    const { call } = setup(handlers);
    for (const c of ['x:missing', 'hasOwnProperty', '__proto__', 42, null]) {
      expect(await call(c, {})).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    }
  });

  it('returns the value of a good call from the app page', async () => {
    const { call } = setup(handlers);
    expect(await call('x:ok', { n: 1 })).toEqual({ ok: true, value: { echoed: { n: 1 } } });
    expect(await call('x:ok', 2, `${appPage}#/problems?round=1`)).toEqual({ ok: true, value: { echoed: 2 } });
  });

  it('refuses calls from any page that is not the app', async () => {
    let ran = 0;
    const { call } = setup({ 'x:ok': () => ++ran });
    for (const url of ['https://evil.example/', 'file:///tmp/downloaded.html', `${pathToFileURL(rendererDir).href}/../../x.html`, 'about:blank', 'not a url', null]) {
      const r = await call('x:ok', {}, url);
      expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'untrusted_sender' } });
    }
    expect(ran).toBe(0);
  });

  it('passes domain error codes through with their field and reason', async () => {
    const { call } = setup(handlers);
    expect(await call('x:invalid', {})).toEqual({
      ok: false,
      error: { code: 'VALIDATION', field: 'deadline', reason: 'before_feedback', message: '整改时限不能早于反馈日期。' },
    });
  });

  it('turns an unexpected error into CORRUPT without leaking its text', async () => {
    const logged: unknown[] = [];
    const { call } = setup(handlers, { error: (_m, d) => logged.push(d) });
    const r = await call('x:boom', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'CORRUPT' } });
    expect(JSON.stringify(r)).not.toMatch(/secret|disk I\/O/);
    expect(logged).toHaveLength(1);
  });

  it('serves every contract channel, and a login over IPC sets the window session', async () => {
    const session: Session = { user: null };
    const { call } = setup(makeHandlers(session));
    expect((await call('office:get', undefined)).ok).toBe(true);
    const bad = await call('session:login', { username: 'admin', password: 'wrong-password' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'bad_credentials' } });
    expect(session.user).toBeNull();
    const good = await call('session:login', { username: 'admin', password: PASSWORD });
    expect(good).toMatchObject({ ok: true, value: { id: t!.users.admin.id, role: 'admin' } });
    expect(session.user?.id).toBe(t!.users.admin.id);
  });
});

// ---- preload --------------------------------------------------------------------------------

function fakeIpcRenderer() {
  const calls: unknown[][] = [];
  const listeners = new Map<string, Set<Listener>>();
  return {
    calls,
    listeners,
    invoke(channel: string, ...args: unknown[]) {
      calls.push([channel, ...args]);
      return Promise.resolve({ ok: true, value: `reply:${channel}` });
    },
    on(channel: string, l: Listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(l);
      return this;
    },
    removeListener(channel: string, l: Listener) {
      listeners.get(channel)?.delete(l);
      return this;
    },
    emit(channel: string, ...args: unknown[]) {
      const sender = { secret: 'the raw ipcRenderer' };
      for (const l of listeners.get(channel) ?? []) l({ sender }, ...args);
    },
  };
}

describe('window.api (preload)', () => {
  it('forwards a contract channel over the call channel and refuses shell channels and odd names without touching IPC', async () => {
    const ipc = fakeIpcRenderer();
    const api = createWindowApi(ipc as never);
    expect(await api.invoke('office:get', { a: 1 })).toEqual({ ok: true, value: `reply:${CALL_CHANNEL}` });
    const refused = await api.invoke('shell:menu', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(await api.invoke('users:delete-everything', {})).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(await api.invoke(42 as never, {})).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(ipc.calls).toEqual([[CALL_CHANNEL, 'office:get', { a: 1 }]]);
  });

  it('delivers only known menu commands, never the IPC event, and unsubscribes', () => {
    const ipc = fakeIpcRenderer();
    const api = createWindowApi(ipc as never);
    const got: unknown[][] = [];
    const off = api.onMenu((...args: unknown[]) => got.push(args));
    ipc.emit(MENU_CHANNEL, 'print');
    ipc.emit(MENU_CHANNEL, 'rm -rf');
    ipc.emit(MENU_CHANNEL, { command: 'print' });
    expect(got).toEqual([['print']]);
    off();
    ipc.emit(MENU_CHANNEL, 'backup');
    expect(got).toHaveLength(1);
    expect(ipc.listeners.get(MENU_CHANNEL)?.size).toBe(0);
  });

  it('bundles to one CommonJS file that needs only electron and exposes only window.api', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preload-'));
    try {
      const file = await bundlePreload(join(dir, 'preload.cjs'));
      const code = readFileSync(file, 'utf8');
      const required: string[] = [];
      const exposed: Record<string, unknown> = {};
      const ipc = fakeIpcRenderer();
      const electron = {
        contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
        ipcRenderer: ipc,
      };
      const fakeRequire = (id: string) => {
        required.push(id);
        if (id === 'electron') return electron;
        throw new Error(`a sandboxed preload cannot require ${id}`);
      };
      const module = { exports: {} };
      new Function('require', 'module', 'exports', code)(fakeRequire, module, module.exports);
      expect(required).toEqual(['electron']);
      expect(Object.keys(exposed)).toEqual(['api']);
      const api = exposed.api as Record<string, unknown>;
      expect(Object.keys(api).sort()).toEqual(['invoke', 'onMenu']);
      expect(Object.values(api).some((v) => v === ipc)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---- window, CSP, guards ----------------------------------------------------------------

describe('window options', () => {
  it('isolates and sandboxes the page and gives it no Node', () => {
    const o = windowOptions({ preload: '/app/dist/electron/preload.cjs', isDev: false });
    expect(o.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      devTools: false,
    });
    expect(o.webPreferences?.enableBlinkFeatures).toBeUndefined();
    expect(o.webPreferences?.preload).toMatch(/\.cjs$/);
  });

  it('fits a 1366×768 office screen', () => {
    const o = windowOptions({ preload: '/p.cjs', isDev: true });
    expect(o.width).toBeLessThanOrEqual(1366);
    expect(o.height).toBeLessThanOrEqual(768);
    expect(o.minWidth).toBeLessThanOrEqual(1366);
    expect(o.minHeight).toBeLessThanOrEqual(768);
  });
});

const directives = (csp: string) =>
  new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));

describe('content security policy', () => {
  it('allows only the app itself: no remote origins, no eval, no inline scripts', () => {
    const d = directives(CSP);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(CSP).not.toMatch(/unsafe-eval|https?:|wss?:|\*/);
  });

  it('is the same policy as the meta tag in renderer/index.html', () => {
    const html = readFileSync(join(root, 'renderer/index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(CSP);
  });

  it('adds only the local dev server in development, still without eval', () => {
    const dev = contentSecurityPolicy('http://localhost:5173');
    expect(dev).toMatch(/connect-src 'self' http:\/\/localhost:5173 ws:\/\/localhost:5173/);
    expect(dev).not.toMatch(/unsafe-eval/);
    const origins = dev.match(/\b(https?|wss?):\/\/[^\s;]+/g) ?? [];
    expect(new Set(origins.map((o) => new URL(o).host))).toEqual(new Set(['localhost:5173']));
  });
});

function fakeWebContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((d: { url: string }) => unknown) | null = null;
  return {
    listeners,
    on(name: string, l: Listener) {
      listeners.set(name, l);
      return this;
    },
    setWindowOpenHandler(h: (d: { url: string }) => unknown) {
      openHandler = h;
    },
    open: (url: string) => openHandler?.({ url }),
    fire(name: string, url: string) {
      let prevented = false;
      listeners.get(name)?.({ preventDefault: () => (prevented = true) }, url);
      return prevented;
    },
  };
}

describe('navigation, pop-up and permission guards', () => {
  const isAppUrl = appUrlCheck({ rendererDir });

  it('blocks navigation and redirects away from the app', () => {
    const wc = fakeWebContents();
    hardenWebContents(wc as never, isAppUrl);
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'http://127.0.0.1:8080/']) {
      expect(wc.fire('will-navigate', url)).toBe(true);
      expect(wc.fire('will-redirect', url)).toBe(true);
    }
    expect(wc.fire('will-navigate', appPage)).toBe(false);
  });

  it('denies every new window and every webview', () => {
    const wc = fakeWebContents();
    hardenWebContents(wc as never, isAppUrl);
    expect(wc.open('https://example.com/')).toEqual({ action: 'deny' });
    expect(wc.open(appPage)).toEqual({ action: 'deny' });
    expect(wc.fire('will-attach-webview', appPage)).toBe(true);
  });

  it('denies every permission request and check, and sends the CSP header', () => {
    let request: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | null = null;
    let check: ((...a: unknown[]) => boolean) | null = null;
    let headers: ((d: { responseHeaders?: Record<string, string[]> }, cb: (r: unknown) => void) => void) | null = null;
    const session = {
      setPermissionRequestHandler: (h: typeof request) => (request = h),
      setPermissionCheckHandler: (h: typeof check) => (check = h),
      webRequest: { onHeadersReceived: (h: typeof headers) => (headers = h) },
    };
    hardenSession(session as never, CSP);
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let answer: boolean | undefined;
      request!({}, p, (ok) => (answer = ok));
      expect(answer).toBe(false);
      expect(check!({}, p, 'file://', {})).toBe(false);
    }
    let out: unknown;
    headers!({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => (out = r));
    expect(out).toEqual({ responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [CSP] } });
  });

  // Checklist item 15 (docs/security.md): the shell never passes a URL to the operating system, and
  // the permission handler above already refuses the page's own 'openExternal' requests.
  it('never hands a URL to the operating system: no shell.openExternal in the shell', () => {
    const dir = join(root, 'electron');
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(sources).toContain('main.ts');
    for (const f of sources) {
      const code = readFileSync(join(dir, f), 'utf8');
      expect(code, f).not.toMatch(/openExternal|openPath/);
      expect(code, f).not.toMatch(/import\s*\{[^}]*\bshell\b[^}]*\}\s*from\s*'electron/);
    }
  });
});

describe('app URL check and paths', () => {
  it('trusts pages inside the renderer folder and the dev server only when one is configured', () => {
    const prod = appUrlCheck({ rendererDir });
    expect(prod(appPage)).toBe(true);
    expect(prod(`${appPage}#/tasks`)).toBe(true);
    expect(prod(pathToFileURL(rendererDir).href)).toBe(false);
    expect(prod(`${pathToFileURL(rendererDir).href}/%2e%2e/secrets.html`)).toBe(false);
    expect(prod(`${pathToFileURL(rendererDir).href}-evil/index.html`)).toBe(false);
    expect(prod('http://localhost:5173/')).toBe(false);
    const dev = appUrlCheck({ rendererDir, devOrigin: 'http://localhost:5173' });
    expect(dev('http://localhost:5173/#/x')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(dev('http://localhost.evil.example:5173/')).toBe(false);
  });

  it('keeps the ledger in userData and finds migrations beside the package or in the repo', () => {
    const base = { resourcesPath: '/opt/app/resources', appPath: '/src/repo', userData: '/home/u/.config/台账', mainDir: '/src/repo/dist/electron' };
    const packaged = shellPaths({ ...base, isPackaged: true });
    const dev = shellPaths({ ...base, isPackaged: false });
    expect(packaged.ledgerFile).toBe('/home/u/.config/台账/ledger.sqlite');
    expect(packaged.migrationsFolder).toBe('/opt/app/resources/migrations');
    expect(dev.migrationsFolder).toBe('/src/repo/db/migrations');
    expect(dev.rendererIndex).toBe('/src/repo/dist/renderer/index.html');
    expect(dev.preload).toBe('/src/repo/dist/electron/preload.cjs');
  });
});

// ---- menu ------------------------------------------------------------------------------------

describe('menu', () => {
  type Item = { label?: string; role?: string; submenu?: Item[]; click?: () => void };

  it('has the five zh-CN menus and sends each ledger command to the page', () => {
    const sent: string[] = [];
    let abouts = 0;
    const menu = buildMenuTemplate({ send: (c) => sent.push(c), about: () => abouts++, isDev: false }) as Item[];
    expect(menu.map((m) => m.label)).toEqual(['文件', '编辑', '视图', '窗口', '帮助']);
    const file = menu[0]!.submenu!;
    const byLabel = (label: string) => file.find((i) => i.label === label);
    for (const [label, command] of [['导入…', 'import'], ['导出…', 'export'], ['打印…', 'print'], ['导入Excel台账…', 'importExcel'], ['导出台账（Excel）…', 'exportLedger'], ['备份与恢复…', 'backup'], ['锁定', 'lock']] as const) {
      byLabel(label)!.click!();
      expect(sent.at(-1)).toBe(command);
    }
    expect([...sent].sort()).toEqual([...MENU_COMMANDS].sort());
    menu[4]!.submenu![0]!.click!();
    expect(abouts).toBe(1);
  });

  it('offers developer tools only in development', () => {
    const roles = (isDev: boolean) =>
      (buildMenuTemplate({ send: () => {}, about: () => {}, isDev }) as Item[]).flatMap((m) => m.submenu ?? []).map((i) => i.role);
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(true)).toContain('toggleDevTools');
  });
});
