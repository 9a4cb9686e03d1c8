/**
 * Ledger files on disk: what a file is before anything opens it, creating an encrypted ledger with
 * its key file, opening one with its data key, and converting a plaintext ledger made before
 * encryption. Every failure is a DomainError with a specific reason and a zh-CN message, and none
 * of them changes the file.
 */
import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DomainError } from '../domain/errors.js';
import { applyKey, CIPHER_PAGE_SIZE } from './cipher.js';
import { keystorePath, readKeystore, type Keystore } from './keystore.js';
import { openLedger, type Ledger, type OpenOptions } from './open.js';

export type FileKind = 'missing' | 'plain' | 'encrypted' | 'empty' | 'zeroed' | 'truncated';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** Look at a file's first bytes and size only. */
export function classifyFile(path: string): FileKind {
  if (!existsSync(path)) return 'missing';
  const size = statSync(path).size;
  if (size === 0) return 'empty';
  const head = Buffer.alloc(Math.min(size, 4096));
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (head.subarray(0, 16).equals(SQLITE_MAGIC)) return 'plain';
  if (head.every((b) => b === 0)) return 'zeroed';
  // An encrypted ledger is whole pages; anything else was cut short.
  if (size % CIPHER_PAGE_SIZE !== 0) return 'truncated';
  return 'encrypted';
}

/** The refusal for a file that cannot be a ledger at all, or null when it may be one. */
export function unusableFile(kind: FileKind, what = '台账文件'): DomainError | null {
  switch (kind) {
    case 'empty':
      return new DomainError('CORRUPT', `${what}是空的（0字节），无法打开。请从备份恢复。`, { reason: 'file_empty' });
    case 'zeroed':
      return new DomainError('CORRUPT', `${what}的内容已被清零，无法打开。请从备份恢复。`, { reason: 'file_zeroed' });
    case 'truncated':
      return new DomainError('CORRUPT', `${what}不完整（文件被截断），无法打开。请从备份恢复。`, { reason: 'file_truncated' });
    default:
      return null;
  }
}

export interface OpenedEncrypted {
  ledger: Ledger;
  keystore: Keystore;
}

/**
 * Open an encrypted ledger with its data key. The key was unwrapped from this ledger's key file,
 * so a refusal here means the ledger file is not the one the key file belongs to (copied in from
 * another office or another ledger) or is damaged.
 */
export function openEncrypted(path: string, key: Buffer, keystore: Keystore, opts: Omit<OpenOptions, 'key' | 'image'> = {}): Ledger {
  const kind = classifyFile(path);
  const bad = unusableFile(kind);
  if (bad) throw bad;
  if (kind === 'missing') throw new DomainError('NOT_FOUND', '找不到台账文件。', { reason: 'file_missing' });
  if (kind === 'plain') throw new DomainError('CONFLICT', '该台账文件尚未加密，需要先转换。', { reason: 'needs_conversion' });
  let ledger: Ledger;
  try {
    ledger = openLedger(path, { ...opts, key });
  } catch (e) {
    if (e instanceof DomainError && e.code === 'CORRUPT' && e.reason === 'SQLITE_NOTADB') {
      throw new DomainError('CORRUPT', '台账文件与钥匙文件不匹配：该文件可能来自其他单位或其他台账，未作任何改动。', { reason: 'foreign_ledger' });
    }
    throw e;
  }
  const stored = ledger.sqlite.prepare("SELECT value FROM meta WHERE key = 'ledger_id'").get() as { value: string } | undefined;
  if (!stored) {
    ledger.sqlite.prepare("INSERT INTO meta (key, value) VALUES ('ledger_id', ?)").run(keystore.ledgerId);
  } else if (stored.value !== keystore.ledgerId) {
    ledger.close();
    throw new DomainError('CORRUPT', '台账文件与钥匙文件不匹配：该文件可能来自其他单位或其他台账，未作任何改动。', { reason: 'foreign_ledger' });
  }
  return ledger;
}

/** Create a new, empty encrypted ledger (migrations applied) bound to `keystore`. */
export function createEncrypted(path: string, key: Buffer, keystore: Keystore, opts: Omit<OpenOptions, 'key' | 'image'> = {}): Ledger {
  if (existsSync(path)) throw new DomainError('CONFLICT', '台账文件已经存在。', { reason: 'file_exists' });
  const ledger = openLedger(path, { ...opts, key });
  ledger.sqlite.prepare("INSERT INTO meta (key, value) VALUES ('ledger_id', ?)").run(keystore.ledgerId);
  return ledger;
}

/** The key file beside a ledger, read (null when there is none). */
export function keystoreOf(path: string): Keystore | null {
  return readKeystore(keystorePath(path));
}

/**
 * Encrypt a plaintext ledger under `key`: a consistent copy (VACUUM INTO), its pages set to the
 * cipher's page size, re-keyed, checked, then moved into place. The plaintext original is kept as
 * `backupPath` (the backup taken before conversion; null for a file just generated); nothing is changed if any step fails.
 * Re-keying needs a rollback journal (not WAL: STACK.md), which the fresh copy has.
 */
export function encryptPlainFile(path: string, key: Buffer, backupPath: string | null): void {
  if (classifyFile(path) !== 'plain') throw new DomainError('CONFLICT', '该文件不是未加密的台账。', { reason: 'not_plain' });
  const tmp = `${path}.converting`;
  rmSync(tmp, { force: true });
  try {
    // Fold a WAL left by an earlier crash into the file first: a plaintext WAL beside the
    // encrypted file after the rename would make it unopenable.
    const src = new Database(path);
    try {
      src.pragma('wal_checkpoint(TRUNCATE)');
      src.prepare('VACUUM INTO ?').run(tmp);
    } finally {
      src.close();
    }
    const out = new Database(tmp);
    try {
      out.pragma(`page_size = ${CIPHER_PAGE_SIZE}`);
      out.exec('VACUUM');
      out.pragma("cipher = 'sqlcipher'");
      out.pragma('legacy = 3');
      out.pragma(`legacy_page_size = ${CIPHER_PAGE_SIZE}`);
      out.pragma(`rekey = "x'${key.toString('hex')}'"`);
    } finally {
      out.close();
    }
    const check = new Database(tmp);
    try {
      applyKey(check, key);
      const ok = check.pragma('integrity_check', { simple: true });
      if (ok !== 'ok') throw new DomainError('CORRUPT', `转换后的台账未通过完整性检查（${String(ok)}），原文件未改动。`, { reason: 'conversion_failed' });
    } finally {
      check.close();
    }
    // The original (with its WAL folded in by VACUUM INTO above) becomes the pre-conversion backup.
    if (backupPath) {
      copyFileSync(path, backupPath);
      for (const s of ['-wal', '-shm']) if (existsSync(path + s)) copyFileSync(path + s, backupPath + s);
    }
    fsyncFile(tmp);
    for (const s of ['-wal', '-shm']) rmSync(path + s, { force: true });
    renameSync(tmp, path);
    fsyncDir(dirname(path));
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
