/**
 * 轮次归档、清理与恢复 (db/archive): a finished round goes to an encrypted read-only archive file with
 * its own recovery key, is purged from the working ledger with a purge record in the audit chain,
 * opens read-only, and comes back byte for byte. Real encrypted files in a temporary folder; the
 * calls go through the JSON test transport and the dispatcher's transaction, as the app makes them.
 *
 * Independent of the module's own scope rules: the world below records, as it builds the round,
 * the id of every row that belongs to it, and the test compares the archive and the ledger with
 * that list, by a digest of every stored value (integers as integers, reals as reals, blobs as bytes).
 */
import { blobIntact, CHUNK_BYTES, storeBlob } from '../../db/core/blobs.js';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { getTableName, is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTransport, type Handlers } from '../../db/bridge/dispatch.js';
import { verifyAudit } from '../../db/core/audit.js';
import { fixedClock } from '../../db/core/clock.js';
import { inTransaction, type ActingUser, type ServiceContext } from '../../db/core/context.js';
import { seededRandom, uuidv7Source } from '../../db/core/ids.js';
import { keystorePath, newDataKey, newKeystore, newRecoveryKey, parseRecoveryKey, TEST_KDF } from '../../db/core/keystore.js';
import { encryptPlainFile, openEncrypted } from '../../db/core/ledger-file.js';
import type { Ledger } from '../../db/core/open.js';
import { verifyLedger } from '../../db/core/verify.js';
import { insertRow, softDelete, type SyncTable } from '../../db/core/write.js';
import { EVIDENCE_OWNERS } from '../../db/domain/enums.js';
import { DomainError } from '../../db/domain/errors.js';
import * as schema from '../../db/schema/index.js';
import {
  accountabilityLinks, accountabilityRecords, activityProblems, clueDispositions, clues, closeouts, evaluations, evidence,
  escalationNotices, extensionRequests, handovers, petitions, programmeMeasures, programmeStages, progressEntries, reports,
  suggestions, supervisionActivities, supervisionProgrammes, taskStages, unitLeaders,
} from '../../db/schema/index.js';
import { refreshProblemRollup } from '../../db/services/problems.js';
import { archiveCalls, checkArchivePages, checkPurgeLists, isPurgedStatement, openArchive, readArchiveKeys, fileSha256 } from '../../db/archive/index.js';
import { archiveDataKey } from '../../db/archive/file.js';
import { EVIDENCE_OWNER_TABLES, LEDGER_TABLES, REFERENCE_TABLES, ROUND_TABLES } from '../../db/archive/scope.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxTask, fxTeam, fxUnit } from '../helpers/fixtures.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';

const TODAY = '2024-12-01';
const ROUND_NAME = '某省委第一轮巡视';

// ---------------------------------------------------------------------------------------------
// An encrypted working ledger (the test ledger's accounts, encrypted as the host does)

interface Working {
  ledger: Ledger;
  path: string;
  ledgerId: string;
  users: TestLedger['users'];
  as(user: ActingUser | null): ServiceContext;
  close(): void;
}

function workingLedger(dir: string, name: string, seed: number): Working {
  const t = makeTestLedger({ today: TODAY });
  const image = t.ledger.sqlite.serialize();
  const users = t.users;
  t.close();
  const path = join(dir, name);
  writeFileSync(path, image);
  const key = newDataKey();
  encryptPlainFile(path, key, null);
  const ks = newKeystore();
  const ledger = openEncrypted(path, key, ks);
  const clock = fixedClock(TODAY);
  const ids = uuidv7Source(() => clock.now(), seededRandom(seed));
  return { ledger, path, ledgerId: ks.ledgerId, users, as: (user) => ({ ledger, clock, ids, user }), close: () => ledger.close() };
}

// ---------------------------------------------------------------------------------------------
// The world: round A finished (every kind of record under it), round B open and linked to A

type Ids = Map<string, Set<string>>;

/** Files stored in pieces (db/core/blobs.ts): one shared with round B, one of round A only. */
const LARGE_FILES = new Set(['任务材料-0-0', '问题材料']);

function blob(ctx: ServiceContext, text: string): { sha256: string; size: number } {
  const head = Buffer.from(`%PDF-1.4\n% ${text}\n`, 'utf8');
  const data = LARGE_FILES.has(text) ? Buffer.concat([head, Buffer.alloc(2 * CHUNK_BYTES + 123, text), Buffer.from('%%EOF\n')]) : Buffer.concat([head, Buffer.from('%%EOF\n')]);
  const sha256 = createHash('sha256').update(data).digest('hex');
  storeBlob(ctx.ledger, sha256, data, new Date(ctx.clock.now()).toISOString());
  return { sha256, size: data.length };
}

function buildWorld(w: Working, o: { problems: number; tasksPerProblem?: number; extras?: boolean } = { problems: 4 }) {
  const ctx = w.as(w.users.admin);
  return inTransaction(ctx, () => buildWorldIn(w, ctx, o));
}

