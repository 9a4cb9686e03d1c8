/**
 * The container's fixed prefix and its signed JSON header (docs/exchange-format.md §4.1–4.2).
 *
 *   "XZPKG\n" | u8 version (2; 1 still read) | u32 BE header length | header (UTF-8 JSON, ≤ 64 KiB)
 *   | u16 BE signature length (64) | Ed25519 signature | payload (age v1, binary)
 *
 * The signature covers "xz-package-v1\0" || version byte || header bytes, and the header holds
 * the payload's length and SHA-256: one signature over a small message covers the whole file,
 * and a reader can check it before touching the (possibly huge) payload.
 */
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { LEVELS, OFFICE_KINDS, type Level, type OfficeKind } from '../../domain/enums.js';
import { UUID_RE } from '../../domain/fields.js';
import { MAX_STANZAS } from '../age/index.js';
import { fail, type PackageError } from './errors.js';
import { decodeUtf8, isPlainObject, nestsDeeperThan, parseJson } from './json.js';

export const MAGIC = Buffer.from('XZPKG\n', 'latin1');
/**
 * The version written. Version 2 lets the files of a changes package come between its records
 * (version 1: all files after them); the container itself reads both alike.
 */
export const FORMAT_VERSION = 2;
/** The versions read (docs/exchange-format.md §4.1). */
export const READABLE_VERSIONS: readonly number[] = [1, 2];
export type FormatVersion = 1 | 2;
export const FORMAT_NAME = 'xz-package';
/** magic + version byte + header length. */
export const PREFIX_BYTES = MAGIC.length + 1 + 4;
export const MAX_HEADER_BYTES = 64 * 1024;
export const SIGNATURE_BYTES = 64;
const SIGNATURE_CONTEXT = Buffer.from('xz-package-v1\0', 'latin1');
/** scope and counts are the caller's; bounded so the header stays far below its own limit. */
export const MAX_OPAQUE_BYTES = 16 * 1024;
/** The sender's office card a first-contact (passphrase) header may carry (§4.2 `card`). */
export const MAX_HEADER_CARD_BYTES = 8 * 1024;
/** Nesting of the whole header (scope and counts included). */
export const MAX_HEADER_DEPTH = 16;

export type PackageKind = 'changes' | 'receipt';
export type Encryption = 'x25519' | 'scrypt';

export interface PackageHeader {
  format: typeof FORMAT_NAME;
  version: FormatVersion;
  /** The caller's id for this package (e.g. a UUIDv7): receipts name it. */
  packageId: string;
  kind: PackageKind;
  sender: { officeId: string; name: string; kind: OfficeKind; level: Level; fingerprint: string };
  /** officeId and fingerprint are null only in a passphrase package to an office whose card we
   *  do not have yet (first contact). seq: the sender's sequence number towards that office. */
  recipients: { officeId: string | null; name: string; fingerprint: string | null; seq: number }[];
  createdAt: string;
  scope: Record<string, unknown>;
  counts: Record<string, unknown>;
  /**
   * Only with encryption 'scrypt' (first contact): the sender's office card text, so the receiver
   * can show its fingerprint and check this header's signature before anything is trusted.
   */
  card?: string;
  encryption: Encryption;
  /** Of the age payload bytes as stored in the file. */
  payload: { length: number; sha256: string };
}

/** What writePackage takes: the header without what the writer itself decides. */
export type PackageHeaderInput = Omit<PackageHeader, 'format' | 'version' | 'encryption' | 'payload'>;

const CONTROL = /[\u0000-\u001f\u007f]/;
const name = v.pipe(v.string(), v.minLength(1), v.maxLength(200), v.check((s) => !CONTROL.test(s)));
const officeId = v.pipe(v.string(), v.regex(UUID_RE));
const fingerprint = v.pipe(v.string(), v.regex(/^[0-9A-HJKMNP-TV-Z]{32}$/));
const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const opaque = v.custom<Record<string, unknown>>(
  (x) => isPlainObject(x) && Buffer.byteLength(JSON.stringify(x)) <= MAX_OPAQUE_BYTES,
);

