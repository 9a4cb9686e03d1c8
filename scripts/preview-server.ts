/**
 * Browser preview / test harness: the same renderer over the same engine, through a loopback
 * HTTP server instead of Electron's IPC. Development and testing only: it lives in scripts/, is
 * never bundled into the app (electron-builder packages dist/ only) and listens on 127.0.0.1.
 *
 * Access control: the URL printed at start carries a one-time token; opening it once sets an
 * HttpOnly, SameSite=Strict session cookie and the token is spent. Every API call needs that
 * cookie and an Origin header equal to this server's own origin; anything else is refused.
 *
 * Harness-only routes for exchange files (/api/upload, /api/file): the desktop app's file dialogs
 * give the engine real paths, a browser page has only the bytes of a picked file (see `upload`).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, extname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { dispatch } from '../db/bridge/dispatch.js';
import { RECEIVED_SUBDIR, exchangeDirOf } from '../db/bridge/exchange-calls.js';
import { exportsDirOf, importsDirOf } from '../db/bridge/file-calls.js';
import { MAX_FILE_BYTES } from '../db/excel/workbook.js';
import { requirePermission } from '../db/core/permissions.js';
import { makeHandlers, type ShellHooks } from '../db/bridge/handlers.js';
import { DomainError } from '../db/domain/errors.js';
import { DEMO_PASSWORD, generateDemoLedger } from '../db/seed/demo.js';
import type { LedgerHost, Session } from '../db/session/host.js';
import type { KdfParams } from '../db/core/keystore.js';
import { CSP } from '../electron/window-options.js';

/** What a harness file is for: an exchange package or receipt, a workbook to import, a file written for the user. */
type FilePurpose = 'exchange' | 'excel' | 'export';

export interface PreviewOptions {
  /** The ledger file's host (opens it at log-in; see db/session/host.ts). */
  host: LedgerHost;
  /** A host for another file (打开演示台账 switches to the demo ledger). */
  hostFor?: (path: string) => LedgerHost;
  /** Built renderer (vite build output). */
  staticDir: string;
  port?: number;
  /** Largest accepted request body (evidence uploads travel as base64). */
  maxBodyBytes?: number;
  /** Where 打开演示台账 generates/opens the demo ledger (the first-run screen's second choice). */
  demoPath?: string;
  /** Demo size (tests use a small one). */
  demoProblems?: number;
  /** Cheap scrypt parameters for a test demo ledger. */
  demoKdf?: Omit<KdfParams, 'salt'>;
  /** Where the backup taken before converting a plaintext ledger goes. */
  backupDir?: string;
  /** Largest exchange package or receipt accepted by the harness's upload (default 4 GiB). */
  maxUploadBytes?: number;
}

export interface PreviewServer {
  /** Origin, e.g. http://127.0.0.1:41234 */
  origin: string;
  /** The one-time URL that opens a session. */
  loginUrl: string;
  /** Mint another one-time URL (tests open several browser contexts). */
  newLoginUrl(): string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.json': 'application/json', '.ico': 'image/x-icon',
};

const COOKIE = 'xz_preview';

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieOf(req: IncomingMessage): string | null {
  const raw = req.headers.cookie ?? '';
  for (const part of raw.split(';')) {
    const [k, ...rest] = part.trim().split('=');
    if (k === COOKIE) return rest.join('=');
  }
  return null;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}

