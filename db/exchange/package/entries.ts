/**
 * The plaintext inside the age payload: a stream of entries (docs/exchange-format.md §4.4).
 *
 *   0x01 JSON record:  u32 BE length (1 … 1 MiB) | UTF-8 JSON
 *   0x02 file blob:    32-byte SHA-256 | u64 BE length | the bytes
 *   0x00 end:          required, and nothing may follow it
 *
 * Blobs stream through in both directions (never whole in memory); the writer checks each
 * blob's bytes against its declared SHA-256 and size, the reader checks them again.
 */
import { createHash, type Hash } from 'node:crypto';
import { badInput, fail, overLimit, PackageError, toPackageError } from './errors.js';
import { decodeUtf8, nestsDeeperThan, parseJson } from './json.js';

export const ENTRY_END = 0x00;
export const ENTRY_JSON = 0x01;
export const ENTRY_BLOB = 0x02;

/** What the writer takes. `data` is read once, in order. */
export type Entry =
  | { type: 'json'; value: unknown }
  /**
   * `count` JSON records already framed by jsonFrame, one after the other (e.g. in a worker
   * thread): the frames' types and lengths are checked against the limits, not re-encoded.
   */
  | { type: 'frames'; frames: Uint8Array; count: number }
  | {
    type: 'blob'; sha256: string; size: number; data: AsyncIterable<Uint8Array> | Iterable<Uint8Array> | Uint8Array;
    /**
     * The bytes come from a store that keys them by this SHA-256 and checked them when it took
     * them in (the ledger's evidence_blobs, whose pages the ledger's encryption authenticates):
     * only the size is checked again here, not the hash (every reader still checks it).
     */
    stored?: boolean;
  };

/**
 * What the reader yields. A blob's `data` can be iterated once, and only before asking for the
 * next entry; it throws package_blob_hash at its end if the bytes do not match (the last piece
 * is withheld then). Data not read is skipped, and still verified, when the next entry is asked
 * for. Nothing read is valid until the whole iteration of openPackage finished without throwing.
 */
export type ReadEntry =
  /** `bytes`: the entry's UTF-8 JSON as it was in the plaintext (valid until the next entry is asked for). */
  | { type: 'json'; value: unknown; bytes: Buffer }
  | { type: 'blob'; sha256: string; size: number; data: AsyncIterable<Buffer> };

export interface Limits {
  /** JSON records and blobs together. */
  maxEntries: number;
  /** One JSON record, in bytes. */
  maxJsonBytes: number;
  /** Nesting of one JSON record (arrays and objects). */
  maxJsonDepth: number;
  /** One blob, in bytes. */
  maxBlobBytes: number;
  /** All the plaintext, in bytes. */
  maxTotalBytes: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

export const DEFAULT_LIMITS: Readonly<Limits> = {
  maxEntries: 2_000_000,
  maxJsonBytes: MiB,
  maxJsonDepth: 32,
  maxBlobBytes: 2 * GiB,
  maxTotalBytes: 64 * GiB,
};

/** Defaults overridden by the caller's positive integers (a typo must not switch a limit off). */
export function resolveLimits(partial: Partial<Limits> = {}): Limits {
  const out = { ...DEFAULT_LIMITS };
  for (const [k, value] of Object.entries(partial)) {
    if (!(k in DEFAULT_LIMITS)) throw badInput('limits', `未知的限制项 ${k}。`);
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) throw badInput('limits', `限制项 ${k} 应为正整数。`);
    out[k as keyof Limits] = value;
  }
  if (out.maxJsonBytes > 0xffffffff) throw badInput('limits', '单条记录的限制不能超过 4 GiB。');
  return out;
}

