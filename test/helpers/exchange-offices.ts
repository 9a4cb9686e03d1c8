/**
 * Offices for exchange tests: an in-memory ledger set up as an office of a kind with its
 * administrator logged in, a temporary folder for packages, and two offices that confirmed each
 * other's cards. Each registers its clean-up in the test file's `cleanup` list.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../../db/core/clock.js';
import type { ActingUser, ServiceContext } from '../../db/core/context.js';
import { seededRandom, uuidv7Source } from '../../db/core/ids.js';
import { openLedger, type Ledger } from '../../db/core/open.js';
import type { OfficeKind } from '../../db/domain/enums.js';
import type { OfficeRef } from '../../db/exchange/changes.js';
import { login, setupLedger } from '../../db/services/office.js';
import { addPartner, exportCard } from '../../db/services/partners.js';

export interface ExchangeOffice { ledger: Ledger; clock: ReturnType<typeof fixedClock>; ctx: ServiceContext; id: string; ref: OfficeRef }

/** Without `cleanup` the caller closes the ledger. */
/** `dir`: an encrypted ledger file there (a random data key) instead of an in-memory one. */
export function exchangeOffice(cleanup: (() => void)[] | null, o: { name: string; kind: OfficeKind; seed: number; password: string; today?: string; dir?: string }): ExchangeOffice {
  const clock = fixedClock(o.today ?? '2024-09-01');
  const ledger = o.dir ? openLedger(join(o.dir, `${o.name}.sqlite`), { key: randomBytes(32) }) : openLedger(':memory:');
  cleanup?.push(() => ledger.close());
  const ids = uuidv7Source(() => clock.now(), seededRandom(o.seed));
  const as = (user: ActingUser | null): ServiceContext => ({ ledger, clock, ids, user });
  const { officeId } = setupLedger(as(null), { officeName: o.name, officeKind: o.kind, level: 'province', adminUsername: 'admin', adminDisplayName: '管理员', adminPassword: o.password });
  return { ledger, clock, ctx: as(login(as(null), { username: 'admin', password: o.password })), id: officeId, ref: { id: officeId, name: o.name, kind: o.kind } };
}

/** A temporary folder, removed by `cleanup`. */
export function tempDir(cleanup: (() => void)[], prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  cleanup.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** Each office adds the other's card, confirmed by its fingerprint. */
export function confirmEachOther(a: { ctx: ServiceContext }, b: { ctx: ServiceContext }): void {
  const ca = exportCard(a.ctx);
  const cb = exportCard(b.ctx);
  addPartner(b.ctx, { card: ca.text, fingerprint: ca.fingerprint });
  addPartner(a.ctx, { card: cb.text, fingerprint: cb.fingerprint });
}
