import { applyKey } from '../../db/core/cipher.js';
/**
 * 备份与恢复 (security issue item 4), on real encrypted files: a backup is an encrypted, verified
 * copy (no known phrase in its bytes, Debian's sqlcipher opens it with the data key); restore
 * replaces the ledger, keeps the replaced one aside as a backup, records itself in the audit trail
 * and moves the anchor so the next log-in finds nothing missing; foreign, damaged and newer backups
 * are refused with the ledger unchanged; a disk that fills up (a real small tmpfs) or a write that
 * fails (RLIMIT_FSIZE) leaves no partial files; rotation; the before-migration hook; the schedule;
 * and the backup's throughput against `cp`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../db/core/clock.js';
import { inTransaction } from '../../db/core/context.js';
import { seededRandom, uuidv7Source } from '../../db/core/ids.js';
import { keystorePath, readKeystore, TEST_KDF } from '../../db/core/keystore.js';
import { openEncrypted } from '../../db/core/ledger-file.js';
import { DEFAULT_MIGRATIONS } from '../../db/core/open.js';
import { appendEvent, verifyAudit } from '../../db/core/audit.js';
import { checkAnchor } from '../../db/core/anchor.js';
import { anchorKey } from '../../db/core/keystore.js';
import { dataKeyFor } from '../../db/session/provision.js';
import { LedgerHost, type Session } from '../../db/session/host.js';
import { makeHandlers } from '../../db/bridge/handlers.js';
import { dispatch } from '../../db/bridge/dispatch.js';
import {
  BackupScheduler, backupSync, backupToFolder, createBackup, listBackups, restoreBackup, verifyBackup, type BackupProgress,
} from '../../db/backup/index.js';
import { DomainError } from '../../db/domain/errors.js';
import { runInWorker } from '../../db/backup/backup.js';

const ADMIN_PW = 'guanli-mima-2024';
const PHRASE = '巡视整改落实情况专项检查';
const ROOT = join(import.meta.dirname, '..', '..');

let dir: string;
let path: string;
let backups: string;
let clock: ReturnType<typeof fixedClock>;
let host: LedgerHost;

function newHost(p = path): LedgerHost {
  return new LedgerHost({ path: p, clock, ids: uuidv7Source(() => clock.now(), seededRandom(5)), kdf: TEST_KDF });
}

function setUp(h = host, officeName = '某省委巡视办'): Session {
  const admin: Session = { user: null };
  h.setup(admin, { officeName, officeKind: 'inspection_office', level: 'province', adminUsername: 'admin', adminDisplayName: '王某', adminPassword: ADMIN_PW });
  return admin;
}

function call(s: Session, channel: string, arg?: unknown) {
  const handlers = makeHandlers(s, { host: () => host });
  return dispatch(handlers, channel, arg, () => host.context(s), { onCommit: () => host.committed(), onRollback: () => host.discarded() });
}

async function createRound(s: Session, name: string) {
  const r = await call(s, 'rounds:create', { name, kind: 'regular', level: 'province', mobilisedOn: '2024-03-01' });
  expect(r.ok, JSON.stringify(r)).toBe(true);
}

function keyOf(p = path): Buffer {
  return dataKeyFor(p, { username: 'admin', password: ADMIN_PW });
}

/** Grow the ledger with audited events (chained rows with Chinese text): `n` rows of about `bytes` each. */
function grow(h: LedgerHost, s: Session, n: number, bytes = 400) {
  const ctx = h.engineContext(s.user);
  const filler = `${PHRASE}，整改措施落实到位情况说明。`.repeat(Math.ceil(bytes / 60)).slice(0, bytes / 3);
  inTransaction(ctx, () => {
    for (let i = 0; i < n; i++) appendEvent(ctx, { action: 'note', entity: 'ledger', entityId: String(i), detail: { text: filler, i } });
  });
  h.committed();
}

function fileState(p: string): { ledger: Buffer; keys: Buffer } {
  return { ledger: readFileSync(p), keys: readFileSync(keystorePath(p)) };
}

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a refusal');
}

