/**
 * 导出范围 on the 导出 tab, in Chromium over the real engine: the 范围 choice is a radio group the
 * keyboard moves through (arrow keys); 按被巡视单位 shows a units picker searched on the engine as
 * the user types (chosen with the keyboard); a scope left without its records is refused by the form
 * in zh-CN; 按问题 finds problems by words of their description, labelled with their unit; 按轮次 with a round picked writes a package whose header (read without any key) names
 * the round. axe-core with the choice and a picker open; screenshots in test-output/exchange-scope.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../db/core/clock.js';
import type { ActingUser, ServiceContext } from '../../db/core/context.js';
import { inTransaction } from '../../db/core/context.js';
import { seededRandom, uuidv7Source } from '../../db/core/ids.js';
import { openLedger, type Ledger } from '../../db/core/open.js';
import { readHeader } from '../../db/exchange/package/index.js';
import { login, setupLedger } from '../../db/services/office.js';
import { addPartner, exportCard } from '../../db/services/partners.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxUnit } from '../helpers/fixtures.js';
import { axeCheck as axeCheckNow, settle } from './axe.js';
import { startHarness, type Harness } from './harness.js';

const PW = 'jiaohuan-mima-2024';
const PARTNER = '某省纪委监委第三监督检查室';
const SHOTS = resolve(import.meta.dirname, '..', '..', 'test-output', 'exchange-scope');

let h: Harness;
let partnerLedger: Ledger;
const ids = { roundA: '', roundB: '' };

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  h = await startHarness({ today: '2024-06-15' });
  const admin = h.setup({ officeName: '某省委巡视办', officeKind: 'inspection_office', level: 'province', adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: PW });

  const clock = fixedClock('2024-06-14');
  partnerLedger = openLedger(':memory:');
  const idSource = uuidv7Source(() => clock.now(), seededRandom(53));
  const as = (user: ActingUser | null): ServiceContext => ({ ledger: partnerLedger, clock, ids: idSource, user });
  setupLedger(as(null), { officeName: PARTNER, officeKind: 'discipline', level: 'province', adminUsername: 'admin', adminDisplayName: '张某某', adminPassword: PW });
  const partner = as(login(as(null), { username: 'admin', password: PW }));
  const ctx = h.as(admin);
  const ours = exportCard(ctx);
  const theirs = exportCard(partner);
  addPartner(ctx, { card: theirs.text, fingerprint: theirs.fingerprint });
  addPartner(partner, { card: ours.text, fingerprint: ours.fingerprint });
  inTransaction(ctx, () => {
    const a = fxRound(ctx, { name: '某省委2024年第一轮巡视' });
    const b = fxRound(ctx, { name: '某省委2024年第二轮巡视' });
    const cat = categoryId(ctx, '廉洁风险');
    for (const [round, name] of [[a, '某某能源集团有限公司'], [a, '某某交通投资集团有限公司'], [b, '某某农业发展集团有限公司']] as const) {
      const u = fxUnit(ctx, { name });
      const i = fxInspection(ctx, { roundId: round.id, unitId: u.id });
      fxProblem(ctx, { unitId: u.id, roundId: round.id, inspectionId: i.inspection.id, categoryId: cat, description: `${name}落实全面从严治党主体责任不到位。` });
    }
    Object.assign(ids, { roundA: a.id, roundB: b.id });
  });
  h.host.committed();
  await h.page.reload();
}, 60_000);
afterAll(async () => {
  partnerLedger?.close();
  await h?.close();
});

async function shot(p: Page, name: string) {
  await settle(p);
  await p.waitForTimeout(300);
  await p.screenshot({ path: join(SHOTS, `${name}.png`) });
}

const radio = (p: Page, name: string) => p.getByTestId('export-scope').getByRole('radio', { name });
/** An option of the open dropdown as the user sees it (Ant Design's listbox for screen readers is hidden). */
const option = (p: Page, text: string) => p.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: text });

