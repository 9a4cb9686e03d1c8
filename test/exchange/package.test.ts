/**
 * The package container (db/exchange/package): round trips to two recipients and to a
 * passphrase, a 300 MB blob in bounded memory, every kind of damage refused with its exact
 * reason, limits on hostile plaintext, and the writer's own refusals (never a file at the target
 * unless it is complete). Hand-built packages follow docs/exchange-format.md §4 byte for byte,
 * so they also check that the documented layout is the one implemented.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../db/domain/errors.js';
import { encryptBuffer, identityToRecipient } from '../../db/exchange/age/index.js';
import { bech32Encode } from '../../db/exchange/age/bech32.js';
import { nestsDeeperThan } from '../../db/exchange/package/json.js';
import { fingerprintOf, generateKeyPairs, signBytes, type KeyPairs } from '../../db/exchange/identity.js';
import {
  jsonFrame, ALL_PACKAGE_REASONS, openPackage, readAll, readHeader, verifyPackage, verifySignature, writePackage, type Entry, type PackageHeader, type PackageHeaderInput,
} from '../../db/exchange/package/index.js';

const MiB = 1024 * 1024;
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Lets the collector free what nothing references (V8 frees ArrayBuffers on a second pass). */
async function settle(): Promise<void> {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 10));
  gc();
}

interface Office {
  id: string;
  keys: KeyPairs;
  fingerprint: string;
}
const office = (n: number): Office => {
  const id = `01900000-0000-7000-8000-00000000000${n}`;
  const keys = generateKeyPairs();
  return { id, keys, fingerprint: fingerprintOf(id, keys.signPublic, keys.agreePublic) };
};
const A = office(1); // the sender
const B = office(2);
const C = office(3);
const D = office(4); // a trusted partner of B's, not the sender

const headerFrom = (sender: Office = A, to: Office[] = [B, C]): PackageHeaderInput => ({
  packageId: '01900000-0000-7000-8000-0000000000aa',
  kind: 'changes',
  sender: { officeId: sender.id, name: '某省巡视整改办', kind: 'inspected_unit', level: 'province', fingerprint: sender.fingerprint },
  recipients: to.map((o, i) => ({ officeId: o.id, name: `单位${i + 1}`, fingerprint: o.fingerprint, seq: 7 + i })),
  createdAt: '2026-12-06T08:00:00.000Z',
  scope: { since: { packageId: 'prev', seq: 6 }, clues: false },
  counts: { problems: { created: 3, changed: 2, deleted: 0 }, evidence: { files: 5, bytes: 123 } },
});

/** Ed25519 public keys B trusts, by office (what the partner list would give). */
const trustedByB = (officeId: string): Buffer[] =>
  officeId === A.id ? [A.keys.signPublic] : officeId === D.id ? [D.keys.signPublic] : [];

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const blobEntry = (data: Buffer): Entry => ({ type: 'blob', sha256: sha(data), size: data.length, data });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xzpkg-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const fresh = (name = 'p') => join(dir, `${name}-${++counter}.xzpkg`);

/** The DomainError a promise failed with; fails the test on success or on any other error. */
async function failure(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(() => null, (x: unknown) => x);
  if (!(e instanceof DomainError)) throw new Error(`expected a DomainError, got ${e === null ? 'success' : String(e)}`);
  expect(ALL_PACKAGE_REASONS.has(e.reason!)).toBe(true);
  return e;
}
const reasonOf = async (p: Promise<unknown>): Promise<string> => (await failure(p)).reason!;
const codeOf = async (p: Promise<unknown>): Promise<string> => p.then(() => 'ok', (e: DomainError) => e.code);

const send = (path: string, entries: AsyncIterable<Entry> | Entry[], o: { header?: PackageHeaderInput; signer?: Office; to?: Office[] } = {}) =>
  writePackage({
    path,
    header: o.header ?? headerFrom(),
    sign: { publicKey: (o.signer ?? A).keys.signPublic, secretKey: (o.signer ?? A).keys.signSecret },
    to: { x25519: (o.to ?? [B, C]).map((x) => x.keys.agreePublic) },
    entries,
  });

