/**
 * A smaller SQLite page cache while a package streams through the ledger: on export, every page
 * of the records and files is read once; on import, each file page is written once. The ledger's
 * usual 64 MiB cache (db/core/open.ts) would only fill with pages nobody reads again and hold them
 * in memory (a 1 GB package would otherwise raise the process's resident set by the whole cache).
 * The call restores the size.
 */
import type { Ledger } from '../core/open.js';

const FILES_CACHE_KIB = 4096;

export function filesCache(ledger: Ledger): () => void {
  const was = ledger.sqlite.pragma('cache_size', { simple: true }) as number;
  ledger.sqlite.pragma(`cache_size = -${FILES_CACHE_KIB}`);
  return () => {
    ledger.sqlite.pragma(`cache_size = ${was}`);
  };
}