describe('导出范围 on the 导出 tab', () => {
  it('chooses the scope with the keyboard, picks units by name, refuses an empty scope, and a round package names its round in the header', { timeout: 90_000 }, async () => {
    const p = h.page;
    await p.locator('input[autocomplete="username"]').fill('admin');
    await p.locator('input[autocomplete="current-password"]').fill(PW);
    await p.locator('button[type="submit"]').click();
    await p.getByTestId('current-user').getByText('王某某').waitFor();
    await p.keyboard.press('Control+e');
    await p.getByTestId('export-tab').waitFor();
    await p.getByTestId('export-partner').getByText(PARTNER).waitFor();
    for (const name of ['自上次确认以来', '全部', '按轮次', '按被巡视单位', '按问题', '按日期范围']) expect(await radio(p, name).count()).toBe(1);
    expect(await radio(p, '自上次确认以来').isChecked()).toBe(true);

    // Arrow keys move the choice: 自上次确认以来 → 全部 → 按轮次 → 按被巡视单位.
    await radio(p, '自上次确认以来').focus();
    for (let i = 0; i < 3; i++) await p.keyboard.press('ArrowRight');
    expect(await radio(p, '按被巡视单位').isChecked()).toBe(true);
    await p.getByText('按范围导出的交换包不改变“自上次确认以来”的起点', { exact: false }).waitFor();

    // The units picker is labelled, searched on the engine, and chosen from the keyboard.
    const units = p.getByRole('combobox', { name: '被巡视单位' });
    await units.focus();
    await p.keyboard.type('交通');
    await option(p, '某某能源集团有限公司').waitFor({ state: 'hidden' }); // the engine's answer to what was typed
    await option(p, '某某交通投资集团有限公司').waitFor();
    await p.keyboard.press('Enter');
    await p.getByTestId('export-units').getByText('某某交通投资集团有限公司').waitFor();
    // The choice clears what was typed: every unit is offered again, ready for the next.
    await option(p, '某某能源集团有限公司').waitFor();
    expect(await units.inputValue()).toBe('');
    expect(await axeCheckNow(p, 'exchange export, units picker open')).toEqual([]);
    await shot(p, 'scope-01-units-open');
    await p.keyboard.press('Escape');

    // 按问题 with nothing chosen: the form says what is missing, nothing is written.
    await radio(p, '按问题').check();
    await p.getByTestId('export-run').click();
    await p.getByText('请选择至少一个问题。').waitFor();
    expect(await p.getByTestId('export-done').count()).toBe(0);
    // Problems are found by words of their description, labelled with their unit.
    await p.getByRole('combobox', { name: '问题' }).focus();
    await p.keyboard.type('能源集团');
    await option(p, '某某能源集团有限公司 · 1. 某某能源集团有限公司落实全面从严治党主体责任不到位。').waitFor();
    await p.keyboard.press('Enter');
    await p.getByTestId('export-problems').getByText('某某能源集团有限公司 · 1.', { exact: false }).waitFor();
    await p.keyboard.press('Escape');
    await radio(p, '按日期范围').check();
    await p.getByRole('textbox', { name: '起始日期' }).waitFor();
    expect(await axeCheckNow(p, 'exchange export, date range')).toEqual([]);
    await shot(p, 'scope-02-dates');

    // 按轮次: pick the first round, export; the header read without a key names it.
    await radio(p, '按轮次').check();
    await p.getByRole('combobox', { name: '巡视轮次' }).click();
    await option(p, '某省委2024年第一轮巡视').click();
    await shot(p, 'scope-03-round');
    await p.getByTestId('export-run').click();
    const done = p.getByTestId('export-done');
    await done.waitFor({ timeout: 20_000 });
    const fileName = (await done.getByTestId('file-name').textContent())!;
    const records = Number(await p.getByTestId('export-records').textContent());
    // The round, its two inspections with their feedbacks, its two problems, and the two units they name.
    expect(records).toBe(9);
    const folder = join(h.dir, '交换包', PARTNER);
    expect(readdirSync(folder)).toContain(fileName);
    const header = await readHeader(join(folder, fileName));
    expect(header.scope).toMatchObject({ mode: 'round', roundId: ids.roundA, fromVersion: 0, includesClues: false });
    await shot(p, 'scope-04-round-done');
  });
});