describe('round trip', () => {
  const records = Array.from({ length: 3000 }, (_, i) => ({
    id: `rec-${i}`, field: i % 3 === 0 ? '整改措施' : 'progress', value: i % 7 === 0 ? null : { text: `第${i}条 ✓`, n: i * 1.5, tags: ['a', 'b'] },
    clock: [[`office-${i % 3}`, i]],
  }));
  const blobs = [0, 1, 64 * 1024, 64 * 1024 + 1, 3 * MiB + 17].map((n) => randomBytes(n));
  const entries = (): Entry[] => {
    const out: Entry[] = [];
    records.forEach((value, i) => {
      out.push({ type: 'json', value });
      if (i % 600 === 0) out.push(blobEntry(blobs[i / 600]!));
    });
    return out;
  };
  const expected = () => entries().map((e) => (e.type !== 'blob' ? e : { type: 'blob', sha256: e.sha256, size: e.size, data: e.data }));
  let path: string;

  beforeAll(async () => {
    path = fresh();
    const written = await send(path, entries());
    const file = readFileSync(path);
    // The digest: SHA-256 of everything before the payload (whose own SHA-256 the header carries).
    const payloadLength = (await readHeader(path)).payload.length;
    expect(written).toEqual({ path, bytes: file.length, sha256: sha(file.subarray(0, file.length - payloadLength)) });
    expect((await verifySignature(path, trustedByB)).digest).toBe(written.sha256);
  });

  it('each of two recipients opens it and gets every entry, blobs byte for byte', async () => {
    for (const who of [B, C]) {
      const all = await readAll(path, [who.keys.agreeSecret]);
      expect(all.entries).toEqual(expected());
    }
    // Both of a recipient's keys may be offered (e.g. a retired one first).
    expect((await readAll(path, [D.keys.agreeSecret, C.keys.agreeSecret])).entries.length).toBe(3005);
  });

  it('readHeader needs no key and returns exactly what was written; verify returns the same', async () => {
    const h = await readHeader(path);
    const { payload, ...rest } = h;
    expect(rest).toEqual({ ...headerFrom(), format: 'xz-package', version: 2, encryption: 'x25519' });
    const file = readFileSync(path);
    expect(payload.sha256).toBe(sha(file.subarray(file.length - payload.length)));
    expect(await verifyPackage(path, trustedByB)).toEqual(h);
  });

  it('the file is laid out as documented: magic, version, header, signature, age payload', () => {
    const file = readFileSync(path);
    expect(file.subarray(0, 6).toString('latin1')).toBe('XZPKG\n');
    expect(file[6]).toBe(2);
    const hlen = file.readUInt32BE(7);
    const headerBytes = file.subarray(11, 11 + hlen);
    expect(JSON.parse(headerBytes.toString('utf8')).packageId).toBe(headerFrom().packageId);
    expect(file.readUInt16BE(11 + hlen)).toBe(64);
    const signature = file.subarray(13 + hlen, 77 + hlen);
    const message = Buffer.concat([Buffer.from('xz-package-v1\0', 'latin1'), Buffer.of(2), headerBytes]);
    expect(signBytes(A.keys.signPublic, A.keys.signSecret, message).equals(signature)).toBe(true); // Ed25519 is deterministic
    expect(file.subarray(77 + hlen, 77 + hlen + 22).toString('latin1')).toBe('age-encryption.org/v1\n');
  });

  it('leaves nothing but the package in the folder', () => {
    expect(readdirSync(dir).filter((f) => f.includes('.partial'))).toEqual([]);
  });

  it('passphrase mode (first contact): opens with the passphrase only; recipient keys may be unknown', async () => {
    const p = fresh('pw');
    const header = headerFrom();
    header.recipients = [{ officeId: null, name: '新联系单位', fingerprint: null, seq: 1 }];
    await writePackage({ path: p, header, sign: { publicKey: A.keys.signPublic, secretKey: A.keys.signSecret }, to: { passphrase: '口令 2026', workFactor: 10 }, entries: entries() });
    expect((await readHeader(p)).encryption).toBe('scrypt');
    expect((await readAll(p, { passphrase: '口令 2026' })).entries).toEqual(expected());
    expect(await reasonOf(readAll(p, { passphrase: 'wrong' }))).toBe('package_recipient');
    expect(await reasonOf(readAll(p, [B.keys.agreeSecret]))).toBe('package_recipient');
  });

  it('blob data may come as an async iterable of odd-sized pieces, and be left unread by the consumer', async () => {
    const big = randomBytes(MiB + 3);
    const pieces = async function* () {
      for (let at = 0, i = 0; at < big.length; i++) {
        const n = [1, 7, 65_536, 100_000, 3][i % 5]!;
        yield big.subarray(at, at + n);
        at += n;
      }
    };
    const p = fresh();
    await send(p, [{ type: 'json', value: 1 }, { type: 'blob', sha256: sha(big), size: big.length, data: pieces() }, { type: 'json', value: 2 }]);
    const seen: unknown[] = [];
    for await (const e of openPackage(p, { identities: [B.keys.agreeSecret] })) seen.push(e.type === 'json' ? e.value : e.size);
    expect(seen).toEqual([1, big.length, 2]);
  });

  it('a blob can be read once, and only before the next entry', async () => {
    const p = fresh();
    await send(p, [blobEntry(randomBytes(10)), { type: 'json', value: 'next' }]);
    let kept: AsyncIterable<Buffer> | undefined;
    const reasons: string[] = [];
    for await (const e of openPackage(p, { identities: [B.keys.agreeSecret] })) {
      if (e.type !== 'blob') continue;
      kept = e.data;
      for await (const _ of e.data);
      try {
        e.data[Symbol.asyncIterator]();
      } catch (err) {
        reasons.push((err as DomainError).reason!);
      }
    }
    reasons.push(await reasonOf((async () => { for await (const _ of kept!); })()));
    expect(reasons).toEqual(['package_input', 'package_input']);
  });
});

