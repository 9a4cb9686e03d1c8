/**
 * The 数据交换 channels (db/bridge/exchange-calls.ts) over the dispatcher, on a ledger host with an
 * encrypted ledger file (an organisation department) and a partner ledger opened in memory (the
 * inspection office): preview, import with its receipt written into the exchange folder, export
 * into the partner's folder, receipts both ways, the delivery log; the rights (checked before the
 * argument), the clue rules, the dialogs' hooks, and the refusals in the engine's reasons.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../db/bridge/dispatch.js';
import { exchangeDirOf } from '../../db/bridge/exchange-calls.js';
import { makeHandlers, type ShellHooks } from '../../db/bridge/handlers.js';
import { fixedClock } from '../../db/core/clock.js';
import type { ActingUser, ServiceContext } from '../../db/core/context.js';
import { inTransaction } from '../../db/core/context.js';
import { seededRandom, uuidv7Source } from '../../db/core/ids.js';
import { TEST_KDF } from '../../db/core/keystore.js';
import { openLedger, type Ledger } from '../../db/core/open.js';
import { insertRow } from '../../db/core/write.js';
import { exportPackage, importPackage, importReceipt, writeReceipt } from '../../db/exchange/transfer.js';
import { clues } from '../../db/schema/index.js';
import { createUser, login, setupLedger } from '../../db/services/office.js';
import { addPartner, exportCard } from '../../db/services/partners.js';
import { LedgerHost, type Session } from '../../db/session/host.js';
import { fxInspection, fxRound, fxUnit } from '../helpers/fixtures.js';

const PW = 'jiaohuan-mima-2024';
const ORG = '某省委组织部';
const INSP = '某省委巡视办';
let dir: string;
let host: LedgerHost;
let admin: Session;
let partner: { ledger: Ledger; ctx: ServiceContext; id: string };
let orgId: string;
let out: string;

type Reply = { ok: true; value: unknown } | { ok: false; error: { code: string; reason?: string; field?: string; message: string } };

function call(s: Session, channel: string, arg?: unknown, shell: Partial<ShellHooks> = {}): Promise<Reply> {
  return dispatch(makeHandlers(s, { host: () => host, ...shell }), channel, arg, () => host.context(s), {
    onCommit: () => host.committed(), onRollback: () => host.discarded(),
  }) as Promise<Reply>;
}
const value = <T>(r: Reply): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as T;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xz-xc-'));
  out = join(dir, 'stick');
  mkdirSync(out);
  const clock = fixedClock('2024-06-15');
  host = new LedgerHost({ path: join(dir, 'ledger.sqlite'), clock, ids: uuidv7Source(() => clock.now(), seededRandom(3)), kdf: TEST_KDF });
  admin = { user: null };
  orgId = host.setup(admin, { officeName: ORG, officeKind: 'organisation', level: 'province', adminUsername: 'admin', adminDisplayName: '王某', adminPassword: PW }).officeId;

  const pclock = fixedClock('2024-06-14');
  const ledger = openLedger(':memory:');
  const ids = uuidv7Source(() => pclock.now(), seededRandom(4));
  const as = (u: ActingUser | null): ServiceContext => ({ ledger, clock: pclock, ids, user: u });
  const { officeId } = setupLedger(as(null), { officeName: INSP, officeKind: 'inspection_office', level: 'province', adminUsername: 'admin', adminDisplayName: '李某', adminPassword: PW });
  partner = { ledger, ctx: as(login(as(null), { username: 'admin', password: PW })), id: officeId };

  // Cards both ways, fingerprints confirmed.
  const engine = host.engineContext(admin.user);
  const ours = exportCard(engine);
  const theirs = exportCard(partner.ctx);
  addPartner(engine, { card: theirs.text, fingerprint: theirs.fingerprint });
  addPartner(partner.ctx, { card: ours.text, fingerprint: ours.fingerprint });
  host.committed();
});
afterEach(() => {
  partner.ledger.close();
  host.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The inspection office's first package to the department: a round, a unit, an inspection. */
async function firstPackage(o: { clue?: boolean } = {}) {
  const ctx = partner.ctx;
  inTransaction(ctx, () => {
    const round = fxRound(ctx, { name: '某省委2024年第一轮巡视' });
    const unit = fxUnit(ctx, { name: '某某集团有限公司' });
    fxInspection(ctx, { roundId: round.id, unitId: unit.id });
    if (o.clue) {
      insertRow(ctx, clues, {
        roundId: round.id, unitId: unit.id, subjectName: '钱某某', subjectPost: '副总经理', summary: '反映其违规接受宴请。',
        receivedOn: '2024-02-01', receivingOrgan: 'org_dept', disposition: 'received',
      });
    }
  });
  return exportPackage(ctx, { partnerId: orgId, dir: out, includeClues: o.clue === true });
}

