/**
 * `npm run ledger -- excel-import`: a script migrating an old sheet. The dry run's JSON lists the
 * problems and tasks with their deadlines and every bad row; without --yes and without a terminal
 * nothing is imported; --yes imports; a second run finds the rows already there.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLedger } from '../helpers/ledger-cli.js';
import { HEAD, TITLE, xlsx } from '../helpers/workbooks.js';

let dir: string;
let ledger: string;
let pw: string;
const P1 = '落实全面从严治党主体责任不够到位，对下属企业监督管理偏松偏软。';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xz-excel-cli-'));
  ledger = join(dir, '台账.sqlite');
  pw = join(dir, 'pw.txt');
  writeFileSync(pw, 'ceshi-mima-2024\n');
  const r = await runLedger(['init', '--ledger', ledger, '--office', '某某集团有限公司巡视整改办', '--kind', 'inspected_unit', '--admin', 'admin', '--password-file', pw, '--json']);
  expect(r.code, r.stderr).toBe(0);
  writeFileSync(join(dir, 'sheet.xlsx'), await xlsx([{
    name: '某某集团有限公司',
    rows: [[TITLE], ['填报日期：2024年6月15日'], HEAD, [1, '廉洁风险', P1, '制定专项整改方案', '张三', '纪检监察部', '李四', '2024年6月底前'], [null, null, null, '建立长效机制', '张三', '党委办公室', '赵六', '长期坚持'], [2, '廉洁风险', '第二个问题', '措施', '', '', '', '尽快']],
    merges: ['A4:A5', 'B4:B5', 'C4:C5'],
  }]));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (extra: string[]) => runLedger(['excel-import', join(dir, 'sheet.xlsx'), '--ledger', ledger, '--password-file', pw, ...extra]);

describe('excel-import', () => {
  it('dry run as JSON; a refusal without --yes off a terminal; --yes --skip-bad-rows imports; a second run finds the rows', async () => {
    const d = await run(['--dry-run', '--json']);
    expect(d.code, d.stderr).toBe(0);
    const j = JSON.parse(d.stdout) as { dryRun: boolean; counts: { problems: number; tasks: number }; problems: { description: string; tasks: { deadline: string; term: string }[] }[]; errors: { sheet: string; row: number; column: string; reason: string }[] };
    expect(j.counts).toMatchObject({ problems: 1, tasks: 2 });
    expect(j.problems[0]!.tasks.map((t) => [t.deadline, t.term])).toEqual([['2024-06-30', 'concentrated'], ['2024-12-31', 'long_term']]);
    expect(j.errors).toEqual([{ sheet: '某某集团有限公司', row: 6, column: 'H', field: 'deadline', reason: expect.stringContaining('尽快') }]);

    const noTty = await run([]);
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toContain('--dry-run');

    const bad = await run(['--yes', '--json']);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toContain('excel_bad_rows');

    const ok = await run(['--yes', '--skip-bad-rows', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ imported: true, created: { problems: 1, tasks: 2, units: 1 } });

    const again = await run(['--dry-run', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ counts: { problems: 0, existing: 1 } });

    // excel-export writes the statutory layout, which excel-import reads back: nothing new in it.
    const out = join(dir, '导出.xlsx');
    const ex = await runLedger(['excel-export', '--ledger', ledger, '--password-file', pw, '--out', out, '--json']);
    expect(ex.code, ex.stderr).toBe(0);
    expect(JSON.parse(ex.stdout)).toMatchObject({ out, rows: 2, problems: 1 });
    const back = await runLedger(['excel-import', out, '--ledger', ledger, '--password-file', pw, '--dry-run', '--json']);
    expect(JSON.parse(back.stdout)).toMatchObject({ counts: { problems: 0, existing: 1, errors: 0 } });
  }, 120_000);
});