describe('a 300 MB blob streams through in bounded memory', () => {
  it('writes, verifies and reads back with live buffers a few MiB above baseline', { timeout: 300_000 }, async () => {
    const total = 300 * MiB;
    const block = randomBytes(MiB);
    // Pieces cut from one block in varying sizes: nothing of the blob is held but the block.
    function* generated(): Generator<Buffer> {
      const sizes = [65_536, 1_000_000, 7, 131_072, 300_000];
      for (let sent = 0, i = 0; sent < total; i++) {
        const n = Math.min(sizes[i % sizes.length]!, total - sent);
        const at = (sent * 13) % (block.length - n + 1);
        yield block.subarray(at, at + n);
        sent += n;
      }
    }
    const h = createHash('sha256');
    for (const p of generated()) h.update(p);
    const digest = h.digest('hex');
    const p = fresh('big');

    let peak = 0;
    let sampled = 0;
    await settle();
    const base = process.memoryUsage();
    const sample = async (at: number) => {
      if (at < sampled) return;
      sampled = at + 32 * MiB;
      await settle();
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - base.arrayBuffers);
    };
    async function* measured() {
      let sent = 0;
      for (const piece of generated()) {
        await sample(sent);
        sent += piece.length;
        yield piece;
      }
    }
    const t0 = performance.now();
    await send(p, [{ type: 'json', value: { evidence: 'big' } }, { type: 'blob', sha256: digest, size: total, data: measured() }, { type: 'json', value: 'end' }], { to: [B] });
    const t1 = performance.now();
    await verifyPackage(p, trustedByB);
    const t2 = performance.now();
    const out = createHash('sha256');
    let received = 0;
    for await (const e of openPackage(p, { identities: [B.keys.agreeSecret] })) {
      if (e.type !== 'blob') continue;
      for await (const piece of e.data) {
        out.update(piece);
        received += piece.length;
        await sample(total + received);
      }
    }
    const t3 = performance.now();
    const rss = process.memoryUsage().rss - base.rss;
    const rate = (ms: number) => `${(total / MiB / (ms / 1000)).toFixed(0)} MB/s`;
    console.log(
      `300 MiB blob: write ${rate(t1 - t0)} (encrypt, fsync), verify ${rate(t2 - t1)}, open ${rate(t3 - t2)}; ` +
        `peak live ArrayBuffers +${(peak / MiB).toFixed(1)} MiB, rss ${rss >= 0 ? '+' : ''}${(rss / MiB).toFixed(1)} MiB; file ${statSync(p).size} bytes`,
    );
    expect(received).toBe(total);
    expect(out.digest('hex')).toBe(digest);
    expect(peak).toBeLessThan(16 * MiB);
    expect(rss).toBeLessThan(64 * MiB);
    rmSync(p);
  });
});

// -------------------------------------------------------------------------------------------------
// Damage

/** A package built by hand from raw plaintext, following the documented layout. */
async function handBuilt(plaintext: Buffer, o: { version?: number; signer?: Office; header?: Partial<PackageHeader> } = {}): Promise<string> {
  const payload = await encryptBuffer(plaintext, [identityToRecipient(bech32Encode('AGE-SECRET-KEY-', B.keys.agreeSecret))]);
  const header = { ...headerFrom(), format: 'xz-package', version: 1, encryption: 'x25519', payload: { length: payload.length, sha256: sha(payload) }, ...o.header };
  const headerBytes = Buffer.from(JSON.stringify(header));
  const version = o.version ?? 1;
  const signer = o.signer ?? A;
  const signature = signBytes(signer.keys.signPublic, signer.keys.signSecret, Buffer.concat([Buffer.from('xz-package-v1\0', 'latin1'), Buffer.of(version), headerBytes]));
  const u32 = Buffer.alloc(4);
  u32.writeUInt32BE(headerBytes.length);
  const path = fresh('hand');
  writeFileSync(path, Buffer.concat([Buffer.from('XZPKG\n'), Buffer.of(version), u32, headerBytes, Buffer.of(0, 64), signature, payload]));
  return path;
}

