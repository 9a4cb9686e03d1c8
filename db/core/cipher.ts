/**
 * Encryption at rest: the ledger file is a SQLCipher database written by the SQLite build already
 * in use (better-sqlite3-multiple-ciphers, SQLite3 Multiple Ciphers).
 *
 * Format: SQLCipher 3 (`legacy=3`: AES-256-CBC pages with HMAC-SHA1, 1024-byte pages). Chosen so
 * that an office's IT can always open the file with a standard tool that is not ours: Debian 12's
 * `sqlcipher` 3.4.1 opens only the SQLCipher 3 format (a SQLCipher 4 file gives "file is encrypted
 * or is not a database"); test/engine/cipher.test.ts proves it with that tool. The key is a random
 * 256-bit raw key (`PRAGMA key = "x'…'"`), so the format's own password KDF (PBKDF2, 64,000 rounds
 * in v3) is never used and its weakness does not matter; the password → key step is ours (scrypt,
 * db/core/keystore.ts).
 */
import type Database from 'better-sqlite3';

export const KEY_BYTES = 32;

/** The pragmas that must precede every other statement on an encrypted ledger connection. */
export function applyKey(sqlite: Database.Database, key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new Error('data key must be 32 bytes');
  sqlite.pragma("cipher = 'sqlcipher'");
  sqlite.pragma('legacy = 3');
  sqlite.pragma(`key = "x'${key.toString('hex')}'"`);
}

/** The same key as a SQL literal for `ATTACH … KEY` (backups, conversion). */
export function keyLiteral(key: Buffer): string {
  return `"x'${key.toString('hex')}'"`;
}
