/**
 * What a refused call says about the session, whichever screen made it: a locked ledger (the engine
 * locked it for idleness, or another window did) brings up the lock screen; a session that ended
 * (the ledger closed, the account deactivated) goes back to the log-in screen.
 */
import { ApiError, onCallFailure } from '../api/client.js';
import type { ErrorPayload } from '../../../db/bridge/api.js';

export type SessionTrouble = 'locked' | 'ended';

export function troubleOf(e: ErrorPayload): SessionTrouble | null {
  if (e.code === 'LOCKED' && e.reason === 'ledger_locked') return 'locked';
  if (e.code === 'LOCKED' && e.reason === 'not_open') return 'ended';
  if (e.code === 'FORBIDDEN' && e.reason === 'session_invalid') return 'ended';
  return null;
}

/** Whether an error thrown by `call` is the locked ledger's refusal. */
export function isLockedError(e: unknown): boolean {
  return e instanceof ApiError && troubleOf(e.payload) === 'locked';
}

/** Call `cb` whenever a call is refused for one of these reasons; returns the unsubscribe function. */
export function onSessionTrouble(cb: (t: SessionTrouble) => void): () => void {
  return onCallFailure((e) => {
    const t = troubleOf(e);
    if (t) cb(t);
  });
}
