import { addDays, addMonths, dayOfWeek, diffDays } from '../domain/months.js';
import type { ActingUser, ServiceContext } from '../core/context.js';
import type { SECTORS } from '../domain/enums.js';
import type { IdSource } from '../core/ids.js';
import type { Ledger } from '../core/open.js';
import { createCategory, listCategories, type CategoryNode } from '../services/categories.js';
import { addFeedback, createInspection } from '../services/inspections.js';
import { createUser, setupLedger } from '../services/office.js';
import { confirmClue, grantClue } from '../services/rights.js';
import { getRow, updateRow } from '../core/write.js';
import { users as userRows } from '../schema/index.js';
import { createRound, createTeam, updateRound } from '../services/rounds.js';
import { createUnit, setInitialLeader } from '../services/units.js';
import { planProblemList } from './demo-ledger.js';
import { FEEDBACK_HEADS, feedbackBody, PRINCIPAL_POSTS, PROVINCIAL_DEPARTMENTS } from './demo-wording.js';
import { Timeline, type DemoClock } from './demo-timeline.js';
import type { Random } from './random.js';
import { docNumber, personName, roundName, teamName, unitName } from './vocabulary.js';

/**
 * The shared state of one demo generation: who acts, the replayed calendar, and the round with
 * its units as they get ids. The other demo-*.ts modules schedule their work through it.
 */

type Sector = (typeof SECTORS.codes)[number];
type Service<R> = (ctx: ServiceContext, raw: unknown) => R;

export interface DemoUsers {
  admin: ActingUser;
  /** 录入员 of the units (each unit has one of the two as its clerk). */
  luru1: ActingUser;
  luru2: ActingUser;
  /** 审核员 with clue permission. */
  shenhe1: ActingUser;
  shenhe2: ActingUser;
  /** 负责人 with clue permission. */
  fuze1: ActingUser;
  chakan1: ActingUser;
}

export const DEMO_ACCOUNTS: readonly { key: keyof DemoUsers; username: string; displayName: string; role: ActingUser['role']; canViewClues: boolean }[] = [
  { key: 'admin', username: 'admin', displayName: '王某某', role: 'admin', canViewClues: false },
  { key: 'luru1', username: 'luru1', displayName: '张某某', role: 'entry', canViewClues: false },
  { key: 'luru2', username: 'luru2', displayName: '李某', role: 'entry', canViewClues: false },
  { key: 'shenhe1', username: 'shenhe1', displayName: '赵某某', role: 'reviewer', canViewClues: true },
  { key: 'shenhe2', username: 'shenhe2', displayName: '钱某某', role: 'reviewer', canViewClues: false },
  { key: 'fuze1', username: 'fuze1', displayName: '孙某某', role: 'leader', canViewClues: true },
  { key: 'chakan1', username: 'chakan1', displayName: '周某', role: 'readonly', canViewClues: false },
];

export interface DemoUnit {
  k: number;
  name: string;
  sector: Sector;
  clerk: ActingUser;
  team: number;
  leaderName: string;
  leaderPost: string;
  /** 反馈日期 of this unit: the start of its statutory clocks. */
  feedbackOn: string;
  quota: number;
  id: string;
  inspectionId: string;
  feedbackId: string;
  problemIds: string[];
}

export interface DemoRound {
  id: string;
  name: string;
  mobilisedOn: string;
  enteredOn: string;
  feedbackOn: string;
}

export interface LeafCategory {
  id: string;
  name: string;
  top: string;
  weight: number;
}

export interface World {
  rng: Random;
  tl: Timeline;
  today: string;
  users: DemoUsers;
  round: DemoRound;
  units: DemoUnit[];
  categories: LeafCategory[];
  /** Run a service as `user`, one user action (a few seconds) later on the replayed clock. */
  call<R>(user: ActingUser | null, fn: Service<R>, raw: object): R;
  /** Schedule office work for `day`, moved to the next weekday (offices do not work weekends). */
  on(day: string, fn: () => void): boolean;
  /** Read-side SQL. */
  all<T>(sql: string, ...params: unknown[]): T[];
  log(line: string): void;
  /** Running numbers: evidence files, notice 文号… */
  next(counter: string): number;
  /** The last evidence file added, and how many planted reuses of it are still owed. */
  evidence: { last: { no: number; kind: 'pdf' | 'png'; name: string; taskId: string } | null; reuse: number };
}

/** Saturday → Monday, Sunday → Monday. */
export function weekday(day: string): string {
  const w = dayOfWeek(day);
  return w === 6 ? addDays(day, 2) : w === 0 ? addDays(day, 1) : day;
}

