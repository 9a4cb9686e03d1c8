import { applyKey } from '../../db/core/cipher.js';
/**
 * Encryption at rest and the ledger host: the file is SQLCipher (no known phrase in its bytes,
 * Debian's sqlcipher opens it with the data key), keys are wrapped per user and by the recovery
 * key, a password change re-wraps without touching the file, wrong secrets open nothing, log-in
 * throttling, locks, and the anchor that notices a shortened audit trail.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../db/core/clock.js';
import { seededRandom, uuidv7Source } from '../../db/core/ids.js';
import { keystorePath, parseRecoveryKey, readKeystore, TEST_KDF } from '../../db/core/keystore.js';
import { classifyFile } from '../../db/core/ledger-file.js';
import { openLedger } from '../../db/core/open.js';
import { verifyAudit } from '../../db/core/audit.js';
import { createUser, updateUser } from '../../db/services/office.js';
import { dataKeyFor } from '../../db/session/provision.js';
import { LedgerHost, lockoutDelayMs, FREE_ATTEMPTS, type Session } from '../../db/session/host.js';
import { readWorkbook } from '../../db/excel/workbook.js';
import { csv, HEAD, TITLE } from '../helpers/workbooks.js';
import { makeHandlers } from '../../db/bridge/handlers.js';
import { dispatch } from '../../db/bridge/dispatch.js';

const ADMIN_PW = 'guanli-mima-2024';
const PHRASE = '巡视整改落实情况专项检查';

let dir: string;
let path: string;
let clock: ReturnType<typeof fixedClock>;
let host: LedgerHost;

function newHost(): LedgerHost {
  return new LedgerHost({ path, clock, ids: uuidv7Source(() => clock.now(), seededRandom(5)), kdf: TEST_KDF });
}

function setUp(): { admin: Session; recoveryKey: string } {
  const admin: Session = { user: null };
  const { recoveryKey } = host.setup(admin, {
    officeName: '某省委巡视办', officeKind: 'inspection_office', level: 'province',
    adminUsername: 'admin', adminDisplayName: '王某', adminPassword: ADMIN_PW,
  });
  return { admin, recoveryKey };
}

/** A call through the real dispatcher, as the transports make it. */
function call(s: Session, channel: string, arg?: unknown) {
  const handlers = makeHandlers(s, { host: () => host });
  return dispatch(handlers, channel, arg, () => host.context(s), { onCommit: () => host.committed(), onRollback: () => host.discarded() });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xz-enc-'));
  path = join(dir, 'ledger.sqlite');
  clock = fixedClock('2024-06-15');
  host = newHost();
});
afterEach(() => {
  host.close();
  rmSync(dir, { recursive: true, force: true });
});

function fileBytes(): Buffer {
  host.ledger?.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  return readFileSync(path);
}

