/**
 * Runs one export or import of bench (h) in a fresh process (bench/exchange-child.mjs, on the
 * compiled engine in dist/db, which this builds first with `tsc -b db`).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Job { op: 'export' | 'import'; ledger: string; keyHex: string; password: string; partnerId?: string; dir?: string; full?: boolean; path?: string; at: string }
export interface ChildResult { ms: number; rssBeforeMb: number; peakRssMb: number; peakReset?: boolean; result: unknown }

const root = fileURLToPath(new URL('..', import.meta.url));
let built = false;

/** Runs `job` in a fresh plain-Node process on the compiled engine. */
export function inChild(job: Job): ChildResult {
  if (!built) {
    const b = spawnSync('npx', ['tsc', '-b', 'db'], { cwd: root, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`tsc -b db failed:\n${b.stdout}\n${b.stderr}`);
    built = true;
  }
  // What the benchmark wrote before (a gigabyte of ledger and files) goes to the disk first, so the
  // operation does not share the disk with the kernel's write-back of it.
  spawnSync('sync');
  const r = spawnSync(process.execPath, [fileURLToPath(new URL('./exchange-child.mjs', import.meta.url)), JSON.stringify(job)], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20, env: process.env });
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`bench child (${job.op}) failed: ${r.status}\n${r.stderr}\n${r.stdout}`);
  return JSON.parse(line) as ChildResult;
}