function buildWorldIn(w: Working, ctx: ServiceContext, o: { problems: number; tasksPerProblem?: number; extras?: boolean }) {
  const a: Ids = new Map();
  const own = <R extends { id: string }>(table: string, row: R): R => {
    if (!a.has(table)) a.set(table, new Set());
    a.get(table)!.add(row.id);
    return row;
  };
  const ownBlob = (sha: string) => {
    if (!a.has('evidence_blobs')) a.set('evidence_blobs', new Set());
    a.get('evidence_blobs')!.add(sha);
  };
  const ins = <T extends SyncTable>(table: T, values: Parameters<typeof insertRow<T>>[2]) => insertRow(ctx, table, values);
  const mine = <T extends SyncTable>(table: T, values: Parameters<typeof insertRow<T>>[2]) => {
    const row = ins(table, values);
    own(getTableName(table), row as { id: string });
    return row;
  };
  const addEvidence = (ownerType: (typeof EVIDENCE_OWNERS.codes)[number], ownerId: string, text: string, owned = true) => {
    const b = blob(ctx, text);
    const values = { ownerType, ownerId, sha256: b.sha256, fileName: `${text}.pdf`, mimeType: 'application/pdf', size: b.size, formedOn: '2024-03-01' };
    if (owned) {
      ownBlob(b.sha256);
      return mine(evidence, values);
    }
    return ins(evidence, values);
  };

  const cat = categoryId(ctx, '廉洁风险');
  const roundA = own('rounds', fxRound(ctx, { name: ROUND_NAME }));
  const roundB = fxRound(ctx, { name: '某省委第二轮巡视', mobilisedOn: '2024-09-01', enteredOn: '2024-09-10', feedbackOn: '2024-11-20' });
  const team = own('teams', fxTeam(ctx, roundA.id, 1));
  const u1 = fxUnit(ctx);
  const u2 = fxUnit(ctx, { name: '某某银行股份有限公司', sector: 'central_finance' });
  const leader = ins(unitLeaders, { unitId: u1.id, name: '张某某', post: '党委书记', fromDate: '2020-01-01', toDate: null });
  ins(handovers, { unitId: u1.id, fromLeaderId: null, toLeaderId: leader.id, handoverDate: '2020-01-01', openTaskCount: 0, notes: null });
  const i1 = fxInspection(ctx, { roundId: roundA.id, unitId: u1.id, teamId: team.id });
  const i2 = fxInspection(ctx, { roundId: roundA.id, unitId: u2.id });
  for (const x of [i1, i2]) {
    own('inspections', x.inspection);
    own('feedbacks', x.feedback);
  }
  const problemsA: string[] = [];
  const tasksA: string[] = [];
  const per = o.tasksPerProblem ?? 2;
  for (let p = 0; p < o.problems; p++) {
    const x = p % 2 === 0 ? i1 : i2;
    const unitId = p % 2 === 0 ? u1.id : u2.id;
    const problem = own('problems', fxProblem(ctx, {
      roundId: roundA.id, unitId, inspectionId: x.inspection.id, feedbackId: x.feedback.id, categoryId: cat, seq: p + 1,
      description: `第${p + 1}个问题：落实全面从严治党主体责任不到位，“四风”问题仍有发生。`,
    }));
    problemsA.push(problem.id);
    for (let k = 0; k < per; k++) {
      const task = own('tasks', fxTask(ctx, {
        problemId: problem.id, unitId, roundId: roundA.id, seq: k + 1, status: 'closed', completedOn: '2024-04-20',
        reportedOnTime: true, closedAt: '2024-05-01T02:00:00.000Z', term: k === 1 ? 'long_term' : 'concentrated',
      }));
      tasksA.push(task.id);
      const entry = mine(progressEntries, { taskId: task.id, entryDate: '2024-03-15', content: '已召开专题会议部署整改，修订制度2项。' });
      addEvidence('task', task.id, `任务材料-${p}-${k}`);
      if (o.extras !== false || k === 0) {
        mine(closeouts, {
          taskId: task.id, materialRevision: 1, submittedBy: w.users.entry.id, submittedAt: '2024-04-21T02:00:00.000Z', decision: 'accepted',
          reviewerId: w.users.reviewer.id, decidedAt: '2024-05-01T02:00:00.000Z', comment: '同意销号。', snapshot: '{}', snapshotHash: 'x'.repeat(64),
          supersededAt: null, supersededReason: null,
        });
      }
      if (o.extras !== false && p === 0) addEvidence('progress', entry.id, `进展材料-${k}`);
    }
    refreshProblemRollup(ctx, problem.id);
  }
  if (o.extras !== false) {
    const t0 = tasksA[0]!;
    const p0 = problemsA[0]!;
    // A dropped task (a tombstone with its reason): archived as it is, and it does not keep the round open.
    const dropped = own('tasks', insertRow(ctx, schema.tasks, {
      problemId: p0, unitId: u1.id, roundId: roundA.id, seq: 9, measures: '与第1项合并。', term: 'immediate', deadline: '2024-03-31',
      currentDeadline: '2024-03-31', status: 'in_progress', mergedIntoId: t0,
    }));
    softDelete(ctx, schema.tasks, dropped, '与第1项合并');
    refreshProblemRollup(ctx, p0);
    mine(taskStages, { taskId: t0, seq: 1, goal: '建立长效机制', dueDate: '2024-06-30', doneOn: '2024-06-20' });
    mine(extensionRequests, {
      taskId: t0, previousDeadline: '2024-04-30', requestedDeadline: '2024-05-31', reason: '需经党委会审议。', requestedBy: w.users.entry.id,
      status: 'approved', decidedBy: w.users.reviewer.id, decidedAt: '2024-04-25T02:00:00.000Z', decisionComment: '同意。',
    });
    addEvidence('problem', p0, '问题材料');
    const clue = mine(clues, {
      roundId: roundA.id, unitId: u1.id, subjectName: '钱某某', subjectPost: '副总经理', summary: '反映其违规接受宴请。', receivedOn: '2024-02-01',
      receivingOrgan: 'ccdi', disposition: 'case_filed', outcome: 'party_discipline', moneyRecoveredFen: 12_345_678_901_234, concludedOn: '2024-10-01',
    });
    mine(clueDispositions, { clueId: clue.id, fromWay: 'received', way: 'case_filed', decidedOn: '2024-03-01', note: '经初核，立案审查调查。', letterSentOn: null, repliedOn: null });
    addEvidence('clue', clue.id, '线索材料');
    mine(suggestions, { roundId: roundA.id, unitId: u1.id, department: '某省国资委', content: '建议完善国企投资监管制度。', issuedOn: '2024-02-10', reply: '已修订。', repliedOn: '2024-04-10', status: 'replied' });
    mine(petitions, { roundId: roundA.id, unitId: u2.id, receivedOn: '2024-01-10', summary: '反映工程招标问题。', handedTo: '某市纪委监委', handedOn: '2024-01-20', result: '已办结。', status: 'concluded' });
    const act = mine(supervisionActivities, { roundId: roundA.id, unitId: u1.id, kind: 'site_inspection', activityDate: '2024-03-20', title: '现场检查整改落实情况', participants: '李某、赵某某', findings: '整改基本到位。' });
    mine(activityProblems, { activityId: act.id, problemId: p0 });
    addEvidence('activity', act.id, '检查记录');
    const prog = mine(supervisionProgrammes, { roundId: roundA.id, unitId: u1.id, name: '整改监督工作方案', startOn: '2024-02-01', endOn: '2024-07-31' });
    const st = mine(programmeStages, { programmeId: prog.id, seq: 1, name: '学习部署', startOn: '2024-02-01', endOn: '2024-02-29' });
    mine(programmeMeasures, { programmeId: prog.id, stageId: st.id, seq: 1, content: '召开整改监督部署会。', owner: '第三监督检查室', doneOn: '2024-02-05' });
    const rep = mine(reports, { inspectionId: i1.inspection.id, kind: 'plan', title: '巡视整改方案', docNumber: '某党发〔2024〕3号', reportDate: '2024-02-20', receivedOn: null, body: '整改方案正文。' });
    addEvidence('report', rep.id, '整改方案');
    mine(evaluations, { inspectionId: i1.inspection.id, targetType: 'unit', targetId: u1.id, grade: 'fairly_good', score: 88.5, findings: '整改较好。', evaluatedOn: '2024-10-15' });
    mine(evaluations, { inspectionId: i2.inspection.id, targetType: 'task', targetId: tasksA[1]!, grade: 'good', score: 95, findings: null, evaluatedOn: '2024-10-15' });
    mine(escalationNotices, { unitId: u1.id, targetType: 'task', targetId: t0, level: 'notice', issuedOn: '2024-04-01', docNumber: null, reason: '进度滞后。' });
    // A notice against the unit itself is the unit's, not the round's: it stays.
    ins(escalationNotices, { unitId: u1.id, targetType: 'unit', targetId: u1.id, level: 'reminder', issuedOn: '2024-04-05', docNumber: null, reason: '整改进度整体滞后。' });
    const acc = mine(accountabilityRecords, { roundId: roundA.id, unitId: u1.id, personName: '孙某', post: '办公室主任', reason: 'ineffective', form: 'talk_reminder', decidedOn: '2024-05-10', note: null });
    mine(accountabilityLinks, { accountabilityId: acc.id, problemId: p0, taskId: t0 });
  }

  // Round B, still open, inspecting the same unit; some of its records point into round A.
  const ib = fxInspection(ctx, { roundId: roundB.id, unitId: u1.id, feedbackDate: '2024-11-20' });
  const pb = fxProblem(ctx, { roundId: roundB.id, unitId: u1.id, inspectionId: ib.inspection.id, categoryId: cat, seq: 1, reboundOfId: problemsA[0]!, description: '问题反弹：违规吃喝问题再次发生。' });
  const tb = fxTask(ctx, { problemId: pb.id, unitId: u1.id, roundId: roundB.id, deadline: '2025-02-28' });
  refreshProblemRollup(ctx, pb.id);
  const shared = addEvidence('task', tb.id, `任务材料-0-0`, false); // the same file as a round-A task's
  const actB = ins(supervisionActivities, { roundId: roundB.id, unitId: u1.id, kind: 'field_research', activityDate: '2024-11-25', title: '调研督导', participants: null, findings: null });
  ins(activityProblems, { activityId: actB.id, problemId: pb.id });
  if (o.extras !== false) own('activity_problems', ins(activityProblems, { activityId: actB.id, problemId: problemsA[0]! }));
  return { a, roundA, roundB, u1, u2, problemsA, tasksA, pb, tb, actB, sharedSha: shared.sha256 };
}

