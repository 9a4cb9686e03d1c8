import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../../db/core/clock.js';
import type { ActingUser, ServiceContext } from '../../db/core/context.js';
import { seededRandom, uuidv7Source } from '../../db/core/ids.js';
import { openLedger, type Ledger } from '../../db/core/open.js';
import { createUser, login, setupLedger } from '../../db/services/office.js';
import { confirmClue, grantClue } from '../../db/services/rights.js';

export const PASSWORD = 'ceshi-mima-2024';

export interface TestLedger {
  ledger: Ledger;
  clock: ReturnType<typeof fixedClock>;
  /** A service context acting as the given user (null = nobody logged in). */
  as(user: ActingUser | null): ServiceContext;
  users: {
    admin: ActingUser;
    entry: ActingUser; // 录入员 without clue permission
    entry2: ActingUser; // a second 录入员
    reviewer: ActingUser; // 审核员 with clue permission
    reviewer2: ActingUser; // 审核员 without clue permission
    leader: ActingUser; // 负责人 with clue permission
    leader2: ActingUser; // a second 负责人, without clue permission
    readonly: ActingUser;
  };
  close(): void;
}

/**
 * A real ledger (SQLite with the real migrations) set up with one office and one user per role.
 * `file: true` uses a temporary file instead of memory (needed for WAL and file-level tests).
 */
export function makeTestLedger(opts: { today?: string; file?: boolean; seed?: number } = {}): TestLedger {
  const today = opts.today ?? '2024-03-01';
  const clock = fixedClock(today);
  let dir: string | null = null;
  let path = ':memory:';
  if (opts.file) {
    dir = mkdtempSync(join(tmpdir(), 'ledger-test-'));
    path = join(dir, 'ledger.sqlite');
  }
  const tpl = template();
  let ledger: Ledger;
  if (dir) {
    writeFileSync(path, tpl.image);
    ledger = openLedger(path);
  } else {
    ledger = openLedger(':memory:', { image: tpl.image });
  }
  const ids = uuidv7Source(() => clock.now(), seededRandom(opts.seed ?? 42));
  const as = (user: ActingUser | null): ServiceContext => ({ ledger, clock, ids, user });
  return {
    ledger, clock, as, users: tpl.users,
    close() {
      ledger.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

let cached: { image: Buffer; users: TestLedger['users'] } | null = null;

/**
 * Set-up and eight scrypt-hashed accounts cost over a second; build them once per test file and
 * hand every test its own copy of the resulting ledger image.
 */
function template(): { image: Buffer; users: TestLedger['users'] } {
  if (cached) return cached;
  const clock = fixedClock('2024-01-02');
  const ledger = openLedger(':memory:');
  const ids = uuidv7Source(() => clock.now(), seededRandom(7));
  const as = (user: ActingUser | null): ServiceContext => ({ ledger, clock, ids, user });
  setupLedger(as(null), {
    officeName: '某省纪委监委第三监督检查室', officeKind: 'discipline', level: 'province',
    adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: PASSWORD,
  });
  const admin = login(as(null), { username: 'admin', password: PASSWORD });
  const accounts = {
    entry: ['luru1', '张某某', 'entry'],
    entry2: ['luru2', '李某', 'entry'],
    reviewer: ['shenhe1', '赵某某', 'reviewer'],
    reviewer2: ['shenhe2', '钱某', 'reviewer'],
    leader: ['fuze1', '孙某某', 'leader'],
    leader2: ['fuze2', '吴某', 'leader'],
    readonly: ['chakan1', '周某', 'readonly'],
  } as const;
  const userIds: Record<string, string> = {};
  for (const [key, [username, displayName, role]] of Object.entries(accounts)) {
    userIds[key] = createUser(as(admin), { username, displayName, role, password: PASSWORD }).id;
  }
  // The clue right takes two people: the administrator proposes it, a 负责人 other than the grantee confirms it.
  const leaderCtx = as(login(as(null), { username: 'fuze1', password: PASSWORD }));
  const leader2Ctx = as(login(as(null), { username: 'fuze2', password: PASSWORD }));
  confirmClue(leaderCtx, { grantId: grantClue(as(admin), { userId: userIds.reviewer!, reason: '承办问题线索处置。' }).id });
  confirmClue(leader2Ctx, { grantId: grantClue(as(admin), { userId: userIds.leader!, reason: '分管问题线索处置。' }).id });
  const acting = (key: keyof typeof accounts) => login(as(null), { username: accounts[key][0], password: PASSWORD });
  const users = {
    admin,
    entry: acting('entry'),
    entry2: acting('entry2'),
    reviewer: acting('reviewer'),
    reviewer2: acting('reviewer2'),
    leader: acting('leader'),
    leader2: acting('leader2'),
    readonly: acting('readonly'),
  };
  cached = { image: ledger.sqlite.serialize(), users };
  ledger.close();
  return cached;
}
