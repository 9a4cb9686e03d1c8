/**
 * Untrusted JSON from a package, parsed safely: strict UTF-8 (an invalid sequence is an error,
 * not a U+FFFD that would make two different byte strings read alike) and the nesting depth
 * measured on the bytes *before* JSON.parse, so a bomb of 100 000 nested arrays costs one linear
 * scan and never reaches a recursive parser or a recursive consumer.
 */
import { Buffer, isUtf8 } from 'node:buffer';

/** The text, or null when the bytes are not valid UTF-8 (checked strictly first: overlong forms, surrogates and cut sequences are refused; a BOM is kept as a character). */
export function decodeUtf8(bytes: Uint8Array): string | null {
  if (!isUtf8(bytes)) return null;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * Whether brackets outside strings nest deeper than `max`. Works on UTF-8 bytes: every byte of
 * a multi-byte sequence is ≥ 0x80, so it can never be mistaken for a quote or a bracket.
 */
export function nestsDeeperThan(bytes: Uint8Array, max: number): boolean {
  if (openersAtMost(bytes, max)) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) {
      inString = true;
    } else if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}

const OPENERS = [OPEN_ARRAY, OPEN_OBJECT] as const;

/**
 * Whether the bytes hold at most `max` opening brackets, in strings or not: then nothing nests
 * deeper than `max`. A record holds a few dozen at most, found by the native byte search instead
 * of a loop over every byte (which then runs only for the rare entry with more).
 */
function openersAtMost(bytes: Uint8Array, max: number): boolean {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let n = 0;
  for (const open of OPENERS) {
    for (let i = b.indexOf(open); i >= 0; i = b.indexOf(open, i + 1)) if (++n > max) return false;
  }
  return true;
}

/** The parsed value, or `undefined` when the text is not JSON (JSON itself has no undefined). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A plain `{…}` object (not an array, not null, not a class instance). */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}