export async function startPreviewServer(o: PreviewOptions): Promise<PreviewServer> {
  const maxBody = o.maxBodyBytes ?? 150 * 1024 * 1024;
  const staticRoot = resolve(o.staticDir);
  const tokens = new Set<string>();
  const sessions = new Map<string, Session>();
  const handlersFor = new Map<string, ReturnType<typeof makeHandlers>>();
  let origin = '';
  let host = o.host;
  const opened: LedgerHost[] = [host];
  const shell: ShellHooks = {
    host: () => host,
    ...(o.backupDir ? { backupDir: () => o.backupDir! } : {}),
    openDemo() {
      if (!o.demoPath || !o.hostFor) throw new DomainError('UNAVAILABLE', '预览未配置演示台账。');
      if (!existsSync(o.demoPath)) {
        generateDemoLedger(o.demoPath, { ...(o.demoProblems === undefined ? {} : { problems: o.demoProblems }), ...(o.demoKdf ? { encrypt: { kdf: o.demoKdf } } : {}) });
      }
      host = o.hostFor(o.demoPath);
      opened.push(host);
      return { password: DEMO_PASSWORD };
    },
  };

  const newToken = () => {
    const t = randomBytes(24).toString('hex');
    tokens.add(t);
    return t;
  };

  function sessionOf(req: IncomingMessage): string | null {
    const c = cookieOf(req);
    if (!c) return null;
    for (const id of sessions.keys()) if (sameToken(id, c)) return id;
    return null;
  }

  async function api(req: IncomingMessage, res: ServerResponse, sid: string): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, 'method not allowed');
    // Browsers always send Origin on a POST fetch; a missing or foreign one is refused.
    if (req.headers.origin !== origin) return send(res, 403, 'forbidden origin');
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'json only');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > maxBody) return send(res, 413, 'too large');
      chunks.push(c as Buffer);
    }
    let msg: { channel?: unknown; arg?: unknown };
    try {
      msg = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { channel?: unknown; arg?: unknown };
    } catch {
      return send(res, 400, 'bad json');
    }
    const session = sessions.get(sid)!;
    const handlers = handlersFor.get(sid)!;
    const result = await dispatch(handlers, msg.channel, msg.arg, () => host.context(session), {
      onCommit: () => host.committed(),
      onRollback: () => host.discarded(),
    });
    send(res, 200, JSON.stringify(result), 'application/json; charset=utf-8');
  }

  // -------------------------------------------------------------------------------------------
  // Exchange files (harness only). The desktop shell passes real paths from its file dialogs; a
  // browser page cannot, so the page uploads the package or receipt the user picked into the
  // ledger's exchange folder (交换包/收到) and gets its path for exchange:preview / exchange:import,
  // and downloads what exchange:export and exchange:import wrote there. Both need the session's
  // exchange right; downloads are confined to the exchange folder.

  /**
   * Whether the session may use the files of `purpose`: exchange files need the exchange right,
   * a workbook to import needs `ledger.write`, a file written for the user `ledger.read`; else an
   * error envelope is sent.
   */
  function fileRight(res: ServerResponse, sid: string, purpose: FilePurpose): boolean {
    try {
      const ctx = host.context(sessions.get(sid)!);
      requirePermission(ctx, purpose === 'exchange' ? 'exchange.run' : purpose === 'excel' ? 'ledger.write' : 'ledger.read');
      if (ctx.ledger.state.busy) throw new DomainError('LOCKED', ctx.ledger.state.busy, { reason: 'busy' });
      return true;
    } catch (e) {
      const error = e instanceof DomainError ? e.toPayload() : { code: 'CORRUPT', message: '台账引擎发生意外错误，操作未执行。' };
      send(res, 403, JSON.stringify({ ok: false, error }), 'application/json; charset=utf-8');
      return false;
    }
  }

  async function upload(req: IncomingMessage, res: ServerResponse, sid: string, url: URL): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, 'method not allowed');
    if (req.headers.origin !== origin) return send(res, 403, 'forbidden origin');
    // ?purpose=excel: a workbook for 导入Excel台账 (into 导入); else an exchange package or receipt.
    const purpose: FilePurpose = url.searchParams.get('purpose') === 'excel' ? 'excel' : 'exchange';
    if (!fileRight(res, sid, purpose)) return;
    const limit = purpose === 'excel' ? MAX_FILE_BYTES : o.maxUploadBytes ?? 4 * 1024 ** 3;
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (!Number.isSafeInteger(declared) || declared < 0) return send(res, 411, 'length required');
    const tooLarge = () => send(res, 413, JSON.stringify({ ok: false, error: { code: 'VALIDATION', message: '文件过大，不能导入。', reason: 'upload_too_large' } }), 'application/json; charset=utf-8');
    if (declared > limit) return tooLarge();
    // Only the last part of the name, without characters a file name cannot hold.
    const name = basename((url.searchParams.get('name') ?? '').replace(/\\/g, '/')).replace(/[\u0000-\u001f<>:"|?*]+/g, '').slice(-120) || 'package.xzpkg';
    const dir = purpose === 'excel' ? importsDirOf(host.path) : join(exchangeDirOf(host.path), RECEIVED_SUBDIR);
    mkdirSync(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14);
    const target = join(dir, `${stamp}-${randomBytes(3).toString('hex')}-${name}`);
    const partial = `${target}.partial`;
    let size = 0;
    try {
      await pipeline(req, async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          size += chunk.length;
          if (size > limit) throw new RangeError('too large');
          yield chunk;
        }
      }, createWriteStream(partial, { flags: 'wx' }));
      if (size !== declared) throw new RangeError('short body');
      renameSync(partial, target);
    } catch (e) {
      rmSync(partial, { force: true });
      if (e instanceof RangeError && size > limit) return tooLarge();
      return send(res, 400, 'upload failed');
    }
    send(res, 200, JSON.stringify({ ok: true, value: { path: target, fileName: name, bytes: size } }), 'application/json; charset=utf-8');
  }

  function download(req: IncomingMessage, res: ServerResponse, sid: string, url: URL): void {
    if (req.method !== 'GET') return send(res, 405, 'method not allowed');
    // Files from the exchange folder (exchange right) or from 导出 (files written for the user).
    const file = resolve(url.searchParams.get('path') ?? '');
    const inside = (root: string) => {
      const rel = relative(resolve(root), file);
      return !!rel && !rel.startsWith('..') && !isAbsolute(rel);
    };
    const purpose: FilePurpose = inside(exportsDirOf(host.path)) ? 'export' : 'exchange';
    if (!fileRight(res, sid, purpose)) return;
    if ((purpose === 'exchange' && !inside(exchangeDirOf(host.path))) || !existsSync(file) || !statSync(file).isFile()) return send(res, 404, 'not found');
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(statSync(file).size),
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(basename(file))}`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
    createReadStream(file).pipe(res);
  }

  function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): void {
    const rel = pathname === '/' ? '/index.html' : decodeURIComponent(pathname);
    const file = normalize(join(staticRoot, rel));
    if (!file.startsWith(staticRoot + sep) || !existsSync(file) || !statSync(file).isFile()) return send(res, 404, 'not found');
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
    createReadStream(file).pipe(res);
  }

  const server = createServer((req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', origin);
        // Host header must name this server (refuses DNS-rebinding style requests).
        if (req.headers.host !== new URL(origin).host) return send(res, 403, 'forbidden host');
        const token = url.searchParams.get('token');
        if (token !== null) {
          let ok = false;
          for (const t of tokens) if (sameToken(t, token)) { tokens.delete(t); ok = true; }
          if (!ok) return send(res, 403, '链接已失效，请重新运行 npm run preview。');
          const sid = randomBytes(24).toString('hex');
          const session: Session = { user: null };
          sessions.set(sid, session);
          handlersFor.set(sid, makeHandlers(session, shell));
          res.writeHead(302, { Location: '/', 'Set-Cookie': `${COOKIE}=${sid}; HttpOnly; SameSite=Strict; Path=/` });
          return res.end();
        }
        const sid = sessionOf(req);
        if (!sid) return send(res, 403, '请使用 npm run preview 打印的链接打开预览。');
        if (url.pathname === '/api/invoke') return await api(req, res, sid);
        if (url.pathname === '/api/upload') return await upload(req, res, sid, url);
        if (url.pathname === '/api/file') return download(req, res, sid, url);
        if (req.method !== 'GET') return send(res, 405, 'method not allowed');
        return serveStatic(req, res, url.pathname);
      } catch (e) {
        console.error('preview server error', e);
        if (!res.headersSent) send(res, 500, 'internal error');
      }
    })();
  });
  await new Promise<void>((ok) => server.listen(o.port ?? 0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    loginUrl: `${origin}/?token=${newToken()}`,
    newLoginUrl: () => `${origin}/?token=${newToken()}`,
    close: () => new Promise((ok) => {
      server.closeAllConnections();
      server.close(() => {
        for (const h of opened) h.close();
        ok();
      });
    }),
  };
}
