/**
 * 演示台账: a realistic Chinese ledger for demonstrations, screenshots and manual testing, written
 * entirely THROUGH THE SERVICES, so every row has passed validation and carries its version, HLC
 * stamp and hash-chained audit entry, exactly as if offices had typed it in.
 *
 * One provincial round (某省委…第二轮巡视, regular) with 15 teams and 35 units across sectors, each
 * with collective feedback; about `problems` problems over the configurable categories with 1–3
 * tasks each; months of work replayed day by day up to `today` (progress with small PDF/PNG
 * evidence, 延期申请, 销号 reviewed by someone other than the submitter, returns); reports, clues,
 * suggestions, petitions, supervision activities and a staged programme, evaluations, the
 * escalation ladder and accountability. See demo-world.ts (set-up, round), demo-ledger.ts
 * (problems and tasks), demo-oversight.ts and demo-cases.ts (the supervising side).
 *
 * Every name is invented in the customary anonymised style (某某集团有限公司, 某省A市B区, 张某某);
 * only the wording of problems and measures comes from the public seeds (DOMAIN.md "Demo and test
 * data").
 *
 * Accounts (all with the password DEMO_PASSWORD = 'yanshi-2024-mima', local demo files only):
 *   admin   王某某  管理员
 *   luru1   张某某  录入员          luru2   李某    录入员
 *   shenhe1 赵某某  审核员（可查看问题线索）  shenhe2 钱某某  审核员
 *   fuze1   孙某某  负责人（可查看问题线索）  chakan1 周某    只读
 *
 * Deterministic: the same seed, `today` and size give the same ids and the same content. The clock
 * is fixed (it starts 330 days before `today` and only moves forward as the replay goes), ids come
 * from a seeded UUIDv7 source, and all choices from a seeded PRNG. The one exception is password
 * hashing, whose scrypt salt is random: users.password_hash, and the audit trail that records it
 * (the users' after-images and therefore every chained hash), differ between runs; `tableDigests`
 * leaves exactly those out.
 */
import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { addDays } from '../domain/months.js';
import { fixedClock } from '../core/clock.js';
import { isDate } from '../domain/fields.js';
import { seededRandom, uuidv7Source } from '../core/ids.js';
import { openLedger, type Ledger } from '../core/open.js';
import { planCases } from './demo-cases.js';
import { planOversight } from './demo-oversight.js';
import { createWorld, DEMO_ACCOUNTS } from './demo-world.js';
import { encryptGeneratedLedger } from '../session/provision.js';
import type { KdfParams } from '../core/keystore.js';
import { makeRandom } from './random.js';

export const DEMO_PASSWORD = 'yanshi-2024-mima';
export const DEMO_TODAY = '2024-06-15';
export const DEMO_SEED = 1;
export const DEMO_PROBLEMS = 1000;

export interface DemoOptions {
  seed?: number;
  /** The day the replay stops ("today" of the demo ledger), 'YYYY-MM-DD'. */
  today?: string;
  /** Live problems to generate (at least 50: every one of the 35 units gets some). */
  problems?: number;
  /** Progress lines (the CLI prints them). */
  log?: (line: string) => void;
  /**
   * Encryption (default: on, with the app's KDF parameters). Tests pass cheap scrypt parameters;
   * `false` leaves a plaintext file (only for tests of the conversion of old ledgers).
   */
  encrypt?: { kdf?: Omit<KdfParams, 'salt'> } | false;
}

export interface DemoSummary {
  path: string;
  seed: number;
  today: string;
  password: string;
  users: { username: string; displayName: string; role: string; canViewClues: boolean }[];
  counts: Record<string, number>;
  tasksByStatus: Record<string, number>;
  ms: number;
  /** The recovery key of the encrypted demo ledger (null when written in plaintext). */
  recoveryKey: string | null;
}

/** Start of the replay: set-up a month before the round is mobilised. */
const LEAD_DAYS = 330;

/**
 * Write a demo ledger to `path` (which must not exist yet) and return what it holds. On failure
 * the partial file is removed and the error is rethrown.
 *
 * Sign in as admin / luru1 / luru2 / shenhe1 / shenhe2 / fuze1 / chakan1, every one with the demo
 * password 'yanshi-2024-mima' (DEMO_PASSWORD, also returned as `summary.password`).
 */
