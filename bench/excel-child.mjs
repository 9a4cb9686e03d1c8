/**
 * Bench (j)'s 导出台账 alone in a fresh process on the compiled engine (dist/db), so its peak
 * resident set (VmHWM) is the export's. Started by bench/excel.ts; prints one JSON line.
 */
import { performance } from 'node:perf_hooks';
import { engine, openAsAdmin, statusMb } from './compiled-engine.mjs';

const { exportLedgerXlsx } = await engine('excel/export.js');
const job = JSON.parse(process.argv[2]);
const { ledger, ctx } = await openAsAdmin(job);
const rssBeforeMb = statusMb('VmRSS');
const t0 = performance.now();
const r = await exportLedgerXlsx(ctx, job.out);
const ms = performance.now() - t0;
const peakRssMb = statusMb('VmHWM');
ledger.close();
console.log(JSON.stringify({ ms, rows: r.rows, rssBeforeMb, peakRssMb }));
