/** Small helpers shared by the list screens' filter state. */

/** The engine's argument without unset values (null, undefined, ''). */
export function clean<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== null && v !== undefined && v !== '') (out as Record<string, unknown>)[k] = v;
  return out;
}

/** A saved filter's value for "all rounds" (an unset value would mean "the current round"). */
export const ALL_ROUNDS = 'all';

/** Tri-state flag ↔ select value ('yes' / 'no' / nothing). */
export const boolChoice = (b: boolean | null | undefined) => (b === true ? 'yes' : b === false ? 'no' : undefined);
export const choiceBool = (v: string | undefined) => (v === 'yes' ? true : v === 'no' ? false : null);

/**
 * Filters and sort of each list, kept while the app runs: opening a row's detail route and coming
 * back finds the list as it was left.
 */
const memory = new Map<string, unknown>();
export function remembered<T>(list: string): T | undefined {
  return memory.get(list) as T | undefined;
}
export function remember(list: string, state: unknown): void {
  memory.set(list, state);
}
