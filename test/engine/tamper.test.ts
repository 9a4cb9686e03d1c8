/**
 * 台账校验 against someone holding the ledger file: each kind of change made with raw SQL outside
 * the app (append-only triggers dropped first, as an attacker would) is detected and named, and an
 * untouched ledger passes. Done on real files, closed and re-opened around each change.
 */
import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anchorHead, checkAnchor } from '../../db/core/anchor.js';
import { auditHash, verifyAudit, type StoredAudit } from '../../db/core/audit.js';
import { inTransaction, type ServiceContext } from '../../db/core/context.js';
import { anchorKey, keystorePath, readKeystore, TEST_KDF, type Anchor } from '../../db/core/keystore.js';
import { applyKey } from '../../db/core/cipher.js';
import { fixedClock } from '../../db/core/clock.js';
import { seededRandom, uuidv7Source } from '../../db/core/ids.js';
import { LedgerHost, type Session } from '../../db/session/host.js';
import { dataKeyFor } from '../../db/session/provision.js';
import { createUnit } from '../../db/services/units.js';
import { DEFAULT_MIGRATIONS, openLedger, type Ledger } from '../../db/core/open.js';
import { rowHash } from '../../db/core/write.js';
import { verifyLedger, verifyLedgerInSlices, verifyRecords, type LedgerVerdict, type VerifyProgress } from '../../db/core/verify.js';
import { clues } from '../../db/schema/index.js';
import { createClue, getClue, updateClue } from '../../db/services/clues.js';
import { createProblem } from '../../db/services/problems.js';
import { createTask, startTask, updateTask } from '../../db/services/tasks.js';
import { writeScaleLedger } from '../../bench/scale.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';
import { attach, newProblemAndTask, stage } from '../helpers/workflow.js';

const LEDGER_ID = '0190a000-0000-7000-8000-00000000abcd';
const KEY = anchorKey(randomBytes(32), LEDGER_ID);

let t: TestLedger;
/** A context on the ledger as it is now (t.as keeps the handle it was made with; tests re-open). */
const as = (u: keyof TestLedger['users']): ServiceContext => ({ ...t.as(t.users[u]), ledger: t.ledger });
beforeEach(() => {
  t = makeTestLedger({ today: '2024-03-15', file: true });
});
afterEach(() => t.close());

/** Some ordinary work: problems, tasks, a clue, evidence. */
function work() {
  const s = stage(t);
  const entry = t.as(t.users.entry);
  const out = [];
  for (let i = 0; i < 3; i++) {
    const { problem, task } = newProblemAndTask(entry, s);
    startTask(entry, { id: task.id });
    updateTask(entry, { id: task.id, measures: `修订后的整改措施（第${i + 1}项）` });
    out.push({ problem, task });
  }
  attach(entry, out[0]!.task.id);
  const sup = t.as(t.users.reviewer);
  const clue = createClue(sup, {
    roundId: s.round.id, unitId: s.unit.id, subjectName: '张某某', subjectPost: '某某集团有限公司副总经理',
    summary: '反映其在工程招标中为亲属企业谋利。', receivedOn: '2024-02-10', receivingOrgan: 'ccdi',
  });
  updateClue(sup, { id: clue.id, summary: '反映其在工程招标中为亲属企业谋取利益。' });
  // A read is audited too (an event with no content hash): it must not hide the last write.
  getClue(sup, { id: clue.id });
  return { s, items: out, clue };
}

/** The anchor the host would have written to the key file after the last call. */
function anchorNow(): Anchor {
  return anchorHead(t.ledger, LEDGER_ID, KEY, t.clock);
}

/** Close the ledger, change the file with raw SQL as someone holding it would, open it again. */
function tamper(fn: (db: Database.Database) => void): void {
  const path = t.ledger.path;
  t.ledger.close();
  const db = new Database(path);
  db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
  fn(db);
  db.close();
  reopen();
}

function reopen(): Ledger {
  const l = openLedger(t.ledger.path);
  (t as { ledger: Ledger }).ledger = l;
  return l;
}

