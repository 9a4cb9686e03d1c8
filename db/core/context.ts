import type { Clock } from './clock.js';
import type { IdSource } from './ids.js';
import type { Ledger } from './open.js';
import type { Role } from '../domain/enums.js';
import { DomainError } from '../domain/errors.js';

/** The user on whose behalf a service acts. */
export interface ActingUser {
  id: string;
  role: Role;
  canViewClues: boolean;
  /** 数据交换 right (users.canExchange); absent in hand-made test users means not given. */
  canExchange?: boolean;
  displayName: string;
}

/** Everything a service depends on, injected (ARCHITECTURE.md: services take their dependencies). */
export interface ServiceContext {
  ledger: Ledger;
  clock: Clock;
  ids: IdSource;
  /** null only for first-run set-up and engine-internal work. */
  user: ActingUser | null;
  /**
   * The key file of an encrypted ledger (db/session/host.ts). Absent for in-memory test ledgers
   * and plaintext ledgers awaiting conversion: those keep a password hash in the users table.
   */
  keys?: KeyHooks;
}

/**
 * What services may ask of the key file. Changes are staged and written only after the call's
 * transaction commits (a rolled-back call leaves the key file as it was).
 */
export interface KeyHooks {
  /** Wrap the data key for this user under a new password (replaces their wrap). */
  setPassword(user: { id: string; username: string }, password: string): void;
  /** Remove the user's wrap (deactivation, deletion): their password no longer opens the ledger. */
  removeUser(userId: string): void;
  /** True when `password` opens this user's wrap (re-authentication before sensitive changes). */
  verifyPassword(userId: string, password: string): boolean;
  /** Whether the user has a wrap (accounts converted from a plaintext ledger may not yet). */
  hasWrap(userId: string): boolean;
}

/**
 * Run `fn` in one transaction: all or nothing. A call inside an open transaction joins it (no
 * savepoint: on bulk work savepoints cost a fifth of the time), and if such a nested call fails,
 * the whole outer transaction is rolled back when it ends, even if the caller caught the error:
 * a failed step never leaves half its writes behind. The engine's in-memory counters (version,
 * HLC, audit chain head) are restored with the rollback, so a rejected call leaves no trace.
 */
export function inTransaction<T>(ctx: ServiceContext, fn: () => T): T {
  const l = ctx.ledger;
  if (l.sqlite.inTransaction) {
    try {
      return fn();
    } catch (e) {
      nestedFailures.add(l);
      throw e;
    }
  }
  const t = begin(l, 'BEGIN');
  try {
    const out = fn();
    t.commit();
    return out;
  } catch (e) {
    t.rollback();
    throw e;
  }
}

/** A transaction opened on `l`: commit (refused when a nested step failed) or roll back with the engine's counters. */
function begin(l: Ledger, sql: 'BEGIN' | 'BEGIN IMMEDIATE') {
  const saved = { ...l.state, hlc: { ...l.state.hlc } };
  nestedFailures.delete(l);
  l.prepare(sql).run();
  return {
    commit() {
      if (nestedFailures.has(l)) throw new Error('a step of this transaction failed; the whole transaction was rolled back');
      l.prepare('COMMIT').run();
    },
    rollback() {
      if (l.sqlite.inTransaction) l.prepare('ROLLBACK').run();
      nestedFailures.delete(l);
      Object.assign(l.state, saved);
    },
  };
}

/**
 * Long work in one transaction that awaits between its steps (an Excel import of 100,000 rows
 * gives its progress to the screen as it goes): the ledger is marked busy with `busyText`, so
 * every other call is refused (LOCKED busy) until it ends, and nothing else can write in
 * between. All or nothing like `inTransaction`: a failed step, thrown or caught, rolls back all.
 */
export async function inLongTransaction<T>(ctx: ServiceContext, busyText: string, fn: () => Promise<T>): Promise<T> {
  const l = ctx.ledger;
  const st = l.state;
  if (st.busy) throw new DomainError('LOCKED', st.busy, { reason: 'busy' });
  if (l.sqlite.inTransaction) throw new Error('inLongTransaction inside an open transaction');
  const t = begin(l, 'BEGIN IMMEDIATE');
  st.busy = busyText;
  try {
    const out = await fn();
    t.commit();
    return out;
  } catch (e) {
    t.rollback();
    throw e;
  } finally {
    st.busy = null;
  }
}

/** Ledgers whose open transaction saw a nested step fail (it must not commit). */
const nestedFailures = new WeakSet<Ledger>();
