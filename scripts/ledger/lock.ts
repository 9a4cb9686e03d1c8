/**
 * One command at a time on a ledger. The engine is a single writer: it keeps the audit chain's
 * head (and the version and clock) in memory, so a second process writing the same file meanwhile
 * makes the first one's next write fail (measured: "UNIQUE constraint failed: audit_log.seq" with
 * two commands started together) and races on the key file's anchor. So a command
 *  - takes a lock named after the ledger's path that only other commands see: a local socket in
 *    the abstract namespace (Linux) or a named pipe (Windows). Nothing is written to disk, and the
 *    system releases it when the process ends, however it ends (no stale lock files);
 *  - refuses a ledger some other process has open (the desktop app while someone is logged in):
 *    a connection in exclusive locking mode cannot read a WAL database that another connection
 *    holds (SQLITE_BUSY), and its read fails before any page is decrypted otherwise (it has no
 *    key), having changed nothing.
 * Limit: the app does not take the command's lock, so the app opening the ledger while a command
 * runs is not prevented (its log-in comes after the check): the UNIQUE audit sequence keeps that
 * from forking the audit chain, but one side's next write fails until it reopens the ledger.
 */
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import Database from 'better-sqlite3';
import { DomainError } from '../../db/domain/errors.js';

const IN_USE = '台账正在被其他程序使用（桌面应用中有人登录，或另一个命令正在运行）：请等它结束或在桌面应用中退出登录后再试。';

function lockName(path: string): string | null {
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    // Not there yet (init): its resolved path names it.
  }
  const id = createHash('sha256').update(real).digest('hex').slice(0, 40);
  if (process.platform === 'win32') return `\\\\.\\pipe\\xz-ledger-${id}`;
  if (process.platform === 'linux') return `\0xz-ledger-${id}`;
  return null;
}

/** Take the commands' lock on `path`; returns its release. A second command is refused (LOCKED). */
export async function lockLedger(path: string): Promise<() => Promise<void>> {
  const name = lockName(path);
  if (!name) return async () => {};
  const server: Server = createServer();
  await new Promise<void>((ok, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) => fail(e.code === 'EADDRINUSE' ? new DomainError('LOCKED', IN_USE, { reason: 'ledger_in_use' }) : e));
    server.listen(name, () => ok());
  });
  server.unref();
  return () => new Promise<void>((done) => server.close(() => done()));
}

/** Refuse a ledger file that another process (the app, a tool) holds open. Changes nothing. */
export function refuseIfOpenElsewhere(path: string): void {
  let db: Database.Database;
  try {
    db = new Database(path, { fileMustExist: true });
  } catch {
    return; // the host names what is wrong with the file
  }
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    // A key that opens nothing: the read below fails at the first page if the lock was granted.
    db.pragma("cipher = 'sqlcipher'");
    db.pragma('legacy = 3');
    db.pragma("key = 'xz-probe-no-key'");
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_BUSY') throw new DomainError('LOCKED', IN_USE, { reason: 'ledger_in_use' });
  } finally {
    db.close();
  }
}
