/**
 * Bench (d): the cost of encryption at rest. The same work on a plaintext file and on an
 * encrypted one (SQLCipher 3 format through SQLite3 Multiple Ciphers, the app's format):
 *  - bulk creation through the services (bench/bulk.ts), engine and raw INSERT sides;
 *  - the problem list on the 1,000,000-problem ledger (bench/list.ts) against an encrypted copy
 *    of the same file (made once with the app's conversion and cached beside it).
 * Targets (issue 9): list ≤ 1.3× and bulk creation ≤ 1.5× of plaintext.
 */
import { copyFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { newDataKey } from '../db/core/keystore.js';
import { CIPHER_PAGE_SIZE } from '../db/core/cipher.js';
import { encryptGeneratedLedger, openWithPassword } from '../db/session/provision.js';
import { benchBulk, type BulkResult } from './bulk.js';
import { benchList, ensureScaleLedger, type ListResult, type ScaleParams } from './list.js';
import { SCALE_PASSWORD } from './scale.js';
import { round } from './stats.js';

export interface EncryptionResult {
  bulk: { plain: BulkResult; encrypted: BulkResult; engineRatio: number; rawRatio: number } | null;
  list: { plain: ListResult; encrypted: ListResult; medianRatio: number; p95Ratio: number; encryptSeconds: number | null } | null;
}

export const ENCRYPTION_TARGETS = { listRatio: 1.3, bulkRatio: 1.5 };

export function benchEncryptionBulk(outDir: string, n: number, log: (s: string) => void): EncryptionResult['bulk'] {
  log(`[enc] bulk ${n}: plaintext…`);
  const plain = benchBulk(outDir, n, 1000, log);
  log(`[enc] bulk ${n}: encrypted…`);
  const encrypted = benchBulk(outDir, n, 1000, log, newDataKey());
  return {
    plain, encrypted,
    engineRatio: round(encrypted.engine.seconds / plain.engine.seconds, 3),
    rawRatio: round(encrypted.raw.seconds / plain.raw.seconds, 3),
  };
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
  log('[enc] list on the plaintext scale ledger…');
  const plain = benchList(outDir, p, log);
  log('[enc] list on the encrypted copy…');
  const encrypted = benchList(outDir, p, log, 200, { path: enc.path, open: (path) => openWithPassword(path, { username: 'admin', password: SCALE_PASSWORD }) });
  const a = plain.cases[0]!.stats;
  const b = encrypted.cases[0]!.stats;
  return { plain, encrypted, medianRatio: round(b.median / a.median, 2), p95Ratio: round(b.p95 / a.p95, 2), encryptSeconds: enc.seconds };
}
