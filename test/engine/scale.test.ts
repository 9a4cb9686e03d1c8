import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../db/core/audit.js';
import { fixedClock } from '../../db/core/clock.js';
import type { ServiceContext } from '../../db/core/context.js';
import { seededRandom, uuidv7Source, UUID_RE } from '../../db/core/ids.js';
import { openLedger, type Ledger } from '../../db/core/open.js';
import { countProblems, listProblems } from '../../db/queries/problem-list.js';
import { units, users } from '../../db/schema/index.js';
import { SCALE_AS_OF, writeScaleLedger, type ScaleSummary } from '../../bench/scale.js';
import { insertRow } from '../../db/core/write.js';

const OPTS = { problems: 2000, tasksPerProblem: 2, seed: 5, rounds: 4, unitsPerRound: 6 };

let dir: string;
let summary: ScaleSummary;
let ledger: Ledger;

const all = <T>(sql: string, ...p: unknown[]) => ledger.sqlite.prepare(sql).all(...p) as T[];
const one = <T>(sql: string, ...p: unknown[]) => ledger.sqlite.prepare(sql).get(...p) as T;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scale-test-'));
  summary = writeScaleLedger(join(dir, 'a.sqlite'), OPTS);
  ledger = openLedger(summary.path);
});
afterAll(() => {
  ledger?.close();
  rmSync(dir, { recursive: true, force: true });
});

function ctxFor(l: Ledger): ServiceContext {
  const admin = l.orm.select().from(users).get()!;
  return {
    ledger: l, clock: fixedClock(SCALE_AS_OF), ids: uuidv7Source(Date.now, seededRandom(99)),
    user: { id: admin.id, role: 'admin', canViewClues: false, displayName: admin.displayName },
  };
}

