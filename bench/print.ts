/**
 * Bench (k): a 1,000-row statutory 巡视整改台账 to PDF. Ours: the 法定台账 screen in Debian's Chromium
 * over the engine (the browser harness, test/e2e/harness.ts, on an encrypted ledger file): from
 * 生成预览 (the engine's rows, the pages laid out by measuring each row) through 打印 to the PDF
 * bytes from Chromium's print engine (page.pdf, the CSS page size). Baseline, same run: LibreOffice
 * headless converting the equivalent statutory .xlsx (导出台账 of the same rows, db/excel/export.ts)
 * to PDF, after one untimed start. Five runs each (PRINT_RUNS), alternating; the median of each. Target: ours
 * takes no longer. Writes bench/out/print.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportLedgerXlsx } from '../db/excel/export.js';
import { refreshProblemRollup } from '../db/services/problems.js';
import { startHarness } from '../test/e2e/harness.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxTask, fxUnit } from '../test/helpers/fixtures.js';
import { round } from './stats.js';

const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');
const ROWS = Number(process.env.PRINT_ROWS ?? 1000);
/** Runs of each, alternating (this machine's speed moves by a quarter between runs of one command). */
const RUNS = Number(process.env.PRINT_RUNS ?? 5);
const PASSWORD = 'bench-print-2024';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pagesOf = (pdf: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1] ?? NaN);

function soffice(): string | null {
  for (const bin of ['soffice', 'libreoffice']) if (spawnSync(bin, ['--version'], { encoding: 'utf8' }).status === 0) return bin;
  return null;
}

async function main() {
  const dir = join(OUT, 'print');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const log = (s: string) => console.log(`[print] ${s}`);

  const h = await startHarness({ today: '2024-06-15' });
  try {
    const admin = h.setup({ officeName: '某市委巡察整改工作领导小组办公室', officeKind: 'inspected_unit', level: 'city', adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: PASSWORD });
    const ctx = h.as(admin);
    const r = fxRound(ctx, { name: '某市委第三轮巡察' });
    const unit = fxUnit(ctx, { name: '某某区某某街道办事处' });
    fxInspection(ctx, { roundId: r.id, unitId: unit.id });
    const cats = ['廉洁风险', '选人用人', '基层党组织建设'].map((n) => categoryId(ctx, n));
    let rows = 0;
    for (let k = 1; rows < ROWS; k++) {
      const p = fxProblem(ctx, { unitId: unit.id, roundId: r.id, seq: k, categoryId: cats[k % 3]!, description: `公务接待审批把关不严，超标准接待问题仍有发生，相关制度执行不到位（第${k}项）。` });
      for (let j = 1; j <= 2 + (k % 2) && rows < ROWS; j++, rows++) {
        fxTask(ctx, {
          problemId: p.id, unitId: unit.id, roundId: r.id, seq: j, deadline: `2024-${String(3 + ((k + j) % 9)).padStart(2, '0')}-15`,
          measures: `制定并落实专项整改方案，明确责任和时限（第${k}-${j}项）。`, status: (k + j) % 5 === 0 ? 'closed' : 'in_progress',
          completedOn: (k + j) % 5 === 0 ? '2024-05-10' : null, responsibleDepartment: j % 2 ? '办公室' : '财务科', responsibleLeader: '陈某某',
          responsiblePerson: `李某${j % 5}`, remark: j % 4 === 0 ? '已建立长效机制，持续跟踪。' : null,
        });
      }
      refreshProblemRollup(ctx, p.id);
    }
    log(`ledger: ${rows} task rows`);

    // The equivalent .xlsx for LibreOffice (导出台账 of the same rows).
    const xlsx = join(dir, '巡视整改台账.xlsx');
    await exportLedgerXlsx(ctx, xlsx, { roundId: r.id, unitId: unit.id });

    const p = h.page;
    await p.addInitScript('window.print = () => undefined;');
    await p.reload();
    await p.getByLabel('用户名').fill('admin');
    await p.getByLabel('密码').fill(PASSWORD);
    await p.getByRole('button', { name: '登录' }).click();
    await p.getByTestId('current-user').waitFor();
    await p.evaluate("window.location.hash = '#/ledgers'");
    await p.getByTestId('ledgers').waitFor();

    const bin = soffice();
    const profile = `-env:UserInstallation=file://${join(dir, 'lo-profile')}`;
    if (bin) execFileSync(bin, [profile, '--headless', '--version']);
    const ours: number[] = [];
    const previewMs: number[] = [];
    const libre: number[] = [];
    let ourPages = 0;
    let librePages: number | null = null;
    // One untimed run of ours too (the first layout compiles the screen's code paths).
    for (let k = 0; k <= RUNS; k++) {
      const t0 = performance.now();
      await p.getByTestId('ledger-preview-go').click();
      await p.getByTestId('ledger-pages').waitFor();
      const laid = performance.now() - t0;
      await p.getByTestId('ledger-print').click();
      const pdf = await p.pdf({ preferCSSPageSize: true, printBackground: true });
      const ms = performance.now() - t0;
      const file = join(dir, `ours-${k}.pdf`);
      writeFileSync(file, pdf);
      ourPages = pagesOf(file);
      if (k > 0) {
        ours.push(ms);
        previewMs.push(laid);
      }
      log(`ours ${k === 0 ? '(untimed)' : k}: ${ourPages} pages in ${Math.round(ms)} ms (preview laid out after ${Math.round(laid)} ms)`);
      if (k > 0 && bin) {
        const t1 = performance.now();
        execFileSync(bin, [profile, '--headless', '--convert-to', 'pdf', '--outdir', join(dir, `lo-${k}`), xlsx], { stdio: 'ignore' });
        libre.push(performance.now() - t1);
        librePages = pagesOf(join(dir, `lo-${k}`, '巡视整改台账.pdf'));
        log(`LibreOffice ${k}: ${librePages} pages in ${Math.round(libre.at(-1)!)} ms`);
      }
      await p.evaluate("window.location.hash = '#/home'");
      await p.evaluate("window.location.hash = '#/ledgers'");
      await p.getByTestId('ledgers').waitFor();
    }
    const result = {
      at: new Date().toISOString(), rows, oursMs: Math.round(median(ours)), oursPreviewMs: Math.round(median(previewMs)), oursPages: ourPages, oursRunsMs: ours.map(Math.round),
      libreOfficeMs: libre.length ? Math.round(median(libre)) : null, libreOfficePages: librePages, libreOfficeRunsMs: libre.map(Math.round),
      ratio: libre.length ? round(median(ours) / median(libre), 2) : null,
    };
    log(`ours ${result.oursMs} ms (${ourPages} pages) vs LibreOffice ${result.libreOfficeMs ?? '-'} ms (${librePages ?? '-'} pages): ${result.ratio ?? '-'}×`);
    writeFileSync(join(OUT, 'print.json'), JSON.stringify(result, null, 2));
  } finally {
    await h.close();
  }
}

await main();
