/**
 * The base64 of the age header: RFC 4648 §4 alphabet, no `=` padding, canonical only.
 *
 * Spec (age v1, "Conventions"): "Encoders MUST generate canonical base64 according to RFC 4648,
 * Section 3.5, and decoders MUST reject non-canonical encodings and encodings ending with `=`
 * padding characters." Node's own decoder is lenient (it skips unknown characters and ignores
 * non-zero trailing bits), so every decode here checks the alphabet, the length and, by
 * re-encoding, that the unused trailing bits are zero.
 */
const ALPHABET = /^[A-Za-z0-9+/]*$/;

/** Unpadded canonical base64 of `bytes`. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64').replace(/=+$/, '');
}

/** Decodes unpadded canonical base64, or returns null if `text` is anything else. */
export function decodeBase64(text: string): Buffer | null {
  // A length of 1 mod 4 cannot come from any byte string.
  if (text.length % 4 === 1 || !ALPHABET.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  // Non-zero bits past the last byte decode "fine" in Node: re-encoding tells them apart.
  return encodeBase64(bytes) === text ? bytes : null;
}