describe('scale ledger generator', () => {
  it('writes the requested numbers of problems and tasks over rounds, units and inspections', () => {
    expect(one<{ n: number }>('SELECT count(*) AS n FROM problems').n).toBe(2000);
    expect(one<{ n: number }>('SELECT count(*) AS n FROM tasks').n).toBe(4000);
    expect(summary).toMatchObject({ problems: 2000, tasks: 4000, rounds: 4, inspections: 24 });
    expect(one<{ n: number }>('SELECT count(*) AS n FROM rounds').n).toBe(4);
    expect(one<{ n: number }>('SELECT count(*) AS n FROM inspections').n).toBe(24);
    expect(one<{ n: number }>('SELECT count(DISTINCT unit_id) AS n FROM problems').n).toBe(summary.units);
    // Tasks per problem vary (1–3) but add up exactly.
    const spread = all<{ k: number }>('SELECT DISTINCT n AS k FROM (SELECT count(*) AS n FROM tasks GROUP BY problem_id)');
    expect(spread.map((r) => r.k).sort()).toEqual([1, 2, 3]);
  });

  it('keeps every problem\'s status, deadline and task counts consistent with its live tasks', () => {
    const mismatches = all(`
      SELECT p.id FROM problems p LEFT JOIN (
        SELECT problem_id, count(*) AS n, sum(status = 'closed') AS closed, sum(status = 'pending_review') AS pending,
               min(CASE WHEN status <> 'closed' THEN current_deadline END) AS next_deadline
        FROM tasks WHERE deleted_at IS NULL GROUP BY problem_id) r ON r.problem_id = p.id
      WHERE p.task_count IS NOT coalesce(r.n, 0)
         OR p.closed_task_count IS NOT coalesce(r.closed, 0)
         OR p.deadline IS NOT r.next_deadline
         OR p.status IS NOT (CASE WHEN coalesce(r.n, 0) > 0 AND r.closed = r.n THEN 'closed'
                                  WHEN r.pending > 0 AND r.pending + r.closed = r.n THEN 'pending_review' ELSE 'open' END)`);
    expect(mismatches).toEqual([]);
    const statuses = all<{ status: string }>('SELECT DISTINCT status FROM problems ORDER BY 1').map((r) => r.status);
    expect(statuses).toEqual(['closed', 'open', 'pending_review']);
    const overdue = one<{ n: number }>("SELECT count(*) AS n FROM problems WHERE status <> 'closed' AND deadline < ?", SCALE_AS_OF).n;
    expect(overdue).toBeGreaterThan(0);
    // Closed and submitted tasks say when; open ones do not.
    expect(one<{ n: number }>("SELECT count(*) AS n FROM tasks WHERE status = 'closed' AND (closed_at IS NULL OR completed_on IS NULL)").n).toBe(0);
    expect(one<{ n: number }>("SELECT count(*) AS n FROM tasks WHERE status IN ('draft', 'in_progress') AND (closed_at IS NOT NULL OR completed_on IS NOT NULL)").n).toBe(0);
    // A deleted problem has no live tasks (deleteProblem's rule).
    expect(one<{ n: number }>('SELECT count(*) AS n FROM tasks t JOIN problems p ON p.id = t.problem_id WHERE p.deleted_at IS NOT NULL AND t.deleted_at IS NULL').n).toBe(0);
  });

  it('fills every sync column, with unique versions up to bulk_version', () => {
    for (const table of ['problems', 'tasks']) {
      const bad = one<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE id IS NULL OR origin_office_id IS NOT ?
        OR created_at IS NULL OR updated_at < created_at OR created_by IS NULL OR updated_by IS NULL OR version IS NULL OR hlc IS NULL`, summary.officeId).n;
      expect(bad).toBe(0);
      for (const r of all<{ id: string; hlc: string }>(`SELECT id, hlc FROM ${table} LIMIT 50`)) {
        expect(r.id).toMatch(UUID_RE);
        expect(r.id[14]).toBe('7');
        expect(r.hlc).toMatch(new RegExp(`^\\d{15}-\\d{6}-${summary.officeId}$`));
      }
    }
    const v = one<{ n: number; uniq: number; max: number }>(`SELECT count(*) AS n, count(DISTINCT version) AS uniq, max(version) AS max
      FROM (SELECT version FROM problems UNION ALL SELECT version FROM tasks)`);
    expect(v.uniq).toBe(v.n);
    expect(v.max).toBe(summary.bulkVersion);
    expect(one<{ value: string }>("SELECT value FROM meta WHERE key = 'bulk_version'").value).toBe(String(summary.bulkVersion));
    const audited = one<{ v: number }>('SELECT max(version) AS v FROM audit_log').v;
    expect(audited).toBeLessThan(summary.bulkVersion);
  });

  it('reopens as an ordinary WAL ledger whose next audited write gets a version above bulk_version', () => {
    expect(ledger.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(ledger.sqlite.pragma('synchronous', { simple: true })).toBe(2);
    expect(ledger.state.version).toBe(summary.bulkVersion);
    const ctx = ctxFor(ledger);
    const u = insertRow(ctx, units, { name: '某某新能源集团有限公司', sector: 'central_soe' });
    expect(u.version).toBe(summary.bulkVersion + 1);
    expect(verifyAudit(ledger).ok).toBe(true);
    ledger.close();
    ledger = openLedger(summary.path);
    expect(ledger.state.version).toBe(summary.bulkVersion + 1);
  });

  it('leaves the full-text index complete and its triggers as the migrations made them', () => {
    const fresh = openLedger(':memory:');
    const triggers = (l: Ledger) => (l.sqlite.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all());
    expect(triggers(ledger)).toEqual(triggers(fresh));
    fresh.close();
    for (const term of ['招投标管理', '公务接待']) {
      const fts = one<{ n: number }>('SELECT count(*) AS n FROM problems_fts WHERE problems_fts MATCH ?', `"${term}"`).n;
      const scan = one<{ n: number }>('SELECT count(*) AS n FROM problems WHERE instr(description, ?) > 0', term).n;
      expect(fts).toBeGreaterThan(0);
      expect(fts).toBe(scan);
    }
    const tasksFts = one<{ n: number }>('SELECT count(*) AS n FROM tasks_fts WHERE tasks_fts MATCH ?', '"专项治理"').n;
    expect(tasksFts).toBe(one<{ n: number }>("SELECT count(*) AS n FROM tasks WHERE instr(measures, '专项治理') > 0").n);
  });

  it('serves the problem list: a unit\'s open overdue problems, live only', () => {
    const ctx = ctxFor(ledger);
    const unit = one<{ u: string }>("SELECT unit_id AS u FROM problems WHERE status = 'open' AND deadline < ? GROUP BY unit_id ORDER BY count(*) DESC LIMIT 1", SCALE_AS_OF).u;
    const page = listProblems(ctx, { unitId: unit, status: 'open', overdue: true, limit: 200 });
    expect(page.rows.length).toBeGreaterThan(0);
    expect(page.rows.every((r) => r.overdue && r.unitName && r.taskCount > 0)).toBe(true);
    const live = one<{ n: number }>('SELECT count(*) AS n FROM problems WHERE deleted_at IS NULL').n;
    expect(live).toBe(2000 - summary.deletedProblems);
    expect(countProblems(ctx, {}).total).toBe(live);
  });

  it('is deterministic for a seed and different for another seed', () => {
    const ids = (path: string) => {
      const l = openLedger(path);
      try {
        return {
          problems: (l.sqlite.prepare('SELECT id, description, deadline FROM problems ORDER BY rowid').all()),
          tasks: (l.sqlite.prepare('SELECT id, measures, status FROM tasks ORDER BY rowid').all() as { id: string }[]).map((r) => r.id),
        };
      } finally {
        l.close();
      }
    };
    const again = writeScaleLedger(join(dir, 'b.sqlite'), OPTS);
    const other = writeScaleLedger(join(dir, 'c.sqlite'), { ...OPTS, seed: 6 });
    const a = ids(join(dir, 'a.sqlite'));
    const b = ids(again.path);
    expect(b.problems).toEqual(a.problems);
    expect(b.tasks).toEqual(a.tasks);
    const c = ids(other.path);
    expect(c.tasks[0]).not.toBe(a.tasks[0]);
  });

  it('refuses to write over an existing file', () => {
    const path = join(dir, 'exists.sqlite');
    writeFileSync(path, 'keep me');
    expect(() => writeScaleLedger(path, OPTS)).toThrow(/already exists/);
  });
});
