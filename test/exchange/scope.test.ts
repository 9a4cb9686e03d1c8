/**
 * 导出范围 (db/exchange/scope.ts): an export by round, units, problems or a date range carries
 * exactly the records of that scope, what hangs off them and the records they refer to, still
 * minimised by the recipient's kind; its header says what it covers before anything is decrypted;
 * and its receipt leaves the partner's "since last confirmed" point where it was.
 *
 * Two real ledgers (a provincial inspection office sending, a discipline office receiving), two
 * rounds, two units; the packages are decrypted with the recipient's own key to list their records.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { confirmEachOther, exchangeOffice, tempDir, type ExchangeOffice } from '../helpers/exchange-offices.js';
import { runLedger as ledgerCli } from '../helpers/ledger-cli.js';
import { systemClock } from '../../db/core/clock.js';
import { inTransaction } from '../../db/core/context.js';
import { uuidv7Source } from '../../db/core/ids.js';
import { getRow, insertRow, updateRow } from '../../db/core/write.js';
import { checkHeader } from '../../db/exchange/package/header.js';
import { readAll, readHeader } from '../../db/exchange/package/index.js';
import { MAX_SCOPE_IDS } from '../../db/exchange/scope.js';
import { confirmedVersion, exportPackage, importPackage, importReceipt, writeReceipt } from '../../db/exchange/transfer.js';
import {
  activityProblems, clues, extensionRequests, feedbacks, problems, progressEntries, rounds, supervisionActivities, taskStages,
} from '../../db/schema/index.js';
import { addEvidence } from '../../db/services/evidence.js';
import { LedgerHost, type Session } from '../../db/session/host.js';
import { headerLines } from '../../scripts/ledger/format.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxTask, fxTeam, fxUnit } from '../helpers/fixtures.js';

const PASSWORD = 'fanwei-mima-2024';
const DAY = 24 * 3600_000;
const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((f) => f()));

type Office = ExchangeOffice;
const office = (name: string, kind: 'inspection_office' | 'discipline', seed: number): Office => exchangeOffice(cleanup, { name, kind, seed, password: PASSWORD });
const dir = () => tempDir(cleanup, 'xz-scope-');

/**
 * The inspection office's ledger on 2024-09-01: rounds A and B; unit 一 inspected in both, unit 二
 * in A; a problem and task each, the A/一 task with a stage, an extension request, progress and
 * evidence; a supervision activity of A citing the A/一 problem; a clue of A/一. On 09-05 the A/二
 * problem is reworded and progress is entered on the B/一 task; on 09-10 round B is renamed.
 */