function sqlcipher(file: string, key: Buffer, sql: string): string {
  return execFileSync('sqlcipher', [file], { input: `PRAGMA key = "x'${key.toString('hex')}'";\nPRAGMA cipher_page_size = 4096;\n${sql}\n`, encoding: 'utf8' })
    .trim().split('\n').filter((l) => l !== 'ok').join('\n');
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xz-backup-'));
  path = join(dir, 'ledger.sqlite');
  backups = join(dir, 'backups');
  clock = fixedClock('2024-06-15');
  host = newHost();
});
afterEach(() => {
  host.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a backup', { timeout: 120_000 }, () => {
  it('is an encrypted, verified copy with its key file and manifest; sqlcipher opens it with the data key', async () => {
    const admin = setUp();
    await createRound(admin, PHRASE);
    const key = keyOf();
    const phases: BackupProgress['phase'][] = [];
    const b = await createBackup({ ledger: host.ledger!, key, keystore: host.keystore!, dir: backups, reason: 'manual', clock, onProgress: (p) => phases.push(p.phase) });
    expect(b.name).toMatch(/^备份-20240615-\d{6}-manual$/);
    expect(phases[0]).toBe('start');
    expect(phases).toContain('verify');
    expect(phases.at(-1)).toBe('finish');
    expect(readdirSync(backups).sort()).toEqual([`${b.name}.json`, `${b.name}.sqlite`, `${b.name}.sqlite.keys`]);
    // No known phrase in any of the three files.
    for (const f of readdirSync(backups)) {
      const bytes = readFileSync(join(backups, f));
      for (const phrase of [PHRASE, '某省委巡视办', '王某', 'SQLite format 3']) expect(bytes.includes(Buffer.from(phrase, 'utf8')), `${f}: ${phrase}`).toBe(false);
    }
    const m = b.manifest;
    expect(m).toMatchObject({ ledgerId: host.keystore!.ledgerId, reason: 'manual', verified: { integrity: 'ok', auditOk: true } });
    expect(m.counts.rounds).toBe(1);
    expect(m.audit.seq).toBe(host.ledger!.state.lastAuditSeq);
    expect(m.schema.migrations).toBeGreaterThan(0);
    // The key-file copy opens the copy with the password of that moment, and its anchor holds there.
    const copyKs = readKeystore(join(backups, `${b.name}.sqlite.keys`))!;
    expect(dataKeyFor(b.path, { username: 'admin', password: ADMIN_PW }).equals(key)).toBe(true);
    const copy = openEncrypted(b.path, key, copyKs, { readonly: true });
    try {
      expect(checkAnchor(copy, copyKs.ledgerId, anchorKey(key, copyKs.ledgerId), copyKs.anchor)).toMatchObject({ ok: true });
    } finally {
      copy.close();
    }
    // Not our binary: Debian's sqlcipher 3.4.1 reads the same counts.
    expect(sqlcipher(b.path, key, 'SELECT (SELECT count(*) FROM audit_log) || \',\' || (SELECT count(*) FROM rounds);\nSELECT name FROM rounds;'))
      .toBe(`${m.counts.audit_log},${m.counts.rounds}\n${PHRASE}`);
    // Listed, complete.
    expect(listBackups(backups, { ledgerId: m.ledgerId })).toMatchObject([{ name: b.name, reason: 'manual', problems: [] }]);
    const v = await verifyBackup(b.path, { key, ledgerId: m.ledgerId, migrationsFolder: DEFAULT_MIGRATIONS });
    expect(v).toMatchObject({ name: b.name, counts: m.counts, audit: { seq: m.audit.seq } });
  });

  it('is still made when no worker thread can start (the job runs in this thread)', async () => {
    const admin = setUp();
    await createRound(admin, PHRASE);
    const key = keyOf();
    const b = await createBackup({ ledger: host.ledger!, key, keystore: host.keystore!, dir: backups, reason: 'manual', clock, inThread: true });
    const out = await runInWorker({ job: 'inspect', file: b.path, key: Buffer.from(key), integrity: true, writable: false, sha256: true }, undefined, false, {
      url: pathToFileURL(join(dir, 'no-such-worker.js')), execArgv: [],
    }) as { inspection: { integrity: string; counts: Record<string, number> }; sha256: string };
    expect(out.inspection).toMatchObject({ integrity: 'ok', counts: b.manifest.counts });
    expect(out.sha256).toBe(b.manifest.sha256);
  });

  it('to a chosen folder (USB stick) is the same backup, reason folder; a folder that does not exist is refused', async () => {
    const admin = setUp();
    await createRound(admin, PHRASE);
    const usb = join(dir, 'U盘');
    const missing = await refusal(backupToFolder({ ledger: host.ledger!, key: keyOf(), keystore: host.keystore!, dir: usb }));
    expect(missing).toMatchObject({ code: 'VALIDATION', reason: 'folder_unusable' });
    mkdirSync(usb);
    const b = await backupToFolder({ ledger: host.ledger!, key: keyOf(), keystore: host.keystore!, dir: usb, clock });
    expect(b.manifest.reason).toBe('folder');
    expect(listBackups(usb)).toHaveLength(1);
  });
});

