/**
 * What export, import and receipts (db/exchange/transfer.ts, receipts.ts) share: this office, a
 * confirmed partner and its keys, sequence numbers, the check that a file is addressed to us.
 */
import type { ServiceContext } from '../core/context.js';
import { getRow } from '../core/write.js';
import { DomainError } from '../domain/errors.js';
import { offices } from '../schema/index.js';
import { fileSafeName, trustedKeysOf } from '../services/partners.js';
import type { OfficeRef } from './changes.js';
import type { PackageHeader } from './package/index.js';

export const now = (ctx: ServiceContext) => new Date(ctx.clock.now()).toISOString();
export const refuse = (code: 'CORRUPT' | 'FORBIDDEN' | 'VALIDATION' | 'CONFLICT' | 'NOT_FOUND', reason: string, message: string) => new DomainError(code, message, { reason });

export { ownOffice } from '../services/partners.js';

export interface Partner {
  office: OfficeRef & { level: string };
  signPublic: Buffer;
  agreePublic: Buffer;
  fingerprint: string;
}

/** A partner whose active key is confirmed: the only kind a package goes to. */
export function confirmedPartner(ctx: ServiceContext, officeId: string): Partner {
  const o = getRow(ctx, offices, officeId);
  const key = o && trustedKeysOf(ctx, officeId).find((k) => k.status === 'active');
  if (!o || !key) throw refuse('VALIDATION', 'partner_not_confirmed', '只能向已确认指纹的交换单位导出交换包。');
  return {
    office: { id: o.id, name: o.name, kind: o.kind, level: o.level }, fingerprint: key.fingerprint,
    signPublic: Buffer.from(key.signPublic, 'base64'), agreePublic: Buffer.from(key.agreePublic, 'base64'),
  };
}

export function lastSeq(ctx: ServiceContext, partnerId: string, direction: 'sent' | 'received', kind: 'changes' | 'receipt' = 'changes'): number {
  const r = ctx.ledger.prepare('SELECT max(seq) AS n FROM exchange_packages WHERE partner_office_id = ? AND direction = ? AND kind = ?').get(partnerId, direction, kind) as { n: number | null };
  return r.n ?? 0;
}

/** An office's name in a package's file name (partners.ts fileSafeName, 40 characters). */
export const safeName = (s: string): string => fileSafeName(s, 40);

/**
 * The recipient entry naming this office and one of its own keys (active or retired), and the
 * private X25519 halves that may open the payload; package_not_for_us otherwise.
 */
export function addressedToUs(ctx: ServiceContext, h: PackageHeader, notForUs: string): { forUs: PackageHeader['recipients'][number]; identities: Buffer[] } {
  const me = ctx.ledger.state.officeId!;
  const mine = ctx.ledger.prepare('SELECT fingerprint, secret FROM office_keys WHERE office_id = ? AND secret IS NOT NULL').all(me) as { fingerprint: string; secret: string }[];
  const forUs = h.recipients.find((r) => r.officeId === me && mine.some((k) => k.fingerprint === r.fingerprint));
  if (!forUs) throw refuse('FORBIDDEN', 'package_not_for_us', notForUs);
  return { forUs, identities: mine.map((k) => Buffer.from((JSON.parse(k.secret) as { agree: string }).agree, 'base64')) };
}

/** The Ed25519 keys that may have signed a package from an office: its confirmed ones. */
export const trustedSignKeys = (ctx: ServiceContext) => (officeId: string) => trustedKeysOf(ctx, officeId).map((k) => Buffer.from(k.signPublic, 'base64'));