export function formatBytes(n: number): string {
  if (n >= GiB && n % GiB === 0) return `${n / GiB} GiB`;
  if (n >= MiB && n % MiB === 0) return `${n / MiB} MiB`;
  if (n >= KiB && n % KiB === 0) return `${n / KiB} KiB`;
  return `${n} 字节`;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Pieces below this are copied into the batch; larger ones pass through as they are. */
const SMALL_PIECE = 16 * KiB;
const BATCH_BYTES = 64 * KiB;

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * Frames `entries` into plaintext pieces for age. Small pieces (most JSON records) are gathered
 * into 64 KiB batches so two million records do not cost two million trips through the cipher's
 * async iteration. Everything the default reader would refuse is refused here first, so a
 * package we write is one we can read.
 */
export async function* encodeEntries(entries: AsyncIterable<Entry> | Iterable<Entry>, limits: Limits = DEFAULT_LIMITS): AsyncGenerator<Uint8Array> {
  let batch = Buffer.allocUnsafe(BATCH_BYTES);
  let fill = 0;
  let total = 0;
  let count = 0;
  const flush = (): Buffer | null => {
    if (fill === 0) return null;
    const out = batch.subarray(0, fill);
    batch = Buffer.allocUnsafe(BATCH_BYTES);
    fill = 0;
    return out;
  };
  // Copies small pieces into the batch; returns what must be yielded first, in order.
  function* put(piece: Uint8Array): Generator<Uint8Array> {
    total += piece.length;
    if (total > limits.maxTotalBytes) throw badInput('entries', `交换包总大小不能超过 ${formatBytes(limits.maxTotalBytes)}。`);
    if (piece.length >= SMALL_PIECE) {
      const out = flush();
      if (out) yield out;
      yield piece;
      return;
    }
    if (fill + piece.length > BATCH_BYTES) {
      const out = flush();
      if (out) yield out;
    }
    batch.set(piece, fill);
    fill += piece.length;
  }

  for await (const entry of entries) {
    count += entry?.type === 'frames' ? checkFrames(entry, limits) : 1;
    if (count > limits.maxEntries) throw badInput('entries', `条目数不能超过 ${limits.maxEntries} 条。`);
    if (entry?.type === 'json') yield* put(jsonFrame(entry.value, limits));
    else if (entry?.type === 'frames') yield* put(entry.frames);
    else if (entry?.type === 'blob') {
      const size = checkBlob(entry, limits);
      const head = Buffer.alloc(1 + 32 + 8);
      head[0] = ENTRY_BLOB;
      head.write(entry.sha256, 1, 'hex');
      head.writeUInt32BE(Math.floor(size / 2 ** 32), 33);
      head.writeUInt32BE(size >>> 0, 37);
      yield* put(head);
      for await (const piece of checkedBlobData(entry.data, entry.sha256, size, entry.stored === true)) yield* put(piece);
    } else throw badInput('entries', `未知的条目类型：${String((entry as { type?: unknown } | null)?.type).slice(0, 40)}。`);
  }
  yield* put(Buffer.of(ENTRY_END));
  const out = flush();
  if (out) yield out;
}

/** Framed JSON records as they were said to be: each a JSON frame within the record limit, `count` of them. Returns the count. */
function checkFrames(entry: Extract<Entry, { type: 'frames' }>, limits: Limits): number {
  const f = entry.frames;
  if (!(f instanceof Uint8Array) || !Number.isSafeInteger(entry.count) || entry.count < 1) throw badInput('entries', '成批的记录格式不正确。');
  const view = new DataView(f.buffer, f.byteOffset, f.byteLength);
  let n = 0;
  for (let at = 0; at < f.length; n++) {
    if (at + 5 > f.length || f[at] !== ENTRY_JSON) throw badInput('entries', '成批的记录格式不正确。');
    const len = view.getUint32(at + 1);
    if (len < 1 || len > limits.maxJsonBytes || at + 5 + len > f.length) throw badInput('entries', `成批的记录格式不正确（单条记录不能超过 ${formatBytes(limits.maxJsonBytes)}）。`);
    at += 5 + len;
  }
  if (n !== entry.count) throw badInput('entries', '成批的记录条数与所述不符。');
  return n;
}

/** One JSON record as the payload frames it (type, u32 BE length, UTF-8 JSON), refused as the default reader would refuse it. */
export function jsonFrame(value: unknown, limits: Limits = DEFAULT_LIMITS): Buffer {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    throw badInput('entries', '记录无法转换为 JSON（含循环引用或 BigInt）。', String(e));
  }
  if (text === undefined) throw badInput('entries', '记录无法转换为 JSON（值为 undefined 或函数）。');
  const body = Buffer.from(text, 'utf8');
  if (body.length > limits.maxJsonBytes) throw badInput('entries', `单条记录不能超过 ${formatBytes(limits.maxJsonBytes)}。`);
  if (nestsDeeperThan(body, limits.maxJsonDepth)) throw badInput('entries', `记录嵌套不能超过 ${limits.maxJsonDepth} 层。`);
  const out = Buffer.allocUnsafe(5 + body.length);
  out[0] = ENTRY_JSON;
  out.writeUInt32BE(body.length, 1);
  body.copy(out, 5);
  return out;
}

