import { randomBytes } from 'node:crypto';

/** Source of record ids; injected so tests can use a deterministic one. */
export interface IdSource {
  next(): string;
}

function format(bytes: Buffer): string {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then a 12-bit counter (method 1 of §6.2) so ids
 * minted in the same millisecond still sort in creation order, then 62 random bits.
 * `now` and `random` are injectable for deterministic ids in tests and demo data.
 */
export function uuidv7Source(
  now: () => number = Date.now,
  random: (n: number) => Buffer = pooledRandom(),
): IdSource {
  let lastMs = -1;
  let counter = 0;
  return {
    next() {
      let ms = now();
      if (ms <= lastMs) {
        ms = lastMs;
        counter++;
        if (counter > 0xfff) {
          ms = lastMs + 1;
          counter = 0;
        }
      } else {
        counter = 0;
      }
      lastMs = ms;
      const b = Buffer.alloc(16);
      b.writeUIntBE(ms, 0, 6);
      b.writeUInt16BE(0x7000 | counter, 6);
      const r = random(8);
      r.copy(b, 8);
      b[8] = (b[8]! & 0x3f) | 0x80;
      return format(b);
    },
  };
}

/**
 * Random bytes from the OS CSPRNG, drawn from a 4 KiB pool (one system call per 512 ids instead
 * of one per id: a bulk import creates hundreds of thousands of records).
 */
export function pooledRandom(size = 4096): (n: number) => Buffer {
  let pool = Buffer.alloc(0);
  let at = 0;
  return (n: number) => {
    if (n > size) return randomBytes(n);
    if (at + n > pool.length) {
      pool = randomBytes(size);
      at = 0;
    }
    const out = Buffer.from(pool.subarray(at, at + n));
    at += n;
    return out;
  };
}

/** A seeded PRNG byte source (mulberry32) for deterministic ids in tests and generated data. */
export function seededRandom(seed: number): (n: number) => Buffer {
  let a = seed >>> 0;
  return (n: number) => {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
    }
    return out;
  };
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
