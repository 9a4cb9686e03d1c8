import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { auditHash, verifyAudit, type StoredAudit } from '../../db/core/audit.js';
import { startTask, updateTask } from '../../db/services/tasks.js';
import { openLedger } from '../../db/core/open.js';
import { makeTestLedger, PASSWORD, type TestLedger } from '../helpers/ledger.js';
import { newProblemAndTask, stage } from '../helpers/workflow.js';

let t: TestLedger;
beforeEach(() => {
  t = makeTestLedger({ today: '2024-03-15', file: true });
});
afterEach(() => t.close());

function work() {
  const entry = t.as(t.users.entry);
  const { task } = newProblemAndTask(entry, stage(t));
  startTask(entry, { id: task.id });
  updateTask(entry, { id: task.id, measures: '修订后的整改措施' });
  return task;
}

const rows = () => t.ledger.sqlite.prepare('SELECT seq, action, entity, entity_id, before, after, user_id FROM audit_log ORDER BY seq').all() as {
  seq: number; action: string; entity: string; entity_id: string; before: string | null; after: string | null; user_id: string | null;
}[];

describe('audit trail', () => {
  it('records who, what, before and after for every mutation', () => {
    const task = work();
    const mine = rows().filter((r) => r.entity_id === task.id);
    expect(mine.map((r) => r.action)).toEqual(['create', 'start', 'update']);
    const upd = mine[2]!;
    expect(JSON.parse(upd.before!)).toMatchObject({ measures: '修订公务接待管理办法，开展专项检查。' });
    expect(JSON.parse(upd.after!)).toMatchObject({ measures: '修订后的整改措施' });
    expect(upd.user_id).toBe(t.users.entry.id);
    expect(verifyAudit(t.ledger).ok).toBe(true);
  });

  it('is append-only through the engine: SQLite refuses updates and deletes', () => {
    work();
    expect(() => t.ledger.sqlite.prepare("UPDATE audit_log SET action = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => t.ledger.sqlite.prepare('DELETE FROM audit_log WHERE seq = 1').run()).toThrow(/append-only/);
  });

  it('names the first edited row when a row is changed with raw SQL', () => {
    work();
    const target = rows().find((r) => r.action === 'start')!;
    t.ledger.sqlite.exec('DROP TRIGGER audit_log_no_update');
    t.ledger.sqlite.prepare("UPDATE audit_log SET after = '{\"status\":\"closed\"}' WHERE seq = ?").run(target.seq);
    const v = verifyAudit(t.ledger);
    expect(v).toMatchObject({ ok: false, brokenAtSeq: target.seq, problem: 'hash_mismatch' });
  });

  it('names the row after a deleted one, and a recomputed hash still breaks the chain', () => {
    work();
    const all = rows();
    const victim = all[Math.floor(all.length / 2)]!;
    t.ledger.sqlite.exec('DROP TRIGGER audit_log_no_delete');
    t.ledger.sqlite.prepare('DELETE FROM audit_log WHERE seq = ?').run(victim.seq);
    expect(verifyAudit(t.ledger)).toMatchObject({ ok: false, brokenAtSeq: victim.seq + 1, problem: 'gap' });
  });

  it('survives closing and re-opening the ledger file, continuing the same chain', () => {
    work();
    const path = t.ledger.path;
    const before = rows().length;
    t.ledger.close();
    const reopened = openLedger(path);
    expect(reopened.state.lastAuditSeq).toBe(before);
    expect(verifyAudit(reopened)).toEqual({ ok: true, rows: before });
    reopened.close();
    // let afterEach close a fresh handle
    (t as { ledger: typeof reopened }).ledger = openLedger(path);
  });
});

describe('secrets stay out of the audit trail', () => {
  it('records that a password changed without storing its hash', async () => {
    const { updateUser } = await import('../../db/services/office.js');
    updateUser(t.as(t.users.admin), { id: t.users.entry.id, password: 'xin-mima-20240315', adminPassword: PASSWORD });
    const audit = t.ledger.sqlite.prepare("SELECT before, after FROM audit_log WHERE entity = 'users'").all() as { before: string | null; after: string | null }[];
    expect(audit.length).toBeGreaterThan(1);
    for (const r of audit) {
      expect(`${r.before}${r.after}`).not.toMatch(/scrypt\$/);
    }
    expect(audit.some((r) => r.after?.includes('passwordHash'))).toBe(true);
  });
});

describe('content hashes in the trail', () => {
  /** The entry hash as written before audit_log.row_hash existed: one update per piece. */
  function hashBefore(r: Record<string, string | number | null>): string {
    const h = createHash('sha256');
    for (const k of ['seq', 'version', 'at', 'hlc', 'office_id', 'user_id', 'action', 'entity', 'entity_id', 'before', 'after', 'prev_hash']) {
      const f = r[k] ?? null;
      if (f === null) h.update('-;');
      else {
        const s = String(f);
        h.update(`${s.length}:`).update(s).update(';');
      }
    }
    return h.digest('hex');
  }

  it('leaves the hash of an entry without a content hash as it was, and covers the content hash when present', () => {
    work();
    const all = t.ledger.sqlite.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Array<Record<string, string | number | null> & StoredAudit>;
    const withContent = all.filter((r) => r.row_hash !== null);
    const events = all.filter((r) => r.row_hash === null);
    expect(withContent.length).toBeGreaterThan(0);
    for (const r of all) {
      const { hash, ...rest } = r;
      expect(auditHash(rest)).toBe(hash);
      expect(auditHash({ ...rest, row_hash: null })).toBe(hashBefore(r));
      if (r.row_hash !== null) expect(hash).not.toBe(hashBefore(r));
    }
    // Events (log-in, reads…) carry none; every write does.
    for (const r of events) expect(['create', 'update', 'delete', 'restore', 'start']).not.toContain(r.action);
  });

  it('is refused as an edit: clearing a content hash breaks the entry', () => {
    work();
    const target = rows().find((r) => r.action === 'update')!;
    t.ledger.sqlite.exec('DROP TRIGGER audit_log_no_update');
    t.ledger.sqlite.prepare('UPDATE audit_log SET row_hash = NULL WHERE seq = ?').run(target.seq);
    expect(verifyAudit(t.ledger)).toMatchObject({ ok: false, brokenAtSeq: target.seq, problem: 'hash_mismatch' });
  });
});
