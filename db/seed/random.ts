/**
 * A small seeded pseudo-random source for generated data (demo ledgers): the same seed gives the
 * same sequence on every machine, so two runs produce the same ledger. mulberry32: fast, 32-bit
 * state, good enough for picking wording and dates (not for anything secret).
 */
export interface Random {
  /** The next number in [0, 1); also usable where db/seed/vocabulary.ts wants an `Rng`. */
  readonly next: () => number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** true with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T;
  /** One element, chosen with the given relative weights (same length as the list). */
  weighted<T>(list: readonly T[], weights: readonly number[]): T;
  /** A shuffled copy (Fisher–Yates); the input is left as it is. */
  shuffle<T>(list: readonly T[]): T[];
  /** `n` distinct elements (all of them, shuffled, when the list is shorter). */
  sample<T>(list: readonly T[], n: number): T[];
}

export function makeRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => {
    if (list.length === 0) throw new Error('pick from an empty list');
    return list[Math.floor(next() * list.length)]!;
  };
  const shuffle = <T>(list: readonly T[]): T[] => {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick,
    weighted<T>(list: readonly T[], weights: readonly number[]): T {
      const total = weights.reduce((s, w) => s + w, 0);
      let x = next() * total;
      for (let k = 0; k < list.length; k++) {
        x -= weights[k] ?? 0;
        if (x < 0) return list[k]!;
      }
      return list[list.length - 1]!;
    },
    shuffle,
    sample: (list, n) => shuffle(list).slice(0, n),
  };
}