describe('encryption at rest', () => {
  it('writes no known phrase into the ledger file, while a plaintext control holds it', async () => {
    const { admin } = setUp();
    const r = await call(admin, 'rounds:create', { name: PHRASE, kind: 'regular', level: 'province', mobilisedOn: '2024-03-01' });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const bytes = fileBytes();
    expect(classifyFile(path)).toBe('encrypted');
    for (const phrase of [PHRASE, '某省委巡视办', '王某', 'SQLite format 3']) expect(bytes.includes(Buffer.from(phrase, 'utf8'))).toBe(false);
    // Control: the same round in a plaintext ledger is found by the same search.
    const plainPath = join(dir, 'plain.sqlite');
    const plain = openLedger(plainPath);
    plain.sqlite.prepare("INSERT INTO meta (key, value) VALUES ('x', ?)").run(PHRASE);
    plain.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    plain.close();
    expect(readFileSync(plainPath).includes(Buffer.from(PHRASE, 'utf8'))).toBe(true);
  });

  it("opens in Debian's sqlcipher 3.4.1 (not our binary) with the data key, with the same counts", async () => {
    const { admin } = setUp();
    await call(admin, 'rounds:create', { name: PHRASE, kind: 'regular', level: 'province', mobilisedOn: '2024-03-01' });
    const ours = host.ledger!.sqlite.prepare('SELECT (SELECT count(*) FROM audit_log) a, (SELECT count(*) FROM rounds) r, (SELECT count(*) FROM calendar_days) c').get() as Record<string, number>;
    host.close();
    const key = dataKeyFor(path, { username: 'admin', password: ADMIN_PW }).toString('hex');
    const out = execFileSync('sqlcipher', [path], {
      input: `PRAGMA key = "x'${key}'";\nPRAGMA cipher_page_size = 4096;\nSELECT (SELECT count(*) FROM audit_log) || ',' || (SELECT count(*) FROM rounds) || ',' || (SELECT count(*) FROM calendar_days);\nSELECT name FROM rounds;\n`,
      encoding: 'utf8',
    });
    const lines = out.trim().split('\n').filter((l) => l !== 'ok');
    expect(lines[0]).toBe(`${ours.a},${ours.r},${ours.c}`);
    expect(lines[1]).toBe(PHRASE);
    // The same tool without the key reads nothing.
    expect(() => execFileSync('sqlcipher', [path], { input: 'SELECT count(*) FROM rounds;\n', encoding: 'utf8', stdio: 'pipe' })).toThrow(/encrypted or is not a database/);
  });

  it('a wrong password or recovery key opens nothing; a typo in the recovery key is named as such', async () => {
    const { admin, recoveryKey } = setUp();
    await call(admin, 'session:logout');
    expect(host.ledger).toBeNull();
    const s: Session = { user: null };
    expect(await call(s, 'session:login', { username: 'admin', password: 'wrong-password' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'bad_credentials' } });
    expect(host.ledger).toBeNull();
    const other = parseRecoveryKey(recoveryKey.replace(/^(.)/, (c) => (c === 'A' ? 'B' : 'A')));
    expect(other.ok).toBe(false);
    expect(await call(s, 'session:recover', { recoveryKey: recoveryKey.replace(/^(.)/, (c) => (c === 'A' ? 'B' : 'A')), username: 'admin', newPassword: 'xin-mima-2024' }))
      .toMatchObject({ ok: false, error: { code: 'VALIDATION', reason: 'recovery_key_typo' } });
    // A well-formed key of another ledger.
    const foreign = new LedgerHost({ path: join(dir, 'other.sqlite'), clock, ids: uuidv7Source(), kdf: TEST_KDF });
    const fs: Session = { user: null };
    const { recoveryKey: otherKey } = foreign.setup(fs, { officeName: '另一单位', officeKind: 'inspection_office', level: 'province', adminUsername: 'admin', adminDisplayName: '李某', adminPassword: ADMIN_PW });
    foreign.close();
    expect(await call(s, 'session:recover', { recoveryKey: otherKey, username: 'admin', newPassword: 'xin-mima-2024' }))
      .toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'wrong_recovery_key' } });
    expect(host.ledger).toBeNull();
    // The right recovery key (typed in lower case with spaces) sets a new password.
    const typed = recoveryKey.toLowerCase().replace(/-/g, ' ');
    expect(await call(s, 'session:recover', { recoveryKey: typed, username: 'admin', newPassword: 'xin-mima-2024' })).toMatchObject({ ok: true });
    await call(s, 'session:logout');
    expect(await call(s, 'session:login', { username: 'admin', password: ADMIN_PW })).toMatchObject({ ok: false });
    expect(await call(s, 'session:login', { username: 'admin', password: 'xin-mima-2024' })).toMatchObject({ ok: true });
  });

  it('a password change re-wraps the key and leaves the ledger file byte for byte unchanged', async () => {
    const { admin } = setUp();
    const ctx = host.engineContext(admin.user);
    createUser(ctx, { username: 'luru1', displayName: '张某', role: 'entry', canViewClues: false, password: 'luru-mima-2024' });
    host.committed();
    const before = fileBytes();
    const wrapsBefore = readKeystore(keystorePath(path))!.wraps.length;
    const u = host.ledger!.sqlite.prepare("SELECT id FROM users WHERE username = 'luru1'").get() as { id: string };
    // The key file changes; the ledger's pages do not (the audit row of the change is in the WAL
    // until a checkpoint, so compare the main file without checkpointing).
    host.ledger!.sqlite.pragma('wal_autocheckpoint = 0');
    host.engineContext(admin.user).keys!.setPassword({ id: u.id, username: 'luru1' }, 'luru-xinmima-2025');
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readKeystore(keystorePath(path))!.wraps.length).toBe(wrapsBefore);
    host.close();
    expect(() => dataKeyFor(path, { username: 'luru1', password: 'luru-mima-2024' })).toThrow();
    expect(dataKeyFor(path, { username: 'luru1', password: 'luru-xinmima-2025' })).toHaveLength(32);
  });
});

