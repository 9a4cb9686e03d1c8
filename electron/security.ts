/**
 * Navigation, pop-up, permission and CSP guards, applied to every webContents and to the
 * session (Electron security checklist items 4, 7, 13, 14, 15).
 * Electron objects come in as parameters so the guards are unit-tested with fakes.
 */
import type { Session, WebContents } from 'electron';

type Contents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * The app never leaves its own page: navigations and redirects elsewhere are cancelled,
 * window.open and target=_blank are denied, <webview> cannot be attached.
 * `isAppUrl` lets the app's own page reload itself in development.
 */
export function hardenWebContents(contents: Contents, isAppUrl: (url: string) => boolean): void {
  const block = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', (event, url) => block(event, url));
  contents.on('will-redirect', (event, url) => block(event, url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

type Sess = {
  setPermissionRequestHandler: Session['setPermissionRequestHandler'];
  setPermissionCheckHandler: Session['setPermissionCheckHandler'];
  webRequest: Pick<Session['webRequest'], 'onHeadersReceived'>;
};

/**
 * No camera, microphone, geolocation, notifications, clipboard-read… the ledger needs none.
 * The CSP is also sent as a header (the meta tag in index.html covers file:// pages, which have
 * no response headers; the header covers the dev server).
 */
export function hardenSession(session: Sess, csp: string): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] },
    });
  });
}
