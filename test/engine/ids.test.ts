/** Record ids: UUIDv7 (time-ordered, version and variant bits set) with random bits from a pooled CSPRNG. */
import { describe, expect, it } from 'vitest';
import { pooledRandom, uuidv7Source } from '../../db/core/ids.js';

describe('record ids', () => {
  it('draws random bytes from a pool without ever handing out the same bytes twice', () => {
    const draw = pooledRandom(64);
    const seen = new Set<string>();
    const parts: Buffer[] = [];
    for (let k = 0; k < 200; k++) {
      const b = draw(8);
      expect(b.length).toBe(8);
      parts.push(b);
      seen.add(b.toString('hex'));
    }
    expect(seen.size).toBe(200); // 8 refills of a 64-byte pool, every slice distinct
    // Slices are copies: changing one leaves the next draws and earlier ones alone.
    const first = Buffer.from(parts[0]!);
    parts[1]!.fill(0);
    expect(parts[0]).toEqual(first);
    expect(draw(100).length).toBe(100); // larger than the pool: drawn directly
  });

  it('makes 100,000 distinct, time-ordered UUIDv7s within one millisecond', () => {
    const ids = uuidv7Source(() => 1_717_200_000_000);
    const made = Array.from({ length: 100_000 }, () => ids.next());
    expect(new Set(made).size).toBe(made.length);
    expect([...made].sort()).toEqual(made);
    for (const id of made.slice(0, 50)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
