/**
 * The refusals of backup and restore: one reason code and one zh-CN sentence each, and the mapping
 * from what a failed write reports (SQLite's result code, Node's errno code) to them.
 *
 * What the writes report, measured on Linux (test/engine/backup.test.ts does it for real):
 * - a full file system (a small tmpfs filled up during the backup): VACUUM INTO fails with
 *   SQLITE_FULL; Node's own writes fail with ENOSPC;
 * - a file-size limit (RLIMIT_FSIZE, i.e. `ulimit -f`, the same errno EFBIG a FAT32 USB stick gives
 *   past 4 GiB): VACUUM INTO fails with SQLITE_IOERR_WRITE (better-sqlite3 does not expose the
 *   errno behind it); Node's writes fail with EFBIG. Node ignores SIGXFSZ, so the process lives.
 * After a failed VACUUM INTO the partial file is left behind truncated to 0 bytes. A generic
 * SQLITE_IOERR_WRITE is therefore told apart by looking at the destination afterwards: too little
 * free space there → disk full; a copy of 4 GiB or more → the file-size limit; else a plain failure.
 */
import { statfsSync } from 'node:fs';
import { DomainError } from '../domain/errors.js';

export type Operation = 'backup' | 'restore';

const UNCHANGED: Record<Operation, string> = { backup: '原台账未受影响', restore: '当前台账未受影响' };
const WHAT: Record<Operation, string> = { backup: '备份', restore: '恢复' };

export function diskFull(op: Operation = 'backup'): DomainError {
  return new DomainError('UNAVAILABLE', `磁盘空间不足，${WHAT[op]}未完成；${UNCHANGED[op]}。`, { reason: 'disk_full' });
}

export function fileTooLarge(op: Operation = 'backup'): DomainError {
  return new DomainError(
    'UNAVAILABLE',
    `目标磁盘不能存放这么大的单个文件（例如FAT32格式的U盘，单个文件不能超过4GB），${WHAT[op]}未完成；${UNCHANGED[op]}。请换用NTFS或exFAT格式的磁盘。`,
    { reason: 'file_too_large' },
  );
}

export function operationFailed(op: Operation, detail: string): DomainError {
  return new DomainError('UNAVAILABLE', `${WHAT[op]}未完成：${detail}；${UNCHANGED[op]}。`, { reason: op === 'backup' ? 'backup_failed' : 'restore_failed' });
}

export function backupForeign(): DomainError {
  return new DomainError('CONFLICT', '来自其他台账的备份，不能恢复到本台账。', { reason: 'backup_foreign' });
}

export function backupDamaged(detail: string): DomainError {
  return new DomainError('CORRUPT', `备份文件已损坏或被改动（${detail}），不能使用。`, { reason: 'backup_damaged' });
}

export function backupNewer(): DomainError {
  return new DomainError('CONFLICT', '该备份由更新版本的程序写入，请先升级本程序再恢复。', { reason: 'backup_newer' });
}

export function backupUnencrypted(): DomainError {
  return new DomainError('CONFLICT', '该文件是加密转换前的旧台账副本，不能在此恢复。', { reason: 'backup_unencrypted' });
}

export function backupMissing(): DomainError {
  return new DomainError('NOT_FOUND', '找不到该备份文件。', { reason: 'backup_missing' });
}

export function backupBusy(): DomainError {
  return new DomainError('CONFLICT', '另一项备份或恢复正在进行，请稍候再试。', { reason: 'backup_busy' });
}

export function folderUnusable(): DomainError {
  return new DomainError('VALIDATION', '所选文件夹不存在或不能写入，请另选文件夹。', { field: 'folder', reason: 'folder_unusable' });
}

/** FAT32's largest file is 4 GiB − 1 byte. */
const FAT32_MAX = 4 * 1024 ** 3 - 1;

/** Free bytes for an unprivileged writer in `dir` (null when the platform cannot say). */
export function freeBytes(dir: string): number | null {
  try {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

/** A failed write as a refusal. `needBytes`: the size the copy was expected to reach. */
export function classifyWriteError(e: unknown, op: Operation, dir: string, needBytes: number): DomainError {
  if (e instanceof DomainError) return e;
  const code = errorCode(e);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return diskFull(op);
  if (code === 'EFBIG') return fileTooLarge(op);
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') {
    const free = freeBytes(dir);
    if (free !== null && free < needBytes) return diskFull(op);
    if (needBytes >= FAT32_MAX) return fileTooLarge(op);
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return operationFailed(op, op === 'backup' ? '读取台账时发现数据页校验失败，台账文件可能已损坏，请从备份恢复或联系管理员' : '读取文件时发现数据页校验失败');
  }
  const detail = code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? '没有写入目标文件夹的权限，或该磁盘只读' : `写入时出错（${code || '未知错误'}）`;
  return operationFailed(op, detail);
}

export function errorCode(e: unknown): string {
  return e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string' ? (e as { code: string }).code : '';
}
