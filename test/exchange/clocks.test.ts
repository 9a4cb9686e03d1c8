import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dominatedBy, inConflict, join, nextClock, receive, shown, type Version } from '../../db/exchange/clocks.js';

const OFFICES = ['0193aaaa-0000-7000-8000-000000000001', '0193bbbb-0000-7000-8000-000000000002', '0193cccc-0000-7000-8000-000000000003'];
const stampOf = (wall: number, office: number) => `${String(wall).padStart(15, '0')}-000000-${OFFICES[office]}`;

/** One field replicated at three offices: local writes, and deliveries of versions between them. */
type Step = { kind: 'write'; at: number; value: string } | { kind: 'deliver'; from: number; to: number; pick: number };

function simulate(steps: Step[]) {
  const heads: Version<string>[][] = [[], [], []];
  const made: Version<string>[] = [];
  const seen: Version<string>[][] = [[], [], []];
  let wall = 1;
  for (const s of steps) {
    if (s.kind === 'write') {
      const stamp = stampOf(wall++, s.at);
      const v: Version<string> = { value: s.value, stamp, clock: nextClock(heads[s.at]!, stamp) };
      made.push(v);
      seen[s.at]!.push(v);
      heads[s.at] = [...receive(heads[s.at]!, v)];
    } else if (seen[s.from]!.length > 0) {
      // Any version the sender holds, possibly again (duplicates), possibly never (losses).
      const v = seen[s.from]![s.pick % seen[s.from]!.length]!;
      seen[s.to]!.push(v);
      heads[s.to] = [...receive(heads[s.to]!, v)];
    }
  }
  return { heads, made, seen };
}

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('write' as const), at: fc.integer({ min: 0, max: 2 }), value: fc.string({ maxLength: 3 }) }),
  fc.record({ kind: fc.constant('deliver' as const), from: fc.integer({ min: 0, max: 2 }), to: fc.integer({ min: 0, max: 2 }), pick: fc.nat() }),
);

const key = (hs: Version<string>[]) => hs.map((h) => `${h.stamp}=${h.value}`).sort().join('|');

describe('per-field clocks (multi-value register under version vectors)', () => {
  it('converges: after full delivery in any order, with duplicates and losses before, every office holds the same heads and shows the same value', () => {
    fc.assert(fc.property(fc.array(step, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 40 }), (steps, order) => {
      const r = simulate(steps);
      // Full delivery: every version to every office, in a shuffled order.
      for (let to = 0; to < 3; to++) {
        const all = [...r.made];
        for (let i = 0; i < all.length; i++) {
          const j = (order[i % Math.max(order.length, 1)] ?? 0) % all.length;
          [all[i], all[j]] = [all[j]!, all[i]!];
        }
        for (const v of all) r.heads[to] = [...receive(r.heads[to]!, v)];
      }
      expect(key(r.heads[1]!)).toBe(key(r.heads[0]!));
      expect(key(r.heads[2]!)).toBe(key(r.heads[0]!));
      expect(shown(r.heads[1]!)?.stamp).toBe(shown(r.heads[0]!)?.stamp);
      // Nothing dropped: every write is a head or was seen by the writer of a version that dominates it.
      for (const v of r.made) {
        expect(r.heads[0]!.some((h) => dominatedBy(v.clock, h.clock))).toBe(true);
      }
      // The heads are exactly the writes no other write dominates.
      const maximal = r.made.filter((v) => !r.made.some((w) => w !== v && dominatedBy(v.clock, w.clock)));
      expect(key(r.heads[0]!)).toBe(key(maximal));
    }), { numRuns: 300 });
  });

  it('a write made after seeing a value replaces it; two writes neither saw are a conflict; a resolution ends it', () => {
    const a1: Version<string> = { value: '按期完成', stamp: stampOf(1, 0), clock: [stampOf(1, 0)] };
    let unit = receive([], a1);
    let disc = receive([], a1);
    // The discipline office saw a1 and changes it: a plain replacement at the unit.
    const d1: Version<string> = { value: '延期至年底', stamp: stampOf(2, 1), clock: nextClock(disc, stampOf(2, 1)) };
    disc = receive(disc, d1);
    expect(receive(unit, d1)).toEqual([d1]);
    // Meanwhile the unit, without d1, changes a1 too: concurrent with d1.
    const u2: Version<string> = { value: '已整改到位', stamp: stampOf(3, 0), clock: nextClock(unit, stampOf(3, 0)) };
    unit = receive(unit, u2);
    unit = receive(unit, d1);
    disc = receive(disc, u2);
    expect(inConflict(unit)).toBe(true);
    expect(unit.map((h) => h.value)).toEqual(disc.map((h) => h.value));
    expect(shown(unit)?.value).toBe('已整改到位');
    // A person resolves it at the discipline office: the resolution dominates both heads.
    const r: Version<string> = { value: '已整改到位（经核实）', stamp: stampOf(4, 1), clock: nextClock(disc, stampOf(4, 1)) };
    expect(receive(unit, r)).toEqual([r]);
    // An old version arriving again changes nothing (the same array comes back).
    const settled = receive(unit, r);
    expect(receive(settled, a1)).toBe(settled);
    expect(receive(settled, d1)).toBe(settled);
  });

  it('a missing intermediate change does not fake a conflict', () => {
    const v1: Version<string> = { value: 'a', stamp: stampOf(1, 0), clock: [stampOf(1, 0)] };
    const v2: Version<string> = { value: 'b', stamp: stampOf(2, 1), clock: join(v1.clock, [stampOf(2, 1)]) };
    const v3: Version<string> = { value: 'c', stamp: stampOf(3, 2), clock: join(v2.clock, [stampOf(3, 2)]) };
    // An office holding v1 receives v3 before v2 (v2's package was lost).
    expect(receive(receive([], v1), v3)).toEqual([v3]);
    expect(receive(receive(receive([], v1), v3), v2)).toEqual([v3]);
  });
});
