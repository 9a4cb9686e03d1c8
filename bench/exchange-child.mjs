/**
 * One export or import of bench (h), alone in a fresh process running the compiled engine
 * (dist/db, what the desktop app's main process runs; `tsc -b db` builds it), so its time and
 * memory are the operation's as the app runs it, not the benchmark's (which built 100,000 records
 * and 1 GB of files before) nor a TypeScript loader's. Prints one JSON line: the time, the resident
 * set before the operation, and the process's peak resident set during it (VmHWM from
 * /proc/self/status, the kernel's high-water mark, not a sample; reset just before the operation,
 * so the log-in's key derivation is not counted). Started by inChild() in bench/exchange-child.ts.
 *
 *   node bench/exchange-child.mjs '{"op":"export","ledger":…,"keyHex":…,"password":…,"partnerId":…,"dir":…,"full":true,"at":…}'
 *   node bench/exchange-child.mjs '{"op":"import","ledger":…,"keyHex":…,"password":…,"path":…,"at":…}'
 *
 * BENCH_CPU_PROF=DIR writes a CPU profile of the operation alone to DIR/exchange-<op>.cpuprofile.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { engine, openAsAdmin, resetPeak, statusMb } from './compiled-engine.mjs';

const { exportPackage, importPackage } = await engine('exchange/transfer.js');
const job = JSON.parse(process.argv[2]);
const { ledger, ctx } = await openAsAdmin(job);
const rssBeforeMb = statusMb('VmRSS');
const profDir = process.env.BENCH_CPU_PROF;
const session = profDir ? new Session() : null;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
// The peak from here on is the operation's (the log-in's key derivation before it is not counted).
const peakReset = resetPeak();
const t0 = performance.now();
// BENCH_MEM_TRACE=1: the process's memory by kind every 250 ms (stderr), to find what the peak is made of.
const trace = process.env.BENCH_MEM_TRACE
  ? setInterval(() => {
    const m = process.memoryUsage();
    const f = (x) => Math.round(x / 2 ** 20);
    console.error(`${((performance.now() - t0) / 1000).toFixed(2)} s rss ${f(m.rss)} heapTotal ${f(m.heapTotal)} heapUsed ${f(m.heapUsed)} external ${f(m.external)} arrayBuffers ${f(m.arrayBuffers)}`);
  }, 250)
  : null;
const result = job.op === 'export'
  ? await exportPackage(ctx, { partnerId: job.partnerId, dir: job.dir, full: job.full === true })
  : await importPackage(ctx, job.path);
const ms = performance.now() - t0;
if (trace) clearInterval(trace);
if (session) writeFileSync(join(profDir, `exchange-${job.op}.cpuprofile`), JSON.stringify((await session.post('Profiler.stop')).profile));
const peakRssMb = statusMb('VmHWM');
ledger.close();
console.log(JSON.stringify({ ms, rssBeforeMb, peakRssMb, peakReset, result }));
