/**
 * Every main screen of the demo ledger in Chromium, in zh-CN and in English, at 1366×768 (the
 * usual office workstation) and at 1920×1080: a screenshot of each (test-output/screens/review-*),
 * and on each screen no message key missing from the catalogue, no "{{…}}" left uninterpolated,
 * no page-wide horizontal scroll, the app filling the window on the page's own background, and no
 * text cut off by its box outside the tables (which cut long cells on purpose and show them whole
 * in a tooltip).
 *
 * Accessibility (WCAG 2.1 AA, which GB/T 37668 follows): axe-core runs on every screen, in both
 * languages at 1366×768 and in zh-CN at 1920×1080 (with 设置), and on the log-in screen in both
 * languages; no violation of impact serious or critical may remain (the rest is listed in
 * test-output/screens/axe.txt). A run of axe costs well under a second a screen, so it runs
 * wherever a screen is reviewed. The page's icon (favicon.ico) is served, not a 404.
 */
import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../db/seed/demo.js';
import { SHOTS_DIR, startHarness, type Harness } from './harness.js';
import { axeFindings, seriousOrCritical } from './axe.js';

let h: Harness;
const ids = { round: '', unit: '', problem: '', task: '' };
/** What axe found on the log-in screen before logging in (reported with the zh-CN screens). */
const before = { login: [] as string[] };


/**
 * axe-core's serious and critical violations on the page as it is now, one line each (rule, the
 * elements it found, and the screen). The page's CSP forbids inline scripts, so axe's source is
 * evaluated through the debugging protocol rather than added as a <script>.
 */
async function axeCheck(p: Page, screen: string): Promise<string[]> {
  const found = await axeFindings(p);
  // Everything axe found (moderate and minor too) for whoever looks at the screenshots.
  appendFileSync(join(SHOTS_DIR, 'axe.txt'), found.map((f) => `${screen}: ${f.line}\n`).join('') || `${screen}: none\n`);
  return seriousOrCritical(found, screen);
}

beforeAll(async () => {
  h = await startHarness({ today: '2024-06-15', demoProblems: 120 });
  rmSync(join(SHOTS_DIR, 'axe.txt'), { force: true });
  const p = h.page;
  await p.getByRole('button', { name: '打开演示台账' }).click();
  await p.getByRole('button', { name: '登录' }).waitFor({ timeout: 60_000 });
  before.login = await axeCheck(p, 'login');
  await logIn(p, 'fuze1');
  const api = async <T,>(channel: string, arg: unknown): Promise<T> => p.evaluate(async ([c, a]) => {
    const r = await fetch('./api/invoke', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ channel: c, arg: a }) });
    return ((await r.json()) as { value: unknown }).value;
  }, [channel, arg] as const) as Promise<T>;
  ids.round = (await api<{ id: string }[]>('rounds:list', {}))[0]!.id;
  ids.unit = (await api<{ unitId: string }[]>('inspections:list', { roundId: ids.round }))[0]!.unitId;
  ids.problem = (await api<{ rows: { id: string }[] }>('problems:list', { roundId: ids.round, limit: 1 })).rows[0]!.id;
  ids.task = (await api<{ rows: { id: string }[] }>('tasks:list', { roundId: ids.round, limit: 1 })).rows[0]!.id;
}, 90_000);
afterAll(async () => h?.close());

async function logIn(p: Page, username: string, atLogin?: () => Promise<void>) {
  if (await p.getByTestId('current-user').count()) {
    await p.getByTestId('current-user').hover();
    await p.locator('.ant-dropdown-menu-item').first().click();
  }
  await p.locator('input[autocomplete="username"]').waitFor();
  await atLogin?.();
  await p.locator('input[autocomplete="username"]').fill(username);
  await p.locator('input[type="password"]').fill(DEMO_PASSWORD);
  await p.locator('button[type="submit"]').click();
  await p.getByTestId('current-user').waitFor();
}

/** Screens, the route that shows them, and what appears once they are drawn. */
const SCREENS: [string, () => string, string][] = [
  ['home', () => '#/home', '[data-testid="home"] .ant-statistic'],
  ['rounds', () => '#/rounds', '[data-testid="rounds"]'],
  ['round', () => `#/rounds/${ids.round}`, '[data-testid="round-page"]'],
  ['unit', () => `#/rounds/${ids.round}/${ids.unit}`, '[data-testid="unit-page"]'],
  ['problems', () => '#/problems', '[data-testid="problem-table"] .ant-table-row'],
  ['problem', () => `#/problem/${ids.problem}`, '[data-testid="problem-detail"]'],
  ['tasks', () => '#/tasks', '[data-testid="task-table"] .ant-table-row'],
  ['task', () => `#/task/${ids.task}`, '[data-testid="task-detail"]'],
  ['duty', () => '#/duty', '[data-testid="duty-groups"]'],
  ['clues', () => '#/clues', '[data-testid="clue-table"]'],
  ['suggestions', () => '#/suggestions', '[data-testid="suggestions-screen"]'],
  ['supervision', () => '#/supervision', '[data-testid="supervision-screen"]'],
  ['reports', () => '#/reports', '[data-testid="reports"]'],
  ['ratings', () => '#/ratings', '[data-testid="evaluations"]'],
];

interface Findings { missing: string[]; raw: string[]; pageScroll: boolean; squeezed: boolean; cut: string[] }

