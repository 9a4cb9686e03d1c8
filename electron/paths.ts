/**
 * Where the shell finds its files, and which URLs are the app's own. Pure: the entry file passes
 * in what Electron reports (app.isPackaged, process.resourcesPath, app.getPath('userData')…).
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface ShellPathsInput {
  isPackaged: boolean;
  /** process.resourcesPath (packaged: where electron-builder's extraResources land). */
  resourcesPath: string;
  /** app.getAppPath(): the repository root in development. */
  appPath: string;
  /** app.getPath('userData'). */
  userData: string;
  /** The folder of the compiled main.js (dist/electron). */
  mainDir: string;
}

export interface ShellPaths {
  ledgerFile: string;
  migrationsFolder: string;
  rendererDir: string;
  rendererIndex: string;
  preload: string;
  /** The window's icon: the 256×256 PNG that `npm run icons` puts in renderer/public (so it ships inside the renderer folder). */
  icon: string;
}

export function shellPaths(i: ShellPathsInput): ShellPaths {
  const rendererDir = resolve(i.mainDir, '..', 'renderer');
  return {
    ledgerFile: join(i.userData, 'ledger.sqlite'),
    // electron-builder.yml copies db/migrations to <resources>/migrations (outside the asar).
    migrationsFolder: i.isPackaged ? join(i.resourcesPath, 'migrations') : join(i.appPath, 'db', 'migrations'),
    rendererDir,
    rendererIndex: join(rendererDir, 'index.html'),
    preload: join(i.mainDir, 'preload.cjs'),
    icon: join(rendererDir, 'icon.png'),
  };
}

/**
 * A predicate for "this URL is the app's own page": a file:// URL inside the packaged renderer
 * folder, or (development only) the vite dev server's origin. Query and hash are ignored (the
 * renderer uses a hash router); `..` segments are resolved by the URL parser before comparing.
 */
export function appUrlCheck(o: { rendererDir: string; devOrigin?: string | undefined }): (url: string) => boolean {
  const dirHref = pathToFileURL(o.rendererDir).href.replace(/\/?$/, '/');
  return (url) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (u.protocol === 'file:') {
      u.hash = '';
      u.search = '';
      return u.href.startsWith(dirHref) && u.href.length > dirHref.length;
    }
    return o.devOrigin !== undefined && u.origin === o.devOrigin;
  };
}
