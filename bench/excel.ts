/**
 * Bench (j): Excel in and out (issue 11), on an encrypted ledger file.
 *  1. A 100,000-row sheet as offices keep it (title and 填报 lines, the statutory header, one task
 *     per problem), written once as .xlsx.
 *  2. LibreOffice headless converting that .xlsx to CSV (the baseline; skipped, and said so, when
 *     `soffice` is not installed: apt-get install libreoffice-calc-nogui).
 *  3. Ours: the dry run (read, header, rows, dates, matching) and the import (the dry run plus the
 *     writes through the services in one transaction) of the same file. Beside it, the floor of any
 *     import into this ledger: a raw prepared INSERT of the very rows ours wrote (problems, tasks,
 *     progress entries; with the schema's indexes and full-text triggers, without audit entries)
 *     into a copy of the ledger as it was before, in one transaction.
 *  4. 导出台账 of the same 100,000 rows to .xlsx in a fresh process on the compiled engine
 *     (bench/excel-child.mjs): rows/s and peak RSS (VmHWM).
 * Results in bench/out/excel.json. EXCEL_ROWS shrinks it. Run: tsx bench/excel.ts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { fixedClock } from '../db/core/clock.js';
import type { ActingUser, ServiceContext } from '../db/core/context.js';
import { uuidv7Source } from '../db/core/ids.js';
import { openLedger } from '../db/core/open.js';
import { importExcel, planExcelImport } from '../db/excel/import.js';
import { forgetWorkbook } from '../db/excel/workbook.js';
import { login, setupLedger } from '../db/services/office.js';
import { readRows, timedInsert } from './raw-insert.js';
import { round } from './stats.js';

const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');
const ROWS = Number(process.env.EXCEL_ROWS ?? 100_000);
const PASSWORD = 'bench-excel-2024';
const HEAD = ['序号', '问题类别', '问题描述', '整改措施', '责任领导', '责任部门', '责任人', '整改时限', '整改进展', '完成情况', '佐证材料', '销号情况', '备注'];

async function writeSheet(path: string): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: false, useSharedStrings: false });
  const ws = wb.addWorksheet('某某集团有限公司');
  ws.addRow(['某某集团党委关于巡视反馈意见整改落实台账']).commit();
  ws.addRow(['填报单位：某某集团有限公司', null, null, null, null, null, null, '填报日期：2024年6月15日']).commit();
  ws.addRow(HEAD).commit();
  const forms = ['2024年6月30日', '2024.9.30', '2024年12月底前', '长期坚持', '2024/10/31'];
  for (let i = 1; i <= ROWS; i++) {
    ws.addRow([i, '廉洁风险', `第${i}项：落实全面从严治党主体责任不够到位，对下属企业监督管理偏松偏软。`, `制定专项整改方案，明确责任和时限（第${i}项）。`,
      '张三', '纪检监察部', '李四', forms[i % forms.length], i % 3 === 0 ? '已制定方案，正在推进' : null, null, null, null, null]).commit();
  }
  await ws.commit();
  await wb.commit();
}

function soffice(): string | null {
  for (const bin of ['soffice', 'libreoffice']) if (spawnSync(bin, ['--version'], { encoding: 'utf8' }).status === 0) return bin;
  return null;
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const dir = join(OUT, 'excel');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const log = (s: string) => console.log(`[excel] ${s}`);
  const file = join(dir, `台账-${ROWS}.xlsx`);
  let t = performance.now();
  await writeSheet(file);
  log(`sheet of ${ROWS} rows written (${round(statSync(file).size / 2 ** 20, 1)} MB) in ${round((performance.now() - t) / 1000, 1)} s`);

  // 2. LibreOffice headless → CSV (its profile in the bench folder; the first start is not timed).
  const bin = soffice();
  let libreSeconds: number | null = null;
  if (bin) {
    const profile = `-env:UserInstallation=file://${join(dir, 'lo-profile')}`;
    execFileSync(bin, [profile, '--headless', '--version']);
    t = performance.now();
    execFileSync(bin, [profile, '--headless', '--convert-to', 'csv', '--outdir', join(dir, 'csv'), file], { stdio: 'ignore' });
    libreSeconds = (performance.now() - t) / 1000;
    log(`LibreOffice headless → CSV: ${round(libreSeconds, 2)} s`);
  } else log('LibreOffice (soffice) not installed: baseline skipped (apt-get install libreoffice-calc-nogui)');

  // 3. Ours, on a fresh encrypted ledger file.
  const path = join(dir, 'ledger.sqlite');
  const key = randomBytes(32);
  const ledger = openLedger(path, { key });
  const clock = fixedClock('2024-07-01');
  const ids = uuidv7Source(() => clock.now());
  const as = (user: ActingUser | null): ServiceContext => ({ ledger, clock, ids, user });
  setupLedger(as(null), { officeName: '某某集团有限公司巡视整改办', officeKind: 'inspected_unit', level: 'province', adminUsername: 'admin', adminDisplayName: '管理员', adminPassword: PASSWORD });
  const ctx = as(login(as(null), { username: 'admin', password: PASSWORD }));
  const bytes = readFileSync(file);
  // The ledger as it is before the import, for the raw INSERT floor below.
  const before = join(dir, 'before.sqlite');
  ledger.sqlite.prepare('VACUUM INTO ?').run(before);
  t = performance.now();
  const dry = await planExcelImport(ctx, bytes);
  const drySeconds = (performance.now() - t) / 1000;
  log(`dry run: ${dry.counts.problems} problems, ${dry.counts.tasks} tasks, ${dry.counts.errors} errors in ${round(drySeconds, 2)} s`);
  // Timed cold, as a first import: the workbook the dry run kept is dropped, so the import parses it again.
  forgetWorkbook();
  t = performance.now();
  const imp = await importExcel(ctx, bytes);
  const importSeconds = (performance.now() - t) / 1000;
  log(`import: ${imp.created.problems} problems, ${imp.created.tasks} tasks in ${round(importSeconds, 2)} s${libreSeconds ? ` (${round(importSeconds / libreSeconds, 2)}× LibreOffice → CSV)` : ''}`);
  ledger.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  // The unit the import created comes along (the problems refer to it); rows the copy holds already are skipped.
  const written = ['units', 'problems', 'tasks', 'progress_entries'].map((name) => readRows(ledger.sqlite, name));
  ledger.close();
  const floorLedger = openLedger(before, { key });
  const floorRows = written.filter((w) => w.name !== 'units').reduce((n, w) => n + w.rows.length, 0);
  const floorSeconds = timedInsert(floorLedger.sqlite, written, { orIgnore: true }) / 1000;
  floorLedger.close();
  log(`floor: raw INSERT of the same ${floorRows} rows (${written.filter((w) => w.name !== 'units').map((w) => `${w.rows.length} ${w.name}`).join(', ')}) ${round(floorSeconds, 2)} s${libreSeconds ? ` (${round(floorSeconds / libreSeconds, 2)}× LibreOffice → CSV)` : ''}; ours ${round(importSeconds / floorSeconds, 2)}× it`);

  // 4. Export in a fresh process on the compiled engine.
  const b = spawnSync('npx', ['tsc', '-b', 'db'], { cwd: join(OUT, '..', '..'), encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`tsc -b db failed:\n${b.stdout}${b.stderr}`);
  const job = { ledger: path, keyHex: key.toString('hex'), password: PASSWORD, out: join(dir, '导出.xlsx'), at: '2024-07-01T08:00:00.000Z' };
  const c = spawnSync(process.execPath, [fileURLToPath(new URL('./excel-child.mjs', import.meta.url)), JSON.stringify(job)], { encoding: 'utf8' });
  const line = c.stdout.trim().split('\n').at(-1) ?? '';
  if (c.status !== 0 || !line.startsWith('{')) throw new Error(`excel child failed: ${c.status}\n${c.stderr}`);
  const ex = JSON.parse(line) as { ms: number; rows: number; rssBeforeMb: number; peakRssMb: number };
  log(`export: ${ex.rows} rows in ${round(ex.ms / 1000, 2)} s = ${Math.round(ex.rows / (ex.ms / 1000))} rows/s, RSS before ${ex.rssBeforeMb} MB, peak ${ex.peakRssMb} MB`);

  const result = {
    at: new Date().toISOString(), rows: ROWS, fileMb: round(statSync(file).size / 2 ** 20, 1),
    libreOfficeCsvSeconds: libreSeconds === null ? null : round(libreSeconds, 2),
    dryRunSeconds: round(drySeconds, 2), importSeconds: round(importSeconds, 2), ratioToLibreOffice: libreSeconds ? round(importSeconds / libreSeconds, 2) : null,
    rawInsertFloor: { rows: floorRows, seconds: round(floorSeconds, 2), ratioToLibreOffice: libreSeconds ? round(floorSeconds / libreSeconds, 2) : null, oursToFloor: round(importSeconds / floorSeconds, 2) },
    export: { seconds: round(ex.ms / 1000, 2), rowsPerSecond: Math.round(ex.rows / (ex.ms / 1000)), peakRssMb: ex.peakRssMb, baseRssMb: ex.rssBeforeMb },
  };
  writeFileSync(join(OUT, 'excel.json'), JSON.stringify(result, null, 2));
  rmSync(dir, { recursive: true, force: true });
  return result;
}

export { main as benchExcel };
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
