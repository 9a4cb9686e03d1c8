/**
 * End-to-end harness: the built renderer in Debian's Chromium (playwright-core, no downloaded
 * browser) over the real engine through the loopback preview server, on a temporary encrypted
 * ledger file held by a ledger host (db/session/host.ts), as in the app.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { fixedClock } from '../../db/core/clock.js';
import type { ActingUser, ServiceContext } from '../../db/core/context.js';
import { seededRandom, uuidv7Source } from '../../db/core/ids.js';
import { TEST_KDF } from '../../db/core/keystore.js';
import type { Ledger } from '../../db/core/open.js';
import type { SetupInput } from '../../db/services/office.js';
import { LedgerHost, type Session } from '../../db/session/host.js';
import { startPreviewServer, type PreviewServer } from '../../scripts/preview-server.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
/** The built renderer; XZ_STATIC_DIR points at another build (two builds in one folder would race). */
export const STATIC_DIR = process.env.XZ_STATIC_DIR ?? join(ROOT, 'dist', 'renderer');
export const SHOTS_DIR = join(ROOT, 'test-output', 'screens');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Harness {
  /** The open ledger (after set-up, through the page or `setup`). */
  readonly ledger: Ledger;
  host: LedgerHost;
  /** The ledger file's folder (key file beside it, backups…). */
  dir: string;
  server: PreviewServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  clock: ReturnType<typeof fixedClock>;
  /** Set the ledger up through the host (as 建立本单位台账 does) and return its administrator. */
  setup(input: SetupInput): ActingUser;
  /** A service context on the same ledger (to set up data or compare with the engine). */
  as(user: ActingUser | null): ServiceContext;
  /** The acting user with this log-in name. */
  user(username: string): ActingUser;
  /** Save a screenshot of the page as test-output/screens/<name>.png. */
  shot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function startHarness(o: { today?: string; width?: number; height?: number; demoProblems?: number } = {}): Promise<Harness> {
  if (!existsSync(join(STATIC_DIR, 'index.html'))) {
    throw new Error('dist/renderer is missing: run `npm run build:renderer` (npm test does it first).');
  }
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (see .ci/run).`);
  const dir = mkdtempSync(join(tmpdir(), 'xz-e2e-'));
  const clock = fixedClock(o.today ?? '2024-06-15');
  const ids = uuidv7Source(() => clock.now(), seededRandom(11));
  // Cheap scrypt for tests: the parameters are stored per wrap, so the code path is the app's.
  const hostFor = (path: string) => new LedgerHost({ path, clock, ids, kdf: TEST_KDF, closeWhenIdle: false });
  const host = hostFor(join(dir, 'ledger.sqlite'));
  const server = await startPreviewServer({
    host, hostFor, staticDir: STATIC_DIR, demoPath: join(dir, 'demo.sqlite'), demoProblems: o.demoProblems ?? 60, demoKdf: TEST_KDF,
    backupDir: join(dir, 'backups'),
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  // Reduced motion, as a workstation with animations turned off: the app then draws no zoom or
  // slide (a click during a dialog's zoom on a loaded machine landed on the mask and was lost).
  const context = await browser.newContext({
    viewport: { width: o.width ?? 1366, height: o.height ?? 768 }, locale: 'zh-CN', reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(server.loginUrl);
  mkdirSync(SHOTS_DIR, { recursive: true });
  // The harness's own session keeps the ledger open while tests set up data behind the page.
  const own: Session = { user: null };
  const h: Harness = {
    get ledger() {
      const l = host.ledger;
      if (!l) throw new Error('the ledger is not open yet: set it up first');
      return l;
    },
    host, dir, server, browser, context, page, clock,
    setup(input) {
      host.setup(own, input);
      return own.user!;
    },
    as: (user) => host.engineContext(user),
    user(username) {
      const row = host.ledger!.sqlite.prepare('SELECT id FROM users WHERE username = ?').get(username) as { id: string } | undefined;
      if (!row) throw new Error(`no user ${username}`);
      return actingUser(host, row.id);
    },
    async shot(name) {
      const file = join(SHOTS_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: false });
      return file;
    },
    async close() {
      await browser.close();
      await server.close();
      host.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

function actingUser(host: LedgerHost, id: string): ActingUser {
  const r = host.ledger!.sqlite.prepare('SELECT id, role, can_view_clues, can_exchange, display_name FROM users WHERE id = ?').get(id) as {
    id: string; role: ActingUser['role']; can_view_clues: number; can_exchange: number; display_name: string;
  };
  return { id: r.id, role: r.role, canViewClues: r.can_view_clues === 1, canExchange: r.can_exchange === 1, displayName: r.display_name };
}

/**
 * Wait until the element's own and its descendants' animations have finished (an Ant Design modal
 * zooming in). On a loaded machine the zoom can outlast Playwright's "stable" check, and a click
 * then lands on the mask instead of the button.
 */
export async function settled(locator: import('playwright-core').Locator): Promise<void> {
  await locator.evaluate("el => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished.catch(() => undefined)))");
}
