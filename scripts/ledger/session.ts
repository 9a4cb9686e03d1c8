/**
 * Opening a ledger for one command, the way the app does: through LedgerHost (the password
 * unwraps the data key from the key file, the log-in and log-out are audited, failed log-ins
 * count toward the lock-out), and always closing it at the end, also on error (the host zeroes
 * the key). The password comes from a file (or standard input with "-"), never the command line.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { applyKey } from '../../db/core/cipher.js';
import { systemClock } from '../../db/core/clock.js';
import type { ServiceContext } from '../../db/core/context.js';
import { uuidv7Source } from '../../db/core/ids.js';
import { unwrap } from '../../db/core/keystore.js';
import { keystoreOf } from '../../db/core/ledger-file.js';
import { DomainError } from '../../db/domain/errors.js';
import { LedgerHost, type Session } from '../../db/session/host.js';
import { UsageError, required, type Values } from './args.js';
import { lockLedger, refuseIfOpenElsewhere } from './lock.js';

/** The password: from --password-file, else the file XZ_PASSWORD_FILE names; "-" reads standard input. */
export function readPassword(values: Values): string {
  const file = values['password-file'] ?? process.env.XZ_PASSWORD_FILE;
  if (!file) {
    throw new UsageError('password_file_missing', '需要密码：请用 --password-file <文件> 给出密码文件（“-”为标准输入），或设置环境变量 XZ_PASSWORD_FILE。');
  }
  let text: string;
  if (file === '-') {
    if (process.stdin.isTTY) console.error('请输入密码，然后按回车，再按 Ctrl+D：');
    text = readFileSync(0, 'utf8');
  } else {
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError('password_file_missing', `无法读取密码文件：${file}（${(e as NodeJS.ErrnoException).code ?? '错误'}）。`);
    }
  }
  const password = text.replace(/\r?\n$/, '');
  if (password === '') throw new UsageError('password_empty', `密码文件是空的：${file}。`);
  return password;
}

export interface OpenLedger {
  host: LedgerHost;
  /** The service context for one engine call (the session's user, rights read afresh). */
  ctx(): ServiceContext;
  username: string;
  path: string;
}

/** The ledger's state as a refusal, before any password work. */
function refuseUnusable(host: LedgerHost, path: string): void {
  const st = host.status();
  if (st.state === 'new') throw new DomainError('NOT_FOUND', `找不到台账文件：${path}`, { reason: 'ledger_missing' });
  if (st.state === 'needs_conversion') {
    throw new DomainError('CONFLICT', '该台账尚未加密：请先由管理员在桌面应用中登录并完成加密转换，再使用命令行。', { reason: 'needs_conversion' });
  }
  if (st.problem) throw new DomainError('CORRUPT', st.problem.message, { reason: st.problem.reason });
}

/**
 * The default user: the first active administrator (oldest account). Roles live inside the
 * encrypted ledger, so the password is tried on the key file's user wraps (oldest first: ids are
 * UUIDv7) until one opens the data key; the ledger is then read, read-only, for the administrator's
 * name, and the key is zeroed. Whoever holds the key file can try passwords on it offline anyway,
 * so this reveals nothing new; the log-in that follows is the host's, audited and counted.
 * When no wrap opens, the oldest account's name is returned and that log-in fails (and is counted).
 */
function defaultUser(path: string, password: string): string {
  const ks = keystoreOf(path)!;
  const wraps = ks.wraps.filter((w) => w.kind === 'user' && w.username && w.userId).sort((a, b) => (a.userId! < b.userId! ? -1 : 1));
  for (const w of wraps) {
    const key = unwrap(ks.ledgerId, w, password);
    if (!key) continue;
    const db = new Database(path, { readonly: true });
    try {
      applyKey(db, key);
      const row = db.prepare("SELECT username FROM users WHERE role = 'admin' AND active = 1 AND deleted_at IS NULL ORDER BY created_at, id LIMIT 1").get() as { username: string } | undefined;
      return row?.username ?? w.username!;
    } finally {
      db.close();
      key.fill(0);
    }
  }
  return wraps[0]?.username ?? 'admin';
}

/** Log in, run `fn`, log out and close (also on error: the host zeroes the data key). */
export async function withLedger<T>(values: Values, usage: string, fn: (l: OpenLedger) => Promise<T>): Promise<T> {
  const path = resolve(required(values, 'ledger', usage));
  const password = readPassword(values);
  // No background verification and no scheduled backups: a command is short, and writes nothing
  // outside the paths it is given (the ledger, its key file, and what the command names).
  const host = new LedgerHost({ path, clock: systemClock, ids: uuidv7Source(), verifyOnOpen: false });
  const session: Session = { user: null };
  const unlock = await lockLedger(path);
  try {
    refuseUnusable(host, path);
    refuseIfOpenElsewhere(path);
    const username = values.user ?? defaultUser(path, password);
    try {
      host.login(session, username, password);
    } catch (e) {
      if (!values.user && e instanceof DomainError && e.reason === 'bad_credentials') {
        throw new DomainError(e.code, `用户名或密码不正确（未给出 --user，按默认用户“${username}”登录）。`, { reason: e.reason });
      }
      throw e;
    }
    return await fn({ host, ctx: () => host.context(session), username, path });
  } finally {
    try {
      // Audits the log-out and moves the audit anchor in the key file past this command's writes.
      if (session.user) host.logout(session);
    } catch {
      // The command's own outcome (or error) is what is reported; the ledger is closed below anyway.
    } finally {
      host.close();
      await unlock();
    }
  }
}

/** A yes/no question on the terminal (standard error), for commands run without --yes. */
export async function ask(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^(y|yes|是|确认)$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export const cancelled = () => new DomainError('CONFLICT', '已取消导入，台账未改变。', { reason: 'cancelled' });