describe('restore', { timeout: 120_000 }, () => {
  it('replaces the ledger, keeps the replaced one aside, records itself, and the anchor holds at the next log-in', async () => {
    const admin = setUp();
    await createRound(admin, '备份前的轮次');
    const key = keyOf();
    const b = await createBackup({ ledger: host.ledger!, key, keystore: host.keystore!, dir: backups, reason: 'manual', clock });
    clock.advance(60_000);
    await createRound(admin, '备份后的轮次');
    const replacedHead = host.ledger!.state.lastAuditSeq;
    const ledgerId = host.keystore!.ledgerId;
    const adminId = admin.user!.id;

    // The host's sequence: verify, close the connection (keep the key), swap, record, re-anchor.
    let closed = false;
    const r = await restoreBackup({
      ledgerPath: path, backupPath: b.path, key, keystore: host.keystore!, backupsDir: backups, clock, ids: uuidv7Source(() => clock.now()),
      user: admin.user, closeLedger: () => {
        closed = true;
        host.close();
      },
    });
    expect(closed).toBe(true);
    expect(r.restored.name).toBe(b.name);
    expect(r.setAside.name).toMatch(/^恢复前-20240615-/);
    expect(r.setAside.headSeq).toBe(replacedHead);
    expect(r.setAside.problem).toBeNull();

    // Log in again: the restored ledger, the anchor holds, the restore is in the audit trail.
    const s: Session = { user: null };
    expect(await call(s, 'session:login', { username: 'admin', password: ADMIN_PW })).toMatchObject({ ok: true });
    expect(host.anchorVerdict).toMatchObject({ ok: true });
    const names = (host.ledger!.sqlite.prepare('SELECT name FROM rounds').all() as Array<{ name: string }>).map((x) => x.name);
    expect(names).toEqual(['备份前的轮次']);
    const row = host.ledger!.sqlite.prepare("SELECT seq, after, user_id FROM audit_log WHERE action = 'restored'").get() as { seq: number; after: string; user_id: string };
    expect(row.seq).toBe(r.auditSeq);
    expect(row.user_id).toBe(adminId);
    expect(JSON.parse(row.after)).toMatchObject({ backup: `${b.name}.sqlite`, backupCreatedAt: b.manifest.createdAt, backupHeadSeq: b.manifest.audit.seq, replacedHeadSeq: replacedHead });
    expect(verifyAudit(host.ledger!).ok).toBe(true);

    // The replaced ledger is a complete backup of its own and still holds what the restore dropped.
    const listed = listBackups(backups, { ledgerId });
    expect(listed.map((e) => e.reason).sort()).toEqual(['before_restore', 'manual']);
    expect(listed.every((e) => e.problems.length === 0)).toBe(true);
    const aside = new Database(r.setAside.path, { readonly: true });
    applyKey(aside, key);
    expect((aside.prepare('SELECT name FROM rounds ORDER BY name').all() as Array<{ name: string }>).map((x) => x.name)).toEqual(['备份前的轮次', '备份后的轮次'].sort());
    aside.close();
    await verifyBackup(r.setAside.path, { key, ledgerId });
    // Only complete backups in the folder: no -wal/-shm left by the checks.
    expect(readdirSync(backups).filter((f) => !/\.(sqlite|sqlite\.keys|json)$/.test(f))).toEqual([]);
  });

  it('puts the ledger and the anchor back when the restore fails after the swap (a migration of the restored copy fails)', async () => {
    const admin = setUp();
    await createRound(admin, '备份前的轮次');
    const key = keyOf();
    const b = await createBackup({ ledger: host.ledger!, key, keystore: host.keystore!, dir: backups, reason: 'manual', clock, inThread: true });
    await createRound(admin, '备份后的轮次');
    // The app's migrations plus one that fails: the backup verifies (it is older), its migration does not run.
    const broken = join(dir, 'migrations');
    cpSync(DEFAULT_MIGRATIONS, broken, { recursive: true });
    const jp = join(broken, 'meta', '_journal.json');
    const j = JSON.parse(readFileSync(jp, 'utf8')) as { entries: Array<{ idx: number; when: number; tag: string }> };
    j.entries.push({ ...j.entries.at(-1)!, idx: j.entries.at(-1)!.idx + 1, when: j.entries.at(-1)!.when + 1000, tag: '9999_broken' });
    writeFileSync(jp, JSON.stringify(j));
    writeFileSync(join(broken, '9999_broken.sql'), 'CREATE TABLE `rounds` (`id` integer);');
    let before: { ledger: Buffer; keys: Buffer } | null = null;
    const e = await refusal(restoreBackup({
      ledgerPath: path, backupPath: b.path, key, keystore: host.keystore!, backupsDir: backups, clock, ids: uuidv7Source(), user: admin.user,
      migrationsFolder: broken, inThread: true,
      closeLedger: () => {
        host.close();
        before = fileState(path);
      },
    }));
    expect(e).toMatchObject({ code: 'UNAVAILABLE', reason: 'restore_failed' });
    expect(e.message).toMatch(/打开或升级恢复的台账时出错.*当前台账未受影响/);
    const after = fileState(path);
    expect(after.ledger.equals(before!.ledger)).toBe(true);
    expect(after.keys.equals(before!.keys)).toBe(true);
    expect(existsSync(`${path}.restoring`)).toBe(false);
    expect(listBackups(backups).map((x) => x.reason)).toEqual(['manual']);
    const s: Session = { user: null };
    expect(await call(s, 'session:login', { username: 'admin', password: ADMIN_PW })).toMatchObject({ ok: true });
    expect(host.anchorVerdict).toMatchObject({ ok: true });
    expect((host.ledger!.sqlite.prepare('SELECT count(*) n FROM rounds').get() as { n: number }).n).toBe(2);
  });

  it('refuses a backup of another ledger and leaves the ledger unchanged (with or without its manifest)', async () => {
    const admin = setUp();
    await createRound(admin, PHRASE);
    const otherPath = join(dir, 'other.sqlite');
    const other = newHost(otherPath);
    setUp(other, '另一单位');
    const foreign = await createBackup({ ledger: other.ledger!, key: dataKeyFor(otherPath, { username: 'admin', password: ADMIN_PW }), keystore: other.keystore!, dir: join(dir, 'other-backups'), reason: 'manual', clock });
    other.close();
    host.ledger!.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const before = fileState(path);
    let closed = false;
    const opts = {
      ledgerPath: path, key: keyOf(), keystore: host.keystore!, backupsDir: backups, clock, ids: uuidv7Source(), user: admin.user,
      closeLedger: () => {
        closed = true;
      },
    };
    const e1 = await refusal(restoreBackup({ ...opts, backupPath: foreign.path }));
    expect(e1).toMatchObject({ code: 'CONFLICT', reason: 'backup_foreign', message: '来自其他台账的备份，不能恢复到本台账。' });
    // Without the manifest the data key does not open it: still named as foreign.
    rmSync(join(dir, 'other-backups', `${foreign.name}.json`));
    const e2 = await refusal(restoreBackup({ ...opts, backupPath: foreign.path }));
    expect(e2.reason).toBe('backup_foreign');
    expect(closed).toBe(false);
    host.ledger!.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const after = fileState(path);
    expect(after.ledger.equals(before.ledger)).toBe(true);
    expect(after.keys.equals(before.keys)).toBe(true);
    expect(existsSync(backups)).toBe(false);
  });

  it('refuses a damaged backup: a flipped byte (SHA-256, or the page HMAC without a manifest), an edited manifest', async () => {
    const admin = setUp();
    grow(host, admin, 200);
    const key = keyOf();
    const ledgerId = host.keystore!.ledgerId;
    const b = await createBackup({ ledger: host.ledger!, key, keystore: host.keystore!, dir: backups, reason: 'manual', clock });
    const good = readFileSync(b.path);
    const flipped = Buffer.from(good);
    flipped[Math.floor(good.length / 2)]! ^= 0x01;
    writeFileSync(b.path, flipped);
    expect(await refusal(verifyBackup(b.path, { key, ledgerId }))).toMatchObject({ code: 'CORRUPT', reason: 'backup_damaged', message: expect.stringContaining('SHA-256') });
    const manifest = readFileSync(join(backups, `${b.name}.json`));
    rmSync(join(backups, `${b.name}.json`));
    expect(await refusal(verifyBackup(b.path, { key, ledgerId }))).toMatchObject({ reason: 'backup_damaged', message: expect.stringContaining('加密页面') });
    // The bytes intact, the manifest edited by hand (a count changed): its MAC no longer holds.
    writeFileSync(b.path, good);
    const m = JSON.parse(manifest.toString('utf8')) as { counts: Record<string, number> };
    m.counts.rounds = 5;
    writeFileSync(join(backups, `${b.name}.json`), JSON.stringify(m));
    expect(await refusal(verifyBackup(b.path, { key, ledgerId }))).toMatchObject({ reason: 'backup_damaged', message: expect.stringContaining('说明文件被改动') });
    writeFileSync(join(backups, `${b.name}.json`), manifest);
    await verifyBackup(b.path, { key, ledgerId });
    // A truncated copy is listed with its problem, not hidden.
    writeFileSync(b.path, good.subarray(0, good.length - 1024));
    expect(listBackups(backups, { ledgerId })[0]!.problems.map((p) => p.reason)).toEqual(['size_mismatch']);
  });
});