const headerSchema = v.pipe(
  v.strictObject({
    format: v.literal(FORMAT_NAME),
    version: v.picklist([1, 2] as const),
    packageId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/)),
    kind: v.picklist(['changes', 'receipt']),
    sender: v.strictObject({ officeId, name, kind: v.picklist(OFFICE_KINDS.codes), level: v.picklist(LEVELS.codes), fingerprint }),
    recipients: v.pipe(
      v.array(v.strictObject({ officeId: v.nullable(officeId), name, fingerprint: v.nullable(fingerprint), seq: count })),
      v.minLength(1),
      v.maxLength(MAX_STANZAS),
    ),
    createdAt: v.pipe(v.string(), v.maxLength(40), v.isoTimestamp()),
    scope: opaque,
    counts: opaque,
    card: v.optional(v.pipe(v.string(), v.minLength(1), v.check((s) => Buffer.byteLength(s) <= MAX_HEADER_CARD_BYTES))),
    encryption: v.picklist(['x25519', 'scrypt']),
    payload: v.strictObject({ length: count, sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)) }),
  }),
  // A passphrase is shared with one office; keys name their office. No office twice.
  v.check((h) => (h.encryption === 'scrypt' ? h.recipients.length === 1 : h.recipients.every((r) => r.officeId !== null && r.fingerprint !== null))),
  // A card replaces the confirmed key only where there is none yet: first contact.
  v.check((h) => h.card === undefined || h.encryption === 'scrypt'),
  v.check((h) => {
    const ids = h.recipients.flatMap((r) => (r.officeId === null ? [] : [r.officeId]));
    return new Set(ids).size === ids.length;
  }),
);

/** The issue path and message of the first failed check, for logs. */
function describe(issues: readonly v.BaseIssue<unknown>[]): string {
  const i = issues[0]!;
  const path = i.path?.map((p) => String(p.key)).join('.') ?? '';
  return `${path || '(header)'}: ${i.message}`;
}

/** The header as a checked value, or the first reason it is not one (English, for logs). */
export function checkHeader(x: unknown): { ok: true; header: PackageHeader } | { ok: false; detail: string } {
  const r = v.safeParse(headerSchema, x);
  return r.success ? { ok: true, header: r.output as PackageHeader } : { ok: false, detail: describe(r.issues) };
}

/** Parses header bytes read from a file: any failure is package_header. */
export function parseHeaderBytes(bytes: Uint8Array): PackageHeader {
  const bad = (detail: string): PackageError => fail('package_header', detail);
  const text = decodeUtf8(bytes);
  if (text === null) throw bad('header is not valid UTF-8');
  if (nestsDeeperThan(bytes, MAX_HEADER_DEPTH)) throw bad('header nests too deep');
  const json = parseJson(text);
  if (json === undefined) throw bad('header is not JSON');
  const r = checkHeader(json);
  if (!r.ok) throw bad(r.detail);
  return r.header;
}

/**
 * The header as written: JSON in a fixed key order, padded with spaces (JSON whitespace) to
 * `size` bytes when given. The writer reserves the header's room before the payload exists and
 * fills it afterwards, so the payload is written once, in place (§4.3).
 */
export function encodeHeader(h: PackageHeader, size?: number): Buffer {
  const ordered: PackageHeader = {
    format: h.format, version: h.version, packageId: h.packageId, kind: h.kind,
    sender: { officeId: h.sender.officeId, name: h.sender.name, kind: h.sender.kind, level: h.sender.level, fingerprint: h.sender.fingerprint },
    recipients: h.recipients.map((r) => ({ officeId: r.officeId, name: r.name, fingerprint: r.fingerprint, seq: r.seq })),
    createdAt: h.createdAt, scope: h.scope, counts: h.counts, ...(h.card === undefined ? {} : { card: h.card }), encryption: h.encryption,
    payload: { length: h.payload.length, sha256: h.payload.sha256 },
  };
  const json = Buffer.from(JSON.stringify(ordered), 'utf8');
  if (size === undefined || size <= json.length) return json;
  const out = Buffer.alloc(size, 0x20);
  json.copy(out);
  return out;
}

/** The bytes the Ed25519 signature covers. */
export function signedMessage(version: number, headerBytes: Uint8Array): Buffer {
  return Buffer.concat([SIGNATURE_CONTEXT, Buffer.of(version), headerBytes]);
}

/** magic | version | u32 header length | header | u16 signature length | signature. */
export function encodePrefix(headerBytes: Buffer, signature: Buffer, version: number = FORMAT_VERSION): Buffer {
  const out = Buffer.alloc(PREFIX_BYTES + headerBytes.length + 2 + signature.length);
  MAGIC.copy(out, 0);
  out[MAGIC.length] = version;
  out.writeUInt32BE(headerBytes.length, MAGIC.length + 1);
  headerBytes.copy(out, PREFIX_BYTES);
  out.writeUInt16BE(signature.length, PREFIX_BYTES + headerBytes.length);
  signature.copy(out, PREFIX_BYTES + headerBytes.length + 2);
  return out;
}

export const sha256Hex = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
