import type { Clock } from './clock.js';
import type { IdSource } from './ids.js';
import type { Ledger } from './open.js';
import type { Role } from './domain/enums.js';

/** The user on whose behalf a service acts. */
export interface ActingUser {
  id: string;
  role: Role;
  canViewClues: boolean;
  displayName: string;
}

/** Everything a service depends on, injected (ARCHITECTURE.md: services take their dependencies). */
export interface ServiceContext {
  ledger: Ledger;
  clock: Clock;
  ids: IdSource;
  /** null only for first-run set-up and engine-internal work. */
  user: ActingUser | null;
}

/**
 * Run `fn` in one transaction (nested calls become savepoints): all or nothing. The engine's
 * in-memory counters (version, HLC, audit chain head) are restored with the rollback, so a
 * rejected call leaves no trace anywhere.
 */
export function inTransaction<T>(ctx: ServiceContext, fn: () => T): T {
  const st = ctx.ledger.state;
  const saved = { ...st, hlc: { ...st.hlc } };
  try {
    return ctx.ledger.sqlite.transaction(fn)();
  } catch (e) {
    Object.assign(st, saved);
    throw e;
  }
}
