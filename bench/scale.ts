/**
 * Synthetic scale ledgers (benchmarks, scale tests): a real ledger file with real migrations,
 * first-run set-up and reference data, then rounds/teams/units/inspections/feedbacks written
 * through the audited write layer, then problems and tasks bulk-inserted with raw prepared
 * statements.
 *
 * The bulk part is the ONE place allowed to bypass db/core/write.ts, because the data is synthetic and
 * the audited path would triple the time and the file size (one audit row with JSON per change).
 * It still keeps every invariant the engine relies on:
 * - every sync column is filled: UUIDv7 ids (db/ids.ts, seeded), origin office, created/updated
 *   at/by, a fresh ledger version per row (taken from the same counter the write layer uses) and an
 *   HLC stamp of the row's last write;
 * - problems.status / deadline / task_count / closed_task_count follow the same rule as
 *   refreshProblemRollup (db/services/problems.ts) over the problem's live tasks;
 * - meta 'bulk_version' records the highest version used, which db/open.ts reads at open, so a later
 *   audited write never reuses a version;
 * - a soft-deleted problem has no live tasks (deleteProblem refuses otherwise), and both carry a
 *   reason.
 * Deterministic for a seed: same ids, same rows (password hashes excepted: scrypt salts are random).
 *
 * The rows come from bench/scale-rows.ts and are written by bench/scale-bulk.ts; this module sets
 * the ledger up (office, accounts, rounds, units, inspections) and is the CLI:
 * npx tsx bench/scale.ts <file> [problems] [seed]
 */
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ActingUser, ServiceContext } from '../db/core/context.js';
import { inTransaction } from '../db/core/context.js';
import type { SECTORS } from '../db/domain/enums.js';
import { seededRandom, uuidv7Source } from '../db/core/ids.js';
import { openLedger, type Ledger } from '../db/core/open.js';
import { encryptGeneratedLedger } from '../db/session/provision.js';
import { clockRuleSets, feedbacks, inspections, problemCategories, rounds, teams, units, users } from '../db/schema/index.js';
import { setupLedger } from '../db/services/office.js';
import { insertRow } from '../db/core/write.js';
import {
  docNumber, intBetween, makeRng, personName, roundName, SECTOR_WEIGHTS, teamName, unitName,
} from '../db/seed/vocabulary.js';
import { bulkProblems } from './scale-bulk.js';
import {
  addMonths, DAY, dayOf, generatorClock, iso, msAt, spread, weighted, type Category, type InspectionPlan,
} from './scale-rows.js';

type Sector = (typeof SECTORS.codes)[number];

/** Bumped whenever the generator's output (or the schema it writes into) changes, so cached bench files are rebuilt. */
export const SCALE_FORMAT = 2;
/** The date the synthetic ledger is "as of": overdue flags in benches are computed against it. */
export const SCALE_AS_OF = '2025-06-30';
/** Password of the generated administrator: synthetic data, local files only. */
export const SCALE_PASSWORD = 'scale-bench-2025';

export interface ScaleOptions {
  problems: number;
  /** Average tasks per problem (each problem gets this ±1, the total is exact). Default 2. */
  tasksPerProblem?: number;
  seed?: number;
  /** Default 30 rounds of 35 units each (DOMAIN.md: "a round has ~15 teams and 30-40 units"). */
  rounds?: number;
  unitsPerRound?: number;
  /** Problems per transaction. */
  batch?: number;
  log?: (line: string) => void;
}

export interface ScaleSummary {
  path: string;
  problems: number;
  tasks: number;
  deletedProblems: number;
  rounds: number;
  units: number;
  inspections: number;
  bulkVersion: number;
  officeId: string;
  asOf: string;
  ms: number;
}

