/**
 * A hash router (the packaged renderer loads from file://, so history URLs are not an option).
 * Routes are '#/section' or '#/section/:id'; query-free on purpose: filters live in state.
 */
import { useEffect, useState } from 'react';

export interface Route {
  section: string;
  id: string | null;
  sub: string | null;
}

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return { section: parts[0] ?? 'home', id: parts[1] ?? null, sub: parts[2] ?? null };
}

export function navigate(section: string, id?: string | null, sub?: string | null): void {
  const parts = [section, id, sub].filter((x): x is string => !!x).map(encodeURIComponent);
  window.location.hash = `#/${parts.join('/')}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
