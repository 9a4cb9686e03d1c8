import { createContext, useContext } from 'react';
import type { ResultOf } from '../../../db/bridge/contract.js';

export type SessionUser = NonNullable<Awaited<ResultOf<'session:current'>>>;
export type Office = NonNullable<Awaited<ResultOf<'office:get'>>>;

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
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside the logged-in shell');
  return s;
}