/** A random day in [from, to] (from when the span is empty). */
export function dayBetween(rng: Random, from: string, to: string): string {
  const span = diffDays(from, to);
  return span <= 0 ? from : addDays(from, rng.int(0, span));
}

/** 35 units of a provincial round (DOMAIN.md: "a round has ~15 teams and 30-40 units"). */
const UNIT_MIX: readonly (readonly [Sector, number])[] = [
  ['central_soe', 14], ['central_finance', 5], ['university', 4], ['city_county', 8], ['other', 4],
];
export const TEAM_COUNT = 15;

function nameOf(sector: Sector, i: number): string {
  if (sector === 'other') return `某省${PROVINCIAL_DEPARTMENTS[i % PROVINCIAL_DEPARTMENTS.length]!}`;
  return unitName(sector, i);
}

/** How often each (sub)category is used: 全面从严治党 findings dominate published feedback. */
const CATEGORY_WEIGHTS: Readonly<Record<string, number>> = {
  推动高质量发展: 9, 服务国家战略: 5, 防范化解重大风险: 6, 廉洁风险: 9, 违反中央八项规定精神: 10, '"四风"问题': 6,
  '"靠企吃企"': 5, '形式主义、官僚主义': 5, 选人用人: 8, 干部监督管理: 6, 基层党组织建设: 7, 上轮巡视整改落实: 6,
};

function leaves(tree: CategoryNode[]): LeafCategory[] {
  const out: LeafCategory[] = [];
  for (const top of tree) {
    const kids = top.children.length > 0 ? top.children : [top];
    for (const c of kids) out.push({ id: c.id, name: c.name, top: top.name, weight: CATEGORY_WEIGHTS[c.name] ?? 4 });
  }
  return out;
}

export interface WorldDeps {
  ledger: Ledger;
  clock: DemoClock;
  ids: IdSource;
  rng: Random;
  today: string;
  password: string;
  log: (line: string) => void;
}

/**
 * First-run set-up and accounts (on the clock's first day), then the round's calendar scheduled on
 * the timeline: units and leaders, round and teams, inspections, feedback, problem lists.
 */
export function createWorld(d: WorldDeps, problems: number): World {
  const { ledger, clock, ids, rng, today } = d;
  const tl = new Timeline(clock, today);
  const counters = new Map<string, number>();
  const call = <R>(user: ActingUser | null, fn: Service<R>, raw: object): R => {
    tl.tick();
    return fn({ ledger, clock, ids, user }, raw);
  };
  const setup = call(null, setupLedger, {
    officeName: '某省委巡视工作领导小组办公室', officeKind: 'inspection_office', level: 'province',
    adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: d.password,
  });
  const admin: ActingUser = { id: setup.adminId, role: 'admin', canViewClues: false, displayName: '王某某' };
  const users = { admin } as DemoUsers;
  for (const a of DEMO_ACCOUNTS) {
    if (a.key === 'admin') continue;
    const u = call(admin, createUser, { username: a.username, displayName: a.displayName, role: a.role, password: d.password });
    users[a.key] = { id: u.id, role: u.role, canViewClues: u.canViewClues, displayName: u.displayName };
  }
  // The clue right takes two people: the administrator proposes it, a 负责人 other than the grantee
  // confirms it. The demo has one 负责人, who cannot confirm their own: theirs is given directly,
  // as on a ledger from before the two-person rule (the rights report shows it as such).
  for (const a of DEMO_ACCOUNTS) {
    if (!a.canViewClues) continue;
    const u = users[a.key];
    if (a.key === 'fuze1') {
      tl.tick();
      const ctx = { ledger, clock, ids, user: null };
      updateRow(ctx, userRows, getRow(ctx, userRows, u.id)!, { canViewClues: true });
    } else {
      const g = call(admin, grantClue, { userId: u.id, reason: '承办问题线索处置。' });
      call(users.fuze1, confirmClue, { grantId: g.id });
    }
    users[a.key] = { ...u, canViewClues: true };
  }
  // Categories are configurable: the office adds one it tracks separately.
  const tree = call(admin, listCategories, {});
  const parent = tree.find((c) => c.name === '履行全面从严治党责任');
  if (parent) call(admin, createCategory, { name: '形式主义、官僚主义', parentId: parent.id });
  const categories = leaves(call(admin, listCategories, { activeOnly: true }));

  const mobilisedOn = weekday(addDays(today, -300));
  const enteredOn = weekday(addDays(mobilisedOn, 7));
  const feedbackOn = weekday(addDays(enteredOn, 70));
  const world: World = {
    rng, tl, today, users, categories,
    round: { id: '', name: roundName('province', Number(mobilisedOn.slice(0, 4)), 2), mobilisedOn, enteredOn, feedbackOn },
    units: [],
    call,
    on: (day, fn) => tl.at(weekday(day), fn),
    all: <T>(sql: string, ...params: unknown[]) => ledger.prepare(sql).all(...params) as T[],
    log: d.log,
    evidence: { last: null, reuse: 0 },
    next(counter) {
      const n = (counters.get(counter) ?? 0) + 1;
      counters.set(counter, n);
      return n;
    },
  };
  planUnits(world, problems);
  return world;
}