describe('exchange channels over the dispatcher', () => {
  it('previews and imports a package, writes the receipt into the sender’s folder; exports back; receipts confirm both ways', async () => {
    const x = await firstPackage();
    const before = host.ledger!.sqlite.prepare('SELECT count(*) AS n FROM rounds').get();
    const p = value<{ preview: { counts: Record<string, number> }; labels: Record<string, string>; header: { sender: { name: string } }; fileName: string }>(
      await call(admin, 'exchange:preview', { path: x.path }));
    expect(p.preview.counts.new).toBe(x.records);
    expect(p.header.sender.name).toBe(INSP);
    expect(p.fileName).toBe(x.fileName);
    expect(Object.values(p.labels)).toContain('某省委2024年第一轮巡视');
    expect(host.ledger!.sqlite.prepare('SELECT count(*) AS n FROM rounds').get()).toEqual(before); // nothing written

    const r = value<{ alreadyApplied: boolean; seq: number; receipt: { path: string }; sender: { name: string }; preview: { counts: Record<string, number> } }>(
      await call(admin, 'exchange:import', { path: x.path }));
    expect(r).toMatchObject({ alreadyApplied: false, seq: 1, sender: { name: INSP } });
    expect(r.preview.counts.new).toBe(x.records);
    expect(host.ledger!.sqlite.prepare('SELECT name FROM rounds').all()).toEqual([{ name: '某省委2024年第一轮巡视' }]);
    expect(dirname(r.receipt.path)).toBe(join(exchangeDirOf(host.path), INSP));
    expect(existsSync(r.receipt.path)).toBe(true);
    // The anchor moved with the import (a reopened ledger passes its check).
    expect(host.anchorVerdict === null || host.anchorVerdict.ok).toBe(true);
    expect(await importReceipt(partner.ctx, r.receipt.path)).toMatchObject({ alreadyConfirmed: false });

    // Again: nothing changes, a receipt is written again (the first one may have been lost).
    const again = value<{ alreadyApplied: boolean; receipt: { path: string } | null }>(await call(admin, 'exchange:import', { path: x.path }));
    expect(again.alreadyApplied).toBe(true);
    expect(again.receipt).not.toBeNull();

    // Export back: into the partner's folder; the inspection office imports it and receipts it.
    const e = value<{ packageId: string; path: string; dir: string; seq: number; records: number; partnerName: string }>(await call(admin, 'exchange:export', { partnerId: partner.id }));
    expect(e).toMatchObject({ dir: join(exchangeDirOf(host.path), INSP), seq: 1, partnerName: INSP });
    await importPackage(partner.ctx, e.path);
    const rc = await writeReceipt(partner.ctx, { packageId: e.packageId, dir: out });
    const hist0 = value<{ sent: number; confirmed: number; received: number }[]>(await call(admin, 'exchange:history'));
    expect(hist0).toMatchObject([{ name: INSP, sent: 1, confirmed: 0, received: 1, missing: [] }]);
    expect(value(await call(admin, 'exchange:importReceipt', { path: rc.path }))).toMatchObject({ alreadyConfirmed: false, partnerName: INSP, seq: 1 });
    expect(value(await call(admin, 'exchange:importReceipt', { path: rc.path }))).toMatchObject({ alreadyConfirmed: true });
    expect(value(await call(admin, 'exchange:history'))).toMatchObject([{ sent: 1, confirmed: 1, received: 1 }]);
    expect(value<{ dir: string; chooseFile: boolean }>(await call(admin, 'exchange:folder'))).toMatchObject({ dir: exchangeDirOf(host.path), chooseFile: false, chooseFolder: false });
  });

  it('refuses in the engine’s reasons: a receipt as a package, a package as a receipt, a missing file, a damaged one, an unconfirmed partner', async () => {
    const x = await firstPackage();
    const r = value<{ receipt: { path: string } }>(await call(admin, 'exchange:import', { path: x.path }));
    expect(await call(admin, 'exchange:preview', { path: r.receipt.path })).toMatchObject({ ok: false, error: { reason: 'package_kind' } });
    expect(await call(admin, 'exchange:importReceipt', { path: x.path })).toMatchObject({ ok: false, error: { reason: 'package_kind' } });
    expect(await call(admin, 'exchange:preview', { path: join(dir, 'nope.xzpkg') })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', reason: 'package_io' } });
    expect(await call(admin, 'exchange:preview', { path: join(dir, 'ledger.sqlite') })).toMatchObject({ ok: false, error: { reason: 'package_magic' } });
    expect(await call(admin, 'exchange:export', { partnerId: orgId })).toMatchObject({ ok: false, error: { reason: 'partner_not_confirmed' } });
    expect(await call(admin, 'exchange:preview', {})).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'path' } });
  });

  it('needs the exchange right before anything else; clues go out only with the clue right and are hidden in the preview from users without it', async () => {
    const engine = host.engineContext(admin.user);
    createUser(engine, { username: 'luru', displayName: '李某', role: 'entry', canViewClues: false, password: PW });
    host.committed();
    const clerk: Session = { user: null };
    value(await call(clerk, 'session:login', { username: 'luru', password: PW }));
    // No exchange right: refused before the (malformed) argument is read.
    expect(await call(clerk, 'exchange:preview', { path: 42 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'exchange.run' } });
    expect(await call(clerk, 'exchange:history')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call({ user: null }, 'exchange:folder')).toMatchObject({ ok: false });

    const x = await firstPackage({ clue: true });
    // The administrator has the exchange right but not the clue right: the clue's values are hidden.
    const p = value<{ preview: { items: { table: string; field: string | null; to: unknown }[] }; labels: Record<string, string> }>(
      await call(admin, 'exchange:preview', { path: x.path }));
    const clueItems = p.preview.items.filter((i) => i.table === 'clues');
    expect(clueItems.length).toBeGreaterThan(0);
    expect(clueItems.every((i) => i.to === null)).toBe(true);
    expect(Object.values(p.labels)).not.toContain('钱某某');
    expect(await call(admin, 'exchange:export', { partnerId: partner.id, includeClues: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'clue.read' } });
  });

  it('desktop: the package comes from the open dialog and the export goes to the folder chosen; cancelling either does nothing', async () => {
    const x = await firstPackage();
    expect(await call(admin, 'exchange:pick', { kind: 'changes' })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', reason: 'no_dialog' } });
    const asked: string[] = [];
    const dialogs: Partial<ShellHooks> = {
      choosePackage: async (kind) => { asked.push(kind); return x.path; },
      chooseFolder: async (purpose) => { asked.push(purpose ?? 'backup'); return out; },
    };
    expect(value(await call(admin, 'exchange:pick', { kind: 'changes' }, dialogs))).toMatchObject({ path: x.path, fileName: x.fileName, bytes: x.bytes });
    value(await call(admin, 'exchange:import', { path: x.path }));
    const e = value<{ dir: string; path: string }>(await call(admin, 'exchange:export', { partnerId: partner.id, toFolder: true }, dialogs));
    expect(e.dir).toBe(out);
    expect(existsSync(e.path)).toBe(true);
    expect(asked).toEqual(['changes', 'exchange']);
    const cancel: Partial<ShellHooks> = { choosePackage: async () => null, chooseFolder: async () => null };
    expect(await call(admin, 'exchange:pick', { kind: 'receipt' }, cancel)).toEqual({ ok: true, value: null });
    expect(await call(admin, 'exchange:export', { partnerId: partner.id, toFolder: true }, cancel)).toEqual({ ok: true, value: null });
    expect(host.ledger!.sqlite.prepare("SELECT count(*) AS n FROM exchange_packages WHERE direction = 'sent' AND kind = 'changes'").get()).toEqual({ n: 1 });
    expect(value(await call(admin, 'exchange:folder', undefined, dialogs))).toMatchObject({ chooseFile: true, chooseFolder: true });
  });

  it('an engine-only transport (no ledger host) refuses the file channels and still answers the log', async () => {
    const s: Session = { user: null };
    const handlers = makeHandlers(s);
    const ctx = host.engineContext(admin.user);
    for (const ch of ['exchange:export', 'exchange:preview', 'exchange:import', 'exchange:importReceipt', 'exchange:pick', 'exchange:folder']) {
      expect(await dispatch(handlers, ch, {}, () => ctx)).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    }
    expect(await dispatch(handlers, 'exchange:history', {}, () => ctx)).toMatchObject({ ok: true, value: [{ name: INSP }] });
  });
});
