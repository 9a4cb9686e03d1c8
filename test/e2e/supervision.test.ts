/**
 * 问题线索, 移交建议 and 监督举措 in Chromium over the real engine: a clue's whole disposition path
 * (暂存待查 → 重新启用 → 立案审查调查 → outcome with money in yuan stored as fen), the need-to-know
 * refusal for a user without the clue right, a suggestion and its reply, an activity with linked
 * problems, and a staged programme ticked off as a checklist.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, type ActingUser } from '../../db/core/context.js';
import { insertRow } from '../../db/core/write.js';
import { offices, suggestions } from '../../db/schema/index.js';
import { axeCheckSettled } from './axe.js';
import { DomainError } from '../../db/domain/errors.js';
import { createActivity, getActivity, listActivities } from '../../db/services/activities.js';
import { createClue, disposeClue, getClue, listClues } from '../../db/services/clues.js';
import { createUser } from '../../db/services/office.js';
import { getProgramme, listProgrammes } from '../../db/services/programmes.js';
import { confirmClue, grantClue } from '../../db/services/rights.js';
import { createSuggestion, listSuggestions } from '../../db/services/suggestions.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxUnit } from '../helpers/fixtures.js';
import { startHarness, type Harness } from './harness.js';

const PW = { admin: 'mima-2024-admin', clerk: 'mima-2024-shenhe', plain: 'mima-2024-putong', entry: 'mima-2024-luru', leader: 'mima-2024-fuze' };

let h: Harness;
let roundId: string;
let unitId: string;
let permitted: ActingUser;
let notPermitted: ActingUser;
let entryClerk: ActingUser;

async function logInAs(p: Page, username: string, password: string, name: string) {
  if (await p.getByTestId('current-user').count()) {
    await p.getByTestId('current-user').hover();
    await p.getByText('切换用户').click();
  }
  await p.getByLabel('用户名').fill(username);
  await p.getByLabel('密码').fill(password);
  await p.getByRole('button', { name: '登录' }).click();
  await p.getByTestId('current-user').getByText(name).waitFor();
}

/** Type a date into the date field labelled `label` (inside `scope`) and leave the field (Tab). */
async function typeDate(scope: ReturnType<Page['locator']> | Page, label: string, value: string) {
  const input = scope.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(value);
  await input.press('Tab');
}

/** Wait until the toast messages are gone (so screenshots show the screen, not the toasts). */
async function quiet(p: Page) {
  await p.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 6000 }).catch(() => undefined);
  await p.waitForTimeout(200);
}

async function goTo(p: Page, hash: string) {
  // runs in the page (the test's type-check has no DOM types)
  await p.evaluate((x) => { (globalThis as unknown as { location: { hash: string } }).location.hash = x; }, hash);
}

const modal = (p: Page) => p.locator('.ant-modal-wrap:visible .ant-modal');

beforeAll(async () => {
  h = await startHarness({ today: '2024-06-15' });
  const admin = h.setup({
    officeName: '某省纪委监委第三监督检查室', officeKind: 'discipline', level: 'province',
    adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: PW.admin,
  });
  const actx = h.as(admin);
  const clerk = createUser(actx, { username: 'shenhe', displayName: '李某某', role: 'reviewer', password: PW.clerk });
  createUser(actx, { username: 'putong', displayName: '赵某某', role: 'reviewer', canViewClues: false, password: PW.plain });
  createUser(actx, { username: 'luru', displayName: '钱某某', role: 'entry', canViewClues: false, password: PW.entry });
  // The clue right takes two people: the administrator proposes it, a 负责人 confirms it.
  createUser(actx, { username: 'fuze', displayName: '孙某某', role: 'leader', password: PW.leader });
  confirmClue(h.as(h.user('fuze')), { grantId: grantClue(actx, { userId: clerk.id, reason: '承办问题线索处置。' }).id });
  permitted = h.user('shenhe');
  notPermitted = h.user('putong');
  entryClerk = h.user('luru');
  const round = fxRound(actx, { name: '某省委第一轮巡视' });
  roundId = round.id;
  const unit = fxUnit(actx, { name: '某某集团有限公司' });
  unitId = unit.id;
  fxInspection(actx, { roundId, unitId: unit.id, feedbackDate: '2024-03-31' });
  const cat = categoryId(actx, '廉洁风险');
  const texts = ['违规发放津贴补贴问题突出', '公务用车管理不规范', '工程项目招投标把关不严'];
  texts.forEach((description, k) => fxProblem(actx, { unitId: unit.id, roundId, categoryId: cat, seq: k + 1, description }));
  await h.page.reload();
  await logInAs(h.page, 'shenhe', PW.clerk, '李某某');
}, 60_000);
afterAll(async () => h?.close());

