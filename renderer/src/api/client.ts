/**
 * The renderer's one way to the engine. `window.api` is provided by the Electron preload (IPC)
 * or, in the browser preview, installed here over the loopback HTTP server; both resolve to an
 * envelope, which `call` turns back into a value or an ApiError carrying the engine's code/field.
 */
import type { BridgeResult, ErrorPayload, MenuCommand, WindowApi } from '../../../db/bridge/api.js';
import type { ArgOf, Channel, Contract, ResultOf } from '../../../db/bridge/contract.js';

declare global {
  interface Window {
    api: WindowApi<Contract>;
  }
}

export class ApiError extends Error {
  readonly payload: ErrorPayload;
  constructor(payload: ErrorPayload) {
    super(payload.message);
    this.name = 'ApiError';
    this.payload = payload;
  }
  get code() {
    return this.payload.code;
  }
  get field() {
    return this.payload.field;
  }
}

const menuListeners = new Set<(c: MenuCommand) => void>();
const failureListeners = new Set<(e: ErrorPayload, channel: Channel) => void>();

/**
 * Hear every refused call, whoever made it (the session layer shows the lock screen when a call
 * meets a locked ledger, core/guard.ts). Returns the unsubscribe function.
 */
export function onCallFailure(cb: (e: ErrorPayload, channel: Channel) => void): () => void {
  failureListeners.add(cb);
  return () => failureListeners.delete(cb);
}

/**
 * Keyboard shortcuts stand in for the desktop menu in the browser preview. Returns false in the
 * desktop app, where the menu's own accelerators deliver the command.
 */
export function emitMenu(c: MenuCommand): boolean {
  for (const l of menuListeners) l(c);
  return menuListeners.size > 0;
}

function httpApi(): WindowApi<Contract> {
  return {
    async invoke(channel, arg) {
      try {
        const res = await fetch('./api/invoke', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ channel, arg }),
        });
        if (!res.ok) return { ok: false, error: { code: 'UNAVAILABLE', message: `台账引擎拒绝了请求（HTTP ${res.status}）。请重新打开预览链接。` } };
        return (await res.json()) as BridgeResult<never>;
      } catch {
        return { ok: false, error: { code: 'UNAVAILABLE', message: '无法连接台账引擎，请确认预览服务仍在运行。' } };
      }
    },
    onMenu(cb) {
      menuListeners.add(cb);
      return () => menuListeners.delete(cb);
    },
  };
}

/** A file the harness stored in the ledger's exchange folder for the engine to read. */
export interface UploadedFile {
  path: string;
  fileName: string;
  bytes: number;
}

/**
 * Exchange files in the browser preview only (scripts/preview-server.ts /api/upload and /api/file):
 * a page cannot hand the engine a path, so a picked package is uploaded into the ledger's exchange
 * folder first, and a written one is offered as a download. The desktop app has no such routes:
 * there the engine gets paths from the system's dialogs (exchange:pick) and `harnessFiles()` is null.
 */
export interface HarnessFiles {
  /** `purpose` 'excel': a workbook for 导入Excel台账 (else a package or receipt). */
  upload(file: File, onProgress?: (percent: number) => void, purpose?: 'excel'): Promise<UploadedFile>;
  downloadUrl(path: string): string;
}

let harness: HarnessFiles | null = null;

export function harnessFiles(): HarnessFiles | null {
  return harness;
}

const harnessHttp: HarnessFiles = {
  upload(file, onProgress, purpose) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `./api/upload?name=${encodeURIComponent(file.name)}${purpose ? `&purpose=${purpose}` : ''}`);
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && onProgress) onProgress(Math.round((e.loaded / e.total) * 100));
      };
      xhr.onload = () => {
        let r: BridgeResult<UploadedFile> | null = null;
        try {
          r = JSON.parse(xhr.responseText) as BridgeResult<UploadedFile>;
        } catch { /* not an envelope: below */ }
        if (r?.ok) resolve(r.value);
        else reject(new ApiError(r && !r.ok ? r.error : { code: 'UNAVAILABLE', message: `台账引擎拒绝了文件（HTTP ${xhr.status}）。` }));
      };
      xhr.onerror = () => reject(new ApiError({ code: 'UNAVAILABLE', message: '无法连接台账引擎，请确认预览服务仍在运行。' }));
      xhr.send(file);
    });
  },
  downloadUrl: (path) => `./api/file?path=${encodeURIComponent(path)}`,
};

export function installApi(): void {
  if (!('api' in window)) {
    (window as { api: WindowApi<Contract> }).api = httpApi();
    harness = harnessHttp;
  }
}

/** A channel's argument, optional when its schema accepts none (db/bridge/contract.ts). */
export type ArgsOf<C extends Channel> = undefined extends ArgOf<C> ? [arg?: ArgOf<C>] : [arg: ArgOf<C>];

export async function call<C extends Channel>(channel: C, ...args: ArgsOf<C>): Promise<Awaited<ResultOf<C>>> {
  const r = await window.api.invoke(channel, args[0] as never);
  if (!r.ok) {
    for (const l of failureListeners) l(r.error, channel);
    throw new ApiError(r.error);
  }
  return r.value as Awaited<ResultOf<C>>;
}

export function onMenu(cb: (c: MenuCommand) => void): () => void {
  return window.api.onMenu(cb);
}
