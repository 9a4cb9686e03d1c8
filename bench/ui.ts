/**
 * Bench (c): the problem list in the browser preview (Debian's Chromium over the loopback server)
 * on the 1,000,000-problem ledger. Baseline, same run: the same engine call made by the page with
 * fetch (what the list needs from the engine, without rendering).
 *   - navigation → first page of rows (target < 1 s)
 *   - a filter change (the round in the top bar) → new rows (target < 200 ms)
 *   - the page's JS heap after scrolling through 10,000 rows (target < 300 MB)
 */
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fixedClock } from '../db/core/clock.js';
import { uuidv7Source } from '../db/core/ids.js';
import { LedgerHost } from '../db/session/host.js';
import { SCALE_AS_OF, SCALE_PASSWORD } from './scale.js';
import { startPreviewServer } from '../scripts/preview-server.js';


export interface UiResult {
  file: string;
  firstPageMs: number[];
  firstPageApiMs: number[];
  filterMs: number[];
  filterApiMs: number[];
  heapMbAfterScroll: number;
  rowsScrolled: number;
}

const ROOT = resolve(import.meta.dirname, '..');

export async function benchUi(file: string, log: (s: string) => void): Promise<UiResult> {
  const staticDir = join(ROOT, 'dist', 'renderer');
  if (!existsSync(join(staticDir, 'index.html'))) throw new Error('dist/renderer missing: npm run build:renderer first');
  const clock = fixedClock(SCALE_AS_OF);
  const host = new LedgerHost({ path: file, clock, ids: uuidv7Source(() => clock.now()) });
  const server = await startPreviewServer({ host, staticDir });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-precise-memory-info'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.setDefaultTimeout(60_000);
    await page.goto(server.loginUrl);
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill(SCALE_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('home').waitFor();
    const rows = page.getByTestId('problems-list').locator('.ant-table-row');
    const firstPageMs: number[] = [];
    const firstPageApiMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      await page.evaluate("window.location.hash = '#/home'");
      await page.getByTestId('home').waitFor();
      const t0 = Date.now();
      await page.evaluate("window.location.hash = '#/problems'");
      await rows.first().waitFor();
      firstPageMs.push(Date.now() - t0);
      firstPageApiMs.push(await apiMs(page, { limit: 100, sort: 'deadline', order: 'asc' }));
    }
    log(`[ui] first page: ${firstPageMs.join(', ')} ms (api ${firstPageApiMs.join(', ')} ms)`);

    // Filter change: pick another round in the top bar. Timed inside the page, from the press on
    // the option (pointerdown) to the animation frame in which the first row shows other content;
    // the dropdown's opening animation before the press is not part of it.
    const filterMs: number[] = [];
    const filterApiMs: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const before = await rows.first().innerText();
      await page.locator('.xz-round').click();
      const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').nth(i);
      await option.waitFor();
      await page.waitForTimeout(400);
      const roundName = await option.innerText();
      await page.evaluate("window.__down = 0; window.__done = 0; document.addEventListener('pointerdown', () => { window.__down = performance.now(); }, { capture: true, once: true })");
      await option.click();
      // Browser-side code is passed as text: this file is type-checked for Node, not the DOM.
      await page.waitForFunction(`(() => { const r = document.querySelector('[data-testid="problems-list"] .ant-table-row'); return r !== null && r.innerText !== ${JSON.stringify(before)} && (window.__done = performance.now()) > 0; })()`, undefined, { polling: 'raf' });
      filterMs.push(Math.round((await page.evaluate('window.__done - window.__down')) as number));
      const roundId = await page.evaluate(async (name) => {
        const r = await fetch('./api/invoke', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ channel: 'rounds:list', arg: {} }) });
        const j = (await r.json()) as { value: { id: string; name: string }[] };
        return j.value.find((x) => x.name === name)?.id ?? null;
      }, roundName);
      filterApiMs.push(await apiMs(page, { roundId, limit: 100, sort: 'deadline', order: 'asc' }));
    }
    log(`[ui] filter change: ${filterMs.join(', ')} ms (api ${filterApiMs.join(', ')} ms)`);

    // Scroll through 10,000 rows (the list keeps at most a window of them in memory).
    const rowsScrolled = (await page.evaluate(`(async () => {
      const box = [...document.querySelectorAll('[data-testid="problems-list"] *')]
        .find((el) => el.scrollHeight > el.clientHeight + 100 && getComputedStyle(el).overflowY !== 'visible');
      if (!box) return 0;
      const rowH = document.querySelector('[data-testid="problems-list"] .ant-table-row')?.offsetHeight ?? 30;
      let seen = 0;
      while (seen < 10000) {
        box.scrollTop += rowH * 50;
        seen += 50;
        await new Promise((r) => setTimeout(r, 40));
        if (box.scrollTop + box.clientHeight >= box.scrollHeight - 2) await new Promise((r) => setTimeout(r, 400));
      }
      return seen;
    })()`)) as number;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const m = metrics.find((x) => x.name === 'JSHeapUsedSize');
    const heapMbAfterScroll = Math.round(((m?.value ?? 0) / 2 ** 20) * 10) / 10;
    log(`[ui] scrolled ${rowsScrolled} rows, JS heap ${heapMbAfterScroll} MB`);
    return { file, firstPageMs, firstPageApiMs, filterMs, filterApiMs, heapMbAfterScroll, rowsScrolled };
  } finally {
    await browser.close();
    await server.close();
    host.close();
  }
}

/** The engine call alone, from inside the page (fetch + JSON), in ms. */
async function apiMs(page: import('playwright-core').Page, arg: Record<string, unknown>): Promise<number> {
  return page.evaluate(async (a) => {
    const t0 = performance.now();
    const r = await fetch('./api/invoke', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ channel: 'problems:list', arg: a }) });
    await r.json();
    return Math.round((performance.now() - t0) * 10) / 10;
  }, arg);
}