describe('问题线索 for a user with the clue right', () => {
  it('records a clue and takes it through 暂存待查, 重新启用 and 立案审查调查 to an outcome with money in fen', async () => {
    const p = h.page;
    await p.getByRole('menuitem', { name: '问题线索' }).click();
    await p.getByTestId('sensitive-banner').getByText('敏感信息 仅限授权人员查看').waitFor();
    await p.getByText('本轮次还没有登记问题线索').waitFor();

    await p.getByRole('button', { name: '登记线索' }).first().click();
    const form = p.getByTestId('clue-form');
    await form.getByLabel('被反映人姓名').fill('张某某');
    await form.getByLabel('被反映人职务').fill('某某集团有限公司原副总经理');
    await typeDate(form, '接收日期', '2024-04-10');
    await form.getByLabel('线索摘要').fill('反映其违规接受管理服务对象宴请、收受礼金。');
    await p.locator('.ant-drawer').getByRole('button', { name: '保存' }).click();
    const detail = p.getByTestId('clue-detail');
    await detail.getByTestId('clue-disposition').getByText('待处置').waitFor();
    const ctx = h.as(permitted);
    const created = listClues(ctx, { roundId }).items;
    expect(created).toHaveLength(1);
    expect(created[0]!.subjectName).toBe('张某某');
    const id = created[0]!.id;

    // 处置: 暂存待查
    await detail.getByRole('button', { name: '处置' }).click();
    await modal(p).getByRole('radio', { name: '暂存待查' }).check();
    await typeDate(modal(p), '处置日期', '2024-04-20');
    await modal(p).getByLabel('处置说明').fill('反映内容笼统，暂无可查性，暂存待查。');
    await modal(p).getByRole('button', { name: '保存' }).click();
    await detail.getByTestId('clue-disposition').getByText('暂存待查').waitFor();
    expect(getClue(ctx, { id }).disposition).toBe('shelved');
    // a shelved clue offers re-activation, not another disposition
    expect(await detail.getByRole('button', { name: '处置', exact: true }).count()).toBe(0);

    // 重新启用 with the new facts, into 初步核实
    await detail.getByRole('button', { name: '重新启用' }).click();
    await modal(p).getByRole('radio', { name: '初步核实' }).check();
    await typeDate(modal(p), '处置日期', '2024-05-06');
    await modal(p).getByLabel('新情况').fill('收到新的举报材料，反映具体时间地点。');
    await modal(p).getByRole('button', { name: '保存' }).click();
    await detail.getByTestId('clue-disposition').getByText('初步核实').waitFor();
    expect(getClue(ctx, { id }).steps.map((s) => [s.way, s.isReactivation])).toEqual([['shelved', false], ['preliminary_verification', true]]);

    // 立案审查调查
    await detail.getByRole('button', { name: '处置' }).click();
    await modal(p).getByRole('radio', { name: '立案审查调查' }).check();
    await typeDate(modal(p), '处置日期', '2024-05-20');
    await modal(p).getByLabel('处置说明').fill('经初步核实，涉嫌违纪，予以立案审查调查。');
    await modal(p).getByRole('button', { name: '保存' }).click();
    await detail.getByTestId('clue-disposition').getByText('立案审查调查').waitFor();
    expect(await detail.getByRole('button', { name: '处置', exact: true }).count()).toBe(0);

    // outcome with money recovered, typed in yuan
    await detail.getByRole('button', { name: '记录处置结果' }).click();
    await modal(p).getByLabel('处置结果').click();
    await p.locator('.ant-select-dropdown:visible').getByText('党纪处分', { exact: true }).click();
    await typeDate(modal(p), '办结日期', '2024-06-10');
    await modal(p).getByLabel('追赃挽损金额（元）').fill('12345.67');
    await modal(p).getByRole('button', { name: '保存' }).click();
    await detail.getByTestId('clue-money').getByText('12,345.67').waitFor();
    const done = getClue(ctx, { id });
    expect(done.moneyRecoveredFen).toBe(1234567);
    expect(done.outcome).toBe('party_discipline');
    expect(done.concludedOn).toBe('2024-06-10');
    await detail.getByText('重新启用', { exact: true }).waitFor();
    await quiet(p);
    await h.shot('41-clue');

    await p.keyboard.press('Escape');
    await p.getByTestId('clue-table').getByText('张某某').waitFor();
    await p.getByTestId('clue-table').getByText('12,345.67').waitFor();
  });

  it('refuses a clue without a subject or with an impossible received date and saves nothing', async () => {
    const p = h.page;
    const before = listClues(h.as(permitted), { roundId }).total;
    await p.getByRole('button', { name: '登记线索' }).first().click();
    const form = p.getByTestId('clue-form');
    await form.getByLabel('被反映人职务').fill('某某公司财务部经理');
    await typeDate(form, '接收日期', '2024-13-45');
    await form.getByLabel('线索摘要').fill('反映其违规报销。');
    await p.locator('.ant-drawer').getByRole('button', { name: '保存' }).click();
    await form.getByText('请填写被反映人姓名。').waitFor();
    await form.getByText('请填写接收日期（格式如 2024-03-29）。').waitFor();
    expect(listClues(h.as(permitted), { roundId }).total).toBe(before);
    // closing a dirty form asks first
    await p.locator('.ant-drawer').getByRole('button', { name: '取消' }).click();
    await p.locator('.ant-modal-confirm-title').getByText('有尚未保存的修改，确定要离开吗？').waitFor();
    await p.locator('.ant-modal-confirm').getByRole('button', { name: '确定' }).click();
    await form.waitFor({ state: 'detached' });
  });

  it('shows an HTML/script payload in a clue summary as text', async () => {
    const p = h.page;
    const payload = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><b>加粗</b>';
    await p.getByRole('button', { name: '登记线索' }).first().click();
    const form = p.getByTestId('clue-form');
    await form.getByLabel('被反映人姓名').fill('<b>孙某某</b>');
    await form.getByLabel('被反映人职务').fill('某某公司办公室主任');
    await typeDate(form, '接收日期', '2024-05-02');
    await form.getByLabel('线索摘要').fill(payload);
    await p.locator('.ant-drawer').getByRole('button', { name: '保存' }).click();
    const summary = p.getByTestId('clue-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toBe(payload);
    expect(await summary.locator('img, script, b').count()).toBe(0);
    expect(await p.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
    await p.keyboard.press('Escape');
    await p.getByTestId('clue-table').getByText('<b>孙某某</b>').waitFor();
    // two more clues straight through the engine, so the list shows running and overdue clocks
    const ctx = h.as(permitted);
    const old = createClue(ctx, {
      roundId, subjectName: '周某某', subjectPost: '某某集团有限公司物资部原部长', summary: '反映其在物资采购中收受供应商好处费。',
      receivedOn: '2024-02-01', receivingOrgan: 'local_discipline',
    });
    disposeClue(ctx, { clueId: old.id, way: 'talk_inquiry', decidedOn: '2024-02-20', note: '函询本人。', letterSentOn: '2024-02-21' });
    createClue(ctx, {
      roundId, subjectName: '吴某某', subjectPost: '某某集团有限公司纪委书记', summary: '反映其对下属违规问题失察失责。',
      receivedOn: '2024-03-20', receivingOrgan: 'org_dept',
    });
    await p.getByRole('button', { name: '刷新' }).click();
    await p.getByTestId('clue-table').getByText('周某某').waitFor();
    await p.getByTestId('clue-table').getByText('已逾期').first().waitFor();
    await quiet(p);
    await h.shot('40-clues');
  });

  it('records the reply to an inquiry letter, which stops its 15-working-day clock', async () => {
    const p = h.page;
    await p.getByTestId('clue-table').getByText('周某某').click();
    const detail = p.getByTestId('clue-detail');
    await detail.getByText('函询回复（2024-02-21发函）').waitFor();
    await detail.getByRole('button', { name: '记录函询回复' }).click();
    await typeDate(modal(p), '函询回复日期', '2024-03-05');
    await modal(p).getByRole('button', { name: '保存' }).click();
    await detail.getByText('函询回复：2024-03-05').waitFor();
    const clue = listClues(h.as(permitted), { roundId }).items.find((c) => c.subjectName === '周某某')!;
    expect(getClue(h.as(permitted), { id: clue.id }).steps[0]!.repliedOn).toBe('2024-03-05');
    expect(await detail.getByRole('button', { name: '记录函询回复' }).count()).toBe(0);
    await p.locator('.ant-drawer-close').click();
    await detail.waitFor({ state: 'detached' });
  });
});

describe('移交建议', () => {
  it('records a suggestion and the department reply', async () => {
    const p = h.page;
    await p.getByRole('menuitem', { name: '移交建议' }).click();
    await p.getByText('本轮次还没有移交建议').waitFor();
    await p.getByRole('button', { name: '新建移交建议' }).first().click();
    const form = p.getByTestId('suggestion-form');
    await form.getByLabel('承办部门').fill('某某市财政局');
    await typeDate(form, '移交日期', '2024-04-08');
    await form.getByLabel('建议内容').fill('建议对市属国有企业违规发放津贴补贴问题开展专项清理。');
    await p.locator('.ant-drawer').getByRole('button', { name: '保存' }).click();
    const table = p.getByTestId('suggestion-table');
    await table.getByText('某某市财政局').waitFor();
    const ctx = h.as(permitted);
    const [made] = listSuggestions(ctx, { roundId }).items;
    expect(made?.status).toBe('pending');
    expect(made?.issuedOn).toBe('2024-04-08');

    await table.getByRole('button', { name: '登记回复' }).click();
    await typeDate(modal(p), '回复日期', '2024-05-10');
    await modal(p).getByLabel('回复内容').fill('已部署专项清理，追回违规发放资金。');
    await modal(p).getByRole('button', { name: '保存' }).click();
    await table.getByText('已回复', { exact: true }).waitFor();
    const answered = listSuggestions(ctx, { roundId }).items[0]!;
    expect(answered.status).toBe('replied');
    expect(answered.repliedOn).toBe('2024-05-10');
    expect(answered.reply).toBe('已部署专项清理，追回违规发放资金。');

    createSuggestion(ctx, { roundId, department: '某某市国资委', content: '建议完善市属企业负责人履职待遇管理制度。', issuedOn: '2024-04-08' });
    createSuggestion(ctx, {
      roundId, department: '某某市住建局', content: '建议加强工程建设项目招投标监管。', issuedOn: '2024-04-12',
      reply: '已印发招投标监管工作方案。', repliedOn: '2024-05-30', status: 'adopted',
    });
    await p.getByRole('button', { name: '刷新' }).click();
    await table.getByText('某某市住建局').waitFor();
    await p.getByTestId('sfig-answered').getByText('2').waitFor();
    expect(await p.getByTestId('sfig-total').locator('.xz-figure-value').textContent()).toBe('3');
    await quiet(p);
    await h.shot('42-suggestions');
  });
});

describe('监督举措', () => {
  it('records an activity with a linked problem found by searching', async () => {
    const p = h.page;
    await p.getByRole('menuitem', { name: '监督举措' }).click();
    await p.getByText('本轮次还没有记录监督举措').waitFor();
    await p.getByRole('button', { name: '记录监督举措' }).first().click();
    const form = p.getByTestId('activity-form');
    await form.getByLabel('类型').click();
    await p.locator('.ant-select-dropdown:visible').getByText('现场检查', { exact: true }).click();
    await typeDate(form, '开展日期', '2024-05-16');
    await form.getByLabel('标题').fill('赴某某集团开展整改情况现场检查');
    await form.getByLabel('参加人员').fill('李某某、陈某某');
    await form.getByLabel('发现的问题和意见').fill('公务用车台账不完整，要求限期补齐。');
    await form.getByLabel('关联问题').click();
    await form.getByLabel('关联问题').fill('公务用车');
    await p.locator('.ant-select-dropdown:visible').getByText('2. 公务用车管理不规范').click();
    await p.keyboard.press('Escape');
    await p.locator('.ant-drawer').getByRole('button', { name: '保存' }).click();
    const table = p.getByTestId('activity-table');
    await table.getByText('赴某某集团开展整改情况现场检查').waitFor();
    const ctx = h.as(permitted);
    const [a] = listActivities(ctx, { roundId }).items;
    expect(a?.kind).toBe('site_inspection');
    expect(getActivity(ctx, { id: a!.id }).problems.map((x) => x.description)).toEqual(['公务用车管理不规范']);
    await table.locator('.ant-tag', { hasText: '问题2' }).waitFor();
    createActivity(ctx, {
      roundId, unitId, kind: 'feedback_meeting', activityDate: '2024-03-31', title: '参加某某集团巡视反馈会议', participants: '李某某',
    });
    createActivity(ctx, {
      roundId, unitId, kind: 'plan_review', activityDate: '2024-04-25', title: '审核某某集团巡视整改方案',
      participants: '李某某、陈某某', findings: '整改措施针对性不强，部分时限不明确，已提出修改意见。',
    });
    await p.getByRole('button', { name: '刷新' }).click();
    await table.getByText('审核某某集团巡视整改方案').waitFor();
    await quiet(p);
    await h.shot('43-supervision');
  });

  it('creates a four-stage programme in one form and ticks a measure off as a checklist', async () => {
    const p = h.page;
    await p.getByRole('tab', { name: '监督方案' }).click();
    await p.getByText('本轮次还没有监督方案').waitFor();
    await p.getByRole('button', { name: '新建监督方案' }).first().click();
    const form = p.getByTestId('programme-form');
    await form.getByLabel('方案名称').fill('某某集团巡视整改日常监督工作方案');
    await typeDate(form, '开始日期', '2024-04-01');
    await typeDate(form, '结束日期', '2024-09-30');
    await form.getByRole('button', { name: '按“四阶段”填入' }).click();
    const ranges = [['2024-04-01', '2024-04-30'], ['2024-04-30', '2024-06-30'], ['2024-07-01', '2024-07-31'], ['2024-08-01', '2024-09-30']];
    const measures = ['组织学习巡视反馈意见', '督促建立整改台账', '审核集中整改进展情况报告', '开展整改成效评估'];
    for (let k = 0; k < 4; k++) {
      const st = form.getByTestId(`stage-${k}`);
      await typeDate(st, `第${k + 1}阶段 开始日期`, ranges[k]![0]!);
      await typeDate(st, `第${k + 1}阶段 结束日期`, ranges[k]![1]!);
      await st.getByLabel(`第${k + 1}阶段 措施内容 1`).fill(measures[k]!);
    }
    const st2 = form.getByTestId('stage-1');
    await st2.getByRole('button', { name: '添加措施' }).click();
    await st2.getByLabel('第2阶段 措施内容 2').fill('列席专题民主生活会');
    await st2.getByLabel('第2阶段 责任人或部门 2').fill('第三监督检查室');
    await p.locator('.ant-drawer').getByRole('button', { name: '保存' }).click();
    // the engine refuses the overlapping second stage and the message sits on that stage's field
    await st2.getByText('阶段应在上一阶段结束（2024-04-30）之后开始，不能重叠。').waitFor();
    expect(listProgrammes(h.as(permitted), { roundId }).total).toBe(0);
    await typeDate(st2, '第2阶段 开始日期', '2024-05-01');
    await p.locator('.ant-drawer').getByRole('button', { name: '保存' }).click();

    const list = p.getByTestId('programme-checklist');
    await list.getByText('某某集团巡视整改日常监督工作方案').waitFor();
    const ctx = h.as(permitted);
    const [made] = listProgrammes(ctx, { roundId }).items;
    const prog = getProgramme(ctx, { id: made!.id });
    expect(prog.stages.map((x) => x.name)).toEqual(['学习部署', '集中整改落实', '集中整改审核', '持续整改']);
    expect(prog.measureCount).toBe(5);
    expect(prog.stages[1]!.phase).toBe('current');
    expect(await list.getByTestId('checklist-stage-1').getAttribute('data-phase')).toBe('current');
    await list.getByTestId('checklist-stage-1').getByText('当前阶段').waitFor();

    await list.getByRole('checkbox', { name: '组织学习巡视反馈意见' }).click();
    await typeDate(modal(p), '完成日期', '2024-04-20');
    await modal(p).getByRole('button', { name: '保存' }).click();
    await list.getByText('2024-04-20完成').waitFor();
    await p.getByTestId('programme-done').getByText('已完成 1/5 项').waitFor();
    const after = getProgramme(ctx, { id: made!.id });
    expect(after.doneCount).toBe(1);
    expect(after.stages[0]!.measures[0]!.doneOn).toBe('2024-04-20');
    await quiet(p);
    await h.shot('44-programme');
  });
});

describe('need-to-know and roles', () => {
  it('hides 问题线索 from a user without the clue right, refuses the screen by URL, and the engine refuses too', async () => {
    const p = h.page;
    await logInAs(p, 'putong', PW.plain, '赵某某');
    await p.getByRole('menuitem', { name: '移交建议' }).waitFor();
    expect(await p.getByRole('menuitem', { name: '问题线索' }).count()).toBe(0);
    const someClue = listClues(h.as(permitted), { roundId }).items[0]!;
    for (const hash of ['#/clues', `#/clues/${someClue.id}`]) {
      await goTo(p, hash);
      await p.getByTestId('clues-refused').getByText('无权查看问题线索').waitFor();
      const text = await p.locator('body').innerText();
      expect(text).not.toContain('张某某');
      expect(text).not.toContain('周某某');
      expect(await p.getByTestId('clue-table').count()).toBe(0);
    }
    let refused: unknown = null;
    try {
      listClues(h.as(notPermitted), { roundId });
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe('FORBIDDEN');
  });

  it('shows a 录入员 the suggestions and activities without the buttons to change them', async () => {
    const p = h.page;
    await logInAs(p, 'luru', PW.entry, '钱某某');
    expect(await p.getByRole('menuitem', { name: '问题线索' }).count()).toBe(0);
    await p.getByRole('menuitem', { name: '移交建议' }).click();
    await p.getByTestId('suggestion-table').getByText('某某市财政局').waitFor();
    expect(await p.getByRole('button', { name: '新建移交建议' }).count()).toBe(0);
    expect(await p.getByRole('button', { name: '登记回复' }).count()).toBe(0);
    await p.getByRole('menuitem', { name: '监督举措' }).click();
    await p.getByTestId('activity-table').getByText('赴某某集团开展整改情况现场检查').waitFor();
    expect(await p.getByRole('button', { name: '记录监督举措' }).count()).toBe(0);
    expect(entryClerk.role).toBe('entry');
  });
});

describe('aggregation upward: 来源单位 and 冲突 in the supervision lists', () => {
  it('offers both filters once the ledger knows a partner office, shows the 来源单位 column, and lists what the engine lists', async () => {
    const p = h.page;
    const actx = h.as(h.user('admin'));
    // A partner office and a suggestion it created, stored as an exchange import stores them (origin kept).
    const partnerId = actx.ids.next();
    inTransaction(actx, () => {
      insertRow(actx, offices, { name: '某市纪委监委', kind: 'discipline', level: 'city', parentOfficeId: null }, { id: partnerId, originOfficeId: partnerId, action: 'partner_added' });
      insertRow(actx, suggestions, { roundId, unitId, department: '某某市审计局', content: '建议对市属企业境外投资开展专项审计。', issuedOn: '2024-05-20', status: 'pending' }, { originOfficeId: partnerId });
    });
    await goTo(p, '#/home');
    await p.getByRole('menuitem', { name: '移交建议' }).click();
    const table = p.getByTestId('suggestion-table');
    await table.getByText('某某市审计局').waitFor();
    const row = table.locator('tr', { hasText: '某某市审计局' });
    expect(await row.getByTestId('cell-origin').textContent()).toBe('某市纪委监委');
    expect(await table.locator('tr', { hasText: '某某市财政局' }).getByTestId('cell-origin').textContent()).toBe('某省纪委监委第三监督检查室');
    // 来源单位 = the partner: only its record, as the engine lists it.
    await p.getByLabel('来源单位').click();
    await p.locator('.ant-select-dropdown:visible').getByTitle('某市纪委监委', { exact: true }).click();
    const engine = listSuggestions(actx, { roundId, originOfficeId: partnerId }).items.map((s) => s.department);
    expect(engine).toEqual(['某某市审计局']);
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBe(1);
    await p.getByTestId('suggestion-count').getByText('共 1 条 · 筛选：来源：某市纪委监委', { exact: false }).waitFor();
    // The figures above the list count the same office's suggestions only.
    await expect.poll(() => p.getByTestId('sfig-total').locator('.xz-figure-value').textContent()).toBe('1');
    expect(await axeCheckSettled(p, 'suggestions filtered by origin office')).toEqual([]);
    await quiet(p);
    await h.shot('44-suggestions-origin');
    // 只看有冲突的: none in conflict, the filtered empty state (not the "nothing yet" one).
    await p.getByLabel('有冲突').click();
    await p.locator('.ant-select-dropdown:visible').getByTitle('只看有冲突的', { exact: true }).click();
    await table.getByText('没有符合', { exact: false }).waitFor();
    expect(listSuggestions(actx, { roundId, originOfficeId: partnerId, conflicted: true }).total).toBe(0);
    // The same two filters in 监督举措 and 问题线索's toolbars.
    await p.getByRole('menuitem', { name: '监督举措' }).click();
    await p.getByTestId('activities').getByLabel('来源单位').waitFor();
  });
});