const json = (value: unknown) => {
  const body = Buffer.from(JSON.stringify(value));
  return rawJson(body);
};
const rawJson = (body: Buffer, declared = body.length) => {
  const head = Buffer.alloc(5);
  head[0] = 1;
  head.writeUInt32BE(declared, 1);
  return Buffer.concat([head, body]);
};
const blobFrame = (hash: string, size: number, data: Buffer) => {
  const head = Buffer.alloc(41);
  head[0] = 2;
  head.write(hash, 1, 'hex');
  head.writeUInt32BE(Math.floor(size / 2 ** 32), 33);
  head.writeUInt32BE(size >>> 0, 37);
  return Buffer.concat([head, data]);
};
const END = Buffer.of(0);

describe('damage is refused with its exact reason', () => {
  let original: Buffer;
  let hlen: number;
  const payloadAt = () => 77 + hlen;
  const variant = (bytes: Buffer) => {
    const p = fresh('bad');
    writeFileSync(p, bytes);
    return p;
  };
  const flipped = (at: number, mask = 0x01) => {
    const copy = Buffer.from(original);
    copy[at]! ^= mask;
    return variant(copy);
  };
  const replaced = (at: number, byte: number) => {
    const copy = Buffer.from(original);
    copy[at] = byte;
    return variant(copy);
  };
  const open = (p: string, key = B.keys.agreeSecret) => readAll(p, [key]);

  beforeAll(async () => {
    const p = fresh();
    await send(p, [{ type: 'json', value: 'a' }, { type: 'json', value: 'b' }, { type: 'json', value: 'c' }, blobEntry(randomBytes(200_000))]);
    original = readFileSync(p);
    hlen = original.readUInt32BE(7);
  });

  it('intact: verifies and opens', async () => {
    const p = variant(original);
    await verifyPackage(p, trustedByB);
    expect((await open(p)).entries.length).toBe(4);
  });

  it('a flipped byte in the magic: not a package', async () => {
    for (const at of [0, 5]) {
      const p = flipped(at);
      expect(await reasonOf(readHeader(p))).toBe('package_magic');
      expect(await reasonOf(verifyPackage(p, trustedByB))).toBe('package_magic');
      expect(await reasonOf(open(p))).toBe('package_magic');
    }
  });

  it('another version byte: made by a newer version of the software', async () => {
    const p = flipped(6, 0x01); // 2 → 3
    expect(await reasonOf(readHeader(p))).toBe('package_version');
    const e = await failure(readHeader(p));
    expect(e.message).toMatch(/版本为 3.*只能读取版本 1、2.*更新版本的软件/);
    expect(await codeOf(verifyPackage(p, trustedByB))).toBe('VALIDATION');
    expect(await reasonOf(readHeader(flipped(6, 0x02)))).toBe('package_version'); // 2 → 0
    // A future writer signs its own version byte: still refused by version, not by signature.
    expect(await reasonOf(verifyPackage(await handBuilt(json('x'), { version: 3, header: { version: 3 as never } }), trustedByB))).toBe('package_version');
  });

  it('a version 1 package (written before files could come between records) still reads', async () => {
    const p = await handBuilt(Buffer.concat([json({ a: 1 }), END]));
    expect(readFileSync(p)[6]).toBe(1);
    const h = await verifyPackage(p, trustedByB);
    expect(h.version).toBe(1);
    const { entries } = await readAll(p, [B.keys.agreeSecret], { verified: h });
    expect(entries).toEqual([{ type: 'json', value: { a: 1 } }]);
  });

  it('a header whose version is not the version byte is refused, signed or not', async () => {
    const p = await handBuilt(json('x'), { version: 2 }); // byte 2, header 1, both signed
    expect(await reasonOf(readHeader(p))).toBe('package_header');
    expect(await reasonOf(verifyPackage(p, trustedByB))).toBe('package_header');
  });

  it('a changed value in the header that is still valid JSON: reads, but the signature fails', async () => {
    const text = original.toString('latin1');
    const at = text.indexOf('"seq":7');
    const copy = Buffer.from(original);
    copy.write('"seq":9', at, 'latin1');
    const p = variant(copy);
    expect((await readHeader(p)).recipients[0]!.seq).toBe(9);
    expect(await reasonOf(verifyPackage(p, trustedByB))).toBe('package_signature');
    // Open after verify, with the verified header: a header changed since is refused.
    const good = variant(original);
    const verified = await verifyPackage(good, trustedByB);
    expect(await reasonOf(readAll(p, [B.keys.agreeSecret], { verified }))).toBe('package_signature');
  });

  it('a header that is not JSON, or breaks the schema, or has an absurd length: package_header', async () => {
    expect(await reasonOf(readHeader(flipped(11, 0x40)))).toBe('package_header'); // '{' → ';'
    const long = Buffer.from(original);
    long.writeUInt32BE(64 * 1024 + 1, 7);
    expect(await reasonOf(readHeader(variant(long)))).toBe('package_header');
    const missing = await handBuilt(json(1), { header: { kind: 'gift' as never } });
    expect(await reasonOf(readHeader(missing))).toBe('package_header');
  });

  it('a flipped byte in the signature, or a wrong signature length: package_signature', async () => {
    expect(await reasonOf(verifyPackage(flipped(13 + hlen + 10), trustedByB))).toBe('package_signature');
    expect(await reasonOf(readHeader(flipped(11 + hlen + 1)))).toBe('package_signature');
  });

  it('a flipped payload byte: the payload hash fails at verify; age fails at open without verify', async () => {
    // Open without verify: each stage of age notices where the damage is; damage in the final
    // chunk is seen first by the payload hash, checked when age asks whether more bytes follow.
    const cases: [number, string][] = [
      [payloadAt() + 5, 'age_header'], // the version line
      [payloadAt() + 200, 'age_header_mac'], // C's stanza: B still unwraps its own, the MAC fails
      [payloadAt() + 100_000, 'age_payload'], // a middle chunk
      [original.length - 1, 'package_payload_hash'], // the final chunk's tag
    ];
    for (const [at, atOpen] of cases) {
      // A character of the stanza's base64 changed to another base64 character (a flipped bit
      // could leave the alphabet: a header format error instead).
      const p = at === payloadAt() + 200 ? replaced(at, original[at] === 0x41 ? 0x42 : 0x41) : flipped(at);
      expect(await reasonOf(verifyPackage(p, trustedByB))).toBe('package_payload_hash');
      expect([at, await reasonOf(open(p))]).toEqual([at, atOpen]);
    }
  });

  it('cut anywhere: truncated, for readHeader, verify and open alike', async () => {
    const cuts = [0, 3, 6, 7, 10, 11, 12, 100, 11 + hlen - 1, 11 + hlen, 11 + hlen + 1, 13 + hlen, 13 + hlen + 63, payloadAt(), payloadAt() + 1, payloadAt() + 65_552, original.length - 1];
    for (const cut of cuts) {
      const p = variant(original.subarray(0, cut));
      expect([cut, await reasonOf(readHeader(p))]).toEqual([cut, 'package_truncated']);
      expect(await reasonOf(verifyPackage(p, trustedByB))).toBe('package_truncated');
      expect(await reasonOf(open(p))).toBe('package_truncated');
    }
  });

  it('bytes after the payload: trailing data', async () => {
    for (const extra of [Buffer.of(0), randomBytes(1000)]) {
      const p = variant(Buffer.concat([original, extra]));
      expect(await reasonOf(verifyPackage(p, trustedByB))).toBe('package_trailing_data');
      expect(await reasonOf(open(p))).toBe('package_trailing_data');
    }
  });

  it('signed by an office we do not know: unknown sender (FORBIDDEN)', async () => {
    const p = variant(original);
    expect(await reasonOf(verifyPackage(p, () => []))).toBe('package_unknown_sender');
    expect(await codeOf(verifyPackage(p, () => []))).toBe('FORBIDDEN');
    expect(await reasonOf(verifyPackage(p, async () => [D.keys.signPublic]))).toBe('package_signature');
  });

  it("a valid signature by another trusted office's key over a header claiming the sender: package_signature", async () => {
    const p = fresh();
    await send(p, [{ type: 'json', value: 'forged' }], { signer: D }); // header says A, D signs
    expect((await readHeader(p)).sender.officeId).toBe(A.id);
    expect(await reasonOf(verifyPackage(p, trustedByB))).toBe('package_signature');
    // And a trust callback that gives a garbage key verifies nothing, without crashing.
    expect(await reasonOf(verifyPackage(p, () => [Buffer.alloc(32, 0xff), Buffer.alloc(3)]))).toBe('package_signature');
  });

  it('opened by an office it was not encrypted to: package_recipient (FORBIDDEN)', async () => {
    const p = variant(original);
    expect(await reasonOf(open(p, D.keys.agreeSecret))).toBe('package_recipient');
    expect(await codeOf(open(p, D.keys.agreeSecret))).toBe('FORBIDDEN');
  });

  it('a blob whose bytes do not match its SHA-256: verifies (the sender signed it) but opening refuses it', async () => {
    const data = randomBytes(70_000);
    const wrong = sha(Buffer.from('something else'));
    const p = await handBuilt(Buffer.concat([json('a'), blobFrame(wrong, data.length, data), json('b'), END]));
    await verifyPackage(p, trustedByB);
    expect(await reasonOf(open(p))).toBe('package_blob_hash');
    // Skipping the blob's data does not skip its check.
    expect(await reasonOf((async () => { for await (const _ of openPackage(p, { identities: [B.keys.agreeSecret] })); })())).toBe('package_blob_hash');
    // The consumer reading the data gets the error at its end, with the last piece withheld.
    let got = 0;
    const r = await reasonOf((async () => {
      for await (const e of openPackage(p, { identities: [B.keys.agreeSecret] })) if (e.type === 'blob') for await (const piece of e.data) got += piece.length;
    })());
    expect(r).toBe('package_blob_hash');
    expect(got).toBeLessThan(data.length);
  });

  it('a JSON bomb (100 000 nested arrays) is refused by the depth limit, without parsing it', async () => {
    const bomb = Buffer.from('['.repeat(100_000) + ']'.repeat(100_000));
    const p = await handBuilt(Buffer.concat([json('ok'), rawJson(bomb), END]));
    const e = await failure(open(p));
    expect([e.reason, e.code]).toEqual(['package_limits', 'CORRUPT']);
    expect(e.message).toContain('嵌套层数不超过32 层');
    // 32 levels are fine; strings full of brackets do not count.
    const ok = await handBuilt(Buffer.concat([rawJson(Buffer.from('['.repeat(32) + '"[[[{{{"' + ']'.repeat(32))), END]));
    expect((await open(ok)).entries.length).toBe(1);
  });

  it('the depth is measured on the bytes: many brackets side by side are shallow, one past the limit is not', () => {
    const at = (s: string) => [nestsDeeperThan(Buffer.from(s), 32), nestsDeeperThan(new Uint8Array(Buffer.from(s)), 32)];
    const wide = JSON.stringify({ rows: Array.from({ length: 200 }, (_, i) => ({ i, tags: [i] })) });
    expect(at(wide)).toEqual([false, false]);
    expect(at('['.repeat(32) + ']'.repeat(32))).toEqual([false, false]);
    expect(at('['.repeat(33) + ']'.repeat(33))).toEqual([true, true]);
    expect(at('{"a":'.repeat(33) + '1' + '}'.repeat(33))).toEqual([true, true]);
    // Brackets in strings (escaped quotes too) are text, however many.
    expect(at(JSON.stringify({ s: '[{'.repeat(100) + '\\"[' }))).toEqual([false, false]);
    expect(at(`[${'"\\"[",'.repeat(40)}1]`)).toEqual([false, false]);
  });

  it('an oversized JSON entry is refused from its length prefix, before its bytes are read', async () => {
    const big = Buffer.from(JSON.stringify('x'.repeat(MiB)));
    expect(await reasonOf(open(await handBuilt(Buffer.concat([rawJson(big), END]))))).toBe('package_limits');
    expect(await reasonOf(open(await handBuilt(Buffer.concat([rawJson(Buffer.alloc(0), 0xffffffff), END]))))).toBe('package_limits');
    const b = Buffer.alloc(41);
    b[0] = 2;
    b.writeUInt32BE(0xffffffff, 33); // a blob of ~2^64 bytes
    expect(await reasonOf(open(await handBuilt(Buffer.concat([b, END]))))).toBe('package_limits');
  });

  it('bad framing: unknown type, no end marker, data after it, bad UTF-8 or JSON, empty entry', async () => {
    const cases: [Buffer, string][] = [
      [Buffer.concat([json(1), Buffer.of(7)]), 'package_entry'],
      [json(1), 'package_truncated'],
      [Buffer.alloc(0), 'package_truncated'],
      [Buffer.concat([json(1), Buffer.of(1, 0, 0)]), 'package_truncated'],
      [Buffer.concat([json(1), END, Buffer.of(0)]), 'package_entry'],
      [Buffer.concat([rawJson(Buffer.from([0x22, 0xff, 0x22])), END]), 'package_entry'],
      [Buffer.concat([rawJson(Buffer.from('{"a":')), END]), 'package_entry'],
      [Buffer.concat([rawJson(Buffer.alloc(0)), END]), 'package_entry'],
      [Buffer.concat([blobFrame(sha(Buffer.alloc(5)), 5, Buffer.alloc(3))]), 'package_truncated'],
    ];
    for (const [plaintext, reason] of cases) {
      const p = await handBuilt(plaintext);
      await verifyPackage(p, trustedByB);
      expect([plaintext.toString('hex').slice(0, 40), await reasonOf(open(p))]).toEqual([plaintext.toString('hex').slice(0, 40), reason]);
    }
  });

  it('limits given by the caller: entries, entry size, blob size, total plaintext', async () => {
    const p = fresh();
    await send(p, [...Array.from({ length: 20 }, (_, i): Entry => ({ type: 'json', value: { i, pad: 'x'.repeat(100), nested: [i] } })), blobEntry(randomBytes(300_000))]);
    const id = [B.keys.agreeSecret];
    for (const limits of [{ maxEntries: 10 }, { maxJsonBytes: 50 }, { maxJsonDepth: 1 }, { maxBlobBytes: 299_999 }, { maxTotalBytes: 200_000 }]) {
      expect([limits, await reasonOf(readAll(p, id, { limits }))]).toEqual([limits, 'package_limits']);
    }
    expect((await readAll(p, id, { limits: { maxEntries: 21, maxBlobBytes: 300_000 } })).entries.length).toBe(21);
    expect(await reasonOf(readAll(p, id, { limits: { maxEntries: 0 } }))).toBe('package_input');
  });

  it('the file replaced between verify and open (another valid package by the same sender): refused', async () => {
    const p = fresh();
    await send(p, [{ type: 'json', value: 'first' }]);
    const verified = await verifyPackage(p, trustedByB);
    await send(p, [{ type: 'json', value: 'second' }]);
    expect(await reasonOf(readAll(p, [B.keys.agreeSecret], { verified }))).toBe('package_signature');
  });

  it('the payload swapped for another valid age file of the same length: refused at the end of open', async () => {
    const [p1, p2] = [fresh(), fresh()];
    const pad: Entry = { type: 'json', value: 'x'.repeat(100_000) }; // so the first entry is in a non-final chunk
    await send(p1, [{ type: 'json', value: 'mine' }, pad]);
    await send(p2, [{ type: 'json', value: 'evil' }, pad]);
    const [f1, f2] = [readFileSync(p1), readFileSync(p2)];
    const at = 77 + f1.readUInt32BE(7);
    const spliced = variant(Buffer.concat([f1.subarray(0, at), f2.subarray(77 + f2.readUInt32BE(7))]));
    expect(statSync(spliced).size).toBe(f1.length);
    expect(await reasonOf(verifyPackage(spliced, trustedByB))).toBe('package_payload_hash');
    // Without verify, age decrypts the other file and its entry comes out, but the iteration
    // ends in the hash failure: nothing yielded counts unless the iteration completes.
    const yielded: unknown[] = [];
    const r = await reasonOf((async () => {
      for await (const e of openPackage(spliced, { identities: [B.keys.agreeSecret], verified: await readHeader(p1) })) if (e.type === 'json') yielded.push(e.value);
    })());
    expect([r, yielded.slice(0, 1)]).toEqual(['package_payload_hash', ['evil']]);
  });

  it('a missing file: package_io (UNAVAILABLE)', async () => {
    expect(await reasonOf(readHeader(join(dir, 'nope.xzpkg')))).toBe('package_io');
    expect(await codeOf(verifyPackage(join(dir, 'nope.xzpkg'), trustedByB))).toBe('UNAVAILABLE');
  });
});

