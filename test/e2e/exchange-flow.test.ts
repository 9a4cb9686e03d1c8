/**
 * 数据交换, packages end to end, in Chromium over the real engine: two ledgers with confirmed cards
 * both ways, the one in the page (an organisation department, through the harness's ledger host)
 * and a partner opened here in memory (the provincial inspection office). Both kinds own a unit's
 * 整顿说明 (units.overhaulNote, docs/exchange-ownership.md), so both may change it and a concurrent
 * change of it is a conflict.
 *
 * The partner exports; the page imports through the preview (counts equal the engine's own
 * previewPackage, the data arrives, the receipt is written and downloads); both sides change the
 * 整顿说明 without seeing each other's change and the partner changes a field it does not own (a
 * leader's post: a proposal); the second package brings the conflict and the proposal, counted on
 * the 冲突与提议 tab; the page keeps the partner's version and rejects the proposal with a reason;
 * the page exports (the 文件 menu's 导出…, here Ctrl+E) and the partner imports it: no conflict
 * there either, the chosen value everywhere; the partner's receipt imported in the page shows
 * 已确认 in 交换记录. Also: a damaged package refused in zh-CN, a missing earlier package named.
 * axe-core on every tab; screenshots in test-output/exchange-flow.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../db/core/clock.js';
import type { ActingUser, ServiceContext } from '../../db/core/context.js';
import { inTransaction } from '../../db/core/context.js';
import { seededRandom, uuidv7Source } from '../../db/core/ids.js';
import { openLedger, type Ledger } from '../../db/core/open.js';
import { getRow, insertRow, softDelete, updateRow } from '../../db/core/write.js';
import { deliveryHistory, exportPackage, importPackage, importReceipt, previewPackage, writeReceipt, type ExportResult } from '../../db/exchange/transfer.js';
import { rounds, supervisionActivities, teams, unitLeaders, units } from '../../db/schema/index.js';
import { listConflicts, listProposals } from '../../db/services/conflicts.js';
import { login, setupLedger } from '../../db/services/office.js';
import { addPartner, exportCard } from '../../db/services/partners.js';
import { fxInspection, fxRound, fxTeam, fxUnit } from '../helpers/fixtures.js';
import { axeCheckSettled as axeCheck, settle } from './axe.js';
import { startHarness, type Harness } from './harness.js';

const PW = 'jiaohuan-mima-2024';
const OFFICE = '某省委组织部';
const PARTNER = '某省委巡视办';
const SHOTS = resolve(import.meta.dirname, '..', '..', 'test-output', 'exchange-flow');

let h: Harness;
let admin: ActingUser;
let partner: { ledger: Ledger; ctx: ServiceContext; id: string };
/** The USB stick between the two offices. */
let stick: string;
const ids = { unit: '', round: '', leader: '', activity: '' };
let receiptForUs = '';
let first: ExportResult;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  stick = mkdtempSync(join(tmpdir(), 'xz-stick-'));
  h = await startHarness({ today: '2024-06-15' });
  admin = h.setup({ officeName: OFFICE, officeKind: 'organisation', level: 'province', adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: PW });

  // The partner's own ledger (its own clock and id source).
  const clock = fixedClock('2024-06-14');
  const ledger = openLedger(':memory:');
  const idSource = uuidv7Source(() => clock.now(), seededRandom(71));
  const as = (user: ActingUser | null): ServiceContext => ({ ledger, clock, ids: idSource, user });
  const { officeId } = setupLedger(as(null), { officeName: PARTNER, officeKind: 'inspection_office', level: 'province', adminUsername: 'admin', adminDisplayName: '张某某', adminPassword: PW });
  partner = { ledger, ctx: as(login(as(null), { username: 'admin', password: PW })), id: officeId };

  // Cards exchanged and fingerprints confirmed by phone, both ways.
  const ours = exportCard(h.as(admin));
  const theirs = exportCard(partner.ctx);
  addPartner(h.as(admin), { card: theirs.text, fingerprint: theirs.fingerprint });
  addPartner(partner.ctx, { card: ours.text, fingerprint: ours.fingerprint });

  // The inspection office's round, unit, inspection and the unit's leader as the team met him.
  inTransaction(partner.ctx, () => {
    const round = fxRound(partner.ctx, { name: '某省委2024年第一轮巡视' });
    const unit = fxUnit(partner.ctx, { name: '某某集团有限公司' });
    fxInspection(partner.ctx, { roundId: round.id, unitId: unit.id });
    const leader = insertRow(partner.ctx, unitLeaders, { unitId: unit.id, name: '赵某某', post: '党委书记', fromDate: '2021-03-01', toDate: null });
    Object.assign(ids, { unit: unit.id, round: round.id, leader: leader.id });
  });
  first = await exportPackage(partner.ctx, { partnerId: h.host.ledger!.state.officeId!, dir: stick });
  await h.page.reload();
}, 60_000);
afterAll(async () => {
  partner?.ledger.close();
  await h?.close();
  if (stick) rmSync(stick, { recursive: true, force: true });
});