/** What is wrong on the screen now (browser-side code as text: this file is type-checked for Node). */
async function inspect(p: Page): Promise<Findings> {
  return p.evaluate(`(() => {
    const missing = window.__xzMissingKeys ?? [];
    window.__xzMissingKeys = [];
    const text = document.body.innerText;
    const raw = (text.match(/\\{\\{[^}]*\\}\\}/g) ?? []);
    const doc = document.documentElement;
    const pageScroll = doc.scrollWidth > doc.clientWidth + 1;
    // The shell fills the window: no screen restyles the page around it.
    const shell = document.querySelector('.xz-shell');
    const squeezed = !shell || shell.getBoundingClientRect().width < window.innerWidth - 1 || getComputedStyle(document.body).backgroundColor !== 'rgb(245, 245, 245)';
    const cut = [];
    for (const el of document.querySelectorAll('.xz-content button, .xz-content .ant-tag, .xz-content .ant-card-head-title, .xz-content .ant-statistic-title, .xz-content label, .xz-content .ant-tabs-tab-btn, .xz-content .ant-descriptions-item-label, .xz-top .ant-btn, .xz-side .ant-menu-title-content')) {
      if (el.closest('.ant-table-tbody, .ant-table-thead, .ant-select-selector')) continue;
      const s = getComputedStyle(el);
      if (s.overflow === 'visible' && s.textOverflow !== 'ellipsis') continue;
      if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) cut.push(el.textContent.trim().slice(0, 40));
    }
    return { missing, raw, pageScroll, squeezed, cut };
  })()`) as Promise<Findings>;
}

async function review(p: Page, tag: string, a11y = false) {
  const problems: string[] = [];
  for (const [name, route, ready] of SCREENS) {
    // The pointer rests on the top bar's corner, so no tooltip of the last click shows in the picture.
    await p.mouse.move(1, 1);
    await p.evaluate(`window.location.hash = ${JSON.stringify(route())}`);
    await p.locator(ready).first().waitFor({ timeout: 15_000 });
    await p.waitForTimeout(500); // charts and late queries settle before the picture
    await p.screenshot({ path: `${process.cwd()}/test-output/screens/review-${tag}-${name}.png` });
    const f = await inspect(p);
    if (f.missing.length) problems.push(`${name}: missing keys ${f.missing.join(', ')}`);
    if (f.raw.length) problems.push(`${name}: uninterpolated ${f.raw.join(', ')}`);
    if (f.pageScroll) problems.push(`${name}: the page scrolls sideways`);
    if (f.squeezed) problems.push(`${name}: the page around the app is restyled or the app does not fill the window`);
    if (f.cut.length) problems.push(`${name}: text cut off: ${f.cut.join(' | ')}`);
    if (a11y) problems.push(...await axeCheck(p, `${tag} ${name}`));
  }
  return problems;
}

describe('the page\'s icon', () => {
  it('is linked from the page and served (no 404 for favicon.ico)', async () => {
    const got = await h.page.evaluate(`(async () => {
      const link = document.querySelector('link[rel="icon"]');
      const out = [];
      for (const url of [link ? link.href : null, new URL('favicon.ico', location.href).href]) {
        if (!url) { out.push('no <link rel="icon">'); continue; }
        const r = await fetch(url);
        const b = new Uint8Array(await r.arrayBuffer());
        out.push(r.status + ' ' + Array.from(b.slice(0, 4)).join(','));
      }
      return out;
    })()`);
    // An .ico file starts 0,0,1,0 (reserved, type 1 = icon).
    expect(got).toEqual(['200 0,0,1,0', '200 0,0,1,0']);
  });
});

describe('every main screen, both languages, two screen sizes', () => {
  it('zh-CN at 1366×768', async () => {
    const found = [...before.login, ...await review(h.page, 'zh-1366', true)];
    expect(found, found.join('\n')).toEqual([]);
  }, 180_000);

  it('English at 1366×768', async () => {
    const p = h.page;
    await p.getByRole('button', { name: 'English' }).click();
    await p.getByRole('button', { name: '中文' }).waitFor();
    try {
      const found = await review(p, 'en-1366', true);
      await logIn(p, 'fuze1', async () => { found.push(...await axeCheck(p, 'en-1366 login')); });
      expect(found, found.join('\n')).toEqual([]);
    } finally {
      await p.getByRole('button', { name: '中文' }).click();
      await p.getByRole('button', { name: 'English' }).waitFor();
    }
  }, 180_000);

  it('zh-CN at 1920×1080, and 设置 and 数据交换 for the administrator (the demo gives the exchange right to them only)', async () => {
    const p = h.page;
    await p.setViewportSize({ width: 1920, height: 1080 });
    const found = await review(p, 'zh-1920', true);
    await logIn(p, 'admin');
    for (const [name, route, ready] of [['settings', '#/settings', '[data-testid="settings"]'], ['exchange', '#/exchange', '[data-testid="partners"]']] as const) {
      await p.evaluate(`window.location.hash = ${JSON.stringify(route)}`);
      await p.locator(ready).waitFor();
      await p.waitForTimeout(400);
      await p.screenshot({ path: `${process.cwd()}/test-output/screens/review-zh-1920-${name}.png` });
      const f = await inspect(p);
      found.push(...f.missing, ...f.raw, ...f.cut, ...(f.pageScroll ? [`${name} scrolls sideways`] : []), ...(f.squeezed ? [`${name} restyled`] : []));
      found.push(...await axeCheck(p, `zh-1920 ${name}`));
    }
    expect(found, found.join('\n')).toEqual([]);
  }, 120_000);
});
