import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client.js';

export interface Query<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload(): void;
}

/** Run an engine call and keep its state; re-runs when `deps` change, ignores stale answers. */
export function useQuery<T>(fn: () => Promise<T>, deps: readonly unknown[]): Query<T> {
  const [state, setState] = useState<{ data: T | undefined; error: ApiError | null; loading: boolean }>({ data: undefined, error: null, loading: true });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    fn().then(
      (data) => mine === seq.current && setState({ data, error: null, loading: false }),
      (e: unknown) => mine === seq.current && setState({ data: undefined, error: toApiError(e), loading: false }),
    );
  }, [...deps, tick]); // deps are the caller's: the query re-runs when they change
  const reload = useCallback(() => setTick((x) => x + 1), []);
  return { ...state, reload };
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return new ApiError({ code: 'UNAVAILABLE', message: e instanceof Error ? e.message : String(e) });
}

/** Listen to a window event for the lifetime of a component. */
export function useWindowEvent(name: string, handler: (e: Event) => void): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    const on = (e: Event) => ref.current(e);
    window.addEventListener(name, on);
    return () => window.removeEventListener(name, on);
  }, [name]);
}

/**
 * Make the scrolling boxes antd draws inside an element (a table's body with `scroll.y`) reachable
 * by keyboard: Tab stops on the box (tabIndex 0, a region named `label`) and the arrow keys scroll
 * it. antd gives no prop for that element, so it is found after each change of the table. Returns
 * the ref callback to put on the element around the table.
 */
export function useKeyboardScroll(label: string, selector = '.ant-table-body'): (el: HTMLElement | null) => void {
  const [root, setRoot] = useState<HTMLElement | null>(null);
  useEffect(() => {
    if (!root) return;
    const apply = () => root.querySelectorAll<HTMLElement>(selector).forEach((el) => {
      if (el.getAttribute('tabindex') !== '0') el.tabIndex = 0;
      if (el.getAttribute('role') !== 'region') el.setAttribute('role', 'region');
      if (el.getAttribute('aria-label') !== label) el.setAttribute('aria-label', label);
    });
    apply();
    // Only added and removed elements are watched, so setting the attributes above does not loop.
    const watch = new MutationObserver(apply);
    watch.observe(root, { childList: true, subtree: true });
    return () => watch.disconnect();
  }, [root, label, selector]);
  return setRoot;
}

/** Whether the system asks for less motion (Windows "show animations" off, GNOME reduce-animation). */
export function useReducedMotion(): boolean {
  const query = '(prefers-reduced-motion: reduce)';
  const [reduce, setReduce] = useState(() => typeof matchMedia === 'function' && matchMedia(query).matches);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const m = matchMedia(query);
    const on = () => setReduce(m.matches);
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, []);
  return reduce;
}
