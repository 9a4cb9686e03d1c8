/**
 * 恢复: replace the ledger with a verified backup, keeping the current ledger aside.
 *
 * Sequence (the host supplies `closeLedger`; everything else happens here):
 * 1. verify the backup (db/backup/backup.ts verifyBackup): this ledger's, bytes as recorded,
 *    opens with the key, integrity 'ok', audit chain holds, not from a newer version;
 * 2. copy it beside the ledger (`<ledger>.restoring`, fsynced) — a full disk fails here, with
 *    nothing changed yet;
 * 3. `closeLedger()`: the host closes its connection and keeps the key;
 * 4. if the current ledger still holds the backup's audit head unchanged (it grew from it), move
 *    the anchor back to that head first: then whichever file a crash leaves in place passes the
 *    anchor check at the next start-up;
 * 5. move the current ledger (+ -wal/-shm) to `<backups>/恢复前-<time>.sqlite`, the staged copy to
 *    the ledger's path;
 * 6. open the restored ledger (pending migrations run if the backup is older), record the restore
 *    in its audit trail (action 'restored': the backup's name, date and head, the replaced
 *    ledger's head) and reset the key file's anchor to the new head (resetAnchor);
 * 7. give the set-aside ledger a key-file copy and a manifest (reason 'before_restore'), so it is
 *    listed and can itself be restored (its journal mode is first set back to DELETE like every
 *    other backup's: a WAL-mode file verified read-only would leave -wal/-shm files behind).
 * A failure in 4–6 puts the current ledger and the anchor back and is refused ('restore_failed',
 * 'disk_full'); the key file's wraps are never touched: passwords set since the backup keep
 * working (the data key never changes).
 */
import { copyFile } from 'node:fs/promises';
import { existsSync, mkdirSync, renameSync, rmSync, copyFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, basename } from 'node:path';
import { anchorHead } from '../core/anchor.js';
import { appendEvent } from '../core/audit.js';
import type { Clock } from '../core/clock.js';
import { inTransaction, type ActingUser } from '../core/context.js';
import type { IdSource } from '../core/ids.js';
import { anchorKey, anchorMac, keystorePath, writeFileAtomic, writeKeystore, type Anchor, type Keystore } from '../core/keystore.js';
import { openEncrypted } from '../core/ledger-file.js';
import type { Ledger } from '../core/open.js';
import { DomainError } from '../domain/errors.js';
import { FREE_SPACE_RESERVE, manifestOf, runInWorker, verifyBackup, withBusy, type VerifiedBackup } from './backup.js';
import { classifyWriteError, diskFull, errorCode, freeBytes, operationFailed } from './errors.js';
import { auditHead, fsyncFile, openKeyed, type Inspection } from './inspect.js';
import { backupName, keysName, sealManifest, sqliteName, writeManifest, type BackupManifest } from './manifest.js';

/**
 * Point the key file's audit anchor at the ledger's current head (signed with the anchor key) and
 * write the key file. After a restore the old anchor names rows the restored ledger never had.
 */
export function resetAnchor(ledger: Ledger, key: Buffer, keystore: Keystore, ledgerPath: string, clock: Clock): Anchor {
  keystore.anchor = anchorHead(ledger, keystore.ledgerId, anchorKey(key, keystore.ledgerId), clock);
  writeKeystore(keystorePath(ledgerPath), keystore);
  return keystore.anchor;
}

export interface RestoreProgress {
  phase: 'verify' | 'stage' | 'swap' | 'record' | 'set_aside' | 'finish';
}

export interface RestoreOptions {
  ledgerPath: string;
  /** The backup's `.sqlite` file. */
  backupPath: string;
  key: Buffer;
  /** The host's key file object: its anchor is updated in place (and written). */
  keystore: Keystore;
  /** Where the replaced ledger goes (the app's `<ledger dir>/backups`). */
  backupsDir: string;
  clock: Clock;
  ids: IdSource;
  /** Who restores (recorded in the audit trail). */
  user: ActingUser | null;
  migrationsFolder?: string;
  /** Close the app's connection to the ledger, keeping the key: called after verification. */
  closeLedger: () => void;
  appVersion?: string;
  inThread?: boolean;
  onProgress?: (p: RestoreProgress) => void;
}

export interface RestoreResult {
  restored: VerifiedBackup;
  setAside: { name: string; path: string; headSeq: number | null; manifest: BackupManifest | null; problem: string | null };
  /** The audit row that records the restore. */
  auditSeq: number;
}