const me = () => h.as(h.user('admin'));
const ourOffice = () => h.host.ledger!.state.officeId!;

async function logIn(p: Page) {
  await p.locator('input[autocomplete="username"]').fill('admin');
  await p.locator('input[autocomplete="current-password"]').fill(PW);
  await p.locator('button[type="submit"]').click();
  await p.getByTestId('current-user').getByText('王某某').waitFor();
}

/** A screenshot in test-output/exchange-flow, without the pointer's tooltip and the passing toasts. */
async function shot(p: Page, name: string, fullPage = false) {
  await p.mouse.move(1, 1);
  await p.evaluate(`{ const s = document.createElement('style'); s.id = 'shot-style';
    s.textContent = '.ant-message { display: none !important; }'; document.head.append(s); }`);
  await settle(p);
  await p.waitForTimeout(300);
  await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
  await p.evaluate(`document.getElementById('shot-style')?.remove()`);
}

const tab = (p: Page, name: RegExp | string) => p.getByRole('tab', { name });
const pickPackage = (p: Page, file: string) => p.getByTestId('import-pick').locator('input[type="file"]').setInputFiles(file);

/** The preview's count per outcome, as the page shows it. */
async function shownCounts(p: Page): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const o of ['new', 'changed', 'conflict', 'proposal', 'deleted', 'restored', 'refused', 'unchanged']) {
    out[o] = Number(await p.getByTestId(`count-${o}`).textContent());
  }
  return out;
}

/** Every count the preview shows equals the engine's own previewPackage count. */
async function expectEngineCounts(p: Page, engine: Record<string, number>) {
  const shown = await shownCounts(p);
  for (const [k, n] of Object.entries(shown)) expect(n, k).toBe(engine[k]);
}

async function download(p: Page, scope: string): Promise<Buffer> {
  const [d] = await Promise.all([p.waitForEvent('download'), p.getByTestId(scope).getByTestId('file-download').click()]);
  return readFileSync((await d.path())!);
}

