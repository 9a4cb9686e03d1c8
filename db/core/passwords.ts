import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * Password hashes kept in the users table: only for plaintext ledgers made before encryption
 * (until converted) and in-memory engine tests. An encrypted ledger stores no hash: the password
 * wraps the data key in the key file (db/core/keystore.ts, the same parameters).
 * scrypt (N=2^17, r=8, p=1: OWASP 2025) from Node's crypto; stored as `scrypt$N$r$p$salt$hash`
 * (base64), so hashes written with other parameters still verify.
 */
const N = 1 << 17;
const R = 8;
const P = 1;
const KEYLEN = 32;

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFC'), salt, KEYLEN, { N, r: R, p: P, maxmem: maxmemFor(N, R) });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  const key = scryptSync(password.normalize('NFC'), salt, expected.length, { N: n, r, p, maxmem: maxmemFor(n, r) });
  return timingSafeEqual(key, expected);
}

/** scrypt needs 128·N·r bytes; allow twice that. */
function maxmemFor(n: number, r: number): number {
  return 256 * n * r + 1024 * 1024;
}