export function restoreBackup(o: RestoreOptions): Promise<RestoreResult> {
  const key = Buffer.from(o.key);
  return withBusy(async () => {
    try {
      return await restore(o, key);
    } finally {
      key.fill(0);
    }
  });
}

async function restore(o: RestoreOptions, key: Buffer): Promise<RestoreResult> {
  const ks = o.keystore;
  const ledgerId = ks.ledgerId;
  const ledgerDir = dirname(o.ledgerPath);
  if (resolve(o.backupPath) === resolve(o.ledgerPath)) throw new DomainError('VALIDATION', '不能用台账文件本身恢复。', { field: 'path', reason: 'backup_is_ledger' });

  o.onProgress?.({ phase: 'verify' });
  const v = await verifyBackup(o.backupPath, { key, ledgerId, ...(o.migrationsFolder ? { migrationsFolder: o.migrationsFolder } : {}), ...(o.inThread ? { inThread: true } : {}) });

  // Stage the copy beside the ledger: a full disk is found here, before anything moves.
  o.onProgress?.({ phase: 'stage' });
  const staging = `${o.ledgerPath}.restoring`;
  const free = freeBytes(ledgerDir);
  if (free !== null && free < v.bytes + FREE_SPACE_RESERVE) throw diskFull('restore');
  try {
    rmSync(staging, { force: true });
    await copyFile(o.backupPath, staging);
    fsyncFile(staging);
    if (statSync(staging).size !== v.bytes) throw operationFailed('restore', '复制备份文件不完整');
  } catch (e) {
    rmSync(staging, { force: true });
    throw classifyWriteError(e, 'restore', ledgerDir, v.bytes);
  }

  try {
    o.closeLedger();
  } catch (e) {
    rmSync(staging, { force: true });
    throw e;
  }
  o.onProgress?.({ phase: 'swap' });
  const before = structuredClone(ks);
  const current = currentHead(o.ledgerPath, key, v.audit);
  const now = o.clock.now();
  let setAsideName = '';
  let setAsidePath = '';
  let moved = false;
  let ledger: Ledger | null = null;
  let auditSeq = 0;
  let stage: 'swap' | 'open' = 'swap';
  try {
    if (current.holdsBackupHead && v.audit.seq > 0) {
      const aKey = anchorKey(key, ledgerId);
      ks.anchor = { seq: v.audit.seq, hash: v.audit.hash, at: new Date(now).toISOString(), mac: anchorMac(aKey, ledgerId, v.audit.seq, v.audit.hash) };
      writeKeystore(keystorePath(o.ledgerPath), ks);
    }
    mkdirSync(o.backupsDir, { recursive: true });
    setAsideName = backupName(o.backupsDir, now, 'before_restore');
    setAsidePath = join(o.backupsDir, sqliteName(setAsideName));
    moveFile(o.ledgerPath, setAsidePath);
    moved = true;
    for (const s of ['-wal', '-shm']) if (existsSync(o.ledgerPath + s)) moveFile(o.ledgerPath + s, setAsidePath + s);
    renameSync(staging, o.ledgerPath);

    o.onProgress?.({ phase: 'record' });
    stage = 'open';
    ledger = openEncrypted(o.ledgerPath, key, ks, o.migrationsFolder ? { migrationsFolder: o.migrationsFolder } : {});
    const ctx = { ledger, clock: o.clock, ids: o.ids, user: o.user };
    inTransaction(ctx, () => appendEvent(ctx, {
      action: 'restored', entity: 'ledger', entityId: ledgerId,
      detail: {
        backup: basename(o.backupPath), backupCreatedAt: v.createdAt, backupHeadSeq: v.audit.seq,
        replacedHeadSeq: current.head?.seq ?? null, setAside: basename(setAsidePath),
      },
    }));
    auditSeq = ledger.state.lastAuditSeq;
    resetAnchor(ledger, key, ks, o.ledgerPath, o.clock);
    ledger.close();
    ledger = null;
  } catch (e) {
    ledger?.close();
    if (moved) {
      for (const s of ['', '-wal', '-shm']) rmSync(o.ledgerPath + s, { force: true });
      moveFile(setAsidePath, o.ledgerPath);
      for (const s of ['-wal', '-shm']) if (existsSync(setAsidePath + s)) moveFile(setAsidePath + s, o.ledgerPath + s);
    }
    rmSync(staging, { force: true });
    ks.anchor = before.anchor;
    try {
      writeKeystore(keystorePath(o.ledgerPath), ks);
    } catch {
      // The key file on disk still holds the anchor it had, or the backup head (valid for both files).
    }
    const refusal = classifyWriteError(e, 'restore', ledgerDir, v.bytes);
    if (stage === 'open' && refusal.reason === 'restore_failed') {
      const why = (e instanceof DomainError ? e.message : errorCode(e) || (e instanceof Error ? e.message : String(e))).slice(0, 120);
      throw operationFailed('restore', `打开或升级恢复的台账时出错（${why}），已换回原台账`);
    }
    throw refusal;
  }

  o.onProgress?.({ phase: 'set_aside' });
  const setAside = await describeSetAside(o, key, before, setAsideName, v, current.head?.seq ?? null);
  o.onProgress?.({ phase: 'finish' });
  return { restored: v, setAside, auditSeq };
}

