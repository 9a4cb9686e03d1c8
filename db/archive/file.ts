/**
 * The archive file (轮次归档文件): an encrypted ledger file of its own (SQLCipher, the same schema
 * by the same migrations, db/core/cipher.ts) holding one finished round, with a key file beside it
 * (`<archive>.keys`) that wraps the archive's random data key once only, by a recovery key of its
 * own (shown once when the archive is made). Nothing else opens it: not the working ledger's
 * passwords, not the working ledger's recovery key.
 *
 * The key file also carries the archive's seal: the file's SHA-256 and size, the round and the
 * source ledger, under an HMAC keyed from the archive's data key (so the seal cannot be rewritten
 * to match an altered file without the recovery key). Opening checks, in order: the recovery key
 * (FORBIDDEN wrong_recovery_key), the seal, the file's SHA-256 (CORRUPT archive_damaged), then
 * SQLCipher's page HMACs over every page (quick_check, CORRUPT archive_damaged). The connection is
 * read-only: nothing can be written through it.
 *
 * Its own key-file format ('xz-archive-keys', not the ledger's 'xz-ledger-keys'): an archive cannot
 * be mistaken for a working ledger and opened for writing by the log-in or recovery flow.
 */
import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { DomainError, forbidden } from '../domain/errors.js';
import { applyKey } from '../core/cipher.js';
import { keystorePath, parseRecoveryKey, unwrap, type Wrap } from '../core/keystore.js';
import { classifyFile, unusableFile } from '../core/ledger-file.js';
import { openLedger, type Ledger } from '../core/open.js';
import Database from 'better-sqlite3';

export const ARCHIVE_KEYS_FORMAT = 'xz-archive-keys';
export const ARCHIVE_KEYS_VERSION = 1;
export const ARCHIVE_FORMAT = 'xz-round-archive';
export const ARCHIVE_VERSION = 1;
/** The archive file's name ends so (the save dialog's filter). */
export const ARCHIVE_EXT = '.xzarchive';
/** The meta key of the manifest inside an archive. */
export const MANIFEST_KEY = 'archive_manifest';

/** What the key file says of the archive, under `mac`. */
export interface ArchiveSeal {
  roundId: string;
  roundName: string;
  sourceLedgerId: string;
  /** Hex SHA-256 of the archive file as written. */
  sha256: string;
  size: number;
  createdAt: string;
  /** Hex HMAC-SHA-256 of the fields above, under a key derived from the archive's data key. */
  mac: string;
}

export interface ArchiveKeystore {
  format: typeof ARCHIVE_KEYS_FORMAT;
  version: number;
  /** The archive's own id (also its meta `ledger_id`); the wrap's additional data binds to it. */
  archiveId: string;
  createdAt: string;
  /** Exactly one wrap, of kind 'recovery'. */
  wraps: Wrap[];
  seal: ArchiveSeal;
}

/** Stored in the archive's meta table under MANIFEST_KEY. */
export interface ArchiveManifest {
  format: typeof ARCHIVE_FORMAT;
  version: number;
  archiveId: string;
  sourceLedgerId: string;
  sourceOfficeId: string | null;
  sourceOfficeName: string | null;
  round: {
    id: string; name: string; level: string; form: string; kind: string;
    mobilisedOn: string | null; enteredOn: string | null; feedbackOn: string | null;
  };
  /** The round's records per table. */
  counts: Record<string, number>;
  /** Reference rows copied so the archive reads on its own (offices, users, categories…), per table. */
  references: Record<string, number>;
  /** Audit rows of the round's records, copied as they are. */
  auditRows: number;
  /** db/archive/scope.ts scopeDigest of the round's records. */
  scopeDigest: string;
  createdAt: string;
  createdBy: { id: string; displayName: string };
  /** Migrations applied to the archive (its schema version). */
  migrations: number;
  /** References the working ledger itself could not resolve (absent when none). */
  danglingReferences?: number;
}

