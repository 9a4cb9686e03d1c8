/**
 * `npm run ledger` and 首次联络包: the real script over two real encrypted ledgers made by `init`
 * that never exchanged cards. The unit exports with --first-contact (a passphrase made and shown);
 * the inspection office inspects it (the card's fingerprint), adds the sender from the package with
 * the fingerprint read over the phone, verifies and imports with --passphrase-file (and
 * XZ_PASSPHRASE_FILE); the receipt goes back and confirms it. Made with XZ_TEST_KDF (tests only).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLedger as ledger } from '../helpers/ledger-cli.js';

const PASSWORD = 'lianluo-mima-2024';

type Json = Record<string, unknown> & { error?: { code: string; reason: string; message: string } };
async function ledgerJson(args: readonly string[], exit = 0, env: Record<string, string> = {}): Promise<Json> {
  const r = await ledger([...args, '--json'], env);
  expect(r.code, r.stderr).toBe(exit);
  return JSON.parse(r.stdout.trim()) as Json;
}

let dir: string;
let pw: string;
const unit = { path: '', id: '' };
const insp = { path: '', id: '' };
const on = (o: { path: string }) => ['--ledger', o.path, '--password-file', pw];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xz-cli-first-'));
  pw = join(dir, 'password.txt');
  writeFileSync(pw, `${PASSWORD}\n`);
  unit.path = join(dir, 'unit', 'ledger.sqlite');
  insp.path = join(dir, 'insp', 'ledger.sqlite');
  const [u, i] = await Promise.all([
    ledgerJson(['init', '--ledger', unit.path, '--office', '某某集团有限公司巡视整改办', '--kind', 'inspected_unit', '--admin', 'admin', '--password-file', pw]),
    ledgerJson(['init', '--ledger', insp.path, '--office', '某省委巡视办', '--kind', 'inspection_office', '--admin', 'admin', '--password-file', pw]),
  ]);
  unit.id = u.officeId as string;
  insp.id = i.officeId as string;
}, 60_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm run ledger: first contact', () => {
  it('export --first-contact, inspect, partner add --from-package, verify and import with the passphrase file, receipt back', { timeout: 120_000 }, async () => {
    const stick = join(dir, 'stick');
    // Usage mistakes first: a scope with --first-contact, --to-name without it.
    expect((await ledger(['export', ...on(unit), '--first-contact', '--to-name', '某省委巡视办', '--to-kind', 'inspection_office', '--full', '--out', stick])).code).toBe(2);
    expect((await ledger(['export', ...on(unit), '--to', insp.id, '--to-name', 'x', '--out', stick])).code).toBe(2);
    const x = await ledgerJson(['export', ...on(unit), '--first-contact', '--to-name', '某省委巡视办', '--to-kind', 'inspection_office', '--out', stick]);
    const pass = x.passphrase as string;
    const fp = x.fingerprint as string;
    expect(pass).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){5}[0-9A-HJKMNP-TV-Z]{4}$/);
    const file = x.path as string;
    const pf = join(dir, 'passphrase.txt');
    writeFileSync(pf, `${pass.toLowerCase()}\n`);
    const wrong = join(dir, 'wrong.txt');
    writeFileSync(wrong, 'AAAA-BBBB-CCCC-DDDD\n');

    // inspect: no key needed; the card's office and fingerprint.
    const seen = await ledger(['inspect', file]);
    expect(seen.code, seen.stderr).toBe(0);
    expect(seen.stdout).toContain(`公钥卡指纹：${fp}`);
    expect(seen.stdout).toContain('口令（scrypt）');

    // Before the sender is confirmed: passphrase asked for, then the sender unknown.
    expect((await ledgerJson(['import', file, ...on(insp), '--yes'], 1)).error?.reason).toBe('passphrase_required');
    expect((await ledgerJson(['import', file, ...on(insp), '--yes', '--passphrase-file', pf], 1)).error?.reason).toBe('package_unknown_sender');
    // The fingerprint read over the phone, mistyped, then right.
    const typo = `${fp.slice(0, -1)}${fp.endsWith('0') ? '1' : '0'}`;
    expect((await ledgerJson(['partner', 'add', '--from-package', file, ...on(insp), '--fingerprint', typo], 1)).error?.reason).toBe('fingerprint_mismatch');
    expect((await ledger(['partner', 'add', ...on(insp), '--fingerprint', fp])).code).toBe(2);
    const added = await ledgerJson(['partner', 'add', '--from-package', file, ...on(insp), '--fingerprint', fp.toLowerCase()]);
    expect(added.partner).toMatchObject({ officeId: unit.id, trust: 'confirmed' });

    // verify: the signature without a passphrase; with one, that it opens.
    expect((await ledger(['verify', file, ...on(insp)])).code).toBe(0);
    expect((await ledgerJson(['verify', file, ...on(insp), '--passphrase-file', wrong], 1)).error?.reason).toBe('package_recipient');
    expect((await ledgerJson(['verify', file, ...on(insp), '--passphrase-file', pf])).ok).toBe(true);
    expect((await ledgerJson(['import', file, ...on(insp), '--yes', '--passphrase-file', wrong], 1)).error?.reason).toBe('package_recipient');
    const dry = await ledgerJson(['import', file, ...on(insp), '--dry-run'], 0, { XZ_PASSPHRASE_FILE: pf });
    expect(dry.dryRun).toBe(true);
    const got = await ledgerJson(['import', file, ...on(insp), '--yes'], 0, { XZ_PASSPHRASE_FILE: pf });
    expect(got).toMatchObject({ imported: true, sender: { officeId: unit.id } });
    const receipt = (got.receipt as { path: string }).path;

    // The receipt back: refused until the unit confirms the inspection office's card, then binds and confirms.
    expect((await ledgerJson(['receipt', 'import', receipt, ...on(unit)], 1)).error?.reason).toBe('package_unknown_sender');
    const card = await ledgerJson(['card', ...on(insp), '--out', dir]);
    await ledgerJson(['partner', 'add', card.path as string, ...on(unit), '--fingerprint', card.fingerprint as string]);
    expect(await ledgerJson(['receipt', 'import', receipt, ...on(unit)])).toMatchObject({ refersTo: x.packageId, alreadyConfirmed: false });
    const h = await ledgerJson(['history', ...on(unit)]);
    expect(h.partners).toEqual([expect.objectContaining({ officeId: insp.id, sent: 1, confirmed: 1 })]);
  });

  it('explains --first-contact, --from-package and --passphrase-file in Chinese and English', async () => {
    const [exp, add, imp] = await Promise.all([ledger(['help', 'export']), ledger(['help', 'partner', 'add']), ledger(['help', 'import'])]);
    expect(exp.stdout).toContain('--first-contact：首次联络包');
    expect(exp.stdout).toContain('--first-contact: a first-contact package');
    expect(add.stdout).toContain('--from-package FILE：');
    expect(imp.stdout).toContain('--passphrase-file F：');
    expect(imp.stdout).toContain('--passphrase-file F: the passphrase');
  });
});