/** Split `total` over `weights` in whole numbers (largest remainder), at least one each. */
function apportion(total: number, weights: number[]): number[] {
  const rest = total - weights.length;
  const sum = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (w / sum) * rest);
  const out = exact.map((x) => 1 + Math.floor(x));
  let left = total - out.reduce((s, x) => s + x, 0);
  const order = exact.map((x, k) => [x - Math.floor(x), k] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, k] of order) {
    if (left-- <= 0) break;
    out[k]!++;
  }
  return out;
}

function planUnits(w: World, problems: number): void {
  const { rng, users, round } = w;
  const specs: { sector: Sector; i: number }[] = [];
  for (const [sector, n] of UNIT_MIX) for (let i = 0; i < n; i++) specs.push({ sector, i });
  // Five teams take three units, the other ten two (35 units, 15 teams).
  const teamOf = rng.shuffle(specs.map((_, k) => (k < 3 * 5 ? Math.floor(k / 3) : 5 + Math.floor((k - 15) / 2)) + 1));
  const quotas = apportion(problems, specs.map(() => 0.5 + rng.next()));
  w.units = specs.map((s, k) => {
    const team = teamOf[k]!;
    return {
      k, name: nameOf(s.sector, s.i), sector: s.sector, clerk: k % 2 === 0 ? users.luru1 : users.luru2, team,
      leaderName: personName(rng.next), leaderPost: PRINCIPAL_POSTS[s.sector] ?? '党委书记',
      feedbackOn: weekday(addDays(round.feedbackOn, (team - 1) % 4)),
      quota: quotas[k]!, id: '', inspectionId: '', feedbackId: '', problemIds: [],
    };
  });

  // 巡视办 records the units it will inspect, with their principal leaders.
  w.on(addDays(round.mobilisedOn, -14), () => {
    for (const u of w.units) {
      u.id = w.call(users.luru1, createUnit, { name: u.name, sector: u.sector }).id;
      w.call(users.luru1, setInitialLeader, {
        unitId: u.id, name: u.leaderName, post: u.leaderPost, fromDate: addDays(round.mobilisedOn, -rng.int(200, 1800)),
      });
    }
  });
  const teamIds: string[] = [];
  w.on(addDays(round.mobilisedOn, -10), () => {
    round.id = w.call(users.luru1, createRound, {
      name: round.name, level: 'province', kind: 'regular', mobilisedOn: round.mobilisedOn, enteredOn: round.enteredOn,
    }).id;
    for (let n = 1; n <= TEAM_COUNT; n++) {
      teamIds[n] = w.call(users.luru1, createTeam, { roundId: round.id, number: n, name: teamName(n), leaderName: personName(rng.next) }).id;
    }
  });
  w.on(addDays(round.mobilisedOn, -3), () => {
    for (const u of w.units) {
      u.inspectionId = w.call(users.luru1, createInspection, { roundId: round.id, unitId: u.id, teamId: teamIds[u.team] }).id;
    }
  });
  // 集中反馈 opens the round's feedback; each team then feeds back to its units within days.
  w.on(round.feedbackOn, () => {
    w.call(users.luru1, updateRound, { id: round.id, feedbackOn: round.feedbackOn });
  });
  const year = Number(round.feedbackOn.slice(0, 4));
  w.units.forEach((u, k) => {
    w.on(u.feedbackOn, () => {
      const heads = rng.sample(FEEDBACK_HEADS, 3 + rng.int(0, 2)).sort((a, b) => FEEDBACK_HEADS.indexOf(a) - FEEDBACK_HEADS.indexOf(b));
      u.feedbackId = w.call(u.clerk, addFeedback, {
        inspectionId: u.inspectionId, kind: 'collective', feedbackDate: u.feedbackOn,
        docNumber: docNumber(year, k + 1), body: feedbackBody(teamName(u.team), u.name, heads),
      }).id;
    });
    w.on(addDays(u.feedbackOn, rng.int(3, 9)), () => planProblemList(w, u));
  });
}

/** The end of a unit's 集中整改期 (3 months after feedback under the 2022 rules). */
export function concentratedEnd(u: Pick<DemoUnit, 'feedbackOn'>): string {
  return addMonths(u.feedbackOn, 3);
}
