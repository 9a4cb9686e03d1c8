/**
 * Bench (j)'s 导出台账 alone in a fresh process on the compiled engine (dist/db), so its peak
 * resident set (VmHWM) is the export's. Started by bench/excel.ts; prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const engine = (p) => import(new URL(`../dist/db/${p}`, import.meta.url).href);
const { fixedClock } = await engine('core/clock.js');
const { uuidv7Source } = await engine('core/ids.js');
const { openLedger } = await engine('core/open.js');
const { exportLedgerXlsx } = await engine('excel/export.js');
const { login } = await engine('services/office.js');

const mb = (kb) => Math.round(kb / 1024);
const statusKb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN);

const job = JSON.parse(process.argv[2]);
const ledger = openLedger(job.ledger, { key: Buffer.from(job.keyHex, 'hex'), migrationsFolder: new URL('../db/migrations', import.meta.url).pathname });
const clock = fixedClock(job.at.slice(0, 10), Date.parse(job.at));
const ids = uuidv7Source(() => clock.now());
const as = (user) => ({ ledger, clock, ids, user });
const ctx = as(login(as(null), { username: 'admin', password: job.password }));
const rssBeforeMb = mb(statusKb('VmRSS'));
const t0 = performance.now();
const r = await exportLedgerXlsx(ctx, job.out);
const ms = performance.now() - t0;
const peakRssMb = mb(statusKb('VmHWM'));
ledger.close();
console.log(JSON.stringify({ ms, rows: r.rows, rssBeforeMb, peakRssMb }));
