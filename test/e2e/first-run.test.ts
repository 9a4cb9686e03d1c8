import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../../db/analysis/aggregates.js';
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
    await p.getByText(/密码至少\d+位/).first().waitFor();
    expect(h.host.ledger).toBeNull();
    await p.getByLabel('管理员密码', { exact: true }).fill('mima-2024-admin');
    await p.getByLabel('再次输入密码').fill('mima-2024-admin');
    await p.getByRole('button', { name: '建立本单位台账' }).click();
  });

  it('shows the recovery key once, and goes on only when the user says it is kept safe', async () => {
    const p = h.page;
    await p.getByRole('heading', { name: '请保存恢复密钥' }).waitFor();
    expect(h.ledger.state.officeId).not.toBeNull();
    const key = (await p.getByTestId('recovery-key').textContent()) ?? '';
    expect(key).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/);
    await p.getByText('忘记密码或账号被停用时，用恢复密钥打开台账；请打印后与公章同等保管，不要保存在本机。').waitFor();
    const go = p.getByRole('button', { name: '继续' });
    expect(await go.isDisabled()).toBe(true);
    await h.shot('01b-recovery-key');
    await p.getByRole('checkbox', { name: '我已将恢复密钥妥善保存' }).check();
    expect(await go.isEnabled()).toBe(true);
    await go.click();
    // set-up logged the administrator in: the shell on 工作台 (empty: no round yet)
    await p.getByTestId('current-user').getByText('王某某').waitFor();
    await p.getByText('还没有巡视轮次').first().waitFor();
    expect(await p.getByTestId('recovery-key').count()).toBe(0);
  });

  it('refuses a wrong password and logs in with the right one', async () => {
    const p = h.page;
    await p.getByTestId('current-user').hover();
    await p.getByRole('menuitem', { name: '切换用户' }).click();
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
    const ctx = h.as(h.user('admin'));
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