// ---------------------------------------------------------------------------------------------
// A disk that fills up, a write that fails: in a child process, so the small file system (a tmpfs
// in a private mount namespace, unprivileged through a user namespace) and the file-size limit
// apply to it alone.

const CHILD = `
import { readFileSync, readdirSync, statfsSync, writeFileSync } from 'node:fs';
const root = process.env.XZ_ROOT;
const { createBackup } = await import(new URL('db/backup/backup.ts', root).href);
const { openEncrypted, keystoreOf } = await import(new URL('db/core/ledger-file.ts', root).href);
const input = JSON.parse(readFileSync(0, 'utf8'));
const key = Buffer.from(input.key, 'hex');
const ledger = openEncrypted(input.ledger, key, keystoreOf(input.ledger));
const fill = () => {
  const s = statfsSync(input.dir);
  writeFileSync(input.dir + '/filler', Buffer.alloc(Math.max(0, s.bavail * s.bsize - 64 * 1024)));
};
let out;
try {
  const r = await createBackup({ ledger, key, keystore: keystoreOf(input.ledger), dir: input.dir, reason: 'manual', inThread: input.inThread,
    onProgress: (p) => { if (p.phase === 'start' && input.fill) fill(); } });
  out = { ok: true, name: r.name };
} catch (e) {
  out = { ok: false, code: e.code, reason: e.reason, message: e.message };
}
ledger.close();
out.left = readdirSync(input.dir).filter((f) => f !== 'filler');
process.stdout.write(JSON.stringify(out));
`;

