/**
 * `npm run ledger`: the real script, spawned as a user's shell would, over two real encrypted
 * ledgers (an inspection office and an inspected unit) made by its own `init`. The ledgers are
 * shared by the tests of this file, which run in order: set-up, cards and partners, one package
 * there and its receipt back, then the refusals. Made with XZ_TEST_KDF (cheap scrypt, tests only).
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLedger as ledger } from '../helpers/ledger-cli.js';
import { applyKey } from '../../db/core/cipher.js';
import { systemClock } from '../../db/core/clock.js';
import { inTransaction } from '../../db/core/context.js';
import { uuidv7Source } from '../../db/core/ids.js';
import { dataKeyFor } from '../../db/session/provision.js';
import { LedgerHost, type Session } from '../../db/session/host.js';
import { COMMANDS } from '../../scripts/ledger/spec.js';
import { fxInspection, fxRound, fxUnit } from '../helpers/fixtures.js';

const PASSWORD = 'mingling-mima-2024';

/** With --json: exactly one JSON object on standard output. */
async function ledgerJson<T = Record<string, unknown>>(args: readonly string[], exit = 0): Promise<T & { error?: { code: string; reason: string; message: string } }> {
  const r = await ledger([...args, '--json']);
  expect(r.code, r.stderr).toBe(exit);
  const lines = r.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as T & { error?: { code: string; reason: string; message: string } };
}

let dir: string;
let pw: string;
const A = { path: '', id: '', card: '', fp: '' };
const B = { path: '', id: '', card: '', fp: '' };
const on = (o: { path: string }) => ['--ledger', o.path, '--password-file', pw];

/** Every table but the audit trail (log-ins and log-outs are audited), hashed row by row. */
function contents(path: string): string {
  const key = dataKeyFor(path, { username: 'admin', password: PASSWORD });
  const db = new Database(path, { readonly: true });
  try {
    applyKey(db, key);
    const h = createHash('sha256');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'audit_log' ORDER BY name").all() as { name: string }[];
    for (const { name } of tables) h.update(name).update((db.prepare(`SELECT * FROM "${name}"`).raw().all()).map((r) => JSON.stringify(r)).sort().join('\n'));
    return h.digest('hex');
  } finally {
    db.close();
    key.fill(0);
  }
}

