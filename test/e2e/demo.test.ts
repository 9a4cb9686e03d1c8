import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ today: '2024-06-15', demoProblems: 60 });
}, 60_000);
afterAll(async () => h?.close());

describe('打开演示台账 from the first-run screen', () => {
  it('opens the generated demo ledger and logs in with a demo account', async () => {
    const p = h.page;
    await p.getByRole('button', { name: '打开演示台账' }).click();
    await p.getByRole('button', { name: '登录' }).waitFor({ timeout: 60_000 });
    await p.getByLabel('用户名').fill('shenhe1');
    await p.getByLabel('密码').fill('yanshi-2024-mima');
    await p.getByRole('button', { name: '登录' }).click();
    await p.getByTestId('home').waitFor();
    const problems = Number((await p.getByTestId('fig-problems').locator('.ant-statistic-content-value').textContent())?.replace(/,/g, ''));
    expect(problems).toBe(60);
    // the real (empty) ledger was not touched: no file, no key file, nothing open
    expect(h.host.status()).toMatchObject({ state: 'new', open: false });
    await p.waitForTimeout(300);
    await h.shot('04-demo-home');
  });
});
