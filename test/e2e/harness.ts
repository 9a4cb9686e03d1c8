/**
 * End-to-end harness: the built renderer in Debian's Chromium (playwright-core, no downloaded
 * browser) over the real engine through the loopback preview server, on a temporary ledger file.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { fixedClock } from '../../db/core/clock.js';
import type { ActingUser, ServiceContext } from '../../db/core/context.js';
import { seededRandom, uuidv7Source } from '../../db/core/ids.js';
import { openLedger, type Ledger } from '../../db/core/open.js';
import { startPreviewServer, type PreviewServer } from '../../scripts/preview-server.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
/** The built renderer; XZ_STATIC_DIR points at another build (two builds in one folder would race). */
export const STATIC_DIR = process.env.XZ_STATIC_DIR ?? join(ROOT, 'dist', 'renderer');
export const SHOTS_DIR = join(ROOT, 'test-output', 'screens');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Harness {
  ledger: Ledger;
  server: PreviewServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  clock: ReturnType<typeof fixedClock>;
  /** A service context on the same ledger (to set up data or compare with the engine). */
  as(user: ActingUser | null): ServiceContext;
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
  const ledger = openLedger(join(dir, 'ledger.sqlite'));
  const server = await startPreviewServer({
    ledger, staticDir: STATIC_DIR, clock, ids, demoPath: join(dir, 'demo.sqlite'), demoProblems: o.demoProblems ?? 60,
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const context = await browser.newContext({ viewport: { width: o.width ?? 1366, height: o.height ?? 768 }, locale: 'zh-CN' });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(server.loginUrl);
  mkdirSync(SHOTS_DIR, { recursive: true });
  return {
    ledger, server, browser, context, page, clock,
    as: (user) => ({ ledger, clock, ids, user }),
    async shot(name) {
      const file = join(SHOTS_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: false });
      return file;
    },
    async close() {
      await browser.close();
      await server.close();
      ledger.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