// ---------------------------------------------------------------------------------------------
// Seal

function sealKey(dataKey: Buffer, archiveId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.from(archiveId, 'utf8'), Buffer.from('xz-archive-seal-v1', 'utf8'), 32));
}

export function sealMac(dataKey: Buffer, archiveId: string, s: Omit<ArchiveSeal, 'mac'>): string {
  const text = ['xz-archive-seal-v1', archiveId, s.roundId, s.roundName, s.sourceLedgerId, s.sha256, String(s.size), s.createdAt]
    .map((x) => `${Buffer.byteLength(x, 'utf8')}:${x}`).join('|');
  return createHmac('sha256', sealKey(dataKey, archiveId)).update(text, 'utf8').digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Files

/** Hex SHA-256 of a file, read in 1 MiB pieces (archives carry evidence files). */
export function fileSha256(path: string): { sha256: string; size: number } {
  const h = createHash('sha256');
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(1 << 20);
  let size = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
      size += n;
    }
  } finally {
    closeSync(fd);
  }
  return { sha256: h.digest('hex'), size };
}

const damaged = (detail: string) =>
  new DomainError('CORRUPT', `归档文件已损坏或被改动（${detail}），无法打开，未作任何改动。`, { reason: 'archive_damaged' });

export function readArchiveKeys(path: string): ArchiveKeystore {
  const kp = keystorePath(path);
  if (!existsSync(kp)) {
    throw new DomainError('NOT_FOUND', '找不到归档文件的钥匙文件（与归档文件同名、以 .keys 结尾），无法打开。请把它放回归档文件旁边。', { reason: 'archive_keys_missing' });
  }
  let k: Partial<ArchiveKeystore>;
  try {
    k = JSON.parse(readFileSync(kp, 'utf8')) as Partial<ArchiveKeystore>;
  } catch {
    throw new DomainError('CORRUPT', '归档文件的钥匙文件已损坏，无法读取。', { reason: 'archive_keys_damaged' });
  }
  if (!k || k.format !== ARCHIVE_KEYS_FORMAT || typeof k.archiveId !== 'string' || !Array.isArray(k.wraps) || !k.seal || typeof k.seal.sha256 !== 'string') {
    throw new DomainError('CORRUPT', '这不是归档文件的钥匙文件，或其格式不正确。', { reason: 'archive_keys_damaged' });
  }
  if ((k.version ?? 0) > ARCHIVE_KEYS_VERSION) {
    throw new DomainError('UNAVAILABLE', '该归档文件由更新版本的程序生成，请升级本程序后再打开。', { reason: 'archive_newer' });
  }
  return k as ArchiveKeystore;
}

/** The archive's data key from its recovery key (as typed), or the refusal. */
export function archiveDataKey(keys: ArchiveKeystore, recoveryKeyTyped: string): Buffer {
  const parsed = parseRecoveryKey(recoveryKeyTyped);
  if (!parsed.ok) {
    throw new DomainError('VALIDATION', parsed.reason === 'recovery_key_typo' ? '恢复密钥校验不符，可能有输入错误，请逐组核对。' : '恢复密钥应为8组、每组4个字符。', { field: 'recoveryKey', reason: parsed.reason });
  }
  const w = keys.wraps.find((x) => x.kind === 'recovery');
  const key = w ? unwrap(keys.archiveId, w, parsed.key) : null;
  if (!key) throw forbidden('恢复密钥不正确：它不是这份归档文件的恢复密钥。', 'wrong_recovery_key');
  return key;
}

/** The file's kind before anything opens it: damage is named as such. */
function checkFileKind(path: string): void {
  const kind = classifyFile(path);
  if (kind === 'missing') throw new DomainError('NOT_FOUND', '找不到归档文件。', { reason: 'archive_missing' });
  const bad = unusableFile(kind, '归档文件');
  if (bad) throw new DomainError('CORRUPT', bad.message, { reason: 'archive_damaged' });
  if (kind === 'plain') throw new DomainError('CORRUPT', '该文件不是加密的归档文件。', { reason: 'not_an_archive' });
}