// ---------------------------------------------------------------------------------------------
// Digests, independent of db/archive

const replacer = (_k: string, v: unknown) => (typeof v === 'bigint' ? `i:${v}` : typeof v === 'number' ? `r:${v}` : v);

function keyCols(db: Database.Database, table: string): string[] {
  const info = db.prepare(`PRAGMA table_info("${table}")`).all() as Array<{ name: string; pk: number }>;
  return info.filter((c) => c.pk > 0).sort((x, y) => x.pk - y.pk).map((c) => c.name);
}

/** Every stored value of `table` (only the rows whose id/sha256 is in `only`, when given), in key order. */
function tableDigest(db: Database.Database, table: string, only?: Set<string>): { digest: string; n: number } {
  const pk = keyCols(db, table);
  const stmt = db.prepare(`SELECT * FROM "${table}" ORDER BY ${pk.length ? pk.map((c) => `"${c}"`).join(', ') : 'rowid'}`).safeIntegers(true);
  const h = createHash('sha256');
  let n = 0;
  for (const row of stmt.iterate() as IterableIterator<Record<string, unknown>>) {
    if (only && !only.has(String(row.id ?? row.sha256))) continue;
    h.update(JSON.stringify(row, replacer)).update('\n');
    n++;
  }
  return { digest: h.digest('hex'), n };
}