interface ChildOut { ok: boolean; code?: string; reason?: string; message?: string; left: string[] }

function runChild(wrapper: (script: string) => [string, string[]], input: Record<string, unknown>): ChildOut {
  const script = join(dir, 'child.mjs');
  writeFileSync(script, CHILD);
  const [cmd, args] = wrapper(script);
  const r = spawnSync(cmd, args, { cwd: ROOT, input: JSON.stringify(input), encoding: 'utf8', env: { ...process.env, XZ_ROOT: pathToFileURL(ROOT + '/').href } });
  if (r.status !== 0 || !r.stdout) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as ChildOut;
}

const canUnshare = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'true']).status === 0;

describe('a write that fails', { timeout: 120_000 }, () => {
  function bigLedger(): { key: string; before: { ledger: Buffer; keys: Buffer } } {
    const admin = setUp();
    grow(host, admin, 6000);
    const key = keyOf().toString('hex');
    host.close();
    expect(statSync(path).size).toBeGreaterThan(2 * 1024 * 1024);
    return { key, before: fileState(path) };
  }
  const onTmpfs = (size: string, mnt: string) => (script: string): [string, string[]] => [
    'unshare', ['--user', '--map-root-user', '--mount', 'bash', '-c', 'mount -t tmpfs -o size="$1" tmpfs "$2" && exec "$3" --import tsx "$4"', '_', size, mnt, process.execPath, script],
  ];

  it.skipIf(!canUnshare)('disk full during the backup (a real tmpfs filled up): disk_full, no partial file, ledger unchanged', () => {
    const { key, before } = bigLedger();
    const mnt = join(dir, 'small-disk');
    mkdirSync(mnt);
    for (const inThread of [false, true]) {
      const out = runChild(onTmpfs('16m', mnt), { ledger: path, key, dir: mnt, fill: true, inThread });
      expect(out, JSON.stringify(out)).toMatchObject({ ok: false, code: 'UNAVAILABLE', reason: 'disk_full', message: '磁盘空间不足，备份未完成；原台账未受影响。', left: [] });
    }
    // Too small from the start: refused before anything is written.
    const out = runChild(onTmpfs('1m', mnt), { ledger: path, key, dir: mnt, fill: false });
    expect(out).toMatchObject({ ok: false, reason: 'disk_full', left: [] });
    // Control: the same child with room succeeds.
    expect(runChild(onTmpfs('32m', mnt), { ledger: path, key, dir: mnt, fill: false })).toMatchObject({ ok: true });
    const after = fileState(path);
    expect(after.ledger.equals(before.ledger)).toBe(true);
    expect(after.keys.equals(before.keys)).toBe(true);
  });

  it('a write refused by a file-size limit (ulimit -f, EFBIG): backup_failed, no partial file, ledger unchanged', () => {
    const { key, before } = bigLedger();
    const out = runChild((script) => ['bash', ['-c', 'ulimit -f 1024 && exec "$1" --import tsx "$2"', '_', process.execPath, script]], { ledger: path, key, dir: backups, fill: false });
    expect(out, JSON.stringify(out)).toMatchObject({ ok: false, code: 'UNAVAILABLE', reason: 'backup_failed', left: [] });
    expect(out.message).toContain('原台账未受影响');
    const after = fileState(path);
    expect(after.ledger.equals(before.ledger)).toBe(true);
    expect(after.keys.equals(before.keys)).toBe(true);
  });
});

