/**
 * One export or import of bench (h), alone in a fresh process, so its memory is the operation's
 * and not the benchmark's (which built 100,000 records and 1 GB of files before). Prints one
 * JSON line: the time, the resident set before the operation, and the process's peak resident
 * set (VmHWM from /proc/self/status: the kernel's high-water mark, not a sample).
 *
 *   tsx bench/exchange-child.ts '{"op":"export","ledger":…,"keyHex":…,"password":…,"partnerId":…,"dir":…,"full":true}'
 *   tsx bench/exchange-child.ts '{"op":"import","ledger":…,"keyHex":…,"password":…,"path":…}'
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fixedClock } from '../db/core/clock.js';
import type { ActingUser, ServiceContext } from '../db/core/context.js';
import { uuidv7Source } from '../db/core/ids.js';
import { openLedger } from '../db/core/open.js';
import { exportPackage, importPackage } from '../db/exchange/transfer.js';
import { login } from '../db/services/office.js';

interface Job { op: 'export' | 'import'; ledger: string; keyHex: string; password: string; partnerId?: string; dir?: string; full?: boolean; path?: string; at: string }
export interface ChildResult { ms: number; rssBeforeMb: number; peakRssMb: number; result: unknown }

const mb = (kb: number) => Math.round(kb / 1024);
function statusKb(field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : NaN;
}

async function run(job: Job): Promise<ChildResult> {
  const ledger = openLedger(job.ledger, { key: Buffer.from(job.keyHex, 'hex') });
  const clock = fixedClock(job.at.slice(0, 10), Date.parse(job.at));
  const ids = uuidv7Source(() => clock.now());
  const as = (user: ActingUser | null): ServiceContext => ({ ledger, clock, ids, user });
  const ctx = as(login(as(null), { username: 'admin', password: job.password }));
  const rssBeforeMb = mb(statusKb('VmRSS'));
  // BENCH_CPU_PROF=DIR: a CPU profile of the operation alone, DIR/exchange-<op>.cpuprofile.
  const profDir = process.env.BENCH_CPU_PROF;
  const session = profDir ? new Session() : null;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const t0 = performance.now();
  const result = job.op === 'export'
    ? await exportPackage(ctx, { partnerId: job.partnerId!, dir: job.dir!, full: job.full === true })
    : await importPackage(ctx, job.path!);
  const ms = performance.now() - t0;
  if (session) writeFileSync(join(profDir!, `exchange-${job.op}.cpuprofile`), JSON.stringify((await session.post('Profiler.stop')).profile));
  const peakRssMb = mb(statusKb('VmHWM'));
  ledger.close();
  return { ms, rssBeforeMb, peakRssMb, result };
}

/** Runs `job` in a fresh process of the same Node and loader as this one. */
export function inChild(job: Job): ChildResult {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), JSON.stringify(job)], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`bench child (${job.op}) failed: ${r.status}\n${r.stderr}\n${r.stdout}`);
  return JSON.parse(line) as ChildResult;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv[2]) {
  console.log(JSON.stringify(await run(JSON.parse(process.argv[2]) as Job)));
}
