/**
 * Encrypted ledgers for the app's commands (demo generator, scale bench, tests): turn a plaintext
 * file just generated into an encrypted ledger with a key file, and open one with a password.
 */
import { anchorKey, keystorePath, makeWrap, newDataKey, newKeystore, newRecoveryKey, unwrap, userWrap, writeKeystore, type KdfParams } from '../core/keystore.js';
import { encryptPlainFile, keystoreOf, openEncrypted } from '../core/ledger-file.js';
import type { Ledger, OpenOptions } from '../core/open.js';
import { anchorHead } from '../core/anchor.js';
import { systemClock } from '../core/clock.js';
import { DomainError } from '../domain/errors.js';

export interface Account {
  username: string;
  password: string;
}

/**
 * Encrypt a freshly generated plaintext ledger in place (no plaintext copy is kept) and write its
 * key file with a wrap for each account that has a password and a new recovery key. The users'
 * password hashes are removed from the ledger (the key file replaces them).
 */
export function encryptGeneratedLedger(path: string, accounts: readonly Account[], kdf?: Omit<KdfParams, 'salt'>): { recoveryKey: string; ledgerId: string } {
  const key = newDataKey();
  const ks = newKeystore();
  const recoveryKey = newRecoveryKey();
  encryptPlainFile(path, key, null);
  const ledger = openEncrypted(path, key, ks);
  try {
    const rows = ledger.sqlite.prepare('SELECT id, username FROM users WHERE deleted_at IS NULL AND active = 1').all() as Array<{ id: string; username: string }>;
    ks.wraps.push(makeWrap(ks.ledgerId, key, recoveryKey, { kind: 'recovery' }, kdf));
    for (const a of accounts) {
      const u = rows.find((r) => r.username === a.username);
      if (u) ks.wraps.push(makeWrap(ks.ledgerId, key, a.password, { kind: 'user', userId: u.id, username: u.username }, kdf));
    }
    ledger.sqlite.prepare('UPDATE users SET password_hash = NULL').run();
    ks.anchor = anchorHead(ledger, ks.ledgerId, anchorKey(key, ks.ledgerId), systemClock);
    writeKeystore(keystorePath(path), ks);
  } finally {
    ledger.close();
  }
  return { recoveryKey, ledgerId: ks.ledgerId };
}

/** Open an encrypted ledger with a user's password (commands and tests; the app goes through the host). */
export function openWithPassword(path: string, account: Account, opts: Omit<OpenOptions, 'key' | 'image'> = {}): Ledger {
  return openEncrypted(path, dataKeyFor(path, account), keystoreOf(path)!, opts);
}

/** The data key of a ledger, unwrapped with a user's password (for IT's recovery command and tests). */
export function dataKeyFor(path: string, account: Account): Buffer {
  const ks = keystoreOf(path);
  if (!ks) throw new DomainError('NOT_FOUND', '找不到该台账的钥匙文件。', { reason: 'keystore_missing' });
  const w = userWrap(ks, account.username);
  const key = w ? unwrap(ks.ledgerId, w, account.password) : null;
  if (!key) throw new DomainError('FORBIDDEN', '用户名或密码不正确。', { reason: 'bad_credentials' });
  return key;
}
