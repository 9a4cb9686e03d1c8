/**
 * An office's identity for exchange (docs/exchange-format.md "Office identity"):
 * - two key pairs made here with Node's crypto: Ed25519 signs packages and receipts, X25519 is the
 *   office's age recipient (packages to it are encrypted to this key);
 * - the fingerprint: SHA-256 over the office id and both public keys, the first 160 bits in
 *   Crockford base-32 (no I, L, O, U), read over the phone as 8 groups of 4 and shown the same
 *   way on both sides;
 * - the office card (公钥卡, `.xzcard`): the office's id, name, kind, level and public keys, signed
 *   by its own signing key (proves the sender holds the private half; trust still comes only from a
 *   person comparing the fingerprint), and, after a key change, signed also by the previous key so
 *   partners that trusted the old key can trust the new one without a phone call.
 * Pure: no ledger here (db/services/partners.ts stores keys and partners).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import * as v from 'valibot';
import { DomainError } from '../domain/errors.js';
import { LEVELS, OFFICE_KINDS, type Level, type OfficeKind } from '../domain/enums.js';
import { UUID_RE } from '../domain/fields.js';

export interface KeyPairs {
  signPublic: Buffer;
  signSecret: Buffer;
  agreePublic: Buffer;
  agreeSecret: Buffer;
}

const rawOf = (k: KeyObject, part: 'x' | 'd'): Buffer => Buffer.from(k.export({ format: 'jwk' })[part]!, 'base64url');

/** A new Ed25519 pair and a new X25519 pair, raw 32-byte halves. */
export function generateKeyPairs(): KeyPairs {
  const s = generateKeyPairSync('ed25519');
  const a = generateKeyPairSync('x25519');
  return { signPublic: rawOf(s.publicKey, 'x'), signSecret: rawOf(s.privateKey, 'd'), agreePublic: rawOf(a.publicKey, 'x'), agreeSecret: rawOf(a.privateKey, 'd') };
}

const jwk = (crv: 'Ed25519' | 'X25519', x: Buffer, d?: Buffer) => ({ kty: 'OKP', crv, x: x.toString('base64url'), ...(d ? { d: d.toString('base64url') } : {}) });

export function ed25519Public(raw: Buffer): KeyObject {
  return createPublicKey({ key: jwk('Ed25519', raw), format: 'jwk' });
}

/** The private signing key from its raw halves (the public half is needed by the JWK form). */
export function ed25519Private(pub: Buffer, secret: Buffer): KeyObject {
  return createPrivateKey({ key: jwk('Ed25519', pub, secret), format: 'jwk' });
}

export function signBytes(pub: Buffer, secret: Buffer, data: Buffer): Buffer {
  return sign(null, data, ed25519Private(pub, secret));
}

export function verifyBytes(pub: Buffer, data: Buffer, signature: Buffer): boolean {
  if (signature.length !== 64) return false;
  return verify(null, data, ed25519Public(pub), signature);
}

// ---------------------------------------------------------------------------------------------
// Fingerprint

const B32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const FP_CHARS = 32;

/** 32 base-32 characters (160 bits) over the office id and both public keys. */
export function fingerprintOf(officeId: string, signPublic: Buffer, agreePublic: Buffer): string {
  const h = createHash('sha256').update(`xz-office-key-v1|${officeId}|`).update(signPublic).update('|').update(agreePublic).digest();
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const byte of h) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < FP_CHARS) {
      out += B32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length === FP_CHARS) break;
    acc &= 0xff;
  }
  return out;
}

/** As printed and read aloud: 8 groups of 4 joined by '-'. */
export function formatFingerprint(fp: string): string {
  return fp.match(/.{1,4}/g)!.join('-');
}

