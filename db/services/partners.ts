/**
 * 数据交换 — this office's keys and its partner offices (docs/exchange-format.md "Office identity").
 * - This office's key pairs are made here the first time they are needed and kept only inside the
 *   encrypted ledger (office_keys.secret). 更换密钥 retires the pair (kept, to open and check old
 *   packages) and makes a new one; the new card is signed by the old key too.
 * - A partner is known from its card (公钥卡). Its key verifies nothing until a person confirms
 *   that the fingerprint on screen is the one the partner reads out (or prints): 确认指纹. A card
 *   announcing a new key signed by a key already confirmed is trusted at once (key change).
 * Every change here goes through the write path, so it is audited (private keys never are).
 */
import { asc, eq } from 'drizzle-orm';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { defineCall, defineQuery } from '../core/call.js';
import { getRow, insertRow, updateRow, type Row } from '../core/write.js';
import { conflict, invalid } from '../domain/errors.js';
import * as f from '../domain/fields.js';
import type { Level, OfficeKind } from '../domain/enums.js';
import { officeKeys, offices, users } from '../schema/index.js';
import {
  CARD_MAX_BYTES, fingerprintOf, formatFingerprint, generateKeyPairs, parseFingerprint, readCard, writeCard, type CardOffice, type OfficeCard,
} from '../exchange/identity.js';

export type OfficeKey = Row<typeof officeKeys>;

const now = (ctx: ServiceContext) => new Date(ctx.clock.now()).toISOString();
const ownId = (ctx: ServiceContext) => ctx.ledger.state.officeId!;

interface OwnSecret {
  sign: string;
  agree: string;
}

/** The private halves of one of this office's key rows. */
export function ownSecret(k: OfficeKey): { signSecret: Buffer; agreeSecret: Buffer } {
  const s = JSON.parse(k.secret!) as OwnSecret;
  return { signSecret: Buffer.from(s.sign, 'base64'), agreeSecret: Buffer.from(s.agree, 'base64') };
}

function keysOf(ctx: ServiceContext, officeId: string): OfficeKey[] {
  return ctx.ledger.orm.select().from(officeKeys).where(eq(officeKeys.officeId, officeId)).orderBy(asc(officeKeys.createdAt), asc(officeKeys.id)).all();
}

/** This office's active key row, made now if it has none yet (inside the caller's transaction). */
export function ensureOwnKey(ctx: ServiceContext): OfficeKey {
  const active = keysOf(ctx, ownId(ctx)).find((k) => k.status === 'active');
  return active ?? newOwnKey(ctx);
}

function newOwnKey(ctx: ServiceContext): OfficeKey {
  const p = generateKeyPairs();
  const officeId = ownId(ctx);
  return insertRow(ctx, officeKeys, {
    officeId, signPublic: p.signPublic.toString('base64'), agreePublic: p.agreePublic.toString('base64'),
    fingerprint: fingerprintOf(officeId, p.signPublic, p.agreePublic),
    secret: JSON.stringify({ sign: p.signSecret.toString('base64'), agree: p.agreeSecret.toString('base64') } satisfies OwnSecret),
    status: 'active', source: 'generated', confirmedAt: now(ctx), confirmedBy: ctx.user?.id ?? null, retiredAt: null, retiredReason: null,
  }, { action: 'key_generated' });
}

/** This office as its card and packages name it. */
export function ownOffice(ctx: ServiceContext): CardOffice {
  const o = getRow(ctx, offices, ownId(ctx))!;
  return { id: o.id, name: o.name, kind: o.kind, level: o.level };
}

function cardText(ctx: ServiceContext, key: OfficeKey, previous?: OfficeKey): string {
  const k = { signPublic: Buffer.from(key.signPublic, 'base64'), agreePublic: Buffer.from(key.agreePublic, 'base64'), signSecret: ownSecret(key).signSecret };
  const p = previous && { signPublic: Buffer.from(previous.signPublic, 'base64'), agreePublic: Buffer.from(previous.agreePublic, 'base64'), signSecret: ownSecret(previous).signSecret };
  return writeCard(ownOffice(ctx), k, key.createdAt, p);
}

export interface CardFile {
  fileName: string;
  text: string;
  fingerprint: string;
}

