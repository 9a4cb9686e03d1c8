/**
 * Rows of a big list fetched page by page from SQL as the user scrolls (keyset cursors), with a
 * bounded memory: at most `maxInMemory` rows are held; pages far from where the user is are
 * dropped (their size and start cursor are kept, so they come back from the same cursor when
 * scrolled to), and the list stops growing at `maxExtent` rows (the screen says so).
 *
 * A dropped page is shown as placeholder rows of the same count, so the scroll height and the
 * positions of the other rows do not move.
 *
 * When the key changes (a filter, the sort) or on reload, the rows on screen stay until the new
 * first page arrives and replaces them in one render (`stale` meanwhile): the table is not drawn
 * empty in between, which is most of the time a filter change would otherwise cost.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { toApiError } from '../hooks.js';
import type { ApiError } from '../../api/client.js';

export interface KeysetPage<R> {
  rows: R[];
  nextCursor: string | null;
}

export interface Placeholder {
  __placeholder: true;
  key: string;
  page: number;
}
export interface MoreRow {
  __more: true;
  key: string;
}
export type ListItem<R> = R | Placeholder | MoreRow;

export const isPlaceholder = (x: unknown): x is Placeholder => typeof x === 'object' && x !== null && '__placeholder' in x;
export const isMore = (x: unknown): x is MoreRow => typeof x === 'object' && x !== null && '__more' in x;
export const isRow = <R>(x: ListItem<R>): x is R => !isPlaceholder(x) && !isMore(x);

interface PageSlot<R> {
  /** Cursor this page starts from (null = first page). */
  start: string | null;
  rows: R[] | null;
  size: number;
  next: string | null;
}

interface State<R> {
  key: string;
  pages: PageSlot<R>[];
  /** Nothing has arrived yet (the first key of this list). */
  initial: boolean;
  /** Counts the times the list started over (a new first page replaced the rows). */
  epoch: number;
}

export interface KeysetOptions<R> {
  /** Everything the rows depend on (filters, sort), serialised: a change starts over. */
  key: string;
  fetchPage(cursor: string | null, limit: number): Promise<KeysetPage<R>>;
  pageSize?: number;
  maxInMemory?: number;
  maxExtent?: number;
  /** Keep the loaded pages across unmount (e.g. while a detail route is open) under this name. */
  cacheName?: string;
}

export interface KeysetList<R> {
  items: ListItem<R>[];
  /** The first page is loading and there are no rows to show meanwhile. */
  loading: boolean;
  /** The rows shown belong to the previous key (or precede a reload) until the new first page arrives. */
  stale: boolean;
  /** Changes each time the list started over: the table goes back to the top. */
  epoch: number;
  /** Some page is loading. */
  busy: boolean;
  error: ApiError | null;
  /** Rows currently held in memory. */
  inMemory: number;
  /** The list reached maxExtent and does not grow further. */
  capped: boolean;
  maxExtent: number;
  /** Number of fetches made (for the screen's status and tests). */
  fetches: number;
  loadMore(): void;
  loadPage(page: number): void;
  reload(): void;
  /** Scroll offset remembered with the cache. */
  scrollTop: number;
  setScrollTop(y: number): void;
}

const cache = new Map<string, { state: State<unknown>; scrollTop: number }>();

