/**
 * The bulk writer of a synthetic scale ledger (bench/scale.ts): problems and tasks inserted with
 * raw prepared statements in large transactions, the ONE place allowed to bypass db/core/write.ts
 * (see bench/scale.ts for the invariants it keeps). The rows come from bench/scale-rows.ts.
 */
import type { Ledger } from '../db/core/open.js';
import {
  PROBLEM_COLS, problemGenerator, TASK_COLS, type GeneratorInput, type InspectionPlan,
} from './scale-rows.js';

export interface BulkInput extends Omit<GeneratorInput, 'nextVersion'> {
  plans: InspectionPlan[][];
  /** Problems per transaction. */
  batch: number;
  log: (line: string) => void;
}

const insertSql = (table: string, cols: readonly string[]) =>
  `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;

export function bulkProblems(ledger: Ledger, b: BulkInput): { tasks: number; deleted: number; bulkVersion: number } {
  const db = ledger.sqlite;
  const st = ledger.state;
  // Speed over durability while writing synthetic data: a crash leaves a file to delete anyway.
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -524288');
  db.pragma('temp_store = MEMORY');
  // The FTS triggers index row by row, four times slower than one 'rebuild' at the end. The table
  // starts empty, so drop them for the load and put back exactly the SQL the migrations created.
  const ftsTriggers = db.prepare(
    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('problems', 'tasks') AND sql LIKE '%\\_fts%' ESCAPE '\\'",
  ).all() as { name: string; sql: string }[];
  for (const t of ftsTriggers) db.exec(`DROP TRIGGER "${t.name}"`);
  const insP = db.prepare(insertSql('problems', PROBLEM_COLS));
  const insT = db.prepare(insertSql('tasks', TASK_COLS));
  // One ledger version per row, from the counter the write layer uses. The HLC stamp is that of
  // the row's last write (its updated_at), as if the office had typed the changes in over time.
  const next = problemGenerator({ ...b, nextVersion: () => ++st.version });

  let done = 0;
  let taskTotal = 0;
  let deleted = 0;
  const started = Date.now();

  const flat = b.plans.flat();
  let planIdx = 0;
  let left = flat[0]?.problems ?? 0;
  let seq = 0;
  while (done < b.total) {
    db.transaction(() => {
      const end = Math.min(b.total, done + b.batch);
      for (; done < end; done++) {
        while (left === 0) {
          planIdx++;
          left = flat[planIdx]!.problems;
          seq = 0;
        }
        left--;
        seq++;
        const rows = next(flat[planIdx]!, seq, done);
        insP.run(rows.problem);
        for (const t of rows.tasks) insT.run(t);
        taskTotal += rows.tasks.length;
        if (rows.deleted) deleted++;
      }
    })();
    const secs = (Date.now() - started) / 1000;
    b.log(`[scale] ${done.toLocaleString('en-US')} / ${b.total.toLocaleString('en-US')} 个问题，${taskTotal.toLocaleString('en-US')} 个任务，${secs.toFixed(1)} 秒（${Math.round(done / Math.max(secs, 0.001)).toLocaleString('en-US')} 问题/秒）`);
  }
  const bulkVersion = st.version;
  b.log('[scale] 重建全文索引…');
  db.transaction(() => {
    for (const t of ftsTriggers) db.exec(t.sql);
    db.exec("INSERT INTO problems_fts(problems_fts) VALUES ('rebuild')");
    db.exec("INSERT INTO tasks_fts(tasks_fts) VALUES ('rebuild')");
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  // Back to the settings db/open.ts uses for everyday work.
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -2000');
  return { tasks: taskTotal, deleted, bulkVersion };
}
