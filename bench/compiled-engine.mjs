/**
 * For the benchmarks' fresh-process children (exchange-child.mjs, excel-child.mjs): the compiled
 * engine (dist/db, what the app's main process runs; `tsc -b db` builds it), a ledger opened and an
 * administrator logged in from a job's fields, and the process's resident set from /proc.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** A module of the compiled engine, e.g. engine('exchange/transfer.js'). */
export const engine = (p) => import(new URL(`../dist/db/${p}`, import.meta.url).href);

/** VmRSS or VmHWM (the kernel's high-water mark) in MB. */
export function statusMb(field) {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/**
 * Resets the kernel's high-water mark of this process's resident set (Linux: 5 into
 * /proc/self/clear_refs), so that VmHWM read afterwards is the peak of what ran since, not of the
 * log-in before it (its key derivation alone takes tens of MB). False where the kernel does not allow it.
 */
export function resetPeak() {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** Opens `job.ledger` with `job.keyHex` and logs in as admin with `job.password`, the clock fixed at `job.at`. */
export async function openAsAdmin(job) {
  const { fixedClock } = await engine('core/clock.js');
  const { uuidv7Source } = await engine('core/ids.js');
  const { openLedger } = await engine('core/open.js');
  const { login } = await engine('services/office.js');
  const ledger = openLedger(job.ledger, { key: Buffer.from(job.keyHex, 'hex'), migrationsFolder: new URL('../db/migrations', import.meta.url).pathname });
  const clock = fixedClock(job.at.slice(0, 10), Date.parse(job.at));
  const ids = uuidv7Source(() => clock.now());
  const as = (user) => ({ ledger, clock, ids, user });
  return { ledger, ctx: as(login(as(null), { username: 'admin', password: job.password })) };
}