function tablesOf(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
}

/** Every table of the ledger (minus `except`), and its in-memory counters unless told otherwise. */
function ledgerDigest(l: Ledger, except: (t: string) => boolean = () => false, withState = true): string {
  const h = createHash('sha256');
  for (const t of tablesOf(l.sqlite)) {
    if (except(t)) continue;
    h.update(`${t}:${tableDigest(l.sqlite, t).digest}\n`);
  }
  if (withState) h.update(JSON.stringify(l.state));
  return h.digest('hex');
}

/** What a restore must bring back exactly: everything but the bookkeeping of archives and purges and the search index's rowids. */
const RESTORE_EXCEPT = (t: string) => ['audit_log', 'round_archives', 'purged_records'].includes(t) || /_fts(_|$)/.test(t);

function count(l: Ledger, table: string, ids: Set<string>): number {
  const key = table === 'evidence_blobs' ? 'sha256' : 'id';
  const stmt = l.sqlite.prepare(`SELECT count(*) AS n FROM "${table}" WHERE "${key}" = ?`);
  let n = 0;
  for (const id of ids) n += (stmt.get(id) as { n: number }).n;
  return n;
}

// ---------------------------------------------------------------------------------------------

let dir: string;
let w: Working;
let world: ReturnType<typeof buildWorld>;
const calls = archiveCalls({ kdf: TEST_KDF });
const handlers: Handlers = {
  'archive:readiness': calls.readiness, 'archive:create': calls.archiveRound, 'archive:purge': calls.purgeRound,
  'archive:restore': calls.restoreArchive, 'archive:list': calls.listArchives,
};
let current: ActingUser | null = null;
const api = () => createTestTransport(handlers, () => w.as(current));
async function call<T>(user: ActingUser | null, channel: string, arg?: unknown): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; reason?: string; message: string; field?: string } }> {
  current = user;
  return (await api().invoke(channel, arg)) as never;
}