export function generateDemoLedger(path: string, opts: DemoOptions = {}): DemoSummary {
  const seed = opts.seed ?? DEMO_SEED;
  const today = opts.today ?? DEMO_TODAY;
  const problems = opts.problems ?? DEMO_PROBLEMS;
  const log = opts.log ?? (() => {});
  if (!Number.isInteger(seed)) throw new RangeError(`seed 应为整数：${seed}`);
  if (!isDate(today)) throw new RangeError(`today 不是有效日期：${today}`);
  if (!Number.isInteger(problems) || problems < 50 || problems > 200_000) throw new RangeError(`problems 应为 50 到 200000 之间的整数：${problems}`);
  if (existsSync(path)) throw new Error(`文件已存在，不会覆盖：${path}`);

  const started = performance.now();
  const start = addDays(today, -LEAD_DAYS);
  const clock = fixedClock(start, Date.parse(`${start}T00:30:00.000Z`));
  const ids = uuidv7Source(() => clock.now(), seededRandom(seed));
  const rng = makeRandom(seed ^ 0x5eed_dead);
  const ledger = openLedger(path);
  try {
    // One transaction for the whole replay: each service call nests as a savepoint, and the file
    // is written once instead of tens of thousands of times.
    ledger.sqlite.transaction(() => {
      log(`建立台账：${path}`);
      const world = createWorld({ ledger, clock, ids, rng, today, password: DEMO_PASSWORD, log }, problems);
      planOversight(world);
      planCases(world, problems);
      let month = '';
      world.tl.run((day) => {
        if (day.slice(0, 7) === month) return;
        month = day.slice(0, 7);
        log(`模拟至 ${month}：已执行 ${world.tl.done} 项操作，待执行 ${world.tl.pending} 项`);
      });
      // "Today" of the demo: the clock ends on it even if the last event came earlier.
      if (clock.today() < today) clock.advance(Date.parse(`${today}T00:30:00.000Z`) - clock.now());
    })();
    const summary = summarise(ledger, path, seed, today);
    ledger.close();
    if (opts.encrypt !== false) {
      const accounts = DEMO_ACCOUNTS.map((a) => ({ username: a.username, password: DEMO_PASSWORD }));
      summary.recoveryKey = encryptGeneratedLedger(path, accounts, opts.encrypt?.kdf).recoveryKey;
    }
    summary.ms = Math.round(performance.now() - started);
    log(`完成，用时 ${(summary.ms / 1000).toFixed(1)} 秒`);
    return summary;
  } catch (e) {
    ledger.close();
    for (const f of [path, `${path}-wal`, `${path}-shm`, `${path}.keys`]) rmSync(f, { force: true });
    throw e;
  }
}

const COUNTS: Readonly<Record<string, string>> = {
  rounds: 'SELECT count(*) n FROM rounds WHERE deleted_at IS NULL',
  teams: 'SELECT count(*) n FROM teams WHERE deleted_at IS NULL',
  units: 'SELECT count(*) n FROM units WHERE deleted_at IS NULL',
  inspections: 'SELECT count(*) n FROM inspections WHERE deleted_at IS NULL',
  feedbacks: 'SELECT count(*) n FROM feedbacks WHERE deleted_at IS NULL',
  handovers: 'SELECT count(*) n FROM handovers WHERE deleted_at IS NULL',
  problems: 'SELECT count(*) n FROM problems WHERE deleted_at IS NULL',
  keyProblems: 'SELECT count(*) n FROM problems WHERE deleted_at IS NULL AND is_key = 1',
  deletedProblems: 'SELECT count(*) n FROM problems WHERE deleted_at IS NOT NULL',
  tasks: 'SELECT count(*) n FROM tasks WHERE deleted_at IS NULL',
  droppedTasks: 'SELECT count(*) n FROM tasks WHERE deleted_at IS NOT NULL',
  overdueTasks: "SELECT count(*) n FROM tasks WHERE deleted_at IS NULL AND status <> 'closed' AND current_deadline < @today",
  longTermStages: 'SELECT count(*) n FROM task_stages WHERE deleted_at IS NULL',
  progressEntries: 'SELECT count(*) n FROM progress_entries WHERE deleted_at IS NULL',
  evidence: 'SELECT count(*) n FROM evidence WHERE deleted_at IS NULL',
  evidenceBlobs: 'SELECT count(*) n FROM evidence_blobs',
  closeoutsAccepted: "SELECT count(*) n FROM closeouts WHERE decision = 'accepted'",
  closeoutsReturned: "SELECT count(*) n FROM closeouts WHERE decision = 'returned'",
  closeoutsPending: "SELECT count(*) n FROM closeouts WHERE decision = 'pending'",
  extensionsApproved: "SELECT count(*) n FROM extension_requests WHERE status = 'approved'",
  extensionsRefused: "SELECT count(*) n FROM extension_requests WHERE status = 'refused'",
  reports: 'SELECT count(*) n FROM reports WHERE deleted_at IS NULL',
  clues: 'SELECT count(*) n FROM clues WHERE deleted_at IS NULL',
  clueSteps: 'SELECT count(*) n FROM clue_dispositions WHERE deleted_at IS NULL',
  suggestions: 'SELECT count(*) n FROM suggestions WHERE deleted_at IS NULL',
  suggestionsAnswered: "SELECT count(*) n FROM suggestions WHERE deleted_at IS NULL AND status <> 'pending'",
  petitions: 'SELECT count(*) n FROM petitions WHERE deleted_at IS NULL',
  activities: 'SELECT count(*) n FROM supervision_activities WHERE deleted_at IS NULL',
  programmes: 'SELECT count(*) n FROM supervision_programmes WHERE deleted_at IS NULL',
  programmeMeasures: 'SELECT count(*) n FROM programme_measures WHERE deleted_at IS NULL',
  evaluations: 'SELECT count(*) n FROM evaluations WHERE deleted_at IS NULL',
  escalations: 'SELECT count(*) n FROM escalation_notices WHERE deleted_at IS NULL',
  accountability: 'SELECT count(*) n FROM accountability WHERE deleted_at IS NULL',
  users: 'SELECT count(*) n FROM users WHERE deleted_at IS NULL',
  auditRows: 'SELECT count(*) n FROM audit_log',
};