describe('rotation', { timeout: 120_000 }, () => {
  it('keeps the newest N scheduled backups and never removes manual ones or another ledger\'s', async () => {
    const admin = setUp();
    await createRound(admin, PHRASE);
    const key = keyOf();
    const common = { ledger: host.ledger!, key, keystore: host.keystore!, dir: backups, clock, inThread: true };
    await createBackup({ ...common, reason: 'manual' });
    // Another ledger's scheduled backups in the same folder.
    const otherPath = join(dir, 'other.sqlite');
    const other = newHost(otherPath);
    setUp(other, '另一单位');
    for (let i = 0; i < 3; i++) {
      clock.advance(60_000);
      await createBackup({ ledger: other.ledger!, key: dataKeyFor(otherPath, { username: 'admin', password: ADMIN_PW }), keystore: other.keystore!, dir: backups, clock, reason: 'schedule', inThread: true });
    }
    other.close();
    const removed: string[] = [];
    for (let i = 0; i < 10; i++) {
      clock.advance(3600_000);
      removed.push(...(await createBackup({ ...common, reason: 'schedule', rotation: { schedule: 7 } })).removed);
    }
    expect(removed).toHaveLength(3);
    const mine = listBackups(backups, { ledgerId: host.keystore!.ledgerId }).filter((e) => e.problems.length === 0);
    expect(mine.filter((e) => e.reason === 'schedule')).toHaveLength(7);
    expect(mine.filter((e) => e.reason === 'manual')).toHaveLength(1);
    // The oldest went; the newest stayed.
    expect(removed.every((n) => !mine.some((e) => e.name === n))).toBe(true);
    expect(listBackups(backups).filter((e) => e.problems.some((p) => p.reason === 'foreign') || e.manifest?.ledgerId !== host.keystore!.ledgerId)).toHaveLength(3);
  });
});

