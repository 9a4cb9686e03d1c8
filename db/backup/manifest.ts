/**
 * A backup on disk is three files with one name:
 * - `<name>.sqlite`: the encrypted copy (same data key and cipher as the ledger);
 * - `<name>.sqlite.keys`: the key file as it was (its anchor set to the copy's audit head), so the
 *   passwords and the recovery key of that moment open the copy even if the ledger's own key file
 *   is lost;
 * - `<name>.json`: the manifest, written last (a backup without one did not finish). It holds no
 *   ledger content: ids, dates, sizes, counts, the audit head, the SHA-256 of the copy, and an
 *   HMAC under a key derived from the data key, so a manifest edited by hand is noticed.
 *
 * Names sort by time: `备份-20240615-103000-manual`, and `恢复前-20240615-103000` for the ledger a
 * restore replaced (local time of the machine).
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/keystore.js';
import { classifyFile } from '../core/ledger-file.js';
import type { SchemaVersion } from './inspect.js';

export const BACKUP_REASONS = ['schedule', 'manual', 'before_migration', 'before_import', 'before_restore', 'folder'] as const;
export type BackupReason = (typeof BACKUP_REASONS)[number];

export const REASON_LABELS: Record<BackupReason, string> = {
  schedule: '定时备份',
  manual: '手动备份',
  before_migration: '升级前备份',
  before_import: '导入前备份',
  before_restore: '恢复前的台账',
  folder: '备份到文件夹',
};

/** How many backups of each automatic kind to keep; the kinds not named are never removed automatically. */
export type RotationPolicy = Partial<Record<BackupReason, number>>;
export const DEFAULT_ROTATION: RotationPolicy = { schedule: 7, before_migration: 5, before_import: 5 };

export const MANIFEST_FORMAT = 'xz-ledger-backup';
export const MANIFEST_VERSION = 1;

export interface BackupManifest {
  format: typeof MANIFEST_FORMAT;
  version: number;
  ledgerId: string;
  /** ISO instant the copy was taken. */
  createdAt: string;
  reason: BackupReason;
  /** File names, in the manifest's folder. */
  file: string;
  keysFile: string | null;
  bytes: number;
  sha256: string;
  schema: SchemaVersion;
  appVersion: string | null;
  /** Rows per main table (db/backup/inspect.ts COUNTED_TABLES). */
  counts: Record<string, number>;
  audit: { seq: number; hash: string };
  /** The check made right after writing (a before_restore copy is recorded even if it fails). */
  verified: { at: string; integrity: string; auditOk: boolean; auditRows: number };
  /** Free-form facts (e.g. which backup replaced this ledger). */
  note?: Record<string, string | number>;
  /** HMAC-SHA-256 over the rest (canonical JSON), hex. */
  mac: string;
}

// ---------------------------------------------------------------------------------------------
// Names

export function timeStamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

export const sqliteName = (name: string) => `${name}.sqlite`;
export const keysName = (name: string) => `${name}.sqlite.keys`;
export const manifestName = (name: string) => `${name}.json`;

