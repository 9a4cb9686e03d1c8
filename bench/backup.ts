/**
 * Bench (e): a backup of the 1,000,000-problem encrypted ledger (db/backup: an encrypted
 * VACUUM INTO copy in a worker thread, then the copy opened and checked) against `cp` of the same
 * file (baseline: the disk's own copy speed), both in MB/s of the ledger file.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createBackup, type BackupProgress } from '../db/backup/index.js';
import { keystoreOf } from '../db/core/ledger-file.js';
import { dataKeyFor, openWithPassword } from '../db/session/provision.js';
import { SCALE_PASSWORD } from './scale.js';
import { round } from './stats.js';

export interface BackupBench {
  fileMB: number;
  cp: { seconds: number; mbPerSecond: number };
  backup: { seconds: number; copySeconds: number; mbPerSecond: number; backupMB: number };
  ratio: number;
}

export async function benchBackup(encPath: string, outDir: string, log: (s: string) => void): Promise<BackupBench> {
  const dir = join(outDir, 'backup-bench');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const fileMB = statSync(encPath).size / 2 ** 20;
  log(`[backup] cp of the ${Math.round(fileMB)} MB encrypted ledger…`);
  const t0 = performance.now();
  execFileSync('cp', [encPath, join(dir, 'cp-copy.sqlite')]);
  execFileSync('sync');
  const cpS = (performance.now() - t0) / 1000;
  rmSync(join(dir, 'cp-copy.sqlite'), { force: true });
  const account = { username: 'admin', password: SCALE_PASSWORD };
  const ledger = openWithPassword(encPath, account);
  try {
    log('[backup] backup through db/backup (encrypted copy + verification)…');
    let copyEnd = 0;
    const t1 = performance.now();
    const r = await createBackup({
      ledger, key: dataKeyFor(encPath, account), keystore: keystoreOf(encPath)!, dir, reason: 'manual', rotation: false,
      onProgress: (p: BackupProgress) => {
        if (p.phase === 'verify' && copyEnd === 0) copyEnd = performance.now();
      },
    });
    const s = (performance.now() - t1) / 1000;
    const backupMB = statSync(r.path).size / 2 ** 20;
    return {
      fileMB: round(fileMB, 0),
      cp: { seconds: round(cpS, 1), mbPerSecond: round(fileMB / cpS, 0) },
      backup: { seconds: round(s, 1), copySeconds: round(((copyEnd || performance.now()) - t1) / 1000, 1), mbPerSecond: round(fileMB / s, 0), backupMB: round(backupMB, 0) },
      ratio: round(cpS / s, 3),
    };
  } finally {
    ledger.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
