import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../../db/core/clock.js';
import type { ActingUser, ServiceContext } from '../../db/core/context.js';
import { seededRandom, uuidv7Source } from '../../db/core/ids.js';
import { openLedger, type Ledger } from '../../db/core/open.js';
import { createUser, login, setupLedger } from '../../db/services/office.js';

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
    leader: ActingUser;
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
 * Set-up and seven scrypt-hashed accounts cost over a second; build them once per test file and
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
  const mk = (username: string, displayName: string, role: string, canViewClues: boolean) => {
    createUser(as(admin), { username, displayName, role, canViewClues, password: PASSWORD });
    return login(as(null), { username, password: PASSWORD });
  };
  const users = {
    admin,
    entry: mk('luru1', '张某某', 'entry', false),
    entry2: mk('luru2', '李某', 'entry', false),
    reviewer: mk('shenhe1', '赵某某', 'reviewer', true),
    reviewer2: mk('shenhe2', '钱某', 'reviewer', false),
    leader: mk('fuze1', '孙某某', 'leader', true),
    readonly: mk('chakan1', '周某', 'readonly', false),
  };
  cached = { image: ledger.sqlite.serialize(), users };
  ledger.close();
  return cached;
}
