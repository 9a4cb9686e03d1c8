import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../db/core/clock.js';
import { seededRandom, uuidv7Source } from '../../db/core/ids.js';
import { TEST_KDF } from '../../db/core/keystore.js';
import { DEFAULT_MIGRATIONS } from '../../db/core/open.js';
import { LedgerHost, type Session } from '../../db/session/host.js';
import { makeHandlers } from '../../db/bridge/handlers.js';
import { dispatch } from '../../db/bridge/dispatch.js';

const PW = 'guanli-mima-2024';
let dir: string; let path: string; let clock: ReturnType<typeof fixedClock>; let host: LedgerHost;
const mk = (o: { migrationsFolder?: string; scheduleBackups?: boolean } = {}) => new LedgerHost({ path, clock, ids: uuidv7Source(() => clock.now(), seededRandom(5)), kdf: TEST_KDF, ...o });
function call(s: Session, channel: string, arg?: unknown, shell: Record<string, unknown> = {}) {
  return dispatch(makeHandlers(s, { host: () => host, ...shell }), channel, arg, () => host.context(s), { onCommit: () => host.committed(), onRollback: () => host.discarded() });
}
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'xz-hb-')); path = join(dir, 'ledger.sqlite'); clock = fixedClock('2024-06-15'); host = mk(); });
afterEach(() => { host.close(); rmSync(dir, { recursive: true, force: true }); });

describe('host + channels', () => {
  it('create, list, verify, toFolder, restore over dispatch', { timeout: 120_000 }, async () => {
    const admin: Session = { user: null };
    host.setup(admin, { officeName: '某省委巡视办', officeKind: 'inspection_office', level: 'province', adminUsername: 'admin', adminDisplayName: '王某', adminPassword: PW });
    expect(await call(admin, 'rounds:create', { name: '备份前', kind: 'regular', level: 'province', mobilisedOn: '2024-03-01' })).toMatchObject({ ok: true });
    const c = await call(admin, 'backup:create');
    expect(c, JSON.stringify(c)).toMatchObject({ ok: true, value: { manifest: { reason: 'manual' } } });
    const name = (c as { value: { name: string; path: string } }).value;
    const l = await call(admin, 'backup:list');
    expect(l).toMatchObject({ ok: true, value: { entries: [{ name: name.name, problems: [] }], progress: null } });
    const usb = join(dir, 'usb'); mkdirSync(usb);
    expect(await call(admin, 'backup:toFolder', { folder: usb })).toMatchObject({ ok: true, value: { manifest: { reason: 'folder' } } });
    expect(await call(admin, 'backup:toFolder', {}, { chooseFolder: async () => null })).toMatchObject({ ok: true, value: null });
    const acts = host.ledger!.sqlite.prepare("SELECT after FROM audit_log WHERE action = 'backup'").all() as Array<{ after: string }>;
    expect(acts.map((a) => JSON.parse(a.after).reason)).toEqual(['manual', 'folder']);
    expect(await call(admin, 'rounds:create', { name: '备份后', kind: 'regular', level: 'province', mobilisedOn: '2024-03-01' })).toMatchObject({ ok: true });
    expect(await call(admin, 'backup:verify', { path: name.path })).toMatchObject({ ok: true, value: { counts: { rounds: 1 } } });
    const r = await call(admin, 'backup:restore', { path: name.path });
    expect(r, JSON.stringify(r)).toMatchObject({ ok: true, value: { setAside: { problem: null } } });
    expect(admin.user).toBeNull();
    expect(host.ledger).toBeNull();
    const s: Session = { user: null };
    expect(await call(s, 'session:login', { username: 'admin', password: PW })).toMatchObject({ ok: true });
    expect(host.anchorVerdict).toMatchObject({ ok: true });
    expect((host.ledger!.sqlite.prepare('SELECT name FROM rounds').all() as Array<{ name: string }>).map((x) => x.name)).toEqual(['备份前']);
    const list = await call(s, 'backup:list');
    expect((list as { value: { entries: Array<{ reason: string }> } }).value.entries.map((e) => e.reason).sort()).toEqual(['before_restore', 'manual']);
    expect(await call(s, 'backup:restore', { path: join(dir, 'nope.sqlite') })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', reason: 'backup_missing' } });
  });

  it('takes a before-migration backup at log-in when the app has a new migration; schedules a first-of-day backup', { timeout: 120_000 }, async () => {
    const admin: Session = { user: null };
    host.setup(admin, { officeName: '某省委巡视办', officeKind: 'inspection_office', level: 'province', adminUsername: 'admin', adminDisplayName: '王某', adminPassword: PW });
    host.close();
    const newer = join(dir, 'migrations');
    cpSync(DEFAULT_MIGRATIONS, newer, { recursive: true });
    const jp = join(newer, 'meta', '_journal.json');
    const j = JSON.parse(readFileSync(jp, 'utf8')) as { entries: Array<{ idx: number; version: string; when: number; tag: string; breakpoints: boolean }> };
    const last = j.entries.at(-1)!;
    j.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag: '9999_probe' });
    writeFileSync(jp, JSON.stringify(j));
    writeFileSync(join(newer, '9999_probe.sql'), 'CREATE TABLE `probe` (`id` integer PRIMARY KEY);');
    host = mk({ migrationsFolder: newer, scheduleBackups: true });
    const s: Session = { user: null };
    expect(await call(s, 'session:login', { username: 'admin', password: PW })).toMatchObject({ ok: true });
    for (let i = 0; i < 100 && !host.listBackups().some((e) => e.reason === 'schedule'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(host.listBackups().map((e) => e.reason).sort()).toEqual(['before_migration', 'schedule']);
  });
});
