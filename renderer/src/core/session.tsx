import { createContext, useContext } from 'react';
import type { ResultOf } from '../../../db/bridge/contract.js';

export type SessionUser = NonNullable<Awaited<ResultOf<'session:current'>>>;
export type Office = NonNullable<Awaited<ResultOf<'office:get'>>>;
export type LedgerStatus = Awaited<ResultOf<'ledger:status'>>;
/** The audit anchor's verdict when it failed (ledger:status.anchor): shown at the top of the shell. */
export type AnchorProblem = NonNullable<LedgerStatus['anchor']>;
/** Why the lock screen shows: 锁定 (button, Ctrl+L), the renderer's idle timer, or the engine's refusal. */
export type LockReason = 'manual' | 'idle' | 'engine';

export interface SessionState {
  user: SessionUser;
  office: Office | null;
  /** The engine's date (YYYY-MM-DD): the day its statutory clocks count from. */
  today: string;
  roundId: string | null;
  setRoundId(id: string | null): void;
  /** Read the office and the user again (after renaming the office, say). */
  refresh(): void;
  can(permission: string): boolean;
  logout(): Promise<void>;
  /** Lock the session: the ledger's screens are unmounted at once and the engine refuses calls until unlocked. */
  lock(why?: LockReason): void;
  /** The audit anchor's failed check at the last opening of the ledger, if it failed. */
  anchor: AnchorProblem | null;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside the logged-in shell');
  return s;
}
