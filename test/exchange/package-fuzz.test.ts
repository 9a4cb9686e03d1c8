/**
 * Mutated packages (fast-check): bytes flipped, cut, inserted or deleted in the prefix, header,
 * signature or payload. Whatever the damage, verifyPackage and openPackage never crash and never
 * throw anything but a DomainError with a known reason; the import flow (verify, then open with
 * the verified header) never yields an entry from a package that failed verification, and no
 * mutation at all passes verification. A second property mutates the decrypted plaintext itself
 * (past age's authentication, as a sender could), so the entry parser meets hostile framing too.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutate, mutationIn } from '../helpers/package-mutations.js';
import { DomainError } from '../../db/domain/errors.js';
import { fingerprintOf, generateKeyPairs } from '../../db/exchange/identity.js';
import { decodeEntries, DEFAULT_LIMITS, encodeEntries } from '../../db/exchange/package/entries.js';
import { ALL_PACKAGE_REASONS, openPackage, verifyPackage, writePackage, type Entry, type ReadEntry } from '../../db/exchange/package/index.js';

const sender = generateKeyPairs();
const recipient = generateKeyPairs();
const senderId = '01900000-0000-7000-8000-000000000001';
const recipientId = '01900000-0000-7000-8000-000000000002';
const trusted = (officeId: string) => (officeId === senderId ? [sender.signPublic] : []);
const identities = [recipient.agreeSecret];

const blob = randomBytes(70_000); // two age chunks
const entries = (): Entry[] => [
  ...Array.from({ length: 12 }, (_, i): Entry => ({ type: 'json', value: { id: i, text: `记录${i}`, nested: [i, { deep: [i] }] } })),
  { type: 'blob', sha256: createHash('sha256').update(blob).digest('hex'), size: blob.length, data: blob },
  { type: 'json', value: 'last' },
  { type: 'blob', sha256: createHash('sha256').update('').digest('hex'), size: 0, data: Buffer.alloc(0) },
];

/** Every entry, blob data read in full (as an importer would). */
async function consume(it: AsyncIterable<ReadEntry>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const e of it) {
    if (e.type === 'json') out.push(e.value);
    else {
      const parts: Buffer[] = [];
      for await (const p of e.data) parts.push(p);
      out.push(Buffer.concat(parts).toString('base64'));
    }
  }
  return out;
}

/** null on success; the reason otherwise. Anything but a DomainError with a known reason fails the test. */
async function outcome<T>(p: Promise<T>): Promise<{ value: T; reason: null } | { value: null; reason: string }> {
  try {
    return { value: await p, reason: null };
  } catch (e) {
    if (!(e instanceof DomainError) || !ALL_PACKAGE_REASONS.has(e.reason ?? '')) throw new Error(`unexpected failure: ${String(e)}`, { cause: e });
    return { value: null, reason: e.reason! };
  }
}

let dir: string;
let original: Buffer;
let expected: unknown[];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xzpkg-fuzz-'));
  const path = join(dir, 'base.xzpkg');
  await writePackage({
    path,
    header: {
      packageId: 'fuzz-1', kind: 'changes', createdAt: '2026-12-06T08:00:00Z', scope: { full: true }, counts: { records: 13 },
      sender: { officeId: senderId, name: '发送单位', kind: 'inspection_office', level: 'city', fingerprint: fingerprintOf(senderId, sender.signPublic, sender.agreePublic) },
      recipients: [{ officeId: recipientId, name: '接收单位', fingerprint: fingerprintOf(recipientId, recipient.signPublic, recipient.agreePublic), seq: 1 }],
    },
    sign: { publicKey: sender.signPublic, secretKey: sender.signSecret },
    to: { x25519: [recipient.agreePublic] },
    entries: entries(),
  });
  original = readFileSync(path);
  expected = await consume(openPackage(path, { identities }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mutated packages', () => {
  it('500 mutations: only known DomainErrors, nothing yielded from an unverified package, none verifies', { timeout: 120_000 }, async () => {
    const hlen = original.readUInt32BE(7);
    const regions = [
      { name: 'prefix', start: 0, end: 11 }, { name: 'header', start: 11, end: 11 + hlen },
      { name: 'signature', start: 11 + hlen, end: 77 + hlen }, { name: 'payload', start: 77 + hlen, end: original.length },
    ];
    const path = join(dir, 'mutated.xzpkg');
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(mutationIn(regions), { minLength: 1, maxLength: 3 }), async (mutations) => {
        const bytes = mutations.reduce(mutate, original);
        writeFileSync(path, bytes);
        // The import flow: verify first; open only what verified, against the verified header.
        const verified = await outcome(verifyPackage(path, trusted));
        let yielded: unknown[] = [];
        if (verified.value !== null) {
          const opened = await outcome(consume(openPackage(path, { identities, verified: verified.value })));
          yielded = opened.value ?? [];
        }
        if (!bytes.equals(original)) {
          expect(verified.reason).not.toBeNull();
          expect(yielded).toEqual([]);
        } else {
          expect(yielded).toEqual(expected);
        }
        // Opening without verifying (what a careless caller might do) still fails cleanly.
        const unverified = await outcome(consume(openPackage(path, { identities })));
        for (const r of [verified.reason, unverified.reason]) if (r !== null) seen.set(r, (seen.get(r) ?? 0) + 1);
      }),
      { numRuns: 500 },
    );
    console.log(`reasons seen: ${[...seen].map(([r, n]) => `${r} ${n}`).join(', ')}`);
  });
});

describe('mutated plaintext (as a hostile sender could sign and encrypt it)', () => {
  let plaintext: Buffer;
  beforeAll(async () => {
    const parts: Uint8Array[] = [];
    for await (const p of encodeEntries(entries())) parts.push(p);
    plaintext = Buffer.concat(parts);
  });

  /** The plaintext in pieces of varying sizes, as age would hand them out (≤ 64 KiB). */
  async function* pieces(bytes: Buffer, sizes: number[]): AsyncGenerator<Uint8Array> {
    for (let at = 0, i = 0; at < bytes.length; i++) {
      const n = sizes[i % sizes.length]!;
      yield bytes.subarray(at, at + n);
      at += n;
    }
  }

  it('1000 mutations: the entry parser yields or refuses with a known reason, never crashes', { timeout: 60_000 }, async () => {
    const intact = await consume(decodeEntries(pieces(plaintext, [65_536]), DEFAULT_LIMITS));
    expect(intact).toEqual(expected);
    const limits = { ...DEFAULT_LIMITS, maxBlobBytes: 1_000_000, maxTotalBytes: 2_000_000 };
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.array(mutationIn([{ name: 'plaintext', start: 0, end: plaintext.length }]), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 65_536 }), { minLength: 1, maxLength: 5 }),
        async (mutations, sizes) => {
          const bytes = mutations.reduce(mutate, plaintext);
          const r = await outcome(consume(decodeEntries(pieces(bytes, sizes), limits)));
          seen.set(r.reason ?? 'yielded', (seen.get(r.reason ?? 'yielded') ?? 0) + 1);
        },
      ),
      { numRuns: 1000 },
    );
    console.log(`outcomes: ${[...seen].map(([r, n]) => `${r} ${n}`).join(', ')}`);
  });
});