describe('before a migration', { timeout: 120_000 }, () => {
  it('takes a backup only when the journal has a migration the ledger lacks; a backup of a newer schema is refused', async () => {
    const admin = setUp();
    await createRound(admin, PHRASE);
    const key = keyOf();
    const ks = host.keystore!;
    host.close();
    // A migrations folder with one migration more than the app's.
    const newer = join(dir, 'migrations');
    cpSync(DEFAULT_MIGRATIONS, newer, { recursive: true });
    const journalPath = join(newer, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ idx: number; version: string; when: number; tag: string; breakpoints: boolean }> };
    const last = journal.entries.at(-1)!;
    journal.entries.push({ idx: last.idx + 1, version: last.version, when: last.when + 1000, tag: '9999_backup_probe', breakpoints: true });
    writeFileSync(journalPath, JSON.stringify(journal, null, 2));
    writeFileSync(join(newer, '9999_backup_probe.sql'), 'CREATE TABLE `backup_probe` (`id` integer PRIMARY KEY);');

    const calls: number[] = [];
    const hook = (pending: number, sqlite: Database.Database) => {
      calls.push(pending);
      backupSync({ sqlite, ledgerPath: path, key, keystore: ks, dir: backups, reason: 'before_migration', clock });
    };
    // Nothing pending with the app's own migrations: no call.
    openEncrypted(path, key, ks, { beforeMigrate: hook }).close();
    expect(calls).toEqual([]);
    // One pending: one call, one backup of the unmigrated ledger, then the migration.
    const migrated = openEncrypted(path, key, ks, { migrationsFolder: newer, beforeMigrate: hook });
    expect(migrated.sqlite.prepare("SELECT name FROM sqlite_master WHERE name = 'backup_probe'").get()).toBeTruthy();
    migrated.close();
    expect(calls).toEqual([1]);
    const [b] = listBackups(backups);
    expect(b).toMatchObject({ reason: 'before_migration', problems: [] });
    expect(sqlcipher(b!.path, key, "SELECT count(*) FROM sqlite_master WHERE name = 'backup_probe';")).toBe('0');
    // Applied now: no second call.
    openEncrypted(path, key, ks, { migrationsFolder: newer, beforeMigrate: hook }).close();
    expect(calls).toEqual([1]);
    // A backup of the migrated ledger comes from a newer version than the app's migrations.
    const l = openEncrypted(path, key, ks, { migrationsFolder: newer });
    const nb = await createBackup({ ledger: l, key, keystore: ks, dir: backups, reason: 'manual', clock, inThread: true });
    l.close();
    expect(await refusal(verifyBackup(nb.path, { key, ledgerId: ks.ledgerId, migrationsFolder: DEFAULT_MIGRATIONS }))).toMatchObject({ reason: 'backup_newer' });
    await verifyBackup(nb.path, { key, ledgerId: ks.ledgerId, migrationsFolder: newer });
  });
});

