/**
 * A create's audit entry names the stored row's content hash (db/core/write.ts insertRow): computed
 * from the bound values when each is stored as it is, read back when the column's affinity would
 * convert one. Either way it must be the hash of the row as SQLite kept it, or the ledger check
 * (db/core/verify.ts) would report the record as changed outside the app.
 */
import { getTableName, is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inTransaction } from '../../db/core/context.js';
import { insertRow, storedHash, type SyncTable } from '../../db/core/write.js';
import { verifyLedger } from '../../db/core/verify.js';
import * as schema from '../../db/schema/index.js';
import { addProgress } from '../../db/services/progress.js';
import { createSuggestion } from '../../db/services/suggestions.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';
import { attach, newProblemAndTask, stage } from '../helpers/workflow.js';

let t: TestLedger;
beforeEach(() => {
  t = makeTestLedger({ today: '2024-03-15' });
});
afterEach(() => t.close());

/** The records `fn` created, each with the row hash its create entry names, checked against the row as it is stored right after. */
function checkCreates(fn: () => unknown): string[] {
  const from = (t.ledger.sqlite.prepare('SELECT coalesce(max(seq), 0) AS n FROM audit_log').get() as { n: number }).n;
  fn();
  const made = t.ledger.sqlite.prepare("SELECT entity, entity_id AS id, row_hash AS rowHash FROM audit_log WHERE seq > ? AND before IS NULL AND row_hash IS NOT NULL")
    .all(from) as { entity: string; id: string; rowHash: string }[];
  const admin = t.as(t.users.admin);
  for (const m of made) expect(m.rowHash, `${m.entity} ${m.id}`).toBe(storedHash(admin, tables.get(m.entity)!, m.id));
  return made.map((m) => m.entity);
}

const tables = new Map(Object.values(schema).filter((x) => is(x, SQLiteTable)).map((x) => [getTableName(x as SQLiteTable), x as unknown as SyncTable] as const));

describe('the row hash of a create', () => {
  it('is the stored row’s for every record the services create (computed from the bound values, no read-back)', () => {
    const made: string[] = [];
    let s = null as unknown as ReturnType<typeof stage>;
    made.push(...checkCreates(() => { s = stage(t); }));
    const entry = t.as(t.users.entry);
    let task = '';
    made.push(...checkCreates(() => { task = newProblemAndTask(entry, s).task.id; }));
    made.push(...checkCreates(() => addProgress(entry, { taskId: task, entryDate: '2024-03-15', content: '已召开专题会议部署整改。' })));
    made.push(...checkCreates(() => attach(entry, task)));
    made.push(...checkCreates(() => createSuggestion(t.as(t.users.reviewer), { roundId: s.round.id, department: '某某市财政局', content: '建议开展专项清理。', issuedOn: '2024-03-01' })));
    expect(made).toEqual(expect.arrayContaining(['rounds', 'units', 'problems', 'tasks', 'progress_entries', 'evidence', 'suggestions']));
    expect(verifyLedger(t.ledger).severity).toBe('ok');
  });

  it('is read back when a value would be converted by the column (a number in a text column, a numeric string in an integer one)', () => {
    const s = stage(t);
    const ctx = t.as(t.users.reviewer);
    const row = inTransaction(ctx, () => insertRow(ctx, schema.suggestions, {
      roundId: s.round.id, unitId: null, department: 2024 as unknown as string, content: '建议开展专项清理。', issuedOn: '2024-03-01',
      status: 'pending', reply: null, repliedOn: null,
    }));
    expect(t.ledger.sqlite.prepare('SELECT department, typeof(department) AS t FROM suggestions WHERE id = ?').get(row.id)).toEqual({ department: '2024.0', t: 'text' });
    const entry = t.ledger.sqlite.prepare('SELECT row_hash AS h FROM audit_log WHERE entity_id = ?').get(row.id) as { h: string };
    expect(entry.h).toBe(storedHash(ctx, schema.suggestions, row.id));
    const problem = newProblemAndTask(t.as(t.users.entry), s).problem;
    const p2 = inTransaction(ctx, () => insertRow(ctx, schema.problems, {
      ...problem, id: undefined, seq: '7' as unknown as number, description: '另一个问题。',
    } as never));
    expect(t.ledger.sqlite.prepare('SELECT seq, typeof(seq) AS t FROM problems WHERE id = ?').get(p2.id)).toEqual({ seq: 7, t: 'integer' });
    expect((t.ledger.sqlite.prepare('SELECT row_hash AS h FROM audit_log WHERE entity_id = ?').get(p2.id) as { h: string }).h).toBe(storedHash(ctx, schema.problems, p2.id));
    expect(verifyLedger(t.ledger).severity).toBe('ok');
  });

  it('is read back for text with a lone surrogate (the driver stores U+FFFD in its place)', () => {
    const s = stage(t);
    const ctx = t.as(t.users.reviewer);
    const made = checkCreates(() => createSuggestion(ctx, { roundId: s.round.id, department: '某某市财政局\uD83D', content: '建议开展专项清理\uDC00。', issuedOn: '2024-03-01' }));
    expect(made).toEqual(['suggestions']);
    expect(t.ledger.sqlite.prepare('SELECT department FROM suggestions').get()).toEqual({ department: '某某市财政局\uFFFD' });
    expect(verifyLedger(t.ledger).severity).toBe('ok');
  });
});
