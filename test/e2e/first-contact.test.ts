/**
 * 首次联络包 in Chromium over the real engine: the office in the page (an inspection office) exports
 * a first-contact package (the suggested passphrase shown large, copy button), then receives one from
 * an inspected unit whose card it does not have (its ledger opened here in memory): picking the file
 * shows the sender's card and fingerprint; a mistyped fingerprint is refused prominently; the right
 * one adds and confirms the partner; a wrong passphrase is said on its field; the right one previews
 * and imports. axe-core on both states; screenshots in test-output/first-contact.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../db/core/clock.js';
import type { ActingUser, ServiceContext } from '../../db/core/context.js';
import { seededRandom, uuidv7Source } from '../../db/core/ids.js';
import { openLedger, type Ledger } from '../../db/core/open.js';
import { exportFirstContact, suggestPassphrase } from '../../db/exchange/first-contact.js';
import type { ExportResult } from '../../db/exchange/transfer.js';
import { createCategory } from '../../db/services/categories.js';
import { login, setupLedger } from '../../db/services/office.js';
import { exportCard, listPartners } from '../../db/services/partners.js';
import { axeCheckSettled as axeCheck, settle } from './axe.js';
import { startHarness, type Harness } from './harness.js';

const PW = 'lianluo-mima-2024';
const OFFICE = '某省委巡视办';
const PARTNER = '某某集团有限公司巡视整改工作领导小组办公室';
const SHOTS = resolve(import.meta.dirname, '..', '..', 'test-output', 'first-contact');

let h: Harness;
let partner: { ledger: Ledger; ctx: ServiceContext; id: string };
let stick: string;
let pkg: ExportResult;
const pass = suggestPassphrase();

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  stick = mkdtempSync(join(tmpdir(), 'xz-stick-'));
  h = await startHarness({ today: '2024-10-08' });
  h.setup({ officeName: OFFICE, officeKind: 'inspection_office', level: 'province', adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: PW });
  const clock = fixedClock('2024-10-07');
  const ledger = openLedger(':memory:');
  const ids = uuidv7Source(() => clock.now(), seededRandom(81));
  const as = (user: ActingUser | null): ServiceContext => ({ ledger, clock, ids, user });
  const { officeId } = setupLedger(as(null), { officeName: PARTNER, officeKind: 'inspected_unit', level: 'province', adminUsername: 'admin', adminDisplayName: '张某某', adminPassword: PW });
  partner = { ledger, ctx: as(login(as(null), { username: 'admin', password: PW })), id: officeId };
  createCategory(partner.ctx, { name: '首次联络测试类别' });
  pkg = await exportFirstContact(partner.ctx, { dir: stick, passphrase: pass, recipientName: OFFICE, recipientKind: 'inspection_office' });
  await h.page.reload();
}, 60_000);
afterAll(async () => {
  partner?.ledger.close();
  await h?.close();
  if (stick) rmSync(stick, { recursive: true, force: true });
});

async function shot(p: Page, name: string) {
  await p.mouse.move(1, 1);
  await settle(p);
  await p.waitForTimeout(300);
  await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}
const tab = (p: Page, name: string) => p.getByRole('tab', { name });

describe('首次联络包 in the page', () => {
  it('exports one with the suggested passphrase shown large, by keyboard', { timeout: 90_000 }, async () => {
    const p = h.page;
    await p.locator('input[autocomplete="username"]').fill('admin');
    await p.locator('input[autocomplete="current-password"]').fill(PW);
    await p.locator('button[type="submit"]').click();
    await p.getByTestId('current-user').getByText('王某某').waitFor();
    await p.getByRole('menuitem', { name: '数据交换' }).click();
    await tab(p, '导出').click();
    // The choice is a radio group: focus it, arrow to 首次联络.
    await p.getByTestId('export-to').getByRole('radio', { name: '发给已确认的交换单位' }).focus();
    await p.keyboard.press('ArrowRight');
    expect(await p.getByTestId('export-to').getByRole('radio', { name: '首次联络（对方公钥卡尚未导入）' }).isChecked()).toBe(true);
    await p.getByTestId('first-contact-export').waitFor();
    const large = p.getByTestId('first-passphrase-large');
    await large.waitFor();
    const suggested = await p.getByTestId('first-passphrase').inputValue();
    expect(suggested).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){5}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect((await large.textContent())!.replace(/-/g, '')).toBe(suggested.replace(/-/g, ''));
    // By keyboard: the name, then the kind (type to filter, Enter), then submit.
    await p.getByTestId('first-recipient-name').fill(PARTNER);
    await p.getByTestId('first-recipient-name').press('Tab');
    await p.keyboard.type('被巡视');
    await p.keyboard.press('Enter');
    expect(await axeCheck(p, 'exchange, first-contact export')).toEqual([]);
    await shot(p, 'first-contact-export');
    await p.getByTestId('first-run').click();
    const done = p.getByTestId('first-done');
    await done.waitFor({ timeout: 30_000 });
    expect(await done.getByTestId('file-name').textContent()).toMatch(/首次联络包/);
    const row = h.ledger.sqlite.prepare("SELECT partner_office_id AS p, scope FROM exchange_packages WHERE direction = 'sent'").get() as { p: string; scope: string };
    expect(row.p).toBe('');
    expect(JSON.parse(row.scope)).toMatchObject({ mode: 'first_contact', recipientName: PARTNER, recipientKind: 'inspected_unit' });
    expect(await axeCheck(p, 'exchange, first-contact export done')).toEqual([]);
    await done.scrollIntoViewIfNeeded();
    await shot(p, 'first-contact-export-done');
    // 交换记录 lists it under the recipient's name until its receipt comes back.
    await tab(p, '交换记录').click();
    const pending = p.getByTestId('history').getByTestId('history-first-contact');
    await pending.waitFor();
    expect(await pending.textContent()).toBe(`${PARTNER} 首次联络包`);
    expect(await p.getByTestId('history').locator('[data-state="waiting"]').textContent()).toBe('待回执1个');
    expect(await axeCheck(p, 'exchange, history with a first-contact package')).toEqual([]);
    await shot(p, 'first-contact-history');
    // 撤回, after a confirmation: the row goes, the package is logged as withdrawn.
    await p.getByTestId('history-withdraw').click();
    const confirm = p.locator('.ant-modal-confirm');
    await confirm.locator('.ant-modal-confirm-title', { hasText: '撤回这个首次联络包？' }).waitFor();
    expect(await axeCheck(p, 'exchange, withdrawing a first-contact package')).toEqual([]);
    await shot(p, 'first-contact-withdraw');
    await confirm.locator('.ant-modal-confirm-btns').getByRole('button', { name: '撤回' }).click();
    await pending.waitFor({ state: 'detached' });
    expect((h.ledger.sqlite.prepare("SELECT status FROM exchange_packages WHERE direction = 'sent'").get() as { status: string }).status).toBe('withdrawn');
  });

  it('imports one: the sender’s card, the fingerprint read over the phone, the passphrase, then the preview', { timeout: 90_000 }, async () => {
    const p = h.page;
    await tab(p, '导入').click();
    await p.getByTestId('import-pick').locator('input[type="file"]').setInputFiles(pkg.path);
    const step = p.getByTestId('first-contact-import');
    await step.waitFor({ timeout: 20_000 });
    const fp = exportCard(partner.ctx).fingerprint;
    expect((await p.getByTestId('first-sender-fingerprint').textContent())!.replace(/-/g, '')).toBe(fp.replace(/-/g, ''));
    await step.getByText(PARTNER).first().waitFor();
    expect(await axeCheck(p, 'exchange, first-contact import')).toEqual([]);
    await shot(p, 'first-contact-import');

    // A mistyped fingerprint: refused prominently, nothing added.
    await p.getByTestId('first-fingerprint').fill(`${fp.slice(0, -1)}${fp.endsWith('0') ? '1' : '0'}`);
    await p.getByTestId('first-import-passphrase').fill(pass);
    await p.getByTestId('first-preview').click();
    await p.getByTestId('fingerprint-mismatch').waitFor();
    expect(listPartners(h.as(h.user('admin')))).toEqual([]);
    // The right one, typed as heard; a wrong passphrase is said on its field.
    await p.getByTestId('first-fingerprint').fill(fp.toLowerCase().replace(/-/g, ' '));
    await p.getByTestId('first-import-passphrase').fill(suggestPassphrase());
    await p.getByTestId('first-preview').click();
    await step.getByText('口令不正确', { exact: false }).waitFor({ timeout: 20_000 });
    expect(listPartners(h.as(h.user('admin')))).toEqual([expect.objectContaining({ officeId: partner.id, trust: 'confirmed' })]);
    await p.getByTestId('first-trusted').waitFor();
    await shot(p, 'first-contact-import-wrong-passphrase');
    await p.getByTestId('first-import-passphrase').fill(pass.toLowerCase());
    await p.getByTestId('first-import-passphrase').press('Enter');
    await p.getByTestId('package-preview').waitFor({ timeout: 20_000 });
    await p.getByText('首次联络（全部）').waitFor();
    expect(await axeCheck(p, 'exchange, first-contact preview')).toEqual([]);
    await shot(p, 'first-contact-preview');
    await p.getByTestId('import-run').click();
    await p.getByTestId('import-done').waitFor({ timeout: 20_000 });
    await p.getByTestId('import-receipt').waitFor();
    expect(h.ledger.sqlite.prepare("SELECT partner_office_id AS p, seq FROM exchange_packages WHERE id = ?").get(pkg.packageId)).toEqual({ p: partner.id, seq: 1 });
    expect(await axeCheck(p, 'exchange, first-contact imported')).toEqual([]);
    await shot(p, 'first-contact-imported');
  });
});