/** Records in A made the way the app makes them (through the host), so the package carries something. */
function seedRecords(path: string): void {
  const host = new LedgerHost({ path, clock: systemClock, ids: uuidv7Source(), verifyOnOpen: false });
  const session: Session = { user: null };
  try {
    host.login(session, 'admin', PASSWORD);
    const ctx = host.context(session);
    inTransaction(ctx, () => {
      const round = fxRound(ctx);
      const unit = fxUnit(ctx);
      fxInspection(ctx, { roundId: round.id, unitId: unit.id });
    });
    host.logout(session);
  } finally {
    host.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xz-cli-'));
  pw = join(dir, 'password.txt');
  writeFileSync(pw, `${PASSWORD}\n`);
  A.path = join(dir, 'a', 'ledger.sqlite');
  B.path = join(dir, 'b', 'ledger.sqlite');
  const [a, b] = await Promise.all([
    ledgerJson<{ officeId: string; recoveryKey: string; keyFile: string }>(['init', '--ledger', A.path, '--office', '某省委巡视办', '--kind', 'inspection_office', '--admin', 'admin', '--password-file', pw]),
    ledger(['init', '--ledger', B.path, '--office', '某某集团有限公司巡视整改办', '--kind', 'inspected_unit', '--level', 'province', '--admin', 'admin', '--password-file', pw]),
  ]);
  A.id = a.officeId;
  expect(a.recoveryKey).toMatch(/^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$/);
  expect(existsSync(a.keyFile)).toBe(true);
  expect(b.code, b.stderr).toBe(0);
  // The human form: the recovery key once, clearly marked.
  const key = /恢复密钥 \/ RECOVERY KEY.*\n\n\s+(\S+)\n/.exec(b.stdout)?.[1];
  expect(key).toMatch(/^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$/);
  expect(b.stdout.split(key!).length).toBe(2);
  B.id = /单位编号 (\S+)/.exec(b.stdout)![1]!;
  seedRecords(A.path);
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm run ledger', () => {
  it('sets up, refuses to set up twice, and exchanges cards; a wrong fingerprint is refused and changes nothing', async () => {
    const again = await ledgerJson(['init', '--ledger', A.path, '--office', 'x', '--kind', 'discipline', '--admin', 'admin', '--password-file', pw], 1);
    expect(again.error?.reason).toBe('already_set_up');

    const cards = join(dir, 'cards');
    mkdirSync(cards);
    const [ca, cb] = await Promise.all([
      ledgerJson<{ path: string; fingerprint: string; officeId: string }>(['card', ...on(A), '--out', cards]),
      ledger(['card', ...on(B), '--out', join(cards, 'b.xzcard')]),
    ]);
    expect(ca.fingerprint).toMatch(/^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$/);
    expect(ca.officeId).toBe(A.id);
    Object.assign(A, { card: ca.path, fp: ca.fingerprint });
    expect(cb.code, cb.stderr).toBe(0);
    Object.assign(B, { card: join(cards, 'b.xzcard'), fp: /指纹[^：]*：(\S+)/.exec(cb.stdout)![1]! });
    expect(B.fp).toMatch(/^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$/);
    expect(readFileSync(B.card, 'utf8')).toContain('"xz-office-card"');

    const before = contents(B.path);
    const wrong = A.fp.replace(/^./, (c) => (c === 'Z' ? 'Y' : 'Z'));
    const refused = await ledger(['partner', 'add', A.card, ...on(B), '--fingerprint', wrong]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^错误 fingerprint_mismatch: .*指纹/);
    expect(contents(B.path)).toBe(before);

    const [atB, atA] = await Promise.all([
      ledgerJson<{ partner: { trust: string; officeId: string } }>(['partner', 'add', A.card, ...on(B), '--fingerprint', A.fp.toLowerCase()]),
      ledgerJson<{ standing: string; partner: { trust: string } }>(['partner', 'add', B.card, ...on(A)]),
    ]);
    expect(atB.partner).toMatchObject({ trust: 'confirmed', officeId: A.id });
    expect(atA).toMatchObject({ standing: 'new', partner: { trust: 'pending' } });

    // Nothing goes to a partner whose fingerprint nobody has compared yet.
    const early = await ledgerJson(['export', ...on(A), '--to', B.id, '--out', join(dir, 'out')], 1);
    expect(early.error?.reason).toBe('partner_not_confirmed');
    expect(existsSync(join(dir, 'out'))).toBe(false);
    const confirmed = await ledgerJson<{ partner: { trust: string } }>(['partner', 'confirm', B.id, ...on(A), '--fingerprint', B.fp]);
    expect(confirmed.partner.trust).toBe('confirmed');
    const list = await ledgerJson<{ partners: { officeId: string; trust: string; fingerprint: string }[] }>(['partner', 'list', ...on(A)]);
    expect(list.partners).toEqual([expect.objectContaining({ officeId: B.id, trust: 'confirmed', fingerprint: B.fp })]);
  });

  it('exports, inspects, verifies, previews without change, imports with a receipt, once only, and the receipt confirms it', async () => {
    const out = join(dir, 'out');
    const x = await ledgerJson<{ path: string; bytes: number; records: number; packageId: string }>(['export', ...on(A), '--to', B.id, '--out', out]);
    expect(x.records).toBeGreaterThanOrEqual(3);
    expect(x.bytes).toBe(readFileSync(x.path).length);
    expect(readdirSync(out)).toEqual([x.path.slice(out.length + 1)]);

    // inspect without a ledger: the header only.
    // (Commands on different ledgers, or none, run side by side; one ledger takes one at a time.)
    const [head, headText, preview] = await Promise.all([
      ledgerJson<{ header: { kind: string; packageId: string; sender: { officeId: string }; counts: { records: number } } }>(['inspect', x.path]),
      ledger(['inspect', x.path]),
      ledgerJson<{ preview: { counts: { new: number }; items: unknown[] } }>(['inspect', x.path, ...on(B), '--verbose']),
    ]);
    const verified = await ledgerJson<{ ok: boolean; forThisOffice: boolean }>(['verify', x.path, ...on(B)]);
    expect(head.header).toMatchObject({ kind: 'changes', packageId: x.packageId, sender: { officeId: A.id }, counts: { records: x.records } });
    expect(headText.stdout).toContain('发送单位：某省委巡视办');
    expect(preview.preview.counts.new).toBe(x.records);
    expect(preview.preview.items).toHaveLength(x.records);
    expect(verified).toMatchObject({ ok: true, forThisOffice: true });

    const before = contents(B.path);
    const dry = await ledgerJson<{ dryRun: boolean; preview: { counts: { new: number } } }>(['import', x.path, ...on(B), '--dry-run']);
    expect(dry).toMatchObject({ dryRun: true, preview: { counts: { new: x.records } } });
    expect(contents(B.path)).toBe(before);

    // No terminal to ask on and no --yes: refused before the ledger is opened.
    const unasked = await ledger(['import', x.path, ...on(B)]);
    expect(unasked.code).toBe(2);
    expect(unasked.stderr).toMatch(/^错误 needs_confirmation: .*--yes/);
    expect(contents(B.path)).toBe(before);

    // A flipped byte in the payload: refused by its hash before anything is decrypted.
    const bad = join(dir, 'tampered', 'x.xzpkg');
    mkdirSync(join(dir, 'tampered'));
    copyFileSync(x.path, bad);
    const bytes = readFileSync(bad);
    bytes[bytes.length - 40]! ^= 0x01;
    writeFileSync(bad, bytes);
    const t1 = await ledgerJson(['import', bad, ...on(B), '--yes'], 1);
    const t2 = await ledger(['verify', bad, ...on(B)]);
    expect(t1.error?.reason).toMatch(/^package_/);
    expect(t2.code).toBe(1);
    expect(t2.stderr).toMatch(/^错误 package_\w+: /);
    expect(contents(B.path)).toBe(before);
    expect(readdirSync(join(dir, 'tampered'))).toEqual(['x.xzpkg']);

    const receipts = join(dir, 'receipts');
    const imported = await ledgerJson<{ imported: boolean; counts: { new: number }; receipt: { path: string } }>(['import', x.path, ...on(B), '--yes', '--receipt-dir', receipts]);
    expect(imported).toMatchObject({ imported: true, counts: { new: x.records } });
    expect(existsSync(imported.receipt.path)).toBe(true);
    expect(contents(B.path)).not.toBe(before);

    const after = contents(B.path);
    const again = await ledger(['import', x.path, ...on(B), '--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('已经导入过');
    expect(contents(B.path)).toBe(after);
    expect(readdirSync(receipts)).toHaveLength(1);
    expect(readdirSync(out)).toHaveLength(1);

    const receipt = await ledgerJson<{ refersTo: string; alreadyConfirmed: boolean }>(['receipt', 'import', imported.receipt.path, ...on(A)]);
    expect(receipt).toMatchObject({ refersTo: x.packageId, alreadyConfirmed: false });
    const [histA, histB] = await Promise.all([
      ledgerJson<{ partners: { officeId: string; sent: number; confirmed: number; received: number; missing: number[] }[] }>(['history', ...on(A)]),
      ledgerJson<{ partners: { received: number }[] }>(['history', ...on(B), '--user', 'admin']),
    ]);
    const conflicts = await ledgerJson<{ conflicts: unknown[]; proposals: unknown[] }>(['conflicts', ...on(B)]);
    expect(histA.partners).toEqual([expect.objectContaining({ officeId: B.id, sent: 1, confirmed: 1, received: 0, missing: [] })]);
    expect(histB.partners).toEqual([expect.objectContaining({ received: 1 })]);
    expect(conflicts).toEqual({ conflicts: [], proposals: [] });
  });

  it('refuses usage mistakes with exit code 2 and a wrong password with exit code 1 and its reason', async () => {
    const [unknown, flag, password, noFile, missingFile, wrong] = await Promise.all([
      ledgerJson(['frobnicate'], 2),
      ledger(['history', ...on(A), '--full']),
      ledger(['history', '--ledger', A.path, '--password', PASSWORD]),
      ledger(['history', '--ledger', A.path], { XZ_PASSWORD_FILE: '' }),
      ledger(['history', '--ledger', A.path, '--password-file', join(dir, 'nope.txt')]),
      (async () => {
        const f = join(dir, 'wrong.txt');
        writeFileSync(f, 'bu-dui-de-mima\n');
        return ledgerJson(['history', '--ledger', B.path, '--password-file', f], 1);
      })(),
    ]);
    expect(unknown.error).toMatchObject({ code: 'USAGE', reason: 'unknown_command' });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^错误 unknown_option: .*--full/);
    expect(password.code).toBe(2);
    expect(password.stderr).toMatch(/^错误 password_on_command_line: .*--password-file/);
    expect(password.stdout).toBe('');
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toMatch(/^错误 password_file_missing: /);
    expect(missingFile.code).toBe(2);
    expect(missingFile.stderr).toMatch(/^错误 password_file_missing: .*nope\.txt/);
    expect(wrong.error).toMatchObject({ code: 'FORBIDDEN', reason: 'bad_credentials' });
  });

  it('refuses a ledger another process holds open (the app with someone logged in), and changes nothing', async () => {
    const host = new LedgerHost({ path: A.path, clock: systemClock, ids: uuidv7Source(), verifyOnOpen: false });
    const before = contents(A.path);
    try {
      host.login({ user: null }, 'admin', PASSWORD);
      const busy = await ledgerJson(['partner', 'add', B.card, ...on(A)], 1);
      expect(busy.error).toMatchObject({ code: 'LOCKED', reason: 'ledger_in_use' });
      expect(contents(A.path)).toBe(before);
    } finally {
      host.close();
    }
    // Closed by the other process: the ledger is usable again, and its audit anchor holds.
    const after = await ledgerJson<{ partners: unknown[] }>(['partner', 'list', ...on(A)]);
    expect(after.partners).toHaveLength(1);
  });

  it('explains every command in Chinese and English', async () => {
    const [all, one, json] = await Promise.all([ledger(['--help']), ledger(['help', 'import']), ledgerJson<{ help: string }>(['partner', 'add', '--help'])]);
    expect(all.code).toBe(0);
    for (const c of COMMANDS) {
      expect(all.stdout).toContain(c.usage);
      expect(all.stdout).toContain(c.zh);
      expect(all.stdout).toContain(c.en);
    }
    expect(one.stdout).toContain('--dry-run：只显示预览');
    expect(one.stdout).toContain('--dry-run: show the preview');
    expect(json.help).toContain('partner add CARD');
  });
});
