/**
 * The keyboard alone (WCAG 2.1.1 keyboard, 2.4.7 focus visible): from the first-run screen open the
 * demo ledger, log in, open 问题清单 from the navigation, open a problem, open one of its tasks in
 * progress, add a 进展 with Ctrl+N, save it with Ctrl+S, and find the entry in the engine. Only
 * page.keyboard is used; at every Tab stop on the way the focused element must show a focus
 * indicator (an outline or a box-shadow on it, its field's frame, or its table cells).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../db/seed/demo.js';
import { SHOTS_DIR, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ today: '2024-06-15', demoProblems: 60 });
  // The browser's "today" (the 进展 date's default) is the engine's fixed day.
  await h.page.clock.setSystemTime(new Date(h.clock.now()));
}, 60_000);
afterAll(async () => h?.close());

interface Focused { tag: string; text: string; label: string; testId: string; classes: string; href: string; visible: boolean; style: string }

/**
 * What has the focus, and whether it is visibly marked (browser-side code as text: this file is
 * type-checked for Node). antd draws the focus of a text field on the field's frame around the
 * <input>, and the lists draw a focused row's outline on its cells.
 */
const FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const shows = (x) => {
    if (!x) return null;
    const s = getComputedStyle(x);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && !/rgba\\([^)]*, 0\\)|transparent/.test(s.outlineColor);
    // A ring drawn with box-shadow: some shadow with a visible colour and a spread or blur of a pixel or more.
    const shadow = s.boxShadow !== 'none' && s.boxShadow.split(/,(?![^(]*\\))/).some((one) => {
      const alpha = /rgba\\([^)]*,\\s*([\\d.]+)\\)/.exec(one);
      if (alpha && parseFloat(alpha[1]) < 0.05) return false;
      const px = (one.replace(/rgba?\\([^)]*\\)/, '').match(/-?[\\d.]+px/g) ?? []).map(parseFloat);
      return (px[2] ?? 0) >= 1 || (px[3] ?? 0) >= 1;
    });
    return outline || shadow ? (outline ? 'outline ' + s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor : 'box-shadow ' + s.boxShadow) : null;
  };
  const frame = el.closest('.ant-input-affix-wrapper, .ant-input-outlined, .ant-select, .ant-picker, .ant-input-number, .ant-input-search');
  const cell = el.matches('tr, .ant-table-row') ? el.querySelector('td') : null;
  const style = shows(el) ?? shows(frame) ?? shows(cell);
  return {
    tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || '').trim().slice(0, 60), label: el.getAttribute('aria-label') ?? '',
    testId: el.getAttribute('data-testid') ?? '', classes: String(el.className), href: el.getAttribute('href') ?? '',
    visible: !!style, style: style ?? '',
  };
})()`;

/** Every focus stop the walkthrough passed, for the report on failure. */
const stops: string[] = [];
const unmarked: string[] = [];

/**
 * Wait until the focus ring's transitions on the focused element and its field's frame have run
 * (antd's take 0.2 s, longer while the page is still busy drawing a screen), at most 2 s.
 */
const RING_DRAWN = `(async () => {
  const el = document.activeElement;
  if (!el || el === document.body) return;
  const frame = el.closest('.ant-input-affix-wrapper, .ant-input-outlined, .ant-select, .ant-picker, .ant-input-number, .ant-input-search');
  const running = [el, frame].filter(Boolean).flatMap((x) => x.getAnimations());
  await Promise.race([Promise.all(running.map((a) => a.finished.catch(() => undefined))), new Promise((ok) => setTimeout(ok, 2000))]);
})()`;

async function focused(p: Page): Promise<Focused | null> {
  // antd animates the focus ring in (0.2 s): read it once it is drawn.
  await p.waitForTimeout(250);
  await p.evaluate(RING_DRAWN);
  const f = (await p.evaluate(FOCUSED)) as Focused | null;
  if (f) {
    const name = `${f.tag}${f.testId ? `[${f.testId}]` : ''} "${f.label || f.text}"`;
    stops.push(`${name} ${f.visible ? f.style : 'NO FOCUS INDICATOR'}`);
    if (!f.visible) unmarked.push(`${name} (${f.classes})`);
  }
  return f;
}

/** Press `key` (Tab by default) until the focused element is the one wanted; every stop on the way must be visibly focused. */
async function tabTo(p: Page, want: (f: Focused) => boolean, what: string, key = 'Tab', max = 80): Promise<Focused> {
  for (let i = 0; i < max; i++) {
    await p.keyboard.press(key);
    const f = await focused(p);
    if (f && want(f)) return f;
  }
  throw new Error(`${what}: not reached with ${key} after ${max} presses; stops:\n${stops.slice(-max).join('\n')}`);
}

const api = async <T,>(p: Page, channel: string, arg: unknown): Promise<T> => p.evaluate(async ([c, a]) => {
  const r = await fetch('./api/invoke', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ channel: c, arg: a }) });
  return ((await r.json()) as { value: unknown }).value;
}, [channel, arg] as const) as Promise<T>;

describe('the keyboard alone', () => {
  it('opens the demo ledger, logs in, reaches a task through its problem and adds a 进展', async () => {
    const p = h.page;
    const content = '键盘操作录入的整改进展：已召开专题会议部署整改。';

    // 首次设置: 打开演示台账 is reached with Tab and pressed with Enter.
    await tabTo(p, (f) => f.tag === 'button' && f.text.includes('打开演示台账'), '打开演示台账');
    await p.keyboard.press('Enter');
    await p.locator('input[autocomplete="username"]').waitFor({ timeout: 60_000 });

    // 登录: the user name field has the focus; type, Tab to the password, Enter submits.
    await expect.poll(async () => (await focused(p))?.tag).toBe('input');
    expect((await focused(p))?.visible).toBe(true);
    await p.keyboard.type('luru1');
    await tabTo(p, (f) => f.tag === 'input' && f.classes.includes('ant-input') && f.label === '' && f.text === '', 'password');
    await p.keyboard.type(DEMO_PASSWORD);
    await p.keyboard.press('Enter');
    await p.getByTestId('current-user').waitFor({ timeout: 15_000 });
    await p.getByTestId('home').waitFor();

    // The navigation: Tab into the menu, arrow keys to 问题清单, Enter.
    await tabTo(p, (f) => f.text === '工作台' || (f.tag === 'ul' && f.text.includes('问题清单')) || f.text === '问题清单', 'the navigation');
    await tabTo(p, (f) => f.text === '问题清单', '问题清单 in the navigation', 'ArrowDown', 12);
    await p.keyboard.press('Enter');
    await p.locator('[data-testid="problem-table"] .ant-table-row').first().waitFor();
    expect(await p.evaluate('location.hash')).toBe('#/problems');

    // 问题清单: Tab through the toolbar to the first row, Enter opens the problem.
    await tabTo(p, (f) => f.classes.includes('xz-row'), 'a row of 问题清单');
    await p.keyboard.press('Enter');
    await p.getByTestId('problem-detail').waitFor();

    // The problem: Tab to a task still in progress (推进中) and follow its link.
    const inProgress = await p.evaluate(`[...document.querySelectorAll('[data-testid="problem-tasks"] .ant-table-row')]
      .filter((r) => r.innerText.includes('推进中')).map((r) => r.querySelector('a')?.getAttribute('href') ?? '')`) as string[];
    expect(inProgress.length, 'the first problem of the list has a task in progress').toBeGreaterThan(0);
    const link = await tabTo(p, (f) => f.tag === 'a' && inProgress.includes(f.href), 'a task link on the problem');
    await p.keyboard.press('Enter');
    await p.getByTestId('task-detail').waitFor();
    const taskId = decodeURIComponent(link.href.replace('#/task/', ''));
    expect(await p.evaluate('location.hash')).toBe(link.href);

    // The task: Ctrl+N opens 新增进展 (the date is today), Tab to the text, type, Ctrl+S saves.
    const before = (await api<{ progress: unknown[] }>(p, 'tasks:get', { id: taskId })).progress.length;
    await p.keyboard.press('Control+n');
    await p.getByTestId('progress-dialog').waitFor();
    await tabTo(p, (f) => f.tag === 'textarea', 'the 进展 text');
    await p.keyboard.type(content);
    await p.keyboard.press('Control+s');
    await p.getByTestId('progress-dialog').waitFor({ state: 'detached' });
    await p.locator('[data-testid="progress-entry"]', { hasText: content }).waitFor();
    await h.shot('keyboard-progress-added');

    // Esc closes what the keyboard opened: the user menu on the top bar.
    await tabTo(p, (f) => f.testId === 'current-user', 'the user button', 'Shift+Tab', 120);
    await p.keyboard.press('Enter');
    await p.locator('.ant-dropdown:not(.ant-dropdown-hidden)').waitFor();
    await p.keyboard.press('Escape');
    await p.locator('.ant-dropdown:not(.ant-dropdown-hidden)').waitFor({ state: 'hidden' });

    // The entry is in the engine, by the user who typed it.
    const after = await api<{ progress: { content: string; entryDate: string }[] }>(p, 'tasks:get', { id: taskId });
    expect(after.progress.length).toBe(before + 1);
    expect(after.progress.find((x) => x.content === content)).toMatchObject({ entryDate: '2024-06-15' });

    writeFileSync(join(SHOTS_DIR, 'keyboard-stops.txt'), `${stops.join('\n')}\n`);
    expect(unmarked, `focus stops without a visible focus indicator:\n${unmarked.join('\n')}\n\nall stops:\n${stops.join('\n')}`).toEqual([]);
  }, 120_000);
});