export function writeScaleLedger(path: string, opts: ScaleOptions): ScaleSummary {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  const total = opts.problems;
  const tpp = opts.tasksPerProblem ?? 2;
  const seed = opts.seed ?? 1;
  const roundCount = opts.rounds ?? 30;
  const perRound = opts.unitsPerRound ?? 35;
  const batch = opts.batch ?? 10_000;
  if (!Number.isInteger(total) || total < 0) throw new Error('problems must be a non-negative integer');
  if (!Number.isInteger(tpp) || tpp < 1) throw new Error('tasksPerProblem must be a positive integer');
  if (existsSync(path)) throw new Error(`${path} already exists: a scale ledger is always written to a new file`);

  const rng = makeRng(seed);
  const asOfDay = dayOf(SCALE_AS_OF);
  const firstFeedback = dayOf('2021-03-15');
  const lastFeedback = asOfDay - 45;
  const clock = generatorClock(SCALE_AS_OF, msAt(dayOf('2020-12-01')));
  const ids = uuidv7Source(() => clock.ms, seededRandom(seed));

  const ledger = openLedger(path);
  let ok = false;
  try {
    const ctx0: ServiceContext = { ledger, clock, ids, user: null };
    setupLedger(ctx0, {
      officeName: '某省委巡视工作领导小组办公室', officeKind: 'inspection_office', level: 'province',
      adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: SCALE_PASSWORD,
    });
    const officeId = ledger.state.officeId!;
    const admin = ledger.orm.select().from(users).get()!;
    const adminUser: ActingUser = { id: admin.id, role: 'admin', canViewClues: false, displayName: admin.displayName };
    // Accounts written directly (createUser would hash a password per account): the bench never logs in as them.
    const ctx: ServiceContext = { ledger, clock, ids, user: adminUser };
    const entry = inTransaction(ctx, () => insertRow(ctx, users, {
      officeId, username: 'luru', displayName: '张某某', role: 'entry', canViewClues: false, passwordHash: null, active: true,
    }));
    const reviewer = inTransaction(ctx, () => insertRow(ctx, users, {
      officeId, username: 'shenhe', displayName: '赵某', role: 'reviewer', canViewClues: false, passwordHash: null, active: true,
    }));

    const categories = loadCategories(ledger);
    const ruleSets = Object.fromEntries(ledger.orm.select().from(clockRuleSets).all().map((r) => [r.code, r.id]));

    // Units: a pool somewhat smaller than rounds × units, so some units are inspected twice (回头看).
    const poolSize = Math.max(perRound, Math.ceil(roundCount * perRound * 0.8));
    const sectorCounters = new Map<Sector, number>();
    const unitPool = Array.from({ length: poolSize }, () => {
      const sector = weighted(rng, SECTOR_WEIGHTS);
      const k = sectorCounters.get(sector) ?? 0;
      sectorCounters.set(sector, k + 1);
      return { sector, name: unitName(sector, k), id: null as string | null };
    });
    const order = unitPool.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }

    const perInspection = spread(rng, total, roundCount * perRound);
    const plans: InspectionPlan[][] = [];
    let inspectionCount = 0;
    for (let r = 0; r < roundCount; r++) {
      const feedbackDay = firstFeedback + Math.floor(((lastFeedback - firstFeedback) * r) / Math.max(1, roundCount - 1));
      const year = new Date(feedbackDay * DAY).getUTCFullYear();
      const level = r % 3 === 2 ? 'city' : 'province';
      const mobilised = addMonths(feedbackDay, -4);
      clock.to(msAt(mobilised));
      const roundPlans = inTransaction(ctx, () => {
        const round = insertRow(ctx, rounds, {
          name: roundName(level, year, (r % 3) + 1 + Math.floor(r / 9)), level, form: level === 'city' ? 'xuncha' : 'xunshi',
          kind: r % 10 === 9 ? 'lookback' : r % 7 === 6 ? 'special' : 'regular',
          mobilisedOn: iso(mobilised), enteredOn: iso(mobilised + 10), feedbackOn: iso(feedbackDay),
          ruleSetId: (year >= 2022 ? ruleSets['CPC-2022'] : ruleSets['CPC-2017'])!,
        });
        const teamIds = Array.from({ length: Math.min(15, perRound) }, (_, n) =>
          insertRow(ctx, teams, { roundId: round.id, number: n + 1, name: teamName(n + 1), leaderName: personName(rng) }).id);
        const out: InspectionPlan[] = [];
        for (let j = 0; j < perRound; j++) {
          const u = unitPool[order[(r * perRound + j) % poolSize]!]!;
          if (!u.id) u.id = insertRow(ctx, units, { name: u.name, sector: u.sector, parentUnitId: null, underOverhaul: false }).id;
          const insp = insertRow(ctx, inspections, { roundId: round.id, teamId: teamIds[j % teamIds.length]!, unitId: u.id });
          const fbDay = feedbackDay + intBetween(rng, 0, 4);
          const fb = insertRow(ctx, feedbacks, {
            inspectionId: insp.id, kind: j % 4 === 0 ? 'one_to_one' : 'collective', feedbackDate: iso(fbDay),
            docNumber: docNumber(year, j + 1), body: '巡视组反馈意见（合成数据）。',
          });
          out.push({ roundId: round.id, unitId: u.id, inspectionId: insp.id, feedbackId: fb.id, feedbackDay: fbDay,
            problems: perInspection[r * perRound + j]! });
        }
        return out;
      });
      plans.push(roundPlans);
      inspectionCount += roundPlans.length;
    }
    log(`[scale] 设置完成：${roundCount} 轮巡视，${unitPool.filter((u) => u.id).length} 个单位，${inspectionCount} 个巡视对象`);

    const result = bulkProblems(ledger, {
      rng, ids, clock, officeId, entryId: entry.id, reviewerId: reviewer.id, categories, plans, tpp, batch, asOfDay, total, log,
    });
    ledger.prepare("INSERT INTO meta (key, value) VALUES ('bulk_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .run(String(result.bulkVersion));
    ok = true;
    return {
      path, problems: total, tasks: result.tasks, deletedProblems: result.deleted, rounds: roundCount,
      units: unitPool.filter((u) => u.id).length, inspections: inspectionCount, bulkVersion: result.bulkVersion, officeId,
      asOf: SCALE_AS_OF, ms: Date.now() - started,
    };
  } finally {
    ledger.close();
    // A half-written synthetic ledger is worthless: remove it.
    if (!ok) for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  }
}