/** A name not yet used in `dir` for a backup taken at `ms` for `reason`. */
export function backupName(dir: string, ms: number, reason: BackupReason): string {
  const base = reason === 'before_restore' ? `恢复前-${timeStamp(ms)}` : `备份-${timeStamp(ms)}-${reason}`;
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}-${i}`;
    if (![sqliteName(name), keysName(name), manifestName(name), `${sqliteName(name)}.part`].some((f) => existsSync(join(dir, f)))) return name;
  }
}

/** The backup name of a `.sqlite` path (its file name without the extension). */
export function nameOf(sqlitePath: string): string {
  const base = sqlitePath.split(/[\\/]/).pop()!;
  return base.endsWith('.sqlite') ? base.slice(0, -'.sqlite'.length) : base;
}

// ---------------------------------------------------------------------------------------------
// The manifest's MAC

function manifestKey(dataKey: Buffer, ledgerId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.from(ledgerId, 'utf8'), Buffer.from('xz-backup-manifest-v1', 'utf8'), 32));
}

function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
}

export function manifestMac(m: Omit<BackupManifest, 'mac'>, dataKey: Buffer): string {
  const { mac: _mac, ...rest } = m as BackupManifest;
  return createHmac('sha256', manifestKey(dataKey, m.ledgerId)).update(canonical(rest)).digest('hex');
}

export function sealManifest(m: Omit<BackupManifest, 'mac'>, dataKey: Buffer): BackupManifest {
  return { ...m, mac: manifestMac(m, dataKey) };
}

export function manifestMacOk(m: BackupManifest, dataKey: Buffer): boolean {
  return manifestMac(m, dataKey) === m.mac;
}

// ---------------------------------------------------------------------------------------------
// Reading and writing

export function writeManifest(dir: string, name: string, m: BackupManifest): void {
  writeFileAtomic(join(dir, manifestName(name)), JSON.stringify(m, null, 1));
}

export type ManifestRead = { ok: true; manifest: BackupManifest } | { ok: false; problem: 'manifest_missing' | 'manifest_damaged' };

export function readManifest(dir: string, name: string): ManifestRead {
  const p = join(dir, manifestName(name));
  if (!existsSync(p)) return { ok: false, problem: 'manifest_missing' };
  try {
    const m = JSON.parse(readFileSync(p, 'utf8')) as Partial<BackupManifest>;
    if (
      m.format !== MANIFEST_FORMAT || typeof m.ledgerId !== 'string' || typeof m.createdAt !== 'string' || typeof m.sha256 !== 'string' ||
      typeof m.bytes !== 'number' || !BACKUP_REASONS.includes(m.reason as BackupReason) || typeof m.mac !== 'string' || !m.audit || !m.counts
    ) {
      return { ok: false, problem: 'manifest_damaged' };
    }
    return { ok: true, manifest: m as BackupManifest };
  } catch {
    return { ok: false, problem: 'manifest_damaged' };
  }
}

// ---------------------------------------------------------------------------------------------
// Listing

export interface BackupProblem {
  reason: string;
  message: string;
}

export interface BackupEntry {
  name: string;
  /** The `.sqlite` file (it may be missing: see problems). */
  path: string;
  manifest: BackupManifest | null;
  createdAt: string | null;
  reason: BackupReason | null;
  bytes: number | null;
  /** Empty for a complete backup of this ledger; else what is wrong (shown, never hidden). */
  problems: BackupProblem[];
}

const PROBLEMS: Record<string, string> = {
  manifest_missing: '缺少备份说明文件：该备份可能没有完成，恢复前会完整校验。',
  manifest_damaged: '备份说明文件已损坏。',
  file_missing: '备份文件缺失，只剩说明文件。',
  size_mismatch: '备份文件大小与说明不符：文件可能被截断或改动。',
  keys_missing: '缺少钥匙文件副本（恢复到本台账不需要它）。',
  foreign: '来自其他台账的备份。',
  unencrypted: '未加密的旧台账副本（加密转换前的备份）。',
  not_verified: '写入后的校验未通过。',
};

const problem = (reason: string): BackupProblem => ({ reason, message: PROBLEMS[reason]! });

/**
 * The backups in `dir`, newest first: every `.sqlite` file and every manifest, paired by name. Cheap
 * (no file is opened with the key): size and presence checks only; verifyBackup does the rest.
 * With `ledgerId`, a backup of another ledger is listed with the problem 'foreign'.
 */
export function listBackups(dir: string, opts: { ledgerId?: string } = {}): BackupEntry[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir);
  const names = new Set<string>();
  for (const f of files) {
    if (f.endsWith('.sqlite')) names.add(f.slice(0, -'.sqlite'.length));
    else if (f.endsWith('.json')) names.add(f.slice(0, -'.json'.length));
  }
  const out: BackupEntry[] = [];
  for (const name of names) {
    const path = join(dir, sqliteName(name));
    const m = readManifest(dir, name);
    const hasFile = existsSync(path);
    if (!hasFile && !m.ok) continue; // some other JSON file
    const problems: BackupProblem[] = [];
    const bytes = hasFile ? statSync(path).size : null;
    if (!m.ok) problems.push(problem(m.problem));
    if (!hasFile) problems.push(problem('file_missing'));
    if (hasFile && isPlaintext(path)) problems.push(problem('unencrypted'));
    let manifest: BackupManifest | null = null;
    if (m.ok) {
      manifest = m.manifest;
      if (hasFile && bytes !== manifest.bytes) problems.push(problem('size_mismatch'));
      if (!manifest.keysFile || !existsSync(join(dir, manifest.keysFile))) problems.push(problem('keys_missing'));
      if (opts.ledgerId && manifest.ledgerId !== opts.ledgerId) problems.push(problem('foreign'));
      if (manifest.verified.integrity !== 'ok' || !manifest.verified.auditOk) problems.push(problem('not_verified'));
    }
    out.push({
      name, path, manifest,
      createdAt: manifest?.createdAt ?? (hasFile ? statSync(path).mtime.toISOString() : null),
      reason: manifest?.reason ?? null,
      bytes,
      problems,
    });
  }
  return out.sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || b.name.localeCompare(a.name));
}

function isPlaintext(path: string): boolean {
  try {
    return classifyFile(path) === 'plain';
  } catch {
    return false;
  }
}

/** Remove one backup's files (the copy, its key-file copy, its manifest). */
export function removeBackup(dir: string, name: string): void {
  for (const f of [sqliteName(name), keysName(name), manifestName(name)]) rmSync(join(dir, f), { force: true });
}

/**
 * Keep the newest N complete backups of this ledger per automatic kind (policy); older ones of
 * that kind are removed. Backups of other ledgers, of kinds not in the policy (manual, folder,
 * before_restore) and entries with problems are never touched. Returns the names removed.
 */
export function rotateBackups(dir: string, ledgerId: string, policy: RotationPolicy = DEFAULT_ROTATION): string[] {
  const removed: string[] = [];
  const all = listBackups(dir, { ledgerId });
  for (const [reason, keep] of Object.entries(policy) as Array<[BackupReason, number]>) {
    const mine = all.filter((e) => e.manifest && e.manifest.ledgerId === ledgerId && e.reason === reason && e.problems.every((p) => p.reason === 'keys_missing'));
    for (const e of mine.slice(Math.max(0, keep))) {
      removeBackup(dir, e.name);
      removed.push(e.name);
    }
  }
  return removed;
}