/** A refused call leaves the working ledger exactly as it was (every table and the engine's counters). */
async function expectRefused(user: ActingUser | null, channel: string, arg: unknown, code: string, reason?: string) {
  const before = ledgerDigest(w.ledger);
  const r = await call(user, channel, arg);
  expect(r.ok, JSON.stringify(r)).toBe(false);
  if (!r.ok) {
    expect({ code: r.error.code, reason: r.error.reason }).toEqual({ code, reason });
    expect(r.error.message).toMatch(/[\u4e00-\u9fff]/);
  }
  expect(ledgerDigest(w.ledger)).toBe(before);
  return r;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xz-archive-'));
  w = workingLedger(dir, 'ledger.sqlite', 11);
  world = buildWorld(w);
});
afterAll(() => {
  w?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('what belongs to a round', () => {
  it('classifies every table of the schema, and every evidence owner', () => {
    const classified = new Set<string>([...ROUND_TABLES.map((t) => t.table), ...REFERENCE_TABLES, ...LEDGER_TABLES]);
    const declared = (Object.values(schema) as unknown[]).filter((t) => is(t, SQLiteTable)).map((t) => getTableName(t as SQLiteTable));
    expect(declared.filter((t) => !classified.has(t)), 'tables no rule of db/archive/scope.ts covers').toEqual([]);
    const inFile = tablesOf(w.ledger.sqlite).filter((t) => !/_fts(_|$)/.test(t) && t !== '__drizzle_migrations');
    expect(inFile.filter((t) => !classified.has(t))).toEqual([]);
    expect(Object.keys(EVIDENCE_OWNER_TABLES).sort()).toEqual([...EVIDENCE_OWNERS.codes].sort());
  });
});

describe('archive, purge, open, restore', () => {
  let archivePath: string;
  let recoveryKey: string;
  let sha256: string;
  let beforePurge: string;

  it('refuses an unfinished round, naming what is still open, and writes no file', async () => {
    const path = join(dir, 'round-b.xzarchive');
    const r = await expectRefused(w.users.admin, 'archive:create', { roundId: world.roundB.id, path }, 'CONFLICT', 'round_not_finished');
    if (!r.ok) expect(r.error.message).toMatch(/1个问题未销号、1项整改任务未销号/);
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('round-b'))).toEqual([]);
    const ready = await call<{ finished: boolean; open: Record<string, number> }>(w.users.admin, 'archive:readiness', { roundId: world.roundB.id });
    expect(ready).toMatchObject({ ok: true, value: { finished: false, open: { problems: 1, tasks: 1 } } });
  });

  it('archives only for the 管理员, and only into a new .xzarchive file', async () => {
    const path = join(dir, 'a.xzarchive');
    for (const u of [w.users.leader, w.users.reviewer, w.users.entry, w.users.readonly]) {
      await expectRefused(u, 'archive:create', { roundId: world.roundA.id, path }, 'FORBIDDEN', 'admin_only');
    }
    await expectRefused(w.users.admin, 'archive:create', { roundId: world.roundA.id, path: join(dir, 'a.sqlite') }, 'VALIDATION', 'bad_extension');
    await expectRefused(w.users.admin, 'archive:create', { roundId: world.roundA.id, path: 'relative.xzarchive' }, 'VALIDATION', 'not_absolute');
    expect(existsSync(path)).toBe(false);
  });

  it('writes an encrypted archive of exactly the round, with its own recovery key and a recorded SHA-256', async () => {
    const ready = await call<{ finished: boolean; counts: Record<string, number> }>(w.users.admin, 'archive:readiness', { roundId: world.roundA.id });
    expect(ready.ok && ready.value.finished).toBe(true);
    // The world is as the app would have written it: every record matches its audit trail.
    expect(verifyLedger(w.ledger, { integrity: 'quick' })).toMatchObject({ ok: true, records: { first: null } });
    archivePath = join(dir, '某省委第一轮巡视.xzarchive');
    const auditBefore = (w.ledger.sqlite.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    const r = await call<{ sha256: string; recoveryKey: string; counts: Record<string, number>; size: number; fileName: string }>(
      w.users.admin, 'archive:create', { roundId: world.roundA.id, path: archivePath });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    ({ recoveryKey, sha256 } = r.value);
    expect(parseRecoveryKey(recoveryKey).ok).toBe(true);
    // The file and its key file only (no WAL beside it), and the SHA-256 is the file's.
    expect(readdirSync(dir).filter((f) => f.startsWith('某省委')).sort()).toEqual(['某省委第一轮巡视.xzarchive', '某省委第一轮巡视.xzarchive.keys']);
    expect(fileSha256(archivePath)).toEqual({ sha256, size: r.value.size });
    // Encrypted: no known phrase, no SQLite header.
    const bytes = readFileSync(archivePath);
    for (const phrase of [ROUND_NAME, '钱某某', 'SQLite format 3', '四风']) expect(bytes.includes(Buffer.from(phrase, 'utf8'))).toBe(false);
    // The key file wraps the data key once, with the recovery key only.
    const keys = readArchiveKeys(archivePath);
    expect(keys.wraps.map((x) => x.kind)).toEqual(['recovery']);
    expect(JSON.stringify(keys)).not.toContain(recoveryKey.replace(/-/g, ''));
    // Counts as the world built them.
    for (const [table, ids] of world.a) expect(r.value.counts[table], table).toBe(ids.size);
    // Recorded in the working ledger and its audit trail; nothing else of the ledger changed.
    const rec = w.ledger.sqlite.prepare('SELECT * FROM round_archives WHERE sha256 = ?').get(sha256) as Record<string, unknown>;
    expect(rec).toMatchObject({ round_id: world.roundA.id, status: 'archived', file_name: '某省委第一轮巡视.xzarchive', created_by: w.users.admin.id });
    const events = w.ledger.sqlite.prepare('SELECT action, entity, entity_id FROM audit_log WHERE seq > ? ORDER BY seq').all(auditBefore);
    expect(events).toEqual([
      { action: 'archive', entity: 'round_archives', entity_id: rec.id },
      { action: 'archive', entity: 'rounds', entity_id: world.roundA.id },
    ]);
    for (const [table, ids] of world.a) expect(count(w.ledger, table, ids), table).toBe(ids.size);
    expect(verifyAudit(w.ledger)).toMatchObject({ ok: true });
    beforePurge = ledgerDigest(w.ledger, RESTORE_EXCEPT, false);
  });

  it('opens read-only with its recovery key and holds the same rows, their audit rows and what they reference', () => {
    const before = fileSha256(archivePath);
    const h = openArchive(archivePath, recoveryKey.toLowerCase().replace(/-/g, ' '));
    try {
      const arc = h.ledger.sqlite;
      expect(h.manifest).toMatchObject({
        round: { id: world.roundA.id, name: ROUND_NAME, mobilisedOn: '2023-09-01', feedbackOn: '2024-01-31' },
        sourceLedgerId: w.ledgerId, createdBy: { id: w.users.admin.id, displayName: w.users.admin.displayName },
        createdAt: new Date(Date.parse(`${TODAY}T04:00:00.000Z`)).toISOString(),
      });
      for (const [table, ids] of world.a) {
        const inArchive = arc.prepare(`SELECT count(*) AS n FROM archive_records WHERE tbl = ? AND role = 'round'`).get(table) as { n: number };
        expect(inArchive.n, table).toBe(ids.size);
        expect(h.manifest.counts[table], table).toBe(ids.size);
        // Every stored value equal (ids, versions, HLC, tombstones, integers beyond 2^32, reals, blobs).
        expect(tableDigest(arc, table, ids), table).toEqual(tableDigest(w.ledger.sqlite, table, ids));
      }
      // Nothing of round B.
      expect(arc.prepare('SELECT count(*) AS n FROM problems WHERE id = ?').get(world.pb.id)).toEqual({ n: 0 });
      // Round B's activity is here only because a round-A link names it (and its round, because the activity names that):
      // references, for the archive to be self-contained, never the round's own records.
      expect(arc.prepare("SELECT tbl, role FROM archive_records WHERE id IN (?, ?) ORDER BY tbl").all(world.roundB.id, world.actB.id))
        .toEqual([{ tbl: 'rounds', role: 'reference' }, { tbl: 'supervision_activities', role: 'reference' }]);
      expect(arc.prepare('SELECT count(*) AS n FROM supervision_activities').get()).toEqual({ n: 2 });
      // Audit rows of the round's records, as they are in the working ledger.
      const all = new Set([...world.a.values()].flatMap((s) => [...s]));
      // (Not the archive event written after the file was made.)
      const mine = (w.ledger.sqlite.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Array<{ entity_id: string; action: string }>)
        .filter((r) => all.has(r.entity_id) && r.action !== 'archive');
      expect(arc.prepare('SELECT * FROM audit_log ORDER BY seq').all()).toEqual(mine);
      // Self-contained: the references resolve, users carry no password hash.
      expect(arc.pragma('foreign_key_check')).toEqual([]);
      expect(arc.prepare('SELECT count(*) AS n FROM units').get()).toEqual({ n: 2 });
      expect(arc.prepare('SELECT count(*) AS n FROM users WHERE password_hash IS NOT NULL').get()).toEqual({ n: 0 });
      expect((arc.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n).toBeGreaterThanOrEqual(8);
      expect((arc.prepare('SELECT count(*) AS n FROM problem_categories').get() as { n: number }).n).toBeGreaterThan(0);
      // Read-only: no write gets through.
      expect(() => arc.prepare("INSERT INTO meta (key, value) VALUES ('x', 'y')").run()).toThrow(/readonly/);
      expect(() => arc.prepare('DELETE FROM problems').run()).toThrow(/readonly/);
    } finally {
      h.ledger.close();
    }
    expect(fileSha256(archivePath)).toEqual(before);
  });

  it('a wrong recovery key, a typo and a flipped byte are refused with their own codes', () => {
    expect(() => openArchive(archivePath, newRecoveryKey())).toThrow(expect.objectContaining({ code: 'FORBIDDEN', reason: 'wrong_recovery_key' }));
    const typo = recoveryKey.replace(/^(.)/, (c) => (c === 'A' ? 'B' : 'A'));
    expect(() => openArchive(archivePath, typo)).toThrow(expect.objectContaining({ code: 'VALIDATION', reason: 'recovery_key_typo' }));
    // A copy with one byte flipped in the middle of the file.
    const bad = join(dir, 'flipped.xzarchive');
    copyFileSync(archivePath, bad);
    copyFileSync(keystorePath(archivePath), keystorePath(bad));
    const bytes = readFileSync(bad);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    writeFileSync(bad, bytes);
    const e = (() => {
      try {
        openArchive(bad, recoveryKey);
      } catch (x) {
        return x as DomainError;
      }
      return null;
    })();
    expect(e).toBeInstanceOf(DomainError);
    expect({ code: e!.code, reason: e!.reason }).toEqual({ code: 'CORRUPT', reason: 'archive_damaged' });
    expect(e!.message).toMatch(/归档文件已损坏或被改动（SHA-256 与归档时不符）/);
    // SQLCipher's page HMAC catches it too, without the recorded SHA-256.
    const key = archiveDataKey(readArchiveKeys(bad), recoveryKey);
    expect(() => checkArchivePages(bad, key)).toThrow(expect.objectContaining({ code: 'CORRUPT', reason: 'archive_damaged' }));
    checkArchivePages(archivePath, key);
    // A rewritten seal (the SHA-256 of the changed file put in the key file) is refused as well.
    const keys = readArchiveKeys(bad);
    keys.seal.sha256 = fileSha256(bad).sha256;
    writeFileSync(keystorePath(bad), JSON.stringify(keys));
    expect(() => openArchive(bad, recoveryKey)).toThrow(expect.objectContaining({ code: 'CORRUPT', reason: 'archive_keys_damaged' }));
  });

  // Each of its dozen-odd refusals digests the whole ledger before and after: 25 s on a slow machine, 32 s
  // in a loaded CI run, so it has more than the default 30 s.
  it('refuses to purge for anyone but the 管理员, without the exact round name, or without a matching archive', { timeout: 120_000 }, async () => {
    const arg = { roundId: world.roundA.id, archiveSha256: sha256, confirmText: ROUND_NAME };
    for (const u of [w.users.leader, w.users.reviewer, w.users.entry, w.users.readonly, null]) {
      await expectRefused(u, 'archive:purge', arg, 'FORBIDDEN', u ? 'admin_only' : 'not_logged_in');
    }
    for (const confirmText of [`${ROUND_NAME} `, '某省委第一轮', '', ROUND_NAME.replace('一', '二')]) {
      const r = await expectRefused(w.users.admin, 'archive:purge', { ...arg, confirmText }, 'VALIDATION', 'confirm_mismatch');
      if (!r.ok) expect(r.error.field).toBe('confirmText');
    }
    await expectRefused(w.users.admin, 'archive:purge', { ...arg, archiveSha256: 'a'.repeat(64) }, 'CONFLICT', 'archive_unknown');
    await expectRefused(w.users.admin, 'archive:purge', { ...arg, roundId: world.roundB.id, confirmText: '某省委第二轮巡视' }, 'CONFLICT', 'archive_unknown');
    // The archive file moved away: refused (the only copy must be where it was written, unchanged).
    renameSync(archivePath, `${archivePath}.moved`);
    await expectRefused(w.users.admin, 'archive:purge', arg, 'CONFLICT', 'archive_missing');
    renameSync(`${archivePath}.moved`, archivePath);
  });

  it('purges the round physically, in one transaction, leaving a purge record in the verified audit chain', async () => {
    const roundB = tableDigest(w.ledger.sqlite, 'problems', new Set([world.pb.id]));
    const auditRows = (w.ledger.sqlite.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    const r = await call<{ counts: Record<string, number>; blobsKept: number; softReferences: number; auditSeq: number }>(
      w.users.admin, 'archive:purge', { roundId: world.roundA.id, archiveSha256: sha256.toUpperCase(), confirmText: ROUND_NAME });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    // Gone, every one of them (the shared evidence file stays: round B cites it).
    for (const [table, ids] of world.a) {
      const expected = table === 'evidence_blobs' ? 1 : 0;
      expect(count(w.ledger, table, ids), table).toBe(expected);
      expect(r.value.counts[table], table).toBe(ids.size - expected);
    }
    expect(r.value.blobsKept).toBe(1);
    expect(count(w.ledger, 'evidence_blobs', new Set([world.sharedSha]))).toBe(1);
    // The pieces of the large files: the shared one's 3 stay and read back whole, round A's own 3 are gone.
    expect(w.ledger.sqlite.prepare('SELECT sha256 = ? AS shared, count(*) AS n FROM evidence_chunks GROUP BY sha256').all(world.sharedSha)).toEqual([{ shared: 1, n: 3 }]);
    expect(r.value.counts.evidence_chunks).toBe(3);
    expect(blobIntact(w.ledger.sqlite, world.sharedSha)).toBe(true);
    expect(r.value.softReferences).toBe(1); // round B's rebound problem still names the purged one
    // Round B, the units and the unit-level notice are untouched.
    expect(tableDigest(w.ledger.sqlite, 'problems', new Set([world.pb.id]))).toEqual(roundB);
    expect(w.ledger.sqlite.prepare('SELECT count(*) AS n FROM units').get()).toEqual({ n: 2 });
    expect(w.ledger.sqlite.prepare("SELECT count(*) AS n FROM escalation_notices WHERE target_type = 'unit'").get()).toEqual({ n: 1 });
    expect(w.ledger.sqlite.pragma('foreign_key_check')).toEqual([]);
    expect(w.ledger.sqlite.prepare("INSERT INTO problems_fts(problems_fts) VALUES ('integrity-check')").run()).toBeTruthy();
    expect(w.ledger.sqlite.prepare("SELECT count(*) AS n FROM problems_fts WHERE problems_fts MATCH '主体责任'").get()).toEqual({ n: 0 });
    // The audit trail kept every row and still verifies; the purge record is its newest entry.
    expect(verifyAudit(w.ledger)).toEqual({ ok: true, rows: auditRows + 2 });
    const ev = w.ledger.sqlite.prepare('SELECT * FROM audit_log WHERE seq = ?').get(r.value.auditSeq) as Record<string, string>;
    expect(ev).toMatchObject({ action: 'purge', entity: 'rounds', entity_id: world.roundA.id, user_id: w.users.admin.id, at: new Date(Date.parse(`${TODAY}T04:00:00.000Z`)).toISOString() });
    const detail = JSON.parse(ev.after!) as Record<string, unknown>;
    expect(detail).toMatchObject({
      roundName: ROUND_NAME, archiveSha256: sha256, fileName: '某省委第一轮巡视.xzarchive', counts: r.value.counts,
      purgedBy: { id: w.users.admin.id, displayName: w.users.admin.displayName },
    });
    // The purge list: every purged record once; verify.ts finds nothing else than these missing.
    const total = [...world.a.entries()].filter(([t]) => t !== 'evidence_blobs').reduce((n, [, s]) => n + s.size, 0);
    expect(w.ledger.sqlite.prepare('SELECT count(*) AS n FROM purged_records').get()).toEqual({ n: total });
    expect(checkPurgeLists({ ledger: w.ledger })).toEqual([]);
    const purged = isPurgedStatement({ ledger: w.ledger });
    expect(purged('problems', world.problemsA[0]!)).toBe(true);
    expect(purged('problems', world.pb.id)).toBe(false);
    // The ledger check knows a purged record from one deleted outside the app.
    const v = verifyLedger(w.ledger, { integrity: 'quick' });
    expect({ ok: v.ok, severity: v.severity, first: v.records.first }).toEqual({ ok: true, severity: 'ok', first: null });
    // The purge list is tamper-evident.
    const one = [...world.a.get('problems')!][0]!;
    const saved = w.ledger.sqlite.prepare('SELECT * FROM purged_records WHERE entity_id = ?').get(one) as { entity_id: string; entity: string; archive_id: string };
    w.ledger.sqlite.prepare('DELETE FROM purged_records WHERE entity_id = ?').run(one);
    expect(checkPurgeLists({ ledger: w.ledger })).toHaveLength(1);
    const tampered = verifyLedger(w.ledger, { integrity: 'skip' });
    expect(tampered.severity).toBe('tampered');
    expect(tampered.records.sample.map((p) => p.kind).sort()).toEqual(['missing', 'purge_list']);
    w.ledger.sqlite.prepare('INSERT INTO purged_records (entity_id, entity, archive_id) VALUES (?, ?, ?)').run(saved.entity_id, saved.entity, saved.archive_id);
    expect(checkPurgeLists({ ledger: w.ledger })).toEqual([]);
    // Purged: the round is no longer here to purge.
    await expectRefused(w.users.admin, 'archive:purge', { roundId: world.roundA.id, archiveSha256: sha256, confirmText: ROUND_NAME }, 'NOT_FOUND');
  });

  it('refuses restores that are not this ledger\'s, damaged, or with the wrong key, changing nothing', async () => {
    await expectRefused(w.users.admin, 'archive:restore', { path: archivePath, recoveryKey: newRecoveryKey() }, 'FORBIDDEN', 'wrong_recovery_key');
    await expectRefused(w.users.leader, 'archive:restore', { path: archivePath, recoveryKey }, 'FORBIDDEN', 'admin_only');
    await expectRefused(w.users.admin, 'archive:restore', { path: join(dir, 'flipped.xzarchive'), recoveryKey }, 'CORRUPT', 'archive_keys_damaged');
    const bad = join(dir, 'flipped2.xzarchive');
    copyFileSync(archivePath, bad);
    copyFileSync(keystorePath(archivePath), keystorePath(bad));
    const bytes = readFileSync(bad);
    bytes[bytes.length - 700]! ^= 0x80;
    writeFileSync(bad, bytes);
    await expectRefused(w.users.admin, 'archive:restore', { path: bad, recoveryKey }, 'CORRUPT', 'archive_damaged');
    // Into another office's ledger: refused there, that ledger unchanged.
    const other = workingLedger(dir, 'other.sqlite', 12);
    try {
      const before = ledgerDigest(other.ledger);
      const t = createTestTransport(handlers, () => other.as(other.users.admin));
      const r = await t.invoke('archive:restore', { path: archivePath, recoveryKey });
      expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'foreign_archive' } });
      expect(ledgerDigest(other.ledger)).toBe(before);
    } finally {
      other.close();
    }
  });

  it('restores every row exactly as it was before the purge, and the whole ledger verifies again', async () => {
    const r = await call<{ counts: Record<string, number> }>(w.users.admin, 'archive:restore', { path: archivePath, recoveryKey });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(ledgerDigest(w.ledger, RESTORE_EXCEPT, false)).toBe(beforePurge);
    for (const [table, ids] of world.a) expect(count(w.ledger, table, ids), table).toBe(ids.size);
    expect(w.ledger.sqlite.prepare('SELECT count(*) AS n FROM purged_records').get()).toEqual({ n: 0 });
    expect(w.ledger.sqlite.prepare('SELECT status FROM round_archives WHERE sha256 = ?').get(sha256)).toEqual({ status: 'restored' });
    const last = w.ledger.sqlite.prepare('SELECT action, entity, entity_id, user_id FROM audit_log ORDER BY seq DESC LIMIT 1').get();
    expect(last).toEqual({ action: 'restore', entity: 'rounds', entity_id: world.roundA.id, user_id: w.users.admin.id });
    expect(w.ledger.sqlite.prepare("SELECT count(*) AS n FROM problems_fts WHERE problems_fts MATCH '主体责任'").get()).toEqual({ n: world.a.get('problems')!.size });
    const v = verifyLedger(w.ledger, { integrity: 'quick' });
    expect({ ok: v.ok, first: v.records.first }).toEqual({ ok: true, first: null });
    expect(checkPurgeLists({ ledger: w.ledger })).toEqual([]);
    // Twice is refused: its records are here.
    await expectRefused(w.users.admin, 'archive:restore', { path: archivePath, recoveryKey }, 'CONFLICT', 'already_present');
  });

  it('refuses a purge when the round changed after it was archived', async () => {
    const entry = [...world.a.get('progress_entries')!][0]!;
    w.ledger.sqlite.prepare('UPDATE progress_entries SET content = ? WHERE id = ?').run('已召开专题会议部署整改，修订制度3项。', entry);
    await expectRefused(w.users.admin, 'archive:purge', { roundId: world.roundA.id, archiveSha256: sha256, confirmText: ROUND_NAME }, 'CONFLICT', 'changed_since_archive');
  });
});