describe('the schedule', () => {
  function fake(start: number) {
    let now = start;
    const timers: Array<{ at: number; fn: () => void; id: number }> = [];
    let next = 1;
    return {
      now: () => now,
      setTimer: (fn: () => void, ms: number) => {
        const id = next++;
        timers.push({ at: now + ms, fn, id });
        return id;
      },
      clearTimer: (h: unknown) => {
        const i = timers.findIndex((t) => t.id === h);
        if (i >= 0) timers.splice(i, 1);
      },
      /** Move the clock forward, firing due timers in order. */
      async advance(ms: number) {
        const end = now + ms;
        for (;;) {
          timers.sort((a, b) => a.at - b.at);
          const t = timers[0];
          if (!t || t.at > end) break;
          timers.shift();
          now = t.at;
          t.fn();
          await new Promise((r) => setImmediate(r));
        }
        now = end;
      },
      pending: () => timers.length,
    };
  }
  const H = 3600_000;
  const dayOf = (ms: number) => new Date(ms + 8 * H).toISOString().slice(0, 10); // Beijing time

  it('backs up at the first log-in of a day and after every N hours of use, not while closed', async () => {
    const t0 = Date.parse('2024-06-15T00:30:00Z'); // 08:30 Beijing
    const c = fake(t0);
    const runs: number[] = [];
    const s = new BackupScheduler({ now: c.now, setTimer: c.setTimer, clearTimer: c.clearTimer, dayOf, everyHours: 4, run: async () => runs.push(c.now()) });
    s.start();
    await c.advance(0);
    expect(runs).toEqual([t0]); // first log-in of the day
    await c.advance(3 * H);
    expect(runs).toHaveLength(1);
    await c.advance(1 * H);
    expect(runs).toEqual([t0, t0 + 4 * H]); // four hours of use
    // Closed for two hours: use does not count.
    await c.advance(1 * H);
    s.stop();
    expect(c.pending()).toBe(0);
    await c.advance(2 * H);
    s.start();
    await c.advance(2 * H);
    expect(runs).toHaveLength(2);
    await c.advance(1 * H); // 1 + 2 + 1 = 4 hours of use since the last run
    expect(runs).toHaveLength(3);
    s.stop();
    // Next morning: the first log-in backs up at once.
    await c.advance(12 * H);
    s.start();
    await c.advance(0);
    expect(runs).toHaveLength(4);
    expect(dayOf(runs[3]!)).toBe('2024-06-16');
    s.stop();
  });

  it('wakes at midnight while open, knows the last backup from before a restart, and retries a failed run', async () => {
    const t0 = Date.parse('2024-06-15T14:00:00Z'); // 22:00 Beijing
    const c = fake(t0);
    const runs: number[] = [];
    let fail = true;
    const errors: unknown[] = [];
    const s = new BackupScheduler({
      now: c.now, setTimer: c.setTimer, clearTimer: c.clearTimer, dayOf, everyHours: 8, retryMinutes: 30, lastRunAt: t0 - H,
      run: async () => {
        runs.push(c.now());
        if (fail) throw new Error('disk full');
      },
      onError: (e) => errors.push(e),
    });
    s.start();
    await c.advance(0);
    expect(runs).toEqual([]); // backed up an hour ago today
    await c.advance(2 * H + 1000); // past midnight Beijing
    expect(runs).toHaveLength(1);
    expect(dayOf(runs[0]!)).toBe('2024-06-16');
    expect(errors).toHaveLength(1);
    fail = false;
    await c.advance(30 * 60_000);
    expect(runs).toHaveLength(2);
    expect(s.due()).toBeNull();
    s.stop();
  });
});

describe('throughput', () => {
  it('backs up a ~50 MB ledger (copy + full verification) and reports MB/s against cp', { timeout: 300_000 }, async () => {
    const admin = setUp();
    for (let i = 0; i < 2; i++) grow(host, admin, 12_000, 1200);
    host.ledger!.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(40e6);
    const key = keyOf();
    const cpTarget = join(dir, 'cp.sqlite');
    let t = performance.now();
    execFileSync('cp', [path, cpTarget]);
    execFileSync('sync', [cpTarget]);
    const cpMs = performance.now() - t;
    rmSync(cpTarget);
    const marks: Record<string, number> = {};
    t = performance.now();
    const b = await createBackup({
      ledger: host.ledger!, key, keystore: host.keystore!, dir: backups, reason: 'manual', clock,
      onProgress: (p) => {
        marks[p.phase] ??= performance.now() - t;
      },
    });
    const backupMs = performance.now() - t;
    t = performance.now();
    await verifyBackup(b.path, { key, ledgerId: host.keystore!.ledgerId });
    const verifyMs = performance.now() - t;
    const mb = size / 1e6;
    const line = `backup of a ${mb.toFixed(1)} MB ledger: ${Math.round(backupMs)} ms (${(mb / (backupMs / 1000)).toFixed(0)} MB/s; copy done at ${Math.round(marks.verify ?? 0)} ms, ` +
      `then verify + hash), verifyBackup ${Math.round(verifyMs)} ms; cp + sync ${Math.round(cpMs)} ms (${(mb / (cpMs / 1000)).toFixed(0)} MB/s)`;
    console.log(line);
    expect(b.manifest.bytes).toBeGreaterThan(40e6);
    void copyFileSync;
  });
});