function verify(anchor: Anchor | null, openedAtSeq = t.ledger.state.lastAuditSeq): LedgerVerdict {
  return verifyLedger(t.ledger, { ledgerId: LEDGER_ID, anchorKey: KEY, anchor, openedAtSeq });
}

/** Re-hash every audit row from `fromSeq` on, as a forger must after changing one. */
function rehashFrom(db: Database.Database, fromSeq: number): void {
  const rows = db.prepare('SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq').all(fromSeq) as StoredAudit[];
  let prev = (db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(fromSeq - 1) as { hash: string } | undefined)?.hash ?? '0'.repeat(64);
  const upd = db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?');
  for (const r of rows) {
    const { hash: _old, ...rest } = r;
    const hash = auditHash({ ...rest, prev_hash: prev });
    upd.run(prev, hash, r.seq);
    prev = hash;
  }
}

const rowsOf = (db: Database.Database) => db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as StoredAudit[];

describe('an untouched ledger', () => {
  it('passes every check, with each record compared with its last audited state', () => {
    work();
    const v = verify(anchorNow());
    expect(v.severity).toBe('ok');
    expect(v.ok).toBe(true);
    expect(v.integrity).toEqual({ checked: 'quick', ok: true, errors: [] });
    expect(v.audit.ok).toBe(true);
    expect(v.anchor).toMatchObject({ ok: true, unanchored: 0 });
    expect(v.records).toMatchObject({ ok: true, problems: 0, unverifiable: { legacy: 0, bulk: 0 }, blobsChecked: 1 });
    // Every replicated row of the ledger (office, users, reference data, the work above).
    const total = (t.ledger.sqlite.prepare(`SELECT
      (SELECT count(*) FROM problems) + (SELECT count(*) FROM tasks) + (SELECT count(*) FROM clues) + (SELECT count(*) FROM users)
      AS n`).get() as { n: number }).n;
    expect(v.records.checked).toBeGreaterThan(total);
    expect(v.message).toBe('台账校验通过：审计记录完整，所有可核对的记录与审计记录一致。');
  });

  it('stays valid after re-opening and more work, and each write carries its content hash', () => {
    const { clue } = work();
    const a = anchorNow();
    t.ledger.close();
    reopen();
    expect(verify(a).severity).toBe('ok');
    updateClue(as('reviewer'), { id: clue.id, subjectPost: '某某集团有限公司原副总经理' });
    const last = t.ledger.sqlite.prepare("SELECT row_hash FROM audit_log WHERE entity = 'clues' AND entity_id = ? AND row_hash IS NOT NULL ORDER BY seq DESC LIMIT 1")
      .get(clue.id) as { row_hash: string };
    const stored = t.ledger.sqlite.prepare('SELECT * FROM clues WHERE id = ?').get(clue.id) as Record<string, unknown>;
    expect(last.row_hash).toBe(rowHash(clues, stored));
    expect(verify(anchorNow()).severity).toBe('ok');
  });
});