/** The current ledger's head, and whether it still holds the backup's head row unchanged. */
function currentHead(path: string, key: Buffer, backupHead: { seq: number; hash: string }): { head: { seq: number; hash: string } | null; holdsBackupHead: boolean } {
  // Opened writable: closing it checkpoints and removes a WAL left behind, so the file moves whole.
  let db;
  try {
    db = openKeyed(path, key, true);
  } catch {
    return { head: null, holdsBackupHead: false };
  }
  try {
    const head = auditHead(db);
    const row = backupHead.seq > 0 ? (db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(backupHead.seq) as { hash: string } | undefined) : undefined;
    return { head, holdsBackupHead: row?.hash === backupHead.hash };
  } catch {
    // The current ledger is damaged (perhaps why it is being restored): it is set aside as it is.
    return { head: null, holdsBackupHead: false };
  } finally {
    db.close();
  }
}

function toRollbackJournal(path: string, key: Buffer): void {
  let db;
  try {
    db = openKeyed(path, key, true);
  } catch {
    return; // unreadable with the key: kept as it is (the manifest step reports it)
  }
  try {
    db.pragma('journal_mode = DELETE');
  } catch {
    // damaged: kept as it is
  } finally {
    db.close();
  }
}

function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (e) {
    if (errorCode(e) !== 'EXDEV') throw e;
    copyFileSync(from, to);
    fsyncFile(to);
    rmSync(from);
  }
}

/** The replaced ledger as a backup: its key file as it was and a manifest (reason 'before_restore'). */
async function describeSetAside(o: RestoreOptions, key: Buffer, keysBefore: Keystore, name: string, v: VerifiedBackup, headSeq: number | null): Promise<RestoreResult['setAside']> {
  const path = join(o.backupsDir, sqliteName(name));
  try {
    writeFileAtomic(join(o.backupsDir, keysName(name)), JSON.stringify({ ...keysBefore, throttle: {}, pending: [] }, null, 1));
    // A rollback journal like every other backup: verified read-only later, a WAL-mode file would
    // leave -wal/-shm files behind (and could not be opened on a read-only medium).
    toRollbackJournal(path, key);
    const jobKey = Buffer.from(key);
    let out: { inspection: Inspection | null; sha256: string; refusal: string | null };
    try {
      out = (await runInWorker({ job: 'inspect', file: path, key: jobKey, integrity: true, writable: true, sha256: true }, undefined, o.inThread === true)) as typeof out;
    } finally {
      jobKey.fill(0);
    }
    if (!out.inspection) return { name, path, headSeq, manifest: null, problem: '被替换的台账无法用数据密钥读取，已原样保留。' };
    const clock = o.clock;
    const manifest = sealManifest(manifestOf({
      ledgerId: o.keystore.ledgerId, createdAt: new Date(clock.now()).toISOString(), reason: 'before_restore', name,
      copy: { inspection: out.inspection, bytes: statSync(path).size, sha256: out.sha256 }, appVersion: o.appVersion ?? null,
      verifiedAt: new Date(clock.now()).toISOString(), note: { replacedBy: v.name },
    }), key);
    writeManifest(o.backupsDir, name, manifest);
    return { name, path, headSeq, manifest, problem: null };
  } catch (e) {
    return { name, path, headSeq, manifest: null, problem: `被替换的台账已保留，但未能写入其说明文件（${e instanceof Error ? e.message : String(e)}）。` };
  }
}