function checkBlob(entry: Extract<Entry, { type: 'blob' }>, limits: Limits): number {
  if (typeof entry.sha256 !== 'string' || !SHA256_HEX.test(entry.sha256)) throw badInput('entries', '证据文件的 SHA-256 应为 64 位小写十六进制。');
  const size = entry.size;
  if (!Number.isSafeInteger(size) || size < 0) throw badInput('entries', '证据文件的大小应为非负整数。');
  if (size > limits.maxBlobBytes) throw badInput('entries', `单个证据文件不能超过 ${formatBytes(limits.maxBlobBytes)}。`);
  return size;
}

/** The blob's bytes, refused (CORRUPT, package_blob_hash) as soon as they disagree with its record. */
async function* checkedBlobData(data: Extract<Entry, { type: 'blob' }>['data'], sha256: string, size: number, stored: boolean): AsyncGenerator<Uint8Array> {
  const mismatch = (detail: string) =>
    new PackageError('package_blob_hash', detail, { message: '证据文件的内容与其登记的校验值或大小不符（文件可能已被改动），交换包未生成。' });
  const hash = createHash('sha256');
  let seen = 0;
  const pieces = data instanceof Uint8Array ? [data] : data;
  for await (const piece of pieces) {
    if (!(piece instanceof Uint8Array)) throw badInput('entries', '证据文件的数据应为字节块。');
    seen += piece.length;
    if (seen > size) throw mismatch(`blob ${sha256}: more than the declared ${size} bytes`);
    if (!stored) hash.update(piece);
    yield piece;
  }
  if (seen !== size) throw mismatch(`blob ${sha256}: ${seen} bytes, declared ${size}`);
  if (!stored && hash.digest('hex') !== sha256) throw mismatch(`blob ${sha256}: SHA-256 does not match`);
}

// ---------------------------------------------------------------------------------------------
// Reading

const EMPTY = Buffer.alloc(0);
const truncated = (detail: string) => fail('package_truncated', detail);

/** Pull reader over the decrypted pieces; counts every plaintext byte against the total limit. */
class PlainReader {
  private cur: Buffer = EMPTY;
  private pos = 0;
  private consumed = 0;

  constructor(private readonly it: AsyncIterator<Uint8Array>, private readonly maxTotal: number) {}

  /** Whether bytes are available (pulls the next piece if needed); false at the end. */
  private async fill(): Promise<boolean> {
    while (this.pos >= this.cur.length) {
      const r = await this.it.next();
      if (r.done) return false;
      const v = r.value;
      this.cur = Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      this.pos = 0;
      this.consumed += v.length;
      if (this.consumed > this.maxTotal) {
        throw overLimit('解密后总大小', formatBytes(this.maxTotal), `plaintext above ${this.maxTotal} bytes`);
      }
    }
    return true;
  }

  /**
   * Exactly n bytes as a view when the current piece holds them, else null (then `exact`): most
   * entries lie within one decrypted piece, and a read that need not wait is not made to.
   */
  take(n: number): Buffer | null {
    if (this.cur.length - this.pos < n) return null;
    this.pos += n;
    return this.cur.subarray(this.pos - n, this.pos);
  }

  async byte(): Promise<number> {
    if (!(await this.fill())) throw truncated('payload ends without the end marker');
    return this.cur[this.pos++]!;
  }

  /** Exactly n bytes: a view into the current piece when it holds them, else a copy. */
  async exact(n: number): Promise<Buffer> {
    if (!(await this.fill())) throw truncated('payload ends inside an entry');
    if (this.cur.length - this.pos >= n) {
      this.pos += n;
      return this.cur.subarray(this.pos - n, this.pos);
    }
    const out = Buffer.allocUnsafe(n);
    let have = 0;
    while (have < n) {
      if (!(await this.fill())) throw truncated('payload ends inside an entry');
      const take = Math.min(n - have, this.cur.length - this.pos);
      this.cur.copy(out, have, this.pos, this.pos + take);
      this.pos += take;
      have += take;
    }
    return out;
  }

  /** Between 1 and n bytes (n ≥ 1), as a view. */
  async upTo(n: number): Promise<Buffer> {
    if (!(await this.fill())) throw truncated('payload ends inside a blob');
    const take = Math.min(n, this.cur.length - this.pos);
    this.pos += take;
    return this.cur.subarray(this.pos - take, this.pos);
  }

  async atEnd(): Promise<boolean> {
    return !(await this.fill());
  }
}

