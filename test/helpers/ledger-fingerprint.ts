/**
 * A ledger's fingerprint: SHA-256 over the schema, every row of every table (each table in a fixed
 * order: sorted by all its columns, so the order rows were written in does not matter) and the
 * engine's in-memory counters. Two ledgers with the same fingerprint hold the same data; a refused
 * operation must leave it unchanged (invariant 8: "a failure leaves the ledger as it was").
 * Blobs are hashed as their bytes. The same idea as test/contract-fuzz.test.ts's, for any ledger.
 */
import { createHash } from 'node:crypto';
import type { Ledger } from '../../db/core/open.js';

export function ledgerFingerprint(ledger: Ledger): string {
  const db = ledger.sqlite;
  const h = createHash('sha256');
  const schema = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").raw().all();
  h.update(JSON.stringify(schema));
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
  for (const { name } of tables) {
    const columns = (db.prepare(`SELECT count(*) AS n FROM pragma_table_info(?)`).get(name) as { n: number }).n;
    const order = Array.from({ length: columns }, (_, i) => i + 1).join(', ');
    h.update(`\n${name}\n`);
    for (const row of db.prepare(`SELECT * FROM "${name}" ORDER BY ${order}`).raw().iterate() as Iterable<unknown[]>) {
      for (const v of row) {
        if (Buffer.isBuffer(v)) h.update(`b${v.length}:`).update(v);
        else h.update(`${typeof v}:${JSON.stringify(v)}`);
        h.update('\u0000');
      }
      h.update('\n');
    }
  }
  // `busy` starts undefined and is null after any import: the same "not busy".
  const { busy, ...state } = ledger.state;
  h.update(JSON.stringify({ ...state, busy: busy ?? null }));
  return h.digest('hex');
}