describe('the audit trail changed outside the app', () => {
  it('(a) newest rows deleted: the anchor names the missing tail', () => {
    work();
    const a = anchorNow();
    const head = a.seq;
    tamper((db) => db.prepare('DELETE FROM audit_log WHERE seq > ?').run(head - 3));
    // The chain itself still holds: only the anchor can tell.
    expect(verifyAudit(t.ledger).ok).toBe(true);
    const v = verify(a);
    expect(v.severity).toBe('tampered');
    expect(v.anchor).toMatchObject({ ok: false, problem: 'tail_missing', anchoredSeq: head, ledgerSeq: head - 3 });
    expect(v.message).toContain(`第${head - 2}至${head}条缺失`);
  });

  it('(b) a middle row forged and every later row re-hashed: the chain holds, the anchored head does not', () => {
    const { clue } = work();
    const a = anchorNow();
    let forgedSeq = 0;
    tamper((db) => {
      // Make the clue's update say something else, change the clue to match, and fix up its content
      // hash: a forgery the chain and the records checks alone would accept.
      const target = rowsOf(db).find((r) => r.entity === 'clues' && r.action === 'update')!;
      forgedSeq = target.seq;
      db.prepare('UPDATE clues SET summary = ? WHERE id = ?').run('反映其问题经核查不属实。', clue.id);
      const row = db.prepare('SELECT * FROM clues WHERE id = ?').get(clue.id) as Record<string, unknown>;
      db.prepare('UPDATE audit_log SET after = ?, row_hash = ? WHERE seq = ?')
        .run(JSON.stringify({ summary: '反映其问题经核查不属实。' }), rowHash(clues, row), target.seq);
      rehashFrom(db, target.seq);
    });
    expect(forgedSeq).toBeGreaterThan(0);
    expect(verifyAudit(t.ledger).ok).toBe(true);
    expect(verifyRecords(t.ledger).ok).toBe(true);
    const v = verify(a);
    expect(v.severity).toBe('tampered');
    expect(v.anchor).toMatchObject({ ok: false, problem: 'head_replaced', anchoredSeq: a.seq });
    expect(v.message).toContain(`第${a.seq}条审计记录与钥匙文件中的锚点不符`);
  });

  it('(c) the whole file replaced by an older copy: the anchored rows are missing', () => {
    work();
    const path = t.ledger.path;
    t.ledger.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const old = `${path}.old`;
    copyFileSync(path, old);
    const oldHead = t.ledger.state.lastAuditSeq;
    updateTask(t.as(t.users.entry), { id: (t.ledger.sqlite.prepare('SELECT id FROM tasks LIMIT 1').get() as { id: string }).id, measures: '再次修订的整改措施' });
    const a = anchorNow();
    expect(a.seq).toBeGreaterThan(oldHead);
    t.ledger.close();
    for (const s of ['-wal', '-shm']) rmSync(path + s, { force: true });
    copyFileSync(old, path);
    reopen();
    expect(verifyAudit(t.ledger).ok).toBe(true);
    const v = verify(a);
    expect(v.anchor).toMatchObject({ ok: false, problem: 'tail_missing', ledgerSeq: oldHead });
    expect(v.message).toContain('被替换为旧副本');
  });

  it('a row edited in place is named by its number', () => {
    work();
    const a = anchorNow();
    tamper((db) => db.prepare("UPDATE audit_log SET at = '2024-03-14T01:00:00.000Z' WHERE seq = 10").run());
    const v = verify(a);
    expect(v.audit).toMatchObject({ ok: false, brokenAtSeq: 10, problem: 'hash_mismatch' });
    expect(v.message).toContain('第10条审计记录的内容与其哈希不符');
  });

  it('rows deleted from the middle are named as missing numbers', () => {
    work();
    const a = anchorNow();
    tamper((db) => db.prepare('DELETE FROM audit_log WHERE seq IN (20, 21)').run());
    const v = verify(a);
    expect(v.audit).toMatchObject({ ok: false, brokenAtSeq: 22, problem: 'gap', expectedSeq: 20 });
    expect(v.message).toContain('第20至21条审计记录缺失');
  });

  it('an anchor edited in the key file is refused', () => {
    work();
    const a = anchorNow();
    const v = verify({ ...a, seq: a.seq - 1 });
    expect(v.anchor).toMatchObject({ ok: false, problem: 'anchor_forged' });
    expect(v.severity).toBe('tampered');
  });

  it('rows appended after the anchored head (the chain needs no key) are a warning naming them', () => {
    const { clue } = work();
    const a = anchorNow();
    let appended = 0;
    tamper((db) => {
      db.prepare('UPDATE clues SET disposition = ? WHERE id = ?').run('closed_out', clue.id);
      const row = db.prepare('SELECT * FROM clues WHERE id = ?').get(clue.id) as Record<string, unknown>;
      const last = rowsOf(db).at(-1)!;
      const forged = {
        ...last, seq: last.seq + 1, action: 'dispose', entity: 'clues', entity_id: clue.id,
        before: JSON.stringify({ disposition: 'received' }), after: JSON.stringify({ disposition: 'closed_out' }),
        prev_hash: last.hash, row_hash: rowHash(clues, row),
      };
      const { hash: _h, ...rest } = forged;
      db.prepare(`INSERT INTO audit_log (seq, version, at, hlc, office_id, user_id, action, entity, entity_id, before, after, prev_hash, hash, row_hash)
        VALUES (@seq, @version, @at, @hlc, @office_id, @user_id, @action, @entity, @entity_id, @before, @after, @prev_hash, @hash, @row_hash)`)
        .run({ ...forged, hash: auditHash(rest) });
      appended = forged.seq;
    });
    // At open (as the host checks it) the ledger is one row ahead of its anchor.
    expect(checkAnchor(t.ledger, LEDGER_ID, KEY, a)).toEqual({ ok: true, seq: a.seq, unanchored: 1 });
    const v = verify(a, t.ledger.state.lastAuditSeq);
    expect(v.severity).toBe('warning');
    expect(v.ok).toBe(true);
    expect(v.warnings[0]).toContain(`第${appended}至${appended}条审计记录是在钥匙文件最后一次锚定之后写入的`);
  });
});

