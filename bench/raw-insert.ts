/**
 * The raw-INSERT baselines of benches (h) and (j): the very rows an import wrote, read back as
 * stored, then inserted with one prepared statement per table into a copy of the ledger as it was
 * before (its indexes and full-text triggers, no checks, no audit entries), in one transaction.
 */
import type Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';

export interface TableRows { name: string; cols: string[]; rows: unknown[][] }

/** Every row of table `name` as stored (arrays), with its column names. */
export function readRows(db: Database.Database, name: string): TableRows {
  return {
    name, cols: db.prepare(`SELECT * FROM "${name}" LIMIT 1`).columns().map((c) => c.name),
    rows: db.prepare(`SELECT * FROM "${name}"`).raw().all() as unknown[][],
  };
}

/**
 * Inserts `tables`' rows into `db` in one transaction, the disk flushed first (the bench's own
 * writes not counted); its milliseconds. `orIgnore`: rows the copy holds already are skipped.
 */
export function timedInsert(db: Database.Database, tables: readonly TableRows[], o: { orIgnore?: boolean } = {}): number {
  const verb = o.orIgnore ? 'INSERT OR IGNORE' : 'INSERT';
  const inserts = tables.map((t) => ({ t, st: db.prepare(`${verb} INTO "${t.name}" (${t.cols.map((c) => `"${c}"`).join(', ')}) VALUES (${t.cols.map(() => '?').join(', ')})`) }));
  spawnSync('sync');
  const t0 = performance.now();
  db.transaction(() => {
    for (const { t, st } of inserts) for (const r of t.rows) st.run(r);
  })();
  return performance.now() - t0;
}