describe('the writer refuses bad input and never leaves a partial file', () => {
  const ok: Entry[] = [{ type: 'json', value: 1 }];
  const leftovers = () => readdirSync(dir).filter((f) => f.endsWith('.partial'));

  it('a blob whose bytes do not match its declared SHA-256 or size: aborted, target untouched', async () => {
    const p = fresh();
    await send(p, ok);
    const before = readFileSync(p);
    const data = randomBytes(200_000);
    for (const bad of [
      { type: 'blob', sha256: sha(Buffer.from('other')), size: data.length, data },
      { type: 'blob', sha256: sha(data), size: data.length + 1, data },
      { type: 'blob', sha256: sha(data), size: data.length - 1, data },
    ] as Entry[]) {
      expect(await reasonOf(send(p, [...ok, bad]))).toBe('package_blob_hash');
      expect(readFileSync(p).equals(before)).toBe(true);
      expect(leftovers()).toEqual([]);
    }
  });

  it('bad header, keys, recipients or entries: package_input (VALIDATION), no file', async () => {
    const p = fresh();
    const badHeaders: PackageHeaderInput[] = [
      { ...headerFrom(), packageId: '' },
      { ...headerFrom(), sender: { ...headerFrom().sender, fingerprint: 'not-a-fingerprint' } },
      { ...headerFrom(), recipients: [] },
      { ...headerFrom(), recipients: [headerFrom().recipients[0]!, headerFrom().recipients[0]!] },
      { ...headerFrom(), createdAt: 'yesterday' },
      { ...headerFrom(), scope: { big: 'x'.repeat(20_000) } },
      { ...headerFrom(), counts: [] as never },
    ];
    for (const header of badHeaders) expect(await reasonOf(send(p, ok, { header }))).toBe('package_input');
    const wrongSecret = writePackage({ path: p, header: headerFrom(), sign: { publicKey: A.keys.signPublic, secretKey: B.keys.signSecret }, to: { x25519: [B.keys.agreePublic] }, entries: ok });
    expect(await reasonOf(wrongSecret)).toBe('package_input');
    expect(await reasonOf(writePackage({ path: p, header: headerFrom(), sign: { publicKey: A.keys.signPublic, secretKey: A.keys.signSecret }, to: { x25519: [] }, entries: ok }))).toBe('package_input');
    expect(await codeOf(send(p, [{ type: 'json', value: undefined }]))).toBe('VALIDATION');
    const deep: unknown[] = [];
    let cur = deep;
    for (let i = 0; i < 40; i++) cur.push((cur = []));
    expect(await reasonOf(send(p, [{ type: 'json', value: deep }]))).toBe('package_input');
    expect(await reasonOf(send(p, [{ type: 'json', value: 10n }]))).toBe('package_input');
    expect(await reasonOf(send(p, [{ type: 'blob', sha256: 'ABC', size: 1, data: Buffer.of(1) }]))).toBe('package_input');
    expect(await reasonOf(send(p, [{ type: 'nope' } as never]))).toBe('package_input');
    expect(existsSync(p)).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('records framed beforehand (a worker thread) read back as the records; frames that are not what they say are package_input', async () => {
    const p = fresh();
    const frames = Buffer.concat([jsonFrame({ t: 'record', n: 1 }), jsonFrame('整改措施'), jsonFrame([1, 2])]);
    await send(p, [{ type: 'json', value: 0 }, { type: 'frames', frames, count: 3 }, { type: 'json', value: 4 }], { to: [B] });
    expect((await readAll(p, [B.keys.agreeSecret])).entries).toEqual([0, { t: 'record', n: 1 }, '整改措施', [1, 2], 4].map((value) => ({ type: 'json', value })));
    const q = fresh();
    const blobFrame = Buffer.concat([Buffer.of(2), frames.subarray(1)]);
    const cut = frames.subarray(0, frames.length - 1);
    const tooLong = Buffer.from(jsonFrame('x'));
    tooLong.writeUInt32BE(2 * 1024 * 1024, 1);
    for (const e of [{ frames, count: 2 }, { frames, count: 4 }, { frames: blobFrame, count: 3 }, { frames: cut, count: 3 }, { frames: tooLong, count: 1 }, { frames: Buffer.alloc(0), count: 0 }]) {
      expect(await reasonOf(send(q, [{ type: 'frames', ...e }]))).toBe('package_input');
    }
    expect(existsSync(q)).toBe(false);
  });

  it("an error from the caller's own entry source aborts the write and keeps its cause", async () => {
    const p = fresh();
    async function* failing(): AsyncGenerator<Entry> {
      yield { type: 'json', value: 1 };
      throw new RangeError('disk read failed in the exporter');
    }
    const e = await failure(send(p, failing()));
    expect((e.cause as Error).message).toBe('disk read failed in the exporter');
    expect(existsSync(p)).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('a folder that does not exist: package_io', async () => {
    expect(await reasonOf(send(join(dir, 'missing', 'x.xzpkg'), ok))).toBe('package_io');
  });
});