/** An office's name as part of a file name: no path separators, reserved characters or spaces, at most `max` characters. */
export function fileSafeName(name: string, max: number): string {
  return name.replace(/[\\/:*?"<>|\s]+/g, '').slice(0, max) || 'office';
}

/** The card's file name: the office's name and the fingerprint's first group (no path, no separators). */
function cardFileName(name: string, fp: string): string {
  return `${fileSafeName(name, 60)}-公钥卡-${fp.slice(0, 4)}.xzcard`;
}

/**
 * 导出本单位公钥卡. The card of the active key; after a key change it carries the previous
 * key's signature (the most recently retired key), so partners who trusted that key trust this one.
 */
export const exportCard = defineCall({ permission: 'exchange.run', arg: f.NO_ARGS }, (ctx): CardFile => inTransaction(ctx, () => {
  const key = ensureOwnKey(ctx);
  const retired = keysOf(ctx, ownId(ctx)).filter((k) => k.status === 'retired' && k.retiredAt !== null)
    .sort((a, b) => (a.retiredAt! < b.retiredAt! ? 1 : -1))[0];
  return { fileName: cardFileName(ownOffice(ctx).name, key.fingerprint), text: cardText(ctx, key, retired), fingerprint: formatFingerprint(key.fingerprint) };
}));

export interface OwnIdentity {
  office: CardOffice;
  fingerprint: string | null;
  since: string | null;
  retired: { fingerprint: string; retiredAt: string | null; reason: string | null }[];
}

/** 本单位密钥: the office, its active fingerprint (null before the first exchange) and the retired ones. */
export const ownIdentity = defineQuery({ permission: 'exchange.run' }, (ctx): OwnIdentity => {
  const keys = keysOf(ctx, ownId(ctx));
  const active = keys.find((k) => k.status === 'active');
  return {
    office: ownOffice(ctx), fingerprint: active ? formatFingerprint(active.fingerprint) : null, since: active?.createdAt ?? null,
    retired: keys.filter((k) => k.status === 'retired').map((k) => ({ fingerprint: formatFingerprint(k.fingerprint), retiredAt: k.retiredAt, reason: k.retiredReason })),
  };
});

/**
 * 更换本单位密钥 (e.g. a private key may have been exposed): the active pair is retired, kept to
 * open and check packages made under it, and a new pair is made. Returns the new card.
 */
export const rotateOwnKeys = defineCall({
  permission: 'exchange.partners',
  arg: f.args({ reason: f.text('更换原因', f.LEN.short) }),
}, (ctx, a): CardFile => inTransaction(ctx, () => {
  const old = ensureOwnKey(ctx);
  updateRow(ctx, officeKeys, old, { status: 'retired', retiredAt: now(ctx), retiredReason: a.reason }, { action: 'key_retired' });
  const key = newOwnKey(ctx);
  return { fileName: cardFileName(ownOffice(ctx).name, key.fingerprint), text: cardText(ctx, key, old), fingerprint: formatFingerprint(key.fingerprint) };
}));

// ---------------------------------------------------------------------------------------------
// Partners

/** How a card relates to what this ledger knows. */
export type CardStanding =
  /** A partner not known yet. */
  | 'new'
  /** The same key as a known one (confirmed or not). */
  | 'known'
  /** A new key of a known partner, signed by a key of it that is confirmed: trusted at once. */
  | 'key_change_signed'
  /** A new key of a known partner without a confirmed previous key: needs a fingerprint check. */
  | 'key_change_unsigned';

export interface CardPreview {
  office: CardOffice;
  fingerprint: string;
  issuedAt: string;
  standing: CardStanding;
  /** Confirmed already (a known confirmed key, or a change signed by one). */
  trusted: boolean;
}

const cardField = f.v.pipe(f.v.string('请选择公钥卡文件。'), f.v.maxLength(CARD_MAX_BYTES, '这不是公钥卡文件：文件过大。'));

function standingOf(ctx: ServiceContext, c: OfficeCard): { standing: CardStanding; known: OfficeKey | undefined; signedBy: OfficeKey | undefined } {
  if (c.office.id === ownId(ctx)) throw invalid('card', '这是本单位自己的公钥卡，不能添加为交换单位。', 'card_own_office');
  const keys = keysOf(ctx, c.office.id);
  const known = keys.find((k) => k.fingerprint === c.fingerprint);
  if (known) return { standing: 'known', known, signedBy: undefined };
  const clash = ctx.ledger.orm.select({ id: officeKeys.id }).from(officeKeys).where(eq(officeKeys.fingerprint, c.fingerprint)).get();
  if (clash) throw invalid('card', '该公钥已登记在另一单位名下，不能重复添加。', 'card_key_reused');
  if (keys.length === 0) return { standing: 'new', known: undefined, signedBy: undefined };
  const signedBy = c.previous ? keys.find((k) => k.fingerprint === c.previous!.fingerprint && k.confirmedAt !== null) : undefined;
  return { standing: signedBy ? 'key_change_signed' : 'key_change_unsigned', known: undefined, signedBy };
}

function checkOffice(ctx: ServiceContext, c: OfficeCard): void {
  const o = getRow(ctx, offices, c.office.id);
  if (o && o.kind !== c.office.kind) {
    throw invalid('card', `公钥卡上的单位类型与已登记的“${o.name}”不同，请与对方核实。`, 'card_kind_changed');
  }
}

/** 读取公钥卡: what the card says and how it relates to the known partners; changes nothing. */
export const previewCard = defineCall({ permission: 'exchange.partners', arg: f.args({ card: cardField }) }, (ctx, a): CardPreview => {
  const c = readCard(a.card);
  checkOffice(ctx, c);
  const s = standingOf(ctx, c);
  return {
    office: c.office, fingerprint: formatFingerprint(c.fingerprint), issuedAt: c.issuedAt, standing: s.standing,
    trusted: s.standing === 'key_change_signed' || (s.known?.confirmedAt ?? null) !== null,
  };
});

function typedFingerprint(ctx: ServiceContext, typed: string | undefined, expected: string): boolean {
  if (typed === undefined || typed === '') return false;
  const fp = parseFingerprint(typed);
  if (!fp) throw invalid('fingerprint', '指纹应为32位字母和数字（8组，每组4位）。', 'fingerprint_format');
  if (fp !== expected) throw invalid('fingerprint', '输入的指纹与公钥卡不一致：请勿信任此公钥卡，并与对方电话核实。', 'fingerprint_mismatch');
  return true;
}

/**
 * 添加交换单位 from its card. With `fingerprint` (what the partner read out, typed here) the key
 * is confirmed at once; without it the partner waits for 确认指纹. A new key signed by a confirmed
 * one replaces it (the old key is retired, kept to check old packages). Adding a known card again
 * changes nothing (but may confirm it).
 */
export const addPartner = defineCall({
  permission: 'exchange.partners',
  arg: f.args({ card: cardField, fingerprint: f.v.optional(f.v.pipe(f.v.string(), f.v.maxLength(64, '指纹过长。'))) }),
}, (ctx, a): PartnerView => inTransaction(ctx, () => {
  const c = readCard(a.card);
  checkOffice(ctx, c);
  const s = standingOf(ctx, c);
  const confirmedNow = typedFingerprint(ctx, a.fingerprint, c.fingerprint);
  const at = now(ctx);
  const o = getRow(ctx, offices, c.office.id);
  if (!o) {
    insertRow(ctx, offices, { name: c.office.name, kind: c.office.kind, level: c.office.level, parentOfficeId: null }, { id: c.office.id, originOfficeId: c.office.id, action: 'partner_added' });
  } else if (o.name !== c.office.name || o.level !== c.office.level) {
    updateRow(ctx, offices, o, { name: c.office.name, level: c.office.level });
  }
  if (s.known) {
    if (confirmedNow && !s.known.confirmedAt) updateRow(ctx, officeKeys, s.known, { confirmedAt: at, confirmedBy: ctx.user!.id }, { action: 'partner_confirmed' });
  } else {
    const trusted = confirmedNow || s.standing === 'key_change_signed';
    insertRow(ctx, officeKeys, {
      officeId: c.office.id, signPublic: c.signPublic.toString('base64'), agreePublic: c.agreePublic.toString('base64'), fingerprint: c.fingerprint,
      secret: null, status: 'active', source: s.standing === 'key_change_signed' && !confirmedNow ? 'rotation' : 'card',
      confirmedAt: trusted ? at : null, confirmedBy: confirmedNow ? ctx.user!.id : null, retiredAt: null, retiredReason: null,
    }, { action: trusted ? 'partner_key_confirmed' : 'partner_key_added' });
    // A trusted new key retires the partner's other active keys; an unconfirmed one waits beside them.
    if (trusted) retireOthers(ctx, c.office.id, c.fingerprint, '对方更换了密钥');
  }
  return partnerView(ctx, c.office.id);
}));

function retireOthers(ctx: ServiceContext, officeId: string, keep: string, reason: string): void {
  for (const k of keysOf(ctx, officeId)) {
    if (k.status === 'active' && k.fingerprint !== keep) updateRow(ctx, officeKeys, k, { status: 'retired', retiredAt: now(ctx), retiredReason: reason }, { action: 'key_retired' });
  }
}

/** 确认指纹: the fingerprint the partner read out, typed here, must match the waiting key. */
export const confirmPartner = defineCall({
  permission: 'exchange.partners',
  arg: f.args({ officeId: f.id('交换单位'), fingerprint: f.text('指纹', 64) }),
}, (ctx, a): PartnerView => inTransaction(ctx, () => {
  const waiting = keysOf(ctx, a.officeId).filter((k) => k.status === 'active' && k.confirmedAt === null);
  if (waiting.length === 0) {
    if (keysOf(ctx, a.officeId).length === 0 || a.officeId === ownId(ctx)) throw invalid('officeId', '未找到该交换单位。', 'not_found');
    throw conflict('该单位的密钥已经确认，无需再次确认。', 'already_confirmed');
  }
  const fp = parseFingerprint(a.fingerprint);
  if (!fp) throw invalid('fingerprint', '指纹应为32位字母和数字（8组，每组4位）。', 'fingerprint_format');
  const key = waiting.find((k) => k.fingerprint === fp);
  if (!key) throw invalid('fingerprint', '输入的指纹与该单位的公钥卡不一致：请勿确认，并与对方电话核实。', 'fingerprint_mismatch');
  updateRow(ctx, officeKeys, key, { confirmedAt: now(ctx), confirmedBy: ctx.user!.id }, { action: 'partner_key_confirmed' });
  retireOthers(ctx, a.officeId, key.fingerprint, '已确认对方的新密钥');
  return partnerView(ctx, a.officeId);
}));

export interface PartnerKeyView {
  fingerprint: string;
  status: 'active' | 'retired';
  source: 'generated' | 'card' | 'rotation';
  addedAt: string;
  confirmedAt: string | null;
  /** Display name of the person who compared the fingerprint (null: trusted through a key change). */
  confirmedBy: string | null;
  retiredAt: string | null;
  retiredReason: string | null;
}

export interface PartnerView {
  officeId: string;
  name: string;
  kind: OfficeKind;
  level: Level;
  /** 'confirmed': an active confirmed key; 'pending': only unconfirmed keys (nothing verifies yet). */
  trust: 'confirmed' | 'pending';
  fingerprint: string;
  confirmedAt: string | null;
  confirmedBy: string | null;
  keys: PartnerKeyView[];
}

function partnerView(ctx: ServiceContext, officeId: string): PartnerView {
  const o = getRow(ctx, offices, officeId)!;
  const names = new Map(ctx.ledger.orm.select({ id: users.id, name: users.displayName }).from(users).all().map((u) => [u.id, u.name]));
  const keys = keysOf(ctx, officeId).map((k): PartnerKeyView => ({
    fingerprint: formatFingerprint(k.fingerprint), status: k.status, source: k.source, addedAt: k.createdAt, confirmedAt: k.confirmedAt,
    confirmedBy: k.confirmedBy ? names.get(k.confirmedBy) ?? null : null, retiredAt: k.retiredAt, retiredReason: k.retiredReason,
  }));
  const current = keys.find((k) => k.status === 'active' && k.confirmedAt) ?? keys.find((k) => k.status === 'active') ?? keys.at(-1)!;
  return {
    officeId, name: o.name, kind: o.kind, level: o.level, trust: current.confirmedAt ? 'confirmed' : 'pending',
    fingerprint: current.fingerprint, confirmedAt: current.confirmedAt, confirmedBy: current.confirmedBy, keys,
  };
}

/** 交换单位: every partner with its kind, fingerprint, trust, who confirmed it and when. */
export const listPartners = defineQuery({ permission: 'exchange.run' }, (ctx): PartnerView[] => {
  const ids = ctx.ledger.orm.selectDistinct({ id: officeKeys.officeId }).from(officeKeys).all().map((r) => r.id).filter((id) => id !== ownId(ctx));
  return ids.map((id) => partnerView(ctx, id)).sort((x, y) => x.name.localeCompare(y.name, 'zh-CN'));
});

/**
 * The keys that may check a package from `officeId`: its confirmed keys, active or retired (old
 * packages stay verifiable); unconfirmed keys verify nothing.
 */
export function trustedKeysOf(ctx: ServiceContext, officeId: string): OfficeKey[] {
  return ctx.ledger.orm.select().from(officeKeys)
    .where(eq(officeKeys.officeId, officeId)).all().filter((k) => k.confirmedAt !== null && k.secret === null);
}
