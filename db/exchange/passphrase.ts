/**
 * 首次联络口令 (the passphrase of a first-contact package, docs/exchange-format.md §4.9): read over
 * the phone, so the suggested one is 6 groups of 4 Crockford base-32 characters (120 random bits),
 * and what is typed back is normalised the same way on both sides: a passphrase made only of ASCII
 * letters, digits, spaces and dashes counts without its spaces and dashes, in capitals, with O read
 * as 0 and I/L as 1 (as fingerprints are typed). Any other passphrase (Chinese text…) counts as
 * given, without leading and trailing white space. The normalised form is what age's scrypt sees.
 */
import { randomBytes } from 'node:crypto';
import type { ServiceContext } from '../core/context.js';
import { DomainError } from '../domain/errors.js';
import type { PackageHeader } from './package/index.js';
import { OFFICE_KINDS } from '../domain/enums.js';
import { ownOffice, refuse } from './transfer-common.js';

/** At least this many characters (after normalising). */
export const MIN_PASSPHRASE_CHARS = 12;
export const MAX_PASSPHRASE_CHARS = 200;

const B32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A passphrase made from 120 random bits: `7K3M-Q2ZD-…`, 6 groups of 4. */
export function suggestPassphrase(): string {
  const bytes = randomBytes(15);
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = ((acc << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += B32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join('-');
}

/** What age's scrypt gets for a passphrase as typed (see the file comment). */
export function normalizePassphrase(typed: string): string {
  const t = typed.trim();
  if (!/^[0-9A-Za-z\s-]+$/.test(t)) return t;
  return t.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** The normalised passphrase, refused when too short or too long (VALIDATION, field `passphrase`). */
export function checkedPassphrase(typed: string): string {
  const p = normalizePassphrase(typed);
  const n = [...p].length;
  if (n < MIN_PASSPHRASE_CHARS) {
    throw new DomainError('VALIDATION', `口令至少需要${MIN_PASSPHRASE_CHARS}个字符（不计空格和短横线）：建议使用系统生成的口令。`, { field: 'passphrase', reason: 'passphrase_too_short' });
  }
  if (n > MAX_PASSPHRASE_CHARS) {
    throw new DomainError('VALIDATION', `口令不能超过${MAX_PASSPHRASE_CHARS}个字符。`, { field: 'passphrase', reason: 'passphrase_too_long' });
  }
  return p;
}

/**
 * The recipient entry and the identities of a passphrase package (encryption 'scrypt') for this
 * office: its one recipient names no office yet (first contact) or this one. Without a passphrase:
 * passphrase_required (the caller then shows the sender's card: db/exchange/first-contact.ts).
 */
export function passphraseRecipient(ctx: ServiceContext, h: PackageHeader, typed: string | undefined): { forUs: PackageHeader['recipients'][number]; identities: { passphrase: string } } {
  const forUs = h.recipients[0]!;
  if (forUs.officeId !== null && forUs.officeId !== ctx.ledger.state.officeId) {
    throw refuse('FORBIDDEN', 'package_not_for_us', '该首次联络包是发给其他单位的，不能导入。');
  }
  // Its content was chosen for one kind of office (db/exchange/ownership.ts mayReceive): another kind does not take it.
  const kind = (h.scope as { recipientKind?: unknown }).recipientKind;
  const me = ownOffice(ctx);
  if (typeof kind === 'string' && kind !== me.kind) {
    const label = (OFFICE_KINDS.labels as Record<string, string>)[kind] ?? kind;
    throw refuse('FORBIDDEN', 'first_contact_kind', `该首次联络包是按“${label}”导出的，与本单位的类型（${OFFICE_KINDS.labels[me.kind]}）不符，不能导入：请对方按本单位类型重新导出。`);
  }
  if (typed === undefined || typed.trim() === '') {
    throw new DomainError('VALIDATION', '这是口令加密的首次联络包：请先核对发送单位的公钥卡指纹，再输入对方电话告知的口令。', { field: 'passphrase', reason: 'passphrase_required' });
  }
  return { forUs, identities: { passphrase: normalizePassphrase(typed) } };
}

/** age's "no identity" for a passphrase package means a wrong passphrase: say so (same reason). */
export function wrongPassphrase(e: unknown): unknown {
  if (!(e instanceof DomainError) || e.reason !== 'package_recipient') return e;
  return new DomainError('FORBIDDEN', '口令不正确，交换包未能解密，台账未作任何改动：请与对方核对口令后重试。', { reason: 'package_recipient', field: 'passphrase' });
}