function world() {
  const insp = office('某省委巡视办', 'inspection_office', 31);
  const disc = office('某省纪委监委', 'discipline', 32);
  confirmEachOther(insp, disc);
  const ctx = insp.ctx;
  const w = inTransaction(ctx, () => {
    const cat = categoryId(ctx, '廉洁风险');
    const rA = fxRound(ctx, { name: '某省委2024年第一轮巡视' });
    const rB = fxRound(ctx, { name: '某省委2024年第二轮巡视' });
    const teamA = fxTeam(ctx, rA.id);
    const u1 = fxUnit(ctx, { name: '某某一公司' });
    const u2 = fxUnit(ctx, { name: '某某二公司' });
    const iA1 = fxInspection(ctx, { roundId: rA.id, unitId: u1.id });
    const iA2 = fxInspection(ctx, { roundId: rA.id, unitId: u2.id });
    const iB1 = fxInspection(ctx, { roundId: rB.id, unitId: u1.id });
    // A feedback no problem cites: it travels because it hangs off the inspection, not as a reference.
    const oneToOne = insertRow(ctx, feedbacks, { inspectionId: iA1.inspection.id, kind: 'one_to_one', feedbackDate: '2024-01-31', docNumber: null, body: '一对一反馈意见。' });
    const problem = (i: typeof iA1, roundId: string, unitId: string) =>
      fxProblem(ctx, { unitId, roundId, inspectionId: i.inspection.id, feedbackId: i.feedback.id, categoryId: cat });
    const pA1 = problem(iA1, rA.id, u1.id);
    const pA2 = problem(iA2, rA.id, u2.id);
    const pB1 = problem(iB1, rB.id, u1.id);
    const tA1 = fxTask(ctx, { problemId: pA1.id, unitId: u1.id, roundId: rA.id });
    const tA2 = fxTask(ctx, { problemId: pA2.id, unitId: u2.id, roundId: rA.id });
    const tB1 = fxTask(ctx, { problemId: pB1.id, unitId: u1.id, roundId: rB.id });
    const stage = insertRow(ctx, taskStages, { taskId: tA1.id, seq: 1, goal: '完成制度修订', dueDate: '2024-10-31' });
    const ext = insertRow(ctx, extensionRequests, {
      taskId: tA1.id, previousDeadline: '2024-04-30', requestedDeadline: '2024-10-31', reason: '涉及上级审批', requestedBy: '李某', status: 'pending',
    });
    const prog = insertRow(ctx, progressEntries, { taskId: tA1.id, entryDate: '2024-08-30', content: '已召开专题会议部署整改。' });
    const act = insertRow(ctx, supervisionActivities, { roundId: rA.id, unitId: u1.id, kind: 'field_research', activityDate: '2024-08-20', title: '调研督导' });
    const link = insertRow(ctx, activityProblems, { activityId: act.id, problemId: pA1.id });
    const clue = insertRow(ctx, clues, {
      roundId: rA.id, unitId: u1.id, subjectName: '钱某某', subjectPost: '副总经理', summary: '反映其违规接受宴请。', receivedOn: '2024-08-01',
      receivingOrgan: 'local_discipline', disposition: 'received',
    });
    return {
      rA: rA.id, rB: rB.id, teamA: teamA.id, u1: u1.id, u2: u2.id,
      iA1: iA1.inspection.id, fA1: iA1.feedback.id, fA1b: oneToOne.id, iA2: iA2.inspection.id, fA2: iA2.feedback.id, iB1: iB1.inspection.id, fB1: iB1.feedback.id,
      pA1: pA1.id, pA2: pA2.id, pB1: pB1.id, tA1: tA1.id, tA2: tA2.id, tB1: tB1.id, stage: stage.id, ext: ext.id, prog: prog.id,
      act: act.id, link: link.id, clue: clue.id, evidence: '', progB1: '',
    };
  });
  w.evidence = addEvidence(ctx, { ownerType: 'task', ownerId: w.tA1, fileName: '整改方案.pdf', mimeType: 'application/pdf', formedOn: '2024-08-30', dataBase64: Buffer.from('整改方案').toString('base64') }).id;
  insp.clock.advance(4 * DAY); // 2024-09-05
  inTransaction(ctx, () => {
    updateRow(ctx, problems, getRow(ctx, problems, w.pA2)!, { description: '选人用人把关不严。' });
    w.progB1 = insertRow(ctx, progressEntries, { taskId: w.tB1, entryDate: '2024-09-05', content: '已完成问题排查。' }).id;
  });
  insp.clock.advance(5 * DAY); // 2024-09-10
  inTransaction(ctx, () => updateRow(ctx, rounds, getRow(ctx, rounds, w.rB)!, { name: '某省委2024年第二轮巡视（常规）' }));
  return { insp, disc, w };
}

/** The records a package carries, by id, decrypted with the recipient's own key. */
async function recordsIn(path: string, to: Office): Promise<Set<string>> {
  const keys = to.ledger.prepare('SELECT secret FROM office_keys WHERE office_id = ? AND secret IS NOT NULL').all(to.id) as { secret: string }[];
  const { entries } = await readAll(path, keys.map((k) => Buffer.from((JSON.parse(k.secret) as { agree: string }).agree, 'base64')));
  const ids = new Set<string>();
  for (const e of entries) if (e.type === 'json' && (e.value as { t?: string }).t === 'record') ids.add((e.value as { id: string }).id);
  return ids;
}

const sorted = (xs: Iterable<string>) => [...xs].sort();