const BLOB_PIECE = 1024 * KiB;

/** One blob's bytes, read through the shared reader and verified at their end. */
class BlobData implements AsyncIterable<Buffer> {
  private remaining: number;
  private readonly hash: Hash = createHash('sha256');
  private started = false;
  private finished = false;
  private error: unknown = null;
  /** Set once the reader has moved to the next entry. */
  stale = false;

  constructor(private readonly reader: PlainReader, private readonly sha256: string, size: number) {
    this.remaining = size;
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    if (this.started) throw badInput('data', '证据文件的数据只能读取一次。', 'blob data iterated twice');
    this.started = true;
    return { next: () => this.next(), return: () => Promise.resolve({ done: true, value: undefined }) };
  }

  private async next(): Promise<IteratorResult<Buffer>> {
    if (this.stale) throw badInput('data', '证据文件的数据须在读取下一条目之前读取。', 'blob data read after the next entry');
    if (this.error !== null) throw this.error;
    if (this.finished) return { done: true, value: undefined };
    try {
      const piece = this.remaining === 0 ? EMPTY : await this.reader.upTo(Math.min(this.remaining, BLOB_PIECE));
      this.hash.update(piece);
      this.remaining -= piece.length;
      if (this.remaining === 0) {
        this.finished = true;
        // Checked before the last piece goes out: a completed iteration means verified bytes.
        if (this.hash.digest('hex') !== this.sha256) throw fail('package_blob_hash', `blob ${this.sha256}: SHA-256 does not match`);
      }
      return piece.length > 0 ? { done: false, value: piece } : { done: true, value: undefined };
    } catch (e) {
      this.error = toPackageError(e, 'package_entry');
      throw this.error;
    }
  }

  /** Reads (and verifies) whatever the consumer left unread. */
  async drain(): Promise<void> {
    this.started = true;
    while (!(await this.next()).done);
  }
}

/** Parses the decrypted plaintext into entries, enforcing `limits`. */
export async function* decodeEntries(plaintext: AsyncIterator<Uint8Array>, limits: Limits): AsyncGenerator<ReadEntry> {
  const r = new PlainReader(plaintext, limits.maxTotalBytes);
  for (let n = 0; ; ) {
    const type = r.take(1)?.[0] ?? await r.byte();
    if (type === ENTRY_END) {
      if (!(await r.atEnd())) throw fail('package_entry', 'data after the end marker');
      return;
    }
    if (++n > limits.maxEntries) throw overLimit('条目数', `${limits.maxEntries} 条`, `more than ${limits.maxEntries} entries`);
    if (type === ENTRY_JSON) {
      const length = (r.take(4) ?? await r.exact(4)).readUInt32BE(0);
      if (length === 0) throw fail('package_entry', 'empty JSON entry');
      if (length > limits.maxJsonBytes) throw overLimit('单条记录', formatBytes(limits.maxJsonBytes), `JSON entry of ${length} bytes`);
      yield jsonEntry(r.take(length) ?? await r.exact(length), limits);
    } else if (type === ENTRY_BLOB) {
      const sha256 = (await r.exact(32)).toString('hex');
      const sizeBytes = await r.exact(8);
      const high = sizeBytes.readUInt32BE(0);
      const size = high * 2 ** 32 + sizeBytes.readUInt32BE(4);
      // high ≥ 2^21 would not be a safe integer; it is far above any limit anyway.
      if (high >= 2 ** 21 || size > limits.maxBlobBytes) {
        throw overLimit('单个证据文件', formatBytes(limits.maxBlobBytes), `blob of ${high >= 2 ** 21 ? '≥ 2^53' : size} bytes`);
      }
      const data = new BlobData(r, sha256, size);
      try {
        yield { type: 'blob', sha256, size, data };
        await data.drain();
      } finally {
        data.stale = true;
      }
    } else {
      throw fail('package_entry', `unknown entry type 0x${type.toString(16)}`);
    }
  }
}

function jsonEntry(body: Buffer, limits: Limits): Extract<ReadEntry, { type: 'json' }> {
  if (nestsDeeperThan(body, limits.maxJsonDepth)) throw overLimit('记录嵌套层数', `${limits.maxJsonDepth} 层`, 'JSON entry nests too deep');
  const text = decodeUtf8(body);
  const value = text === null ? undefined : parseJson(text);
  if (value === undefined) throw fail('package_entry', 'JSON entry is not valid UTF-8 JSON');
  return { type: 'json', value, bytes: body };
}
