import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../../db/analysis/aggregates.js';
import { login } from '../../db/services/office.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxTask, fxUnit } from '../helpers/fixtures.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ today: '2024-06-15' });
}, 60_000);
afterAll(async () => h?.close());

describe('first run, log-in and the home page in Chromium', () => {
  it('sets up the office with its first administrator, refusing a bad form first', async () => {
    const p = h.page;
    await p.getByRole('heading', { name: '欢迎使用巡视整改监督台账' }).waitFor();
    await h.shot('01-first-run');
    await p.getByRole('button', { name: '建立本单位台账' }).click();
    await expect(p.getByText('请填写单位名称。')).toBeTruthy();
    await p.getByText('请填写单位名称。').waitFor();
    await p.getByLabel('单位名称').fill('某省纪委监委第三监督检查室');
    await p.getByLabel('管理员用户名').fill('admin');
    await p.getByLabel('管理员姓名').fill('王某某');
    await p.getByLabel('管理员密码', { exact: true }).fill('short');
    await p.getByLabel('再次输入密码').fill('short');
    await p.getByRole('button', { name: '建立本单位台账' }).click();
    // the engine refuses a weak password and the form shows it on the field
    await p.getByText('密码至少8位。').waitFor();
    expect(h.ledger.state.officeId).toBeNull();
    await p.getByLabel('管理员密码', { exact: true }).fill('mima-2024-admin');
    await p.getByLabel('再次输入密码').fill('mima-2024-admin');
    await p.getByRole('button', { name: '建立本单位台账' }).click();
    await p.getByRole('button', { name: '登录' }).waitFor();
    expect(h.ledger.state.officeId).not.toBeNull();
  });

  it('refuses a wrong password and logs in with the right one', async () => {
    const p = h.page;
    await p.getByLabel('用户名').fill('admin');
    await p.getByLabel('密码').fill('wrong-password');
    await p.getByRole('button', { name: '登录' }).click();
    await p.getByRole('alert').getByText('用户名或密码不正确').waitFor();
    await h.shot('02-login');
    await p.getByLabel('密码').fill('mima-2024-admin');
    await p.getByRole('button', { name: '登录' }).click();
    await p.getByTestId('current-user').getByText('王某某').waitFor();
    await expect(await p.getByTestId('marking').textContent()).toBe('内部资料 注意保存');
  });

  it('shows on the home page the figures the engine computes', async () => {
    const admin = login(h.as(null), { username: 'admin', password: 'mima-2024-admin' });
    const ctx = h.as(admin);
    const round = fxRound(ctx);
    const cat = categoryId(ctx, '廉洁风险');
    for (let u = 0; u < 3; u++) {
      const unit = fxUnit(ctx, { name: `某某集团第${u + 1}子公司` });
      fxInspection(ctx, { roundId: round.id, unitId: unit.id, feedbackDate: '2024-03-31' });
      for (let k = 0; k < 4; k++) {
        const pr = fxProblem(ctx, { unitId: unit.id, roundId: round.id, categoryId: cat, seq: k + 1 });
        fxTask(ctx, { problemId: pr.id, unitId: unit.id, roundId: round.id, status: k === 0 ? 'closed' : 'in_progress', deadline: k === 1 ? '2024-05-31' : '2024-09-30' });
      }
    }
    const p = h.page;
    await p.reload();
    await p.getByTestId('home').waitFor();
    const engine = summarize(ctx, { groupBy: 'unit', roundId: round.id });
    for (const k of ['problems', 'tasks', 'closed', 'overdue'] as const) {
      const shown = await p.getByTestId(`fig-${k}`).locator('.ant-statistic-content-value').textContent();
      expect(Number(shown?.replace(/,/g, ''))).toBe(engine.totals[k]);
    }
    expect(engine.totals.problems).toBe(12);
    expect(engine.totals.overdue).toBe(3);
    await p.getByText('各单位法定时限').waitFor();
    await p.waitForTimeout(300);
    await h.shot('03-home');
  });
});
