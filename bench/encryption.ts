/**
 * Bench (d): the cost of encryption at rest. The same work on a plaintext file and on an
 * encrypted one (SQLCipher 3 format through SQLite3 Multiple Ciphers, the app's format):
 *  - bulk creation through the services (bench/bulk.ts), engine and raw INSERT sides;
 *  - the problem list on the 1,000,000-problem ledger (bench/list.ts) against an encrypted copy
 *    of the same file (made once with the app's conversion and cached beside it).
 * Single runs of each side moved the ratio by more than the target's margin (the operating
 * system's cache holds a different share of each 4 GB file; the disk is busier after the browser
 * bench). So both comparisons run in alternating pairs (plaintext, encrypted, plaintext, …) and
 * report the median of the pairs' ratios; before the list pairs both files are read through once,
 * so each side finds the same share of its file in the OS cache and the difference is the
 * decryption and page-HMAC check, not the disk.
 * Targets (issue 9): list ≤ 1.3× and bulk creation ≤ 1.5× of plaintext.
 */
import { closeSync, copyFileSync, existsSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { newDataKey } from '../db/core/keystore.js';
import { CIPHER_PAGE_SIZE } from '../db/core/cipher.js';
import { encryptGeneratedLedger, openWithPassword } from '../db/session/provision.js';
import { benchBulk, type BulkResult } from './bulk.js';
import { benchList, ensureScaleLedger, type ListResult, type ScaleParams } from './list.js';
import { SCALE_PASSWORD } from './scale.js';
import { round } from './stats.js';

export interface EncryptionResult {
  /** `plain`/`encrypted`: the pair whose engine ratio is the median; `pairs`: every pair's ratios. */
  bulk: { plain: BulkResult; encrypted: BulkResult; engineRatio: number; rawRatio: number; pairs: { engine: number; raw: number }[] } | null;
  /**
   * `plain`/`encrypted`: one full list run on each file (every case); the main case's figures
   * (`medianRatio`, `pairs`) come from the alternating pairs after both files were read through.
   */
  list: {
    plain: ListResult; encrypted: ListResult; medianRatio: number; p95Ratio: number; encryptSeconds: number | null;
    pairs: { plainMedian: number; encMedian: number; plainP95: number; encP95: number; ratio: number }[];
  } | null;
}

export const ENCRYPTION_TARGETS = { listRatio: 1.3, bulkRatio: 1.5 };
const PAIRS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

export function benchEncryptionBulk(outDir: string, n: number, log: (s: string) => void): EncryptionResult['bulk'] {
  const runs: { plain: BulkResult; encrypted: BulkResult; engine: number; raw: number }[] = [];
  for (let k = 1; k <= PAIRS; k++) {
    log(`[enc] bulk ${n}, pair ${k}/${PAIRS}: plaintext…`);
    const plain = benchBulk(outDir, n, 1000, log);
    log(`[enc] bulk ${n}, pair ${k}/${PAIRS}: encrypted…`);
    const encrypted = benchBulk(outDir, n, 1000, log, newDataKey());
    runs.push({ plain, encrypted, engine: round(encrypted.engine.seconds / plain.engine.seconds, 3), raw: round(encrypted.raw.seconds / plain.raw.seconds, 3) });
    log(`[enc] bulk pair ${k}: engine ${plain.engine.seconds} → ${encrypted.engine.seconds} s (${runs.at(-1)!.engine}×)`);
  }
  const mid = runs.find((r) => r.engine === median(runs.map((x) => x.engine)))!;
  return {
    plain: mid.plain, encrypted: mid.encrypted, engineRatio: mid.engine, rawRatio: median(runs.map((r) => r.raw)),
    pairs: runs.map((r) => ({ engine: r.engine, raw: r.raw })),
  };
}

/** Read a file through once, so the operating system's cache holds as much of it as it can. */
function readThrough(path: string): void {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(8 << 20);
  try {
    while (readSync(fd, buf, 0, buf.length, null) > 0) { /* reading is the point */ }
  } finally {
    closeSync(fd);
  }
}

/** The encrypted copy of the scale ledger (cached; rebuilt when the plaintext one changes). */
export function encryptedScaleCopy(plainPath: string, log: (s: string) => void): { path: string; seconds: number | null } {
  const path = plainPath.replace(/\.sqlite$/, '-enc.sqlite');
  const stamp = `${statSync(plainPath).mtimeMs}:${statSync(plainPath).size}:page${CIPHER_PAGE_SIZE}`;
  const sidecar = `${path}.json`;
  if (existsSync(path) && existsSync(sidecar) && (JSON.parse(readFileSync(sidecar, 'utf8')) as { from: string }).from === stamp) return { path, seconds: null };
  for (const s of ['', '-wal', '-shm', '.keys', '.json']) rmSync(path + s, { force: true });
  log(`[enc] encrypting a copy of ${plainPath} (cached for later runs)…`);
  const t0 = Date.now();
  copyFileSync(plainPath, path);
  encryptGeneratedLedger(path, [{ username: 'admin', password: SCALE_PASSWORD }]);
  const seconds = round((Date.now() - t0) / 1000, 1);
  writeFileSync(sidecar, JSON.stringify({ from: stamp, seconds }));
  return { path, seconds };
}

export function benchEncryptionList(outDir: string, p: ScaleParams, log: (s: string) => void): EncryptionResult['list'] {
  const scale = ensureScaleLedger(outDir, p, log);
  const enc = encryptedScaleCopy(scale.path, log);
  const variant = { path: enc.path, open: (path: string) => openWithPassword(path, { username: 'admin', password: SCALE_PASSWORD }) };
  log('[enc] list on the plaintext scale ledger, every case…');
  const plain = benchList(outDir, p, log);
  log('[enc] list on the encrypted copy, every case…');
  const encrypted = benchList(outDir, p, log, 200, variant);
  log('[enc] reading both files through (the same OS cache state for each side)…');
  readThrough(scale.path);
  readThrough(enc.path);
  const pairs: NonNullable<EncryptionResult['list']>['pairs'] = [];
  for (let k = 1; k <= PAIRS; k++) {
    const a = benchList(outDir, p, () => {}, 200, undefined, true).cases[0]!.stats;
    const b = benchList(outDir, p, () => {}, 200, variant, true).cases[0]!.stats;
    pairs.push({ plainMedian: a.median, encMedian: b.median, plainP95: a.p95, encP95: b.p95, ratio: round(b.median / a.median, 2) });
    log(`[enc] list pair ${k}/${PAIRS}: median ${a.median} → ${b.median} ms (${pairs.at(-1)!.ratio}×)`);
  }
  return {
    plain, encrypted, pairs, encryptSeconds: enc.seconds,
    medianRatio: median(pairs.map((x) => x.ratio)),
    p95Ratio: median(pairs.map((x) => round(x.encP95 / x.plainP95, 2))),
  };
}