describe('导出范围', () => {
  it('by round: the round, its teams, inspections, feedbacks, problems and all that hangs off them, the units they name; nothing of the other round; clues only when ticked', async () => {
    const { insp, disc, w } = world();
    const out = dir();
    const x = await exportPackage(insp.ctx, { partnerId: disc.id, scope: { mode: 'round', roundId: w.rA }, dir: out });
    const round = [w.rA, w.teamA, w.iA1, w.fA1, w.fA1b, w.iA2, w.fA2, w.pA1, w.pA2, w.tA1, w.tA2, w.stage, w.ext, w.prog, w.act, w.link, w.evidence, w.u1, w.u2];
    expect(sorted(await recordsIn(x.path, disc))).toEqual(sorted(round));
    expect(x.records).toBe(round.length);
    const withClues = await exportPackage(insp.ctx, { partnerId: disc.id, scope: { mode: 'round', roundId: w.rA }, includeClues: true, dir: out });
    expect(sorted(await recordsIn(withClues.path, disc))).toEqual(sorted([...round, w.clue]));
    // The package applies on its own at the recipient (every reference resolves in it). The records an
    // inspection office may not create (problems and tasks are the unit's) are refused there, as in any package.
    const r = await importPackage(disc.ctx, x.path);
    expect(r.preview.counts.new).toBe(9); // the round, its team, two inspections, three feedbacks, two units
    expect(getRow(disc.ctx, rounds, w.rA)?.name).toBe('某省委2024年第一轮巡视');
    expect(getRow(disc.ctx, rounds, w.rB)).toBeUndefined();
  });

  it('by units: each unit’s records over every round and what hangs off them, plus the rounds they name; nothing of another unit', async () => {
    const { insp, disc, w } = world();
    const out = dir();
    const two = await exportPackage(insp.ctx, { partnerId: disc.id, scope: { mode: 'units', unitIds: [w.u2] }, dir: out });
    expect(sorted(await recordsIn(two.path, disc))).toEqual(sorted([w.u2, w.iA2, w.fA2, w.pA2, w.tA2, w.rA]));
    const one = await exportPackage(insp.ctx, { partnerId: disc.id, scope: { mode: 'units', unitIds: [w.u1, w.u1] }, dir: out });
    expect(sorted(await recordsIn(one.path, disc))).toEqual(sorted([
      w.u1, w.iA1, w.fA1, w.fA1b, w.iB1, w.fB1, w.pA1, w.pB1, w.tA1, w.tB1, w.stage, w.ext, w.prog, w.progB1, w.act, w.link, w.evidence, w.rA, w.rB,
    ]));
  });

  it('by problems: those problems, their tasks, stages, extension requests, progress, evidence and the supervision records citing them; nothing of another problem', async () => {
    const { insp, disc, w } = world();
    const x = await exportPackage(insp.ctx, { partnerId: disc.id, scope: { mode: 'problems', problemIds: [w.pA1] }, dir: dir() });
    expect(sorted(await recordsIn(x.path, disc))).toEqual(sorted([
      w.pA1, w.tA1, w.stage, w.ext, w.prog, w.evidence, w.act, w.link, // the problem and what hangs off it
      w.rA, w.u1, w.iA1, w.fA1, // what they refer to
    ]));
  });

  it('by date range: only the records changed on those days (from and to included), with what they refer to', async () => {
    const { insp, disc, w } = world();
    const out = dir();
    const x = await exportPackage(insp.ctx, { partnerId: disc.id, scope: { mode: 'dates', from: '2024-09-04', to: '2024-09-05' }, dir: out });
    expect(sorted(await recordsIn(x.path, disc))).toEqual(sorted([
      w.pA2, w.progB1, // changed on 09-05
      w.rA, w.u2, w.iA2, w.fA2, w.tB1, w.pB1, w.rB, w.u1, w.iB1, w.fB1, // what they refer to
    ]));
    const one = await exportPackage(insp.ctx, { partnerId: disc.id, scope: { mode: 'dates', from: '2024-09-10', to: '2024-09-10' }, dir: out });
    expect(sorted(await recordsIn(one.path, disc))).toEqual([w.rB]);
    const none = await exportPackage(insp.ctx, { partnerId: disc.id, scope: { mode: 'dates', from: '2024-09-06', to: '2024-09-09' }, dir: out });
    expect(none.records).toBe(0);
  });

  it('refuses a scope that names nothing, an unknown record, too many, or dates out of order, before writing anything', async () => {
    const { insp, disc, w } = world();
    const out = dir();
    const refused = (scope: Parameters<typeof exportPackage>[1]['scope']) => exportPackage(insp.ctx, { partnerId: disc.id, scope, dir: out });
    await expect(refused({ mode: 'round' })).rejects.toMatchObject({ code: 'VALIDATION', field: 'roundId', reason: 'required' });
    await expect(refused({ mode: 'round', roundId: w.pA1 })).rejects.toMatchObject({ code: 'NOT_FOUND', field: 'roundId' });
    await expect(refused({ mode: 'units', unitIds: [] })).rejects.toMatchObject({ code: 'VALIDATION', field: 'unitIds' });
    await expect(refused({ mode: 'problems', problemIds: Array.from({ length: MAX_SCOPE_IDS + 1 }, (_, n) => `${w.pA1.slice(0, -3)}${String(n).padStart(3, '0')}`) }))
      .rejects.toMatchObject({ code: 'VALIDATION', reason: 'too_many' });
    await expect(refused({ mode: 'dates', from: '2024-09-05', to: '2024-09-04' })).rejects.toMatchObject({ code: 'VALIDATION', field: 'to', reason: 'date_order' });
    await expect(refused({ mode: 'dates', from: '2024-02-30', to: '2024-09-04' })).rejects.toMatchObject({ code: 'VALIDATION', field: 'from' });
    expect(insp.ledger.prepare('SELECT count(*) AS n FROM exchange_packages').get()).toEqual({ n: 0 });
  });

  it('a scoped package’s receipt leaves the "since last confirmed" point where it was; a since package’s receipt moves it', async () => {
    const { insp, disc, w } = world();
    const out = dir();
    const confirm = async (packageId: string, path: string) => {
      await importPackage(disc.ctx, path);
      await importReceipt(insp.ctx, (await writeReceipt(disc.ctx, { packageId, dir: out })).path);
    };
    const x1 = await exportPackage(insp.ctx, { partnerId: disc.id, dir: out });
    await confirm(x1.packageId, x1.path);
    expect(confirmedVersion(insp.ctx, disc.id)).toBe(x1.untilVersion);

    inTransaction(insp.ctx, () => updateRow(insp.ctx, problems, getRow(insp.ctx, problems, w.pA1)!, { description: '意识形态工作责任制落实不到位。' }));
    const scoped = await exportPackage(insp.ctx, { partnerId: disc.id, scope: { mode: 'problems', problemIds: [w.pA1] }, dir: out });
    expect(scoped.fromVersion).toBe(0);
    await confirm(scoped.packageId, scoped.path);
    expect(insp.ledger.prepare('SELECT status, json_extract(scope, \'$.mode\') AS mode FROM exchange_packages WHERE id = ?').get(scoped.packageId)).toEqual({ status: 'confirmed', mode: 'problems' });
    expect(confirmedVersion(insp.ctx, disc.id)).toBe(x1.untilVersion);

    // The next since package still starts at x1: the reworded problem travels again.
    const x3 = await exportPackage(insp.ctx, { partnerId: disc.id, dir: out });
    expect(x3.fromVersion).toBe(x1.untilVersion);
    expect(await recordsIn(x3.path, disc)).toContain(w.pA1);
    await confirm(x3.packageId, x3.path);
    expect(confirmedVersion(insp.ctx, disc.id)).toBe(x3.untilVersion);
  });

  it('the header says the scope before anything is decrypted (readHeader, inspect), and holds the largest scope allowed', async () => {
    const { insp, disc, w } = world();
    const x = await exportPackage(insp.ctx, { partnerId: disc.id, scope: { mode: 'units', unitIds: [w.u2, w.u1] }, dir: dir() });
    const h = await readHeader(x.path);
    expect(h.scope).toEqual({ mode: 'units', unitIds: sorted([w.u1, w.u2]), fromVersion: 0, untilVersion: x.untilVersion, includesClues: false });
    expect(headerLines(x.path, h).join('\n')).toContain(`范围：按被巡视单位：${sorted([w.u1, w.u2]).join('、')}（2 个），不改变“自上次确认以来”的起点，不含问题线索`);
    const d = await exportPackage(insp.ctx, { partnerId: disc.id, scope: { mode: 'dates', from: '2024-09-01', to: '2024-09-30' }, dir: dir() });
    const hd = await readHeader(d.path);
    expect(hd.scope).toMatchObject({ mode: 'dates', from: '2024-09-01', to: '2024-09-30' });
    expect(headerLines(d.path, hd).join('\n')).toContain('按日期范围：2024-09-01 至 2024-09-30（含）修改过的记录');
    // MAX_SCOPE_IDS ids fit in the header's scope (16 KiB).
    const many = Array.from({ length: MAX_SCOPE_IDS }, () => w.pA1);
    expect(checkHeader({ ...h, scope: { mode: 'problems', problemIds: many, fromVersion: 0, untilVersion: 1_000_000_000, includesClues: true } }).ok).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// The command line (as test/cli/ledger.test.ts drives it)

describe('npm run ledger -- export with a scope', () => {
  let root = '';
  afterAll(() => root && rmSync(root, { recursive: true, force: true }));
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'xz-scope-cli-'));
  });

  it('takes --round, --unit (repeated), --problem, --from/--until and --full, one kind at a time, and inspect shows the scope', { timeout: 120_000 }, async () => {
    const pw = join(root, 'pw.txt');
    writeFileSync(pw, `${PASSWORD}\n`);
    const A = join(root, 'a', 'ledger.sqlite');
    const B = join(root, 'b', 'ledger.sqlite');
    const json = async <T>(args: readonly string[], exit = 0): Promise<T> => {
      const r = await ledgerCli([...args, '--json']);
      expect(r.code, r.stderr).toBe(exit);
      return JSON.parse(r.stdout.trim()) as T;
    };
    const [a, b] = await Promise.all([
      json<{ officeId: string }>(['init', '--ledger', A, '--office', '某省委巡视办', '--kind', 'inspection_office', '--admin', 'admin', '--password-file', pw]),
      json<{ officeId: string }>(['init', '--ledger', B, '--office', '某省纪委监委', '--kind', 'discipline', '--admin', 'admin', '--password-file', pw]),
    ]);
    const on = (path: string) => ['--ledger', path, '--password-file', pw];
    const [ca, cb] = await Promise.all([
      json<{ path: string; fingerprint: string }>(['card', ...on(A), '--out', join(root, 'a')]),
      json<{ path: string; fingerprint: string }>(['card', ...on(B), '--out', join(root, 'b')]),
    ]);
    await Promise.all([
      json(['partner', 'add', cb.path, ...on(A), '--fingerprint', cb.fingerprint]),
      json(['partner', 'add', ca.path, ...on(B), '--fingerprint', ca.fingerprint]),
    ]);
    // Records made the way the app makes them (through the host).
    const host = new LedgerHost({ path: A, clock: systemClock, ids: uuidv7Source(), verifyOnOpen: false });
    const session: Session = { user: null };
    let ids: { round: string; u1: string; u2: string; problem: string };
    try {
      host.login(session, 'admin', PASSWORD);
      const ctx = host.context(session);
      ids = inTransaction(ctx, () => {
        const round = fxRound(ctx);
        const u1 = fxUnit(ctx, { name: '某某一公司' });
        const u2 = fxUnit(ctx, { name: '某某二公司' });
        const i = fxInspection(ctx, { roundId: round.id, unitId: u1.id });
        fxInspection(ctx, { roundId: round.id, unitId: u2.id });
        const p = fxProblem(ctx, { unitId: u1.id, roundId: round.id, inspectionId: i.inspection.id, categoryId: categoryId(ctx, '廉洁风险') });
        return { round: round.id, u1: u1.id, u2: u2.id, problem: p.id };
      });
      host.logout(session);
    } finally {
      host.close();
    }
    const out = join(root, 'out');
    const exp = (...scope: string[]) => json<{ path: string; records: number; scope: { mode: string } }>(['export', ...on(A), '--to', b.officeId, '--out', out, ...scope]);
    const round = await exp('--round', ids.round);
    const units = await exp('--unit', ids.u2, '--unit', ids.u1);
    const problem = await exp('--problem', ids.problem);
    const dates = await exp('--from', '2000-01-01', '--until', '2200-12-31');
    const full = await exp('--full');
    expect([round, units, problem, dates, full].map((x) => x.scope.mode)).toEqual(['round', 'units', 'problems', 'dates', 'full']);
    expect(round.records).toBe(8); // the round, its two inspections with their feedbacks, the problem, and the two units
    expect(units.records).toBe(8); // the same, reached from the units
    expect(problem.records).toBe(4); // the problem, its round, unit and inspection

    const head = await json<{ header: { scope: Record<string, unknown> } }>(['inspect', units.path]);
    expect(head.header.scope).toMatchObject({ mode: 'units', unitIds: sorted([ids.u1, ids.u2]) });
    const text = await ledgerCli(['inspect', round.path]);
    expect(text.stdout).toContain(`范围：按轮次：巡视轮次 ${ids.round}`);

    // One kind of scope at a time, and a date range needs both ends: usage errors (exit 2), nothing written.
    const both = await ledgerCli(['export', ...on(A), '--to', b.officeId, '--out', out, '--round', ids.round, '--full']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^错误 scope_conflict: /);
    const half = await ledgerCli(['export', ...on(A), '--to', b.officeId, '--out', out, '--from', '2024-01-01']);
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/^错误 missing_option: .*--until/);
    const help = await ledgerCli(['help', 'export']);
    expect(help.stdout).toContain('--round ID');
    expect(help.stdout).toContain('--unit ID');
    expect(a.officeId).not.toBe(b.officeId);
  });
});