export function useKeysetPages<R>(o: KeysetOptions<R>): KeysetList<R> {
  const pageSize = o.pageSize ?? 100;
  const maxInMemory = o.maxInMemory ?? 1000;
  const maxExtent = o.maxExtent ?? 10000;
  const cached = o.cacheName ? cache.get(o.cacheName) : undefined;
  // Coming back to a list: the same page layout and scroll position, each page fetched afresh
  // (from its own cursor) when it comes into view, since the user may have changed a row meanwhile.
  const [state, setState] = useState<State<R>>(() =>
    cached && cached.state.key === o.key
      ? { ...(cached.state as State<R>), pages: (cached.state as State<R>).pages.map((p) => ({ ...p, rows: null })) }
      : { key: o.key, pages: [], initial: true, epoch: 0 });
  const [error, setError] = useState<ApiError | null>(null);
  const [fetches, setFetches] = useState(0);
  const [reloadTick, setReloadTick] = useState(0);
  /** The key (and reload) whose first page is awaited, while older rows stay on screen. */
  const [pending, setPending] = useState<string | null>(null);
  /** The same, readable from callbacks: while it is set, no other page is fetched (its cursor would be of the old rows). */
  const awaitingFresh = useRef(false);
  const inFlight = useRef(new Set<string>());
  const gen = useRef(0);
  const scrollTop = useRef(cached && cached.state.key === o.key ? cached.scrollTop : 0);
  const fetchRef = useRef(o.fetchPage);
  fetchRef.current = o.fetchPage;
  const stateRef = useRef(state);
  stateRef.current = state;

  const fetchInto = useCallback((index: number, start: string | null, key: string, g: number, fresh = false) => {
    const slot = `${g}:${index}`;
    if (inFlight.current.has(slot)) return;
    inFlight.current.add(slot);
    setFetches((n) => n + 1);
    fetchRef.current(start, pageSize).then(
      (page) => {
        inFlight.current.delete(slot);
        if (g !== gen.current) return;
        setError(null);
        if (fresh) {
          awaitingFresh.current = false;
          setPending(null);
          setState((s) => ({ key, initial: false, epoch: s.epoch + 1, pages: [{ start, rows: page.rows, size: page.rows.length, next: page.nextCursor }] }));
          return;
        }
        setState((s) => {
          // Another list by now, or a page whose predecessors were cut meanwhile: not ours to place.
          if (s.key !== key || index > s.pages.length) return s;
          const pages = s.pages.slice();
          const prevSize = pages[index]?.size;
          pages[index] = { start, rows: page.rows, size: page.rows.length, next: page.nextCursor };
          // A refetched middle page that came back with another size (rows changed meanwhile) or a
          // changed continuation invalidates the pages after it: they are fetched again when reached.
          if (index < pages.length - 1 && (prevSize !== page.rows.length || pages[index + 1]!.start !== page.nextCursor)) {
            pages.length = index + 1;
          }
          return { ...s, initial: false, pages: dropFar(pages, index, maxInMemory) };
        });
      },
      (e: unknown) => {
        inFlight.current.delete(slot);
        if (g !== gen.current) return;
        setError(toApiError(e));
        if (fresh) {
          // The old rows do not answer the new filters: show none, with the error.
          awaitingFresh.current = false;
          setPending(null);
          setState((s) => ({ key, initial: false, epoch: s.epoch + 1, pages: [] }));
          return;
        }
        // Forget an empty slot that never arrived, so scrolling there asks again.
        setState((s) => (s.key === key
          ? { ...s, initial: false, pages: s.pages[index] && !s.pages[index]!.rows && s.pages[index]!.size === 0 ? s.pages.slice(0, index) : s.pages }
          : s));
      },
    );
  }, [pageSize, maxInMemory]);

  // A new key (filters or sort changed) or an explicit reload: start over from the first page.
  const mounted = useRef(false);
  useEffect(() => {
    const first = !mounted.current;
    mounted.current = true;
    if (first && stateRef.current.key === o.key && stateRef.current.pages.length > 0) return; // restored from the cache
    gen.current += 1;
    inFlight.current.clear();
    scrollTop.current = 0;
    setError(null);
    setPending(`${o.key}#${reloadTick}`);
    awaitingFresh.current = true;
    fetchInto(0, null, o.key, gen.current, true);
  }, [o.key, reloadTick, fetchInto]);

  // Remember the pages when the screen goes away (a detail route), to come back where one was.
  const keyRef = useRef(o.key);
  keyRef.current = o.key;
  useEffect(() => () => {
    if (!o.cacheName) return;
    const s = stateRef.current;
    // A page still on its way is not kept: the slot would wait for an answer nobody receives;
    // nor are rows of another key still on screen.
    if (s.key !== keyRef.current) return;
    const pages = s.pages.filter((p) => p.rows || p.size > 0);
    if (pages.length > 0) cache.set(o.cacheName, { state: { ...s, pages } as State<unknown>, scrollTop: scrollTop.current });
  }, [o.cacheName]);

  const loadMore = useCallback(() => {
    const s = stateRef.current;
    if (awaitingFresh.current || s.key !== keyRef.current) return; // the rows on screen are about to be replaced
    const last = s.pages[s.pages.length - 1];
    if (!last || last.rows === null && last.size === 0) return;
    if (!last.next) return;
    const extent = s.pages.reduce((n, p) => n + p.size, 0);
    if (extent >= maxExtent) return;
    setState((x) => (x.key === s.key && x.pages.length === s.pages.length
      ? { ...x, pages: [...x.pages, { start: last.next, rows: null, size: 0, next: null }] } : x));
    fetchInto(s.pages.length, last.next, s.key, gen.current);
  }, [fetchInto, maxExtent]);

  const loadPage = useCallback((index: number) => {
    const s = stateRef.current;
    if (awaitingFresh.current || s.key !== keyRef.current) return;
    const p = s.pages[index];
    if (!p || p.rows) return;
    fetchInto(index, p.start, s.key, gen.current);
  }, [fetchInto]);

  const items = useMemo(() => {
    const out: ListItem<R>[] = [];
    state.pages.forEach((p, i) => {
      if (p.rows) out.push(...p.rows);
      else for (let j = 0; j < p.size; j++) out.push({ __placeholder: true, key: `__ph-${i}-${j}`, page: i });
    });
    const last = state.pages[state.pages.length - 1];
    const extent = out.length;
    if (last && last.rows && last.next && extent < maxExtent) out.push({ __more: true, key: '__more' });
    return out;
  }, [state.pages, maxExtent]);

  const inMemory = state.pages.reduce((n, p) => n + (p.rows ? p.rows.length : 0), 0);
  const extent = state.pages.reduce((n, p) => n + p.size, 0);
  const last = state.pages[state.pages.length - 1];
  const busy = inFlight.current.size > 0 || state.initial;
  const reload = useCallback(() => setReloadTick((x) => x + 1), []);
  const setScrollTop = useCallback((y: number) => { scrollTop.current = y; }, []);
  // One object per state change, so a memoised table re-renders only when the rows did.
  return useMemo(() => ({
    items,
    loading: state.initial,
    stale: pending !== null,
    epoch: state.epoch,
    busy,
    error,
    inMemory,
    capped: !!last?.next && extent >= maxExtent,
    maxExtent,
    fetches,
    loadMore,
    loadPage,
    reload,
    scrollTop: scrollTop.current,
    setScrollTop,
  }), [items, state.initial, pending, state.epoch, busy, error, inMemory, last, extent, maxExtent, fetches, loadMore, loadPage, reload, setScrollTop]);
}

/** Drop the loaded pages farthest from `around` until at most `max` rows are held. */
function dropFar<R>(pages: PageSlot<R>[], around: number, max: number): PageSlot<R>[] {
  let held = pages.reduce((n, p) => n + (p.rows ? p.rows.length : 0), 0);
  if (held <= max) return pages;
  const order = pages.map((_, i) => i).filter((i) => i !== around && pages[i]!.rows)
    .sort((a, b) => Math.abs(b - around) - Math.abs(a - around));
  const out = pages.slice();
  for (const i of order) {
    if (held <= max) break;
    held -= out[i]!.rows!.length;
    out[i] = { ...out[i]!, rows: null };
  }
  return out;
}
