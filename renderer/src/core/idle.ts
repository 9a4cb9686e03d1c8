/**
 * 自动锁定: the renderer watches the user's own activity (mouse, keyboard, wheel, touch) and locks
 * after the ledger's idleLockMinutes without any. While the user is active, a light call now and
 * then tells the engine so (its own idle lock counts calls, and a clerk typing a long progress
 * note for ten minutes makes none): the engine then never locks a session the user is working in.
 *
 * Time is read from Date.now() and setTimeout only, so a test can drive it with a fake clock.
 */
import { useEffect, useRef } from 'react';

export const DEFAULT_IDLE_MINUTES = 10;
/** At most one keep-alive call per this many ms of activity. */
export const KEEP_ALIVE_MS = 60_000;
const ACTIVITY = ['mousemove', 'mousedown', 'pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Lock after `minutes` without activity (0 or less: never). `onIdle` is called once per idle
 * spell; `keepAlive` at most once a minute while the user is active.
 */
export function useIdleLock(minutes: number, onIdle: () => void, keepAlive?: () => void): void {
  const idleRef = useRef(onIdle);
  idleRef.current = onIdle;
  const aliveRef = useRef(keepAlive);
  aliveRef.current = keepAlive;
  useEffect(() => {
    if (!(minutes > 0)) return undefined;
    const limit = minutes * 60_000;
    let last = Date.now();
    let pinged = last;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      const idle = Date.now() - last;
      if (idle >= limit) idleRef.current();
      else timer = setTimeout(check, limit - idle);
    };
    const active = () => {
      const now = Date.now();
      last = now;
      if (now - pinged >= KEEP_ALIVE_MS) {
        pinged = now;
        aliveRef.current?.();
      }
    };
    for (const e of ACTIVITY) window.addEventListener(e, active, { capture: true, passive: true });
    timer = setTimeout(check, limit);
    return () => {
      clearTimeout(timer);
      for (const e of ACTIVITY) window.removeEventListener(e, active, { capture: true });
    };
  }, [minutes]);
}
