/**
 * axe-core inside the page under test (WCAG 2.1 AA and best practice), shared by the end-to-end
 * suites: every violation found, and the serious or critical ones a screen must not have.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(join(dirname(createRequire(import.meta.url).resolve('axe-core')), 'axe.min.js'), 'utf8');

export interface AxeFinding {
  impact: string;
  line: string;
}

/** Every violation axe-core finds on the page as it is now, one line each. */
export async function axeFindings(p: Page): Promise<AxeFinding[]> {
  if (!(await p.evaluate('typeof window.axe !== "undefined"'))) await p.evaluate(AXE_SOURCE);
  return p.evaluate(`(async () => {
    const r = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'], resultTypes: ['violations'] });
    return r.violations.map((v) => ({ impact: v.impact, line: v.impact + ' ' + v.id + ' (' + v.nodes.length + '): ' + v.nodes.slice(0, 6).map((n) => {
      const c = v.id === 'color-contrast' ? n.any[0]?.data : null;
      return n.target.join(' ') + (c ? ' [' + c.fgColor + ' on ' + c.bgColor + ' ' + c.contrastRatio + ':1]' : ' ' + n.html.slice(0, 100));
    }).join(' | ') }));
  })()`) as Promise<AxeFinding[]>;
}

/** The serious and critical violations, each prefixed with the screen's name. */
export function seriousOrCritical(found: AxeFinding[], screen: string): string[] {
  return found.filter((f) => f.impact === 'serious' || f.impact === 'critical').map((f) => `${screen}: ${f.line}`);
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function axeCheck(p: Page, screen: string): Promise<string[]> {
  return seriousOrCritical(await axeFindings(p), screen);
}

/** Wait until no dialog or message is still fading or zooming in (a half-drawn colour is not the page's). */
export async function settle(p: Page): Promise<void> {
  const moving = 'document.querySelectorAll(\'[class*="-appear"], [class*="-enter"], [class*="-leave"]\').length';
  for (let i = 0; i < 50 && (await p.evaluate(moving)) !== 0; i++) await p.waitForTimeout(50);
  await p.waitForTimeout(100);
}

/** axeCheck once the dialogs' animations have settled. */
export async function axeCheckSettled(p: Page, screen: string): Promise<string[]> {
  await settle(p);
  return axeCheck(p, screen);
}