describe('records changed outside the app', () => {
  it('a raw UPDATE of a clue is reported, naming the clue and the audit row it was compared with', () => {
    const { clue } = work();
    const a = anchorNow();
    const lastWrite = (t.ledger.sqlite.prepare("SELECT max(seq) AS s FROM audit_log WHERE entity = 'clues' AND entity_id = ? AND row_hash IS NOT NULL").get(clue.id) as { s: number }).s;
    tamper((db) => db.prepare("UPDATE clues SET money_recovered_fen = 100000000 WHERE id = ?").run(clue.id));
    expect(verifyAudit(t.ledger).ok).toBe(true);
    const v = verify(a);
    expect(v.severity).toBe('tampered');
    expect(v.records.problems).toBe(1);
    expect(v.records.first).toMatchObject({ kind: 'changed', table: 'clues', label: '问题线索', id: clue.id, auditSeq: lastWrite });
    expect(v.message).toBe(`台账可能在本程序之外被改动过。问题线索（编号 ${clue.id}）的当前内容与最后一次审计记录（第${lastWrite}条）不一致：该记录在本程序之外被改动过。`);
  });

  it('each kind: a record changed, added, deleted; a problem\'s status; an evidence file', () => {
    const { items } = work();
    const a = anchorNow();
    const [one, two] = items;
    tamper((db) => {
      db.prepare("UPDATE tasks SET current_deadline = '2099-12-31' WHERE id = ?").run(one!.task.id);
      db.prepare("UPDATE problems SET status = 'closed', closed_task_count = task_count WHERE id = ?").run(two!.problem.id);
      const p = db.prepare('SELECT * FROM problems WHERE id = ?').get(one!.problem.id) as Record<string, unknown>;
      db.prepare(`INSERT INTO problems (${Object.keys(p).join(', ')}) VALUES (${Object.keys(p).map(() => '?').join(', ')})`)
        .run(...Object.values({ ...p, id: '0190a000-0000-7000-8000-0000000000f1', seq: 99 }));
      db.pragma('foreign_keys = OFF');
      db.prepare('DELETE FROM task_stages').run();
      db.prepare('DELETE FROM progress_entries').run();
      const ev = db.prepare('SELECT id FROM evidence LIMIT 1').get() as { id: string } | undefined;
      if (ev) db.prepare('DELETE FROM evidence WHERE id = ?').run(ev.id);
      db.prepare("UPDATE evidence_blobs SET data = X'00'").run();
    });
    const v = verify(a);
    const kinds = v.records.sample.map((p) => `${p.kind}:${p.table}`);
    expect(kinds).toContain('changed:tasks');
    expect(kinds).toContain('derived:problems');
    expect(kinds).toContain('unaudited:problems');
    expect(kinds).toContain('missing:evidence');
    expect(kinds).toContain('blob:evidence_blobs');
    expect(v.records.sample.find((p) => p.kind === 'changed')!.id).toBe(one!.task.id);
    expect(v.records.sample.filter((p) => p.kind === 'derived').map((p) => p.id)).toContain(two!.problem.id);
    // The first named is the deleted record: it is found on the walk of the audit trail.
    expect(v.message).toContain('在本程序之外被删除');
    expect(v.records.sample.map((p) => p.message).join('\n')).toContain(`整改任务（编号 ${one!.task.id}）的当前内容与最后一次审计记录`);
    expect(v.records.problems).toBe(v.records.sample.length);
  });

  it('counts records written before content hashes, and bulk scale data, as unverifiable', () => {
    work();
    // A ledger from before: no content hashes in its audit rows (the chain re-made as it was).
    tamper((db) => {
      db.prepare('UPDATE audit_log SET row_hash = NULL').run();
      rehashFrom(db, 1);
    });
    const v = verify(null, 0);
    expect(v.audit.ok).toBe(true);
    expect(v.records.checked).toBe(0);
    expect(v.records.unverifiable.legacy).toBeGreaterThan(10);
    expect(v.records.ok).toBe(true);
    expect(v.details.join('\n')).toContain('写入于启用内容校验之前');
  });
});