describe('log-in', () => {
  it('locks a name out with a growing delay after repeated wrong passwords, known or unknown, and audits it', async () => {
    const { admin } = setUp();
    const s: Session = { user: null };
    for (let i = 0; i < FREE_ATTEMPTS; i++) {
      expect(await call(s, 'session:login', { username: 'admin', password: `wrong-${i}` })).toMatchObject({ ok: false, error: { reason: 'bad_credentials' } });
    }
    // Even the right password waits now.
    expect(await call(s, 'session:login', { username: 'admin', password: ADMIN_PW })).toMatchObject({ ok: false, error: { code: 'LOCKED', reason: 'too_many_attempts' } });
    clock.advance(lockoutDelayMs(FREE_ATTEMPTS) + 1000);
    expect(await call(s, 'session:login', { username: 'admin', password: ADMIN_PW })).toMatchObject({ ok: true });
    expect(lockoutDelayMs(FREE_ATTEMPTS + 1)).toBe(2 * lockoutDelayMs(FREE_ATTEMPTS));
    // An unknown name is throttled the same way.
    for (let i = 0; i < FREE_ATTEMPTS; i++) await call(s, 'session:login', { username: 'nobody', password: 'x' });
    expect(await call(s, 'session:login', { username: 'nobody', password: 'x' })).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    const failed = host.ledger!.sqlite.prepare("SELECT count(*) n FROM audit_log WHERE action IN ('login_failed', 'login_refused_locked_out')").get() as { n: number };
    expect(failed.n).toBe(2 * FREE_ATTEMPTS + 2);
    expect(verifyAudit(host.ledger!).ok).toBe(true);
    void admin;
  });

  it('audits failed attempts made while the ledger was closed when it next opens', async () => {
    const { admin } = setUp();
    await call(admin, 'session:logout');
    const s: Session = { user: null };
    await call(s, 'session:login', { username: 'admin', password: 'wrong' });
    await call(s, 'session:login', { username: 'ghost', password: 'wrong' });
    expect(host.ledger).toBeNull();
    await call(s, 'session:login', { username: 'admin', password: ADMIN_PW });
    const rows = host.ledger!.sqlite.prepare("SELECT action, entity_id FROM audit_log WHERE entity = 'session' ORDER BY seq").all() as Array<{ action: string }>;
    expect(rows.map((r) => r.action)).toEqual(['login', 'logout', 'login_failed', 'login_failed', 'login']);
  });

  it('reads rights afresh on every call: a deactivated user is logged out at their next call', async () => {
    const { admin } = setUp();
    createUser(host.engineContext(admin.user), { username: 'luru1', displayName: '张某', role: 'entry', canViewClues: false, password: 'luru-mima-2024' });
    const clerk: Session = { user: null };
    expect(await call(clerk, 'session:login', { username: 'luru1', password: 'luru-mima-2024' })).toMatchObject({ ok: true });
    expect(await call(clerk, 'rounds:list')).toMatchObject({ ok: true });
    expect(await call(admin, 'users:update', { id: clerk.user!.id, active: false })).toMatchObject({ ok: true });
    expect(await call(clerk, 'rounds:list')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'session_invalid' } });
    expect(clerk.user).toBeNull();
    // The deactivated user's wrap is gone: their password no longer opens the ledger file.
    expect(await call(clerk, 'session:login', { username: 'luru1', password: 'luru-mima-2024' })).toMatchObject({ ok: false });
    void updateUser;
  });

  it('takes the same scrypt work for an unknown name as for a wrong password', async () => {
    setUp();
    const s: Session = { user: null };
    const time = async (username: string) => {
      const t0 = performance.now();
      for (let i = 0; i < 4; i++) await call(s, 'session:login', { username, password: `wrong-${i}` });
      return performance.now() - t0;
    };
    // Warm up, then compare (both do one scrypt of the same parameters per attempt).
    await time('warm');
    const known = await time('admin');
    const unknown = await time('zhangsan');
    expect(unknown / known).toBeGreaterThan(0.5);
    expect(unknown / known).toBeLessThan(2);
  });
});