/** What a person typed, normalised (case, separators, O→0, I/L→1); null when it cannot be one. */
export function parseFingerprint(typed: string): string | null {
  const s = typed.toUpperCase().replace(/[\s\-_.]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return s.length === FP_CHARS && [...s].every((c) => B32.includes(c)) ? s : null;
}

// ---------------------------------------------------------------------------------------------
// Office card

export const CARD_FORMAT = 'xz-office-card';
export const CARD_VERSION = 1;
/** A card is a few hundred bytes; anything much larger is not one. */
export const CARD_MAX_BYTES = 16 * 1024;

export interface CardOffice {
  id: string;
  name: string;
  kind: OfficeKind;
  level: Level;
}

export interface OfficeCard {
  office: CardOffice;
  signPublic: Buffer;
  agreePublic: Buffer;
  issuedAt: string;
  fingerprint: string;
  /** After a key change: the previous key's fingerprint and its signature over this card. */
  previous: { fingerprint: string; signPublic: Buffer; agreePublic: Buffer; signature: Buffer } | null;
}

const b64key = v.pipe(v.string(), v.regex(/^[A-Za-z0-9+/]{43}=$/));
const b64sig = v.pipe(v.string(), v.regex(/^[A-Za-z0-9+/]{86}==$/));
const cardSchema = v.strictObject({
  format: v.literal(CARD_FORMAT),
  version: v.number(),
  office: v.strictObject({
    id: v.pipe(v.string(), v.regex(UUID_RE)),
    name: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
    kind: v.picklist(OFFICE_KINDS.codes),
    level: v.picklist(LEVELS.codes),
  }),
  keys: v.strictObject({ sign: b64key, agree: b64key }),
  issuedAt: v.pipe(v.string(), v.isoTimestamp()),
  fingerprint: v.string(),
  previous: v.optional(v.strictObject({ fingerprint: v.string(), sign: b64key, agree: b64key, signature: b64sig })),
  signature: b64sig,
});

function cardError(reason: string, message: string): DomainError {
  return new DomainError('VALIDATION', message, { field: 'card', reason });
}

/** The bytes both signatures cover: every field of the card in a fixed order. */
function signedBytes(c: Omit<OfficeCard, 'previous'> & { previous: { fingerprint: string; signPublic: Buffer; agreePublic: Buffer } | null }): Buffer {
  return Buffer.from(JSON.stringify([
    `${CARD_FORMAT}/v${CARD_VERSION}`, c.office.id, c.office.name, c.office.kind, c.office.level,
    c.signPublic.toString('base64'), c.agreePublic.toString('base64'), c.issuedAt, c.fingerprint,
    c.previous ? [c.previous.fingerprint, c.previous.signPublic.toString('base64'), c.previous.agreePublic.toString('base64')] : null,
  ]), 'utf8');
}

export interface CardKeys {
  signPublic: Buffer;
  signSecret: Buffer;
  agreePublic: Buffer;
}

/** Write this office's card, signed by its key and (after a key change) by the previous one. */
export function writeCard(office: CardOffice, keys: CardKeys, issuedAt: string, previous?: CardKeys): string {
  const fingerprint = fingerprintOf(office.id, keys.signPublic, keys.agreePublic);
  const prev = previous ? { fingerprint: fingerprintOf(office.id, previous.signPublic, previous.agreePublic), signPublic: previous.signPublic, agreePublic: previous.agreePublic } : null;
  const body = signedBytes({ office, signPublic: keys.signPublic, agreePublic: keys.agreePublic, issuedAt, fingerprint, previous: prev });
  const card = {
    format: CARD_FORMAT, version: CARD_VERSION, office, keys: { sign: keys.signPublic.toString('base64'), agree: keys.agreePublic.toString('base64') },
    issuedAt, fingerprint: formatFingerprint(fingerprint),
    ...(prev && previous ? { previous: {
      fingerprint: formatFingerprint(prev.fingerprint), sign: prev.signPublic.toString('base64'), agree: prev.agreePublic.toString('base64'),
      signature: signBytes(previous.signPublic, previous.signSecret, body).toString('base64'),
    } } : {}),
    signature: signBytes(keys.signPublic, keys.signSecret, body).toString('base64'),
  };
  return `${JSON.stringify(card, null, 2)}\n`;
}

/**
 * Read a card: its form, its fingerprint (recomputed, must match the printed one), its own
 * signature and, if present, the previous key's. VALIDATION with reason card_* otherwise. A card
 * that reads proves nothing about who sent it: trust needs a confirmed fingerprint.
 */
export function readCard(text: string | Buffer): OfficeCard {
  const bytes = typeof text === 'string' ? Buffer.byteLength(text) : text.length;
  if (bytes > CARD_MAX_BYTES) throw cardError('card_too_large', '这不是公钥卡文件：文件过大。');
  let json: unknown;
  try {
    json = JSON.parse(typeof text === 'string' ? text : text.toString('utf8'));
  } catch {
    throw cardError('card_format', '这不是公钥卡文件：无法读取其内容。');
  }
  if (typeof json === 'object' && json !== null && (json as { format?: unknown }).format === CARD_FORMAT
    && (json as { version?: unknown }).version !== CARD_VERSION) {
    throw cardError('card_version', '公钥卡的格式版本不受支持，请对方升级软件后重新导出。');
  }
  const r = v.safeParse(cardSchema, json);
  if (!r.success) throw cardError('card_format', '这不是公钥卡文件，或其内容不完整。');
  const c = r.output;
  const signPublic = Buffer.from(c.keys.sign, 'base64');
  const agreePublic = Buffer.from(c.keys.agree, 'base64');
  const fingerprint = fingerprintOf(c.office.id, signPublic, agreePublic);
  if (parseFingerprint(c.fingerprint) !== fingerprint) throw cardError('card_fingerprint', '公钥卡上的指纹与其公钥不符，文件可能被改动。');
  const prev = c.previous ? {
    fingerprint: fingerprintOf(c.office.id, Buffer.from(c.previous.sign, 'base64'), Buffer.from(c.previous.agree, 'base64')),
    signPublic: Buffer.from(c.previous.sign, 'base64'), agreePublic: Buffer.from(c.previous.agree, 'base64'),
  } : null;
  if (c.previous && parseFingerprint(c.previous.fingerprint) !== prev!.fingerprint) throw cardError('card_fingerprint', '公钥卡上的原指纹与原公钥不符，文件可能被改动。');
  const body = signedBytes({ office: c.office, signPublic, agreePublic, issuedAt: c.issuedAt, fingerprint, previous: prev });
  if (!safeVerify(signPublic, body, Buffer.from(c.signature, 'base64'))) throw cardError('card_signature', '公钥卡的签名无效，文件可能被改动。');
  if (c.previous && !safeVerify(prev!.signPublic, body, Buffer.from(c.previous.signature, 'base64'))) {
    throw cardError('card_signature', '公钥卡上原密钥的签名无效，文件可能被改动。');
  }
  return {
    office: c.office, signPublic, agreePublic, issuedAt: c.issuedAt, fingerprint,
    previous: prev && c.previous ? { ...prev, signature: Buffer.from(c.previous.signature, 'base64') } : null,
  };
}

/** A public key that is not a valid curve point makes verify throw: that is a bad signature too. */
function safeVerify(pub: Buffer, data: Buffer, sig: Buffer): boolean {
  try {
    return verifyBytes(pub, data, sig);
  } catch {
    return false;
  }
}