/**
 * SQLCipher's own check: every page read and its HMAC verified (quick_check reads them all), on a
 * read-only connection. Catches a changed page even when the recorded SHA-256 was not consulted.
 */
export function checkArchivePages(path: string, key: Buffer): void {
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    applyKey(db, key);
    const rows = db.pragma('quick_check', { simple: false }) as Array<Record<string, string>>;
    const msgs = rows.map((r) => Object.values(r)[0]).filter((m) => m !== 'ok');
    if (msgs.length > 0) throw damaged(`结构检查未通过：${msgs[0]}`);
  } catch (e) {
    if (e instanceof DomainError) throw e;
    if (e instanceof Database.SqliteError) throw damaged(`页校验失败：${e.code}`);
    throw e;
  } finally {
    db?.close();
  }
}

export interface OpenedArchive {
  /** Read-only: every write through it fails (SQLITE_READONLY). Close it when done. */
  ledger: Ledger;
  manifest: ArchiveManifest;
  keys: ArchiveKeystore;
  sha256: string;
  size: number;
}

export interface OpenArchiveOptions {
  /** The SHA-256 the caller expects (e.g. from the purge record); checked as well as the seal's. */
  sha256?: string;
  migrationsFolder?: string;
}

/**
 * Open an archive read-only with its recovery key, after checking the key, the seal, the file's
 * SHA-256 and every page. Changes nothing on disk.
 */
export function openArchive(path: string, recoveryKey: string, opts: OpenArchiveOptions = {}): OpenedArchive {
  checkFileKind(path);
  const keys = readArchiveKeys(path);
  const key = archiveDataKey(keys, recoveryKey);
  try {
    const { mac, ...fields } = keys.seal;
    const expected = sealMac(key, keys.archiveId, fields);
    if (typeof mac !== 'string' || mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) {
      throw new DomainError('CORRUPT', '归档文件的钥匙文件被改动过（封签校验失败），无法打开。', { reason: 'archive_keys_damaged' });
    }
    const { sha256, size } = fileSha256(path);
    if (sha256 !== keys.seal.sha256 || size !== keys.seal.size) throw damaged('SHA-256 与归档时不符');
    if (opts.sha256 !== undefined && opts.sha256.toLowerCase() !== sha256) throw damaged('SHA-256 与清理记录中的不符');
    checkArchivePages(path, key);
    let ledger: Ledger;
    try {
      ledger = openLedger(path, { readonly: true, key, ...(opts.migrationsFolder ? { migrationsFolder: opts.migrationsFolder } : {}) });
    } catch (e) {
      if (e instanceof DomainError && e.code === 'CORRUPT') throw damaged('无法读取');
      throw e;
    }
    try {
      const manifest = readManifest(ledger);
      const id = ledger.sqlite.prepare("SELECT value FROM meta WHERE key = 'ledger_id'").get() as { value: string } | undefined;
      if (!manifest || id?.value !== keys.archiveId || manifest.archiveId !== keys.archiveId
        || manifest.round.id !== keys.seal.roundId || manifest.sourceLedgerId !== keys.seal.sourceLedgerId) {
        throw damaged('归档内容与钥匙文件不对应');
      }
      return { ledger, manifest, keys, sha256, size };
    } catch (e) {
      ledger.close();
      throw e;
    }
  } finally {
    key.fill(0);
  }
}

export function readManifest(ledger: Ledger): ArchiveManifest | null {
  const row = ledger.sqlite.prepare('SELECT value FROM meta WHERE key = ?').get(MANIFEST_KEY) as { value: string } | undefined;
  if (!row) return null;
  try {
    const m = JSON.parse(row.value) as ArchiveManifest;
    return m.format === ARCHIVE_FORMAT ? m : null;
  } catch {
    return null;
  }
}