describe('数据交换 packages between two ledgers', () => {
  it('the 文件 menu’s 导入… opens the 导入 tab; the first package previews with the engine’s counts, imports, and its receipt downloads', { timeout: 90_000 }, async () => {
    const p = h.page;
    await logIn(p);
    await p.getByRole('menuitem', { name: '数据交换' }).click();
    await p.getByTestId('own-card').waitFor();
    expect(await axeCheck(p, 'exchange, partners tab')).toEqual([]);

    // Ctrl+I stands in for 文件 · 导入… in the browser preview.
    await p.keyboard.press('Control+i');
    await p.getByTestId('import-tab').waitFor();
    expect(await tab(p, '导入').getAttribute('aria-selected')).toBe('true');
    expect(await axeCheck(p, 'exchange, import tab (empty)')).toEqual([]);

    await pickPackage(p, first.path);
    await p.getByTestId('package-preview').waitFor({ timeout: 20_000 });
    const engine = await previewPackage(me(), first.path);
    await expectEngineCounts(p, engine.preview.counts);
    expect(engine.preview.counts.new).toBe(first.records);
    expect(await p.getByTestId('preview-sender').textContent()).toContain(PARTNER);
    expect((await p.getByTestId('preview-sender-fingerprint').textContent())!.replace(/-/g, '')).toBe(engine.header.sender.fingerprint);
    expect(await p.getByTestId('preview-seq').textContent()).toBe('第1号');
    const items = p.getByTestId('preview-items');
    await items.getByText('某省委2024年第一轮巡视').first().waitFor();
    await items.getByText('巡视轮次').first().waitFor();
    // 新增 only, by keyboard: the filter is a radio group.
    await p.getByTestId('preview-counts').getByText('新增').click();
    expect(await items.locator('[data-outcome]').evaluateAll((xs) => xs.every((x) => x.getAttribute('data-outcome') === 'new'))).toBe(true);
    expect(await axeCheck(p, 'exchange, import preview')).toEqual([]);
    await shot(p, 'flow-01-preview', true);

    await p.getByTestId('import-run').click();
    const done = p.getByTestId('import-done');
    await done.waitFor({ timeout: 20_000 });
    expect(await p.getByTestId('import-done-text').textContent()).toContain(`已导入${PARTNER}的第1号交换包：新增${first.records}`);
    // The data arrived (through the engine).
    expect(getRow(me(), rounds, ids.round)?.name).toBe('某省委2024年第一轮巡视');
    expect(getRow(me(), units, ids.unit)?.name).toBe('某某集团有限公司');
    // The receipt: written into the partner's folder, downloadable, and the partner accepts it.
    const bytes = await download(p, 'import-receipt');
    const receiptFile = join(stick, 'receipt-1.xzpkg');
    writeFileSync(receiptFile, bytes);
    expect(await importReceipt(partner.ctx, receiptFile)).toMatchObject({ refersTo: first.packageId, alreadyConfirmed: false });
    expect(await axeCheck(p, 'exchange, import done')).toEqual([]);
    await shot(p, 'flow-02-import-done');
  });

  it('a damaged package is refused in a sentence, changing nothing', { timeout: 60_000 }, async () => {
    const p = h.page;
    const bytes = readFileSync(first.path);
    bytes[bytes.length - 40]! ^= 0x10;
    const bad = join(stick, 'damaged.xzpkg');
    writeFileSync(bad, bytes);
    await p.getByRole('button', { name: '选择其他交换包' }).click();
    await pickPackage(p, bad);
    await p.getByTestId('import-problem').getByText('交换包已损坏或被篡改：内容与签名时的校验值不符。已拒绝导入，请对方重新发送。').waitFor({ timeout: 20_000 });
    expect(await p.getByTestId('package-preview').count()).toBe(0);
  });

  it('concurrent changes of the 整顿说明 make a conflict; the partner’s change of a leader’s post (a field neither owns) a proposal', { timeout: 90_000 }, async () => {
    const p = h.page;
    // This office (组织部门) lists the unit for 整顿…
    const ctx = me();
    inTransaction(ctx, () => updateRow(ctx, units, getRow(ctx, units, ids.unit)!, { overhaulNote: '组织部：列为软弱涣散党组织，限期整顿' }));
    h.host.committed();
    // …while the inspection office, not yet knowing, writes its own note and a new post for the leader it met.
    inTransaction(partner.ctx, () => {
      updateRow(partner.ctx, units, getRow(partner.ctx, units, ids.unit)!, { overhaulNote: '巡视办：巡视发现班子软弱，建议整顿' });
      updateRow(partner.ctx, unitLeaders, getRow(partner.ctx, unitLeaders, ids.leader)!, { post: '党委书记、董事长' });
    });
    const second = await exportPackage(partner.ctx, { partnerId: ourOffice(), dir: stick });
    expect(second.fromVersion).toBeGreaterThan(0); // since the receipt: only what changed

    // The damaged package left the picker open.
    await pickPackage(p, second.path);
    await p.getByTestId('package-preview').waitFor({ timeout: 20_000 });
    const engine = await previewPackage(me(), second.path);
    expect(engine.preview.counts).toMatchObject({ conflict: 1, proposal: 1 });
    await expectEngineCounts(p, engine.preview.counts);
    await p.getByTestId('preview-counts').getByText('冲突').click();
    await p.getByTestId('preview-items').getByText('整顿说明').waitFor();
    await p.getByTestId('import-run').click();
    await p.getByTestId('import-done').waitFor({ timeout: 20_000 });
    await p.getByTestId('import-done').getByText('有2项冲突或提议，请到“冲突与提议”中查看。').waitFor();
    // The tab counts what this office can act on: the conflict (the post is the unit's to decide).
    await tab(p, /冲突与提议/).getByTestId('pending-badge').getByText('1').first().waitFor();
  });

  it('the unit in conflict carries the 冲突 flag in the round’s list of units and on its page, whose button opens 冲突与提议', { timeout: 60_000 }, async () => {
    const p = h.page;
    await p.getByRole('button', { name: '去查看' }).click();
    await p.getByTestId('conflict').waitFor();
    await p.evaluate((x) => { (globalThis as unknown as { location: { hash: string } }).location.hash = x; }, `#/rounds/${ids.round}`);
    const unitRow = p.getByTestId(`unit-row-${ids.unit}`);
    await unitRow.getByTestId('conflict-tag').waitFor();
    expect(await unitRow.getByTestId('conflict-tag').textContent()).toBe('冲突');
    expect(await axeCheck(p, 'round page with a unit in conflict')).toEqual([]);
    await shot(p, 'flow-03a-round-conflict');
    await unitRow.getByRole('link', { name: '某某集团有限公司' }).click();
    const banner = p.getByTestId('conflict-banner');
    await banner.waitFor();
    expect(await banner.getByTestId('conflict-fields').textContent()).toContain('“整顿说明”');
    expect(await axeCheck(p, 'unit page with a conflict')).toEqual([]);
    await shot(p, 'flow-03b-unit-conflict');
    await banner.getByTestId('conflict-open').click();
    await p.getByTestId('conflicts-tab').waitFor();
  });

  it('冲突与提议: each version with its office and time, the shown one marked; 采用此版本 (by keyboard) keeps the partner’s', { timeout: 60_000 }, async () => {
    const p = h.page;
    const conflict = p.getByTestId('conflict');
    await conflict.waitFor();
    expect(await conflict.count()).toBe(1);
    expect(await conflict.getByTestId('conflict-field').textContent()).toBe('整顿说明');
    await conflict.getByText('被巡视单位 · 某某集团有限公司').waitFor();
    const values = await conflict.getByTestId('head-value').allTextContents();
    expect(values.sort()).toEqual(['巡视办：巡视发现班子软弱，建议整顿', '组织部：列为软弱涣散党组织，限期整顿']);
    await conflict.getByText(PARTNER).waitFor();
    await conflict.getByText(OFFICE).waitFor();
    // The shown one is the later stamp (this office's, a day later).
    const shownRow = conflict.locator('tr', { has: p.getByTestId('head-shown') });
    expect(await shownRow.getByTestId('head-value').textContent()).toBe('组织部：列为软弱涣散党组织，限期整顿');
    // The proposal on the leader's post: listed, for the unit (which owns the field) to decide.
    const proposals = p.getByTestId('proposal-table');
    const post = proposals.locator('tr.ant-table-row').filter({ hasText: '单位主要负责人 · 赵某某' });
    await post.getByText('党委书记、董事长').waitFor();
    await post.getByTestId('proposal-not-mine').waitFor();
    expect(await post.getByRole('button').count()).toBe(0);
    expect(await axeCheck(p, 'exchange, conflicts tab')).toEqual([]);
    await shot(p, 'flow-03-conflicts', true);

    await conflict.getByRole('button', { name: `采用此版本：${PARTNER}，整顿说明` }).focus();
    await p.keyboard.press('Enter');
    await p.getByTestId('conflicts').getByText('没有冲突。').waitFor();
    expect(listConflicts(me())).toEqual([]);
    expect(getRow(me(), units, ids.unit)?.overhaulNote).toBe('巡视办：巡视发现班子软弱，建议整顿');
    expect(await tab(p, /冲突与提议/).getByTestId('pending-badge').count()).toBe(0);
  });

  it('导出 (Ctrl+E): the package to the partner, with its place, size and records and a download; the partner imports it and has no conflict', { timeout: 90_000 }, async () => {
    const p = h.page;
    // This office's own record, for the partner to propose a change to later.
    const ctx = me();
    const activity = inTransaction(ctx, () => insertRow(ctx, supervisionActivities, {
      roundId: ids.round, unitId: ids.unit, kind: 'feedback_meeting', activityDate: '2024-06-12', title: '参加巡视反馈会议', participants: '王某某', findings: null,
    }));
    h.host.committed();
    ids.activity = activity.id;

    await p.keyboard.press('Control+e');
    await p.getByTestId('export-tab').waitFor();
    // The only confirmed partner is chosen already; 自上次确认以来 is the default.
    await p.getByTestId('export-partner').getByText(PARTNER).waitFor();
    expect(await p.getByTestId('export-scope').getByRole('radio', { name: '自上次确认以来' }).isChecked()).toBe(true);
    // The administrator may not read clues: no 包含问题线索.
    expect(await p.getByTestId('export-clues').count()).toBe(0);
    expect(await axeCheck(p, 'exchange, export tab')).toEqual([]);
    await p.getByTestId('export-run').click();
    const done = p.getByTestId('export-done');
    await done.waitFor({ timeout: 20_000 });
    const fileName = (await done.getByTestId('file-name').textContent())!;
    expect(fileName).toBe('某省委组织部-交换包-2024-06-15-1.xzpkg');
    const records = Number(await p.getByTestId('export-records').textContent());
    expect(records).toBeGreaterThan(0);
    await done.getByText(`已生成发给${PARTNER}的第1号交换包，共${records}条记录。`, { exact: false }).waitFor();
    const bytes = await download(p, 'export-file');
    expect(await p.getByTestId('file-size').textContent()).toMatch(/KB|B/);
    expect(await axeCheck(p, 'exchange, export done')).toEqual([]);
    await shot(p, 'flow-04-export-done');

    // On the stick to the partner, who imports it: the chosen value, no conflict there either.
    const file = join(stick, fileName);
    writeFileSync(file, bytes);
    const r = await importPackage(partner.ctx, file);
    expect(r.alreadyApplied).toBe(false);
    expect(listConflicts(partner.ctx)).toEqual([]);
    expect(getRow(partner.ctx, units, ids.unit)?.overhaulNote).toBe('巡视办：巡视发现班子软弱，建议整顿');
    expect(getRow(partner.ctx, supervisionActivities, ids.activity)?.title).toBe('参加巡视反馈会议');
    receiptForUs = (await writeReceipt(partner.ctx, { packageId: r.packageId, dir: stick })).path;
    expect(deliveryHistory(partner.ctx)).toMatchObject([{ name: OFFICE, sent: 2, confirmed: 1, received: 1 }]);
  });

  it('交换记录: the partner’s receipt imported shows 已确认', { timeout: 60_000 }, async () => {
    const p = h.page;
    await tab(p, '交换记录').click();
    await p.getByTestId('history-tab').waitFor();
    const row = p.getByTestId('history').locator('tr.ant-table-row').filter({ hasText: PARTNER });
    await row.locator('[data-state="waiting"]').getByText('待回执1个').waitFor();
    await p.getByTestId('receipt-pick').locator('input[type="file"]').setInputFiles(receiptForUs);
    await p.getByTestId('receipt-outcome').getByText(`${PARTNER}已确认收到本单位的第1号交换包。`).waitFor({ timeout: 20_000 });
    await row.locator('[data-state="confirmed"]').getByText('已确认').waitFor();
    expect(deliveryHistory(me())).toMatchObject([{ name: PARTNER, sent: 1, confirmed: 1, received: 2, missing: [] }]);
  });

  it('a later package arriving before an earlier one names the missing one; its proposal on this office’s record is rejected with a reason', { timeout: 90_000 }, async () => {
    const p = h.page;
    // The partner renames the round (package 3), then would retitle this office's activity (package 4: a proposal).
    inTransaction(partner.ctx, () => updateRow(partner.ctx, rounds, getRow(partner.ctx, rounds, ids.round)!, { name: '某省委2024年第一轮巡视（常规）' }));
    const third = await exportPackage(partner.ctx, { partnerId: ourOffice(), dir: stick });
    inTransaction(partner.ctx, () => updateRow(partner.ctx, supervisionActivities, getRow(partner.ctx, supervisionActivities, ids.activity)!, { title: '参加巡视反馈会议并提出整改要求' }));
    const fourth = await exportPackage(partner.ctx, { partnerId: ourOffice(), dir: stick });

    await tab(p, '导入').click();
    await pickPackage(p, fourth.path);
    await p.getByTestId('preview-missing').getByText('缺少第3号交换包', { exact: false }).waitFor({ timeout: 20_000 });
    expect(Number(await p.getByTestId('count-proposal').textContent())).toBe((await previewPackage(me(), fourth.path)).preview.counts.proposal);
    await p.getByTestId('import-run').click();
    await p.getByTestId('import-done').waitFor({ timeout: 20_000 });
    await tab(p, /冲突与提议/).getByTestId('pending-badge').getByText('1').first().waitFor();

    await tab(p, /冲突与提议/).click();
    const row = p.getByTestId('proposal-table').locator('tr.ant-table-row').filter({ hasText: '监督举措 · 参加巡视反馈会议' });
    await row.getByText('参加巡视反馈会议并提出整改要求').waitFor();
    await row.getByRole('button', { name: '不采纳：监督举措 · 参加巡视反馈会议，标题' }).click();
    const prompt = p.getByTestId('reject-proposal');
    await prompt.waitFor();
    // A reason is required.
    await p.locator('.ant-modal-footer .ant-btn-primary:visible').click();
    await prompt.getByText('请填写不采纳的理由。').waitFor();
    expect(await axeCheck(p, 'exchange, reject proposal')).toEqual([]);
    await p.getByLabel('不采纳的理由').fill('会议名称以本单位记录为准');
    await p.locator('.ant-modal-footer .ant-btn-primary:visible').click();
    await prompt.waitFor({ state: 'hidden' });
    await row.waitFor({ state: 'detached' });
    expect(listProposals(me()).find((x) => x.entityId === ids.activity)).toMatchObject({ status: 'rejected', field: 'title' });
    expect(getRow(me(), supervisionActivities, ids.activity)?.title).toBe('参加巡视反馈会议');

    await tab(p, '交换记录').click();
    await p.getByTestId('history-missing').getByText('缺少第3号').waitFor();
    expect(await axeCheck(p, 'exchange, history tab')).toEqual([]);
    await shot(p, 'flow-05-history');
    // The missing one, imported late, closes the gap.
    expect((await importPackage(me(), third.path)).alreadyApplied).toBe(false);
    h.host.committed();
    expect(deliveryHistory(me())).toMatchObject([{ received: 4, missing: [] }]);
  });

  it('a package deleting more records than the threshold asks before importing, then deletes them', { timeout: 90_000 }, async () => {
    const p = h.page;
    // The inspection office sets up 21 teams (imported engine-side here), then deletes them all.
    const made = inTransaction(partner.ctx, () => Array.from({ length: 21 }, (_, i) => fxTeam(partner.ctx, ids.round, i + 1)));
    await importPackage(me(), (await exportPackage(partner.ctx, { partnerId: ourOffice(), dir: stick })).path);
    h.host.committed();
    inTransaction(partner.ctx, () => made.forEach((t) => softDelete(partner.ctx, teams, getRow(partner.ctx, teams, t.id)!, '巡视组已撤销')));
    const deleting = await exportPackage(partner.ctx, { partnerId: ourOffice(), dir: stick });

    await tab(p, '导入').click();
    const again = p.getByRole('button', { name: '选择其他交换包' });
    if (await again.count()) await again.first().click();
    await pickPackage(p, deleting.path);
    await p.getByTestId('package-preview').waitFor({ timeout: 20_000 });
    expect(await p.getByTestId('count-deleted').textContent()).toBe('21');
    await p.getByTestId('import-run').click();
    const confirm = p.locator('.ant-modal-confirm');
    await confirm.locator('.ant-modal-confirm-title').getByText('确认导入并删除21条记录？').waitFor();
    expect(await axeCheck(p, 'exchange, deletion confirmation')).toEqual([]);
    await shot(p, 'flow-06-delete-confirm');
    await confirm.getByRole('button', { name: '确认导入' }).click();
    await p.getByTestId('import-done').waitFor({ timeout: 20_000 });
    expect(made.every((t) => getRow(me(), teams, t.id)?.deletedReason === '巡视组已撤销')).toBe(true);
  });

  it('every string of the tabs is in the catalogue, in zh-CN and in English', { timeout: 60_000 }, async () => {
    const p = h.page;
    expect(await p.evaluate('window.__xzMissingKeys ?? []')).toEqual([]);
    await p.getByRole('button', { name: 'English' }).click();
    try {
      await p.getByRole('heading', { name: 'Data exchange' }).waitFor();
      for (const [name, testId] of [['Export', 'export-tab'], ['Import', 'import-tab'], ['Conflicts and proposals', 'conflicts-tab'], ['Exchange log', 'history-tab']]) {
        await tab(p, name!).click();
        await p.getByTestId(testId!).waitFor();
      }
      await p.getByTestId('history').locator('[data-state="confirmed"]').getByText('Confirmed').waitFor();
      await tab(p, 'Conflicts and proposals').click();
      await p.getByTestId('proposal-not-mine').getByText('Not this office\'s field', { exact: false }).waitFor();
      await p.getByTestId('proposals').getByText('Unit leaders · 赵某某').waitFor();
      await shot(p, 'flow-07-conflicts-en');
      expect(await p.evaluate('window.__xzMissingKeys ?? []')).toEqual([]);
    } finally {
      await p.getByRole('button', { name: '中文' }).click();
      await p.getByRole('button', { name: 'English' }).waitFor();
    }
  });
});
