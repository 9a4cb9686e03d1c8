/**
 * 导入Excel台账 over the bridge (db/bridge/file-calls.ts) on an encrypted ledger file held by a
 * ledger host, as the app runs it: while an import of 2,000 problems writes, the ledger answers
 * excel:progress (rising figures) and refuses every other call (LOCKED busy); at the end the
 * counts are the dry run's. An import that fails on its last problem leaves the ledger exactly as
 * it was and not busy. A table export writes a file in the 导出 folder for the page to download.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type BridgeResult } from '../../db/bridge/dispatch.js';
import { exportsDirOf } from '../../db/bridge/file-calls.js';
import { makeHandlers } from '../../db/bridge/handlers.js';
import { fixedClock } from '../../db/core/clock.js';
import { seededRandom, uuidv7Source } from '../../db/core/ids.js';
import { TEST_KDF } from '../../db/core/keystore.js';
import { LedgerHost, type Session } from '../../db/session/host.js';
import { HEAD, xlsx, type Cell } from '../helpers/workbooks.js';

const PW = 'daoru-mima-2024';
let dir: string;
let host: LedgerHost;
const session: Session = { user: null };
let handlers: ReturnType<typeof makeHandlers>;

const invoke = (channel: string, arg?: unknown): Promise<BridgeResult> => dispatch(handlers, channel, arg, () => host.context(session), {
  onCommit: () => host.committed(), onRollback: () => host.discarded(),
});
const problems = () => (host.ledger!.sqlite.prepare('SELECT count(*) AS n FROM problems').get() as { n: number }).n;

function sheet(n: number, lastUnit?: string): Cell[][] {
  const rows: Cell[][] = [HEAD];
  for (let i = 1; i <= n; i++) {
    rows.push([i, '基层党组织建设', `第${i}个问题：党支部“三会一课”记录不全`, `整改措施${i}`, '张某某', '党委办公室', '李某', '2024年9月30日', null, null, null, null, null]);
  }
  if (lastUnit) rows.push([n + 1, '基层党组织建设', '最后一个问题', '最后的措施', null, null, null, '2024年9月30日', null, null, null, null, null]);
  return rows;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xz-excel-bridge-'));
  const clock = fixedClock('2024-06-15');
  host = new LedgerHost({ path: join(dir, 'ledger.sqlite'), clock, ids: uuidv7Source(() => clock.now(), seededRandom(5)), kdf: TEST_KDF, closeWhenIdle: false });
  handlers = makeHandlers(session, { host: () => host });
  host.setup(session, { officeName: '某某集团巡视整改办公室', officeKind: 'inspected_unit', level: 'city', adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: PW });
  writeFileSync(join(dir, 'big.xlsx'), await xlsx([{ name: '某某集团', rows: sheet(2000) }]));
}, 60_000);
afterAll(() => {
  host?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Excel import over the bridge', () => {
  it('answers excel:progress and refuses other calls while 2,000 problems are written, then matches the dry run', async () => {
    const path = join(dir, 'big.xlsx');
    const dry = await invoke('excel:preview', { path });
    expect(dry).toMatchObject({ ok: true });
    const counts = (dry as { value: { counts: { problems: number; tasks: number } } }).value.counts;
    expect(counts).toMatchObject({ problems: 2000, tasks: 2000 });
    const before = problems();

    const running = invoke('excel:import', { path });
    const seen: { done: number; total: number }[] = [];
    const refused: string[] = [];
    let finished = false;
    void running.then(() => { finished = true; });
    while (!finished) {
      await new Promise((r) => setImmediate(r));
      const p = await invoke('excel:progress');
      if (p.ok && p.value) seen.push(p.value as { done: number; total: number });
      const other = await invoke('problems:count', {});
      if (!other.ok) refused.push(`${other.error.code}:${other.error.reason ?? ''}`);
    }
    const r = await running;
    expect(r.ok).toBe(true);
    expect((r as { value: { created: { problems: number; tasks: number } } }).value.created).toMatchObject({ problems: 2000, tasks: 2000 });
    expect(problems()).toBe(before + 2000);
    // Rising progress, some of it part-way, of the dry run's total.
    const mid = seen.filter((s) => s.done > 0 && s.done < s.total);
    expect(mid.length).toBeGreaterThan(0);
    // {0, 0} while the workbook is read and checked, then out of the dry run's total.
    expect(seen.every((s) => s.total === 2000 || (s.total === 0 && s.done === 0))).toBe(true);
    expect(seen.map((s) => s.done)).toEqual([...seen.map((s) => s.done)].sort((a, b) => a - b));
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused)).toEqual(new Set(['LOCKED:busy']));
    // Not busy any more: progress is null and other calls answer.
    expect(await invoke('excel:progress')).toEqual({ ok: true, value: null });
    expect((await invoke('problems:count', {})).ok).toBe(true);
  }, 120_000);

  it('an import that fails at its last problem leaves the ledger as it was, and not busy', async () => {
    // A unit name longer than a unit name may be passes the dry run's reading and fails on writing.
    const long = '某'.repeat(300);
    const rows = sheet(600);
    rows.push([601, '基层党组织建设', '单位名称过长的问题', '措施', null, null, null, '2024年9月30日', null, null, null, null, null]);
    const wb = await xlsx([{ name: '某某分公司', rows }, { name: 'x', rows: [['被巡视单位', ...HEAD], [long, 1, '基层党组织建设', '单位名称过长', '措施', null, null, null, '2024年9月30日']] }]);
    writeFileSync(join(dir, 'bad.xlsx'), wb);
    const before = { problems: problems(), audit: (host.ledger!.sqlite.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n };
    const r = await invoke('excel:import', { path: join(dir, 'bad.xlsx') });
    expect(r.ok).toBe(false);
    expect((r as { error: { code: string } }).error.code).toBe('VALIDATION');
    expect(problems()).toBe(before.problems);
    expect((host.ledger!.sqlite.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n).toBe(before.audit);
    expect(host.ledger!.state.busy ?? null).toBeNull();
    expect((await invoke('problems:count', {})).ok).toBe(true);
  }, 120_000);

  it('files:saveTable writes the table into the 导出 folder for the page to download', async () => {
    const r = await invoke('files:saveTable', { name: '统计表', title: '各单位整改情况', meta: ['巡视轮次：全部轮次'], columns: ['单位', '问题数'], rows: [['某某集团', 2000], ['=cmd|x', 1], ['某某'.repeat(40), 3]] });
    expect(r.ok).toBe(true);
    const v = (r as { value: { path: string; download: boolean; rows: number } }).value;
    expect(v.download).toBe(true);
    expect(v.path.startsWith(exportsDirOf(host.path))).toBe(true);
    expect(v.rows).toBe(3);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(v.path);
    const ws = wb.worksheets[0]!;
    expect(ws.getCell('A1').value).toBe('各单位整改情况');
    expect(ws.getCell('A4').value).toBe('某某集团');
    expect(ws.getCell('B4').value).toBe(2000);
    // Formula-like text stays text.
    expect(ws.getCell('A5').value).toBe('=cmd|x');
    expect(ws.getCell('A5').numFmt).toBe('@');
    // Widths from the text, at most 60; an 80-character name wraps and its row is sized to it.
    expect(ws.getColumn(1).width).toBe(60);
    expect(ws.getRow(6).height).toBeGreaterThan(2 * ws.getRow(4).height);
    // A row wider than the columns is refused, nothing written.
    const bad = await invoke('files:saveTable', { name: '统计表', title: 't', columns: ['单位'], rows: [['a', 'b']] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', reason: 'bad_row' } });
  });
});
