/**
 * Encryption at rest: the ledger file is a SQLCipher database written by the SQLite build already
 * in use (better-sqlite3-multiple-ciphers, SQLite3 Multiple Ciphers).
 *
 * Format: SQLCipher 3 (`legacy=3`: AES-256-CBC pages with a per-page IV and HMAC-SHA1) with
 * 4096-byte pages. Chosen so that an office's IT can always open the file with a standard tool that
 * is not ours: Debian 12's `sqlcipher` 3.4.1 opens only the SQLCipher 3 format (a SQLCipher 4 file
 * gives "file is encrypted or is not a database"); given the key it opens this one with
 *   PRAGMA key = "x'<64 hex digits>'";  PRAGMA cipher_page_size = 4096;
 * (test/engine/encryption.test.ts proves it with that tool). The page size is SQLCipher 3's one
 * departure from its default (1024): measured in the same run (bench/encryption.ts), bulk creation
 * through the services on an encrypted file took 1.48× the plaintext time with 1024-byte pages
 * and 1.18× with 4096-byte ones (the plaintext ledger's own page size).
 * The key is a random 256-bit raw key (`PRAGMA key = "x'…'"`), so the format's own password KDF
 * (PBKDF2, 64,000 rounds in v3) is never used and its weakness does not matter; the password →
 * key step is ours (scrypt, db/core/keystore.ts).
 */
import type Database from 'better-sqlite3';

export const KEY_BYTES = 32;
/** The cipher's page size (see above); the SQLCipher shell needs `PRAGMA cipher_page_size = 4096`. */
export const CIPHER_PAGE_SIZE = 4096;

/**
 * The pragmas that must precede every other statement on an encrypted ledger connection.
 * `pageMacs: false` (a read-only connection only) decrypts pages without checking their HMAC-SHA1:
 * the check is about two thirds of the cost of reading a page (bench (h): 1 GB of evidence read in
 * 2.9 s with it, 0.9 s without). Only for reading files whose every byte the reader checks itself
 * against their SHA-256 (db/exchange/blob-worker.ts).
 */
export function applyKey(sqlite: Database.Database, key: Buffer, o: { pageMacs?: boolean } = {}): void {
  if (key.length !== KEY_BYTES) throw new Error('data key must be 32 bytes');
  if (o.pageMacs === false && !sqlite.readonly) throw new Error('page MACs may be skipped on a read-only connection only');
  sqlite.pragma("cipher = 'sqlcipher'");
  if (o.pageMacs === false) sqlite.pragma('hmac_check = 0');
  sqlite.pragma('legacy = 3');
  sqlite.pragma(`legacy_page_size = ${CIPHER_PAGE_SIZE}`);
  sqlite.pragma(`key = "x'${key.toString('hex')}'"`);
}

/** The same key as a SQL literal for `ATTACH … KEY` (backups, conversion). */
export function keyLiteral(key: Buffer): string {
  return `"x'${key.toString('hex')}'"`;
}