function summarise(ledger: Ledger, path: string, seed: number, today: string): DemoSummary {
  const counts: Record<string, number> = {};
  for (const [k, sql] of Object.entries(COUNTS)) {
    const stmt = ledger.sqlite.prepare(sql);
    counts[k] = ((sql.includes('@today') ? stmt.get({ today }) : stmt.get()) as { n: number }).n;
  }
  const tasksByStatus: Record<string, number> = { draft: 0, in_progress: 0, pending_review: 0, closed: 0 };
  for (const r of ledger.sqlite.prepare('SELECT status, count(*) n FROM tasks WHERE deleted_at IS NULL GROUP BY status').all() as { status: string; n: number }[]) {
    tasksByStatus[r.status] = r.n;
  }
  return {
    path, seed, today, password: DEMO_PASSWORD,
    users: DEMO_ACCOUNTS.map(({ username, displayName, role, canViewClues }) => ({ username, displayName, role, canViewClues })),
    counts, tasksByStatus, ms: 0, recoveryKey: null,
  };
}

/**
 * SHA-256 of every table's content, rows in primary-key order, for comparing two generated
 * ledgers. Left out, because scrypt salts are random: users.password_hash, the password hash inside
 * audit after-images, and audit_log.hash / prev_hash (the chain covers those after-images).
 */
export function tableDigests(ledger: Ledger): Record<string, string> {
  const tables = (ledger.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  const out: Record<string, string> = {};
  for (const t of tables) {
    const info = ledger.sqlite.prepare(`PRAGMA table_info("${t}")`).all() as { name: string; pk: number }[];
    const skip = new Set(t === 'users' ? ['password_hash'] : t === 'audit_log' ? ['hash', 'prev_hash'] : []);
    const cols = info.filter((c) => !skip.has(c.name)).map((c) => `"${c.name}"`);
    const pk = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => `"${c.name}"`);
    const order = pk.length > 0 ? pk.join(', ') : 'rowid';
    const h = createHash('sha256');
    // The ledger's own random id (it binds the file to its key file) differs between any two files.
    const where = t === 'meta' ? " WHERE key <> 'ledger_id'" : '';
    for (const row of ledger.sqlite.prepare(`SELECT ${cols.join(', ')} FROM "${t}"${where} ORDER BY ${order}`).iterate() as IterableIterator<Record<string, unknown>>) {
      const clean = Object.entries(row).map(([k, v]) => (Buffer.isBuffer(v) ? v.toString('base64')
        : t === 'audit_log' && (k === 'before' || k === 'after') ? redact(v) : v));
      h.update(`${JSON.stringify(clean)}\n`);
    }
    out[t] = h.digest('hex');
  }
  return out;
}

function redact(json: unknown): unknown {
  return typeof json === 'string' ? json.replace(/"passwordHash":"[^"]*"/g, '"passwordHash":"…"') : json;
}
