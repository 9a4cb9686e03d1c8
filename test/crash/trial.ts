/**
 * "Nothing lost in a crash": one trial creates an encrypted ledger, starts test/crash/child.ts
 * (a separate Node process doing real work through the services, one transaction per unit of
 * work), SIGKILLs it at a seeded random moment, reopens the ledger with the key and checks it.
 *
 * What "reported as committed" means: the child writes one JSON line to its stdout (a pipe, which
 * Node writes synchronously on Linux) after `inTransaction` has returned, i.e. after COMMIT. A
 * line the parent has read, up to its newline, proves the commit returned. A torn last line (the
 * kill landed inside the write) is not counted. At most one transaction can be committed but not
 * yet reported (the child is single-threaded), so the transactions present after the crash must
 * be exactly 1..R or 1..R+1, where R is the last one reported.
 *
 * The checks (checkLedger) on the reopened ledger:
 *  - it opens through openLedger with the key (WAL recovery) and checkIntegrity (foreign keys);
 *  - PRAGMA integrity_check = ok, and the FTS5 indexes agree with their tables;
 *  - verifyAudit: the hash chain is whole;
 *  - every transaction is wholly there or wholly absent. Each row the child writes carries a
 *    marker naming its transaction and its place in it (`crash tx=7 p=3/40`, `… t=2/2`,
 *    `crash tx=8 f=1/2`), so a partly present transaction shows as a gap. Per problem: both
 *    tasks, the roll-up (task_count = 2) and the audit rows. Per evidence row: its blob with
 *    the right size and SHA-256 of the bytes, its audit row, and the task's material_revision
 *    bump (with its audit row) made in the same transaction. No blob, audit row or row without
 *    the rest of its transaction;
 *  - every transaction reported committed is there, with the ids, sizes and hashes reported;
 *  - the ledger takes a new transaction through the services afterwards and the chain still
 *    verifies (the engine's in-memory state was rebuilt correctly from the file).
 */
import { readBlob } from '../../db/core/blobs.js';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyAudit } from '../../db/core/audit.js';
import { systemClock } from '../../db/core/clock.js';
import type { ActingUser, ServiceContext } from '../../db/core/context.js';
import { inTransaction } from '../../db/core/context.js';
import { uuidv7Source } from '../../db/core/ids.js';
import { openLedger, type Ledger } from '../../db/core/open.js';
import { createUser, login, setupLedger } from '../../db/services/office.js';
import { createProblem } from '../../db/services/problems.js';
import { createRound } from '../../db/services/rounds.js';
import { createTask } from '../../db/services/tasks.js';
import { createUnit } from '../../db/services/units.js';

export const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PASSWORD = 'crash-test-mima-2025';
export const TASKS_PER_PROBLEM = 2;
export const LEDGER_FILES = ['', '-wal', '-shm'];

/** What the child needs to act: passed as JSON in CRASH_SETUP. */
export interface CrashSetup {
  user: ActingUser;
  unitId: string;
  roundId: string;
  categoryId: string;
}

/** One line the child writes after a commit returned. */
export type Report =
  | { tx: number; marker: string; kind: 'bulk'; problems: string[]; tasks: string[] }
  | { tx: number; marker: string; kind: 'evidence'; files: { id: string; taskId: string; sha256: string; size: number }[] };

/** Markers stored in problems.remark, tasks.remark and evidence.description. */
export const marker = {
  tx: (tx: number) => `crash tx=${tx}`,
  problem: (tx: number, i: number, n: number) => `crash tx=${tx} p=${i}/${n}`,
  task: (tx: number, i: number, n: number, j: number) => `crash tx=${tx} p=${i}/${n} t=${j}/${TASKS_PER_PROBLEM}`,
  file: (tx: number, i: number, n: number) => `crash tx=${tx} f=${i}/${n}`,
};
const PROBLEM_RE = /^crash tx=(\d+) p=(\d+)\/(\d+)$/;
const TASK_RE = /^crash tx=(\d+) p=(\d+)\/(\d+) t=(\d+)\/(\d+)$/;
const FILE_RE = /^crash tx=(\d+) f=(\d+)\/(\d+)$/;