describe('locks', () => {
  it('refuses every ledger call on a locked session until its own password unlocks it', async () => {
    const { admin } = setUp();
    expect(await call(admin, 'session:lock')).toMatchObject({ ok: true });
    expect(await call(admin, 'rounds:list')).toMatchObject({ ok: false, error: { code: 'LOCKED', reason: 'ledger_locked' } });
    expect(await call(admin, 'session:unlock', { password: 'wrong' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call(admin, 'session:unlock', { password: ADMIN_PW })).toMatchObject({ ok: true });
    expect(await call(admin, 'rounds:list')).toMatchObject({ ok: true });
  });

  it('a lock or a log-out drops the Excel workbook kept since its dry run', async () => {
    const { admin } = setUp();
    const file = csv([[TITLE], HEAD, ['1', '廉洁风险', '问题一。', '措施一。', '张三', '纪检监察部', '李四', '2024年9月30日']]);
    const kept = await readWorkbook(file);
    expect(await readWorkbook(file)).toBe(kept);
    expect(await call(admin, 'session:lock')).toMatchObject({ ok: true });
    const afterLock = await readWorkbook(file);
    expect(afterLock).not.toBe(kept);
    expect(await call(admin, 'session:unlock', { password: ADMIN_PW })).toMatchObject({ ok: true });
    expect(await readWorkbook(file)).toBe(afterLock);
    await call(admin, 'session:logout');
    expect(await readWorkbook(file)).not.toBe(afterLock);
  });

  it('locks a session idle longer than the setting', async () => {
    const { admin } = setUp();
    expect(await call(admin, 'rounds:list')).toMatchObject({ ok: true });
    clock.advance(11 * 60_000);
    expect(await call(admin, 'rounds:list')).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(admin.locked).toBe(true);
    const actions = host.ledger!.sqlite.prepare("SELECT action FROM audit_log WHERE entity = 'session'").all() as Array<{ action: string }>;
    expect(actions.map((a) => a.action)).toContain('lock');
  });
});

describe('the audit anchor', () => {
  it('reports newest audit rows removed with a raw SQL tool at the next log-in', async () => {
    const { admin } = setUp();
    await call(admin, 'rounds:create', { name: PHRASE, kind: 'regular', level: 'province', mobilisedOn: '2024-03-01' });
    await call(admin, 'session:logout');
    // The attacker has the data key (e.g. an account's password) and a SQLite tool.
    const key = dataKeyFor(path, { username: 'admin', password: ADMIN_PW });
    const db = new Database(path);
    applyKey(db, key);
    for (const t of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'").all() as Array<{ name: string }>) db.exec(`DROP TRIGGER "${t.name}"`);
    db.exec('DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log)');
    db.close();
    const s: Session = { user: null };
    expect(await call(s, 'session:login', { username: 'admin', password: ADMIN_PW })).toMatchObject({ ok: true });
    expect(host.anchorVerdict).toMatchObject({ ok: false, problem: 'tail_missing' });
    expect(await call(s, 'ledger:status')).toMatchObject({ ok: true, value: { anchor: { problem: 'tail_missing' } } });
  });

  it('verifies every record in the background after log-in and names one changed with a SQLite tool', async () => {
    const { admin } = setUp();
    const r = await call(admin, 'rounds:create', { name: PHRASE, kind: 'regular', level: 'province', mobilisedOn: '2024-03-01' });
    await call(admin, 'session:logout');
    await call(admin, 'session:login', { username: 'admin', password: ADMIN_PW });
    expect((await host.verified())?.severity).toBe('ok');
    await call(admin, 'session:logout');
    const key = dataKeyFor(path, { username: 'admin', password: ADMIN_PW });
    const db = new Database(path);
    applyKey(db, key);
    db.prepare('UPDATE rounds SET name = ? WHERE id = ?').run('篡改后的轮次名称', (r as { value: { id: string } }).value.id);
    db.close();
    const s: Session = { user: null };
    expect(await call(s, 'session:login', { username: 'admin', password: ADMIN_PW })).toMatchObject({ ok: true });
    const v = await host.verified();
    expect(v).toMatchObject({ ok: false, severity: 'tampered' });
    expect(v!.message).toMatch(/轮次/);
    expect(await call(s, 'ledger:status')).toMatchObject({ ok: true, value: { verify: { running: false, severity: 'tampered' } } });
  });

  it('reports an older copy of the ledger put back in place of the current one', async () => {
    const { admin } = setUp();
    host.ledger!.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const old = join(dir, 'old.sqlite');
    copyFileSync(path, old);
    await call(admin, 'rounds:create', { name: PHRASE, kind: 'regular', level: 'province', mobilisedOn: '2024-03-01' });
    await call(admin, 'session:logout');
    copyFileSync(old, path);
    for (const s of ['-wal', '-shm']) rmSync(path + s, { force: true });
    const s: Session = { user: null };
    expect(await call(s, 'session:login', { username: 'admin', password: ADMIN_PW })).toMatchObject({ ok: true });
    expect(host.anchorVerdict).toMatchObject({ ok: false, problem: 'tail_missing' });
  });
});

describe('bad files', () => {
  it('names an empty, zeroed, truncated or foreign ledger file and changes nothing', async () => {
    const { admin } = setUp();
    await call(admin, 'session:logout');
    const good = readFileSync(path);
    const cases: Array<[string, Buffer, string]> = [
      ['empty', Buffer.alloc(0), 'file_empty'],
      ['zeroed', Buffer.alloc(good.length), 'file_zeroed'],
      ['truncated', good.subarray(0, good.length - 100), 'file_truncated'],
    ];
    for (const [, bytes, reason] of cases) {
      writeFileSync(path, bytes);
      const s: Session = { user: null };
      expect(await call(s, 'session:login', { username: 'admin', password: ADMIN_PW })).toMatchObject({ ok: false, error: { code: 'CORRUPT', reason } });
      expect(readFileSync(path).equals(bytes)).toBe(true);
    }
    // Another ledger's file beside this ledger's key file.
    const other = new LedgerHost({ path: join(dir, 'other.sqlite'), clock, ids: uuidv7Source(), kdf: TEST_KDF });
    other.setup({ user: null }, { officeName: '另一单位', officeKind: 'inspection_office', level: 'province', adminUsername: 'admin', adminDisplayName: '李某', adminPassword: ADMIN_PW });
    other.ledger!.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    other.close();
    copyFileSync(join(dir, 'other.sqlite'), path);
    const s: Session = { user: null };
    expect(await call(s, 'session:login', { username: 'admin', password: ADMIN_PW })).toMatchObject({ ok: false, error: { code: 'CORRUPT', reason: 'foreign_ledger' } });
    expect(existsSync(keystorePath(path))).toBe(true);
  });
});