function loadCategories(ledger: Ledger): Category[] {
  const all = ledger.orm.select().from(problemCategories).all();
  const byId = new Map(all.map((c) => [c.id, c]));
  const hasChildren = new Set(all.map((c) => c.parentId).filter((x): x is string => !!x));
  // Problems are filed under leaf categories; the description borrows the wording of the top one.
  return all.filter((c) => !hasChildren.has(c.id)).map((c) => ({ id: c.id, top: c.parentId ? byId.get(c.parentId)!.name : c.name }));
}

// ---------------------------------------------------------------- CLI

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, n, s] = process.argv.slice(2);
  if (!file) {
    console.error('用法：npx tsx bench/scale.ts <台账文件> [问题数，默认 1000000] [随机种子，默认 1]');
    process.exit(2);
  }
  const problems = n ? Number(n) : 1_000_000;
  if (existsSync(file)) {
    console.error(`${file} 已存在，请先删除或换一个文件名。`);
    process.exit(2);
  }
  const r = writeScaleLedger(file, { problems, seed: s ? Number(s) : 1, log: (l) => console.log(l) });
  // Every ledger a command writes is encrypted (the bench encrypts its own copy the same way).
  console.log('[scale] 加密台账文件…');
  const { recoveryKey } = encryptGeneratedLedger(file, [{ username: 'admin', password: SCALE_PASSWORD }]);
  console.log(`[scale] 完成：${r.problems} 个问题，${r.tasks} 个任务，${r.units} 个单位，用时 ${(r.ms / 1000).toFixed(1)} 秒；`
    + `截至日期 ${r.asOf}；管理员 admin / ${SCALE_PASSWORD}；恢复密钥 ${recoveryKey}`);
}