/** Seeded PRNG (mulberry32), floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function removeLedger(path: string): void {
  for (const s of LEDGER_FILES) rmSync(path + s, { force: true });
}

/** Copy a ledger with its WAL and shared-memory files (as they are: a crashed ledger's state). */
export function copyLedger(from: string, to: string): void {
  removeLedger(to);
  for (const s of LEDGER_FILES) if (existsSync(from + s)) copyFileSync(from + s, to + s);
}

/** A fresh encrypted ledger, set up through the services: office, a 录入员, one unit, one round. */
export function createCrashLedger(path: string, key: Buffer): CrashSetup {
  removeLedger(path);
  const ledger = openLedger(path, { key });
  try {
    const ids = uuidv7Source();
    const as = (user: ActingUser | null): ServiceContext => ({ ledger, clock: systemClock, ids, user });
    setupLedger(as(null), {
      officeName: '某省纪委监委第三监督检查室', officeKind: 'discipline', level: 'province',
      adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: PASSWORD,
    });
    const admin = login(as(null), { username: 'admin', password: PASSWORD });
    createUser(as(admin), { username: 'luru1', displayName: '张某某', role: 'entry', canViewClues: false, password: PASSWORD });
    const { id, role, canViewClues, displayName } = login(as(null), { username: 'luru1', password: PASSWORD });
    const user: ActingUser = { id, role, canViewClues, displayName };
    const unitId = createUnit(as(user), { name: '某某集团有限公司', sector: 'central_soe' }).id;
    const roundId = createRound(as(user), { name: '某省委2025年第一轮巡视', level: 'province' }).id;
    const cat = ledger.sqlite.prepare(`SELECT c.id FROM problem_categories c
      WHERE c.active = 1 AND c.deleted_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM problem_categories k WHERE k.parent_id = c.id)
      ORDER BY c.sort_order, c.id LIMIT 1`).get() as { id: string } | undefined;
    if (!cat) throw new Error('no problem category after set-up');
    return { user, unitId, roundId, categoryId: cat.id };
  } finally {
    ledger.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The child process

export interface ChildRun {
  /** Reports read up to their newline, in order. */
  reports: Report[];
  /** ms from spawn to the child's ready line (null if it never came). */
  readyAfterMs: number | null;
  /** ms from ready to SIGKILL (null when not killed). */
  killAfterMs: number | null;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

export interface ChildOptions {
  path: string;
  key: Buffer;
  setup: CrashSetup;
  seed: number;
  /** Kill this many ms after the ready line; null = let the child finish (needs maxTx). */
  killAfterMs: number | null;
  /** The child stops by itself after this many transactions. */
  maxTx?: number;
  /** Safety: the child stops by itself after this long even if nobody kills it. */
  maxMs?: number;
}

/** Run the child on a ledger; resolves once it has exited and its output is fully read. */
export function runChild(o: ChildOptions): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        CRASH_LEDGER: o.path,
        CRASH_KEY: o.key.toString('hex'),
        CRASH_SETUP: JSON.stringify(o.setup),
        CRASH_SEED: String(o.seed),
        CRASH_MAX_TX: String(o.maxTx ?? 0),
        CRASH_MAX_MS: String(o.maxMs ?? 60_000),
      },
    });
    const out: ChildRun = { reports: [], readyAfterMs: null, killAfterMs: null, code: null, signal: null, stderr: '' };
    let buf = '';
    let timer: NodeJS.Timeout | null = null;
    let readyTimer: NodeJS.Timeout | null = setTimeout(() => {
      out.stderr += '\n[trial] child not ready after 60 s';
      child.kill('SIGKILL');
    }, 60_000);
    const onLine = (line: string) => {
      if (!line.startsWith('{')) return;
      const msg = JSON.parse(line) as Report | { ready: true };
      if ('ready' in msg) {
        out.readyAfterMs = performance.now() - started;
        if (readyTimer) clearTimeout(readyTimer);
        readyTimer = null;
        if (o.killAfterMs !== null) {
          const readyAt = performance.now();
          timer = setTimeout(() => {
            out.killAfterMs = performance.now() - readyAt;
            child.kill('SIGKILL');
          }, o.killAfterMs);
        }
      } else {
        out.reports.push(msg);
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        onLine(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
      // Anything left in `buf` when the stream closes is a torn line: never counted as reported.
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (out.stderr.length < 20_000) out.stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (readyTimer) clearTimeout(readyTimer);
      out.code = code;
      out.signal = signal;
      resolve(out);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The checks

export interface CheckResult {
  ok: boolean;
  failures: string[];
  /** Transactions the child reported committed. */
  reported: number;
  /** Transactions found (wholly or partly) in the reopened ledger. */
  present: number;
  /** Present but not reported: committed in the instant before the kill (0 or 1). */
  presentUnreported: number;
  /** Transactions (or rows) found partly present. */
  partial: number;
  rows: { problems: number; tasks: number; evidence: number; blobs: number; audit: number };
}

interface ProblemRow { id: string; remark: string; task_count: number; status: string }
interface TaskRow { id: string; problem_id: string; remark: string; material_revision: number }
interface EvidenceRow { id: string; owner_type: string; owner_id: string; sha256: string; size: number; description: string }
interface TxGroup {
  kind: 'bulk' | 'evidence';
  n: number;
  items: Map<number, string[]>;
}

const MAX_FAILURES = 40;

/**
 * Reopen a ledger as the app would and check it (see the top of this file). `reports` are the
 * child's lines. `writeAfter`: finish with a new service transaction and re-verify the chain
 * (this changes the file; pass false to keep a ledger as found).
 */
export function checkLedger(path: string, key: Buffer, reports: readonly Report[], opts: { setup?: CrashSetup; writeAfter?: boolean } = {}): CheckResult {
  const failures: string[] = [];
  const fail = (s: string) => {
    if (failures.length < MAX_FAILURES) failures.push(s);
    else if (failures.length === MAX_FAILURES) failures.push('… (more failures not listed)');
  };
  const result: CheckResult = {
    ok: false, failures, reported: reports.length, present: 0, presentUnreported: 0, partial: 0,
    rows: { problems: 0, tasks: 0, evidence: 0, blobs: 0, audit: 0 },
  };
  let ledger: Ledger;
  try {
    ledger = openLedger(path, { key, checkIntegrity: true });
  } catch (e) {
    fail(`reopen failed: ${(e as Error).message}`);
    return result;
  }
  try {
    checkOpened(ledger, reports, result, fail);
    if (opts.writeAfter !== false && opts.setup && failures.length === 0) writeAfterReopen(ledger, opts.setup, fail);
  } catch (e) {
    fail(`check threw: ${(e as Error).stack ?? String(e)}`);
  } finally {
    ledger.close();
  }
  result.ok = failures.length === 0;
  return result;
}

function checkOpened(ledger: Ledger, reports: readonly Report[], result: CheckResult, fail: (s: string) => void): void {
  const db = ledger.sqlite;
  const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  if (integrity.length !== 1 || integrity[0] !== 'ok') fail(`integrity_check: ${integrity.join('; ').slice(0, 600)}`);
  for (const fts of ['problems_fts', 'tasks_fts']) {
    try {
      db.prepare(`INSERT INTO ${fts}(${fts}) VALUES ('integrity-check')`).run();
    } catch (e) {
      fail(`${fts} integrity-check: ${(e as Error).message}`);
    }
  }
  const audit = verifyAudit(ledger);
  result.rows.audit = audit.rows;
  if (!audit.ok) fail(`audit chain: ${audit.problem} at seq ${audit.brokenAtSeq}`);

  const problems = db.prepare('SELECT id, remark, task_count, status FROM problems').all() as ProblemRow[];
  const tasks = db.prepare('SELECT id, problem_id, remark, material_revision FROM tasks').all() as TaskRow[];
  const evidence = db.prepare('SELECT id, owner_type, owner_id, sha256, size, description FROM evidence').all() as EvidenceRow[];
  // A file over 1 MiB holds its bytes in evidence_chunks (db/core/blobs.ts).
  const blobs = db.prepare(`SELECT b.sha256, b.size, CASE WHEN length(b.data) > 0 OR b.size = 0 THEN length(b.data)
    ELSE (SELECT coalesce(sum(length(c.data)), 0) FROM evidence_chunks c WHERE c.sha256 = b.sha256) END AS len FROM evidence_blobs b`).all() as { sha256: string; size: number; len: number }[];
  result.rows = { ...result.rows, problems: problems.length, tasks: tasks.length, evidence: evidence.length, blobs: blobs.length };

  // Audit rows by entity id: what each crash row must have, and what must have a row.
  const auditOf = new Map<string, { creates: number; updates: number }>();
  const auditEntities = new Map<string, string>();
  for (const r of db.prepare("SELECT entity, entity_id, action FROM audit_log WHERE entity IN ('problems', 'tasks', 'evidence')").iterate() as IterableIterator<{ entity: string; entity_id: string; action: string }>) {
    let a = auditOf.get(r.entity_id);
    if (!a) auditOf.set(r.entity_id, (a = { creates: 0, updates: 0 }));
    if (r.action === 'create') a.creates++;
    else a.updates++;
    auditEntities.set(r.entity_id, r.entity);
  }
  const ids = {
    problems: new Set(problems.map((p) => p.id)),
    tasks: new Set(tasks.map((t) => t.id)),
    evidence: new Set(evidence.map((e) => e.id)),
  };
  for (const [id, entity] of auditEntities) {
    if (!ids[entity as keyof typeof ids].has(id)) {
      fail(`audit rows for ${entity} ${id}, which is not in the ledger (half a transaction)`);
      result.partial++;
    }
  }

  const groups = new Map<number, TxGroup>();
  const badTx = new Set<number>();
  const partialTx = (tx: number, why: string) => {
    fail(`tx ${tx}: ${why}`);
    badTx.add(tx);
  };
  const item = (tx: number, kind: TxGroup['kind'], i: number, n: number, id: string) => {
    let g = groups.get(tx);
    if (!g) groups.set(tx, (g = { kind, n, items: new Map() }));
    if (g.kind !== kind || g.n !== n) partialTx(tx, `mixed markers (${g.kind} of ${g.n} and ${kind} of ${n})`);
    const at = g.items.get(i) ?? [];
    at.push(id);
    g.items.set(i, at);
  };

  // Problems and their tasks.
  const tasksOf = new Map<string, TaskRow[]>();
  for (const t of tasks) {
    const list = tasksOf.get(t.problem_id) ?? [];
    list.push(t);
    tasksOf.set(t.problem_id, list);
  }
  for (const p of problems) {
    const m = PROBLEM_RE.exec(p.remark ?? '');
    if (!m) {
      fail(`problem ${p.id} without a crash marker (${JSON.stringify(p.remark)})`);
      continue;
    }
    const [tx, i, n] = [Number(m[1]), Number(m[2]), Number(m[3])];
    item(tx, 'bulk', i, n, p.id);
    const ts = tasksOf.get(p.id) ?? [];
    if (ts.length !== TASKS_PER_PROBLEM) partialTx(tx, `problem ${i}/${n} (${p.id}) has ${ts.length} of its ${TASKS_PER_PROBLEM} tasks`);
    const seen = new Set<number>();
    for (const t of ts) {
      const tm = TASK_RE.exec(t.remark ?? '');
      if (!tm || Number(tm[1]) !== tx || Number(tm[2]) !== i || Number(tm[3]) !== n) partialTx(tx, `task ${t.id} of problem ${i}/${n} has marker ${JSON.stringify(t.remark)}`);
      else seen.add(Number(tm[4]));
      const a = auditOf.get(t.id);
      if (!a || a.creates !== 1) partialTx(tx, `task ${t.id} has ${a?.creates ?? 0} audit create rows`);
    }
    if (ts.length === TASKS_PER_PROBLEM && seen.size !== TASKS_PER_PROBLEM) partialTx(tx, `problem ${i}/${n} tasks are numbered ${[...seen].join(',')}`);
    if (p.task_count !== ts.length) partialTx(tx, `problem ${i}/${n} roll-up says ${p.task_count} tasks, ${ts.length} present`);
    const a = auditOf.get(p.id);
    if (!a || a.creates !== 1) partialTx(tx, `problem ${i}/${n} (${p.id}) has ${a?.creates ?? 0} audit create rows`);
  }
  for (const t of tasks) {
    if (!ids.problems.has(t.problem_id)) fail(`task ${t.id} without its problem ${t.problem_id}`);
  }

  // Evidence, blobs and the task material revisions they bump.
  const blobBySha = new Map(blobs.map((b) => [b.sha256, b]));
  const cited = new Set<string>();
  const evidenceOf = new Map<string, number>();
  for (const e of evidence) {
    const m = FILE_RE.exec(e.description ?? '');
    if (!m) {
      fail(`evidence ${e.id} without a crash marker (${JSON.stringify(e.description)})`);
      continue;
    }
    const [tx, i, n] = [Number(m[1]), Number(m[2]), Number(m[3])];
    item(tx, 'evidence', i, n, e.id);
    cited.add(e.sha256);
    evidenceOf.set(e.owner_id, (evidenceOf.get(e.owner_id) ?? 0) + 1);
    if (e.owner_type !== 'task' || !ids.tasks.has(e.owner_id)) partialTx(tx, `evidence ${i}/${n} cites missing ${e.owner_type} ${e.owner_id}`);
    const b = blobBySha.get(e.sha256);
    if (!b) partialTx(tx, `evidence ${i}/${n} (${e.id}) has no blob ${e.sha256.slice(0, 12)}…`);
    else {
      if (b.size !== e.size || b.len !== e.size) partialTx(tx, `evidence ${i}/${n} size ${e.size}, blob says ${b.size}, holds ${b.len} bytes`);
      const data = readBlob(db, e.sha256)!;
      if (createHash('sha256').update(data).digest('hex') !== e.sha256) partialTx(tx, `evidence ${i}/${n} (${e.id}): blob bytes do not hash to ${e.sha256.slice(0, 12)}…`);
    }
    const a = auditOf.get(e.id);
    if (!a || a.creates !== 1) partialTx(tx, `evidence ${i}/${n} (${e.id}) has ${a?.creates ?? 0} audit create rows`);
  }
  for (const b of blobs) {
    if (!cited.has(b.sha256)) {
      fail(`blob ${b.sha256.slice(0, 12)}… (${b.size} bytes) cited by no evidence (half a transaction)`);
      result.partial++;
    }
  }
  for (const t of tasks) {
    const n = evidenceOf.get(t.id) ?? 0;
    const tx = Number(TASK_RE.exec(t.remark ?? '')?.[1] ?? 0);
    if (t.material_revision !== 1 + n) {
      fail(`task ${t.id} (tx ${tx}): material_revision ${t.material_revision} with ${n} evidence rows (an upload's task update is missing or extra)`);
      result.partial++;
    }
    const updates = auditOf.get(t.id)?.updates ?? 0;
    if (updates !== n) {
      fail(`task ${t.id} (tx ${tx}): ${updates} audit update rows with ${n} evidence rows`);
      result.partial++;
    }
  }

  // Each transaction wholly there: every item 1..n present exactly once.
  for (const [tx, g] of groups) {
    for (let i = 1; i <= g.n; i++) {
      const at = g.items.get(i);
      if (!at) partialTx(tx, `${g.kind} item ${i}/${g.n} missing (${g.items.size} of ${g.n} present)`);
      else if (at.length !== 1) partialTx(tx, `${g.kind} item ${i}/${g.n} present ${at.length} times`);
    }
    if ([...g.items.keys()].some((i) => i < 1 || i > g.n)) partialTx(tx, `${g.kind} item numbered outside 1..${g.n}`);
  }
  result.partial += badTx.size;
  result.present = groups.size;

  // Reported transactions: present, with what was reported.
  const reportedTx = new Set<number>();
  for (const r of reports) {
    reportedTx.add(r.tx);
    const g = groups.get(r.tx);
    if (!g) {
      fail(`tx ${r.tx} (${r.kind}) was reported committed but is absent`);
      continue;
    }
    if (r.marker !== marker.tx(r.tx)) fail(`tx ${r.tx}: reported marker ${JSON.stringify(r.marker)}`);
    if (r.kind === 'bulk') {
      if (g.kind !== 'bulk' || g.n !== r.problems.length) fail(`tx ${r.tx}: reported ${r.problems.length} problems, ledger has a ${g.kind} of ${g.n}`);
      for (const id of r.problems) if (!ids.problems.has(id)) fail(`tx ${r.tx}: reported problem ${id} absent`);
      for (const id of r.tasks) if (!ids.tasks.has(id)) fail(`tx ${r.tx}: reported task ${id} absent`);
      if (r.tasks.length !== r.problems.length * TASKS_PER_PROBLEM) fail(`tx ${r.tx}: reported ${r.tasks.length} tasks for ${r.problems.length} problems`);
    } else {
      if (g.kind !== 'evidence' || g.n !== r.files.length) fail(`tx ${r.tx}: reported ${r.files.length} files, ledger has a ${g.kind} of ${g.n}`);
      const byId = new Map(evidence.map((e) => [e.id, e]));
      for (const f of r.files) {
        const e = byId.get(f.id);
        if (!e) fail(`tx ${r.tx}: reported evidence ${f.id} absent`);
        else if (e.sha256 !== f.sha256 || e.size !== f.size || e.owner_id !== f.taskId) {
          fail(`tx ${r.tx}: evidence ${f.id} is ${e.size} bytes ${e.sha256.slice(0, 12)}… on ${e.owner_id}, reported ${f.size} bytes ${f.sha256.slice(0, 12)}… on ${f.taskId}`);
        }
      }
    }
  }
  // Commit order: the reported ones are 1..R; present must be 1..R or 1..R+1.
  const R = reports.length;
  reports.forEach((r, k) => {
    if (r.tx !== k + 1) fail(`report ${k + 1} names tx ${r.tx} (reports out of order)`);
  });
  const present = [...groups.keys()].sort((a, b) => a - b);
  const unreported = present.filter((tx) => !reportedTx.has(tx));
  result.presentUnreported = unreported.length;
  if (unreported.length > 1 || (unreported.length === 1 && unreported[0] !== R + 1)) {
    fail(`present but never reported: tx ${unreported.join(', ')} (only tx ${R + 1} may be, committed just before the kill)`);
  }
  present.forEach((tx, k) => {
    if (tx !== k + 1) fail(`tx ${k + 1} missing while tx ${tx} is present (a lost commit)`);
  });
}

/** The reopened ledger takes a new transaction through the services, and the chain still holds. */
function writeAfterReopen(ledger: Ledger, setup: CrashSetup, fail: (s: string) => void): void {
  const ctx: ServiceContext = { ledger, clock: systemClock, ids: uuidv7Source(), user: setup.user };
  inTransaction(ctx, () => {
    const p = createProblem(ctx, {
      unitId: setup.unitId, roundId: setup.roundId, categoryId: setup.categoryId,
      description: '台账重新打开后的新问题。', remark: 'after reopen',
    });
    createTask(ctx, { problemId: p.id, measures: '重新打开后继续录入整改措施。', term: 'immediate', deadline: '2099-12-31' });
  });
  const v = verifyAudit(ledger);
  if (!v.ok) fail(`audit chain after a write on the reopened ledger: ${v.problem} at seq ${v.brokenAtSeq}`);
}

// ---------------------------------------------------------------------------------------------
// One trial

export interface TrialOptions {
  seed: number;
  /** Kill window after the child's ready line (ms). */
  killMinMs?: number;
  killMaxMs?: number;
  /** Folder for the ledger (a fresh temporary one by default, removed afterwards unless keep). */
  dir?: string;
  keep?: boolean;
}

export interface TrialResult {
  seed: number;
  ok: boolean;
  failures: string[];
  /** Planned delay from ready to kill, and the one measured. */
  killPlannedMs: number;
  killAfterMs: number | null;
  reported: number;
  reportedBulk: number;
  reportedEvidence: number;
  /** Rows and bytes the reported transactions created. */
  reportedProblems: number;
  reportedBytes: number;
  present: number;
  presentUnreported: number;
  partial: number;
  /** Sizes of the files left behind by the crash (before reopening). */
  fileBytes: { main: number; wal: number };
  ms: { create: number; childReady: number; check: number; total: number };
  path: string;
  key: Buffer;
}

export async function runTrial(o: TrialOptions): Promise<TrialResult> {
  const t0 = performance.now();
  const rand = mulberry32(o.seed * 7919 + 17);
  const killMin = o.killMinMs ?? 200;
  const killMax = o.killMaxMs ?? 2500;
  const killPlannedMs = Math.round(killMin + rand() * (killMax - killMin));
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'crash-trial-'));
  const path = join(dir, `ledger-${o.seed}.sqlite`);
  const key = randomBytes(32);
  const failures: string[] = [];
  const setup = createCrashLedger(path, key);
  const tCreated = performance.now();
  const run = await runChild({ path, key, setup, seed: o.seed, killAfterMs: killPlannedMs, maxMs: killMax + 30_000 });
  if (run.readyAfterMs === null) failures.push(`child never ready: ${run.stderr.slice(-2000)}`);
  else if (run.signal !== 'SIGKILL') failures.push(`child ended by itself before the kill (code ${run.code}, signal ${run.signal}): ${run.stderr.slice(-2000)}`);
  const size = (s: string) => (existsSync(path + s) ? statSync(path + s).size : 0);
  const fileBytes = { main: size(''), wal: size('-wal') };
  const tCheck = performance.now();
  const check = checkLedger(path, key, run.reports, { setup });
  failures.push(...check.failures);
  const tEnd = performance.now();
  if (!o.keep) {
    removeLedger(path);
    if (!o.dir) rmSync(dir, { recursive: true, force: true });
  }
  const bulk = run.reports.filter((r): r is Extract<Report, { kind: 'bulk' }> => r.kind === 'bulk');
  const ev = run.reports.filter((r): r is Extract<Report, { kind: 'evidence' }> => r.kind === 'evidence');
  return {
    seed: o.seed,
    ok: failures.length === 0,
    failures,
    killPlannedMs,
    killAfterMs: run.killAfterMs === null ? null : Math.round(run.killAfterMs),
    reported: run.reports.length,
    reportedBulk: bulk.length,
    reportedEvidence: ev.length,
    reportedProblems: bulk.reduce((s, r) => s + r.problems.length, 0),
    reportedBytes: ev.reduce((s, r) => s + r.files.reduce((a, f) => a + f.size, 0), 0),
    present: check.present,
    presentUnreported: check.presentUnreported,
    partial: check.partial,
    fileBytes,
    ms: {
      create: Math.round(tCreated - t0),
      childReady: Math.round(run.readyAfterMs ?? -1),
      check: Math.round(tEnd - tCheck),
      total: Math.round(tEnd - t0),
    },
    path,
    key,
  };
}