describe('upgrading a ledger written before content hashes (migration 0006 on a populated file)', () => {
  it('adds the column, keeps the old chain valid, and checks every record written afterwards', () => {
    const { clue } = work();
    const journal = JSON.parse(readFileSync(join(DEFAULT_MIGRATIONS, 'meta/_journal.json'), 'utf8')) as { entries: Array<{ idx: number; when: number; tag: string }> };
    const upTo = journal.entries.findIndex((e) => e.tag === '0006_audit_row_hash');
    expect(upTo).toBeGreaterThan(0);
    const when = journal.entries[upTo]!.when;
    // The file as the previous version left it: no row_hash column, chain hashed without it,
    // migrations recorded up to 0005. (Later migrations, if any, are not this test's: their records
    // are put back afterwards.)
    const before = t.ledger.state.lastAuditSeq;
    const counts = t.ledger.sqlite.prepare('SELECT (SELECT count(*) FROM problems) AS p, (SELECT count(*) FROM tasks) AS t, (SELECT count(*) FROM clues) AS c').get();
    const path = t.ledger.path;
    t.ledger.close();
    const db = new Database(path);
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    db.prepare('UPDATE audit_log SET row_hash = NULL').run();
    rehashFrom(db, 1);
    db.exec(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      ALTER TABLE audit_log DROP COLUMN row_hash;`);
    const later = db.prepare('SELECT * FROM __drizzle_migrations WHERE created_at > ?').all(when) as Array<{ id: number; hash: string; created_at: number }>;
    db.prepare('DELETE FROM __drizzle_migrations WHERE created_at >= ?').run(when);
    db.close();
    // Migrate with the program's migrations up to 0006.
    const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    try {
      mkdirSync(join(dir, 'meta'));
      for (const e of journal.entries.slice(0, upTo + 1)) copyFileSync(join(DEFAULT_MIGRATIONS, `${e.tag}.sql`), join(dir, `${e.tag}.sql`));
      writeFileSync(join(dir, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo + 1) }));
      (t as { ledger: Ledger }).ledger = openLedger(path, { migrationsFolder: dir, checkIntegrity: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const put = t.ledger.sqlite.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)');
    for (const m of later) put.run(m.hash, m.created_at);
    const cols = (t.ledger.sqlite.prepare('PRAGMA table_info(audit_log)').all() as { name: string }[]).map((c) => c.name);
    expect(cols).toContain('row_hash');
    expect(t.ledger.sqlite.prepare('SELECT (SELECT count(*) FROM problems) AS p, (SELECT count(*) FROM tasks) AS t, (SELECT count(*) FROM clues) AS c').get()).toEqual(counts);
    expect(t.ledger.state.lastAuditSeq).toBe(before);
    const old = verify(null, 0);
    expect(old.severity).toBe('ok');
    expect(old.records.checked).toBe(0);
    expect(old.records.unverifiable.legacy).toBeGreaterThan(10);
    // A write after the upgrade makes that record checkable, and a raw change to it is then seen.
    updateClue(as('reviewer'), { id: clue.id, summary: '升级后修改的线索摘要。' });
    const after = verify(anchorNow());
    expect(after.severity).toBe('ok');
    expect(after.records.checked).toBe(1);
    tamper((db) => db.prepare("UPDATE clues SET summary = '被改动的摘要' WHERE id = ?").run(clue.id));
    expect(verify(anchorNow()).records.first).toMatchObject({ kind: 'changed', id: clue.id });
  });
});

describe('bulk scale data', () => {
  it('is unverifiable, not an error; a record written through the engine after it is checked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tamper-scale-'));
    try {
      const summary = writeScaleLedger(join(dir, 's.sqlite'), { problems: 300, tasksPerProblem: 2, seed: 3, rounds: 2, unitsPerRound: 3 });
      const l = openLedger(summary.path);
      try {
        const r = verifyRecords(l);
        expect(r.ok).toBe(true);
        expect(r.unverifiable.bulk).toBeGreaterThanOrEqual(300 + summary.tasks);
      } finally {
        l.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an encrypted ledger, as the host runs it', () => {
  it('opens a read-only connection with the data key and checks in slices against the key file\'s anchor', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tamper-enc-'));
    const path = join(dir, 'ledger.sqlite');
    const clock = fixedClock('2024-06-15');
    const newHost = () => new LedgerHost({ path, clock, ids: uuidv7Source(() => clock.now(), seededRandom(5)), kdf: TEST_KDF });
    let host = newHost();
    try {
      const admin: Session = { user: null };
      host.setup(admin, { officeName: '某省委巡视办', officeKind: 'inspection_office', level: 'province', adminUsername: 'admin', adminDisplayName: '王某', adminPassword: 'guanli-mima-2024' });
      const unit = createUnit(host.context(admin), { name: '某某集团有限公司', sector: 'central_soe' });
      host.committed();
      host.logout(admin);
      // Someone with the file and the data key (not the app) renames the unit.
      const key = dataKeyFor(path, { username: 'admin', password: 'guanli-mima-2024' });
      const db = new Database(path);
      applyKey(db, key);
      db.prepare('UPDATE units SET name = ? WHERE id = ?').run('另一家公司', unit.id);
      db.close();
      // The host's log-in: the anchor as the key file held it, and the head at open.
      const ks = readKeystore(keystorePath(path))!;
      host = newHost();
      const s: Session = { user: null };
      host.login(s, 'admin', 'guanli-mima-2024');
      const reader = openLedger(path, { key, readonly: true });
      try {
        const v = await verifyLedgerInSlices(reader, { ledgerId: ks.ledgerId, anchorKey: anchorKey(key, ks.ledgerId), anchor: ks.anchor, openedAtSeq: ks.anchor!.seq });
        expect(v.audit.ok).toBe(true);
        expect(v.anchor).toMatchObject({ ok: true, unanchored: 0 });
        expect(v.records.first).toMatchObject({ kind: 'changed', table: 'units', label: '被巡视单位', id: unit.id });
        expect(v.severity).toBe('tampered');
      } finally {
        reader.close();
      }
    } finally {
      host.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('running it', () => {
  it('in slices on a connection of its own while the app goes on writing, with progress', async () => {
    const { items } = work();
    const a = anchorNow();
    const openedAtSeq = t.ledger.state.lastAuditSeq;
    const reader = openLedger(t.ledger.path, { readonly: true });
    const seen: VerifyProgress[] = [];
    let writes = 0;
    try {
      const pending = verifyLedgerInSlices(reader, { ledgerId: LEDGER_ID, anchorKey: KEY, anchor: a, openedAtSeq }, (p) => seen.push(p), { sliceMs: 0 });
      // Between slices the app writes on its own connection (the reader sees its snapshot).
      const timer = setInterval(() => {
        updateTask(t.as(t.users.entry), { id: items[1]!.task.id, measures: `第${++writes}次修订的整改措施` });
      }, 0);
      const v = await pending;
      clearInterval(timer);
      expect(v.severity).toBe('ok');
      expect(seen.length).toBeGreaterThan(0);
      const last = seen.at(-1)!;
      expect(last.done).toBe(last.total);
      for (let i = 1; i < seen.length; i++) expect(seen[i]!.done).toBeGreaterThanOrEqual(seen[i - 1]!.done);
      expect(seen.every((p) => p.done <= p.total)).toBe(true);
    } finally {
      reader.close();
    }
    // And the writes it overlapped are themselves fine.
    expect(verify(anchorNow(), t.ledger.state.lastAuditSeq).severity).toBe('ok');
  });

  it('gives way to the user: no slice starts within quietMs of the latest call', async () => {
    work();
    const reader = openLedger(t.ledger.path, { readonly: true });
    try {
      let last = Date.now();
      const seen: VerifyProgress[] = [];
      let finished = false;
      const p = verifyLedgerInSlices(reader, {}, (x) => seen.push(x), { sliceMs: 0, quietMs: 60, lastActivity: () => last })
        .then((v) => ((finished = true), v));
      // Calls every 20 ms for 300 ms: the check waits the whole time.
      for (let i = 0; i < 15; i++) {
        await new Promise((r) => setTimeout(r, 20));
        last = Date.now();
      }
      expect(finished).toBe(false);
      expect(seen).toHaveLength(0);
      // The user stops: the check goes on and ends.
      const v = await p;
      expect(v.severity).toBe('ok');
      expect(seen.length).toBeGreaterThan(0);
    } finally {
      reader.close();
    }
  });

  it('stops when aborted', async () => {
    work();
    const reader = openLedger(t.ledger.path, { readonly: true });
    try {
      const ac = new AbortController();
      const p = verifyLedgerInSlices(reader, {}, undefined, { sliceMs: 0, signal: ac.signal });
      ac.abort(new Error('logged out'));
      await expect(p).rejects.toThrow('logged out');
      expect(reader.sqlite.inTransaction).toBe(false);
    } finally {
      reader.close();
    }
  });
});

describe('performance', () => {
  it('verifies a 20,000-problem ledger and prints the time', () => {
    const s = stage(t);
    const ctx: ServiceContext = t.as(t.users.entry);
    const N = 20_000;
    const started = Date.now();
    for (let start = 0; start < N; start += 1000) {
      inTransaction(ctx, () => {
        for (let k = start; k < start + 1000; k++) {
          const p = createProblem(ctx, { inspectionId: s.inspection.id, categoryId: s.cat, description: `第${k + 1}个问题：公务接待超标准问题仍有发生。`, source: 'inspection_feedback' });
          createTask(ctx, { problemId: p.id, measures: '修订公务接待管理办法，开展专项检查。', term: 'concentrated', deadline: '2024-04-30', responsibleDepartment: '办公室' });
        }
      });
    }
    const writeMs = Date.now() - started;
    const a = anchorNow();
    const t0 = Date.now();
    let reports = 0;
    const v = verifyLedger(t.ledger, { ledgerId: LEDGER_ID, anchorKey: KEY, anchor: a, openedAtSeq: a.seq }, () => reports++);
    console.log(`[verify] phases (ms): ${JSON.stringify(v.phaseMs)}`);
    const ms = Date.now() - t0;
    expect(v.severity).toBe('ok');
    expect(v.records.checked).toBeGreaterThanOrEqual(2 * N);
    const rows = v.records.checked + v.audit.rows;
    const perRowUs = (ms * 1000) / rows;
    // A million-problem ledger with two tasks each: ~3M records and at least as many audit rows.
    const millionS = (perRowUs * 6_000_000) / 1e6;
    const bytes = t.ledger.sqlite.pragma('page_count', { simple: true }) as number * (t.ledger.sqlite.pragma('page_size', { simple: true }) as number);
    console.log(`[verify] ${N.toLocaleString('en-US')} problems + ${N.toLocaleString('en-US')} tasks (written in ${(writeMs / 1000).toFixed(1)} s): `
      + `verifyLedger ${ms} ms (integrity ${v.integrity.checked}, ${v.audit.rows} audit rows, ${v.records.checked} records, ${(bytes / 1048576).toFixed(0)} MB), `
      + `${perRowUs.toFixed(1)} µs per row; ~${millionS.toFixed(0)} s extrapolated to 1,000,000 problems × 2 tasks (without quick_check); ${reports} progress reports`);
    expect(reports).toBeGreaterThan(0);
  }, 300_000);
});
