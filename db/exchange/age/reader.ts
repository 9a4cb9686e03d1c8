/**
 * Pull-based reading of a byte source (a Node Readable, an async generator, an array of
 * buffers…) with one-piece lookahead: the header parser and the STREAM decoder need to put back
 * what they read too far, and the decoder needs to know whether more bytes follow a chunk.
 */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export class ByteReader {
  private readonly it: AsyncIterator<Uint8Array> | Iterator<Uint8Array>;
  private readonly pushedBack: Uint8Array[] = [];
  private done = false;

  constructor(source: ByteSource) {
    this.it = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  }

  /** The next non-empty piece, or null at the end. The piece may be the caller's own buffer. */
  async next(): Promise<Uint8Array | null> {
    const back = this.pushedBack.pop();
    if (back !== undefined) return back;
    while (!this.done) {
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        break;
      }
      const piece: unknown = r.value;
      // A Readable with an encoding set yields strings: a programming error, not a damaged file.
      if (!(piece instanceof Uint8Array)) throw new TypeError('age: the byte source must yield Uint8Array pieces');
      if (piece.length > 0) return piece;
    }
    return null;
  }

  /** Puts a piece back: the next call to next() returns it. */
  unread(piece: Uint8Array): void {
    if (piece.length > 0) this.pushedBack.push(piece);
  }

  /** Whether any byte follows (reads ahead one piece and puts it back). */
  async hasMore(): Promise<boolean> {
    const piece = await this.next();
    if (piece === null) return false;
    this.unread(piece);
    return true;
  }

  /** Lets the source release what it holds (an open file) when we stop early. */
  async close(): Promise<void> {
    if (!this.done) {
      this.done = true;
      await this.it.return?.();
    }
  }
}