describe('a round of 1,000 problems', () => {
  it('archives, purges, opens and restores in seconds (default KDF), and restores exactly', async () => {
    const d = mkdtempSync(join(tmpdir(), 'xz-archive-scale-'));
    const big = workingLedger(d, 'ledger.sqlite', 21);
    try {
      const t0 = Date.now();
      const bw = buildWorld(big, { problems: 1000, tasksPerProblem: 2, extras: false });
      const buildMs = Date.now() - t0;
      const real = archiveCalls(); // DEFAULT_KDF, as the app
      const ctx = big.as(big.users.admin);
      const path = join(d, 'big.xzarchive');
      const before = ledgerDigest(big.ledger, RESTORE_EXCEPT, false);
      const t1 = Date.now();
      const made = real.archiveRound(ctx, { roundId: bw.roundA.id, path });
      const archiveMs = Date.now() - t1;
      const t2 = Date.now();
      const purged = real.purgeRound(ctx, { roundId: bw.roundA.id, archiveSha256: made.sha256, confirmText: ROUND_NAME });
      const purgeMs = Date.now() - t2;
      expect(purged.counts.problems).toBe(1000);
      expect(purged.counts.tasks).toBe(2000);
      expect(verifyAudit(big.ledger).ok).toBe(true);
      const t3 = Date.now();
      const h = openArchive(path, made.recoveryKey);
      const openMs = Date.now() - t3;
      h.ledger.close();
      const t4 = Date.now();
      real.restoreArchive(ctx, { path, recoveryKey: made.recoveryKey });
      const restoreMs = Date.now() - t4;
      expect(ledgerDigest(big.ledger, RESTORE_EXCEPT, false)).toBe(before);
      const rows = Object.values(made.counts).reduce((a, b) => a + b, 0);
      console.log(`archive scale: ${rows} round rows (${made.counts.problems} problems, ${made.counts.tasks} tasks), ${made.auditRows} audit rows, `
        + `file ${(made.size / 1024 / 1024).toFixed(1)} MB; build ${buildMs} ms, archive ${archiveMs} ms, purge ${purgeMs} ms, open ${openMs} ms, restore ${restoreMs} ms`);
      expect(archiveMs + purgeMs + openMs + restoreMs).toBeLessThan(30_000);
    } finally {
      big.close();
      rmSync(d, { recursive: true, force: true });
    }
  }, 180_000);
});
